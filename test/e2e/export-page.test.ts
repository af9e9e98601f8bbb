// The Sales Invoice Export page in headless Chromium against the whole demo stack — QuickBooks and Salesforce
// emulators, the service, and the local org that renders force-app's components with Salesforce's base components:
// ERP users of two companies switch with "View as", see their own company's counts, export from the page and read
// the Process Log, which keeps working with the service stopped; links open the records; a 90-day-old token warns;
// a 401 shows the UNAUTHORIZED sentence; a box of commas is refused on the field; a dry run lists its renames; axe finds no serious violation.
// Screenshots go to test-artifacts/.
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { connectWithEmulator, startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { sharedBundle } from '../../web/serve';
import { openBrowser, screenshot, type Browser } from '../support/browser';

jest.setTimeout(300_000);

const EXPORT_TIMEOUT_MS = 180_000;
const DAY_MS = 86_400_000;

type Quantity = 'productCount' | 'customerCount' | 'invoiceCount';

function watch(page: Page, problems: string[], allowed: RegExp[] = []): Page {
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((re) => re.test(msg.text()))) problems.push(`console: ${msg.text()}`);
  });
  return page;
}

async function openPage(context: BrowserContext, url: string, problems: string[], allowed: RegExp[] = []): Promise<Page> {
  const page = watch(await context.newPage(), problems, allowed);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Polls until check() is true (playwright-core has no auto-retrying expect). */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A quantity on the page once the summary has loaded. */
async function quantity(page: Page, id: Quantity): Promise<number> {
  const locator = page.locator(`c-sales-invoice-export [data-id="${id}"]`);
  await locator.filter({ hasText: /^\s*\d+\s*$/ }).waitFor({ timeout: 60_000 });
  return Number((await locator.textContent())?.trim());
}

async function quantities(page: Page): Promise<Record<Quantity, number>> {
  return {
    productCount: await quantity(page, 'productCount'),
    customerCount: await quantity(page, 'customerCount'),
    invoiceCount: await quantity(page, 'invoiceCount'),
  };
}

const exportButton = (page: Page) => page.getByRole('button', { name: 'Export', exact: true });
const dryRunButton = (page: Page) => page.getByRole('button', { name: 'Dry Run', exact: true });

async function clickWhenEnabled(page: Page, button: ReturnType<typeof exportButton>): Promise<void> {
  await button.waitFor();
  await waitUntil(async () => !(await button.isDisabled()), 'the button is enabled');
  await button.click();
}

/** Picks an option of a lightning-combobox (the real one: a button-like input and a listbox, no <select>). */
async function pick(page: Page, combobox: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** "View as" in the header: the page reloads as that user. */
async function viewAs(page: Page, name: string): Promise<void> {
  await pick(page, 'View as', new RegExp(`^${name}`));
  await page.waitForLoadState('domcontentloaded');
  await page.locator(`[data-id="avatar"][title="${name}"]`).waitFor();
}

async function exportAndWait(page: Page): Promise<void> {
  await clickWhenEnabled(page, exportButton(page));
  await page.getByText('Export finished').waitFor({ timeout: EXPORT_TIMEOUT_MS });
}

/** The Level cell of each listed entry (the datatable keeps each cell's value on the cell). */
async function entryLevels(page: Page): Promise<string[]> {
  return page
    .locator('c-process-log-viewer [data-id="entriesTable"] tbody tr td[data-label="Level"]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-cell-value') ?? ''));
}

/** axe-core over the whole page: the serious and critical violations, as "rule: target". */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** Records as an emulator's admin API lists them. */
async function emulatorRecords(baseUrl: string, route: string): Promise<any[]> {
  const res = await fetch(`${baseUrl}/__admin${route}`);
  return (await res.json()) as any[];
}

