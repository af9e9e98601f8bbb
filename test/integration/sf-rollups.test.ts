// Roll-up summary fields read from force-app: the Process Log's six counts are counted by the org from its
// entries (COUNT with Outcome filters), never written; SUM/MIN/MAX with filters on a copy of the metadata.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from './sf-helpers';

const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app', 'main', 'default');
const COUNTS = 'Created_Count__c, Matched_Count__c, Renamed_Count__c, Skipped_Count__c, Warning_Count__c, Error_Count__c';

let emu: Emulator;
let logId: string;

async function addEntries(outcomes: string[]): Promise<string[]> {
  const res = await emu.api('POST', '/composite/sobjects', {
    allOrNone: true,
    records: outcomes.map((o) => ({
      attributes: { type: 'Process_Log_Entry__c' },
      Process_Log__c: logId,
      Level__c: o === 'Error' ? 'ERROR' : 'INFO',
      Outcome__c: o,
    })),
  });
  expect(res.body.every((r: { success: boolean }) => r.success)).toBe(true);
  return res.body.map((r: { id: string }) => r.id);
}

async function counts(): Promise<Record<string, unknown>> {
  const res = await emu.query(`SELECT ${COUNTS} FROM Process_Log__c WHERE Id = '${logId}'`);
  const { attributes: _a, ...rest } = res.body.records[0];
  return rest;
}

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await emu.admin('POST', '/reset');
  logId = (await emu.api('POST', '/sobjects/Process_Log__c', { Name: 'Sales Invoice Exporter', Run_Id__c: 'run-1', Status__c: 'Running' })).body.id;
});

describe('Process Log counts as roll-up summaries', () => {
  it('when a log has no entries, then every count reads 0', async () => {
    expect(await counts()).toEqual({
      Created_Count__c: 0,
      Matched_Count__c: 0,
      Renamed_Count__c: 0,
      Skipped_Count__c: 0,
      Warning_Count__c: 0,
      Error_Count__c: 0,
    });
  });

  it('when entries are written, then each count follows its Outcome filter; Warning counts Warning and Shortened', async () => {
    await addEntries(['Created', 'Created', 'Matched', 'Renamed', 'Shortened', 'Warning', 'Warning', 'Skipped', 'Error', 'Summary']);
    expect(await counts()).toEqual({
      Created_Count__c: 2,
      Matched_Count__c: 1,
      Renamed_Count__c: 1,
      Skipped_Count__c: 1,
      Warning_Count__c: 3,
      Error_Count__c: 1,
    });
    const one = await emu.api('GET', `/sobjects/Process_Log__c/${logId}`);
    expect(one.body).toMatchObject({ Warning_Count__c: 3, Error_Count__c: 1 });
    const filtered = await emu.query('SELECT Id FROM Process_Log__c WHERE Error_Count__c > 0');
    expect(filtered.body.totalSize).toBe(1);
  });

  it('when an entry changes outcome or is deleted, then the counts are recounted on the next read', async () => {
    const [first, second] = await addEntries(['Error', 'Error']);
    expect((await counts()).Error_Count__c).toBe(2);
    expect((await emu.api('PATCH', `/sobjects/Process_Log_Entry__c/${first}`, { Outcome__c: 'Warning' })).status).toBe(204);
    expect(await counts()).toMatchObject({ Error_Count__c: 1, Warning_Count__c: 1 });
    expect((await emu.api('DELETE', `/sobjects/Process_Log_Entry__c/${second}`)).status).toBe(204);
    expect(await counts()).toMatchObject({ Error_Count__c: 0, Warning_Count__c: 1 });
  });

  it('when a count is written, then the org refuses it with INVALID_FIELD_FOR_INSERT_UPDATE, as for any read-only field', async () => {
    const single = await emu.api('PATCH', `/sobjects/Process_Log__c/${logId}`, { Status__c: 'Succeeded', Error_Count__c: 3 });
    expect(single.status).toBe(400);
    expect(single.body).toEqual([
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message:
          'Unable to create/update fields: Error_Count__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        fields: ['Error_Count__c'],
      },
    ]);
    const batch = await emu.api('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Process_Log__c' }, Id: logId, Created_Count__c: 1, Matched_Count__c: 2 }],
    });
    expect(batch.body[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Created_Count__c', 'Matched_Count__c'] }],
    });
    const insert = await emu.api('POST', '/sobjects/Process_Log__c', { Run_Id__c: 'run-2', Skipped_Count__c: 0 });
    expect(insert.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const seeded = await emu.seed({ Process_Log__c: [{ Run_Id__c: 'run-3', Warning_Count__c: 9 }] });
    expect(seeded.errors).toHaveLength(1);
    expect((await emu.records('Process_Log__c')).find((r) => r.Id === logId)?.Status__c).toBe('Running');
  });

  it('when the Process Log is described, then the counts are calculated, read-only numbers', async () => {
    const describe = await emu.api('GET', '/sobjects/Process_Log__c/describe');
    const f = describe.body.fields.find((x: { name: string }) => x.name === 'Warning_Count__c');
    expect(f).toMatchObject({
      type: 'double',
      calculated: true,
      createable: false,
      updateable: false,
      precision: 18,
      scale: 0,
      nillable: true,
      filterable: true,
    });
  });
});

