// Record writes over HTTP: single-record resources, sObject Collections, and the validation
// rules the emulator derives from the force-app metadata.
import { startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let companyId: string;
let customerId: string;

beforeEach(async () => {
  await emu.admin('POST', '/reset');
  await emu.seed({ Company__c: [{ Name: 'Acme US' }], Customer__c: [{ Name: 'Bolt Hardware' }] });
  companyId = (await emu.records('Company__c'))[0].Id;
  customerId = (await emu.records('Customer__c'))[0].Id;
});

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu.close();
});

async function createInvoice(fields: Record<string, unknown> = {}): Promise<string> {
  const res = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'SI-1', Company__c: companyId, ...fields });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('Salesforce emulator: single-record resources', () => {
  it('when a record is created, then 201 carries the id, a Location header and audit fields are set', async () => {
    const res = await emu.api('POST', '/sobjects/Sales_Invoice__c', {
      Name: 'SI-9',
      Company__c: companyId,
      Invoice_Date__c: '2026-02-01',
      Total_Amount__c: 19.999,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^a\w{17}$/), success: true, errors: [] });
    expect(res.headers.location).toBe(`/services/data/v62.0/sobjects/Sales_Invoice__c/${res.body.id}`);
    const got = await emu.api('GET', `/sobjects/Sales_Invoice__c/${res.body.id}`);
    expect(got.body).toMatchObject({
      attributes: { type: 'Sales_Invoice__c', url: `/services/data/v62.0/sobjects/Sales_Invoice__c/${res.body.id}` },
      Id: res.body.id,
      Name: 'SI-9',
      Total_Amount__c: 20,
      Approved__c: false,
      Export_Status__c: 'Not Exported',
      Customer__c: null,
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      OwnerId: expect.stringMatching(/^005/),
    });
  });

  it('when a record is read with ?fields=, then only those fields come back', async () => {
    const id = await createInvoice();
    const got = await emu.api('GET', `/sobjects/Sales_Invoice__c/${id}?fields=Name,approved__c`);
    expect(got.body).toEqual({
      attributes: { type: 'Sales_Invoice__c', url: `/services/data/v62.0/sobjects/Sales_Invoice__c/${id}` },
      Name: 'SI-1',
      Approved__c: false,
    });
  });

  it('when a 15-char id is used, then the record is found and the answer carries the 18-char id', async () => {
    const id = await createInvoice();
    const got = await emu.api('GET', `/sobjects/Sales_Invoice__c/${id.slice(0, 15)}`);
    expect(got.status).toBe(200);
    expect(got.body.Id).toBe(id);
  });

  it('when a record is updated and deleted, then 204s come back and LastModifiedDate moves', async () => {
    const id = await createInvoice();
    await emu.admin('POST', '/clock', { advanceMs: 60_000 });
    const patched = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${id}`, { Approved__c: true });
    expect(patched.status).toBe(204);
    const row = (await emu.records('Sales_Invoice__c'))[0];
    expect(row.Approved__c).toBe(true);
    expect(row.LastModifiedDate > row.CreatedDate).toBe(true);
    expect((await emu.api('DELETE', `/sobjects/Sales_Invoice__c/${id}`)).status).toBe(204);
    const gone = await emu.api('GET', `/sobjects/Sales_Invoice__c/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('when an unknown field is sent, then a 400 INVALID_FIELD names it', async () => {
    const res = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'x', Colour__c: 'red' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: "No such column 'Colour__c' on sobject of type Sales_Invoice__c", errorCode: 'INVALID_FIELD' }]);
  });

  it('when text is too long, then STRING_TOO_LONG gives the label and the max length', async () => {
    const res = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'SI-1', PO_Number__c: 'P'.repeat(26) });
    expect(res.body).toEqual([
      { message: `PO Number: data value too large: ${'P'.repeat(26)} (max length=25)`, errorCode: 'STRING_TOO_LONG', fields: ['PO_Number__c'] },
    ]);
  });

  it('when a restricted picklist gets an unknown value, then INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', async () => {
    const res = await emu.api('POST', '/sobjects/Company__c', { Name: 'X', Accounting_System__c: 'Enterprise' });
    expect(res.body[0]).toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Accounting System: bad value for restricted picklist field: Enterprise',
      fields: ['Accounting_System__c'],
    });
  });

  it('when a lookup holds a malformed, foreign or missing id, then the matching error comes back', async () => {
    const malformed = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'x', Customer__c: 'abc' });
    expect(malformed.body[0]).toMatchObject({ errorCode: 'MALFORMED_ID', message: 'Customer: id value of incorrect type: abc', fields: ['Customer__c'] });
    const foreign = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'x', Customer__c: companyId });
    expect(foreign.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Customer__c'] });
    const missing = await emu.api('POST', '/sobjects/Sales_Invoice__c', { Name: 'x', Customer__c: `${customerId.slice(0, 10)}zzzzz` });
    expect(missing.body[0]).toEqual({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] });
  });

  it('when a master-detail parent is missing, then REQUIRED_FIELD_MISSING names the field', async () => {
    const res = await emu.api('POST', '/sobjects/Sales_Invoice_Line__c', { Quantity__c: 1 });
    expect(res.body).toEqual([
      { message: 'Required fields are missing: [Sales_Invoice__c]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Sales_Invoice__c'] },
    ]);
  });

  it('when a read-only field is written, then INVALID_FIELD_FOR_INSERT_UPDATE lists it', async () => {
    const id = await createInvoice();
    const line = await emu.api('POST', '/sobjects/Sales_Invoice_Line__c', { Sales_Invoice__c: id, Quantity__c: 1 });
    const res = await emu.api('PATCH', `/sobjects/Sales_Invoice_Line__c/${line.body.id}`, { CreatedDate: '2020-01-01T00:00:00Z', Sales_Invoice__c: id });
    expect(res.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedDate', 'Sales_Invoice__c'] });
  });

  it('when values need coercion, then checkbox, number, date and datetime strings are converted', async () => {
    const res = await emu.api('POST', '/sobjects/Process_Log__c', {
      Name: 'Sales Invoice Exporter',
      Dry_Run__c: 'true',
      Start_Time__c: '2026-01-31T10:00:00-05:00',
      Run_Id__c: 'run-1',
    });
    expect(res.status).toBe(201);
    const row = (await emu.records('Process_Log__c'))[0];
    expect(row).toMatchObject({ Dry_Run__c: true, Start_Time__c: '2026-01-31T15:00:00.000+0000' });
    const entry = await emu.api('POST', '/sobjects/Process_Log_Entry__c', { Process_Log__c: res.body.id, Level__c: 'ERROR', Http_Status__c: '404' });
    expect(entry.status).toBe(201);
    expect((await emu.records('Process_Log_Entry__c'))[0]).toMatchObject({ Http_Status__c: 404 });
    const bad = await emu.api('PATCH', `/sobjects/Process_Log_Entry__c/${entry.body.id}`, { Http_Status__c: 'many' });
    const badDate = await emu.api('PATCH', `/sobjects/Process_Log__c/${res.body.id}`, { End_Time__c: 'later' });
    expect([...bad.body, ...badDate.body].map((e: { errorCode: string }) => e.errorCode)).toEqual([
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
    ]);
    const big = await emu.api('PATCH', `/sobjects/Process_Log_Entry__c/${entry.body.id}`, { Http_Status__c: 1e9 });
    expect(big.body[0].errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('when a unique external id repeats, then DUPLICATE_VALUE names the holder; upsert by it updates', async () => {
    const first = await emu.api('POST', '/sobjects/Process_Log__c', { Run_Id__c: 'run-7' });
    const dup = await emu.api('POST', '/sobjects/Process_Log__c', { Run_Id__c: 'RUN-7' });
    expect(dup.body[0]).toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Run_Id__c duplicates value on record with id: ${first.body.id}`,
    });
    const upd = await emu.api('PATCH', '/sobjects/Process_Log__c/Run_Id__c/run-7', { Status__c: 'Succeeded' });
    expect(upd.status).toBe(200);
    expect(upd.body).toEqual({ id: first.body.id, success: true, errors: [], created: false });
    const ins = await emu.api('PATCH', '/sobjects/Process_Log__c/Run_Id__c/run-8', { Status__c: 'Running' });
    expect(ins.status).toBe(201);
    expect(ins.body.created).toBe(true);
    const byExt = await emu.api('GET', '/sobjects/Process_Log__c/Run_Id__c/run-8');
    expect(byExt.body).toMatchObject({ Run_Id__c: 'run-8', Status__c: 'Running' });
  });

  it('when Name is left empty, then the platform fills it with the record id', async () => {
    const res = await emu.api('POST', '/sobjects/Payment__c', { Amount__c: 5 });
    expect((await emu.records('Payment__c'))[0].Name).toBe(res.body.id);
  });

  it('when a master record is deleted, then its details go with it and lookups are cleared', async () => {
    const id = await createInvoice();
    await emu.api('POST', '/sobjects/Sales_Invoice_Line__c', { Sales_Invoice__c: id, Quantity__c: 1 });
    await emu.api('POST', '/sobjects/Payment__c', { Sales_Invoice__c: id, Amount__c: 1 });
    await emu.api('DELETE', `/sobjects/Sales_Invoice__c/${id}`);
    expect(await emu.records('Sales_Invoice_Line__c')).toEqual([]);
    expect((await emu.records('Payment__c'))[0].Sales_Invoice__c).toBeNull();
  });
});

describe('Salesforce emulator: sObject Collections', () => {
  it('when records are created in one call, then answers come in request order with ids', async () => {
    const res = await emu.api('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Customer__c' }, Name: 'One' },
        { attributes: { type: 'Customer__c' }, Name: 'Two', Email__c: 'not-an-email' },
        { attributes: { type: 'Product__c' }, Name: 'Three', Company__c: companyId },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: expect.stringMatching(/^a/), success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: not-an-email', fields: ['Email__c'] }] },
      { id: expect.stringMatching(/^a/), success: true, errors: [] },
    ]);
    expect((await emu.records('Customer__c')).map((c) => c.Name)).toEqual(['Bolt Hardware', 'One']);
  });

  it('when allOrNone is true and one record fails, then nothing is saved and the others say rolled back', async () => {
    const a = await createInvoice({ Name: 'SI-A' });
    const b = await createInvoice({ Name: 'SI-B' });
    const res = await emu.api('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Sales_Invoice__c' }, id: a, Export_Status__c: 'Exported' },
        { attributes: { type: 'Sales_Invoice__c' }, id: b, Export_Status__c: 'Gone' },
      ],
    });
    expect(res.body).toEqual([
      {
        success: false,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      },
      {
        success: false,
        errors: [
          {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: 'Export Status: bad value for restricted picklist field: Gone',
            fields: ['Export_Status__c'],
          },
        ],
      },
    ]);
    expect((await emu.records('Sales_Invoice__c')).map((r) => r.Export_Status__c)).toEqual(['Not Exported', 'Not Exported']);
  });

  it('when allOrNone creates fail, then records created earlier in the call are removed too', async () => {
    const res = await emu.api('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Customer__c' }, Name: 'Kept?' },
        { attributes: { type: 'Customer__c' }, Name: 'x'.repeat(81) },
      ],
    });
    expect(res.body.map((r: { success: boolean }) => r.success)).toEqual([false, false]);
    expect((await emu.records('Customer__c')).map((c) => c.Name)).toEqual(['Bolt Hardware']);
  });

  it('when an update names a bad or missing id, then the per-record error says so', async () => {
    const res = await emu.api('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Sales_Invoice__c' }, id: 'bogus', Approved__c: true },
        { attributes: { type: 'Sales_Invoice__c' }, Approved__c: true },
        { attributes: { type: 'Sales_Invoice__c' }, id: customerId, Approved__c: true },
        { attributes: { type: 'Sales_Invoice__c' }, Id: await createInvoice(), Nope__c: 1 },
      ],
    });
    expect(res.body.map((r: { errors: Array<{ statusCode: string }> }) => r.errors[0].statusCode)).toEqual([
      'MALFORMED_ID',
      'MISSING_ARGUMENT',
      'MALFORMED_ID',
      'INVALID_FIELD',
    ]);
    expect(res.body[0].errors[0]).toEqual({ statusCode: 'MALFORMED_ID', message: 'Sales Invoice ID: id value of incorrect type: bogus', fields: ['Id'] });
  });

  it('when more than 200 records are sent, then EXCEEDED_ID_LIMIT refuses the whole call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Customer__c' }, Name: `C${i}` }));
    const res = await emu.api('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]);
    const ok = await emu.api('POST', '/composite/sobjects', { allOrNone: false, records: records.slice(0, 200) });
    expect(ok.body).toHaveLength(200);
  });

  it('when records are deleted by ids, then each id gets its own answer', async () => {
    const a = await createInvoice();
    const res = await emu.api('DELETE', `/composite/sobjects?ids=${a},${a}&allOrNone=false`);
    expect(res.body).toEqual([
      { id: a, success: true, errors: [] },
      { id: a, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
    ]);
  });

  it('when records are upserted by external id, then created tells inserts from updates', async () => {
    await emu.api('POST', '/sobjects/Process_Log__c', { Run_Id__c: 'r1' });
    const res = await emu.api('PATCH', '/composite/sobjects/Process_Log__c/Run_Id__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Process_Log__c' }, Run_Id__c: 'r1', Status__c: 'Failed' },
        { attributes: { type: 'Process_Log__c' }, Run_Id__c: 'r2', Status__c: 'Running' },
      ],
    });
    expect(res.body.map((r: { created: boolean }) => r.created)).toEqual([false, true]);
    expect((await emu.records('Process_Log__c')).map((r) => [r.Run_Id__c, r.Status__c])).toEqual([
      ['r1', 'Failed'],
      ['r2', 'Running'],
    ]);
  });

  it('when an sObject tree is posted, then parent and children are created with reference ids', async () => {
    const res = await emu.api('POST', '/composite/tree/Process_Log__c', {
      records: [
        {
          attributes: { type: 'Process_Log__c', referenceId: 'log1' },
          Name: 'Sales Invoice Exporter',
          Run_Id__c: 'tree-1',
          Process_Log_Entries__r: {
            records: [
              { attributes: { type: 'Process_Log_Entry__c', referenceId: 'e1' }, Level__c: 'INFO', Outcome__c: 'Created' },
              { attributes: { type: 'Process_Log_Entry__c', referenceId: 'e2' }, Level__c: 'WARN', Outcome__c: 'Renamed' },
            ],
          },
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.hasErrors).toBe(false);
    expect(res.body.results.map((r: { referenceId: string }) => r.referenceId)).toEqual(['log1', 'e1', 'e2']);
    const entries = await emu.records('Process_Log_Entry__c');
    expect(entries.every((e) => e.Process_Log__c === res.body.results[0].id)).toBe(true);
  });

  it('when one record of an sObject tree is invalid, then nothing is created', async () => {
    const res = await emu.api('POST', '/composite/tree/Process_Log__c', {
      records: [
        {
          attributes: { type: 'Process_Log__c', referenceId: 'log1' },
          Process_Log_Entries__r: { records: [{ attributes: { type: 'Process_Log_Entry__c', referenceId: 'bad' }, Level__c: 'DEBUG' }] },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      hasErrors: true,
      results: [{ referenceId: 'bad', errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })] }],
    });
    expect(await emu.records('Process_Log__c')).toEqual([]);
  });

  it('when a recordError fault is armed, then writes to that record fail until it is cleared', async () => {
    const a = await createInvoice();
    await emu.admin('POST', '/faults', {
      kind: 'recordError',
      recordId: a,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Invoice is locked for export',
    });
    const patch = () =>
      emu.api('PATCH', '/composite/sobjects', { allOrNone: false, records: [{ attributes: { type: 'Sales_Invoice__c' }, id: a, Transferred__c: true }] });
    for (let i = 0; i < 2; i++) {
      expect((await patch()).body).toEqual([
        { success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Invoice is locked for export', fields: [] }] },
      ]);
    }
    const single = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${a}`, { Transferred__c: true });
    expect(single.status).toBe(400);
    expect(single.body).toEqual([{ message: 'Invoice is locked for export', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: [] }]);
    await emu.admin('DELETE', '/faults');
    expect((await patch()).body[0].success).toBe(true);
  });
});