/** An export through the API, as Salesforce's Named Credential would start it; answers the finished run. */
async function exportInBackground(stack: DemoStack): Promise<any> {
  const auth = { Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json' };
  const started = (await (
    await fetch(`${stack.serviceUrl}/api/companies/${stack.primaryCompanyId}/exports`, { method: 'POST', headers: auth, body: '{}' })
  ).json()) as {
    runId: string;
  };
  for (const deadline = Date.now() + EXPORT_TIMEOUT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const run = (await (await fetch(`${stack.serviceUrl}/api/runs/${started.runId}`, { headers: auth })).json()) as { finished: boolean };
    if (run.finished) return run;
  }
  throw new Error('the export did not finish');
}

describe('Sales Invoice Export page in Chromium', () => {
  let stack: DemoStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let problems: string[];

  beforeAll(async () => {
    // Compile the page (or take it from the build cache) before any browser waits for it.
    await sharedBundle();
  });

  beforeEach(async () => {
    problems = [];
    browser = await openBrowser({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
  });

  afterEach(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close().catch(() => undefined);
    stack = undefined;
    browser = undefined;
  });

  function start(seed: number, invoices = 12): Promise<DemoStack> {
    return startDemoStack({ port: 0, invoices, seed, ephemeral: true, env: { ...process.env, LOG_LEVEL: 'silent' } });
  }

  it('when users of two companies switch with View as, then each sees and exports their own company; a user with no Company is told who sets it', async () => {
    stack = await start(11);
    const [nora, hal, sam] = stack.users;
    // Sam's Apex calls fail with an AuraHandledException, which reaches the browser as HTTP 500 (as in an org).
    const page = await openPage(context, `${stack.pageUrl}/`, problems, [/Failed to load resource: the server responded with a status of 500/]);

    // Nora: Northwind, connected.
    await page.getByRole('heading', { name: 'Sales Invoice Export' }).first().waitFor();
    const northwind = await quantities(page);
    expect(await page.locator('c-sales-invoice-export [data-id="companyName"]').textContent()).toContain(nora!.companyName!);
    expect(northwind.invoiceCount).toBeGreaterThan(0);
    await page
      .locator('c-sales-invoice-export [data-id="connectionDetail"]')
      .filter({ hasText: /QuickBooks company: .+ · 10\d days left on the refresh token/ })
      .waitFor();
    await screenshot(page, 'export-page-before');

    // Hal: Harbor's own counts; Harbor is not connected yet, so Export is disabled with the reason and the link.
    await viewAs(page, hal!.name);
    await page.locator('c-sales-invoice-export [data-id="companyName"]').filter({ hasText: hal!.companyName! }).waitFor();
    const harbor = await quantities(page);
    expect(harbor).not.toEqual(northwind);
    const unavailable = page.locator('c-sales-invoice-export [data-id="exportUnavailable"]');
    await unavailable.waitFor();
    expect(await unavailable.textContent()).toContain(`${hal!.companyName} is not connected to QuickBooks`);
    expect(await unavailable.getByRole('link', { name: /QuickBooks Authentication/ }).getAttribute('href')).toContain(
      encodeURIComponent(stack.secondaryCompanyId),
    );
    expect(await exportButton(page).isDisabled()).toBe(true);
    expect(await dryRunButton(page).isDisabled()).toBe(true);
    await screenshot(page, 'export-page-switch-user-not-connected');

    // Sam has no Ledgerline Company: the page says which field and who sets it.
    await viewAs(page, sam!.name);
    const panel = page.locator('c-sales-invoice-export c-error-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('An administrator sets the Ledgerline Company field on your user record');
    expect(await exportButton(page).isDisabled()).toBe(true);
    await screenshot(page, 'export-page-user-without-company');

    // An admin connects Harbor; Hal exports Harbor from the page.
    await connectWithEmulator(stack.container, stack.qboUrl, stack.secondaryCompanyId, stack.data.facts.realmIds.secondary);
    await viewAs(page, hal!.name);
    await page.locator('c-sales-invoice-export [data-id="connectionState"]').filter({ hasText: 'Connected' }).waitFor();
    await exportAndWait(page);
    await waitUntil(async () => (await quantity(page, 'invoiceCount')) < harbor.invoiceCount, "Harbor's Invoice Export Qty has dropped", 30_000);
    expect(await quantity(page, 'customerCount')).toBe(0);
    await page.locator('c-process-log-viewer [data-id="entriesTable"] tbody tr').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'export-page-second-company-exported');

    // Nora exports Northwind; her Process Log lists only Northwind's run.
    await viewAs(page, nora!.name);
    await exportAndWait(page);
    const result = page.locator('c-sales-invoice-export [data-id="result"]');
    expect(await result.locator('[data-count="created"] dd').textContent()).toMatch(/^[1-9]\d*$/);
    // The QuickBooks reads the run used and the month's against Intuit's budget, as the service counted them.
    expect(await page.locator('c-sales-invoice-export [data-id="runReads"]').textContent()).toMatch(/^QuickBooks reads by this run: [1-9]\d*$/);
    await page
      .locator('c-sales-invoice-export [data-id="monthReads"]')
      .filter({ hasText: /^QuickBooks reads this month: [1-9][\d,]* of 500,000 \([1-9][\d,]* by this Company\)$/ })
      .waitFor({ timeout: 30_000 });
    const phases = page.locator('c-sales-invoice-export [data-phase]');
    expect(await phases.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')))).toEqual([
      'customers',
      'products',
      'invoices',
      'payments',
      'writeBack',
    ]);
    const bars = page.locator('c-sales-invoice-export [data-phase] [role="progressbar"]');
    expect(await bars.count()).toBe(5);
    for (const bar of await bars.all()) expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await waitUntil(async () => (await quantity(page, 'productCount')) === 0, "Northwind's Product Export Qty is 0", 30_000);
    await page.locator('c-process-log-viewer c-pager.runs-pager [data-id="position"]').filter({ hasText: 'runs in all: 1' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'export-page-finished');

    // Both companies' runs are in the org, each under its own company.
    const logs = (await fetch(`${stack.sfUrl}/__admin/records/Process_Log__c`).then((r) => r.json())) as { Company__c: string }[];
    expect(new Set(logs.map((l) => l.Company__c))).toEqual(new Set([stack.primaryCompanyId, stack.secondaryCompanyId]));

    // axe over the page with both components, their datatables and comboboxes drawn.
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('when an export has run, then the Process Log filters its entries, a link opens the record, and the log reads with the service stopped', async () => {
    stack = await start(12);
    // With the service stopped, the page's calls to it fail (logged by the browser); the log must not.
    const page = await openPage(context, `${stack.pageUrl}/`, problems, [/Failed to load resource: the server responded with a status of 500/]);
    await exportAndWait(page);
    const viewer = page.locator('c-process-log-viewer');
    const rows = viewer.locator('[data-id="entriesTable"] tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    const allEntries = await rows.count();
    expect(allEntries).toBeGreaterThan(1);
    expect(await viewer.locator('[data-id="logCounts"]').textContent()).toMatch(/Created [1-9]/);

    // View Process Log opens the log's record page, which lists its entries (and no list of runs).
    await page.locator('c-sales-invoice-export [data-id="processLogLink"]').click();
    await page.waitForURL(/\/lightning\/r\/Process_Log__c\/[a-zA-Z0-9]{18}\/view$/);
    await page.locator('[data-id="recordName"]').filter({ hasText: 'Sales Invoice Exporter' }).waitFor();
    await page.locator('c-process-log-viewer [data-id="entriesTable"] tbody tr').first().waitFor();
    expect(await page.locator('c-process-log-viewer [data-id="entriesTable"] tbody tr').count()).toBe(allEntries);
    expect(await page.locator('c-process-log-viewer [data-id="runsTable"]').count()).toBe(0);
    await screenshot(page, 'process-log-record-page');
    await page.goBack();
    await rows.first().waitFor({ timeout: 30_000 });

    // Filters: level ERROR (the demo data has invoices QuickBooks must refuse), then a search.
    await pick(page, 'Level', 'ERROR');
    await waitUntil(
      async () => (await entryLevels(page)).length > 0 && (await entryLevels(page)).every((l) => l.trim() === 'ERROR'),
      'only ERROR entries are listed',
    );
    const failedLink = viewer.locator('[data-id="entriesTable"] tbody tr td[data-label="Record"] a').first();
    const failed = (await failedLink.textContent())?.trim();
    expect(failed).toMatch(/\S/);
    await screenshot(page, 'process-log-errors');
    await pick(page, 'Level', 'All');
    await viewer.locator('lightning-input.search').getByRole('searchbox').fill(failed!);
    await waitUntil(async () => (await rows.count()) >= 1 && (await rows.count()) < allEntries, 'the search narrowed the entries');
    expect(await rows.first().textContent()).toContain(failed!);

    // The record link opens the record's page (the navigation service's URL, not one built by hand).
    const href = await viewer.locator('[data-id="entriesTable"] tbody tr td[data-label="Record"] a').first().getAttribute('href');
    expect(href).toMatch(/^\/lightning\/r\/Sales_Invoice__c\/[a-zA-Z0-9]{18}\/view$/);
    await viewer.locator('[data-id="entriesTable"] tbody tr td[data-label="Record"] a').first().click();
    await page.waitForURL((url) => url.pathname === href);
    await page.locator('[data-id="recordName"]').filter({ hasText: failed! }).waitFor();
    await page.locator('[data-field="Export_Status__c"]').waitFor();
    await screenshot(page, 'record-page-from-log-link');

    // The service stops: the export card says it cannot reach it; the Process Log is read in the org all the same.
    await stack.stopService();
    await page.goto(`${stack.pageUrl}/`, { waitUntil: 'domcontentloaded' });
    const unreachable = page.locator('c-sales-invoice-export c-error-panel');
    await unreachable.waitFor({ timeout: 60_000 });
    expect(await unreachable.textContent()).toContain('Ledgerline cannot be reached right now');
    expect(await unreachable.textContent()).not.toContain('ECONNREFUSED');
    await page.locator('c-process-log-viewer [data-id="entriesTable"] tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('c-process-log-viewer [data-id="entriesTable"] tbody tr').count()).toBe(allEntries);
    await pick(page, 'Level', 'ERROR');
    await waitUntil(
      async () => (await entryLevels(page)).length > 0 && (await entryLevels(page)).every((l) => l.trim() === 'ERROR'),
      'the level filter works without the service',
    );
    await screenshot(page, 'process-log-service-stopped');
    expect(problems).toEqual([]);
  });

  it('when the QuickBooks refresh token is 90 days old, then the page warns with the link before exports fail', async () => {
    stack = await start(13, 6);
    // The admin connected 90 days ago and nothing refreshed since: 10 of the 100 days are left.
    const tokens = await stack.container.store.tokens.get(stack.primaryCompanyId);
    const now = Date.now();
    await stack.container.store.tokens.save({
      ...tokens!,
      connectedAt: new Date(now - 90 * DAY_MS),
      lastRefreshedAt: new Date(now - 90 * DAY_MS),
      // An hour over the 10 days, so the count of whole days left is 10 while the test runs.
      refreshTokenExpiresAt: new Date(now + 10 * DAY_MS + 3_600_000),
    });
    const page = await openPage(context, `${stack.pageUrl}/`, problems);

    const warning = page.locator('c-sales-invoice-export [data-id="expiringWarning"]');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.textContent()).toContain('The QuickBooks authorization ends in 10 days');
    const link = warning.getByRole('link', { name: /QuickBooks Authentication/ });
    expect(await link.getAttribute('href')).toContain('/quickbooks/auth');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await page.locator('c-sales-invoice-export [data-id="connectionState"]').textContent()).toContain('Refresh token expires in 10 days');
    // A warning, not a stop: Export still works.
    expect(await exportButton(page).isDisabled()).toBe(false);
    await screenshot(page, 'export-page-token-expiring');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('when QuickBooks answers 401, then the page shows the UNAUTHORIZED sentence and the QuickBooks Authentication link', async () => {
    stack = await start(12, 6);
    const fault = await fetch(`${stack.qboUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'http401', count: 1000 }),
    });
    expect(fault.ok).toBe(true);
    const page = await openPage(context, `${stack.pageUrl}/`, problems);
    expect(await quantity(page, 'invoiceCount')).toBeGreaterThan(0);

    await clickWhenEnabled(page, exportButton(page));

    const message = page.locator('c-sales-invoice-export [data-id="runErrorMessage"]');
    await message.waitFor({ timeout: EXPORT_TIMEOUT_MS });
    expect((await message.textContent())?.trim()).toBe(UNAUTHORIZED_SENTENCE);
    const alert = page.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' });
    const link = alert.getByRole('link', { name: /QuickBooks Authentication/ });
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_blank');
    const href = await link.getAttribute('href');
    expect(href).toContain('/quickbooks/auth');
    expect(href).toContain(encodeURIComponent(stack.primaryCompanyId));
    expect(await page.locator('c-sales-invoice-export [data-id="runStatus"]').textContent()).toContain('Failed');
    await screenshot(page, 'export-page-unauthorized');
    expect(problems).toEqual([]);
  });

  it('when an invoice is paid in QuickBooks and Sync now is clicked, then the page shows the sync with its QuickBooks reads and the invoice is Paid', async () => {
    stack = await start(14, 8);
    const run = await exportInBackground(stack);
    expect(run.error).toBeNull();
    const realmId = stack.data.facts.realmIds.primary;
    const invoices = await emulatorRecords(stack.sfUrl, '/records/Sales_Invoice__c');
    const qbo = new Map((await emulatorRecords(stack.qboUrl, `/realms/${realmId}/entities/Invoice`)).map((i) => [String(i.Id), i]));
    const unpaid = invoices.find(
      (i) => i.Company__c === stack!.primaryCompanyId && qbo.get(String(i.Financial_System_Invoice_Id__c))?.LinkedTxn?.length === 0,
    )!;
    const paid = await fetch(`${stack.qboUrl}/__admin/realms/${realmId}/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ invoiceId: unpaid.Financial_System_Invoice_Id__c, txnDate: '2026-11-20' }),
    });
    expect(paid.ok).toBe(true);
    const page = await openPage(context, `${stack.pageUrl}/`, problems);
    const last = page.locator('c-sales-invoice-export c-quick-books-status-sync [data-id="lastSync"]');
    await last.waitFor({ timeout: 60_000 });
    expect(await last.textContent()).toContain('Not synced yet');

    await clickWhenEnabled(page, page.getByRole('button', { name: 'Sync now', exact: true }));

    await waitUntil(async () => /QuickBooks reads/.test((await last.textContent()) ?? ''), 'the sync is shown');
    expect(await last.textContent()).toMatch(/1 payments from QuickBooks; 1 QuickBooks reads\.$/);
    expect(await page.locator('c-quick-books-status-sync [data-id="nextSync"]').textContent()).toMatch(/^Next sync at .* \(every 15 minutes\)\.$/);
    const record = (await emulatorRecords(stack.sfUrl, '/records/Sales_Invoice__c')).find((i) => i.Id === unpaid.Id);
    expect(record).toMatchObject({ Paid_Status__c: 'Paid', Last_Payment_Date__c: '2026-11-20', QuickBooks_Balance__c: 0 });
    await screenshot(page, 'export-page-status-sync');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  // Needs the export engine's plan shape ({ totals, decisions, truncated }); today's service answers an older one.
  it('when a dry run finishes, then the summary reads "Would create / match / fail" and the plan table lists its renames', async () => {
    stack = await start(11);
    const page = await openPage(context, `${stack.pageUrl}/`, problems);

    // A box of commas names no invoice: the field says so, and nothing starts (never "every invoice").
    const box = page.getByRole('textbox', { name: /invoice numbers/i });
    await box.fill(' , ');
    await clickWhenEnabled(page, dryRunButton(page));
    const help = page.locator('c-sales-invoice-export lightning-input[data-id="invoiceNumbers"] [data-help-message]');
    await help.filter({ hasText: 'No invoice number given' }).waitFor({ timeout: 10_000 });
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('c-sales-invoice-export [data-id="progress"]').count()).toBe(0);
    await box.fill('');

    await clickWhenEnabled(page, dryRunButton(page));
    await page.getByText('Dry run finished').waitFor({ timeout: EXPORT_TIMEOUT_MS });

    const summary = page.locator('c-sales-invoice-export [data-id="planSummary"]');
    await summary.waitFor({ timeout: 10_000 });
    expect(await summary.textContent()).toMatch(/^Would create [1-9]\d* \/ match \d+ \/ fail \d+$/);
    expect(await page.locator('c-sales-invoice-export [data-id="result"]').textContent()).not.toContain('Created');
    const decisions = page.locator('c-sales-invoice-export [data-id="planDecisions"] tbody tr');
    await decisions.first().waitFor();
    const changes = await page
      .locator('c-sales-invoice-export [data-id="planDecisions"] tbody td[data-label="Renamed or shortened"]')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-cell-value') ?? ''));
    // The demo data names a customer like a QuickBooks vendor: the plan renames it with the clash suffix.
    expect(changes.some((c) => /becomes ".*\(C\)"/.test(c))).toBe(true);
    await screenshot(page, 'export-page-dry-run-plan');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
