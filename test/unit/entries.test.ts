// The Process Log's wording: each constructor's sentence, level and outcome, and how entries count.
import * as entry from '../../service/src/export/entries';

const ada = { id: 'a01000000000001AAA', name: 'Ada Lovelace' };
const inv = { id: 'a03000000000001AAA', name: 'SI-000001' };

describe('Process Log entries', () => {
  it('when a record is matched, then the entry names the record, the QuickBooks id and how', () => {
    expect(entry.matched('customer', ada, '58', { by: 'email' })).toEqual({
      level: 'INFO',
      outcome: 'Matched',
      recordType: 'Customer',
      recordId: ada.id,
      recordName: 'Ada Lovelace',
      targetId: '58',
      message: 'Customer Ada Lovelace matched QuickBooks customer 58 by email.',
    });
    expect(entry.matched('product', { id: 'p', name: 'Gear' }, '7', { by: 'sku', ambiguous: true }).message).toBe(
      'Product Gear matched QuickBooks item 7 by SKU (several fitted; the oldest was used).',
    );
    expect(entry.matched('customer', ada, '58', { by: 'sameRun', firstName: 'Ada L.' }).message).toBe(
      'Customer Ada Lovelace matched QuickBooks customer 58 as the record "Ada L." created in this export.',
    );
  });

  it('when a record was created by an earlier export, then the sentence says so in words that read', () => {
    expect(entry.matched('invoice', inv, '12', { by: 'earlierExport' }).message).toBe(
      'Invoice SI-000001 matched QuickBooks invoice 12 created by an earlier export.',
    );
  });

  it('when a requested invoice belongs to a company whose name ends in a period, then the sentence has one period', () => {
    const e = entry.requestedNotExported('SI-9', 'otherCompany', 'Northwind Trading Co.');
    expect(e.message).toBe('Invoice SI-9 was not exported: it belongs to another Company than Northwind Trading Co.');
  });

  it('when a record is created, then the entry says what it became', () => {
    expect(entry.created('customer', ada, { id: '59', name: 'Ada Lovelace (C)' }).message).toBe(
      'Customer Ada Lovelace created in QuickBooks (Id 59) as "Ada Lovelace (C)".',
    );
    expect(entry.created('product', { id: 'p', name: 'Gear' }, { id: '7', name: 'Gear', type: 'Inventory' }).message).toBe(
      'Product Gear created in QuickBooks (Id 7) as Inventory item "Gear".',
    );
    expect(entry.created('invoice', inv, { id: '130', number: 'NW-SI-000001' }).message).toBe(
      'Invoice SI-000001 created in QuickBooks (Id 130) as QuickBooks invoice NW-SI-000001.',
    );
  });

  it('when a customer is renamed, then the reason is named, in the future for a dry run and with the fix once done', () => {
    const planned = entry.renamed(ada, 'Ada Lovelace', 'Ada Lovelace (C)', 'reserved');
    expect(planned).toMatchObject({ level: 'WARN', outcome: 'Renamed', fix: undefined });
    expect(planned.message).toBe(
      'Customer "Ada Lovelace" would be created in QuickBooks as "Ada Lovelace (C)" because a QuickBooks vendor, employee or customer already uses "Ada Lovelace".',
    );
    const done = entry.renamed(ada, 'Ada Lovelace', 'Ada Lovelace (ada@x.example)', 'emailDiffers', '60');
    expect(done.message).toMatch(
      /^Customer "Ada Lovelace" was created in QuickBooks as "Ada Lovelace \(ada@x\.example\)" because a QuickBooks customer already named/,
    );
    expect(done.fix).toContain('Ledgerline keeps the link by Id');
  });

  it('when QuickBooks refuses a record, then the entry carries its words, the fix for the kind of fault and the trace id', () => {
    const e = entry.createRefused(
      'product',
      { id: 'p', name: 'Gear' },
      { class: 'inactiveReference', message: 'Object Not Found', traceId: 'tid-1', httpStatus: 400 },
    );
    expect(e).toMatchObject({
      level: 'ERROR',
      outcome: 'Error',
      traceId: 'tid-1',
      httpStatus: 400,
      message: 'Product Gear could not be created in QuickBooks: Object Not Found.',
    });
    expect(e.fix).toContain('inactive or deleted in QuickBooks');
    expect(entry.numberTaken(inv, 'NW-SI-000001', '77').message).toBe(
      'Invoice SI-000001 was not exported: QuickBooks already has an invoice numbered NW-SI-000001 (QuickBooks invoice Id 77).',
    );
    expect(entry.fixFor(undefined, 'invoice')).toBe('Correct the invoice as the QuickBooks message says and export again.');
  });

  it('when a name match has another email, then both emails are named with what to do', () => {
    const e = entry.emailsDiffer(ada, '58', 'A. Lovelace', 'ada@example.com', 'countess@example.org');
    expect(e).toMatchObject({ level: 'WARN', outcome: 'Warning', targetId: '58' });
    expect(e.message).toBe(
      'Customer Ada Lovelace (ada@example.com) was matched by name to "A. Lovelace", whose email is countess@example.org: check that they are the same customer.',
    );
  });

  it('when entries are counted, then shortenings are warnings, summaries count nothing', () => {
    const counts = entry.emptyCounts();
    for (const e of [
      entry.shortened('customer', ada, ['name shortened']),
      entry.created('invoice', inv, { id: '1' }),
      entry.summary('N', false, 'succeeded', entry.emptyCounts(), null),
    ])
      entry.count(counts, e);
    expect(counts).toEqual({ created: 1, matched: 0, renamed: 0, skipped: 0, warnings: 1, errors: 0 });
  });

  it('when a dry run is summed up, then it says what would happen, not "Created 0"', () => {
    const totals = {
      customers: { match: 4, create: 16, rename: 1, fail: 0 },
      products: { match: 2, create: 9, rename: 0, fail: 0 },
      invoices: { match: 0, create: 24, rename: 0, fail: 1 },
      payments: { match: 0, create: 0, rename: 0, fail: 0 },
    };
    const text = entry.summaryText('Northwind', true, 'completed_with_errors', { ...entry.emptyCounts(), warnings: 3 }, null, totals);
    expect(text).toBe('Dry run for Northwind: completed with errors. Would create 49, match 6, rename 1, fail 1; warnings 3.');
  });

  it('when a requested number was not exported, then the reason decides the level', () => {
    expect(entry.requestedNotExported('SI-9', 'unknown', 'N')).toMatchObject({ level: 'ERROR', outcome: 'Error', recordName: 'SI-9' });
    expect(entry.requestedNotExported('SI-9', 'transferred', 'N')).toMatchObject({ level: 'WARN', outcome: 'Skipped' });
    expect(entry.requestedNotExported('SI-9', 'outsideDates', 'N', 'x', { fromDate: '2026-01-01', toDate: '2026-01-31' }).message).toBe(
      'Invoice SI-9 was not exported: its invoice date is outside the requested dates (2026-01-01 to 2026-01-31).',
    );
  });
});
