// QuickBooks status syncs on two service instances sharing one PostgreSQL (the machine's, database `test`): syncs are
// pg-boss jobs any instance may take, never two of one company at a time, requests pressed together join one
// sync, and a due schedule fires once across both.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { startQboEmulator } from '../../emulators/qbo';
import { qboAdmin } from '../../emulators/qbo/testkit';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { dropSchema } from '../../scripts/demo-stack';
import { call, killableServiceEnv, startServiceProcess, until, type ServiceProcess } from '../support/instances';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('when two service instances sync the QuickBooks status of one company', () => {
  const children: ChildProcess[] = [];
  const schema = `ledgerline_s${randomBytes(4).toString('hex')}`;
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;
  let env: NodeJS.ProcessEnv;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let company: string;

  const db = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const syncsOf = () =>
    db<{ id: string; trigger: string; status: string; started_at: Date | null; finished_at: Date | null; instance_id: string | null }>(
      `SELECT id, trigger, status, started_at, finished_at, instance_id FROM "${schema}".status_syncs WHERE company_id = $1 ORDER BY started_at NULLS LAST`,
      [company],
    );

  beforeAll(async () => {
    qbo = await startQboEmulator({ port: 0, timeScale: 0.02 });
    sf = await startSalesforceEmulator({ port: 0 });
    const data = generateDemoData({ seed: 9, invoices: 12, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    company = data.facts.primaryCompanyId;
    env = killableServiceEnv(
      { qbo: qbo.port, sf: sf.port },
      { DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: '/nonexistent-store-not-used', JOB_POLL_SECONDS: '0.5', EXPORT_LOCK_LEASE_MS: '5000' },
    );
    a = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: company, CONNECT_REALM_ID: data.facts.realmIds.primary }, children);
    b = await startServiceProcess(env, children);
    // A change to read: a payment received in QuickBooks.
    const [invoice] = await qboAdmin(qbo.url).entities(data.facts.realmIds.primary, 'Invoice');
    await qboAdmin(qbo.url).receivePayment(data.facts.realmIds.primary, { invoiceId: invoice.Id, amount: 1 });
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([qbo?.close(), sf?.close()]);
    await dropSchema(DATABASE_URL, schema);
  });

  it('then Sync now pressed on both at once is one sync, later ones never overlap it, and each is taken by one instance', async () => {
    const key = env.LEDGERLINE_API_KEY!;
    const route = `/api/companies/${company}/status-sync`;
    const [first, second] = await Promise.all([a, b].map((s) => call(s.url, key, 'POST', route)));
    expect([first!.status, second!.status]).toEqual([202, 202]);
    expect(second!.body.syncId).toBe(first!.body.syncId);
    // More presses while it runs: at most one more waits, and none runs alongside another.
    await Promise.all([a, b, a, b].map((s) => call(s.url, key, 'POST', route)));
    await until('every sync to finish', async () => ((await syncsOf()).every((s) => s.finished_at) ? true : undefined));
    const syncs = await syncsOf();
    expect(syncs.length).toBeGreaterThanOrEqual(1);
    expect(syncs.length).toBeLessThanOrEqual(3);
    expect(syncs.map((s) => s.status)).toEqual(syncs.map(() => 'succeeded'));
    for (let i = 1; i < syncs.length; i++) expect(syncs[i]!.started_at!.getTime()).toBeGreaterThanOrEqual(syncs[i - 1]!.finished_at!.getTime());
    for (const s of syncs) expect([a.instanceId, b.instanceId]).toContain(s.instance_id);
    const { body } = await call(b.url, key, 'GET', `${route}/${first!.body.syncId}`);
    expect(body).toMatchObject({ status: 'succeeded', reads: { sync: 1 }, counts: { paymentsChanged: 1 } });
  });

  it('then a due schedule fires one sync across both instances', async () => {
    const set = await call(a.url, env.LEDGERLINE_ADMIN_KEY!, 'PUT', `/api/companies/${company}/status-sync/schedule`, { everyMinutes: 30 });
    expect(set.body).toMatchObject({ everyMinutes: 30, nextAt: expect.any(String) });
    // The schedule's time comes now (as if 30 minutes had passed); both instances tick every 250 ms.
    await db(`UPDATE "${schema}".status_sync_companies SET next_at = now() - interval '1 second' WHERE company_id = $1`, [company]);
    await until('the scheduled sync', async () => ((await syncsOf()).some((s) => s.trigger === 'schedule' && s.finished_at) ? true : undefined));
    const ticks = Date.now() + 2500;
    await until('ten more ticks', async () => (Date.now() > ticks ? true : undefined));
    expect((await syncsOf()).filter((s) => s.trigger === 'schedule')).toHaveLength(1);
    const page = await call(b.url, env.LEDGERLINE_API_KEY!, 'GET', `/api/companies/${company}/status-sync`);
    expect(Date.parse(page.body.nextAt)).toBeGreaterThan(Date.now() + 25 * 60_000);
  });
});
