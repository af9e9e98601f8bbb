// The repository's Bulk API 2.0 writes against the Salesforce emulator: a job costs create, upload, close and one
// poll when every row is taken; the failed-results file is read only when rows failed; a null clears its field.
import jsforce from 'jsforce';
import type { JournalRepository } from '../../service/src/store/types';
import { SalesforceRepository } from '../../service/src/salesforce/repository';
import { SalesforceWriteBack } from '../../service/src/salesforce/writeBack';
import { seedInvoices, startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;
let repo: SalesforceRepository;

beforeAll(async () => {
  emu = await startEmulator();
  repo = new SalesforceRepository(new jsforce.Connection({ instanceUrl: emu.url, accessToken: emu.token, version: '62.0' }), { bulkPollMs: 20 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin('POST', '/reset'));

const exported = (Id: string, n: number) => ({
  type: 'Sales_Invoice__c',
  Id,
  Financial_System_Invoice_Id__c: String(100 + n),
  Transferred__c: true,
  Export_Status__c: 'Exported',
  Last_Export_Error__c: null,
});

describe('bulk writes of the repository', () => {
  it('when invoices an earlier run failed are written back exported, then one job of four calls clears their error', async () => {
    const { invoiceIds } = await seedInvoices(emu, 300);
    await emu.seed({ Sales_Invoice__c: invoiceIds.map((Id) => ({ Id, Export_Status__c: 'Error', Last_Export_Error__c: 'QuickBooks refused the customer' })) });
    await emu.admin('POST', '/stats/reset');

    const results = await repo.bulk('update', invoiceIds.map(exported));

    expect(results.every((r) => r.success)).toBe(true);
    const stats = (await emu.admin('GET', '/stats')).body;
    expect(stats.byEndpoint).toEqual({ 'POST /jobs/ingest': 1, 'PUT /jobs/ingest/:id/batches': 1, 'PATCH /jobs/ingest/:id': 1, 'GET /jobs/ingest/:id': 1 });
    const after = await emu.records('Sales_Invoice__c');
    expect(after.filter((i) => i.Last_Export_Error__c !== null || i.Export_Status__c !== 'Exported')).toEqual([]);
  });

  it('when a row is refused, then the failed results are read and only that record carries the refusal', async () => {
    const { invoiceIds } = await seedInvoices(emu, 250);
    const victim = invoiceIds[7]!;
    await emu.admin('POST', '/faults', { kind: 'recordError', recordId: victim, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Period is closed' });
    await emu.admin('POST', '/stats/reset');

    const results = await repo.bulk('update', invoiceIds.map(exported));

    expect(results.filter((r) => !r.success)).toEqual([
      { id: null, success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: expect.stringContaining('Period is closed') }] },
    ]);
    expect(results[7]!.success).toBe(false);
    const stats = (await emu.admin('GET', '/stats')).body;
    expect(stats.byEndpoint['GET /jobs/ingest/:id/failedResults']).toBe(1);
    expect(stats.byEndpoint['GET /jobs/ingest/:id/successfulResults']).toBeUndefined();
    expect(stats.total).toBe(5);
  });

  it('when records are inserted, then each gets its new id, matched back by its unique name', async () => {
    const { companyId } = await seedInvoices(emu, 1);
    const logId = await repo.createOne('Process_Log__c', { Name: 'Sales Invoice Exporter', Company__c: companyId, Status__c: 'Running' });
    const entries = Array.from({ length: 220 }, (_, i) => ({
      type: 'Process_Log_Entry__c',
      Name: String(i + 1).padStart(6, '0'),
      Process_Log__c: logId,
      Level__c: 'INFO',
      Message__c: `entry ${i + 1}`,
    }));

    const results = await repo.bulk('insert', entries, 'Name');

    const saved = new Map((await emu.records('Process_Log_Entry__c')).map((e) => [e.Name as string, e.Id as string]));
    expect(results.map((r) => r.id)).toEqual(entries.map((e) => saved.get(e.Name)));
  });

  it('when a phase of a large run ends, then its object is written back at once while the others wait for the commit', async () => {
    const { invoiceIds } = await seedInvoices(emu, 300);
    const productId = (await emu.records('Product__c'))[0]!.Id as string;
    // Updates carry no journal entries here: nothing is marked written back, so the journal is never asked.
    const journal = {} as JournalRepository;
    const writeBack = new SalesforceWriteBack(
      repo,
      journal,
      { QuickBooks_Primary_Company__c: true },
      () => undefined,
      { attempts: 1, baseMs: 1 },
      undefined,
      301,
      {
        threshold: 100,
        chunk: 10_000,
      },
    );
    writeBack.register({ kind: 'product', subject: { id: productId, name: 'Widget' }, targetId: '77' });
    invoiceIds.forEach((id, n) => writeBack.register({ kind: 'invoice', subject: { id, name: `SI-${n}` }, targetId: String(100 + n), number: null }));

    await writeBack.commitKinds(['customer', 'product']);

    expect((await emu.records('Product__c'))[0]!.Financial_System_Product_Id__c).toBe('77');
    expect((await emu.records('Sales_Invoice__c')).filter((i) => i.Transferred__c === true)).toEqual([]);
    await writeBack.commit();
    const invoices = await emu.records('Sales_Invoice__c');
    expect(invoices.filter((i) => i.Transferred__c === true)).toHaveLength(300);
    expect(writeBack.committed).toBe(301);
  });
});
