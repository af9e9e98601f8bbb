// Several instances on one PostgreSQL (the machine's, database `test`): exports are pg-boss jobs any instance may
// take, one export per Company runs across all of them, a run whose instance died is closed and resumed by another
// from the journal with nothing done twice, and a scheduled export fires once across them all.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { dropSchema } from '../../scripts/demo-stack';
import { markerCopies } from '../support/stack';
import { call, killableServiceEnv, startServiceProcess, until, type ServiceProcess } from '../support/instances';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('when two service instances share one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  const schema = `ledgerline_i${randomBytes(4).toString('hex')}`;
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;
  let data: ReturnType<typeof generateDemoData>;
  let env: NodeJS.ProcessEnv;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    qbo = await startQboEmulator({ port: 0, timeScale: 0.02, latencyMs: 15 });
    sf = await startSalesforceEmulator({ port: 0 });
    data = generateDemoData({ seed: 5, invoices: 400, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    // DATA_DIR is not used: the store is PostgreSQL.
    env = killableServiceEnv(
      { qbo: qbo.port, sf: sf.port },
      { DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: '/nonexistent-store-not-used', JOB_POLL_SECONDS: '0.5' },
    );
    const company = data.facts.primaryCompanyId;
    a = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: company, CONNECT_REALM_ID: data.facts.realmIds.primary }, children);
    b = await startServiceProcess(env, children);
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([qbo?.close(), sf?.close()]);
    await dropSchema(DATABASE_URL, schema);
  });

  const copies = (realmId: string) => markerCopies(qbo.url, realmId);

  it('then Export pressed on both makes one run; the instance that runs it dies; the other closes it, resumes it and QuickBooks holds every invoice once', async () => {
    const company = data.facts.primaryCompanyId;
    const realmId = data.facts.realmIds.primary;
    const key = env.LEDGERLINE_API_KEY!;
    const [first, second] = await Promise.all([a, b].map((s) => call(s.url, key, 'POST', `/api/companies/${company}/exports`, {})));
    const statuses = [first!.status, second!.status].sort();
    expect(statuses).toEqual([202, 409]);
    const runId = first!.status === 202 ? first!.body.runId : second!.body.runId;
    expect((first!.status === 409 ? first! : second!).body.error.runId).toBe(runId);

    // Whichever instance took the job: kill it once some invoices are in QuickBooks.
    const taken = await until('an instance to take the run', async () => {
      const { body } = await call(a.url, key, 'GET', `/api/runs/${runId}`);
      return body.instanceId && (await copies(realmId)).size > 0 ? (body.instanceId as string) : undefined;
    });
    const [runner, survivor] = taken === a.instanceId ? [a, b] : [b, a];
    expect([a.instanceId, b.instanceId]).toContain(taken);
    await runner.kill();
    const approved = data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === company && i.Approved__c === true).map((i) => i.Id);
    expect((await copies(realmId)).size).toBeLessThan(approved.length - 1); // really cut off part-way

    // The survivor sees the dead run (its lease ran out), closes it and resumes it.
    const closed = await until('the dead run closed', async () => {
      const { body } = await call(survivor.url, key, 'GET', `/api/runs/${runId}`);
      return body.finished ? body : undefined;
    });
    expect(closed.error.code).toBe('EXPORT_INTERRUPTED');
    const resumed = await until('the resumed run', async () => {
      const { status, body } = await call(survivor.url, key, 'POST', `/api/companies/${company}/exports`, {});
      return status === 409 ? (body.error.runId as string) : undefined;
    });
    const done = await until(
      'the resumed run to finish',
      async () => {
        const { body } = await call(survivor.url, key, 'GET', `/api/runs/${resumed}`);
        return body.finished ? body : undefined;
      },
      120_000,
    );
    expect(done).toMatchObject({ error: null, resumedFrom: runId, instanceId: survivor.instanceId });
    const collision = data.facts.expected[company]!.docNumberCollision!.invoiceId;
    const inQuickBooks = await copies(realmId);
    for (const id of approved.filter((i) => i !== collision)) expect({ id, copies: inQuickBooks.get(id) ?? 0 }).toEqual({ id, copies: 1 });
  });

  it('then a scheduled export fires once across both instances', async () => {
    const company = data.facts.secondaryCompanyId;
    const runsOf = async () => {
      const client = new Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        return (await client.query(`SELECT id FROM "${schema}".runs WHERE company_id = $1`, [company])).rows.length;
      } finally {
        await client.end();
      }
    };
    expect(await runsOf()).toBe(0);
    const alive = (s: ServiceProcess) => s.child.exitCode === null && s.child.signalCode === null;
    const survivor = alive(a) ? a : b;
    const other = await startServiceProcess(env, children);
    const set = await call(survivor.url, env.LEDGERLINE_ADMIN_KEY!, 'PUT', `/api/companies/${company}/schedule`, {
      everyMinutes: 60,
      startAt: new Date(Date.now() + 500).toISOString(),
    });
    expect(set.status).toBe(200);
    expect(set.body.everyMinutes).toBe(60);
    await until('the scheduled export', async () => ((await runsOf()) > 0 ? true : undefined));
    // Both instances tick every 250 ms: give them a few ticks to (not) fire again.
    await until('a dozen more ticks', async () => (Date.now() > Date.parse(set.body.nextAt) + 3000 ? true : undefined));
    expect(await runsOf()).toBe(1);
    const { body: schedule } = await call(other.url, env.LEDGERLINE_API_KEY!, 'GET', `/api/companies/${company}/schedule`);
    expect(Date.parse(schedule.nextAt)).toBeGreaterThan(Date.now() + 55 * 60_000);
  });
});

