// The local org (demo harness): what Lightning Experience and Apex are for the Sales Invoice Export page, on one
// small server of its own — so the Ledgerline service can stop while the page, and the Process Log read from
// Salesforce, stay up. It serves the pages (the Sales Invoice Export app page, the Process Log tab, record pages),
// the LWC bundle and the SLDS assets; runs the controllers' @AuraEnabled methods (web/org/apex.ts) as the user the
// header's "View as" switch picked; and calls the service through the Named Credential's key, which never reaches
// the browser.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isLoopbackHost } from '../service/src/server';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { readCustomLabels } from './labels';
import { apexMethod, AuraHandledError, type ApexContext } from './org/apex';
import { SalesforceClient, type OrgUser } from './org/salesforce';
import { recordView } from './org/records';

const WEB_DIR = __dirname;
const ROOT_DIR = path.resolve(__dirname, '..');
export const BUNDLE_FILE = 'app.js';
// A busy machine has taken 90 s and more to compile the base components.
const BUILD_TIMEOUT_MS = 300_000;
const VIEW_AS_COOKIE = 'll_view_as';

/** A Salesforce user of the local org; the ERP users pick one in the header ("View as"). */
export interface DemoUser extends OrgUser {
  /** Full name, shown in the header. */
  name: string;
  /** What the switch shows beside the name: the user's Ledgerline Company, or that there is none. */
  companyName: string | null;
}

export interface OrgOptions {
  /** The Salesforce emulator (login and REST). */
  salesforceUrl: string;
  /** The connected app the local org signs its users in with. */
  salesforceClient: { clientId: string; clientSecret: string };
  /** Users to view the page as; the first is the default. */
  users: DemoUser[];
  /** The Named Credential: the Ledgerline service's URL and API key. */
  service: { url: string; apiKey: string };
  /** Where QuickBooks opens records, for the Process Log's QuickBooks links. */
  quickBooksAppUrl?: string;
  /** A folder built by `buildWeb` / `web/build.ts`; without it the bundle is built on first use and kept in memory. */
  distDir?: string;
}

/** What the page reads as `window.__LEDGERLINE__`. */
export interface LedgerlinePageConfig {
  page: 'export' | 'processLogs' | 'record';
  recordId?: string;
  objectApiName?: string;
  currentUser: { username: string; name: string; companyName: string | null };
  users: { username: string; name: string; companyName: string | null }[];
  quickBooksAppUrl?: string;
}

export interface WebBundle {
  /** The page's JavaScript (an ES module). */
  js: string;
  /** How long the build took, in milliseconds. */
  millis: number;
}

const CONFIG_MARKER = '<!--LEDGERLINE_CONFIG-->';

/**
 * Builds the page into outDir (default web/dist) by running web/build.ts in a child Node process (with tsx).
 * The LWC toolchain ships ES modules that a test runner's module system (jest) cannot load in-process; a child
 * process behaves the same under node, tsx and jest, and keeps the compiler out of the org's memory.
 */
export function buildWeb(outDir: string = path.join(WEB_DIR, 'dist')): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(WEB_DIR, 'build.ts'), path.resolve(outDir)],
      { cwd: ROOT_DIR, env: process.env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`The Sales Invoice Export page did not build: ${(stderr || err.message).trim()}`));
        else resolve();
      },
    );
  });
}

let inMemoryBuild: Promise<WebBundle> | undefined;

/** Everything the bundle is made from: the components, the local modules, the labels and the locked dependencies. */
const BUNDLE_INPUTS = [
  path.join(ROOT_DIR, 'force-app', 'main', 'default', 'lwc'),
  path.join(ROOT_DIR, 'force-app', 'main', 'default', 'labels'),
  path.join(WEB_DIR, 'modules'),
  path.join(WEB_DIR, 'src'),
  path.join(WEB_DIR, 'bundle.ts'),
  path.join(WEB_DIR, 'labels.ts'),
  path.join(ROOT_DIR, 'package-lock.json'),
];

