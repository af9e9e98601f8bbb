// Proof of fidelity: the real jsforce 3.10.16 client, unmodified, works against the emulator.
import jsforce, { Connection } from 'jsforce';
import { seedInvoices, startEmulator, type Emulator } from './sf-helpers';

const clientId = 'ledgerline-sf-client';
const clientSecret = 'ledgerline-sf-secret';
const username = 'admin@ledgerline.demo';
const password = 'demo-password';

let emu: Emulator;
let invoiceIds: string[];

function connect(): Connection {
  return new jsforce.Connection({ oauth2: { loginUrl: emu.url, clientId, clientSecret }, version: '62.0' });
}

beforeAll(async () => {
  emu = await startEmulator();
  ({ invoiceIds } = await seedInvoices(emu, 4500));
});

afterAll(async () => {
  await emu.close();
});

describe('jsforce 3.10.16 against the Salesforce emulator', () => {
  it('when jsforce logs in with the username-password flow, then it gets a session on this instance', async () => {
    const conn = connect();
    const info = await conn.login(username, password);
    expect(conn.instanceUrl).toBe(emu.url);
    expect(conn.accessToken).toMatch(/^00D\w{12}!/);
    expect(info.organizationId).toMatch(/^00D\w{15}$/);
    expect(info.id).toMatch(/^005\w{15}$/);
    const identity = await conn.identity();
    expect(identity.username).toBe(username);
  });

  it('when jsforce authorizes with the client-credentials grant, then data calls work', async () => {
    const conn = connect();
    await conn.authorize({ grant_type: 'client_credentials' });
    const res = await conn.query<{ Id: string }>('SELECT COUNT() FROM Sales_Invoice__c');
    expect(res.totalSize).toBe(4500);
  });

  it('when the password is wrong, then jsforce raises invalid_grant', async () => {
    await expect(connect().login(username, 'nope')).rejects.toMatchObject({ name: 'invalid_grant', message: 'authentication failure' });
  });

  it('when jsforce auto-fetches 4,500 records, then it follows nextRecordsUrl page by page', async () => {
    const conn = connect();
    await conn.login(username, password);
    await emu.admin('POST', '/stats/reset');
    const res = await conn
      .query<{ Id: string; Name: string }>('SELECT Id, Name, Customer__r.Name FROM Sales_Invoice__c WHERE Approved__c = true ORDER BY Name')
      .autoFetch(true)
      .maxFetch(10000);
    expect(res.totalSize).toBe(4500);
    expect(res.records).toHaveLength(4500);
    expect(res.done).toBe(true);
    expect(res.records[0].Name).toBe('SI-000001');
    expect(res.records[4499].Name).toBe('SI-004500');
    const stats = (await emu.admin('GET', '/stats')).body;
    expect(stats.byKind.query).toBe(1);
    expect(stats.byKind.queryMore).toBe(2);
  });

  it('when jsforce runs a query with run({ autoFetch, maxFetch }), then it stops at maxFetch', async () => {
    const conn = connect();
    await conn.login(username, password);
    const records: unknown[] = [];
    const res = await conn
      .query('SELECT Id, (SELECT Id, Line_Number__c FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c')
      .on('record', (r) => records.push(r))
      .run({ autoFetch: true, maxFetch: 2500 });
    expect(records).toHaveLength(2500);
    expect(res.records).toHaveLength(2500);
    const first = res.records[0] as { Sales_Invoice_Lines__r: { totalSize: number; records: Array<{ Line_Number__c: number }> } };
    expect(first.Sales_Invoice_Lines__r.totalSize).toBe(2);
    expect(first.Sales_Invoice_Lines__r.records.map((l) => l.Line_Number__c)).toEqual([1, 2]);
  });

  it('when jsforce updates 200 records with allOrNone false and one is invalid, then only that one fails', async () => {
    const conn = connect();
    await conn.login(username, password);
    const batch = invoiceIds.slice(0, 200).map((Id, i) => ({ Id, Export_Status__c: i === 57 ? 'Shipped' : 'Exported' }));
    const results = await conn.sobject('Sales_Invoice__c').update(batch, { allOrNone: false });
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.success)).toHaveLength(199);
    expect(results[57]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          message: 'Export Status: bad value for restricted picklist field: Shipped',
          fields: ['Export_Status__c'],
        },
      ],
    });
    expect(results[0]).toEqual({ id: invoiceIds[0], success: true, errors: [] });
    const stored = await emu.records('Sales_Invoice__c');
    expect(stored[0].Export_Status__c).toBe('Exported');
    expect(stored[57].Export_Status__c).toBe('Not Exported');
  });

  it('when a record is locked by a scripted fault, then jsforce sees UNABLE_TO_LOCK_ROW for that record only', async () => {
    const conn = connect();
    await conn.login(username, password);
    await emu.admin('POST', '/faults', {
      kind: 'recordError',
      recordId: invoiceIds[300],
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
      count: 1,
    });
    const results = await conn.sobject('Sales_Invoice__c').update(
      invoiceIds.slice(300, 303).map((Id) => ({ Id, Transferred__c: true })),
      { allOrNone: false },
    );
    expect(results.map((r) => r.success)).toEqual([false, true, true]);
    expect(results[0]).toMatchObject({ errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' }] });
  });

  it('when jsforce updates more than 200 records without allowRecursive, then the API refuses the call', async () => {
    const conn = connect();
    await conn.login(username, password);
    const batch = invoiceIds.slice(0, 201).map((Id) => ({ Id, Transferred__c: true }));
    await expect(conn.sobject('Sales_Invoice__c').update(batch)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
    const ok = await conn.sobject('Sales_Invoice__c').update(batch, { allowRecursive: true });
    expect(ok.every((r) => r.success)).toBe(true);
  });

  it('when jsforce creates, retrieves, describes and deletes, then each answer has the real shape', async () => {
    const conn = connect();
    await conn.login(username, password);
    const created = await conn.sobject('Customer__c').create({ Name: 'Delta Dental', Email__c: 'billing@delta.example' });
    expect(created).toEqual({ id: expect.stringMatching(/^a\w{17}$/), success: true, errors: [] });
    const id = (created as { id: string }).id;
    const fetched = await conn.sobject('Customer__c').retrieve(id);
    expect(fetched).toMatchObject({ attributes: { type: 'Customer__c' }, Id: id, Name: 'Delta Dental', Email__c: 'billing@delta.example', Phone__c: null });
    const many = await conn.sobject('Customer__c').retrieve([id], { fields: ['Name'] });
    expect(many).toEqual([{ attributes: { type: 'Customer__c', url: `/services/data/v62.0/sobjects/Customer__c/${id}` }, Name: 'Delta Dental' }]);
    const described = await conn.sobject('Sales_Invoice__c').describe();
    expect(described.name).toBe('Sales_Invoice__c');
    expect(described.fields.find((f) => f.name === 'Export_Status__c')?.picklistValues?.map((p) => p.value)).toEqual([
      'Not Exported',
      'Exported',
      'Pending Sync',
      'Error',
    ]);
    expect(described.childRelationships.map((r) => r.relationshipName)).toContain('Sales_Invoice_Lines__r');
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Company__c', 'Sales_Invoice__c', 'User']));
    const updated = await conn.sobject('Customer__c').update({ Id: id, Phone__c: '555-0100' });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const destroyed = await conn.sobject('Customer__c').destroy([id]);
    expect(destroyed).toEqual([{ id, success: true, errors: [] }]);
    await expect(conn.sobject('Customer__c').retrieve(id)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('when jsforce builds SOQL with find(), then the emulator understands it', async () => {
    const conn = connect();
    await conn.login(username, password);
    const rows = await conn
      .sobject('Sales_Invoice__c')
      .find({ Approved__c: true, Name: { $like: 'SI-00001%' } }, ['Id', 'Name', 'Company__r.Name'])
      .sort({ Name: -1 })
      .limit(3);
    expect(rows.map((r) => r.Name)).toEqual(['SI-000019', 'SI-000018', 'SI-000017']);
    expect((rows[0] as unknown as { Company__r: { Name: string } }).Company__r.Name).toBe('Acme US');
  });

  it('when a field does not exist, then jsforce raises INVALID_FIELD with the platform message', async () => {
    const conn = connect();
    await conn.login(username, password);
    await expect(conn.query('SELECT Id, Foo__c FROM Sales_Invoice__c')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Foo__c' on entity 'Sales_Invoice__c'"),
    });
  });

  it('when the session expires, then jsforce logs in again by itself and the call succeeds', async () => {
    const conn = connect();
    await conn.login(username, password);
    const before = conn.accessToken;
    await emu.admin('POST', '/expire-sessions');
    const res = await conn.query('SELECT Id FROM Company__c');
    expect(res.totalSize).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('when jsforce reads limits, then DailyApiRequests reflects the calls made and the usage header', async () => {
    const conn = connect();
    await conn.login(username, password);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests.Max).toBe(15000);
    expect(limits.DailyApiRequests.Remaining).toBe(15000 - conn.limitInfo.apiUsage!.used);
    expect(conn.limitInfo.apiUsage?.limit).toBe(15000);
  });
});
