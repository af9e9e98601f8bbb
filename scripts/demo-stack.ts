// The whole product on one machine: QuickBooks Online and Salesforce emulators seeded with realistic demo data,
// the service, and the local Sales Invoice Export page. `npm start` runs it; tests start it on free ports.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Router } from 'express';
import { startQboEmulator, type QboEmulatorOptions } from '../emulators/qbo';
import { startSalesforceEmulator } from '../emulators/salesforce';
import { loadConfig } from '../service/src/config';
import { createContainer, type Container } from '../service/src/container';
import { startServer } from '../service/src/server';
import { generateDemoData, type DemoData } from './demo/generate';
import { withDesktopCompany, type DesktopDemo } from './demo/desktop';
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
  /** Serve the local Sales Invoice Export page (default true). */
  web?: boolean;
  /** Serve the QuickBooks Authentication pages (default true). */
  authPages?: boolean;
  /** Environment to read settings from (default process.env). */
  env?: NodeJS.ProcessEnv;
  qboOptions?: QboEmulatorOptions;
  /** Length of QuickBooks' rate "minute" for the service (match the emulator's timeScale). */
  rateWindowMs?: number;
  lockLeaseMs?: number;
  retryBaseMs?: number;
  /** A fresh temporary data folder, removed on close (tests). */
  ephemeral?: boolean;
  /** Add the QuickBooks Desktop company (Web Connector) with its own user and password. */
  desktop?: boolean;
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
  apiKey: string;
  adminKey: string;
  qboUrl: string;
  sfUrl: string;
  primaryCompanyId: string;
  secondaryCompanyId: string;
  data: DemoData;
  container: Container;
  /** Set when the stack has the Desktop company. */
  webConnector: DemoWebConnector | null;
  close(): Promise<void>;
}

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
  if (opts.port !== undefined) env.PORT = String(opts.port === 0 ? await freePort() : opts.port);
  const config = loadConfig(env);
  const qbo = await startQboEmulator({ port: opts.qboPort ?? (tmp ? 0 : config.quickbooks.emulatorPort), ...opts.qboOptions });
  const sf = await startSalesforceEmulator({ port: opts.sfPort ?? (tmp ? 0 : config.salesforce.emulatorPort) });
  // Record ids carry the org's key prefix per object, so the data is generated for this org.
  const keyPrefixes = await fetchKeyPrefixes(sf.url);
  let data = generateDemoData({ seed: opts.seed ?? 42, invoices: opts.invoices ?? 60, keyPrefixes });
  let desktop: DesktopDemo | null = null;
  if (opts.desktop) ({ data, desktop } = withDesktopCompany(data, keyPrefixes));
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });

  const port = config.port;
  // On a shared PostgreSQL server a throwaway stack gets a schema of its own, dropped when it closes.
  const schema = tmp && config.databaseUrl ? `ledgerline_t${randomBytes(5).toString('hex')}` : undefined;
  const container = await createContainer(config, {
    qboUrl: qbo.url,
    sfUrl: sf.url,
    rateWindowMs: opts.rateWindowMs,
    lockLeaseMs: opts.lockLeaseMs,
    retryBaseMs: opts.retryBaseMs,
    schema,
  });
  const primaryCompanyId = data.facts.primaryCompanyId;
  let webRouter: Router | undefined;
  if (opts.web !== false) {
    const { createWebRouter } = await import('../web/serve');
    webRouter = createWebRouter({ apiKey: container.credentials.apiKey, companyId: primaryCompanyId });
  }
  const server = await startServer(container, { port, webRouter, quickbooksRouter: opts.authPages === false ? undefined : container.quickbooksRouter() });
  if (opts.connectQuickBooks !== false) await connectWithEmulator(container, qbo.url, primaryCompanyId, data.facts.realmIds.primary);
  let webConnector: DemoWebConnector | null = null;
  if (desktop) {
    const password = randomBytes(12).toString('base64url');
    const user = await container.store.webConnectorUsers.save({ companyId: desktop.companyId, username: 'ledgerline-demo-desktop', password, runEveryMinutes: 10 });
    webConnector = { url: `${server.url}/qbwc`, username: user.username, password, demo: desktop };
  }

  return {
    serviceUrl: server.url,
    apiKey: container.credentials.apiKey,
    adminKey: container.credentials.adminKey,
    qboUrl: qbo.url,
    sfUrl: sf.url,
    primaryCompanyId,
    secondaryCompanyId: data.facts.secondaryCompanyId,
    data,
    container,
    webConnector,
    async close() {
      await server.close();
      if (schema) await dropSchema(config.databaseUrl!, schema);
      await Promise.all([qbo.close(), sf.close()]);
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
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
  const json = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; x_refresh_token_expires_in: number };
  await container.authorization.connect(companyId, {
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    expiresIn: json.expires_in,
    refreshTokenExpiresIn: json.x_refresh_token_expires_in,
    realmId,
  });
}
