// The Sales Invoice Export page on a phone: at 390 px (the Salesforce mobile app's width) nothing runs off the
// screen — not the header, not the card with its buttons, not the Process Log — and Export is still pressable.
import type { Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { sharedBundle } from '../../web/serve';
import { openBrowser, screenshot, type Browser } from '../support/browser';

jest.setTimeout(300_000);

const PHONE = { width: 390, height: 844 };

/** Elements reaching past the screen's right edge (outside a scroller of their own), named for the failure message. */
const MEASURE = `(() => {
  const screen = document.documentElement.clientWidth;
  const offenders = [];
  const scrolls = (el) => /(auto|scroll|hidden)/.test(getComputedStyle(el).overflowX);
  const visit = (root, scrolled) => {
    for (const el of root.children) {
      const box = el.getBoundingClientRect();
      const shown = box.width > 0 && getComputedStyle(el).visibility !== 'hidden';
      if (shown && !scrolled && box.right > screen + 1) {
        offenders.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 2).join('.') + ' -> ' + Math.round(box.right) + 'px');
      }
      const inner = scrolled || scrolls(el);
      if (el.shadowRoot) visit(el.shadowRoot, inner);
      visit(el, inner);
    }
  };
  visit(document.documentElement, false);
  return { page: document.documentElement.scrollWidth, screen, offenders: offenders.slice(0, 10) };
})()`;

function overflow(page: Page): Promise<{ page: number; screen: number; offenders: string[] }> {
  return page.evaluate(MEASURE);
}

describe('the page on a phone', () => {
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    await sharedBundle();
    stack = await startDemoStack({ port: 0, invoices: 6, seed: 21, ephemeral: true, env: { ...process.env, LOG_LEVEL: 'silent' } });
    browser = await openBrowser({ viewport: PHONE });
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
  });

  it('when the page is 390 px wide, then the header, the card and its buttons fit without scrolling sideways', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.pageUrl}/`, { waitUntil: 'domcontentloaded' });
    await page
      .locator('c-sales-invoice-export [data-id="invoiceCount"]')
      .filter({ hasText: /^\s*\d+\s*$/ })
      .waitFor({ timeout: 120_000 });
    const measured = await overflow(page);
    await screenshot(page, 'narrow-screen-export');
    expect(measured.offenders).toEqual([]);
    expect(measured.page).toBeLessThanOrEqual(PHONE.width);
    // The header's user switch and the Export button are on the screen and usable.
    const exportButton = page.getByRole('button', { name: 'Export', exact: true });
    const box = await exportButton.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    const viewAs = await page.getByRole('combobox', { name: 'View as' }).boundingBox();
    expect(viewAs && viewAs.x + viewAs.width <= PHONE.width).toBe(true);
  });

  it('when the Process Log tab is opened at 390 px, then it fits too', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.pageUrl}/lightning/o/Process_Log__c/list`, { waitUntil: 'domcontentloaded' });
    await page.locator('c-process-log-viewer').waitFor({ timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    const measured = await overflow(page);
    await screenshot(page, 'narrow-screen-process-logs');
    expect(measured.offenders).toEqual([]);
    expect(measured.page).toBeLessThanOrEqual(PHONE.width);
  });
});
