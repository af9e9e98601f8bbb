// The Reconciliation view on the Process Log tab, in headless Chromium against the whole demo stack: after an export,
// the ERP user picks a period and clicks Reconcile; the local org's Apex asks the service, and the view shows both
// books' totals and the one invoice QuickBooks refused, linked to its Sales Invoice and to QuickBooks, with the fix
// and the QuickBooks reads it used.
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { sharedBundle } from '../../web/serve';
import { openBrowser, screenshot, type Browser } from '../support/browser';
import { exportAndWait } from '../support/stack';

jest.setTimeout(300_000);

describe('the Reconciliation view on the Process Log tab', () => {
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    await sharedBundle();
    stack = await startDemoStack({ port: 0, invoices: 12, ephemeral: true, env: { ...process.env, LOG_LEVEL: 'silent' } });
    await exportAndWait(stack, stack.primaryCompanyId);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
  });

  it('when a period is chosen and Reconcile clicked, then the totals and the refused invoice show, linked to both books, with the fix and the reads', async () => {
    const collision = stack.data.facts.expected[stack.primaryCompanyId]!.docNumberCollision!;
    const problems: string[] = [];
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${stack.pageUrl}/lightning/o/Process_Log__c/list`, { waitUntil: 'domcontentloaded' });
    const view = page.locator('c-reconciliation-view');
    // The date fields take dates as a person types them in the user's locale (en-US here).
    await view.getByLabel('From').fill('Aug 1, 2026');
    await view.getByLabel('To').fill('Oct 31, 2026');
    await view.getByRole('button', { name: 'Reconcile' }).click();

    const row = view.locator('[data-id="difference"]');
    await row.first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'reconciliation-view');
    expect(await row.count()).toBe(1);
    expect((await row.locator('[data-id="kind"]').textContent())?.trim()).toBe('Missing in QuickBooks');
    const salesforceLink = row.locator('[data-id="salesforceLink"]');
    expect((await salesforceLink.textContent())?.trim()).toBe(collision.invoiceName);
    expect(await salesforceLink.getAttribute('href')).toContain(`/lightning/r/Sales_Invoice__c/${collision.invoiceId}/view`);
    expect(await row.locator('[data-id="quickBooksLink"]').getAttribute('href')).toMatch(new RegExp(`/app/invoice\\?txnId=${collision.quickBooksInvoiceId}$`));
    expect(await row.locator('[data-id="fix"]').textContent()).toMatch(/Prefix or Suffix/);
    expect(await view.locator('caption').textContent()).toContain('2026-08-01');
    expect((await view.locator('[data-id="reads"]').textContent())?.trim()).toMatch(/^2 QuickBooks reads/);
    expect(problems).toEqual([]);
  });
});
