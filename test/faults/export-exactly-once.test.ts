// Exactly once: whatever breaks mid-export — a lost answer, a 401, a refused write-back, a killed process —
// the next Export ends with every approved invoice in QuickBooks once and every Salesforce record written back.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { connectWithEmulator, type DemoStack } from '../../scripts/demo-stack';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { readMarker } from '../../service/src/export/marker';
import { call, killableServiceEnv, startServiceProcess } from '../support/instances';
import { admin, api, exportAndWait, sfRecords, startTestStack, waitForHeldCalls } from '../support/stack';

/** Copies in QuickBooks per Salesforce invoice: invoices, and the credit memos credit-type invoices become. */
async function copiesByMarker(qboUrl: string, realmId: string): Promise<Map<string, number>> {
  const invoices = [
    ...(await admin<any[]>(qboUrl, 'GET', `/realms/${realmId}/entities/Invoice`)),
    ...(await admin<any[]>(qboUrl, 'GET', `/realms/${realmId}/entities/CreditMemo`)),
  ];
  const map = new Map<string, number>();
  for (const inv of invoices) {
    const id = readMarker(inv.PrivateNote);
    if (id) map.set(id, (map.get(id) ?? 0) + 1);
  }
  return map;
}

/** Every approved invoice of the company (but `except`) is in QuickBooks exactly once and marked transferred. */
async function expectExactlyOnce(qboUrl: string, sfUrl: string, companyId: string, realmId: string, except: string[] = []) {
  const copies = await copiesByMarker(qboUrl, realmId);
  const invoices = (await admin<any[]>(sfUrl, 'GET', '/records/Sales_Invoice__c')).filter((i) => i.Company__c === companyId && i.Approved__c);
  expect(invoices.length).toBeGreaterThan(0);
  for (const inv of invoices) {
    if (except.includes(inv.Id)) continue;
    expect({ invoice: inv.Name, copies: copies.get(inv.Id) ?? 0, transferred: inv.Transferred__c, linked: !!inv.Financial_System_Invoice_Id__c }).toEqual({
      invoice: inv.Name,
      copies: 1,
      transferred: true,
      linked: true,
    });
  }
}

