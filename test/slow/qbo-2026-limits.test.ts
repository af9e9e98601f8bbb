// QuickBooks Online as it is in 2026, end to end through the service: other apps using up a company's shared batch
// ceiling, pacing shown while a run waits for the limits, the monthly read budget, the refresh token's hard expiry
// and Custom transaction numbers switched under a running export.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import type { Notification } from '../../service/src/notifications';
import { admin, api, exportAndWait, markerCopies, sfRecords, startTestStack, waitForHeldCalls, waitForRun } from '../support/stack';

const DAY_MS = 86_400_000;

async function logEntries(stack: DemoStack, companyId: string, processLogId: string): Promise<any[]> {
  const { body } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=20`);
  return body.find((l) => l.id === processLogId)?.entries ?? [];
}

/** No Salesforce invoice twice in QuickBooks, and every one Salesforce marks transferred is there once. */
async function expectNoDuplicates(stack: DemoStack, companyId: string, realmId: string): Promise<void> {
  const copies = await markerCopies(stack.qboUrl, realmId);
  for (const [id, n] of copies) expect({ id, copies: n }).toEqual({ id, copies: 1 });
  const transferred = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === companyId && i.Transferred__c);
  expect(transferred.length).toBeGreaterThan(0);
  for (const inv of transferred) expect({ invoice: inv.Name, copies: copies.get(inv.Id) ?? 0 }).toEqual({ invoice: inv.Name, copies: 1 });
  expect((await admin(stack.qboUrl, 'GET', `/realms/${realmId}/counts`)).sharedInvoiceDocNumbers).toBe(0);
}

/** The documents this product created in QuickBooks (they carry its marker), of every sales form. */
async function createdDocuments(stack: DemoStack, realmId: string): Promise<any[]> {
  const docs: any[] = [];
  for (const entity of ['Invoice', 'CreditMemo', 'SalesReceipt'])
    docs.push(...(await admin<any[]>(stack.qboUrl, 'GET', `/realms/${realmId}/entities/${entity}`)));
  return docs.filter((d) => readMarker(d.PrivateNote));
}

describe('when other apps hold 100 of the company’s 120 batch calls a minute', () => {
  let stack: DemoStack;
  afterAll(() => stack?.close());

  it('then the export paces itself, meets the shared ceiling, names it in its Process Log, and ends with every invoice once', async () => {
    // Small batches make many batch calls: more than the 20 a minute the other apps leave. A "minute" of 3 s, so the
    // run sends more than 20 in one however busy the machine is.
    const windowMs = 3000;
    stack = await startTestStack({ invoices: 150, qboOptions: { timeScale: windowMs / 60_000 }, rateWindowMs: windowMs, env: { QBO_BATCH_SIZE: '3' } });
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/load`, { batchesPerMinute: 100 });
    const started = await api<{ runId: string }>(stack, 'POST', `/api/companies/${companyId}/exports`, {});
    expect(started.status).toBe(202);
    const startedAt = Date.now();
    const waits: any[] = [];
    let run: any;
    for (;;) {
      run = (await api(stack, 'GET', `/api/runs/${started.body.runId}`)).body;
      if (run.waiting) waits.push(run.waiting);
      if (run.finished) break;
      await new Promise((r) => setTimeout(r, 15));
    }
    const elapsed = Date.now() - startedAt;
    expect(run.status).not.toBe('failed');
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(stats.throttledBy.realmBatchPerMinute).toBeGreaterThanOrEqual(1);
    expect(stats.throttledBy.batchPerMinute).toBe(0);
    // Slower: no more than the 20 batch calls a minute the other apps left, so the calls took that many "minutes".
    expect(elapsed).toBeGreaterThanOrEqual((Math.ceil(stats.admitted.batches / 40) - 1) * windowMs);
    expect(stats.admitted.batches).toBeGreaterThan(20);
    // The page saw it pace and saw whose limit the 429 was.
    expect(waits.some((w) => w.cause === 'pacing' && /^pacing to QuickBooks' limits — next (batch|call) in \d+ s$/.test(w.reason))).toBe(true);
    expect(waits.some((w) => w.cause === 'realmBatch' && /shared with its other apps/.test(w.reason))).toBe(true);
    const ceiling = (await logEntries(stack, companyId, run.processLogId)).filter((e) => /company's limit of 120 batch calls a minute/.test(e.message));
    expect(ceiling).toHaveLength(1);
    expect(ceiling[0].message).toMatch(
      /shared with every other app connected to it — other apps used it up\. The export sends less for a while and goes on by itself at \d{4}-/,
    );
    await expectNoDuplicates(stack, companyId, realmId);
    // The run says what it read; the page says what the company and the app read this month.
    expect(run.usage.reads.run).toBeGreaterThan(0);
    const summary = (await api(stack, 'GET', `/api/companies/${companyId}/summary`)).body;
    // The page's count is everything QuickBooks metered: the run's reads and the page's own read of the company name.
    const metered = await admin(stack.qboUrl, 'GET', '/stats');
    expect(metered.byKind.read + metered.byKind.query).toBeLessThanOrEqual(run.usage.reads.run + 1);
    expect(summary.connection.reads).toMatchObject({
      company: metered.byKind.read + metered.byKind.query,
      used: metered.byKind.read + metered.byKind.query,
      budget: 500_000,
    });
    expect(summary.connection.reads.month).toBe(new Date().toISOString().slice(0, 7));
  });
});

