// The Salesforce records' compiled readers: for any record, parseRecord gives exactly what the zod schema gives (the
// same fields in the same order, the same values), and refuses what it refuses with zod's own error.
import fc from 'fast-check';
import type { z } from 'zod';
import {
  CompanySchema,
  CreditApplicationSchema,
  CustomerSchema,
  InvoiceLineSchema,
  InvoiceSchema,
  PaymentSchema,
  PaymentToExportSchema,
  ProductSchema,
  parseRecord,
} from '../../service/src/salesforce/records';

/** A field's value as an org sends it (mostly), or as a broken answer might. */
const wrong = fc.oneof(fc.constantFrom('1e400', 'NaN', 'x'), fc.double(), fc.constant([]), fc.constant({}));
const value = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' 3 ', '0x10', '-0', 'true', '12.50') },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: wrong },
);

/**
 * A record of the schema's fields, some left out: mostly values the field takes (nested and child records included),
 * now and then one it refuses, so that both readings are compared.
 */
function recordOf(schema: z.ZodObject<z.ZodRawShape>, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(schema.shape);
  const field = (key: string): fc.Arbitrary<unknown> => {
    let any: fc.Arbitrary<unknown> = value;
    if (key.endsWith('__r') && depth < 2) {
      const nested = fc.dictionary(fc.constantFrom('Name', 'Customer__c', 'Financial_System_Customer_Id__c', 'Transferred__c', 'Tax_Code__c'), value);
      const children = fc.record({ records: fc.array(recordOf(InvoiceLineSchema as never, depth + 1), { maxLength: 3 }) });
      any = fc.oneof(value, nested, children);
    } else if (key === 'Id' || key === 'Name') any = fc.oneof(fc.string({ maxLength: 4 }), value);
    const taken = schema.shape[key] as z.ZodType;
    return fc.oneof({ weight: 4 * keys.length, arbitrary: any.filter((v) => taken.safeParse(v).success) }, { weight: 1, arbitrary: any });
  };
  return fc.record(Object.fromEntries([...keys, 'Unknown__c'].map((k) => [k, k === 'Unknown__c' ? value : field(k)])), {
    requiredKeys: ['Id', 'Name'].filter((k) => keys.includes(k)),
  });
}

function outcome(run: () => unknown): { ok: true; json: string; value: unknown } | { ok: false; message: string } {
  try {
    const v = run();
    return { ok: true, json: JSON.stringify(v), value: v };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

const schemas = {
  CompanySchema,
  CustomerSchema,
  ProductSchema,
  InvoiceLineSchema,
  PaymentSchema,
  PaymentToExportSchema,
  CreditApplicationSchema,
  InvoiceSchema,
} as Record<string, z.ZodObject<z.ZodRawShape>>;

describe('a Salesforce record read through its compiled reader', () => {
  it.each(Object.keys(schemas))('then %s gives what zod gives, field for field and in order, or zod’s refusal', (name) => {
    const schema = schemas[name]!;
    let read = 0;
    fc.assert(
      fc.property(recordOf(schema), (raw) => {
        const fast = outcome(() => parseRecord(schema, raw));
        const zod = outcome(() => schema.parse(raw));
        expect(fast).toEqual(zod);
        if (fast.ok && zod.ok) {
          expect(fast.json).toBe(zod.json);
          read++;
        }
      }),
      { seed: 24, numRuns: 250 },
    );
    // Enough of them are records zod takes, not only refusals.
    expect(read).toBeGreaterThan(20);
  });

  it('when an invoice comes with its lines and payments, then every field is read as zod reads it', () => {
    const raw = {
      attributes: { type: 'Sales_Invoice__c' },
      Id: 'a0B000000000001AAA',
      Name: 'INV-0001',
      Customer__r: { attributes: {}, Name: 'Acme', Financial_System_Customer_Id__c: null },
      Approved__c: true,
      Freight__c: '12.5',
      Tax_Amount__c: 3,
      Sales_Invoice_Lines__r: { records: [{ Id: 'l1', Quantity__c: '2', Unit_Price__c: 9.99, Taxable__c: true, Product__r: null }] },
      Payments__r: { records: [{ Id: 'p1', Name: 'PAY-1', Amount__c: 10 }] },
    };
    const read = parseRecord(InvoiceSchema, raw);
    expect(JSON.stringify(read)).toBe(JSON.stringify(InvoiceSchema.parse(raw)));
    expect(read.Freight__c).toBe(12.5);
    expect(read.Sales_Invoice_Lines__r[0]!.Quantity__c).toBe(2);
    expect('attributes' in read).toBe(false);
  });

  it('when a number field is not a number, then the refusal is zod’s', () => {
    const raw = { Id: 'a', Name: 'n', Unit_Price__c: 'twelve' };
    expect(() => parseRecord(ProductSchema, raw)).toThrow(/expected number/);
  });
});
