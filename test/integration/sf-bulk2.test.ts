// Bulk API 2.0 on the Salesforce emulator, driven by jsforce 3.10.16's own bulk2 client (the one large
// write-backs use) and checked on the wire against the platform's documented and recorded shapes.
import jsforce, { type Connection } from 'jsforce';
import { http, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let conn: Connection;
let companyId: string;

async function seedCustomers(n: number): Promise<string[]> {
  await emu.seed({ Customer__c: Array.from({ length: n }, (_, i) => ({ Name: `Customer ${String(i + 1).padStart(5, '0')}` })) });
  return (await emu.records('Customer__c')).map((r) => r.Id as string);
}

beforeAll(async () => {
  emu = await startEmulator();
  conn = new jsforce.Connection({ instanceUrl: emu.url, accessToken: emu.token, version: '62.0' });
  conn.bulk2.pollInterval = 20;
  conn.bulk2.pollTimeout = 20_000;
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await emu.admin('POST', '/reset');
  await emu.seed({ Company__c: [{ Name: 'Acme US', QuickBooks_Realm_Id__c: '9130', Accounting_System__c: 'Online' }] });
  companyId = (await emu.records('Company__c'))[0].Id as string;
});

describe('Bulk API 2.0 ingest jobs through jsforce bulk2', () => {
  it('when 5,000 invoices are updated through one job, then every row comes back in successfulResults with sf__Id and sf__Created', async () => {
    const customers = await seedCustomers(1);
    await emu.seed({
      Sales_Invoice__c: Array.from({ length: 5000 }, (_, i) => ({
        Name: `SI-${String(i + 1).padStart(6, '0')}`,
        Company__c: companyId,
        Customer__c: customers[0],
        Approved__c: true,
      })),
    });
    const invoices = await emu.records('Sales_Invoice__c');
    await emu.admin('POST', '/stats/reset');
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Sales_Invoice__c',
      operation: 'update',
      input: invoices.map((r, i) => ({ Id: r.Id, Financial_System_Invoice_Id__c: String(1000 + i), Transferred__c: true })),
    });
    expect(results.failedResults).toEqual([]);
    expect(results.successfulResults).toHaveLength(5000);
    expect(results.successfulResults[0]).toMatchObject({ sf__Id: invoices[0].Id, sf__Created: 'false', Financial_System_Invoice_Id__c: '1000' });
    const stored = await emu.records('Sales_Invoice__c');
    expect(stored.every((r) => r.Transferred__c === true)).toBe(true);
    expect(stored[4999].Financial_System_Invoice_Id__c).toBe('5999');
    const stats = (await emu.admin('GET', '/stats')).body;
    // create, upload, close, at least one poll, three result files: a handful of calls for 5,000 rows.
    expect(stats.byKind.bulk).toBeLessThan(12);
    expect(stats.bulkRecords).toBe(5000);
  });

  it('when some rows are refused, then failedResults names each with sf__Error and the others are still written', async () => {
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Customer__c',
      operation: 'insert',
      input: [
        { Name: 'Bolt Hardware', Email__c: 'ap@bolt.example' },
        { Name: 'Broken Mail', Email__c: 'not-an-email' },
        { Name: 'Cobalt Cafe', Email__c: '' },
      ],
    });
    expect(results.successfulResults.map((r) => [r.sf__Created, (r as Record<string, unknown>).Name])).toEqual([
      ['true', 'Bolt Hardware'],
      ['true', 'Cobalt Cafe'],
    ]);
    expect(results.successfulResults[0].sf__Id).toMatch(/^\w{18}$/);
    expect(results.failedResults).toEqual([
      { sf__Id: '', sf__Error: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email__c --', Name: 'Broken Mail', Email__c: 'not-an-email' },
    ]);
    expect((await emu.records('Customer__c')).map((r) => r.Name).sort()).toEqual(['Bolt Hardware', 'Cobalt Cafe']);
  });

  it('when a cell holds #N/A, then the field is set to null; an empty cell leaves the field as it was', async () => {
    await emu.seed({ Customer__c: [{ Name: 'Bolt Hardware', Email__c: 'ap@bolt.example', Phone__c: '555-0100' }] });
    const [row] = await emu.records('Customer__c');
    // jsforce writes null as #N/A, and an empty string as an empty cell.
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Customer__c',
      operation: 'update',
      input: [{ Id: row.Id, Email__c: null, Phone__c: '' }],
    });
    expect(results.successfulResults).toHaveLength(1);
    const [after] = await emu.records('Customer__c');
    expect(after).toMatchObject({ Email__c: null, Phone__c: '555-0100' });
  });

  it('when rows are upserted by an external id and deleted by Id, then sf__Created tells inserts from updates', async () => {
    await emu.seed({ Process_Log__c: [{ Name: 'Sales Invoice Exporter', Run_Id__c: 'run-1', Status__c: 'Running' }] });
    const upsert = await conn.bulk2.loadAndWaitForResults({
      object: 'Process_Log__c',
      operation: 'upsert',
      externalIdFieldName: 'Run_Id__c',
      input: [
        { Run_Id__c: 'run-1', Status__c: 'Succeeded' },
        { Run_Id__c: 'run-2', Status__c: 'Running' },
      ],
    });
    expect(upsert.successfulResults.map((r) => [(r as Record<string, unknown>).Run_Id__c, r.sf__Created])).toEqual([
      ['run-1', 'false'],
      ['run-2', 'true'],
    ]);
    const logs = await emu.records('Process_Log__c');
    expect(logs.map((l) => [l.Run_Id__c, l.Status__c])).toEqual([
      ['run-1', 'Succeeded'],
      ['run-2', 'Running'],
    ]);
    const del = await conn.bulk2.loadAndWaitForResults({ object: 'Process_Log__c', operation: 'delete', input: [{ Id: logs[0].Id }, { Id: logs[0].Id }] });
    expect(del.successfulResults.map((r) => r.sf__Id)).toEqual([logs[0].Id]);
    expect(del.failedResults[0].sf__Error).toBe('ENTITY_IS_DELETED:entity is deleted: --');
  });

  it('when the CSV names a field the object lacks, then the job ends Failed with the InvalidBatch message jsforce raises', async () => {
    const job = conn.bulk2.createJob({ object: 'Customer__c', operation: 'insert' });
    await job.open();
    await job.uploadData('Name,Shoe_Size__c\nBolt,42\n');
    await job.close();
    await expect(job.poll(20, 20_000)).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Shoe_Size__c');
    expect(await job.getUnprocessedRecords()).toEqual([{ Name: 'Bolt', Shoe_Size__c: '42' }]);
    expect(await emu.records('Customer__c')).toEqual([]);
  });

  it('when a job is aborted before it is closed, then nothing is written and its rows are unprocessed; a finished job cannot be aborted', async () => {
    const job = conn.bulk2.createJob({ object: 'Customer__c', operation: 'insert' });
    await job.open();
    await job.uploadData([{ Name: 'Bolt Hardware' }, { Name: 'Cobalt Cafe' }]);
    await job.abort();
    expect((await job.check()).state).toBe('Aborted');
    expect(await job.getUnprocessedRecords()).toEqual([{ Name: 'Bolt Hardware' }, { Name: 'Cobalt Cafe' }]);
    expect(await emu.records('Customer__c')).toEqual([]);

    const done = conn.bulk2.createJob({ object: 'Customer__c', operation: 'insert' });
    await done.open();
    await done.uploadData([{ Name: 'Delta Dairy' }]);
    await done.close();
    await done.poll(20, 20_000);
    await expect(done.abort()).rejects.toMatchObject({ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' });
  });
});

