// The Sales Invoice Export page in headless Chromium against the whole demo stack (QuickBooks and Salesforce
// emulators, the service, the local page): an ERP user opens the page, sees the counts, clicks Export, watches the
// progress, and reads the Process Log; and, when QuickBooks answers 401, reads the UNAUTHORIZED sentence and finds
// the QuickBooks Authentication link. Screenshots go to test-artifacts/.
import type { BrowserContext, Page } from 'playwright-core';
import { startDemoStack } from '../../scripts/demo-stack';
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { openBrowser, screenshot, type Browser } from '../support/browser';

jest.setTimeout(240_000);

type DemoStack = Awaited<ReturnType<typeof startDemoStack>>;

const EXPORT_TIMEOUT_MS = 180_000;

async function openPage(context: BrowserContext, url: string, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

/** A quantity on the page once the summary has loaded. */
async function quantity(page: Page, id: 'productCount' | 'customerCount' | 'invoiceCount'): Promise<number> {
  const locator = page.locator(`c-sales-invoice-export [data-id="${id}"]`);
  await locator.filter({ hasText: /^\s*\d+\s*$/ }).waitFor({ timeout: 60_000 });
  return Number((await locator.textContent())?.trim());
}

function exportButton(page: Page) {
  return page.getByRole('button', { name: 'Export', exact: true });
}

/** Polls until check() is true (playwright-core has no auto-retrying expect). */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitForExportEnabled(page: Page): Promise<void> {
  await exportButton(page).waitFor();
  await waitUntil(async () => !(await exportButton(page).isDisabled()), 'the Export button is enabled');
}

async function clickExport(page: Page): Promise<void> {
  await waitForExportEnabled(page);
  await exportButton(page).click();
}

describe('Sales Invoice Export page in Chromium', () => {
  let stack: DemoStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let problems: string[];

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
    context = undefined;
  });

  it('when an ERP user clicks Export, then progress runs to the end, the counts drop to zero and the Process Log fills', async () => {
    stack = await startDemoStack({ port: 0, invoices: 12, seed: 11, ephemeral: true, env: { ...process.env, LOG_LEVEL: 'silent' } });
    const page = await openPage(context!, `${stack.serviceUrl}/`, problems);

    // The page looks like the Lightning page: header, card, three quantities.
    await page.getByRole('heading', { name: 'Sales Invoice Export' }).first().waitFor();
    const before = {
      products: await quantity(page, 'productCount'),
      customers: await quantity(page, 'customerCount'),
      invoices: await quantity(page, 'invoiceCount'),
    };
    expect(before.invoices).toBeGreaterThan(0);
    expect(before.customers + before.products).toBeGreaterThan(0);
    await page
      .locator('c-sales-invoice-export [data-id="connectionState"]')
      .filter({ hasText: /Connected|expires/ })
      .waitFor();
    await screenshot(page, 'export-page-before');

    await clickExport(page);

    // Export is disabled while the run goes, and the progress bars move.
    await page.getByText('Export in progress').waitFor({ timeout: 30_000 });
    expect(await exportButton(page).isDisabled()).toBe(true);
    await screenshot(page, 'export-page-running');
    await page.getByText('Export finished').waitFor({ timeout: EXPORT_TIMEOUT_MS });

    const result = page.locator('c-sales-invoice-export [data-id="result"]');
    await result.waitFor();
    expect(await result.locator('[data-count="created"] dd').textContent()).toMatch(/^[1-9]\d*$/);
    const bars = page.locator('c-sales-invoice-export lightning-progress-bar');
    expect(await bars.count()).toBe(4);
    for (const bar of await bars.all()) expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await expect(page.locator('c-sales-invoice-export [data-id="processLogLink"]').getAttribute('href')).resolves.toMatch(
      /^\/lightning\/r\/Process_Log__c\/.+\/view$/,
    );

    // The counts drop to zero once everything is in QuickBooks; the demo data holds invoices QuickBooks must refuse
    // (they stay to export, each with an ERROR entry and its fix), so at most the run's error count remains.
    const errors = Number(await result.locator('[data-count="errors"] dd').textContent());
    await waitUntil(async () => (await quantity(page, 'invoiceCount')) <= errors, 'the Invoice Export Qty has dropped', 30_000);
    expect(await quantity(page, 'invoiceCount')).toBeLessThan(before.invoices);
    expect(await quantity(page, 'productCount')).toBe(0);
    expect(await quantity(page, 'customerCount')).toBe(0);
    await waitForExportEnabled(page);

    // The Process Log viewer refreshed itself and lists the run's entries.
    const entries = page.locator('c-process-log-viewer tr.entry');
    await entries.first().waitFor({ timeout: 30_000 });
    expect(await entries.count()).toBeGreaterThan(0);
    expect(await page.locator('c-process-log-viewer [data-id="recordName"]').first().textContent()).not.toBe('');
    await screenshot(page, 'export-page-finished');

    // Filtering by level keeps only that level.
    const levelFilter = page.locator('c-process-log-viewer lightning-combobox.level-filter select');
    const shownLevels = () => page.locator('c-process-log-viewer tr.entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-level')));
    await levelFilter.selectOption('INFO');
    const info = await shownLevels();
    expect(info.length).toBeGreaterThan(0);
    expect(new Set(info)).toEqual(new Set(['INFO']));
    if (errors > 0) {
      await levelFilter.selectOption('ERROR');
      const errorRows = await shownLevels();
      expect(errorRows.length).toBeGreaterThan(0);
      expect(new Set(errorRows)).toEqual(new Set(['ERROR']));
      await screenshot(page, 'export-page-errors');
    }

    expect(problems).toEqual([]);
  });

  it('when QuickBooks answers 401, then the page shows the UNAUTHORIZED sentence and the QuickBooks Authentication link', async () => {
    stack = await startDemoStack({ port: 0, invoices: 6, seed: 12, ephemeral: true, env: { ...process.env, LOG_LEVEL: 'silent' } });
    const fault = await fetch(`${stack.qboUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'http401', count: 1000 }),
    });
    expect(fault.ok).toBe(true);
    const page = await openPage(context!, `${stack.serviceUrl}/`, problems);
    expect(await quantity(page, 'invoiceCount')).toBeGreaterThan(0);

    await clickExport(page);

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

    // The page's own error reporting stayed quiet: the failure is the run's, shown in the run's alert.
    expect(problems.filter((p) => !/401|Unauthorized/i.test(p))).toEqual([]);
  });
});