describe('SUM, MIN and MAX roll-ups from a copy of the metadata', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when an invoice sums, minimises and maximises its taxable lines, then the values follow the lines', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-rollup-'));
    fs.cpSync(FORCE_APP, dir, { recursive: true });
    // A line's Sales_Invoice__c is master-detail; these roll up its numbers onto the invoice.
    const summary = (name: string, op: string, field: string) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${name}</label>
    <summarizedField>Sales_Invoice_Line__c.${field}</summarizedField>
    <summaryFilterItems>
        <field>Sales_Invoice_Line__c.Taxable__c</field>
        <operation>equals</operation>
        <value>True</value>
    </summaryFilterItems>
    <summaryForeignKey>Sales_Invoice_Line__c.Sales_Invoice__c</summaryForeignKey>
    <summaryOperation>${op}</summaryOperation>
    <type>Summary</type>
</CustomField>
`;
    const fields = path.join(dir, 'objects', 'Sales_Invoice__c', 'fields');
    fs.writeFileSync(path.join(fields, 'Taxable_Quantity__c.field-meta.xml'), summary('Taxable_Quantity__c', 'sum', 'Quantity__c'));
    fs.writeFileSync(path.join(fields, 'Lowest_Price__c.field-meta.xml'), summary('Lowest_Price__c', 'min', 'Unit_Price__c'));
    fs.writeFileSync(path.join(fields, 'Highest_Price__c.field-meta.xml'), summary('Highest_Price__c', 'max', 'Unit_Price__c'));
    const custom = await startEmulator({ forceAppDir: dir });
    try {
      await custom.seed({ Company__c: [{ Name: 'Acme US' }], Customer__c: [{ Name: 'Bolt' }] });
      const [company] = await custom.records('Company__c');
      const [customer] = await custom.records('Customer__c');
      await custom.seed({ Sales_Invoice__c: [{ Name: 'SI-1', Company__c: company.Id, Customer__c: customer.Id }] });
      const [invoice] = await custom.records('Sales_Invoice__c');
      expect(invoice).toMatchObject({ Taxable_Quantity__c: 0, Lowest_Price__c: null, Highest_Price__c: null });
      await custom.seed({
        Sales_Invoice_Line__c: [
          { Sales_Invoice__c: invoice.Id, Quantity__c: 2, Unit_Price__c: 10.5, Taxable__c: true },
          { Sales_Invoice__c: invoice.Id, Quantity__c: 3.25, Unit_Price__c: 4, Taxable__c: true },
          { Sales_Invoice__c: invoice.Id, Quantity__c: 100, Unit_Price__c: 1, Taxable__c: false },
        ],
      });
      const res = await custom.query('SELECT Taxable_Quantity__c, Lowest_Price__c, Highest_Price__c FROM Sales_Invoice__c');
      expect(res.body.records[0]).toMatchObject({ Taxable_Quantity__c: 5.25, Lowest_Price__c: 4, Highest_Price__c: 10.5 });
      const describe = await custom.api('GET', '/sobjects/Sales_Invoice__c/describe');
      const sum = describe.body.fields.find((f: { name: string }) => f.name === 'Taxable_Quantity__c');
      expect(sum).toMatchObject({ calculated: true, updateable: false });
    } finally {
      await custom.close();
    }
  });
});
