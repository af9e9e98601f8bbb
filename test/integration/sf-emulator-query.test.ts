// The query resource over HTTP: SOQL subset, paging with nextRecordsUrl, cursors and errors.
import { http, seedInvoices, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let invoiceIds: string[];

beforeAll(async () => {
  emu = await startEmulator();
  ({ invoiceIds } = await seedInvoices(emu, 2600));
});

afterAll(async () => {
  await emu.close();
});

describe('Salesforce emulator: query resource', () => {
  it('when a query matches more than one page, then pages of 2000 chain through nextRecordsUrl', async () => {
    const first = await emu.query('SELECT Id, Name FROM Sales_Invoice__c ORDER BY Name');
    expect(first.status).toBe(200);
    expect(first.body.totalSize).toBe(2600);
    expect(first.body.done).toBe(false);
    expect(first.body.records).toHaveLength(2000);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
    expect(Object.keys(first.body)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);

    const second = await http(`${emu.url}${first.body.nextRecordsUrl}`, 'GET', undefined, { authorization: `Bearer ${emu.token}` });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ totalSize: 2600, done: true });
    expect(second.body.nextRecordsUrl).toBeUndefined();
    expect(second.body.records).toHaveLength(600);
    expect(second.body.records[599].Name).toBe('SI-002600');
  });

  it('when Sforce-Query-Options asks for batchSize=500, then pages hold 500 records', async () => {
    const first = await emu.query('SELECT Id FROM Sales_Invoice__c', { 'Sforce-Query-Options': 'batchSize=500' });
    expect(first.body.records).toHaveLength(500);
    expect(first.body.nextRecordsUrl).toMatch(/-500$/);
    const next = await http(`${emu.url}${first.body.nextRecordsUrl}`, 'GET', undefined, {
      authorization: `Bearer ${emu.token}`,
      'Sforce-Query-Options': 'batchSize=500',
    });
    expect(next.body.records).toHaveLength(500);
    expect(next.body.nextRecordsUrl).toMatch(/-1000$/);
  });

  it('when records change after the first page, then later pages still show the result as queried', async () => {
    const first = await emu.query("SELECT Id, Export_Status__c FROM Sales_Invoice__c WHERE Export_Status__c = 'Not Exported' ORDER BY Name");
    const lastId = invoiceIds[2599];
    const patched = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${lastId}`, { Export_Status__c: 'Exported' });
    expect(patched.status).toBe(204);
    const second = await http(`${emu.url}${first.body.nextRecordsUrl}`, 'GET', undefined, { authorization: `Bearer ${emu.token}` });
    const last = second.body.records[second.body.records.length - 1];
    expect(last).toMatchObject({ Id: lastId, Export_Status__c: 'Not Exported' });
    await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${lastId}`, { Export_Status__c: 'Not Exported' });
  });

  it('when the locator is unknown, then INVALID_QUERY_LOCATOR comes back', async () => {
    const res = await emu.api('GET', '/query/01gAAAAAAAAAAAAAAA-2000');
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('when queryAll is used, then it answers like query', async () => {
    const res = await emu.api('GET', `/queryAll?q=${encodeURIComponent('SELECT COUNT() FROM Sales_Invoice__c')}`);
    expect(res.body).toEqual({ totalSize: 2600, done: true, records: [] });
  });

  it('when a query selects parents and a child subquery, then the nested shapes match the REST API', async () => {
    const res = await emu.query(
      "SELECT Id, Name, Company__r.QuickBooks_Realm_Id__c, Customer__r.Name, (SELECT Id, Line_Number__c, Product__r.Name FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c WHERE Name = 'SI-000001'",
    );
    expect(res.body.totalSize).toBe(1);
    const r = res.body.records[0];
    expect(r.Company__r).toMatchObject({ attributes: { type: 'Company__c' }, QuickBooks_Realm_Id__c: '9130' });
    expect(r.Customer__r).toMatchObject({ attributes: { type: 'Customer__c' }, Name: 'Bolt Hardware' });
    expect(r.Sales_Invoice_Lines__r.totalSize).toBe(2);
    expect(r.Sales_Invoice_Lines__r.records[0]).toMatchObject({
      attributes: { type: 'Sales_Invoice_Line__c' },
      Line_Number__c: 1,
      Product__r: { attributes: { type: 'Product__c' }, Name: 'Widget' },
    });
  });

  it('when nothing matches, then the answer is an empty done result', async () => {
    const res = await emu.query("SELECT Id FROM Sales_Invoice__c WHERE Name = 'nope'");
    expect(res.body).toEqual({ totalSize: 0, done: true, records: [] });
  });

  it('when a field is unknown, then a 400 carries the positioned INVALID_FIELD message', async () => {
    const soql = 'SELECT Id, Foo__c FROM Sales_Invoice__c';
    const res = await emu.query(soql);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: `\n${soql}\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Sales_Invoice__c'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        errorCode: 'INVALID_FIELD',
      },
    ]);
  });

  it('when the syntax is wrong or q is missing, then MALFORMED_QUERY comes back', async () => {
    const bad = await emu.query('SELECT FROM Sales_Invoice__c');
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const missing = await emu.api('GET', '/query');
    expect(missing.body).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });

  it('when 20,000 rows are filtered with a parent condition, then the query is quick', async () => {
    const big = await startEmulator();
    try {
      await seedInvoices(big, 20000);
      const started = Date.now();
      const res = await big.query(
        "SELECT Id, Name, Customer__r.Name FROM Sales_Invoice__c WHERE Approved__c = true AND Customer__r.Name = 'Cobalt Cafe' ORDER BY Name",
      );
      const elapsed = Date.now() - started;
      expect(res.body.totalSize).toBe(10000);
      expect(elapsed).toBeLessThan(1500);
    } finally {
      await big.close();
    }
  });
});
