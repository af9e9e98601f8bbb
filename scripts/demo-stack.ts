// The whole product on one machine: QuickBooks Online and Salesforce emulators seeded with realistic demo data,
// the service, and the local org that serves the Sales Invoice Export page (web/serve.ts) to one ERP user per
// Company. `npm start` runs it; tests start it on free ports.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { startQboEmulator, type QboEmulatorOptions } from '../emulators/qbo';
import { startSalesforceEmulator } from '../emulators/salesforce';
import { loadConfig, type Config } from '../service/src/config';
import { createContainer, type Container } from '../service/src/container';
import { createLogger } from '../service/src/log';
import type { Server } from 'node:http';
import { listenOnFreePort, startServer } from '../service/src/server';
import type { DemoUser, LocalOrg } from '../web/serve';
import { generateDemoData, type DemoData } from './demo/generate';
import { DESKTOP_COMPANY_NAME, withDesktopCompany, type DesktopDemo } from './demo/desktop';
import { MULTICURRENCY_COMPANY_NAME, withMulticurrencyCompany, type MulticurrencyDemo } from './demo/multicurrency';
import { fetchKeyPrefixes, seedEmulators } from './demo/load';

export interface DemoStackOptions {
  /** Service port; 0 = any free port. Default: PORT or 3000. */
  port?: number;
  qboPort?: number;
  sfPort?: number;
  invoices?: number;
  seed?: number;
  /** Connect the primary company to the QuickBooks emulator up front (default true). */
  connectQuickBooks?: boolean;
  /** Start the local org with the Sales Invoice Export page (default true). */
  web?: boolean;
  /** The local org's port; default WEB_PORT (0 = any free port, the default with `ephemeral`). */
  webPort?: number;
  /** Serve the QuickBooks Authentication pages (default true). */
  authPages?: boolean;
  /** Environment to read settings from (default process.env). */
  env?: NodeJS.ProcessEnv;
  qboOptions?: QboEmulatorOptions;
  /** Length of QuickBooks' rate "minute" for the service (match the emulator's timeScale). */
  rateWindowMs?: number;
  lockLeaseMs?: number;
  retryBaseMs?: number;
  /** Waits before background attempts to finish a write-back Salesforce did not take (tests: short). */
  finishWriteBackDelaysMs?: number[];
  allowancePollMs?: number;
  bulkPollMs?: number;
  /** Every log line the service writes, as JSON (tests look for secrets in them). */
  logSink?: (line: string) => void;
  /** A fresh temporary data folder, removed on close (tests). */
  ephemeral?: boolean;
  /** Add the QuickBooks Desktop company (Web Connector) with its own user and password. */
  desktop?: boolean;
  /** The service's clock (tests move it on). */
  now?: () => Date;
  /** Add the multicurrency company (euros, pounds, automated sales tax, classes, locations, a mapped PO number). */
  multicurrency?: boolean;
}

/** The Desktop company's Web Connector sign-in (demo and tests only). */
export interface DemoWebConnector {
  url: string;
  username: string;
  password: string;
  demo: DesktopDemo;
}

export interface DemoStack {
  serviceUrl: string;
  /** The local org: the Sales Invoice Export page, the Process Log tab and record pages (unset with web: false). */
  pageUrl?: string;
  /** The org's ERP users, one per Company, and one without a Company; the first is the page's default. */
  users: DemoUser[];
  apiKey: string;
  adminKey: string;
  qboUrl: string;
  sfUrl: string;
  primaryCompanyId: string;
  secondaryCompanyId: string;
  data: DemoData;
  container: Container;
  /** Stops the Ledgerline service alone: the emulators and the local org keep running. */
  stopService(): Promise<void>;
  /** Set when the stack has the Desktop company. */
  webConnector: DemoWebConnector | null;
  /** Set when the stack has the multicurrency company (connected to QuickBooks). */
  multicurrency: MulticurrencyDemo | null;
  close(): Promise<void>;
}

const DEMO_PASSWORD = 'demo-password';
/** The integration user the service signs in as (the emulator's first user runs client-credentials calls). */
const INTEGRATION_USER = { username: 'admin@ledgerline.demo', password: DEMO_PASSWORD };
/** The Salesforce emulator's connected app, which the local org signs its users in with. */
const ORG_CLIENT = { clientId: 'ledgerline-sf-client', clientSecret: 'ledgerline-sf-secret' };
/** One ERP user per demo Company, in the order of the companies, and one the administrator has not set up yet. */
const ERP_PEOPLE = [
  { username: 'nora.whitfield@ledgerline.demo', first: 'Nora', last: 'Whitfield' },
  { username: 'hal.okafor@ledgerline.demo', first: 'Hal', last: 'Okafor' },
];
const NEW_HIRE = { username: 'sam.newman@ledgerline.demo', first: 'Sam', last: 'Newman' };
/** The multicurrency company's ERP user. */
const MULTICURRENCY_PERSON = { username: 'lena.brandt@ledgerline.demo', first: 'Lena', last: 'Brandt', company: MULTICURRENCY_COMPANY_NAME };
/** The QuickBooks Desktop company's ERP user (the Web Connector's company). */
const DESKTOP_PERSON = { username: 'dana.reyes@ledgerline.demo', first: 'Dana', last: 'Reyes', company: DESKTOP_COMPANY_NAME };

