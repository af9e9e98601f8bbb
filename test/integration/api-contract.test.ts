// The service as one contract and a careful user of the org's API allowance, over HTTP against the whole stack:
// /api/openapi.json is a valid OpenAPI 3.1 document; every answer meets its schema (the test stack checks each one);
// every request has a reference in its header, its error answer and its log lines; the Salesforce calls of a page
// view, a poll and an Export press are counted on the Salesforce emulator (as the org counts them, per user); near
// the reserve the page gets cached counts "as of" their time; and guessed keys are refused for a while.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorAnswerSchema, RunSchema, SummarySchema } from '../../service/src/contract/answers';
import { SIGN_IN_MAX_FAILURES } from '../../service/src/http/auth';
import type { DemoStack } from '../../scripts/demo-stack';
import { until } from '../support/instances';
import { admin, api, startTestStack, waitForRun } from '../support/stack';

jest.setTimeout(240_000);

const INTEGRATION_USER = 'admin@ledgerline.demo';
const VALIDATOR = path.resolve(__dirname, '../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');

/** The OpenAPI validator is an ES module: it runs in a Node process of its own. */
function validateOpenApi(file: string): Promise<{ valid: boolean; errors?: unknown; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VALIDATOR, file], { timeout: 60_000 }, (err, stdout) => {
      const result = JSON.parse(stdout) as { valid: boolean; errors?: unknown };
      resolve({ ...result, valid: result.valid && !err, output: stdout });
    });
  });
}

