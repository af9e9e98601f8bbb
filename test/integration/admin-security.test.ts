// The admin side under attack, over real HTTP: sign-in guessing is rate-limited and locked out, signing out ends the
// session on the server (two instances sharing PostgreSQL agree), every answer carries the security headers (HSTS
// only behind https), a Connect cannot be spoiled from another admin session, and the demo page stays on loopback.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData, type DemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { loadConfig } from '../../service/src/config';
import { createContainer, type Container } from '../../service/src/container';
import { SESSION_COOKIE } from '../../service/src/http/adminSession';
import { SIGN_IN_MAX_FAILURES } from '../../service/src/quickbooks/online/routes';
import { isLoopbackHost, listenOnFreePort, startServer, type RunningServer } from '../../service/src/server';
import { CookieBrowser, consentForm, hiddenValue } from './quickbooks-auth-stack';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Instance {
  url: string;
  container: Container;
  server: RunningServer;
}

interface Cluster {
  instances: Instance[];
  data: DemoData;
  companyId: string;
  otherCompanyId: string;
  realmId: string;
  otherRealmId: string;
  apiKey: string;
  adminKey: string;
  close(): Promise<void>;
}

/**
 * Both emulators with demo data and `count` service instances sharing one store: PostgreSQL (one fresh schema) when
 * there is more than one, the embedded store otherwise. `publicUrls[i]` sets an instance's PUBLIC_URL.
 */
async function startCluster(count: number, publicUrls: (string | undefined)[] = []): Promise<Cluster> {
  const sf = await startSalesforceEmulator({ port: 0 });
  const qbo = await startQboEmulator({ port: 0 });
  const data = generateDemoData({ seed: 11, invoices: 4, keyPrefixes: await fetchKeyPrefixes(sf.url) });
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
  const apiKey = `export-${randomBytes(12).toString('hex')}`;
  const adminKey = `admin-${randomBytes(12).toString('hex')}`;
  const encryptionKey = randomBytes(32).toString('hex');
  const schema = count > 1 ? `adminsec_${randomBytes(4).toString('hex')}` : undefined;
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const listening = await listenOnFreePort();
    const port = (listening.address() as AddressInfo).port;
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: publicUrls[i] ?? `http://127.0.0.1:${port}`,
      // The OAuth redirect comes back to this instance whatever its public URL says.
      QBO_REDIRECT_URI: `http://127.0.0.1:${port}/quickbooks/callback`,
      DATA_DIR: 'memory://',
      TOKEN_ENCRYPTION_KEY: encryptionKey,
      LEDGERLINE_API_KEY: apiKey,
      LEDGERLINE_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'silent',
      ...(schema ? { DATABASE_URL: PG_URL } : {}),
    });
    const container = await createContainer(config, { sfUrl: sf.url, qboUrl: qbo.url, schema });
    const server = await startServer(container, { listening, quickbooksRouter: container.quickbooksRouter() });
    instances.push({ url: server.url, container, server });
  }
  return {
    instances,
    data,
    companyId: data.facts.primaryCompanyId,
    otherCompanyId: data.facts.secondaryCompanyId,
    realmId: data.facts.realmIds.primary,
    otherRealmId: data.facts.realmIds.secondary,
    apiKey,
    adminKey,
    async close() {
      for (const i of instances) await i.server.close();
      await Promise.all([sf.close(), qbo.close()]);
      if (schema) {
        const client = new Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

const signIn = (b: CookieBrowser, url: string, key: string, companyId: string) => b.request('POST', `${url}/quickbooks/session`, { adminKey: key, companyId });

describe('when someone guesses the admin key', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(1);
  });
  afterAll(() => cluster?.close());

  it(`then after ${SIGN_IN_MAX_FAILURES} wrong keys from one address every sign-in from it — the right key too — gets 429 saying when to try again`, async () => {
    const url = cluster.instances[0]!.url;
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect((await signIn(new CookieBrowser(), url, `wrong-key-${i}-${'x'.repeat(16)}`, cluster.companyId)).status).toBe(401);
    }
    const locked = await signIn(new CookieBrowser(), url, 'wrong-key-again-xxxxxxxxxxxx', cluster.companyId);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed sign-ins.');
    expect(locked.text).toMatch(/sign-in is locked for 1[45] minutes/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const rightKey = new CookieBrowser();
    const refused = await signIn(rightKey, url, cluster.adminKey, cluster.companyId);
    expect(refused.status).toBe(429);
    expect(rightKey.cookie(url, SESSION_COOKIE)).toBeUndefined();
    // The export API is not locked by failures on the admin page.
    const api = await fetch(`${url}/api/companies`, { headers: { Authorization: `Bearer ${cluster.apiKey}` } });
    expect(api.status).toBe(200);
  });
});