export async function startDemoStack(opts: DemoStackOptions = {}): Promise<DemoStack> {
  const env = { ...(opts.env ?? process.env) };
  const tmp = opts.ephemeral ? mkdtempSync(path.join(os.tmpdir(), 'ledgerline-')) : undefined;
  if (tmp) env.DATA_DIR = tmp;
  const settings = loadConfig(env);
  // The emulators start empty every time, so the demo's embedded store must too: a journal or tokens from an
  // earlier demo would point at QuickBooks records that no longer exist.
  // (Not while another process holds it: opening the store then fails with a message naming that process.)
  const storeDir = path.resolve(settings.dataDir, 'store');
  if (!tmp && !settings.databaseUrl && !existsSync(`${storeDir}.lock`)) rmSync(storeDir, { recursive: true, force: true });
  // The port is fixed before the configuration is read: the OAuth redirect and page links are built from it.
  // Port 0: the service's port is taken now and held, so nothing started meanwhile (an emulator) can land on it.
  const listening = opts.port === 0 ? await listenOnFreePort(settings.host) : undefined;
  if (opts.port !== undefined) env.PORT = String(listening ? (listening.address() as net.AddressInfo).port : opts.port);
  const config = loadConfig(env);
  const started: { close(): Promise<void> }[] = [];
  if (listening) started.push({ close: () => new Promise<void>((resolve) => listening.close(() => resolve())) });
  try {
    return await startStack(opts, config, { tmp, listening, started });
  } catch (err) {
    // A stack that fails half-way closes what it started, so the process (or a test run) can still exit.
    for (const part of started.reverse()) await part.close().catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function startStack(
  opts: DemoStackOptions,
  config: Config,
  ctx: { tmp?: string; listening?: Server; started: { close(): Promise<void> }[] },
): Promise<DemoStack> {
  const { tmp, listening, started } = ctx;
  const qbo = await startQboEmulator({ port: opts.qboPort ?? (tmp ? 0 : config.quickbooks.emulatorPort), ...opts.qboOptions });
  started.push(qbo);
  const people: ErpPerson[] = [...ERP_PEOPLE, ...(opts.multicurrency ? [MULTICURRENCY_PERSON] : []), ...(opts.desktop ? [DESKTOP_PERSON] : []), NEW_HIRE];
  const sf = await startSalesforceEmulator({
    port: opts.sfPort ?? (tmp ? 0 : config.salesforce.emulatorPort),
    users: [INTEGRATION_USER, ...people.map((p) => ({ username: p.username, password: DEMO_PASSWORD }))],
  });
  started.push(sf);
  // Record ids carry the org's key prefix per object, so the data is generated for this org.
  const keyPrefixes = await fetchKeyPrefixes(sf.url);
  let data = generateDemoData({ seed: opts.seed ?? 42, invoices: opts.invoices ?? 60, keyPrefixes });
  let desktop: DesktopDemo | null = null;
  if (opts.desktop) ({ data, desktop } = withDesktopCompany(data, keyPrefixes));
  let multicurrency: MulticurrencyDemo | null = null;
  if (opts.multicurrency) ({ data, multicurrency } = withMulticurrencyCompany(data, keyPrefixes));
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
  const users = await assignCompanies(sf.url, data, people);

  const port = config.port;
  // On a shared PostgreSQL server a throwaway stack gets a schema of its own, dropped when it closes.
  const schema = tmp && config.databaseUrl ? `ledgerline_t${randomBytes(5).toString('hex')}` : undefined;
  if (schema) started.push({ close: () => dropSchema(config.databaseUrl!, schema) });
  const logger = opts.logSink ? createLogger({ level: 'debug', format: 'json' }, { write: (line: string) => opts.logSink!(line) }) : undefined;
  const container = await createContainer(config, {
    logger,
    qboUrl: qbo.url,
    sfUrl: sf.url,
    rateWindowMs: opts.rateWindowMs,
    lockLeaseMs: opts.lockLeaseMs,
    retryBaseMs: opts.retryBaseMs,
    finishWriteBackDelaysMs: opts.finishWriteBackDelaysMs,
    allowancePollMs: opts.allowancePollMs,
    bulkPollMs: opts.bulkPollMs ?? (opts.ephemeral ? 50 : undefined),
    schema,
    now: opts.now,
  });
  const primaryCompanyId = data.facts.primaryCompanyId;
  started.push(container);
  const server = await startServer(container, { port, listening, quickbooksRouter: opts.authPages === false ? undefined : container.quickbooksRouter() });
  started.splice(started.indexOf(container), 1, server);
  if (opts.connectQuickBooks !== false) await connectWithEmulator(container, qbo.url, primaryCompanyId, data.facts.realmIds.primary);
  if (opts.connectQuickBooks !== false && multicurrency) await connectWithEmulator(container, qbo.url, multicurrency.companyId, multicurrency.realmId);
  let org: LocalOrg | undefined;
  if (opts.web !== false) {
    const { startOrg } = await import('../web/serve');
    org = await startOrg({
      port: opts.webPort ?? (tmp ? 0 : config.webPort),
      salesforceUrl: sf.url,
      salesforceClient: ORG_CLIENT,
      users,
      service: { url: server.url, apiKey: container.credentials.apiKey },
      quickBooksAppUrl: 'https://app.sandbox.qbo.intuit.com',
    });
    started.push(org);
  }
  let serviceStopped: Promise<void> | undefined;
  const stopService = () => (serviceStopped ??= server.close());
  let webConnector: DemoWebConnector | null = null;
  if (desktop) {
    const password = randomBytes(12).toString('base64url');
    const user = await container.store.webConnectorUsers.save({
      companyId: desktop.companyId,
      username: 'ledgerline-demo-desktop',
      password,
      runEveryMinutes: 10,
    });
    webConnector = { url: `${server.url}/qbwc`, username: user.username, password, demo: desktop };
  }

  return {
    serviceUrl: server.url,
    pageUrl: org?.url.replace('127.0.0.1', 'localhost'),
    users,
    apiKey: container.credentials.apiKey,
    adminKey: container.credentials.adminKey,
    qboUrl: qbo.url,
    sfUrl: sf.url,
    primaryCompanyId,
    secondaryCompanyId: data.facts.secondaryCompanyId,
    data,
    container,
    stopService,
    webConnector,
    multicurrency,
    async close() {
      await org?.close();
      await stopService();
      if (schema) await dropSchema(config.databaseUrl!, schema);
      await Promise.all([qbo.close(), sf.close()]);
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Drops a throwaway stack's schema and pg-boss's beside it. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The store's schema and pg-boss's beside it.
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Names the demo users and gives each ERP user their Company (User.Ledgerline_Company__c), as an admin would. */
interface ErpPerson {
  username: string;
  first: string;
  last: string;
  /** The Company's name, when it is not the one at the person's position. */
  company?: string;
}

async function assignCompanies(sfUrl: string, data: DemoData, people: ErpPerson[]): Promise<DemoUser[]> {
  const stored = await emulatorAdmin<{ Id: string; Username: string }[]>(sfUrl, 'GET', '/records/User');
  const companies = data.salesforce.records.Company__c ?? [];
  const byUsername = new Map(stored.map((u) => [u.Username.toLowerCase(), u.Id]));
  const rows = people.map((person, i) => {
    const company = person === people[people.length - 1] ? undefined : person.company ? companies.find((c) => c.Name === person.company) : companies[i];
    return { person, company, Id: byUsername.get(person.username.toLowerCase()) };
  });
  await emulatorAdmin(sfUrl, 'POST', '/seed', {
    records: {
      User: rows.map((r) => ({
        Id: r.Id,
        FirstName: r.person.first,
        LastName: r.person.last,
        Ledgerline_Company__c: (r.company?.Id as string | undefined) ?? null,
        // Each Company's ERP user hears about its failed exports and its authorization's end.
        Ledgerline_Admin__c: r.company !== undefined,
      })),
    },
  });
  return rows.map((r) => ({
    username: r.person.username,
    password: DEMO_PASSWORD,
    name: `${r.person.first} ${r.person.last}`,
    companyName: (r.company?.Name as string | undefined) ?? null,
  }));
}

async function emulatorAdmin<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/__admin${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Salesforce emulator ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  const json = (text ? JSON.parse(text) : undefined) as T & { errors?: unknown[] };
  if (json && Array.isArray(json.errors) && json.errors.length)
    throw new Error(`Salesforce emulator ${path} rejected: ${JSON.stringify(json.errors.slice(0, 2))}`);
  return json;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Gives a company QuickBooks tokens straight from the emulator, as if its admin had clicked Connect. */
export async function connectWithEmulator(container: Container, qboUrl: string, companyId: string, realmId: string): Promise<void> {
  const res = await fetch(`${qboUrl}/__admin/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ realmId }),
  });
  if (!res.ok) throw new Error(`The QuickBooks emulator refused to issue tokens: HTTP ${res.status}`);
  const json = (await res.json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    x_refresh_token_expires_in: number;
    x_refresh_token_hard_expires_in?: number;
  };
  await container.authorization.connect(companyId, {
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    expiresIn: json.expires_in,
    refreshTokenExpiresIn: json.x_refresh_token_expires_in,
    refreshTokenHardExpiresIn: json.x_refresh_token_hard_expires_in,
    realmId,
  });
}
