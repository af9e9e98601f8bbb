// The repository's reads split by ids and its collection writes, packed into Salesforce's /composite resource against
// the emulator: invoice lines read five queries a call and exactly as the queries alone read them, a write of 1,000
// records in one call with every record answered on its own, and failures (a refused query, a 503) that behave as the
// same calls made alone.
import jsforce from 'jsforce';
import { z } from 'zod';
import { SalesforceUnavailableError } from '../../service/src/errors';
import { chunksThatFit, SalesforceRepository, type CompanyRef } from '../../service/src/salesforce/repository';
import { seedInvoices, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let company: CompanyRef;
let invoiceIds: string[];
const connect = () =>
  new SalesforceRepository(new jsforce.Connection({ instanceUrl: emu.url, accessToken: emu.token, version: '62.0' }), { readRetryDelayMs: 10 });

beforeAll(async () => {
  emu = await startEmulator();
  const seeded = await seedInvoices(emu, 3000);
  invoiceIds = seeded.invoiceIds;
  company = { Id: seeded.companyId, QuickBooks_Primary_Company__c: true, Invoice_Status_Filter__c: null };
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.admin('DELETE', '/faults');
  await emu.admin('POST', '/stats/reset');
});

const stats = async () => (await emu.admin('GET', '/stats')).body;
const byId = (chunk: string[]) => `SELECT Id, Name FROM Sales_Invoice__c WHERE Id IN (${chunk.map((i) => `'${i}'`).join(', ')}) ORDER BY Name`;
const Invoice = z.object({ Id: z.string(), Name: z.string() });
const Line = z.object({ Id: z.string(), Sales_Invoice__c: z.string() });
const Any = z.record(z.string(), z.unknown());

describe('reads in /composite calls', () => {
  it('when 3,000 invoices are read for export, then each has its lines in order, read five queries a call, in far fewer calls than a query each', async () => {
    const repo = connect();
    const invoices = [];
    for await (const page of repo.invoicesToExport(company, {})) invoices.push(...page);

    expect(invoices).toHaveLength(3000);
    expect(invoices.every((i) => i.Sales_Invoice_Lines__r.map((l) => l.Line_Number__c).join() === '1,2')).toBe(true);
    const sf = await stats();
    // Two pages of invoices (2,000 and 1,000), the run's payments: the calls that are not the lines'.
    expect(sf.byEndpoint['GET /query']).toBe(2);
    expect(sf.byEndpoint['GET /query/:locator']).toBe(1);
    // The lines took one query per chunk of ids that fits a URI: each a call of its own before, five a call now.
    const lineQueries = sf.compositeSubrequests;
    expect(lineQueries).toBeGreaterThanOrEqual(6);
    expect(sf.byEndpoint['POST /composite']).toBeLessThanOrEqual(Math.ceil(lineQueries / 5) + 1);
    expect(sf.total).toBe(3 + sf.byEndpoint['POST /composite']);
    expect(sf.total).toBeLessThan(3 + lineQueries);
    expect(repo.calls).toMatchObject({ query: 2, queryMore: 1, compositeReads: sf.byEndpoint['POST /composite'] });
  });

  it('when queries do not fit a page, then each continues through its nextRecordsUrl in the next call, all rows read', async () => {
    const repo = connect();
    // Every line of the company but those of a chunk: over 5,000 rows a query, three pages each.
    const others = (chunk: string[]) =>
      `SELECT Id, Sales_Invoice__c FROM Sales_Invoice_Line__c WHERE Sales_Invoice__r.Company__c = '${company.Id}' ` +
      `AND Sales_Invoice__c NOT IN (${chunk.map((i) => `'${i}'`).join(', ')}) ORDER BY Id`;
    const ids = invoiceIds.slice(0, 1200);
    const chunks = chunksThatFit(ids, others);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.length).toBeLessThanOrEqual(5);

    const rows = await repo.selectInChunks(ids, others, Line);

    const sf = await stats();
    expect(sf.byEndpoint).toEqual({ 'POST /composite': 3 }); // first pages, second pages, third pages
    expect(sf.compositeSubrequests).toBe(3 * chunks.length);
    const alone = [];
    for (const chunk of chunks) alone.push(...(await repo.select(others(chunk), Line)));
    expect(rows).toEqual(alone);
    expect(rows).toHaveLength(chunks.reduce((n, c) => n + 6000 - 2 * c.length, 0));
  });

  it('when one query of a call names a field that does not exist, then the read fails with the error that query alone raises', async () => {
    const repo = connect();
    const bad = (chunk: string[]) => `SELECT Id, Nope__c FROM Sales_Invoice__c WHERE Id IN (${chunk.map((i) => `'${i}'`).join(', ')})`;
    // Every query of the call fails; the first one's error is the one raised, as the first query alone raises it.
    const alone = await repo.select(bad(chunksThatFit(invoiceIds, bad)[0]!), Any).catch((e: unknown) => e);
    await emu.admin('POST', '/stats/reset');
    const packed = await repo.selectInChunks(invoiceIds, bad, Any).catch((e: unknown) => e);

    expect((await stats()).byEndpoint).toEqual({ 'POST /composite': 1 }); // refused, not retried
    expect(packed).toBeInstanceOf(Error);
    expect(packed).not.toBeInstanceOf(SalesforceUnavailableError);
    expect(packed).toMatchObject({ name: 'INVALID_FIELD', errorCode: 'INVALID_FIELD', message: (alone as Error).message });
    expect(alone).toMatchObject({ name: 'INVALID_FIELD', errorCode: 'INVALID_FIELD' });
  });

  it('when a composite read answers 503 once, then it is tried once more and reads everything; twice, then Salesforce is unavailable', async () => {
    const repo = connect();
    await emu.admin('POST', '/faults', { kind: 'http503', count: 1, match: { kind: 'composite', path: '/composite' } });
    const rows = await repo.selectInChunks(invoiceIds, byId, Invoice);
    expect(rows.map((r) => r.Id).sort()).toEqual([...invoiceIds].sort());
    const once = await stats();
    expect(once.byEndpoint['POST /composite']).toBe(Math.ceil(once.compositeSubrequests / 5) + 1);

    await emu.admin('POST', '/faults', { kind: 'http503', count: 2, match: { kind: 'composite', path: '/composite' } });
    const failed = await repo.selectInChunks(invoiceIds, byId, Invoice).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SalesforceUnavailableError);
    expect(failed).toMatchObject({ reason: 'server', salesforceCode: 'SERVER_UNAVAILABLE' });
  });
});

