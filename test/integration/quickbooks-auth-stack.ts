// Test support for the QuickBooks Authentication tests: the product on free ports (both emulators with demo data,
// the service with the QuickBooks router) with a service clock the test moves in step with the emulator's, a log
// captured in memory, and a tiny cookie-keeping HTTP "browser" that follows redirects across hosts.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData, type DemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { loadConfig } from '../../service/src/config';
import { createContainer, type Container } from '../../service/src/container';
import { createLogger } from '../../service/src/log';
import { listenOnFreePort, startServer } from '../../service/src/server';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A clock that runs with real time plus an offset the test advances. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
}

export interface AuthStack {
  serviceUrl: string;
  qboUrl: string;
  sfUrl: string;
  apiKey: string;
  adminKey: string;
  companyId: string;
  otherCompanyId: string;
  realmId: string;
  otherRealmId: string;
  data: DemoData;
  container: Container;
  qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  clock: TestClock;
  /** Every log line the service wrote (JSON text). */
  logLines: string[];
  /** Moves the emulator's clock and the service's clock forward together. */
  advance(ms: number, opts?: { serviceToo?: boolean }): Promise<void>;
  qboAdmin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startAuthStack(opts: { invoices?: number } = {}): Promise<AuthStack> {
  const listening = await listenOnFreePort();
  const port = (listening.address() as AddressInfo).port;
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: 'memory://',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LEDGERLINE_API_KEY: `export-${randomBytes(12).toString('hex')}`,
    LEDGERLINE_ADMIN_KEY: `admin-${randomBytes(12).toString('hex')}`,
    LOG_LEVEL: 'trace',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const qbo = await startQboEmulator({ port: 0 });
  const sf = await startSalesforceEmulator({ port: 0 });
  const data = generateDemoData({ seed: 42, invoices: opts.invoices ?? 12, keyPrefixes: await fetchKeyPrefixes(sf.url) });
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });

  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'trace' }, sink);
  const clock = new TestClock();
  const container = await createContainer(config, {
    qboUrl: qbo.url,
    sfUrl: sf.url,
    now: clock.now,
    logger,
    retryBaseMs: 10,
    lockLeaseMs: 3000,
    schema: process.env.DATABASE_URL ? `qbauth_${randomBytes(4).toString('hex')}` : undefined,
  });
  const server = await startServer(container, { listening, quickbooksRouter: container.quickbooksRouter() });

  const qboAdmin = async <T = any>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${qbo.url}/__admin${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`QBO admin ${method} ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };

  return {
    serviceUrl: server.url,
    qboUrl: qbo.url,
    sfUrl: sf.url,
    apiKey: container.credentials.apiKey,
    adminKey: container.credentials.adminKey,
    companyId: data.facts.primaryCompanyId,
    otherCompanyId: data.facts.secondaryCompanyId,
    realmId: data.facts.realmIds.primary,
    otherRealmId: data.facts.realmIds.secondary,
    data,
    container,
    qbo,
    clock,
    logLines,
    async advance(ms, o = {}) {
      await qboAdmin('POST', '/clock', { advanceMs: ms });
      if (o.serviceToo !== false) clock.offsetMs += ms;
    },
    qboAdmin,
    async close() {
      await server.close();
      await Promise.all([qbo.close(), sf.close()]);
    },
  };
}

export interface Answer {
  status: number;
  url: string;
  location: string | null;
  text: string;
  headers: Headers;
}

/**
 * A minimal browser: keeps cookies per host (ignoring paths, honouring Max-Age=0), sends urlencoded forms,
 * and can follow redirects across the service and the emulator. Everything it received is kept in `seen`.
 */
export class CookieBrowser {
  readonly jar = new Map<string, Map<string, string>>();
  /** Every answer received: the URL asked (which may hold a code) apart from what came back. */
  readonly seen: { url: string; answer: string }[] = [];

  constructor(private readonly extraHeaders: Record<string, string> = {}) {}

  cookieHeader(url: string): string {
    const cookies = this.jar.get(new URL(url).hostname);
    return cookies ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.get(name);
  }

  async request(method: string, url: string, form?: Record<string, string>): Promise<Answer> {
    const headers: Record<string, string> = { ...this.extraHeaders };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.Cookie = cookie;
    let body: string | undefined;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const host = new URL(url).hostname;
      const cookies = this.jar.get(host) ?? new Map<string, string>();
      if (attrs.some((a) => /^max-age=0$/i.test(a)) || value === '') cookies.delete(name);
      else cookies.set(name, value);
      this.jar.set(host, cookies);
    }
    const text = await res.text();
    const location = res.headers.get('location');
    this.seen.push({ url, answer: `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    return { status: res.status, url, location: location ? new URL(location, url).toString() : null, text, headers: res.headers };
  }

  /** Requests and follows redirects (GET after 302/303), up to 10. */
  async follow(method: string, url: string, form?: Record<string, string>): Promise<Answer & { trail: string[] }> {
    const trail: string[] = [];
    let answer = await this.request(method, url, form);
    trail.push(url);
    for (let i = 0; i < 10 && answer.location && answer.status >= 300 && answer.status < 400; i++) {
      trail.push(answer.location);
      answer = await this.request('GET', answer.location);
    }
    return { ...answer, trail };
  }
}

/** Pulls the value of a hidden input out of a page. */
export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden input ${name}`);
  return unescape(m[1]);
}

function unescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The form the emulator's consent page posts: its action and fields, with `realmId` chosen. */
export function consentForm(consent: Answer, realmId: string, decision = 'connect'): { action: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const m of consent.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unescape(m[2]);
  const action = /<form method="post" action="([^"]+)"/.exec(consent.text)?.[1];
  if (!action) throw new Error('the consent page has no form');
  return { action: new URL(action, consent.url).toString(), fields: { ...fields, realmId, decision } };
}

/** The emulator's consent form, submitted as its Connect (or Cancel) button would, following every redirect. */
export function approveConsent(browser: CookieBrowser, consent: Answer, realmId: string, decision = 'connect') {
  const form = consentForm(consent, realmId, decision);
  return browser.follow('POST', form.action, form.fields);
}

/** Signs a browser in with a key; returns the answer of POST /quickbooks/session. */
export function signIn(browser: CookieBrowser, stack: AuthStack, key: string, companyId = stack.companyId) {
  return browser.request('POST', `${stack.serviceUrl}/quickbooks/session`, { adminKey: key, companyId });
}
