// What QuickBooks confirmed is never forgotten when Salesforce fails: write-back and Process Log writes ride out a
// brief outage, and what Salesforce still does not take stays in the journal until it does — written back in the
// background, without a new export, with nothing sent to QuickBooks twice.
import type { DemoStack } from '../../scripts/demo-stack';
import { until } from '../support/instances';
import { admin, api, exportAndWait, sfRecords, startTestStack } from '../support/stack';

describe('when Salesforce fails while an export writes back', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack({ invoices: 30, finishWriteBackDelaysMs: [300, 600, 1200, 2400, 4800] });
  });
  afterEach(() => stack?.close());

  const transferred = async () =>
    (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === stack.primaryCompanyId && i.Transferred__c).length;

  it('when two write-back calls answer 503, then the retries carry it and the run succeeds as usual', async () => {
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 2, match: { method: 'PATCH', kind: 'composite' } });
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed_with_errors'); // the seeded number collision only
    const exported = stack.data.facts.expected[stack.primaryCompanyId]!.approvedInvoices - 1;
    expect(await transferred()).toBe(exported);
  });

  it('when Salesforce saves Process Log entries but the answer is lost, then the retry adds none of them twice', async () => {
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'answerLost', count: 1, match: { method: 'POST', kind: 'composite' } });
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.error).toBeNull();
    expect((await admin(stack.sfUrl, 'GET', '/faults')).pending.calls).toBe(0); // the answer was lost
    const entries = (await sfRecords(stack, 'Process_Log_Entry__c')).filter((e) => e.Process_Log__c === run.processLogId);
    const names = entries.map((e) => e.Name as string).sort();
    expect(names).toEqual(Array.from({ length: names.length }, (_, i) => String(i + 1).padStart(6, '0')));
    const entriesOf = (outcome: string) => entries.filter((e) => e.Outcome__c === outcome).length;
    expect({ created: entriesOf('Created'), matched: entriesOf('Matched'), errors: entriesOf('Error') }).toEqual({
      created: run.counts.created,
      matched: run.counts.matched,
      errors: run.counts.errors,
    });
  });

  it('when Salesforce keeps refusing write-backs, then the run says what is owed, and once Salesforce answers the links are written back by themselves', async () => {
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 100_000, match: { method: 'PATCH', kind: 'composite' } });
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('WRITE_BACK_PENDING');
    expect(run.error.message).toMatch(/^QuickBooks has what this export created, but Salesforce did not take \d+ of the QuickBooks links back/);
    expect(await transferred()).toBe(0);
    const qboBefore = await admin(stack.qboUrl, 'GET', '/stats');
    await admin(stack.sfUrl, 'DELETE', '/faults');
    const exported = stack.data.facts.expected[stack.primaryCompanyId]!.approvedInvoices - 1;
    await until('the background write-back', async () => ((await transferred()) === exported ? true : undefined));
    const qboAfter = await admin(stack.qboUrl, 'GET', '/stats');
    expect(qboAfter.batchItems).toBe(qboBefore.batchItems); // nothing sent to QuickBooks again
    const { body: summary } = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/summary`);
    expect(summary.counts).toMatchObject({ customers: 0, products: 0, invoices: 1 });
  });
});

describe('when the org’s daily API allowance is nearly spent', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack({ invoices: 30, allowancePollMs: 150 });
  });
  afterEach(() => stack?.close());

  it('then the export pauses before it runs out, says so on the run and in the Process Log, and goes on once calls are available', async () => {
    // 14,950 of the 15,000 calls spent: under the 10% the service keeps for the org's other integrations.
    await admin(stack.sfUrl, 'POST', '/api-usage', { used: 14_950 });
    const started = await api<{ runId: string }>(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, {});
    expect(started.status).toBe(202);
    const paused = await until('the pause', async () => {
      const { body } = await api(stack, 'GET', `/api/runs/${started.body.runId}`);
      return body.waiting ? body : undefined;
    });
    expect(paused.finished).toBe(false);
    expect(paused.waiting.reason).toMatch(/^Salesforce API allowance low \(\d+ of 15000 calls left, 1500 kept for the org's other integrations\)$/);
    const qboCalls = (await admin(stack.qboUrl, 'GET', '/stats')).byKind.batch;
    // A new day (or the other integrations slowing down): calls are available again.
    await admin(stack.sfUrl, 'POST', '/api-usage', { used: 100 });
    const done = await until('the end of the run', async () => {
      const { body } = await api(stack, 'GET', `/api/runs/${started.body.runId}`);
      return body.finished ? body : undefined;
    });
    expect(done.error).toBeNull();
    expect((await admin(stack.qboUrl, 'GET', '/stats')).byKind.batch).toBeGreaterThan(qboCalls);
    const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/process-logs?limit=1`);
    expect(logs[0].entries.find((e: any) => e.recordType === 'Run' && e.outcome === 'Warning').message).toMatch(
      /^The export paused: Salesforce's daily API allowance is nearly spent/,
    );
  });
});
