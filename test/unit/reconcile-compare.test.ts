// The reconciliation's pure comparison: Salesforce's documents against QuickBooks' for a period, with the export's
// journal — which records differ, how, why and what fixes it; and each side's totals.
import { compare, type CompareInput } from '../../service/src/reconcile/compare';
import { differencesCsv } from '../../service/src/reconcile/csv';
import { splitExportError } from '../../service/src/reconcile/messages';
import type { SourceDocument, TargetDocument } from '../../service/src/reconcile/model';

const COMPANY = 'a01000000000001AAA';
const period = { from: '2026-10-01', to: '2026-10-31' };

const sf = (n: number, extra: Partial<SourceDocument> = {}): SourceDocument => ({
  id: `a03${String(n).padStart(15, '0')}`,
  number: `SI-${String(n).padStart(6, '0')}`,
  companyId: COMPANY,
  kind: 'invoice',
  date: '2026-10-05',
  total: 100,
  customerTargetId: '58',
  targetId: String(100 + n),
  targetNumber: `NW-SI-${String(n).padStart(6, '0')}`,
  exportStatus: 'Exported',
  lastError: null,
  paid: 0,
  inPeriod: true,
  ...extra,
});

const qb = (s: SourceDocument, extra: Partial<TargetDocument> = {}): TargetDocument => ({
  id: s.targetId!,
  form: 'invoice',
  number: s.targetNumber,
  date: s.date,
  customerId: s.customerTargetId,
  total: s.total,
  balance: s.total,
  voided: false,
  sourceId: s.id,
  createdAt: '2026-11-02T10:00:00Z',
  inPeriod: true,
  ...extra,
});

const run = (input: Partial<CompareInput>) =>
  compare({
    period,
    companyId: COMPANY,
    expectedNumber: (s) => `NW-${s.number}`,
    source: [],
    target: [],
    journal: [],
    since: new Date('2026-11-01T00:00:00Z'),
    ...input,
  });

