// The admin's Web Connector page (QuickBooks Desktop) in headless Chromium: signed out it asks for the admin key and
// comes back to itself; it is styled (its stylesheet is not blocked by the API's policy: computed styles say so), its
// header names QuickBooks Desktop, and it passes axe. Screenshots go to test-artifacts/.
import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { openBrowser, screenshot, type Browser } from '../support/browser';

jest.setTimeout(180_000);

describe('the Web Connector page in a browser', () => {
  let stack: DemoStack;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({
      port: 0,
      ephemeral: true,
      web: false,
      desktop: true,
      invoices: 8,
      env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' },
    });
    browser = await openBrowser({ viewport: { width: 1100, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  function watch(page: Page): Page {
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // The signed-out page is answered 401 on purpose (Chromium logs that as a failed load).
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return page;
  }

  const style = (page: Page, selector: string, property: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el, p) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue(p), property);

  async function axe(page: Page): Promise<string[]> {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  }

  it('when an admin signs in from it, sets a new password, then the page is styled, names QuickBooks Desktop, comes back to itself and passes axe', async () => {
    const companyId = stack.webConnector!.demo.companyId;
    const page = watch(await browser.context.newPage());
    await page.goto(`${stack.serviceUrl}/quickbooks/webconnector?companyId=${companyId}`, { waitUntil: 'load' });

    // Signed out: the admin sign-in form, in the Desktop page's own frame.
    await page.getByLabel('Admin key').waitFor();
    expect((await page.locator('.ll-app-sub').textContent())?.trim()).toBe('QuickBooks Desktop');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Admin key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back on the Web Connector page, not QuickBooks Online's.
    await page.waitForURL((url) => url.pathname === '/quickbooks/webconnector');
    await page.locator('[data-username]').waitFor();
    expect((await page.locator('[data-username]').textContent())?.trim()).toBe('ledgerline-demo-desktop');
    expect((await page.locator('.ll-app-sub').textContent())?.trim()).toBe('QuickBooks Desktop');
    expect(await page.locator('h1').textContent()).toContain('QuickBooks Web Connector');
    expect(await page.locator('.slds-page-header__name-meta').textContent()).toContain('Cedar Ridge Supply');
    expect(await page.locator('body').textContent()).not.toContain('QuickBooks Online');

    // Styled: the stylesheet applied (unstyled HTML has a transparent card, a grey button, Times).
    expect(await style(page, '.slds-button_brand', 'background-color')).toBe('rgb(1, 118, 211)');
    expect(await style(page, '.slds-card', 'background-color')).toBe('rgb(255, 255, 255)');
    expect(await style(page, '.slds-card', 'border-top-style')).toBe('solid');
    expect(await style(page, '.ll-topbar', 'display')).toBe('flex');
    expect(await style(page, 'body', 'font-family')).not.toMatch(/^"?Times/);
    await screenshot(page, 'web-connector-page');
    expect(await axe(page)).toEqual([]);

    // A new password is shown once, on the styled page.
    await page.getByRole('button', { name: 'New password' }).click();
    await page.locator('[data-password]').waitFor();
    expect(await page.locator('[data-password] code').textContent()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await screenshot(page, 'web-connector-page-password');
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