describe('when an export is interrupted', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let collision: string;

  beforeEach(async () => {
    stack = await startTestStack();
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    collision = stack.data.facts.expected[companyId]!.docNumberCollision!.invoiceId;
    // Customers and products first (an export of one invoice brings them all), so faults hit invoice batches.
    const one = stack.data.salesforce.records.Sales_Invoice__c!.find((i) => i.Company__c === companyId && i.Approved__c === true && i.Id !== collision)!;
    const warmUp = await exportAndWait(stack, companyId, { invoiceNumbers: String(one.Name) });
    expect(warmUp.status).toBe('succeeded');
  });
  afterEach(() => stack?.close());

  it('when QuickBooks saves the invoices but every answer is lost, then the next export finds them by marker and creates none twice', async () => {
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'resetAfterCommit', count: 1000, match: { entity: 'batch' } });
    const broken = await exportAndWait(stack, companyId);
    expect(broken.status).toBe('failed');
    await admin(stack.qboUrl, 'DELETE', '/faults');
    const saved = await copiesByMarker(stack.qboUrl, realmId);
    expect(saved.size).toBeGreaterThan(1); // QuickBooks really has them although the export never heard back

    const statsBefore = await admin(stack.qboUrl, 'GET', '/stats');
    const again = await exportAndWait(stack, companyId);
    const statsAfter = await admin(stack.qboUrl, 'GET', '/stats');
    expect(again.counts.errors).toBe(1); // only the seeded number collision
    await expectExactlyOnce(stack.qboUrl, stack.sfUrl, companyId, realmId, [collision]);
    // The recovered invoices were found by query, not sent again: the only batch left is the collision's.
    expect((statsAfter.batchItemsByEntity.Invoice ?? 0) - (statsBefore.batchItemsByEntity.Invoice ?? 0)).toBe(1);
  });

  it('when QuickBooks answers 401 mid-run, then the run stops with the UNAUTHORIZED sentence and the next export finishes exactly once', async () => {
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'http401', count: 1000, match: { entity: 'batch' } });
    const stopped = await exportAndWait(stack, companyId);
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toEqual({ code: 'QBO_UNAUTHORIZED', message: UNAUTHORIZED_SENTENCE });
    const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=1`);
    expect(logs[0].status).toBe('Failed');
    expect(logs[0].entries.filter((e: any) => e.level === 'ERROR' && e.message === UNAUTHORIZED_SENTENCE)).toHaveLength(1);

    await admin(stack.qboUrl, 'DELETE', '/faults');
    const again = await exportAndWait(stack, companyId);
    expect(again.error).toBeNull();
    await expectExactlyOnce(stack.qboUrl, stack.sfUrl, companyId, realmId, [collision]);
  });

  it('when a QuickBooks answer comes after the time-out, then the retry with the same requestid creates nothing twice', async () => {
    await stack.close();
    stack = await startTestStack({ env: { QBO_REQUEST_TIMEOUT_MS: '1000' } });
    // The secondary company lets QuickBooks number invoices, so nothing but the requestid stops a second copy.
    const id = stack.secondaryCompanyId;
    const realm = stack.data.facts.realmIds.secondary;
    await connectWithEmulator(stack.container, stack.qboUrl, id, realm);
    const one = stack.data.salesforce.records.Sales_Invoice__c!.find((i) => i.Company__c === id && i.Approved__c === true)!;
    expect((await exportAndWait(stack, id, { invoiceNumbers: String(one.Name) })).status).toBe('succeeded');
    // The next invoice batch is held 3 s: the service gives up at 1 s and sends it again while QuickBooks
    // still works on the first one, which then lands too.
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'delay', delayMs: 3000, count: 1, match: { entity: 'batch' } });
    const statsBefore = await admin(stack.qboUrl, 'GET', '/stats');
    const run = await exportAndWait(stack, id);
    const statsAfter = await waitForHeldCalls(stack.qboUrl); // the held call finishes inside QuickBooks
    expect(run.error).toBeNull();
    expect(statsAfter.byKind.batch - statsBefore.byKind.batch).toBeGreaterThan(1); // the time-out was retried
    await expectExactlyOnce(stack.qboUrl, stack.sfUrl, id, realm);
  });

  it('when the Salesforce session expires mid-run, then the service signs in again and the export finishes exactly once', async () => {
    await admin(stack.sfUrl, 'POST', '/expire-sessions');
    const statsBefore = await admin(stack.sfUrl, 'GET', '/stats');
    const run = await exportAndWait(stack, companyId);
    const statsAfter = await admin(stack.sfUrl, 'GET', '/stats');
    expect(run.error).toBeNull();
    expect(statsAfter.byKind.auth - statsBefore.byKind.auth).toBeGreaterThanOrEqual(1);
    await expectExactlyOnce(stack.qboUrl, stack.sfUrl, companyId, realmId, [collision]);
  });

  it('when Salesforce refuses one write-back, then the others are saved, the error names the record, and the next export links it without a second invoice', async () => {
    const target = (await sfRecords(stack, 'Sales_Invoice__c')).find(
      (i) => i.Company__c === companyId && i.Approved__c && !i.Transferred__c && i.Id !== collision,
    );
    await admin(stack.sfUrl, 'POST', '/faults', {
      kind: 'recordError',
      recordId: target.Id,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Invoices are locked during period close',
    });
    const run = await exportAndWait(stack, companyId);
    expect(run.status).toBe('completed_with_errors');
    const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=1`);
    const entry = logs[0].entries.find((e: any) => e.recordId === target.Id && e.level === 'ERROR');
    expect(entry.message).toContain('Invoices are locked during period close');
    const inQuickBooks = (await admin<any[]>(stack.qboUrl, 'GET', `/realms/${realmId}/entities/Invoice`)).find((i) => readMarker(i.PrivateNote) === target.Id);
    expect(entry.quickBooksId).toBe(inQuickBooks.Id);
    const others = (await sfRecords(stack, 'Sales_Invoice__c')).filter(
      (i) => i.Company__c === companyId && i.Approved__c && i.Id !== collision && i.Id !== target.Id,
    );
    expect(others.every((i) => i.Transferred__c)).toBe(true);

    await admin(stack.sfUrl, 'DELETE', '/faults');
    const statsBefore = await admin(stack.qboUrl, 'GET', '/stats');
    await exportAndWait(stack, companyId);
    const statsAfter = await admin(stack.qboUrl, 'GET', '/stats');
    await expectExactlyOnce(stack.qboUrl, stack.sfUrl, companyId, realmId, [collision]);
    // The collision only: the victim came from the journal.
    expect((statsAfter.batchItemsByEntity.Invoice ?? 0) - (statsBefore.batchItemsByEntity.Invoice ?? 0)).toBe(1);
  });
});

