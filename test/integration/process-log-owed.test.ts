// A run whose Process Log entries Salesforce would not take at the end (it was down): the entries are kept in the
// store, not dropped, and added to the log in order once Salesforce answers again — the log is not left empty.
import type { DemoStack } from '../../scripts/demo-stack';
import { admin, exportAndWait, sfRecords, startTestStack } from '../support/stack';

jest.setTimeout(180_000);

describe('when Salesforce refuses the Process Log entries at the end of a run', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6, finishWriteBackDelaysMs: [200, 400, 800, 1600] });
  });
  afterAll(() => stack?.close());

  it('then they stay owed and are written to the log later, in order', async () => {
    const company = stack.primaryCompanyId;
    // Every composite create fails for a while: the run's entries (written at its end) cannot reach the log.
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 5, match: { method: 'POST', path: '/composite/sobjects' } });
    const run = await exportAndWait(stack, company, { invoiceNumbers: 'SI-000001' });
    expect(run.error?.code).toBe('PROCESS_LOG_FAILED');
    expect(run.processLogId).toBeTruthy();
    const log = (await sfRecords(stack, 'Process_Log__c')).find((l) => l.Id === run.processLogId);
    expect(log.Status__c).not.toBe('Running');
    expect(log.Summary__c).toMatch(/could not be written to this log yet: .*They are kept and added to this log once Salesforce takes them\./);

    const deadline = Date.now() + 60_000;
    let entries: any[] = [];
    while (Date.now() < deadline) {
      entries = (await sfRecords(stack, 'Process_Log_Entry__c')).filter((e) => e.Process_Log__c === run.processLogId);
      if (entries.some((e) => e.Outcome__c === 'Summary')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(entries.length).toBeGreaterThan(1);
    const names = entries.map((e) => e.Name).sort();
    expect(names[0]).toBe('000001');
    expect(entries.find((e) => e.Name === names.at(-1)).Outcome__c).toBe('Summary');
    expect(await stack.container.store.owedLogEntries.list(company)).toEqual([]);
  });
});