function filesOf(target: string): string[] {
  if (!existsSync(target)) return [];
  if (statSync(target).isDirectory()) {
    return readdirSync(target, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !path.join(entry.parentPath, entry.name).split(path.sep).includes('__tests__'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
  }
  return [target];
}

/** A hash of the bundle's inputs: the same sources give the same cached build. */
export function bundleKey(): string {
  const hash = createHash('sha256');
  for (const file of BUNDLE_INPUTS.flatMap(filesOf)) {
    hash.update(path.relative(ROOT_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * The bundle, built once per process and kept on disk by the hash of its sources (node_modules/.cache), so a second
 * `npm start` or test file does not compile the base components again (a build takes tens of seconds).
 */
export function sharedBundle(): Promise<WebBundle> {
  if (!inMemoryBuild) {
    inMemoryBuild = (async () => {
      const started = Date.now();
      const cacheDir = path.join(ROOT_DIR, 'node_modules', '.cache', 'ledgerline-web', bundleKey());
      const cached = path.join(cacheDir, BUNDLE_FILE);
      if (existsSync(cached)) return { js: readFileSync(cached, 'utf8'), millis: Date.now() - started };
      // Built beside the cache entry, so moving it into place is one rename on the same disk.
      mkdirSync(path.dirname(cacheDir), { recursive: true });
      const dir = mkdtempSync(path.join(path.dirname(cacheDir), 'build-'));
      try {
        await buildWeb(dir);
        const js = readFileSync(path.join(dir, BUNDLE_FILE), 'utf8');
        try {
          renameSync(dir, cacheDir);
        } catch {
          // Another process cached the same build first.
        }
        return { js, millis: Date.now() - started };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    // A failed build is not kept: the next request tries again (after a source fix, say).
    inMemoryBuild.catch(() => {
      inMemoryBuild = undefined;
    });
  }
  return inMemoryBuild;
}

function sldsAssetsDir(): string {
  const candidates = [path.join(ROOT_DIR, 'node_modules'), ...(require.resolve.paths('@salesforce-ux/design-system') ?? [])];
  for (const dir of candidates) {
    const assets = path.join(dir, '@salesforce-ux', 'design-system', 'assets');
    if (existsSync(assets)) return assets;
  }
  throw new Error('web: cannot find @salesforce-ux/design-system/assets');
}

/** Serialises the config for an inline <script>: no "</script>" or "<!--" can break out of it. */
export function configScript(config: LedgerlinePageConfig): string {
  const json = JSON.stringify(config)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script>window.__LEDGERLINE__ = ${json};</script>`;
}

export function renderIndexHtml(template: string, config: LedgerlinePageConfig): string {
  const script = configScript(config);
  return template.includes(CONFIG_MARKER) ? template.replace(CONFIG_MARKER, script) : template.replace('</head>', `${script}\n</head>`);
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** The local org as an express app (startOrg listens on it). */
export function createOrgApp(opts: OrgOptions): Express {
  if (!opts.users.length) throw new Error('The local org needs at least one user');
  const app = express();
  app.disable('x-powered-by');
  const salesforce = new SalesforceClient({ loginUrl: opts.salesforceUrl, ...opts.salesforceClient });
  const labels = readCustomLabels();
  const prebuilt = opts.distDir && existsSync(path.join(opts.distDir, BUNDLE_FILE)) ? opts.distDir : undefined;
  const templateFile = prebuilt && existsSync(path.join(prebuilt, 'index.html')) ? path.join(prebuilt, 'index.html') : path.join(WEB_DIR, 'index.html');
  let prebuiltJs: string | undefined;

  const userOf = (req: Request): DemoUser => opts.users.find((u) => u.username === cookie(req, VIEW_AS_COOKIE)) ?? opts.users[0]!;
  const publicUser = (u: DemoUser) => ({ username: u.username, name: u.name, companyName: u.companyName });

  const bundleJs = async (): Promise<string> => {
    if (prebuilt) {
      prebuiltJs ??= readFileSync(path.join(prebuilt, BUNDLE_FILE), 'utf8');
      return prebuiltJs;
    }
    return (await sharedBundle()).js;
  };

  const sendPage = (req: Request, res: Response, next: NextFunction, page: Omit<LedgerlinePageConfig, 'currentUser' | 'users'>) => {
    try {
      const config: LedgerlinePageConfig = {
        ...page,
        currentUser: publicUser(userOf(req)),
        users: opts.users.map(publicUser),
        ...(opts.quickBooksAppUrl ? { quickBooksAppUrl: opts.quickBooksAppUrl } : {}),
      };
      res.set({ 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
      res.type('html').send(renderIndexHtml(readFileSync(templateFile, 'utf8'), config));
      // Start compiling now so /app.js is ready by the time the browser asks.
      if (!prebuilt) sharedBundle().catch(() => undefined);
    } catch (err) {
      next(err);
    }
  };

  // Lightning Experience URLs: the app page, the Process Log tab (its list), and record pages.
  app.get(['/', '/index.html', '/lightning/n/Sales_Invoice_Export'], (req, res, next) => sendPage(req, res, next, { page: 'export' }));
  app.get(['/lightning/o/Process_Log__c/list', '/lightning/o/Process_Log__c/home'], (req, res, next) => sendPage(req, res, next, { page: 'processLogs' }));
  app.get('/lightning/r/:objectApiName/:recordId/view', (req, res, next) => {
    const { objectApiName, recordId } = req.params;
    if (!OBJECT_NAME.test(objectApiName) || !RECORD_ID.test(recordId)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    sendPage(req, res, next, { page: 'record', objectApiName, recordId });
  });

  app.get(`/${BUNDLE_FILE}`, async (_req, res, next) => {
    try {
      const js = await bundleJs();
      res.set('Cache-Control', 'no-cache');
      res.type('application/javascript').send(js);
    } catch (err) {
      next(err);
    }
  });

  // SLDS: styles, icons (sprites) and images the stylesheet refers to.
  app.use('/assets', express.static(sldsAssetsDir(), { index: false, maxAge: '1h' }));
  app.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });

  // "View as": which Salesforce user the page and its Apex run as (the org's users each have their own Company).
  app.post('/__org/view-as', express.json(), (req, res) => {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    const user = opts.users.find((u) => u.username === username);
    if (!user) {
      res.status(400).json({ message: 'No such user in this org.' });
      return;
    }
    res.set('Set-Cookie', `${VIEW_AS_COOKIE}=${encodeURIComponent(user.username)}; Path=/; HttpOnly; SameSite=Strict`);
    res.json(publicUser(user));
  });

  // Imperative Apex: POST the parameters, get the method's answer or an AuraHandledException's message.
  app.post('/__org/apex/:className/:method', express.json({ limit: '256kb' }), async (req, res) => {
    const method = apexMethod(req.params.className, req.params.method);
    if (!method) {
      res.status(404).json({ message: `No @AuraEnabled method ${req.params.className}.${req.params.method}.` });
      return;
    }
    const ctx: ApexContext = { user: userOf(req), salesforce, service: opts.service, labels };
    try {
      res.json((await method(ctx, (req.body ?? {}) as Record<string, unknown>)) ?? null);
    } catch (err) {
      if (err instanceof AuraHandledError) {
        res.status(500).json({ message: err.message });
        return;
      }
      res.status(500).json({ message: `An internal server error has occurred: ${err instanceof Error ? err.message : String(err)}` });
    }
  });

  // The record page's detail panel: the record's fields as the user may read them.
  app.get('/__org/records/:objectApiName/:recordId', async (req, res) => {
    const { objectApiName, recordId } = req.params;
    if (!OBJECT_NAME.test(objectApiName) || !RECORD_ID.test(recordId)) {
      res.status(404).json({ message: 'No such record.' });
      return;
    }
    try {
      const view = await recordView(salesforce, userOf(req), objectApiName, recordId);
      if (!view) res.status(404).json({ message: 'The record was not found, or you do not have access to it.' });
      else res.json(view);
    } catch (err) {
      res.status(500).json({ message: err instanceof Error ? err.message : String(err) });
    }
  });

  return app;
}

export interface LocalOrg {
  url: string;
  close(): Promise<void>;
}

/** Starts the local org on a port (0 = any free one). */
export async function startOrg(opts: OrgOptions & { port?: number; host?: string }): Promise<LocalOrg> {
  const host = opts.host ?? '127.0.0.1';
  // The local org acts for whoever picks a user in its header, with the service's API key: this machine only.
  if (!isLoopbackHost(host))
    throw new Error(`The local org (the demo's Salesforce stand-in) listens on 127.0.0.1 only (HOST is ${host}): it acts for its users without a password.`);
  const app = createOrgApp(opts);
  const server = app.listen(opts.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
