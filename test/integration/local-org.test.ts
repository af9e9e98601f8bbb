// The local org's Apex (web/org/apex.ts) over HTTP, as the page calls it: each demo user's Company comes from their
// user record, the Process Log is read from the Salesforce emulator with ProcessLogSelector's queries (company,
// level, outcome, record kind, search, paging by key), and it keeps answering with the Ledgerline service stopped.
import { randomBytes } from 'node:crypto';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { exportAndWait, waitForRun } from '../support/stack';

jest.setTimeout(180_000);

describe('local org: the Apex behind the page', () => {
  let stack: DemoStack;
  let logId: string;

  async function apex(user: string, method: string, params: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
    const [className, name] = method.split('.');
    const res = await fetch(`${stack.pageUrl}/__org/apex/${className}/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `ll_view_as=${encodeURIComponent(user)}` },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: await res.json() };
  }

  const nora = () => stack.users[0]!.username;
  const hal = () => stack.users[1]!.username;
  const sam = () => stack.users[2]!.username;

  beforeAll(async () => {
    stack = await startDemoStack({
      port: 0,
      invoices: 10,
      seed: 31,
      ephemeral: true,
      env: { ...process.env, LOG_LEVEL: 'silent', TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
    });
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    logId = run.processLogId;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("when each user asks for the summary, then it is their own Company's; a user without one is told who sets it", async () => {
    const northwind = await apex(nora(), 'SalesInvoiceExportController.getSummary');
    const harbor = await apex(hal(), 'SalesInvoiceExportController.getSummary');
    const none = await apex(sam(), 'SalesInvoiceExportController.getSummary');

    expect(northwind.body.companyId).toBe(stack.primaryCompanyId);
    expect(harbor.body.companyId).toBe(stack.secondaryCompanyId);
    expect(none.status).toBe(500);
    expect(none.body.message).toContain('An administrator sets the Ledgerline Company field on your user record');
  });

  it("when a user asks for another company's run, then it is not found", async () => {
    const run = await exportAndWait(stack, stack.primaryCompanyId, { dryRun: true });

    const own = await apex(nora(), 'SalesInvoiceExportController.getRunStatus', { runId: run.runId });
    const foreign = await apex(hal(), 'SalesInvoiceExportController.getRunStatus', { runId: run.runId });

    expect(own.status).toBe(200);
    expect(foreign.status).toBe(500);
    expect(foreign.body.message).toBe('That export run was not found for your Company.');
  });

  it("when a user syncs the QuickBooks status, then it is their Company's sync; another user cannot read it; a company not connected is told why", async () => {
    const started = await apex(nora(), 'SalesInvoiceExportController.syncStatusNow');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ companyId: stack.primaryCompanyId, startedBy: 'manual' });
    let sync = started.body;
    const deadline = Date.now() + 60_000;
    while (!sync.finished && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sync = (await apex(nora(), 'SalesInvoiceExportController.getStatusSync', { syncId: started.body.syncId })).body;
    }
    expect(sync).toMatchObject({ status: 'succeeded', finished: true, reads: { sync: 1 } });
    const foreign = await apex(hal(), 'SalesInvoiceExportController.getStatusSync', { syncId: started.body.syncId });
    expect(foreign.body.message).toMatch(/^That QuickBooks status sync was not found for your Company\. \(reference [0-9a-f-]{36}\)$/);
    const notConnected = await apex(hal(), 'SalesInvoiceExportController.syncStatusNow');
    expect(notConnected.status).toBe(500);
    expect(notConnected.body.message).toContain('is not connected to QuickBooks Online');
    const summary = await apex(nora(), 'SalesInvoiceExportController.getSummary');
    expect(summary.body.statusSync.last.syncId).toBe(started.body.syncId);
  });

  it("when the runs are listed, then each user sees only their Company's, newest first, paged by start time", async () => {
    const second = await exportAndWait(stack, stack.primaryCompanyId);

    const first = await apex(nora(), 'ProcessLogController.getRuns', { pageSize: 1 });
    const next = await apex(nora(), 'ProcessLogController.getRuns', { pageSize: 1, startedBefore: first.body.runs[0].Start_Time__c });
    const harbor = await apex(hal(), 'ProcessLogController.getRuns', { pageSize: 10 });

    expect(first.body).toMatchObject({ total: 2, hasMore: true });
    expect(first.body.runs[0].Id).toBe(second.processLogId);
    expect(next.body).toMatchObject({ total: 2, hasMore: false });
    expect(next.body.runs[0].Id).toBe(logId);
    expect(harbor.body).toEqual({ runs: [], total: 0, hasMore: false });
    // Records as Apex hands them to a component: no attributes, no null fields.
    expect(first.body.runs[0].attributes).toBeUndefined();
    expect(Object.values(first.body.runs[0])).not.toContain(null);
  });

  it('when entries are filtered by level, outcome and kind, searched and paged, then the org answers the selector query', async () => {
    const all = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { pageSize: 200 } });
    const errors = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { level: 'ERROR' } });
    const created = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { outcome: 'Created', recordType: 'Customer' } });
    const failedName = errors.body.entries[0].Record_Name__c as string;
    const searched = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { searchTerm: failedName } });
    const wildcard = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { searchTerm: '%' } });
    const page1 = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { pageSize: 5 } });
    const page2 = await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { pageSize: 5, afterName: page1.body.entries[4].Name } });

    expect(all.body.total).toBe(all.body.entries.length);
    expect(errors.body.total).toBeGreaterThan(0);
    expect(errors.body.entries.every((e: { Level__c: string }) => e.Level__c === 'ERROR')).toBe(true);
    expect(created.body.entries.length).toBeGreaterThan(0);
    expect(
      created.body.entries.every((e: { Outcome__c: string; Record_Type__c: string }) => e.Outcome__c === 'Created' && e.Record_Type__c === 'Customer'),
    ).toBe(true);
    expect(searched.body.entries.some((e: { Record_Name__c?: string }) => e.Record_Name__c === failedName)).toBe(true);
    expect(searched.body.total).toBeLessThan(all.body.total);
    // A % in the search box matches a literal %, not everything.
    expect(wildcard.body.total).toBeLessThan(all.body.total);
    expect(page1.body).toMatchObject({ hasMore: true, total: all.body.total });
    expect(page2.body.entries.map((e: { Name: string }) => e.Name)).toEqual(all.body.entries.slice(5, 10).map((e: { Name: string }) => e.Name));
  });

  it("when a user retries a run's errors from the Process Log, then one run of those records starts and the errors point to it; another company's user cannot", async () => {
    const foreign = await apex(hal(), 'ProcessLogController.retryRun', { processLogId: logId });
    expect(foreign.status).toBe(500);
    expect(foreign.body.message).toBe('That Process Log was not found, or you do not have access to it.');
    const nothing = await apex(nora(), 'ProcessLogController.retryRecords', { recordIds: [' '] });
    expect(nothing.body.message).toMatch(/^There is no error left to retry/);

    const errorsBefore = (await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { level: 'ERROR' } })).body.entries;
    expect(errorsBefore.length).toBeGreaterThan(0);
    const started = await apex(nora(), 'ProcessLogController.retryRun', { processLogId: logId });
    expect(started.status).toBe(200);
    const retry = await waitForRun(stack, started.body.runId);
    const errorsAfter = (await apex(nora(), 'ProcessLogController.getEntries', { processLogId: logId, query: { level: 'ERROR' } })).body.entries;
    // The demo's deliberate error (a number QuickBooks already holds) is unchanged, so it failed again.
    expect(errorsAfter.map((e: any) => [e.Record_Id__c, e.Retried_In__c, e.Retry_Outcome__c])).toEqual(
      errorsBefore.map((e: any) => [e.Record_Id__c, retry.processLogId, 'Failed Again']),
    );
    const again = await apex(nora(), 'ProcessLogController.retryRun', { processLogId: logId });
    expect(again.body.message).toMatch(/^There is no error left to retry/);
  });

  it('when the service is stopped, then the summary says it cannot be reached and the Process Log still reads', async () => {
    await stack.stopService();

    const summary = await apex(nora(), 'SalesInvoiceExportController.getSummary');
    const runs = await apex(nora(), 'ProcessLogController.getRuns', {});
    const log = await apex(nora(), 'ProcessLogController.getRun', { processLogId: logId });
    const missing = await apex(nora(), 'ProcessLogController.getRun', { processLogId: 'a0C000000000000AAA' });

    expect(summary.status).toBe(500);
    expect(summary.body.message).toMatch(/^Ledgerline cannot be reached right now/);
    expect(summary.body.message).toMatch(/Named Credential/);
    expect(summary.body.message).not.toMatch(/ECONNREFUSED|fetch failed/);
    // The first export, the second, and the retry of the first one's errors.
    expect(runs.body.total).toBe(3);
    expect(log.body.Id).toBe(logId);
    expect(missing.status).toBe(500);
    expect(missing.body.message).toBe('That Process Log was not found, or you do not have access to it.');
  });
});