describe('when the service process is killed mid-export', () => {
  const children: ChildProcess[] = [];
  let dataDir: string;
  const schema = process.env.DATABASE_URL ? `ledgerline_k${randomBytes(4).toString('hex')}` : undefined;
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('then a new service on the same store finishes the export with every invoice once', async () => {
    const qbo = await startQboEmulator({ port: 0, timeScale: 0.02, latencyMs: 15 });
    const sf = await startSalesforceEmulator({ port: 0 });
    try {
      const data = generateDemoData({ seed: 7, invoices: 400, keyPrefixes: await fetchKeyPrefixes(sf.url) });
      await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-kill-'));
      const companyId = data.facts.primaryCompanyId;
      const realmId = data.facts.realmIds.primary;
      const env = killableServiceEnv(
        { qbo: qbo.port, sf: sf.port },
        { DATA_DIR: dataDir, ...(schema ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}) },
      );
      const key = env.LEDGERLINE_API_KEY!;

      const first = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: companyId, CONNECT_REALM_ID: realmId }, children);
      const { body: started } = await call(first.url, key, 'POST', `/api/companies/${companyId}/exports`, {});
      // Kill it once some invoices are in QuickBooks and others are not (batch calls are spaced by the rate limit,
      // so there is time between the first and the last).
      for (;;) {
        const { body } = await call(first.url, key, 'GET', `/api/runs/${started.runId}`);
        if ((await copiesByMarker(qbo.url, realmId)).size > 0) break;
        if (body.finished) throw new Error(`the export finished before it could be killed: ${JSON.stringify(body)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await first.kill();
      const approved = data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true).length;
      const before = await copiesByMarker(qbo.url, realmId);
      expect(before.size).toBeGreaterThan(0);
      expect(before.size).toBeLessThan(approved - 1); // really cut off part-way (one invoice can never go: its number collides)

      const second = await startServiceProcess(env, children);
      // Once the dead run's Company lock lease has run out, the new service closes it — in the store and in its
      // Salesforce Process Log, with what it had done — without waiting for the next export.
      const deadline = Date.now() + 30_000;
      let closed: any;
      for (;;) {
        closed = (await call(second.url, key, 'GET', `/api/runs/${started.runId}`)).body;
        if (closed.finished || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(closed).toMatchObject({ status: 'failed', error: { code: 'EXPORT_INTERRUPTED', message: expect.stringMatching(/^The export was interrupted/) } });
      let deadLog: any;
      while (Date.now() < deadline) {
        deadLog = (await admin<any[]>(sf.url, 'GET', '/records/Process_Log__c')).find((l) => l.Run_Id__c === started.runId);
        if (deadLog?.Status__c !== 'Running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(deadLog).toMatchObject({ Status__c: 'Failed', Summary__c: closed.error.message });
      expect(Number(/had created (\d+)/.exec(deadLog.Summary__c)?.[1])).toBeGreaterThan(0); // what it had done
      // ... and resumes it from the journal: a new run, of the same export, already going (it starts just after the
      // dead run's log is closed: the page's summary names it once it does).
      while (Date.now() < deadline && !(await call(second.url, key, 'GET', `/api/companies/${companyId}/summary`)).body.activeRunId) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const { status, body: again } = await call(second.url, key, 'POST', `/api/companies/${companyId}/exports`, {});
      expect(status).toBe(409);
      const resumedId = again.error.runId;
      let view: any;
      for (;;) {
        view = (await call(second.url, key, 'GET', `/api/runs/${resumedId}`)).body;
        if (view.finished) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(view.error).toBeNull();
      expect(view.resumedFrom).toBe(started.runId);
      const collision = data.facts.expected[companyId]!.docNumberCollision!.invoiceId;
      await expectExactlyOnce(qbo.url, sf.url, companyId, realmId, [collision]);
      const { body: previous } = await call(second.url, key, 'GET', `/api/runs/${started.runId}`);
      expect(previous.status).toBe('failed');
      expect(previous.error.message).toMatch(/interrupted/);
    } finally {
      await Promise.all([qbo.close(), sf.close()]);
    }
  });
});

describe('when an export is slow to start', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ lockLeaseMs: 1000 });
  });
  afterAll(() => stack?.close());

  it('then a status read while it reads its company, for longer than the lock lease, does not take it for an interrupted run', async () => {
    const companyId = stack.primaryCompanyId;
    // Both reads of the company (the API's, then the run's own) answer after three lock leases.
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'delay', delayMs: 3000, count: 2, match: { path: 'FROM%20Company__c' } });
    const run = await exportAndWait(stack, companyId);
    expect((await admin(stack.sfUrl, 'GET', '/faults')).pending.calls).toBe(0); // both slow reads happened
    expect(run).toMatchObject({ error: null, resumedFrom: null });
    expect(run.counts.created).toBeGreaterThan(0);
  });

  it('then a run whose own company read fails ends failed naming Salesforce, not as interrupted, and frees the company', async () => {
    const companyId = stack.primaryCompanyId;
    // The API's read passes; the run's own read fails, and so does its one quick retry.
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'delay', delayMs: 1, count: 1, match: { path: 'FROM%20Company__c' } });
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 2, match: { path: 'FROM%20Company__c' } });
    const run = await exportAndWait(stack, companyId);
    expect((await admin(stack.sfUrl, 'GET', '/faults')).pending.calls).toBe(0);
    expect(run).toMatchObject({
      status: 'failed',
      resumedFrom: null,
      error: { code: 'SALESFORCE_UNAVAILABLE', message: expect.stringMatching(/^The export could not start: Salesforce is not available right now/) },
    });
    // The company is free again: the next export runs (its one error is the demo's deliberate number clash).
    const next = await exportAndWait(stack, companyId);
    expect(next).toMatchObject({ status: 'completed_with_errors', resumedFrom: null, error: null, counts: { errors: 1 } });
  });
});