describe('when two instances share PostgreSQL', () => {
  let cluster: Cluster;
  let a: string;
  let b: string;
  const authPage = (base: string, companyId = cluster.companyId) => `${base}/quickbooks/auth?companyId=${companyId}`;

  beforeAll(async () => {
    // Instance b says it is reached over https (behind a TLS proxy); a is plain http.
    cluster = await startCluster(2, [undefined, 'https://ledgerline.example.com']);
    a = cluster.instances[0]!.url;
    b = cluster.instances[1]!.url;
  });
  afterAll(() => cluster?.close());

  it('then a session started on one works on the other, and signing out on either ends it on both — the old cookie no longer works', async () => {
    const browser = new CookieBrowser();
    expect((await signIn(browser, a, cluster.adminKey, cluster.companyId)).status).toBe(303);
    const cookie = browser.cookie(a, SESSION_COOKIE)!;
    expect(cookie).toBeDefined();
    expect((await browser.request('GET', authPage(a))).status).toBe(200);
    const page = await browser.request('GET', authPage(b));
    expect(page.status).toBe(200);

    // Signing out on b, with the form's CSRF token.
    const out = await browser.request('POST', `${b}/quickbooks/signout`, { csrf: hiddenValue(page.text, 'csrf') });
    expect(out.status).toBe(200);
    expect(out.text).toContain('Signed out');

    // A copy of the cookie taken before signing out (what a thief would hold) is dead on both instances.
    for (const base of [a, b]) {
      const thief = new CookieBrowser();
      thief.setCookie(base, SESSION_COOKIE, cookie);
      const answer = await thief.request('GET', authPage(base));
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('name="adminKey"');
    }
  });

  it('then every answer carries nosniff and no-store on the API, and HSTS only where PUBLIC_URL is https', async () => {
    for (const base of [a, b]) {
      const health = await fetch(`${base}/api/health`);
      expect(health.headers.get('x-content-type-options')).toBe('nosniff');
      expect(health.headers.get('cache-control')).toBe('no-store');
      const api = await fetch(`${base}/api/companies`, { headers: { Authorization: `Bearer ${cluster.apiKey}` } });
      expect(api.status).toBe(200);
      expect(api.headers.get('x-content-type-options')).toBe('nosniff');
      expect(api.headers.get('cache-control')).toBe('no-store');
      expect(api.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      const unauthorised = await fetch(`${base}/api/companies`);
      expect(unauthorised.status).toBe(401);
      expect(unauthorised.headers.get('cache-control')).toBe('no-store');
      const page = await fetch(authPage(base));
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    }
    expect((await fetch(`${a}/api/health`)).headers.get('strict-transport-security')).toBeNull();
    expect((await fetch(`${b}/api/health`)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await fetch(authPage(b))).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('then a callback from another admin session cannot spoil a Connect: it is refused and the admin who started it still finishes it', async () => {
    const admin = new CookieBrowser();
    await signIn(admin, a, cluster.adminKey, cluster.otherCompanyId);
    const consent = await admin.follow('GET', `${a}/quickbooks/connect?companyId=${cluster.otherCompanyId}`);
    expect(consent.status).toBe(200);
    const form = consentForm(consent, cluster.otherRealmId);
    const approved = await admin.request('POST', form.action, form.fields);
    const callback = approved.location!;
    expect(new URL(callback).pathname).toBe('/quickbooks/callback');

    // Another admin (their own session) opens the same callback first.
    const other = new CookieBrowser();
    await signIn(other, a, cluster.adminKey, cluster.companyId);
    const spoiled = await other.request('GET', callback);
    expect(spoiled.status).toBe(400);
    expect(spoiled.text).toContain('started in another browser session');

    // The state was not used up: the admin who started the Connect finishes it.
    const finished = await admin.follow('GET', callback);
    expect(finished.status).toBe(200);
    expect(finished.text).toContain('Connected to QuickBooks.');
    expect((await cluster.instances[0]!.container.authorization.summary(cluster.otherCompanyId)).state).toBe('connected');
  });
});

describe('the local org (the demo), which acts for its users with the API key', () => {
  it('then it refuses to listen on anything but loopback', async () => {
    const { startOrg } = await import('../../web/serve');
    await expect(
      startOrg({
        host: '0.0.0.0',
        salesforceUrl: 'http://127.0.0.1:1',
        salesforceClient: { clientId: 'x', clientSecret: 'y' },
        users: [],
        service: { url: 'http://127.0.0.1:1', apiKey: 'k' },
      } as never),
    ).rejects.toThrow(/listens on 127\.0\.0\.1 only \(HOST is 0\.0\.0\.0\)/);
    expect(['127.0.0.1', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.0.2.2', '::'].some(isLoopbackHost)).toBe(false);
  });
});
