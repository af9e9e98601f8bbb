// Properties of the pure rules, over generated inputs (fast-check, fixed seed): names, renames, numbers, money.
import fc from 'fast-check';
import { cleanName, length } from '../../service/src/matching/names';
import { renameForClash } from '../../service/src/export/plan/customers';
import { buildInvoice, docNumberFor } from '../../service/src/export/plan/invoices';
import { lineCents } from '../../service/src/export/money';
import { companyModel, limits, settings, sourceInvoice } from '../support/model';

const SEED = { seed: 20261201, numRuns: 300 };
const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ':', '\t', '\n', 'é', '😀', '-', "'", '9'), maxLength: 140 });

describe('names', () => {
  it('when any name is cleaned, then it has no colon, tab or line break, fits the limit, and cleaning again changes nothing', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 100 }), (raw, max) => {
        const once = cleanName(raw, max);
        expect(/[:\t\r\n]/.test(once.value)).toBe(false);
        expect(length(once.value)).toBeLessThanOrEqual(max);
        expect(cleanName(once.value, max)).toEqual({ value: once.value, changes: [] });
      }),
      SEED,
    );
  });

  it('when a name clashes, then the rename is free, fits the limit, keeps the suffix, and is the same every time', () => {
    fc.assert(
      fc.property(
        text.filter((t) => t.trim().length > 0),
        fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 5 }),
        fc.integer({ min: 12, max: 500 }),
        (name, takenNumbers, max) => {
          const suffix = ' (C)';
          const taken = new Set(takenNumbers.map((n) => (n === 1 ? `${name}${suffix}` : `${name}${suffix} ${n}`)));
          const isTaken = (c: string) => taken.has(c);
          const renamed = renameForClash(name, suffix, isTaken, max);
          expect(isTaken(renamed)).toBe(false);
          expect(length(renamed)).toBeLessThanOrEqual(max);
          expect(/ \(C\)( \d+)?$/.test(renamed)).toBe(true);
          expect(renameForClash(name, suffix, isTaken, max)).toBe(renamed);
        },
      ),
      SEED,
    );
  });
});

describe('numbers', () => {
  it('when a document number is built from any prefix, number and suffix, then it is sent only if QuickBooks can keep it whole', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.stringMatching(/^[A-Z]{2}-\d{1,14}$/), fc.string({ maxLength: 10 }), (prefix, number, suffix) => {
        const company = companyModel({ numberPrefix: prefix, numberSuffix: suffix });
        const invoice = sourceInvoice({ number });
        const build = buildInvoice(invoice, company, settings(), limits, { customerId: '1', itemFor: () => '7' });
        const docNumber = docNumberFor(invoice, company, settings());
        expect(docNumber).toBe(`${prefix}${number}${suffix}`);
        if (length(docNumber!) <= 21) expect(build).toMatchObject({ ok: true, doc: { docNumber } });
        else expect(build).toMatchObject({ ok: false, message: expect.stringContaining('QuickBooks allows 21') });
      }),
      SEED,
    );
  });
});

describe('money', () => {
  it('when quantity × price is rounded, then it is the exact decimal product rounded half away from zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (q4, p2) => {
        // Quantities with 4 decimals and prices with 2: as decimal text, so the check is exact.
        const quantity = q4 / 10_000;
        const price = p2 / 100;
        const exact = BigInt(q4) * BigInt(p2); // in 1e-6 of a currency unit
        const abs = exact < 0n ? -exact : exact;
        const cents = abs / 10_000n + ((abs % 10_000n) * 2n >= 10_000n ? 1n : 0n);
        expect(lineCents(quantity, price)).toBe(Number(exact < 0n ? -cents : cents));
      }),
      SEED,
    );
  });
});