describe('when the month’s read budget runs out', () => {
  let stack: DemoStack;
  afterAll(() => stack?.close());

  it('then the run warns at 80 % (and notifies), stops before the read that would pass the budget, and QuickBooks sees no read past it', async () => {
    stack = await startTestStack({ invoices: 4, env: { QBO_MONTHLY_READ_BUDGET: '6' } });
    const notifications: Notification[] = [];
    stack.container.notifications.on((n) => void notifications.push(n));
    const companyId = stack.primaryCompanyId;
    const run = await exportAndWait(stack, companyId);
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('QBO_READ_BUDGET');
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(stats.byKind.read + stats.byKind.query).toBe(6);
    const entries = await logEntries(stack, companyId, run.processLogId);
    const month = new Date().toISOString().slice(0, 7);
    expect(entries.find((e) => /QuickBooks reads for .* \(83%, every company together\)/.test(e.message))).toMatchObject({ level: 'WARN' });
    const stop = entries.find((e) => e.level === 'ERROR' && e.recordType === 'Run');
    expect(stop.message).toMatch(/^The export stopped before reading more from QuickBooks: Ledgerline has used 6 of its 6 QuickBooks reads for /);
    expect(stop.fix).toMatch(/^Export again on or after .* \(UTC\)/);
    expect(notifications).toContainEqual({ type: 'quickbooks.readBudgetLow', companyId, month, used: 5, budget: 6 });
    // The next run stops before its first read.
    const again = await exportAndWait(stack, companyId);
    expect(again.error.code).toBe('QBO_READ_BUDGET');
    expect((await admin(stack.qboUrl, 'GET', '/stats')).byKind.read + stats.byKind.query).toBe(stats.byKind.read + stats.byKind.query);
  });
});

