// The status syncs' state in the store, on PGlite and on PostgreSQL (required, as for the other store tests): one
// sync waits per company, due schedules are claimed once, QuickBooks' answers are saved without going back in time and
// become owed to Salesforce only when what Salesforce shows would change, and a webhook event is taken once.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type Store, type StoreOptions } from '../../service/src/store';
import type { SyncedDocument, SyncedPayment } from '../../service/src/store/types';

jest.setTimeout(60_000);

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

class TestClock {
  ms = Date.parse('2030-01-01T00:00:00.000Z');
  readonly now = (): Date => new Date(this.ms);
}

const backends: [string, () => Omit<StoreOptions, 'encryptionKey' | 'now'>, (schema: string) => Promise<void>][] = [
  ['PGlite in memory', () => ({ dataDir: 'memory://' }), async () => undefined],
  [
    'PostgreSQL',
    () => ({ databaseUrl: PG_URL, dataDir: 'unused', schema: `ll_sync_${randomBytes(5).toString('hex')}` }),
    async (schema) => {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  ],
];

const document = (qboId: string, at: string, extra: Partial<SyncedDocument> = {}): Omit<SyncedDocument, 'salesforceId' | 'state'> => ({
  qboId,
  kind: 'invoice',
  number: `NW-${qboId}`,
  txnDate: '2029-12-01',
  customerId: '5',
  total: 100,
  balance: 100,
  voided: false,
  deleted: false,
  sourceId: null,
  qboUpdatedAt: new Date(at),
  ...extra,
});

const payment = (qboId: string, at: string, extra: Partial<SyncedPayment> = {}): Omit<SyncedPayment, 'origin' | 'state'> => ({
  qboId,
  total: 60,
  txnDate: '2029-12-20',
  reference: 'CHK-1',
  customerId: '5',
  deleted: false,
  sourceId: null,
  qboUpdatedAt: new Date(at),
  links: [{ documentId: '71', kind: 'invoice', amount: 60 }],
  ...extra,
});

describe.each(backends)('status sync state on %s', (_name, options, drop) => {
  const clock = new TestClock();
  const opts = options();
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ ...opts, encryptionKey: randomBytes(32), now: clock.now });
  });
  afterAll(async () => {
    await store?.close();
    if (opts.schema) await drop(opts.schema);
  });

  it('when a sync is requested while one waits, then the request joins it; once it started, a new one can wait', async () => {
    const first = await store.statusSyncs.request({ id: 'sync-1', companyId: 'c1', trigger: 'manual' });
    const second = await store.statusSyncs.request({ id: 'sync-2', companyId: 'c1', trigger: 'webhook' });
    expect([first.joined, second.joined, second.record.id]).toEqual([false, true, 'sync-1']);
    await store.statusSyncs.start('sync-1', 'instance-a');
    const third = await store.statusSyncs.request({ id: 'sync-3', companyId: 'c1', trigger: 'schedule' });
    expect([third.joined, third.record.status]).toEqual([false, 'queued']);
    await store.statusSyncs.update('sync-1', { reads: 2, counts: { documentsUpdated: 3 }, upTo: clock.now() });
    expect(await store.statusSyncs.finish('sync-1', { status: 'succeeded' })).toBe(true);
    expect(await store.statusSyncs.finish('sync-1', { status: 'failed', error: 'late' })).toBe(false);
    expect(await store.statusSyncs.latest('c1', true)).toMatchObject({ id: 'sync-1', status: 'succeeded', reads: 2, counts: { documentsUpdated: 3 } });
    expect((await store.statusSyncs.latest('c1', false))?.id).toBe('sync-3');
    expect((await store.statusSyncs.listOpen()).map((s) => s.id)).toEqual(['sync-3']);
  });

  it('when schedules are due, then every connected company has one on the default interval and each due one is claimed once', async () => {
    await store.tokens.save({
      companyId: 'c-connected',
      realmId: 'realm-9',
      accessToken: 'a',
      refreshToken: 'r',
      accessTokenExpiresAt: clock.now(),
      refreshTokenExpiresAt: clock.now(),
      connectedAt: clock.now(),
      refreshTokenHardExpiresAt: null,
      lastRefreshedAt: null,
      status: 'connected',
      statusReason: null,
    });
    expect(await store.statusSyncs.claimDue(15)).toEqual([]);
    expect(await store.statusSyncs.company('c-connected')).toMatchObject({ everyMinutes: null, nextAt: new Date(clock.ms + 15 * 60_000) });
    await store.statusSyncs.setSchedule('c-off', 0, new Date(clock.ms - 1000));
    clock.ms += 16 * 60_000;
    const due = await store.statusSyncs.claimDue(15);
    expect(due.map((d) => d.companyId)).toEqual(['c-connected']);
    expect(due[0]!.nextAt).toEqual(new Date(Date.parse('2030-01-01T00:30:00Z')));
    expect(await store.statusSyncs.claimDue(15)).toEqual([]);
    expect(await store.statusSyncs.companiesOfRealm('realm-9')).toEqual(['c-connected']);
  });

  it('when QuickBooks answers are saved, then only a change Salesforce would show makes a document owed, and an older version is ignored', async () => {
    expect(await store.synced.saveDocuments('c1', [document('71', '2030-01-01T00:00:10Z'), document('72', '2030-01-01T00:00:10Z')])).toBe(2);
    await store.synced.markDocuments('c1', [
      { qboId: '71', qboUpdatedAt: new Date('2030-01-01T00:00:10Z'), state: 'written', salesforceId: 'SI-71' },
      { qboId: '72', qboUpdatedAt: new Date('2030-01-01T00:00:10Z'), state: 'foreign', salesforceId: null },
    ]);
    // The same again (an overlapping answer), a new number only, an older version: nothing owed.
    expect(await store.synced.saveDocuments('c1', [document('71', '2030-01-01T00:00:10Z'), document('72', '2030-01-01T00:00:11Z', { number: 'X' })])).toBe(0);
    expect(await store.synced.saveDocuments('c1', [document('71', '2030-01-01T00:00:05Z', { balance: 1 })])).toBe(0);
    // Paid: owed again; a mark about the version before does not clear it.
    expect(await store.synced.saveDocuments('c1', [document('71', '2030-01-01T00:00:20Z', { balance: 0 })])).toBe(1);
    await store.synced.markDocuments('c1', [{ qboId: '71', qboUpdatedAt: new Date('2030-01-01T00:00:10Z'), state: 'written', salesforceId: null }]);
    expect((await store.synced.owedDocuments('c1', 10)).map((d) => [d.qboId, d.balance, d.salesforceId])).toEqual([['71', 0, 'SI-71']]);
    expect(await store.synced.owedDocuments('c1', 10, '71')).toEqual([]);
  });

  it('when payments are saved, then their applications are replaced and the documents know their live payments', async () => {
    await store.synced.savePayments('c1', [
      payment('80', '2030-01-01T00:01:00Z'),
      payment('81', '2030-01-01T00:01:00Z', { links: [{ documentId: '71', kind: 'invoice', amount: 40 }] }),
    ]);
    expect((await store.synced.owedPayments('c1', 10)).map((p) => [p.qboId, p.links])).toEqual([
      ['80', [{ documentId: '71', kind: 'invoice', amount: 60 }]],
      ['81', [{ documentId: '71', kind: 'invoice', amount: 40 }]],
    ]);
    await store.synced.savePayments('c1', [payment('81', '2030-01-01T00:02:00Z', { deleted: true, links: [] })]);
    const paid = await store.synced.paymentsOf('c1', ['71']);
    expect(paid.get('71')!.map((p) => [p.payment.qboId, p.amount])).toEqual([['80', 60]]);
    await store.synced.markPayments('c1', [{ qboId: '80', qboUpdatedAt: new Date('2030-01-01T00:01:00Z'), state: 'written', origin: 'quickbooks' }]);
    expect((await store.synced.owedPayments('c1', 10)).map((p) => p.qboId)).toEqual(['81']);
    expect(await store.synced.owedCount('c1')).toBe(2);
  });

  it('when webhook events arrive twice, then only the first time they are new', async () => {
    const events = [
      { id: 'evt-1', realmId: 'realm-9', type: 'qbo.invoice.updated.v1' },
      { id: 'evt-2', realmId: 'realm-9', type: 'qbo.payment.created.v1' },
    ];
    expect([...(await store.statusSyncs.newEvents(events))].sort()).toEqual(['evt-1', 'evt-2']);
    expect([...(await store.statusSyncs.newEvents([...events, { id: 'evt-3', realmId: 'realm-9', type: 'qbo.invoice.deleted.v1' }]))]).toEqual(['evt-3']);
  });
});