describe('when more companies export than an instance has workers', () => {
  const children: ChildProcess[] = [];
  const schema = `ledgerline_w${randomBytes(4).toString('hex')}`;
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([qbo?.close(), sf?.close()]);
    await dropSchema(DATABASE_URL, schema);
  });

  it('then the queued export waits its turn, longer than the lock lease, keeps its company and runs once, not as an interrupted run', async () => {
    qbo = await startQboEmulator({ port: 0, timeScale: 0.02, latencyMs: 15 });
    sf = await startSalesforceEmulator({ port: 0 });
    const data = generateDemoData({ seed: 9, invoices: 200, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    const { primaryCompanyId: first, secondaryCompanyId: second } = data.facts;
    const env = killableServiceEnv(
      { qbo: qbo.port, sf: sf.port },
      {
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATA_DIR: '/nonexistent-store-not-used',
        JOB_POLL_SECONDS: '0.5',
        EXPORT_WORKERS: '1',
        QBO_REQUESTS_PER_MINUTE: '40',
      },
    );
    const key = env.LEDGERLINE_API_KEY!;
    const service = await startServiceProcess(
      { ...env, CONNECT_COMPANY_ID: `${first},${second}`, CONNECT_REALM_ID: `${data.facts.realmIds.primary},${data.facts.realmIds.secondary}` },
      children,
    );
    const running = await call(service.url, key, 'POST', `/api/companies/${first}/exports`, {});
    await until('the first export to be taken', async () =>
      (await call(service.url, key, 'GET', `/api/runs/${running.body.runId}`)).body.instanceId ? true : undefined,
    );
    const queued = await call(service.url, key, 'POST', `/api/companies/${second}/exports`, {});
    expect(queued.status).toBe(202);
    // Three lock leases (1.5 s each) later the first still runs and the second still waits, its company still its own.
    const waitedFrom = Date.now();
    await until('three lock leases', async () => (Date.now() - waitedFrom > 4500 ? true : undefined));
    const [firstView, secondView] = await Promise.all(
      [running, queued].map(async (r) => (await call(service.url, key, 'GET', `/api/runs/${r.body.runId}`)).body),
    );
    expect(firstView.finished).toBe(false); // the second really waited behind it
    expect(secondView).toMatchObject({ finished: false, instanceId: null, error: null });
    const again = await call(service.url, key, 'POST', `/api/companies/${second}/exports`, {});
    expect(again).toMatchObject({ status: 409, body: { error: { runId: queued.body.runId } } });

    const done = await until(
      'the queued export to finish',
      async () => {
        const { body } = await call(service.url, key, 'GET', `/api/runs/${queued.body.runId}`);
        return body.finished ? body : undefined;
      },
      120_000,
    );
    expect(done).toMatchObject({ error: null, resumedFrom: null, instanceId: service.instanceId });
    expect(done.counts.created).toBeGreaterThan(0);
  });
});
