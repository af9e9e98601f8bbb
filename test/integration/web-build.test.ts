// The local org's page: force-app's components built with LWC OSS and Salesforce's base components, served with the
// page config injected (never the API key), the bundle, the SLDS assets, Lightning Experience URLs and the "View as"
// switch. No browser here (see test/e2e for that), and no Salesforce behind it: these routes do not read records.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createOrgApp, sharedBundle, type DemoUser, type OrgOptions } from '../../web/serve';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const COMPONENT_JS = path.join(ROOT, 'force-app/main/default/lwc/salesInvoiceExport/salesInvoiceExport.js');
const API_KEY = 'test-api-key-never-in-the-page-123';
const USERS: DemoUser[] = [
  { username: 'nora@example.com', password: 'pw', name: 'Nora Whitfield', companyName: 'Northwind Trading Co.' },
  { username: 'sam@example.com', password: 'pw', name: 'Sam Newman', companyName: null },
];

function org(overrides: Partial<OrgOptions> = {}) {
  return createOrgApp({
    salesforceUrl: 'http://127.0.0.1:9',
    salesforceClient: { clientId: 'c', clientSecret: 's' },
    users: USERS,
    service: { url: 'http://127.0.0.1:9', apiKey: API_KEY },
    ...overrides,
  });
}

function pageConfig(html: string): Record<string, any> {
  const match = /window\.__LEDGERLINE__ = (\{.*?\});<\/script>/.exec(html);
  if (!match) throw new Error('no page config in the page');
  return JSON.parse(match[1]);
}

describe('local org page', () => {
  let outDir: string;
  let builtJs: string;

  beforeAll(async () => {
    // The build the demo and the browser tests use (cached on disk by the hash of its sources), as a dist folder.
    outDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-web-'));
    builtJs = (await sharedBundle()).js;
    writeFileSync(path.join(outDir, 'app.js'), builtJs);
    writeFileSync(path.join(outDir, 'index.html'), readFileSync(path.join(ROOT, 'web', 'index.html'), 'utf8'));
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('when the page is built, then the bundle holds the real force-app components, the base components and one LWC engine', () => {
    // A string that only exists in force-app's salesInvoiceExport.js.
    expect(readFileSync(COMPONENT_JS, 'utf8')).toContain('A 409 means an export is already running');
    expect(builtJs).toContain('followedRunId');
    expect(builtJs).toContain('QBO_UNAUTHORIZED');
    // processLogViewer, Custom Labels from CustomLabels.labels-meta.xml.
    expect(builtJs).toContain('entriesCursors');
    expect(builtJs).toContain('Would create {0} / match {1} / fail {2}');
    expect(builtJs).toContain('Product Export Qty');
    // Salesforce's own base components (lightning-base-components), not hand-written stand-ins.
    expect(builtJs).toContain('LightningDatatable');
    expect(builtJs).toContain('slds-combobox');
    expect(builtJs).not.toContain('Minimal stand-in');
    // Apex imports call the local org; no platform import is left unresolved.
    expect(builtJs).toContain('/__org/apex/');
    expect(builtJs).not.toMatch(/from\s*["']@salesforce\//);
    expect(builtJs).not.toMatch(/from\s*["']lightning\//);
    // The engine and compiler the component tests run on (sfdx-lwc-jest's LWC 8.28.2).
    expect(builtJs).toContain('LWC compiler v8.28.2');
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
  });

  it('when / is requested, then the Sales Invoice Export page comes back with the page config and never the API key', async () => {
    const res = await request(org({ distDir: outDir })).get('/');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).not.toContain(API_KEY);
    const config = pageConfig(res.text);
    expect(config).toMatchObject({ page: 'export', currentUser: { username: 'nora@example.com', name: 'Nora Whitfield' } });
    expect(config.users.map((u: DemoUser) => u.username)).toEqual(['nora@example.com', 'sam@example.com']);
    expect(JSON.stringify(config)).not.toContain('"password"');
    expect(res.text).toContain('<script type="module" src="/app.js"></script>');
    expect(res.text).toContain('/assets/styles/salesforce-lightning-design-system.min.css');
  });

  it('when a user name holds markup, then it cannot break out of the inline script', async () => {
    const app = org({ distDir: outDir, users: [{ ...USERS[0]!, name: '</script><script>alert(1)</script>' }] });

    const res = await request(app).get('/');

    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('\\u003c/script\\u003e');
  });

  it('when the user switches with View as, then the pages run as that user; an unknown user is refused', async () => {
    const app = org({ distDir: outDir });

    const switched = await request(app).post('/__org/view-as').send({ username: 'sam@example.com' });
    const page = await request(app).get('/').set('Cookie', switched.headers['set-cookie']![0]!.split(';')[0]!);
    const unknown = await request(app).post('/__org/view-as').send({ username: 'mallory@example.com' });

    expect(switched.status).toBe(200);
    expect(switched.headers['set-cookie']![0]).toMatch(/^ll_view_as=sam%40example\.com; Path=\/; HttpOnly; SameSite=Strict/);
    expect(pageConfig(page.text).currentUser).toEqual({ username: 'sam@example.com', name: 'Sam Newman', companyName: null });
    expect(unknown.status).toBe(400);
  });

  it('when Lightning Experience URLs are requested, then the Process Log tab and record pages are served; a bad id is not', async () => {
    const app = org({ distDir: outDir });

    const tab = await request(app).get('/lightning/o/Process_Log__c/list');
    const record = await request(app).get('/lightning/r/Process_Log__c/a0C5e000002XyZaEAK/view');
    const bad = await request(app).get('/lightning/r/Process_Log__c/not-an-id/view');

    expect(pageConfig(tab.text).page).toBe('processLogs');
    expect(pageConfig(record.text)).toMatchObject({ page: 'record', objectApiName: 'Process_Log__c', recordId: 'a0C5e000002XyZaEAK' });
    expect(bad.status).toBe(404);
  });

  it('when an Apex method that does not exist is called, then the org answers 404', async () => {
    const res = await request(org({ distDir: outDir }))
      .post('/__org/apex/SalesInvoiceExportController/deleteEverything')
      .send({});

    expect(res.status).toBe(404);
    expect(res.body.message).toContain('No @AuraEnabled method');
  });

  it('when /app.js is requested, then the prebuilt bundle is served as JavaScript', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-web-dist-'));
    try {
      writeFileSync(path.join(dir, 'app.js'), `${builtJs}\n// prebuilt-marker\n`);

      const res = await request(org({ distDir: dir })).get('/app.js');

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.text).toContain('prebuilt-marker');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when no distDir is given, then the bundle is built once per process (or taken from the build cache) and served', async () => {
    const app = org();

    const [first, second] = await Promise.all([request(app).get('/app.js'), request(app).get('/app.js')]);

    expect(first.status).toBe(200);
    expect(first.text).toContain('followedRunId');
    expect(first.text).toBe(second.text);
    expect(await sharedBundle()).toBe(await sharedBundle());
  });

  it('when SLDS assets are requested, then the stylesheet and icon sprites are served from the design system', async () => {
    const app = org({ distDir: outDir });

    const css = await request(app).get('/assets/styles/salesforce-lightning-design-system.min.css');
    const sprite = await request(app).get('/assets/icons/standard-sprite/svg/symbols.svg');
    const missing = await request(app).get('/assets/nope.css');

    expect(css.status).toBe(200);
    expect(css.text).toContain('.slds-card');
    expect(sprite.status).toBe(200);
    expect(sprite.body.toString()).toContain('id="orders"');
    expect(missing.status).toBe(404);
  });
});
