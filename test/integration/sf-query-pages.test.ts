// Query pages as an org cuts them: child rows count toward a page, a long child list is cut and gets its own
// nextRecordsUrl, pages shrink to 200 rows when two long-text fields are selected; and the column metadata
// (columns=true) the Salesforce CLI lays its tables out by.
import jsforce from 'jsforce';
import { http, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let bigInvoiceId: string;

const get = (path: string, headers: Record<string, string> = {}) =>
  http(`${emu.url}${path}`, 'GET', undefined, { authorization: `Bearer ${emu.token}`, ...headers });

beforeAll(async () => {
  emu = await startEmulator();
  await emu.seed({ Company__c: [{ Name: 'Acme US' }], Customer__c: [{ Name: 'Bolt Hardware', Email__c: 'ap@bolt.example' }] });
  const companyId = (await emu.records('Company__c'))[0].Id as string;
  const customerId = (await emu.records('Customer__c'))[0].Id as string;
  await emu.seed({
    Sales_Invoice__c: Array.from({ length: 2600 }, (_, i) => ({
      Name: `SI-${String(i + 1).padStart(6, '0')}`,
      Company__c: companyId,
      Customer__c: customerId,
      Memo__c: `Memo ${i}`,
      Last_Export_Error__c: i % 2 ? null : 'QuickBooks said no',
    })),
  });
  bigInvoiceId = (await emu.records('Sales_Invoice__c'))[0].Id as string;
  const secondId = (await emu.records('Sales_Invoice__c'))[1].Id as string;
  await emu.seed({
    Sales_Invoice_Line__c: [
      ...Array.from({ length: 1200 }, (_, i) => ({ Sales_Invoice__c: bigInvoiceId, Line_Number__c: i + 1, Quantity__c: 1, Description__c: `Line ${i + 1}` })),
      ...[1, 2, 3].map((n) => ({ Sales_Invoice__c: secondId, Line_Number__c: n, Quantity__c: 2 })),
    ],
  });
});

afterAll(async () => {
  await emu.close();
});

const LINES_SOQL =
  "SELECT Id, Name, (SELECT Id, Line_Number__c FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c WHERE Name IN ('SI-000001', 'SI-000002') ORDER BY Name";

describe('Salesforce emulator: child subquery pages', () => {
  it('when a parent has 1,200 child rows, then its child list carries 499 of them and a nextRecordsUrl of its own, as an org answers', async () => {
    const first = await emu.query(LINES_SOQL);
    expect(first.body.totalSize).toBe(2);
    expect(first.body.records).toHaveLength(1);
    expect(first.body.done).toBe(false);
    const lines = first.body.records[0].Sales_Invoice_Lines__r;
    expect(lines).toEqual({
      totalSize: 1200,
      done: false,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w{15}-499$/),
      records: expect.any(Array),
    });
    expect(lines.records).toHaveLength(499);
    expect(lines.records[498].Line_Number__c).toBe(499);

    const more = await get(lines.nextRecordsUrl);
    expect(more.body).toMatchObject({ totalSize: 1200, done: false });
    expect(more.body.records).toHaveLength(500);
    expect(more.body.records[0]).toMatchObject({ attributes: { type: 'Sales_Invoice_Line__c' }, Line_Number__c: 500 });
    const last = await get(more.body.nextRecordsUrl);
    expect(last.body).toMatchObject({ totalSize: 1200, done: true });
    expect(last.body).not.toHaveProperty('nextRecordsUrl');
    expect(last.body.records.map((r: { Line_Number__c: number }) => r.Line_Number__c)).toEqual(Array.from({ length: 201 }, (_, i) => 1000 + i));

    const second = await get(first.body.nextRecordsUrl);
    expect(second.body.done).toBe(true);
    expect(second.body.records[0].Name).toBe('SI-000002');
    expect(second.body.records[0].Sales_Invoice_Lines__r).toMatchObject({ totalSize: 3, done: true, records: [{}, {}, {}] });
  });

  it('when parents with few children fill a page, then the page holds 500 rows counting the children', async () => {
    const res = await emu.query("SELECT Id, (SELECT Id FROM Sales_Invoice_Lines__r) FROM Sales_Invoice__c WHERE Name != 'SI-000001' ORDER BY Name");
    // SI-000002 brings three lines (4 rows); every other invoice is one row.
    expect(res.body.records).toHaveLength(497);
    expect(res.body.totalSize).toBe(2599);
    expect(res.body.nextRecordsUrl).toMatch(/-497$/);
  });

  it('when jsforce auto-fetches a parent-child query, then it follows the child nextRecordsUrl to all 1,200 lines', async () => {
    const conn = new jsforce.Connection({ instanceUrl: emu.url, accessToken: emu.token, version: '62.0' });
    const res = await conn.query<{ Sales_Invoice_Lines__r: { totalSize: number; records: unknown[] } }>(LINES_SOQL).autoFetch(true).maxFetch(100_000);
    expect(res.records).toHaveLength(2);
    expect(res.records[0].Sales_Invoice_Lines__r.records).toHaveLength(1200);
  });
});

