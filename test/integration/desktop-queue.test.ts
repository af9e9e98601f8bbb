// QuickBooks Desktop's Web Connector queue in the store, on PGlite and on PostgreSQL: a message handed out on one
// ticket is answered only on it, a lost one rejects its sender, an invoice taken back is withdrawn, and — on
// PostgreSQL — two services sharing the store see one queue: one queues, the other hands out and takes the answer.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type Store } from '../../service/src/store';
import { AnswerLost, DesktopTransport, TransportClosed, WITHDRAWN } from '../../service/src/quickbooks/desktop/transport';
import type { QbRequest } from '../../service/src/quickbooks/desktop/qbxml';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const key = randomBytes(32);
const request = (rq = 'CustomerQueryRq'): QbRequest => ({ rq, requestID: 'x', content: {} });
const ok = (ids: string[], rs = 'InvoiceAddRs') =>
  `<QBXML><QBXMLMsgsRs>${ids
    .map(
      (id, i) =>
        `<${rs} requestID="${id}" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><InvoiceRet><TxnID>${i + 1}-1</TxnID></InvoiceRet></${rs}>`,
    )
    .join('')}</QBXMLMsgsRs></QBXML>`;

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

describe.each([
  ['PGlite', false],
  ['PostgreSQL', true],
])('the Web Connector queue on %s', (_name, postgres) => {
  const schema = `ledgerline_q${randomBytes(4).toString('hex')}`;
  let store: Store;
  beforeAll(async () => {
    store = await openStore(postgres ? { databaseUrl: PG_URL, dataDir: 'unused', schema, encryptionKey: key } : { dataDir: 'memory://', encryptionKey: key });
  });
  afterAll(async () => {
    await store?.close();
    if (postgres) await dropSchema(schema);
  });

  it('when an answer comes for a message not handed out on that ticket, then it is ignored; a lost one rejects its sender', async () => {
    const t = new DesktopTransport(store.webConnectorQueue, { answerTimeoutMs: 60_000, pollMs: 20 });
    const sent = t.send('c1', [request(), request()]);
    const handed = await waitFor(() => t.next('c1', 'ticket-a'));
    expect(handed.xml.match(/requestID="\d+\.\d"/g)).toEqual([`requestID="${handed.id}.0"`, `requestID="${handed.id}.1"`]);
    expect(await t.answer('c1', 'ticket-b', { xml: '<QBXML><QBXMLMsgsRs/></QBXML>' })).toBe(false);
    await t.lose('c1', 'session ended');
    await expect(sent).rejects.toBeInstanceOf(AnswerLost);
    // A late answer to the lost message finds nothing to resolve.
    expect(await t.answer('c1', 'ticket-a', { xml: '<QBXML><QBXMLMsgsRs/></QBXML>' })).toBe(false);
  });

  it('when an invoice is taken back, then a queued one is withdrawn, one handed out is not, and a later send of it is withdrawn at once', async () => {
    const t = new DesktopTransport(store.webConnectorQueue, { answerTimeoutMs: 60_000, pollMs: 20 });
    const first = t.send('c2', [request('InvoiceAddRq')], { tags: ['inv-1'] });
    const one = await waitFor(() => t.next('c2', 'ticket'));
    const second = t.send('c2', [request('InvoiceAddRq'), request('InvoiceAddRq')], { tags: ['inv-2', 'inv-3'] });
    await waitFor(async () => ((await store.webConnectorQueue.counts('c2')).queued ? true : null));
    expect(await t.withdraw('c2', 'inv-1')).toBe('handedOut');
    expect(await t.withdraw('c2', 'inv-3')).toBe('withdrawn');
    await t.answer('c2', 'ticket', { xml: ok([`${one.id}.0`]) });
    await first;
    const two = (await t.next('c2', 'ticket'))!;
    expect(two.xml.match(/<InvoiceAddRq /g)).toHaveLength(1);
    await t.answer('c2', 'ticket', { xml: ok([`${two.id}.0`]) });
    expect((await second).map((a) => a.rs)).toEqual(['InvoiceAddRs', WITHDRAWN]);
    expect((await t.send('c2', [request('InvoiceAddRq')], { tags: ['inv-3'] }))[0]!.rs).toBe(WITHDRAWN);
    // A new run of the company may queue it again; what an earlier run left queued is never handed out.
    await t.runStarts('c2', 'run-2');
    const again = t.send('c2', [request('InvoiceAddRq')], { tags: ['inv-3'], runId: 'run-2' });
    await waitFor(async () => ((await store.webConnectorQueue.counts('c2')).requests === 1 ? true : null));
    const stopped = expect(again).rejects.toBeInstanceOf(TransportClosed);
    await t.close();
    await stopped;
    expect((await store.webConnectorQueue.counts('c2')).queued).toBe(0);
  });

  if (postgres) {
    it('when two services share the store, then one queues, the other hands the message out and takes its answer, and the first gets it', async () => {
      const other = await openStore({ databaseUrl: PG_URL, dataDir: 'unused', schema, encryptionKey: key });
      try {
        const runs = new DesktopTransport(store.webConnectorQueue, { answerTimeoutMs: 60_000, pollMs: 20 });
        const serves = new DesktopTransport(other.webConnectorQueue, { answerTimeoutMs: 60_000, pollMs: 20 });
        const sent = runs.send('c3', [request('InvoiceAddRq')], { tags: ['inv-9'], runId: 'run-1' });
        const handed = await waitFor(() => serves.next('c3', 'ticket-x'));
        expect(await serves.answer('c3', 'ticket-x', { xml: ok([`${handed.id}.0`]) })).toBe(true);
        expect((await sent).map((a) => [a.rs, a.statusCode])).toEqual([['InvoiceAddRs', 0]]);
      } finally {
        await other.close();
      }
    });
  }
});

async function waitFor<T>(read: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
