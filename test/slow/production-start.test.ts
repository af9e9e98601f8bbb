// The production path a deployer uses: `npm run build` compiles the service to dist/, `npm run serve` starts it with
// plain node — no tsx, no emulators. Here it is pointed at the two emulators by URL as if they were QuickBooks and
// Salesforce, and it refuses to start without real settings, naming each one missing.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { freePort } from '../../scripts/demo-stack';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { PRODUCTION_SETTINGS } from '../../service/src/config';
import { DEMO_CREDENTIALS } from '../../service/src/container';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const BUILD_TIMEOUT_MS = 300_000;

function run(cmd: string, args: string[], timeout: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: ROOT, timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** A plain environment: what a deployer sets, nothing from this test process (no NODE_OPTIONS, no tsx). */
function plainEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...settings };
}

/** Starts `node dist/main.js`; resolves once it logs that it listens, with every line it printed. */
function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DIST, 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the compiled service did not start within 60 s:\n${lines.join('\n')}\n${stderr}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        lines.push(line);
        const parsed = JSON.parse(line) as { msg?: string; url?: string };
        if (parsed.msg === 'Ledgerline service listening' && parsed.url) {
          clearTimeout(deadline);
          resolve({ child, url: parsed.url, lines });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`the compiled service exited with ${code}:\n${lines.join('\n')}\n${stderr}`));
    });
  });
}

/** Runs `node dist/main.js` expecting it to refuse: its exit code and what it printed. */
function refuse(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(DIST, 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return jsFiles(full);
    return full.endsWith('.js') ? [full] : [];
  });
}

describe('when the service is built and started for production', () => {
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let settings: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    await run('npm', ['run', 'build'], BUILD_TIMEOUT_MS);
    sf = await startSalesforceEmulator({ port: 0 });
    qbo = await startQboEmulator({ port: 0 });
    const data = generateDemoData({ seed: 5, invoices: 4, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-serve-'));
    settings = {
      QBO_BASE_URL: qbo.url,
      QBO_CLIENT_ID: DEMO_CREDENTIALS.quickbooks.clientId,
      QBO_CLIENT_SECRET: DEMO_CREDENTIALS.quickbooks.clientSecret,
      SF_LOGIN_URL: sf.url,
      SF_CLIENT_ID: DEMO_CREDENTIALS.salesforce.clientId,
      SF_CLIENT_SECRET: DEMO_CREDENTIALS.salesforce.clientSecret,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LEDGERLINE_API_KEY: `export-${randomBytes(12).toString('hex')}`,
      LEDGERLINE_ADMIN_KEY: `admin-${randomBytes(12).toString('hex')}`,
      DATA_DIR: dataDir,
    };
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await Promise.all([sf?.close(), qbo?.close()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('then dist/ holds only the service: no emulator, script, tsx or node-quickbooks is imported', () => {
    const files = jsFiles(DIST);
    expect(files.length).toBeGreaterThan(20);
    expect(files.every((f) => !path.relative(DIST, f).startsWith('..'))).toBe(true);
    const imports = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    expect(imports.filter((m) => /emulators|scripts|^tsx|node-quickbooks|jest|supertest/.test(m))).toEqual([]);
    expect(readdirSync(path.join(DIST, 'store/migrations')).sort()).toEqual(
      readdirSync(path.join(ROOT, 'service/src/store/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    );
  });

  it('then plain node starts it against QuickBooks and Salesforce by URL, it answers, and SIGTERM stops it cleanly', async () => {
    const port = await freePort();
    const { child, url, lines } = await serve(plainEnv({ ...settings, PORT: String(port) }));
    try {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const companies = await fetch(`${url}/api/companies`, { headers: { Authorization: `Bearer ${settings.LEDGERLINE_API_KEY}` } });
      expect(companies.status).toBe(200);
      expect(((await companies.json()) as unknown[]).length).toBe(2);
      const page = await fetch(`${url}/quickbooks/auth?companyId=x`);
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain('name="adminKey"');
      const css = /href="([^"]+\.css)"/.exec(html)?.[1];
      expect(css).toBeDefined();
      expect((await fetch(`${url}${css}`)).status).toBe(200);
      // The demo page is not part of the production service.
      expect((await fetch(`${url}/`)).status).toBe(404);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const text = lines.join('\n');
      for (const secret of [settings.LEDGERLINE_API_KEY, settings.LEDGERLINE_ADMIN_KEY, settings.TOKEN_ENCRYPTION_KEY, settings.SF_CLIENT_SECRET]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('then without real settings it refuses to start, naming every missing one', async () => {
    const none = await refuse(plainEnv({}));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Ledgerline cannot start.');
    for (const name of Object.keys(PRODUCTION_SETTINGS)) expect(none.stderr).toContain(`${name} is not set`);
    expect(Object.keys(PRODUCTION_SETTINGS).sort()).toEqual(
      [
        'QBO_BASE_URL',
        'QBO_CLIENT_ID',
        'QBO_CLIENT_SECRET',
        'SF_LOGIN_URL',
        'SF_CLIENT_ID',
        'SF_CLIENT_SECRET',
        'TOKEN_ENCRYPTION_KEY',
        'LEDGERLINE_API_KEY',
        'LEDGERLINE_ADMIN_KEY',
      ].sort(),
    );
    const { LEDGERLINE_ADMIN_KEY: _admin, SF_CLIENT_SECRET: _secret, ...almost } = settings;
    const two = await refuse(plainEnv(almost));
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('LEDGERLINE_ADMIN_KEY is not set');
    expect(two.stderr).toContain('SF_CLIENT_SECRET is not set');
    expect(two.stderr).not.toContain('QBO_BASE_URL is not set');
    expect(two.stderr).not.toContain(settings.LEDGERLINE_API_KEY);
  });
});
