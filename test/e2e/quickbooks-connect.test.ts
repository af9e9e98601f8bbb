// QuickBooks Authentication in headless Chromium against the demo stack (QuickBooks and Salesforce emulators, the
// service): an admin opens the page, signs in with the admin key, clicks Connect, clicks Connect on the QuickBooks
// consent page, and lands back on the page that now says Connected. Screenshots go to test-artifacts/.
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';
import { openBrowser, screenshot, type Browser } from '../support/browser';

jest.setTimeout(180_000);

describe('QuickBooks Authentication in a browser', () => {
  let stack: DemoStack;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({
      port: 0,
      ephemeral: true,
      web: false,
      connectQuickBooks: false,
      env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' },
    });
    browser = await openBrowser({ viewport: { width: 1100, height: 760 } });
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  function watch(page: Page): Page {
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // The sign-in form is answered with 401 on purpose (Chromium logs that as a failed load); the emulator has no favicon.
      if (/status of 401/.test(msg.text()) || msg.location().url === `${stack.qboUrl}/favicon.ico`) return;
      problems.push(`console: ${msg.text()} at ${msg.location().url}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !res.url().includes('/quickbooks/auth')) problems.push(`HTTP ${res.status()} ${res.url().split('?')[0]}`);
    });
    return page;
  }

  it('when the admin signs in, clicks Connect and Connect on the QuickBooks page, then the page says Connected', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${stack.serviceUrl}/quickbooks/auth?companyId=${stack.primaryCompanyId}`, { waitUntil: 'load' });

    // Signed out: the admin sign-in form.
    await page.getByLabel('Admin key').waitFor();
    await screenshot(page, 'quickbooks-auth-signin');
    await page.getByLabel('Admin key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Not connected yet.
    await page.locator('[data-state-text]').waitFor();
    expect((await page.locator('[data-state-text]').textContent())?.trim()).toBe('Not connected');
    await screenshot(page, 'quickbooks-auth-not-connected');

    // Connect → the QuickBooks consent page.
    await page.getByRole('link', { name: 'Connect', exact: true }).click();
    await page.waitForURL((url) => url.toString().startsWith(`${stack.qboUrl}/connect/oauth2`));
    await page.locator(`input[name="realmId"][value="${stack.data.facts.realmIds.primary}"]`).check();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    // Back on QuickBooks Authentication.
    await page.waitForURL(/\/quickbooks\/auth\?.*connected=1/);
    const banner = page.locator('[data-banner="success"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Connected to QuickBooks.');
    expect(await page.locator('[data-state="connected"]').textContent()).toBe('Connected');
    expect(await page.locator('[data-state-text]').textContent()).toMatch(/^Connected — refresh token valid for 10\d more days$/);
    expect((await page.locator('[data-realm]').textContent())?.trim()).toBe(stack.data.facts.realmIds.primary);
    await expect(page.getByRole('button', { name: 'Refresh Token' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Disconnect…' }).isVisible()).resolves.toBe(true);
    // The SLDS stylesheet loaded (the page is styled, not raw HTML).
    const brandColour = await page
      .getByRole('button', { name: 'Refresh Token' })
      .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
    expect(brandColour).not.toBe('rgba(0, 0, 0, 0)');
    await screenshot(page, 'quickbooks-auth');

    // Refresh Token works from the page too.
    await page.getByRole('button', { name: 'Refresh Token' }).click();
    await page.waitForURL(/refreshed=1/);
    expect(await page.locator('[data-banner="success"]').textContent()).toContain('Token refreshed.');

    const summary = await stack.container.authorization.summary(stack.primaryCompanyId);
    expect(summary.state).toBe('connected');

    // Disconnect asks first and says what it does; Cancel leaves the connection alone.
    await page.getByRole('link', { name: 'Disconnect…' }).click();
    const confirmation = page.getByRole('alertdialog', { name: /Disconnect .* from QuickBooks\?/ });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('Ledgerline deletes the stored tokens and asks QuickBooks to revoke its authorization');
    expect(await confirmation.textContent()).toContain('until an admin clicks Connect again');
    await screenshot(page, 'quickbooks-auth-confirm-disconnect');
    await confirmation.getByRole('link', { name: 'Cancel' }).click();
    await page.locator('[data-state="connected"]').waitFor();
    expect((await stack.container.authorization.summary(stack.primaryCompanyId)).state).toBe('connected');

    await page.getByRole('link', { name: 'Disconnect…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await page.waitForURL(/disconnected=1/);
    expect(await page.locator('[data-banner="success"]').textContent()).toContain('Disconnected from QuickBooks.');
    expect((await stack.container.authorization.summary(stack.primaryCompanyId)).state).toBe('not_connected');
    expect(problems).toEqual([]);
  });
});