describe('when QuickBooks says the refresh token ends for good in 3 days', () => {
  let stack: DemoStack;
  afterAll(() => stack?.close());

  it('then the next refresh reads it from the token answer and the page warns, though the rolling 100 days are far off', async () => {
    stack = await startTestStack({ invoices: 2 });
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const now = new Date((await admin(stack.qboUrl, 'GET', '/clock')).now);
    const consent = new Date(now);
    consent.setUTCFullYear(consent.getUTCFullYear() - 5);
    consent.setTime(consent.getTime() + 3 * DAY_MS + 3_600_000);
    const issued = await admin(stack.qboUrl, 'POST', '/tokens', { realmId, consentedAt: consent.toISOString() });
    // Connected as before 2026: no word on the hard expiry, 101 rolling days.
    await stack.container.authorization.connect(companyId, {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresIn: issued.expires_in,
      refreshTokenExpiresIn: 8_726_400,
      realmId,
    });
    const before = (await api(stack, 'GET', `/api/companies/${companyId}/summary`)).body.connection;
    expect(before).toMatchObject({ state: 'connected', daysLeft: 100, reason: null });

    await stack.container.authorization.refresh(companyId);
    const after = (await api(stack, 'GET', `/api/companies/${companyId}/summary`)).body.connection;
    expect(after).toMatchObject({ state: 'expiring', daysLeft: 3 });
    expect(after.reason).toMatch(
      /^QuickBooks ends this authorization on \d{4}-\d{2}-\d{2}, five years after it was given, whatever its use\. Connect again before then\.$/,
    );
    expect(Date.parse(after.hardExpiresAt)).toBeGreaterThan(now.getTime() + 3 * DAY_MS);
    expect(Date.parse(after.hardExpiresAt)).toBeLessThan(now.getTime() + 4 * DAY_MS);
    expect(after.refreshTokenExpiresAt).toBe(after.hardExpiresAt);
  });
});

describe('when Custom transaction numbers is turned off in QuickBooks during an export', () => {
  let stack: DemoStack;
  afterAll(() => stack?.close());

  it('then the invoice phase stops with an entry naming the preference and the fix, each invoice created with a wrong number is named, and nothing is duplicated', async () => {
    // One call at a time and two invoices a batch: the invoices go in many calls, one after the other.
    stack = await startTestStack({ invoices: 100, env: { QBO_BATCH_SIZE: '2', QBO_MAX_CONCURRENT: '1' } });
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const approved = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === companyId && i.Approved__c);
    const invoices = approved.filter((i) => i.Invoice_Type__c !== 'Credit Memo');
    // Customers and products first (an export of one invoice brings them all): the next run's batches are invoices.
    expect((await exportAndWait(stack, companyId, { invoiceNumbers: [invoices[0].Name] })).status).toBe('succeeded');
    // The next run's first batch is held in QuickBooks while the preference is switched off.
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'delay', delayMs: 1500, match: { entity: 'batch' } });
    const started = await api<{ runId: string }>(stack, 'POST', `/api/companies/${companyId}/exports`, {});
    const deadline = Date.now() + 60_000;
    while ((await admin(stack.qboUrl, 'GET', '/stats')).held === 0) {
      if (Date.now() > deadline) throw new Error('the first invoice batch never reached QuickBooks');
      await new Promise((r) => setTimeout(r, 10));
    }
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/preferences`, { customTxnNumbers: false });
    await waitForHeldCalls(stack.qboUrl);
    const run = await waitForRun(stack, started.body.runId);
    expect(run.status).toBe('completed_with_errors');
    const entries = await logEntries(stack, companyId, run.processLogId);
    const stop = entries.find((e) => e.recordType === 'Run' && e.level === 'ERROR');
    expect(stop.message).toMatch(
      /^The invoices stopped here: QuickBooks stopped keeping the invoice numbers sent from Salesforce and gave its own: Custom transaction numbers was turned off/,
    );
    expect(stop.fix).toMatch(/turn Custom transaction numbers back on \(Account and Settings > Sales > Sales form content\)/);
    const wrong = entries.filter((e) => e.recordType === 'Invoice' && /with number \d+ instead of NW-/.test(e.message));
    expect(wrong.length).toBeGreaterThan(0);
    // Every invoice QuickBooks numbered itself is named; the rest of the invoices were not sent.
    const created = await createdDocuments(stack, realmId);
    const renumbered = created.filter((d) => !String(d.DocNumber).startsWith('NW-'));
    expect(wrong.length).toBe(renumbered.length);
    expect(created.length).toBeLessThan(approved.length - 5);
    // Once the preference is back on, the next export sends the rest with their numbers, each once.
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/preferences`, { customTxnNumbers: true });
    expect((await exportAndWait(stack, companyId)).status).not.toBe('failed');
    await expectNoDuplicates(stack, companyId, realmId);
    expect((await createdDocuments(stack, realmId)).filter((d) => !String(d.DocNumber).startsWith('NW-'))).toHaveLength(renumbered.length);
  });
});
