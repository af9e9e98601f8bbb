// QuickBooks Desktop's exactly-once across interruptions, on the embedded store (PGlite) and on PostgreSQL, with the
// service in processes of its own (as in production):
// - the Web Connector cut off after each kind of message (a query, a customer, an item, an invoice, a credit memo, a
//   sales receipt, a payment, a credit memo's application) with QuickBooks having processed it and its answer lost;
// - the service killed (SIGKILL) while the Web Connector holds a batch, and another process started on the same store;
// - on PostgreSQL, two instances behind one address serving one Web Connector, its calls spread over both.
// Each ends with the export finished, every record in QuickBooks Desktop once and Exported in Salesforce.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { runWebConnectorSession, type SessionOptions, type SessionResult } from '../../emulators/qbd/webConnector';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { dropSchema } from '../../scripts/demo-stack';
import { seedDesktopCompanyFile, withDesktopCompany, type DesktopDemo } from '../../scripts/demo/desktop';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { expectOrgAndFile } from '../support/desktop';
import { call, killableServiceEnv, startServiceProcess, type ServiceProcess } from '../support/instances';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The message kinds a cut follows, in the order an export sends them (an application is a payment with SetCredit). */
const KINDS: [string, (xml: string) => boolean][] = [
  ['a query', (x) => x.includes('<CustomerQueryRq ')],
  ['a customer add', (x) => x.includes('<CustomerAddRq ')],
  ['an item add', (x) => x.includes('<ItemNonInventoryAddRq ')],
  ['an invoice add', (x) => x.includes('<InvoiceAddRq ')],
  ['a credit memo add', (x) => x.includes('<CreditMemoAddRq ')],
  ['a sales receipt add', (x) => x.includes('<SalesReceiptAddRq ')],
  ['a payment add', (x) => x.includes('<ReceivePaymentAddRq ') && !x.includes('<SetCredit>')],
  ['a credit memo’s application', (x) => x.includes('<SetCredit>')],
];

interface World {
  demo: DesktopDemo;
  sfUrl: string;
  env: Record<string, string>;
  file: QuickBooksDesktopCompany;
  children: ChildProcess[];
  close(): Promise<void>;
}