describe('collection writes in /composite calls', () => {
  const update = (ids: string[], memo: string) => ids.map((Id) => ({ type: 'Sales_Invoice__c', Id, Memo__c: memo }));

  it('when 1,000 records are updated, then one call carries five collections and every record is answered in order, a bad one on its own', async () => {
    const repo = connect();
    const records = update(invoiceIds.slice(0, 1000), 'written in one call');
    records[437] = { type: 'Sales_Invoice__c', Id: 'a0Bxx0000000000AAA', Memo__c: 'no such invoice' };
    const results = await repo.update(records);

    expect((await stats()).byEndpoint).toEqual({ 'POST /composite': 1 });
    expect(results).toHaveLength(1000);
    expect(results.filter((r) => !r.success)).toEqual([{ id: null, success: false, errors: [expect.objectContaining({ statusCode: expect.any(String) })] }]);
    expect(results[437]!.success).toBe(false);
    expect(results.map((r) => r.id).filter((id, i) => i !== 437)).toEqual(invoiceIds.slice(0, 1000).filter((_, i) => i !== 437));
    const memos = new Map((await emu.records('Sales_Invoice__c')).map((r) => [r.Id, r.Memo__c]));
    expect(invoiceIds.slice(0, 1000).filter((id, i) => i !== 437 && memos.get(id) !== 'written in one call')).toEqual([]);
    expect(memos.get(invoiceIds[437]!)).not.toBe('written in one call');
    expect(repo.calls.composite).toBe(1);
  });

  it('when 1,001 records are updated, then the 1,001st goes in a collection call of its own', async () => {
    const results = await connect().update(update(invoiceIds.slice(0, 1001), 'second write'));
    expect(results.every((r) => r.success)).toBe(true);
    expect((await stats()).byEndpoint).toEqual({ 'POST /composite': 1, 'PATCH /composite/sobjects': 1 });
  });

  it('when the composite write answers 503, then it is not repeated here and Salesforce is unavailable', async () => {
    await emu.admin('POST', '/faults', { kind: 'http503', count: 1, match: { method: 'POST', kind: 'composite', path: '/composite' } });
    const failed = await connect()
      .update(update(invoiceIds.slice(0, 400), 'never written'))
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SalesforceUnavailableError);
    expect((await stats()).byEndpoint).toEqual({ 'POST /composite': 1 });
    expect((await emu.records('Sales_Invoice__c')).some((r) => r.Memo__c === 'never written')).toBe(false);
  });
});