describe('Salesforce emulator: pages shrink for long text', () => {
  it('when two long-text fields are selected, then a page holds 200 rows, whatever batch size is asked for', async () => {
    const two = await emu.query('SELECT Id, Memo__c, Last_Export_Error__c FROM Sales_Invoice__c ORDER BY Name');
    expect(two.body.records).toHaveLength(200);
    expect(two.body.nextRecordsUrl).toMatch(/-200$/);
    const asked = await emu.query('SELECT Id, Memo__c, Last_Export_Error__c FROM Sales_Invoice__c ORDER BY Name', { 'Sforce-Query-Options': 'batchSize=1000' });
    expect(asked.body.records).toHaveLength(200);
    const next = await get(asked.body.nextRecordsUrl);
    expect(next.body.records).toHaveLength(200);
    expect(next.body.records[0].Memo__c).toBe('Memo 200');
  });

  it('when one long-text field is selected, then pages stay at 2,000 rows', async () => {
    const one = await emu.query('SELECT Id, Memo__c FROM Sales_Invoice__c');
    expect(one.body.records).toHaveLength(2000);
  });

  it('when a subquery selects two long-text fields, then the whole page is held to 200 rows', async () => {
    const res = await emu.query(
      "SELECT Id, Memo__c, (SELECT Id, Description__c, Sales_Invoice__r.Last_Export_Error__c FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c WHERE Name = 'SI-000001'",
    );
    expect(res.body.records[0].Sales_Invoice_Lines__r.records).toHaveLength(199);
    expect(res.body.records[0].Sales_Invoice_Lines__r.nextRecordsUrl).toMatch(/-199$/);
  });
});

describe('Salesforce emulator: query column metadata (columns=true)', () => {
  it('when fields, a parent path, a child subquery and an aggregate are asked for, then columnMetadata has the recorded shape', async () => {
    const soql = 'SELECT Id, Name, Customer__r.Name, Customer__r.Email__c, (SELECT Quantity__c FROM Sales_Invoice_Lines__r) FROM Sales_Invoice__c';
    const res = await get(`/services/data/v62.0/query?q=${encodeURIComponent(soql)}&columns=true`);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('records');
    const column = (over: Record<string, unknown>) => ({
      aggregate: false,
      apexType: 'String',
      booleanType: false,
      custom: false,
      foreignKeyName: null,
      insertable: true,
      joinColumns: [],
      numberType: false,
      textType: true,
      updatable: true,
      ...over,
    });
    expect(res.body).toEqual({
      columnMetadata: [
        column({ apexType: 'Id', columnName: 'Id', displayName: 'Id', insertable: false, textType: false, updatable: false }),
        column({ columnName: 'Name', displayName: 'Name' }),
        column({
          apexType: null,
          columnName: 'Customer__r',
          displayName: 'Customer__r',
          custom: true,
          foreignKeyName: 'Customer__c',
          insertable: false,
          textType: false,
          updatable: false,
          joinColumns: [column({ columnName: 'Name', displayName: 'Name' }), column({ columnName: 'Email__c', displayName: 'Email__c', custom: true })],
        }),
        column({
          aggregate: true,
          apexType: null,
          columnName: 'Sales_Invoice_Lines__r',
          displayName: 'Sales_Invoice_Lines__r',
          insertable: false,
          textType: false,
          updatable: false,
          joinColumns: [
            column({ apexType: 'Decimal', columnName: 'Quantity__c', displayName: 'Quantity__c', custom: true, numberType: true, textType: false }),
          ],
        }),
      ],
      entityName: 'Sales_Invoice__c',
      groupBy: false,
      idSelected: true,
      keyPrefix: expect.stringMatching(/^\w{3}$/),
    });
    const agg = await get(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT COUNT(Id) n FROM Sales_Invoice__c')}&columns=true`);
    expect(agg.body.columnMetadata).toEqual([
      column({
        aggregate: true,
        apexType: null,
        columnName: 'n',
        displayName: 'count(Id)',
        insertable: false,
        numberType: true,
        textType: false,
        updatable: false,
      }),
    ]);
    expect(agg.body.idSelected).toBe(false);
  });

  it('when the query has an error, then columns=true answers the same 400 as the query', async () => {
    const res = await get(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Nope__c FROM Sales_Invoice__c')}&columns=true`);
    expect(res.status).toBe(400);
    expect(res.body[0].errorCode).toBe('INVALID_FIELD');
  });
});
