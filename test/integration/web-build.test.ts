// The local Sales Invoice Export page: built from force-app's components with LWC OSS, served with the demo
// config injected, the bundle and the SLDS assets. No browser here (see test/e2e for that).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { buildWeb, createWebRouter, sharedBundle } from '../../web/serve';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const COMPONENT_JS = path.join(ROOT, 'force-app/main/default/lwc/salesInvoiceExport/salesInvoiceExport.js');
const API_KEY = 'test-api-key-123';
const COMPANY_ID = 'a0B5e000001AbCdEAK';

function appWith(router: express.Router): express.Express {
  const app = express();
  app.use('/', router);
  return app;
}

describe('web harness build', () => {
  let outDir: string;
  let builtJs: string;
  let buildMillis: number;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-web-'));
    const started = Date.now();
    await buildWeb(outDir);
    buildMillis = Date.now() - started;
    builtJs = readFileSync(path.join(outDir, 'app.js'), 'utf8');
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('when the page is built, then the bundle holds the real force-app component code, labels and runtime', () => {
    // A string that only exists in force-app's salesInvoiceExport.js.
    expect(readFileSync(COMPONENT_JS, 'utf8')).toContain('A 409 means an export is already running');
    expect(builtJs).toContain('followedRunId');
    expect(builtJs).toContain('QBO_UNAUTHORIZED');
    // processLogViewer and the shared helpers are in too.
    expect(builtJs).toContain('subscribeToRunFinished');
    // Custom Labels come from CustomLabels.labels-meta.xml.
    expect(builtJs).toContain('Refresh token expires in {0} days');
    expect(builtJs).toContain('Product Export Qty');
    // The Apex imports are mapped to the HTTP stand-ins; no platform import is left unresolved.
    expect(builtJs).toContain('/companies/${encodeURIComponent(companyId)}/summary');
    expect(builtJs).not.toMatch(/from\s*["']@salesforce\//);
    expect(builtJs).not.toMatch(/from\s*["']lightning\//);
    // The engine matches the compiler (LWC 9).
    expect(builtJs).toContain('LWC compiler v9.');
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
  });

  it('when the page is built, then it takes seconds, not minutes', () => {
    expect(buildMillis).toBeLessThan(60_000);
  });

  it('when / is requested, then index.html comes back with the demo config injected and no caching', async () => {
    const app = appWith(createWebRouter({ apiKey: API_KEY, companyId: COMPANY_ID, distDir: outDir }));

    const res = await request(app).get('/');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(`window.__LEDGERLINE__ = {"apiKey":"${API_KEY}","companyId":"${COMPANY_ID}"};`);
    expect(res.text).toContain('<script type="module" src="/app.js"></script>');
    expect(res.text).toContain('/assets/styles/salesforce-lightning-design-system.min.css');
    expect(res.text).toContain('Sales Invoice Export');
    expect(res.text).not.toContain('<!--LEDGERLINE_CONFIG-->');
  });

  it('when the config holds markup, then it cannot break out of the inline script', async () => {
    const app = appWith(createWebRouter({ apiKey: '</script><script>alert(1)</script>', distDir: outDir }));

    const res = await request(app).get('/');

    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('\\u003c/script\\u003e');
    expect(res.text).not.toContain('"companyId"');
  });

  it('when /app.js is requested, then the prebuilt bundle is served as JavaScript', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-web-dist-'));
    try {
      writeFileSync(path.join(dir, 'app.js'), `${builtJs}\n// prebuilt-marker\n`);
      const app = appWith(createWebRouter({ apiKey: API_KEY, distDir: dir }));

      const res = await request(app).get('/app.js');

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.text).toContain('prebuilt-marker');
      expect(res.text).toContain('followedRunId');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when no distDir is given, then the bundle is built in memory once per process and served', async () => {
    const app = appWith(createWebRouter({ apiKey: API_KEY }));

    const [first, second] = await Promise.all([request(app).get('/app.js'), request(app).get('/app.js')]);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.text).toContain('followedRunId');
    expect(first.text).toBe(second.text);
    expect(await sharedBundle()).toBe(await sharedBundle());
  });

  it('when SLDS assets are requested, then the stylesheet and icon sprites are served from the design system', async () => {
    const app = appWith(createWebRouter({ apiKey: API_KEY, distDir: outDir }));

    const css = await request(app).get('/assets/styles/salesforce-lightning-design-system.min.css');
    const sprite = await request(app).get('/assets/icons/standard-sprite/svg/symbols.svg');
    const missing = await request(app).get('/assets/nope.css');

    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.text).toContain('.slds-card');
    expect(sprite.status).toBe(200);
    expect(sprite.body.toString()).toContain('id="orders"');
    expect(missing.status).toBe(404);
  });

  it('when a Process Log record link is followed in the harness, then it leads back to the log on the page', async () => {
    const app = appWith(createWebRouter({ apiKey: API_KEY, distDir: outDir }));

    const res = await request(app).get('/lightning/r/Process_Log__c/a0C5e000002XyZaEAK/view');

    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/#region-process-log');
  });
});