describe('reconciliation: which records differ', () => {
  it('when every exported invoice is in QuickBooks as sent, then nothing differs and the totals agree', () => {
    const a = sf(1, { paid: 40 });
    const b = sf(2, { kind: 'creditMemo', total: 25 });
    const result = run({ source: [a, b], target: [qb(a, { balance: 60 }), qb(b, { form: 'creditMemo' })] });
    expect(result.differences).toEqual([]);
    expect(result.totals.salesforce).toEqual(result.totals.quickbooks);
    expect(result.totals.salesforce).toEqual({
      invoices: { count: 1, total: 100 },
      creditMemos: { count: 1, total: 25 },
      payments: { total: 40 },
      openBalance: 60,
    });
  });

  it('when QuickBooks holds another document under the number a refused invoice needed, then one difference names both, with the export error as cause and its fix', () => {
    const refused = sf(7, {
      targetId: null,
      targetNumber: null,
      exportStatus: 'Error',
      lastError:
        'Invoice SI-000007 was not exported: QuickBooks already has an invoice numbered NW-SI-000007 (code 6140)\nFix: Change the Invoice Number Prefix.',
    });
    const keyedByHand: TargetDocument = { ...qb(sf(7)), id: '990', sourceId: null, customerId: '12', total: 310 };
    const result = run({ source: [refused], target: [keyedByHand] });
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'missing_in_quickbooks',
        salesforce: { id: refused.id, name: 'SI-000007' },
        quickbooks: { id: '990', form: 'invoice', docNumber: 'NW-SI-000007' },
        salesforceValue: '100.00',
        fix: 'Change the Invoice Number Prefix.',
      }),
    ]);
    expect(result.differences[0]!.cause).toBe(
      'Invoice SI-000007 was not exported: QuickBooks already has an invoice numbered NW-SI-000007 (code 6140). ' +
        "QuickBooks invoice NW-SI-000007 (Id 990) holds its number and is another document (it does not carry this invoice's marker).",
    );
  });

  it('when an approved invoice was never exported, then it is missing in QuickBooks with "not exported yet" and the way to export it', () => {
    const result = run({ source: [sf(3, { targetId: null, targetNumber: null, exportStatus: 'Not Exported' })] });
    expect(result.differences).toEqual([expect.objectContaining({ kind: 'missing_in_quickbooks', quickbooks: null })]);
    expect(result.differences[0]!.cause).toBe('Sales Invoice SI-000003 is approved but has not been exported yet.');
    expect(result.differences[0]!.fix).toMatch(/Export it/);
  });

  it('when the journal says an export was sending it, then the cause says the answer was lost and the fix is to export again', () => {
    const s = sf(4, { targetId: null, targetNumber: null });
    const result = run({ source: [s], journal: [{ recordId: s.id, state: 'sent', targetId: null, error: null }] });
    expect(result.differences[0]).toMatchObject({ kind: 'missing_in_quickbooks', fix: expect.stringMatching(/^Export again/) });
  });

  it('when an exported invoice is no longer in QuickBooks, then it was deleted there (both ids named); one only the journal links is found too', () => {
    const gone = sf(5);
    const unwritten = sf(6, { targetId: null });
    const result = run({ source: [gone, unwritten], journal: [{ recordId: unwritten.id, state: 'created', targetId: '777', error: null }] });
    expect(result.differences.map((d) => [d.kind, d.salesforce?.name, d.quickbooks?.id])).toEqual([
      ['deleted_in_quickbooks', 'SI-000005', '105'],
      ['deleted_in_quickbooks', 'SI-000006', '777'],
    ]);
  });

  it('when QuickBooks voided an invoice, then it is voided in QuickBooks (and not also an amount difference)', () => {
    const s = sf(8);
    const result = run({ source: [s], target: [qb(s, { voided: true, total: 0, balance: 0 })] });
    expect(result.differences).toEqual([expect.objectContaining({ kind: 'voided_in_quickbooks', salesforceValue: '100.00', quickbooksValue: '0.00' })]);
  });

  it('when the total, date and customer were changed in QuickBooks, then each is a difference with both values', () => {
    const s = sf(9);
    const result = run({ source: [s], target: [qb(s, { total: 120.5, date: '2026-10-07', customerId: '61' })] });
    expect(result.differences.map((d) => [d.kind, d.salesforceValue, d.quickbooksValue])).toEqual([
      ['amount_different', '100.00', '120.50'],
      ['customer_different', '58', '61'],
      ['date_different', '2026-10-05', '2026-10-07'],
    ]);
  });

  it('when a QuickBooks document of the period has no Salesforce invoice, then it is missing in Salesforce: keyed in QuickBooks, or its Salesforce record deleted', () => {
    const keyed: TargetDocument = { ...qb(sf(10)), sourceId: null, number: '1050' };
    const orphan: TargetDocument = { ...qb(sf(11)), sourceId: 'a03000000000000999' };
    const result = run({ target: [keyed, orphan] });
    expect(result.differences.map((d) => [d.kind, d.quickbooks?.docNumber, d.salesforce])).toEqual([
      ['missing_in_salesforce', '1050', null],
      ['missing_in_salesforce', 'NW-SI-000011', null],
    ]);
    expect(result.differences[1]!.cause).toMatch(/Salesforce record a03000000000000999, which Salesforce no longer holds/);
  });

  it("when a document's marker names another company's invoice, then it is that company's and not listed", () => {
    const theirs = sf(12, { companyId: 'a01000000000002AAA', inPeriod: false });
    expect(run({ source: [theirs], target: [qb(theirs)] }).differences).toEqual([]);
  });

  it('when QuickBooks holds two documents for one invoice, or two invoices link to one document, then it is linked twice', () => {
    const s = sf(13);
    const copy: TargetDocument = { ...qb(s), id: '913' };
    const a = sf(14);
    const b = sf(15, { targetId: a.targetId });
    const result = run({ source: [s, a, b], target: [qb(s), copy, { ...qb(a), sourceId: null }] });
    expect(
      result.differences.map((d) => [d.kind, d.salesforce?.name, d.otherSalesforce?.name ?? null, d.quickbooks?.id, d.otherQuickbooks?.id ?? null]),
    ).toEqual([
      ['linked_twice', 'SI-000013', null, '113', '913'],
      ['linked_twice', 'SI-000014', 'SI-000015', '114', null],
    ]);
    expect(result.differences[0]!.fix).toBe('Void or delete QuickBooks invoice NW-SI-000013 (Id 913) in QuickBooks (Salesforce links to the other).');
  });

  it('when an invoice moved out of the period in QuickBooks (read by its id), then it is a date difference, not missing', () => {
    const s = sf(16);
    const result = run({ source: [s], target: [qb(s, { date: '2026-11-02', inPeriod: false })] });
    expect(result.differences.map((d) => d.kind)).toEqual(['date_different']);
    expect(result.totals.quickbooks.invoices.count).toBe(0);
  });
});

describe('reconciliation: the books before Ledgerline', () => {
  it('when an unmarked QuickBooks document of the period was created before the first export and nothing links to it, then it is counted apart, not listed', () => {
    const old: TargetDocument = { ...qb(sf(20)), sourceId: null, number: '1038', total: 75, createdAt: '2026-10-20T09:00:00Z' };
    const later: TargetDocument = { ...old, id: '921', number: '1039', createdAt: '2026-11-03T09:00:00Z' };
    const result = run({ target: [old, later] });
    expect(result.differences.map((d) => [d.kind, d.quickbooks?.docNumber])).toEqual([['missing_in_salesforce', '1039']]);
    expect(result.notCompared).toEqual({ count: 1, total: 75 });
    expect(result.totals.quickbooks.invoices).toEqual({ count: 1, total: 75 });
  });
});

describe("the export's last error", () => {
  it('when it carries a fix, then message and fix are parted', () => {
    expect(splitExportError('Refused.\nFix: Do this.')).toEqual({ message: 'Refused.', fix: 'Do this.' });
    expect(splitExportError('Refused.')).toEqual({ message: 'Refused.', fix: null });
  });
});

describe('the differences as CSV', () => {
  it('when a cause holds quotes and commas, then every field is quoted, quotes doubled, rows end in CRLF', () => {
    const [d] = run({ source: [sf(30, { targetId: null, lastError: 'Refused "SI-000030", twice.\nFix: Do it.' })] }).differences;
    const csv = differencesCsv([d!]);
    expect(csv.split('\r\n')).toEqual([
      '"Difference","Sales Invoice","Salesforce Id","QuickBooks Form","QuickBooks Number","QuickBooks Id","Salesforce Value","QuickBooks Value","Cause","Fix"',
      `"missing_in_quickbooks","SI-000030","${sf(30).id}","","","","100.00","","Refused ""SI-000030"", twice.","Do it."`,
      '',
    ]);
  });
});
