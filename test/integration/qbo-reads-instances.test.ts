// The month's QuickBooks reads live in the shared store: two service instances on one PostgreSQL show one count, and
// an instance started afterwards (a restart) shows it too.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { dropSchema } from '../../scripts/demo-stack';
import { call, killableServiceEnv, startServiceProcess, until } from '../support/instances';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('when two service instances share one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  const schema = `ledgerline_r${randomBytes(4).toString('hex')}`;
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([qbo?.close(), sf?.close()]);
    await dropSchema(DATABASE_URL, schema);
  });

  it('then both show the same QuickBooks reads this month, and so does an instance started after them', async () => {
    qbo = await startQboEmulator({ port: 0, timeScale: 0.02 });
    sf = await startSalesforceEmulator({ port: 0 });
    const data = generateDemoData({ seed: 3, invoices: 6, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    const env = killableServiceEnv(
      { qbo: qbo.port, sf: sf.port },
      { DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: '/nonexistent-store-not-used', JOB_POLL_SECONDS: '0.5' },
    );
    const company = data.facts.primaryCompanyId;
    const key = env.LEDGERLINE_API_KEY!;
    const a = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: company, CONNECT_REALM_ID: data.facts.realmIds.primary }, children);
    const b = await startServiceProcess(env, children);
    const reads = async (url: string) => (await call(url, key, 'GET', `/api/companies/${company}/summary`)).body.connection.reads;

    const started = await call(a.url, key, 'POST', `/api/companies/${company}/exports`, {});
    expect(started.status).toBe(202);
    const run = await until('the export to finish', async () => {
      const r = (await call(a.url, key, 'GET', `/api/runs/${started.body.runId}`)).body;
      return r.finished ? r : undefined;
    });
    expect(run.status).not.toBe('failed');
    // What QuickBooks metered (the emulator counts every read and query it answered; none was refused here).
    const metered = async () => {
      const stats = (await (await fetch(`${qbo.url}/__admin/stats`)).json()) as { byKind: { read: number; query: number }; throttled: number };
      expect(stats.throttled).toBe(0);
      return stats.byKind.read + stats.byKind.query;
    };
    const used = await metered();
    expect(used).toBeGreaterThan(0);
    expect(run.usage.reads.run).toBe(used);
    const month = new Date().toISOString().slice(0, 7);
    // Each instance shows the count QuickBooks metered so far, its own read of the company name (at most one) included.
    const shows = async (url: string) => {
      const before = await metered();
      const shown = await reads(url);
      const after = await metered();
      expect(after - before).toBeLessThanOrEqual(1);
      expect(shown).toEqual({ month, company: after, used: after, budget: 500_000 });
    };
    await shows(a.url);
    await shows(b.url);

    // A restart: the first instance dies, a new one starts, and the month's count is still there.
    await a.kill();
    const c = await startServiceProcess(env, children);
    await shows(c.url);
    await shows(b.url);
    // Three service processes start here: give them the time a busy machine takes.
  }, 240_000);
});