describe('Bulk API 2.0 on the wire', () => {
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => emu.api(method, path, body, headers);

  it('when an ingest job is created, uploaded, closed and polled, then each answer has the documented fields and states', async () => {
    const created = await api('POST', '/jobs/ingest', { object: 'Customer__c', operation: 'insert', lineEnding: 'LF' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^750\w{15}$/),
      operation: 'insert',
      object: 'Customer__c',
      createdById: expect.stringMatching(/^005/),
      createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      systemModstamp: expect.any(String),
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 62,
      contentUrl: `services/data/v62.0/jobs/ingest/${created.body.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    const id = created.body.id as string;
    const upload = await http(`${emu.url}/services/data/v62.0/jobs/ingest/${id}/batches`, 'PUT', 'Name,Email__c\n"Bolt, Hardware",ap@bolt.example\n', {
      authorization: `Bearer ${emu.token}`,
      'content-type': 'text/csv',
    });
    expect(upload.status).toBe(201);
    const closed = await api('PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' });
    expect(closed.body.state).toBe('UploadComplete');
    expect(closed.body).not.toHaveProperty('contentUrl');
    const info = await api('GET', `/jobs/ingest/${id}`);
    expect(info.body).toMatchObject({ state: 'JobComplete', jobType: 'V2Ingest', numberRecordsProcessed: 1, numberRecordsFailed: 0, retries: 0 });
    const list = await api('GET', '/jobs/ingest');
    expect(list.body).toEqual({ done: true, records: [expect.objectContaining({ id, jobType: 'V2Ingest', state: 'JobComplete' })], nextRecordsUrl: null });
    expect(list.body.records[0]).not.toHaveProperty('numberRecordsProcessed');
    const ok = await http(`${emu.url}/services/data/v62.0/jobs/ingest/${id}/successfulResults`, 'GET', undefined, { authorization: `Bearer ${emu.token}` });
    expect(ok.headers['content-type']).toMatch(/^text\/csv/);
    const [row] = await emu.records('Customer__c');
    expect(ok.body).toBe(`"sf__Id","sf__Created",Name,Email__c\n"${String(row.Id)}","true","Bolt, Hardware","ap@bolt.example"\n`);
    const failed = await http(`${emu.url}/services/data/v62.0/jobs/ingest/${id}/failedResults`, 'GET', undefined, { authorization: `Bearer ${emu.token}` });
    expect(failed.body).toBe('"sf__Id","sf__Error",Name,Email__c\n');
    expect((await api('DELETE', `/jobs/ingest/${id}`)).status).toBe(204);
    expect((await api('GET', `/jobs/ingest/${id}`)).body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('when a query job is read in pages of maxRecords, then Sforce-Locator leads from page to page and says "null" at the end', async () => {
    await seedCustomers(25);
    const created = await api('POST', '/jobs/query', { operation: 'query', query: 'SELECT Id, Name, Owner.Name FROM Customer__c ORDER BY Name' });
    expect(created.body).toMatchObject({ operation: 'query', object: 'Customer__c', state: 'UploadComplete', contentType: 'CSV', apiVersion: 62 });
    const id = created.body.id as string;
    expect((await api('GET', `/jobs/query/${id}`)).body).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: 25 });
    const lines: string[] = [];
    let locator = '';
    let pages = 0;
    for (;;) {
      const res = await http(`${emu.url}/services/data/v62.0/jobs/query/${id}/results?maxRecords=10${locator ? `&locator=${locator}` : ''}`, 'GET', undefined, {
        authorization: `Bearer ${emu.token}`,
      });
      pages++;
      const [header, ...rows] = (res.body as string).trim().split('\n');
      expect(header).toBe('"Id","Name","Owner.Name"');
      lines.push(...rows);
      expect(res.headers['sforce-numberofrecords']).toBe(String(rows.length));
      locator = res.headers['sforce-locator'];
      if (locator === 'null') break;
    }
    expect(pages).toBe(3);
    expect(lines).toHaveLength(25);
    expect(lines[0]).toMatch(/^"\w{18}","Customer 00001","Admin"$/);
    const viaJsforce = await (await conn.bulk2.query('SELECT Name FROM Customer__c ORDER BY Name', { pollInterval: 20, pollTimeout: 20_000 })).toArray();
    expect(viaJsforce.map((r) => r.Name)).toEqual(Array.from({ length: 25 }, (_, i) => `Customer ${String(i + 1).padStart(5, '0')}`));
  });

  it('when a query job has bad SOQL, then it is refused at creation with the query error', async () => {
    const res = await api('POST', '/jobs/query', { operation: 'query', query: 'SELECT Shoe_Size__c FROM Customer__c' });
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(res.body[0].message).toContain("No such column 'Shoe_Size__c' on entity 'Customer__c'");
  });
});
