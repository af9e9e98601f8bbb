// QuickBooks Authentication in headless Chromium against the demo stack (QuickBooks and Salesforce emulators, the
// service): an admin opens the page, signs in with the admin key, clicks Connect, clicks Connect on the QuickBooks
// consent page, and lands back on the page that now says Connected. Screenshots go to test-artifacts/.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack';

jest.setTimeout(180_000);

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('QuickBooks Authentication in a browser', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let userDataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({
      port: 0,
      ephemeral: true,
      web: false,
      connectQuickBooks: false,
      env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' },
    });
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 760 },
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await stack?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
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
    await page.screenshot({ path: path.join(ARTIFACTS, 'quickbooks-auth-signin.png'), fullPage: true });
    await page.getByLabel('Admin key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Not connected yet.
    await page.locator('[data-state-text]').waitFor();
    expect((await page.locator('[data-state-text]').textContent())?.trim()).toBe('Not connected');
    await page.screenshot({ path: path.join(ARTIFACTS, 'quickbooks-auth-not-connected.png'), fullPage: true });

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
    await expect(page.getByRole('button', { name: 'Disconnect' }).isVisible()).resolves.toBe(true);
    // The SLDS stylesheet loaded (the page is styled, not raw HTML).
    const brandColour = await page
      .getByRole('button', { name: 'Refresh Token' })
      .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
    expect(brandColour).not.toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'quickbooks-auth.png'), fullPage: true });

    // Refresh Token works from the page too.
    await page.getByRole('button', { name: 'Refresh Token' }).click();
    await page.waitForURL(/refreshed=1/);
    expect(await page.locator('[data-banner="success"]').textContent()).toContain('Token refreshed.');

    const summary = await stack.container.authorization.summary(stack.primaryCompanyId);
    expect(summary.state).toBe('connected');
    expect(problems).toEqual([]);
  });
});