async function world(store: 'pglite' | 'postgres'): Promise<World> {
  const qbo = await startQboEmulator({ port: 0 });
  const sf = await startSalesforceEmulator({ port: 0 });
  const keyPrefixes = await fetchKeyPrefixes(sf.url);
  const { data, desktop } = withDesktopCompany(generateDemoData({ seed: 42, invoices: 12, keyPrefixes }), keyPrefixes);
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-qbd-faults-'));
  const schema = `ledgerline_f${randomBytes(4).toString('hex')}`;
  const env = killableServiceEnv(
    { qbo: qbo.port, sf: sf.port },
    {
      DATA_DIR: dataDir,
      ...(store === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, JOB_POLL_SECONDS: '0.5' } : {}),
      QBWC_WAIT_MS: '300',
      QBWC_BATCH_SIZE: '4',
    },
  );
  const file = new QuickBooksDesktopCompany();
  seedDesktopCompanyFile(file, desktop);
  const children: ChildProcess[] = [];
  return {
    demo: desktop,
    sfUrl: sf.url,
    env,
    file,
    children,
    async close() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await Promise.all([qbo.close(), sf.close()]);
      if (store === 'postgres') await dropSchema(PG_URL, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Desktop company's Web Connector user, set up through the admin API as an admin would. */
async function setUpWebConnector(w: World, service: ServiceProcess): Promise<{ username: string; password: string }> {
  const res = await call(service.url, w.env.LEDGERLINE_ADMIN_KEY!, 'POST', '/quickbooks/webconnector/setup', { companyId: w.demo.companyId });
  if (res.status !== 200) throw new Error(`Web Connector set-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function session(w: World, url: string, user: { username: string; password: string }, opts: Partial<SessionOptions> = {}): Promise<SessionResult> {
  return runWebConnectorSession({ url: `${url}/qbwc`, ...user, company: w.file, noOpPauseMs: 50, maxRounds: 500, ...opts });
}

async function exportQueued(w: World, url: string): Promise<string> {
  const started = await call(url, w.env.LEDGERLINE_API_KEY!, 'POST', `/api/companies/${w.demo.companyId}/exports`, {});
  if (started.status !== 202) throw new Error(`export did not start: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.runId;
}

/** Sessions until the company has nothing left for QuickBooks and its latest run has finished. */
async function drainCompany(w: World, url: string, user: { username: string; password: string }, opts: Partial<SessionOptions> = {}, max = 20) {
  const sessions: SessionResult[] = [];
  for (let i = 0; i < max; i++) {
    sessions.push(await session(w, url, user, opts));
    const summary = (await call(url, w.env.LEDGERLINE_API_KEY!, 'GET', `/api/companies/${w.demo.companyId}/summary`)).body;
    if (!summary.activeRunId && summary.pendingSync === 0) return sessions;
  }
  throw new Error(`the export did not finish in ${max} Web Connector sessions`);
}

describe.each([['PGlite', 'pglite'] as const, ['PostgreSQL', 'postgres'] as const])('QuickBooks Desktop interruptions on %s', (_name, store) => {
  describe('when the Web Connector is cut off after each kind of message, its answer lost', () => {
    let w: World;
    const cuts: string[] = [];
    let cutMessages = 0;
    let sessions: SessionResult[];
    beforeAll(async () => {
      w = await world(store);
      const service = await startServiceProcess(w.env, w.children);
      const user = await setUpWebConnector(w, service);
      await exportQueued(w, service.url);
      // One cut for each kind, the first time a message of it comes: the next session finds what QuickBooks saved.
      // A message can carry requests of several kinds (a batch); cutting it cuts every kind it carries.
      const cutAfter = (xml: string) => {
        const kinds = KINDS.filter(([name, is]) => !cuts.includes(name) && is(xml));
        cuts.push(...kinds.map(([name]) => name));
        if (kinds.length > 0) cutMessages++;
        return kinds.length > 0;
      };
      sessions = await drainCompany(w, service.url, user, { cutAfter }, 40);
    });
    afterAll(() => w?.close());

    it('then every kind was cut once, the export finished, and each record is in QuickBooks once and Exported in Salesforce', async () => {
      expect([...cuts].sort()).toEqual(KINDS.map(([name]) => name).sort());
      expect(sessions.filter((s) => s.cut)).toHaveLength(cutMessages);
      await expectOrgAndFile(w.file, w.demo, w.sfUrl);
    });
  });

  describe('when the service is killed while the Web Connector holds a batch, and another process starts on the same store', () => {
    let w: World;
    let firstRun: string;
    let second: ServiceProcess;
    beforeAll(async () => {
      w = await world(store);
      const first = await startServiceProcess(w.env, w.children);
      const user = await setUpWebConnector(w, first);
      firstRun = await exportQueued(w, first.url);
      // QuickBooks saves the first invoice batch; the service dies before its answer comes back.
      await session(w, first.url, user, { cutAfter: (xml) => xml.includes('<InvoiceAddRq ') });
      await first.kill();
      second = await startServiceProcess(w.env, w.children);
      await drainCompany(w, second.url, user);
    });
    afterAll(() => w?.close());

    it('then the dead run is closed, another finishes the export, and each record is in QuickBooks once and Exported in Salesforce', async () => {
      const dead = await call(second.url, w.env.LEDGERLINE_API_KEY!, 'GET', `/api/runs/${firstRun}`);
      expect(dead.body).toMatchObject({ finished: true, status: 'failed' });
      await expectOrgAndFile(w.file, w.demo, w.sfUrl);
    });
  });

  if (store === 'postgres') {
    describe('when two instances behind one address serve one Web Connector', () => {
      let w: World;
      let proxy: Server;
      const served = new Map<string, number>();
      let sessions: SessionResult[];
      beforeAll(async () => {
        w = await world(store);
        const instances = [await startServiceProcess(w.env, w.children), await startServiceProcess(w.env, w.children)];
        // A load balancer that hands each call to the next instance in turn.
        let next = 0;
        proxy = createServer((req, res) => {
          const target = instances[next++ % instances.length]!;
          served.set(target.instanceId, (served.get(target.instanceId) ?? 0) + 1);
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            void fetch(`${target.url}${req.url}`, {
              method: req.method,
              headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
                string,
                string
              >,
              body: chunks.length ? Buffer.concat(chunks) : undefined,
            }).then(async (answer) => {
              res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
              res.end(Buffer.from(await answer.arrayBuffer()));
            });
          });
        });
        await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
        const user = await setUpWebConnector(w, instances[0]!);
        await exportQueued(w, url);
        sessions = await drainCompany(w, url, user);
      });
      afterAll(async () => {
        await new Promise<void>((resolve) => proxy?.close(() => resolve()));
        await w?.close();
      });

      it('then both instances answered its calls, the session ended at 100 %, and each record is in QuickBooks once', async () => {
        expect([...served.values()].every((n) => n > 5)).toBe(true);
        expect(served.size).toBe(2);
        expect(sessions[0]!.percents[sessions[0]!.percents.length - 1]).toBe(100);
        await expectOrgAndFile(w.file, w.demo, w.sfUrl);
      });
    });
  }
});