describe('the service’s contract and its use of the org’s API allowance', () => {
  let stack: DemoStack;
  const logs: string[] = [];
  let skewMs = 0;
  const serviceCalls = async () => ((await admin(stack.sfUrl, 'GET', '/stats')).byUser[INTEGRATION_USER] as number | undefined) ?? 0;
  /** An Apex method of the local org, as the signed-in ERP user runs it (the page's own path to the service). */
  const apex = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${stack.pageUrl}/__org/apex/SalesInvoiceExportController/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    stack = await startTestStack({ web: true, logSink: (line) => logs.push(line), now: () => new Date(Date.now() + skewMs) });
  });
  afterAll(() => stack?.close());

  it('when /api/openapi.json is read (no key needed), then it is a valid OpenAPI 3.1 document naming every route and answer', async () => {
    const res = await fetch(`${stack.serviceUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/companies/{companyId}/summary',
        '/api/companies/{companyId}/exports',
        '/api/runs/{runId}',
        '/api/companies/{companyId}/reconciliation',
      ]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Summary', 'Run', 'Plan', 'LogEntry', 'ErrorAnswer', 'ErrorCode', 'Reconciliation', 'Difference']),
    );
    // An export names invoice numbers or the records to retry (Salesforce ids), never both.
    const exportBody = doc.paths['/api/companies/{companyId}/exports'].post.requestBody.content['application/json'].schema;
    expect(exportBody.properties.records).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(Object.keys(exportBody.properties)).toEqual(expect.arrayContaining(['dryRun', 'invoiceNumbers', 'records', 'fromDate', 'toDate']));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const result = await validateOpenApi(file);
      expect(result.output).toContain('"valid": true');
      expect(result.valid).toBe(true);
      // A broken document is caught: the validator is not a rubber stamp.
      writeFileSync(file, JSON.stringify({ ...doc, paths: { '/api/x': { get: { responses: { '200': { content: 'not an object' } } } } } }));
      expect((await validateOpenApi(file)).valid).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a page is viewed, polled and Export is pressed, then Salesforce calls are counted: 0 for a second view, a poll and a refused press', async () => {
    const company = stack.primaryCompanyId;
    stack.container.exports.forgetPageReads();
    let before = await serviceCalls();
    const first = await apex('getSummary');
    expect(first.status).toBe(200);
    expect(SummarySchema.safeParse(first.body).success).toBe(true);
    const firstView = (await serviceCalls()) - before;
    // The company, then its counts (products, customers, invoices, credit memos, payments) in one /composite call:
    // nothing else.
    expect(firstView).toBe(2);

    before = await serviceCalls();
    expect((await apex('getSummary')).body.counts).toEqual(first.body.counts);
    expect((await serviceCalls()) - before).toBe(0);

    // An export holds QuickBooks' first answer: the run waits there, spending nothing, while the page polls and presses.
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'delay', delayMs: 4000, count: 1 });
    const emails = async () => (await admin<unknown[]>(stack.sfUrl, 'GET', '/emails')).length;
    const emailsBefore = await emails();
    const started = await apex('startExport', { dryRun: false });
    expect(started.status).toBe(200);
    const deadline = Date.now() + 60_000;
    while ((await admin(stack.qboUrl, 'GET', '/stats')).held === 0) {
      if (Date.now() > deadline) throw new Error('the run never reached QuickBooks');
      await new Promise((r) => setTimeout(r, 20));
    }
    before = await serviceCalls();
    const poll = await apex('getRunStatus', { runId: started.body.runId });
    expect(poll.status).toBe(200);
    expect(RunSchema.safeParse(poll.body).success).toBe(true);
    const refused = await api(stack, 'POST', `/api/companies/${company}/exports`, { dryRun: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'EXPORT_RUNNING', runId: started.body.runId });
    const pressed = await apex('startExport', { dryRun: false });
    expect(pressed.status).toBe(500); // an AuraHandledException: the page shows "already running"
    expect((await serviceCalls()) - before).toBe(0);

    const run = await waitForRun(stack, started.body.runId);
    expect(run.status).not.toBe('running');
    // A run with errors is announced to the company's admins (a notification and an email) as it ends: once that is
    // out, the next view's calls are counted alone.
    if (run.status !== 'succeeded') await until('the run’s email to its admins', async () => ((await emails()) > emailsBefore ? true : undefined));
    // The run forgot the company's counts: the next view reads them again, and they moved.
    before = await serviceCalls();
    const after = await apex('getSummary');
    expect((await serviceCalls()) - before).toBe(2);
    expect(after.body.counts.invoices).toBeLessThan(first.body.counts.invoices);
  });

  it('when the org’s allowance is down to its reserve, then the page gets the cached counts marked with their time, and no call is made', async () => {
    const company = stack.primaryCompanyId;
    const fresh = await api(stack, 'GET', `/api/companies/${company}/summary`);
    expect(fresh.body.countsHeld).toBe(false);
    // Other integrations spent the org's allowance down to its 10 % reserve; the service learns it from the next header.
    await admin(stack.sfUrl, 'POST', '/api-usage', { used: 14_000 });
    await stack.container.salesforce.listCompanies();
    expect(stack.container.salesforceAllowance.shouldPause()).toBe(true);
    skewMs = 10 * 60_000; // the counts are ten minutes old now: a view would read them again
    const before = await serviceCalls();
    const held = await api(stack, 'GET', `/api/companies/${company}/summary`);
    expect(held.status).toBe(200);
    expect(held.body.countsHeld).toBe(true);
    expect(held.body.countsAsOf).toBe(fresh.body.countsAsOf);
    expect(held.body.counts).toEqual(fresh.body.counts);
    expect((await serviceCalls()) - before).toBe(0);
    skewMs = 0;
    await admin(stack.sfUrl, 'POST', '/api-usage', { used: 0 });
    await stack.container.salesforce.listCompanies();
  });

  it('when a request fails, then its answer names the request’s reference, the header carries it and its log lines do too', async () => {
    logs.length = 0;
    const res = await fetch(`${stack.serviceUrl}/api/runs/no-such-run`, {
      headers: { Authorization: `Bearer ${stack.apiKey}`, 'X-Request-Id': 'support-ref-0001' },
    });
    const body = await res.json();
    expect(res.status).toBe(404);
    expect(ErrorAnswerSchema.parse(body).error.requestId).toBe('support-ref-0001');
    expect(res.headers.get('x-request-id')).toBe('support-ref-0001');
    const own = logs.filter((line) => line.includes('support-ref-0001'));
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect(own.every((line) => JSON.parse(line).reqId === 'support-ref-0001')).toBe(true);
    // Without an id of its own, a request gets a fresh one.
    const other = await api(stack, 'GET', '/api/runs/another-missing-run');
    expect(other.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a page-side call fails, then the page shows the request’s reference', async () => {
    const missing = await apex('getRunStatus', { runId: 'no-such-run' });
    expect(missing.status).toBe(500);
    expect(missing.body.message).toMatch(/reference [0-9a-f-]{36}/);
  });

  // Last: it locks this address out of the API for the window.
  it('when admin keys are guessed through the Authorization header, then after the sign-in limit even the right key waits', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect((await api(stack, 'GET', '/api/companies', undefined, `guess-${i}`)).status).toBe(401);
    }
    const locked = await api(stack, 'GET', '/api/companies', undefined, stack.adminKey);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.any(Number) });
    expect(locked.body.error.message).toMatch(/refused keys from this address/);
    // Health and the contract need no key and are never locked.
    expect((await fetch(`${stack.serviceUrl}/api/health`)).status).toBe(200);
  });
});
