// Serves the local Sales Invoice Export page (demo harness): index.html with the demo config injected,
// the LWC bundle, and the SLDS assets. The service app mounts the router at '/'.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { type Router } from 'express';

const WEB_DIR = __dirname;
const ROOT_DIR = path.resolve(__dirname, '..');
export const BUNDLE_FILE = 'app.js';
const BUILD_TIMEOUT_MS = 120_000;

export interface WebRouterOptions {
  /** The API key the page sends as `Authorization: Bearer <key>` (demo mode only: it is visible in the page). */
  apiKey: string;
  /** The Company the page exports; without it the page uses the service's primary company. */
  companyId?: string;
  /** A folder built by `buildWeb` / `web/build.ts`; without it the bundle is built on first use and kept in memory. */
  distDir?: string;
}

/** What the page reads as `window.__LEDGERLINE__`. */
export interface LedgerlinePageConfig {
  apiKey: string;
  companyId?: string;
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
 * process behaves the same under node, tsx and jest, and keeps the compiler out of the service's memory.
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

/** The bundle, built once per process: the first caller builds, later callers share the result. */
export function sharedBundle(): Promise<WebBundle> {
  if (!inMemoryBuild) {
    inMemoryBuild = (async () => {
      const started = Date.now();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-web-'));
      try {
        await buildWeb(dir);
        return { js: readFileSync(path.join(dir, BUNDLE_FILE), 'utf8'), millis: Date.now() - started };
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
  const candidates = [path.join(WEB_DIR, '..', 'node_modules'), ...(require.resolve.paths('@salesforce-ux/design-system') ?? [])];
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

export function createWebRouter(opts: WebRouterOptions): Router {
  const router = express.Router();
  const config: LedgerlinePageConfig = { apiKey: opts.apiKey, ...(opts.companyId ? { companyId: opts.companyId } : {}) };
  const prebuilt = opts.distDir && existsSync(path.join(opts.distDir, BUNDLE_FILE)) ? opts.distDir : undefined;
  const templateFile = prebuilt && existsSync(path.join(prebuilt, 'index.html')) ? path.join(prebuilt, 'index.html') : path.join(WEB_DIR, 'index.html');
  let prebuiltJs: string | undefined;

  const bundleJs = async (): Promise<string> => {
    if (prebuilt) {
      prebuiltJs ??= readFileSync(path.join(prebuilt, BUNDLE_FILE), 'utf8');
      return prebuiltJs;
    }
    return (await sharedBundle()).js;
  };

  router.get(['/', '/index.html'], (_req, res, next) => {
    try {
      const html = renderIndexHtml(readFileSync(templateFile, 'utf8'), config);
      // The page carries the API key: never cache it, never let it be framed elsewhere.
      res.set({ 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
      res.type('html').send(html);
      // Start compiling now so /app.js is ready by the time the browser asks.
      if (!prebuilt) sharedBundle().catch(() => undefined);
    } catch (err) {
      next(err);
    }
  });

  router.get(`/${BUNDLE_FILE}`, async (_req, res, next) => {
    try {
      const js = await bundleJs();
      res.set('Cache-Control', 'no-cache');
      res.type('application/javascript').send(js);
    } catch (err) {
      next(err);
    }
  });

  // SLDS: styles, icons (sprites) and images the stylesheet refers to.
  router.use('/assets', express.static(sldsAssetsDir(), { index: false, maxAge: '1h' }));
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });

  // "View Process Log" links point at the Lightning record page; in the harness the log is on this page.
  router.get('/lightning/r/Process_Log__c/:id/view', (_req, res) => {
    res.redirect(302, '/#region-process-log');
  });

  return router;
}
