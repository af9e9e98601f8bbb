// The Composite resource over HTTP: subrequests answer what the same calls answer on their own, the whole call counts
// once against the org's allowance, and the limits (25 subrequests, 5 queries or collections) answer as the org does.
import { seedInvoices, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let companyId: string;
let invoiceIds: string[];

beforeAll(async () => {
  emu = await startEmulator({ pageSize: 200 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.admin('POST', '/reset');
  ({ companyId, invoiceIds } = await seedInvoices(emu, 150));
  await emu.admin('POST', '/stats/reset');
});

const V = '/services/data/v62.0';
const queryUrl = (soql: string) => `${V}/query/?q=${encodeURIComponent(soql)}`;
const linesOf = (ids: string[]) =>
  `SELECT Id, Sales_Invoice__c, Line_Number__c FROM Sales_Invoice_Line__c WHERE Sales_Invoice__c IN (${ids.map((i) => `'${i}'`).join(', ')}) ORDER BY Sales_Invoice__c, Line_Number__c`;
const composite = (compositeRequest: unknown[], allOrNone = false) => emu.api('POST', '/composite', { allOrNone, compositeRequest });
const usage = (headers: Record<string, string>) => Number(/api-usage=(\d+)\//.exec(headers['sforce-limit-info'] ?? '')?.[1]);

describe('Salesforce emulator: POST /composite', () => {
  it('when five queries go in one call, then each answers what the query answers alone, and the call counts once', async () => {
    const chunks = [0, 30, 60, 90, 120].map((at) => invoiceIds.slice(at, at + 30));
    const res = await composite(chunks.map((ids, i) => ({ method: 'GET', url: queryUrl(linesOf(ids)), referenceId: `lines${i}` })));
    expect(res.status).toBe(200);
    const stats = (await emu.admin('GET', '/stats')).body;
    expect(stats.total).toBe(1);
    expect(stats.byEndpoint).toEqual({ 'POST /composite': 1 });
    expect(stats.byKind.composite).toBe(1);
    expect(stats.compositeSubrequests).toBe(5);
    const before = usage(res.headers);
    expect(res.body.compositeResponse).toHaveLength(5);
    for (const [i, ids] of chunks.entries()) {
      const alone = await emu.query(linesOf(ids));
      expect(res.body.compositeResponse[i]).toEqual({ body: alone.body, httpHeaders: {}, httpStatusCode: 200, referenceId: `lines${i}` });
      expect(alone.body.totalSize).toBe(60);
    }
    // The five queries alone took five calls; the composite call one.
    const after = usage((await emu.api('GET', '/limits')).headers);
    expect(after - before).toBe(6);
  });

  it('when a query does not fit a page, then its nextRecordsUrl continues as a query-more subrequest beside new queries', async () => {
    const first = await composite([
      { method: 'GET', url: queryUrl(linesOf(invoiceIds)), referenceId: 'all' },
      { method: 'GET', url: queryUrl(`SELECT COUNT() FROM Sales_Invoice__c WHERE Company__c = '${companyId}'`), referenceId: 'count' },
    ]);
    const [all, count] = first.body.compositeResponse;
    expect(all.body).toMatchObject({ totalSize: 300, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/) });
    expect(all.body.records).toHaveLength(200);
    expect(count.body).toEqual({ totalSize: 150, done: true, records: [] });
    const more = await composite([{ method: 'GET', url: all.body.nextRecordsUrl, referenceId: 'more' }]);
    expect(more.body.compositeResponse[0]).toMatchObject({ httpStatusCode: 200, referenceId: 'more', body: { totalSize: 300, done: true } });
    const alone = (await emu.query(linesOf(invoiceIds))).body;
    const rest = (await emu.api('GET', alone.nextRecordsUrl.replace(V, ''))).body;
    expect([...all.body.records, ...more.body.compositeResponse[0].body.records]).toEqual([...alone.records, ...rest.records]);
  });

  it('when one query names a field that does not exist, then that subrequest answers the query’s own 400 and the others still run', async () => {
    const res = await composite([
      { method: 'GET', url: queryUrl('SELECT Nope__c FROM Sales_Invoice__c'), referenceId: 'bad' },
      { method: 'GET', url: queryUrl(linesOf(invoiceIds.slice(0, 2))), referenceId: 'good' },
    ]);
    expect(res.status).toBe(200);
    const alone = await emu.query('SELECT Nope__c FROM Sales_Invoice__c');
    expect(alone.status).toBe(400);
    expect(res.body.compositeResponse[0]).toEqual({ body: alone.body, httpHeaders: {}, httpStatusCode: 400, referenceId: 'bad' });
    expect(res.body.compositeResponse[0].body[0].errorCode).toBe('INVALID_FIELD');
    expect(res.body.compositeResponse[1]).toMatchObject({ httpStatusCode: 200, referenceId: 'good', body: { totalSize: 4, done: true } });
  });

  it('when sObject Collections go in one call, then each saves its records as the call alone would, a bad record refused on its own', async () => {
    const update = (ids: string[], status: string) => ({
      method: 'PATCH',
      url: `${V}/composite/sobjects`,
      referenceId: `update_${status.replace(/\W/g, '')}`,
      body: { allOrNone: false, records: ids.map((Id) => ({ attributes: { type: 'Sales_Invoice__c' }, Id, Export_Status__c: status })) },
    });
    const res = await composite([
      update(invoiceIds.slice(0, 3), 'Exported'),
      update([...invoiceIds.slice(3, 5), 'a0Bxx0000000000AAA'], 'Error'),
      {
        method: 'POST',
        url: `${V}/composite/sobjects`,
        referenceId: 'create',
        body: { allOrNone: false, records: [{ attributes: { type: 'Customer__c' }, Name: 'Dune Outfitters' }] },
      },
    ]);
    expect(res.status).toBe(200);
    const [a, b, c] = res.body.compositeResponse;
    expect(a).toEqual({
      body: invoiceIds.slice(0, 3).map((id) => ({ id, success: true, errors: [] })),
      httpHeaders: {},
      httpStatusCode: 200,
      referenceId: 'update_Exported',
    });
    expect(b.httpStatusCode).toBe(200);
    expect(b.body.slice(0, 2)).toEqual(invoiceIds.slice(3, 5).map((id) => ({ id, success: true, errors: [] })));
    expect(b.body[2]).toMatchObject({ success: false, errors: [{ statusCode: expect.any(String) }] });
    expect(c.body).toEqual([{ id: expect.stringMatching(/^\w{18}$/), success: true, errors: [] }]);
    const invoices = new Map((await emu.records('Sales_Invoice__c')).map((r) => [r.Id, r.Export_Status__c]));
    expect(invoiceIds.slice(0, 5).map((id) => invoices.get(id))).toEqual(['Exported', 'Exported', 'Exported', 'Error', 'Error']);
    expect((await emu.records('Customer__c')).map((r) => r.Name)).toContain('Dune Outfitters');
    expect((await emu.admin('GET', '/stats')).body).toMatchObject({ total: 1, compositeRecords: 7, byEndpoint: { 'POST /composite': 1 } });
  });

  it('when allOrNone is true and a subrequest fails, then every write of the call is undone and the others answer PROCESSING_HALTED', async () => {
    const res = await composite(
      [
        { method: 'POST', url: `${V}/sobjects/Customer__c`, referenceId: 'made', body: { Name: 'Rolled Back Ltd' } },
        { method: 'GET', url: queryUrl('SELECT Nope__c FROM Customer__c'), referenceId: 'bad' },
        { method: 'POST', url: `${V}/sobjects/Customer__c`, referenceId: 'after', body: { Name: 'Never Made Ltd' } },
      ],
      true,
    );
    expect(res.status).toBe(200);
    const halted = [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }];
    expect(res.body.compositeResponse).toEqual([
      { body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'made' },
      { body: [expect.objectContaining({ errorCode: 'INVALID_FIELD' })], httpHeaders: {}, httpStatusCode: 400, referenceId: 'bad' },
      { body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'after' },
    ]);
    expect((await emu.records('Customer__c')).map((r) => r.Name).sort()).toEqual(['Bolt Hardware', 'Cobalt Cafe']);
  });

  it('when a record is created alone in a call, then its subrequest carries the 201 and the Location header', async () => {
    const res = await composite([{ method: 'POST', url: `${V}/sobjects/Customer__c`, referenceId: 'made', body: { Name: 'Dune Outfitters' } }]);
    const [made] = res.body.compositeResponse;
    expect(made).toEqual({
      body: { id: expect.any(String), success: true, errors: [] },
      httpHeaders: { Location: `${V}/sobjects/Customer__c/${made.body.id}` },
      httpStatusCode: 201,
      referenceId: 'made',
    });
  });

  it('when a call carries 26 subrequests, or six queries, then the org refuses it whole with LIMIT_EXCEEDED and runs none', async () => {
    const create = (i: number) => ({ method: 'POST', url: `${V}/sobjects/Customer__c`, referenceId: `c${i}`, body: { Name: `Customer ${i}` } });
    const tooMany = await composite(Array.from({ length: 26 }, (_, i) => create(i)));
    expect(tooMany.status).toBe(200);
    expect(tooMany.body).toEqual({
      compositeResponse: [
        {
          body: [{ errorCode: 'LIMIT_EXCEEDED', message: 'The request can’t contain more than 25 operations.' }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: null,
        },
      ],
    });
    const query = (i: number) => ({ method: 'GET', url: queryUrl('SELECT Id FROM Customer__c'), referenceId: `q${i}` });
    const sixQueries = await composite([create(0), ...Array.from({ length: 6 }, (_, i) => query(i))]);
    expect(sixQueries.body.compositeResponse).toEqual([
      { body: [{ errorCode: 'LIMIT_EXCEEDED', message: expect.stringMatching(/more than 5/) }], httpHeaders: {}, httpStatusCode: 400, referenceId: null },
    ]);
    expect((await emu.records('Customer__c')).map((r) => r.Name).sort()).toEqual(['Bolt Hardware', 'Cobalt Cafe']);
    // 25 subrequests of which five queries is within the limits.
    const fits = await composite([...Array.from({ length: 20 }, (_, i) => create(i)), ...Array.from({ length: 5 }, (_, i) => query(i))]);
    expect(fits.body.compositeResponse).toHaveLength(25);
    expect(fits.body.compositeResponse.every((r: { httpStatusCode: number }) => r.httpStatusCode < 300)).toBe(true);
  });

  it('when the body has no compositeRequest, then the call is refused with 400 JSON_PARSER_ERROR', async () => {
    const res = await emu.api('POST', '/composite', { allOrNone: false });
    expect(res.status).toBe(400);
    expect(res.body[0].errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('when a subrequest names a resource composite does not serve, then it answers 404 NOT_FOUND', async () => {
    const res = await composite([{ method: 'GET', url: `${V}/limits`, referenceId: 'limits' }]);
    expect(res.body.compositeResponse[0]).toMatchObject({ httpStatusCode: 404, referenceId: 'limits', body: [{ errorCode: 'NOT_FOUND' }] });
  });

  it('when a fault is scripted for composite calls, then the whole call answers it (503) and runs nothing', async () => {
    await emu.admin('POST', '/faults', { kind: 'http503', match: { kind: 'composite', path: '/composite' } });
    const res = await composite([{ method: 'POST', url: `${V}/sobjects/Customer__c`, referenceId: 'made', body: { Name: 'Dune Outfitters' } }]);
    expect(res.status).toBe(503);
    expect(res.body).toEqual([{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    expect((await emu.records('Customer__c')).map((r) => r.Name)).not.toContain('Dune Outfitters');
  });
});
