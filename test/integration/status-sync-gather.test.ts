// A status sync gathers the writes it owes across the store's pages and sends them in chunks the source system takes
// in bulk, heartbeating after every page while it gathers: a sync that loses its company lock then sends none of what
// it gathered, and everything stays owed. The store is real (PGlite); QuickBooks and Salesforce are the sync's ports,
// played here by small stand-ins that record each write.
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../service/src/store';
import type { ChangedDocument, ChangeFeed } from '../../service/src/status/model';
import type { StatusSourcePort } from '../../service/src/status/ports';
import { statusSyncLockKey } from '../../service/src/status/service';
import { companyModel } from '../support/model';
import { syncOnce } from '../support/statusSync';

jest.setTimeout(60_000);

const LEASE_MS = 10_000;
const BATCHING = { threshold: 20, chunk: 50 };
const PAGE = 10;

describe('when a status sync owes more status writes than fit a page', () => {
  let store: Store;
  const clock = { ms: Date.parse('2030-03-01T12:00:00Z') };
  const now = () => new Date(clock.ms);

  const documents = (n: number): ChangedDocument[] =>
    Array.from({ length: n }, (_, i) => ({
      qboId: String(1000 + i),
      kind: 'invoice',
      number: `INV-${i}`,
      txnDate: '2030-02-01',
      customerId: '5',
      total: 100,
      balance: 40,
      voided: false,
      deleted: false,
      sourceId: null,
      qboUpdatedAt: new Date('2030-03-01T11:59:00Z'),
    }));

  /** QuickBooks answers one page with every change. */
  const feedOf = (changed: ChangedDocument[]): ChangeFeed => ({
    windowMs: 30 * 86_400_000,
    async changesSince(_since, onPage) {
      await onPage({ documents: changed, payments: [] });
      return { upTo: now() };
    },
    everything: () => Promise.reject(new Error('not used')),
    usage: () => ({ reads: { run: 1, company: 1, used: 1, budget: 0, month: '2030-03' } }),
  });

  /** Salesforce: every invoice asked for is the company's, Open at 100; each status write's size is recorded. */
  function sourceOf(onLookUp: (n: number) => Promise<void> = async () => undefined) {
    const writes: number[] = [];
    let lookUps = 0;
    const source: StatusSourcePort = {
      batching: BATCHING,
      documents: async (_company, targetIds) => {
        await onLookUp(++lookUps);
        return targetIds.map((id) => ({ id: `a0C${id}`, name: `SI-${id}`, targetId: id, balance: 100, paidStatus: 'Open', lastPaymentDate: null, total: 100 }));
      },
      paymentsOf: async () => ({ exported: new Set(), fromTarget: [] }),
      updateDocuments: async (u) => (writes.push(u.length), u.map((x) => ({ ok: true, id: x.id }))),
      createPayments: async (p) => p.map(() => ({ ok: true, id: 'new' })),
      updatePayments: async (p) => p.map((x) => ({ ok: true, id: x.id })),
      deletePayments: async (ids) => ids.map((id) => ({ ok: true, id })),
    };
    return { source, writes };
  }

  function runSync(companyId: string, feed: ChangeFeed, source: StatusSourcePort) {
    const company = companyModel({ id: companyId, name: 'Northwind Trading Co.', accountingSystem: 'Online' });
    return syncOnce({ store, company, feed, source, now, lockLeaseMs: LEASE_MS, pageSize: PAGE });
  }

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://', encryptionKey: randomBytes(32), now });
  });
  afterAll(() => store?.close());

  it('then they go in chunks gathered across pages, never a page at a time, and the rest at the end', async () => {
    const { source, writes } = sourceOf();

    const sync = await runSync('a0B000000000001AAA', feedOf(documents(130)), source);

    expect(sync).toMatchObject({ status: 'succeeded', counts: expect.objectContaining({ documentsUpdated: 130, waiting: 0 }) });
    // Pages of 10: a chunk of 50 goes once 70 wait (so the rest never falls below the threshold), the last 30 at the end.
    expect(writes).toEqual([50, 50, 30]);
  });

  it('then a sync that loses its lock while it gathers sends nothing it gathered, and all of it stays owed', async () => {
    const companyId = 'a0B000000000002AAA';
    // At the second page's look-up the process "stalls" past the lease and another sync takes the company.
    const { source, writes } = sourceOf(async (n) => {
      if (n !== 2) return;
      clock.ms += LEASE_MS + 1;
      expect(await store.locks.acquire(statusSyncLockKey(companyId), 'another-sync', LEASE_MS)).toBe(true);
    });

    const sync = await runSync(companyId, feedOf(documents(30)), source);

    expect(sync).toMatchObject({ status: 'failed', error: { code: 'STATUS_SYNC_INTERRUPTED' } });
    expect(writes).toEqual([]);
    expect(await store.synced.owedCount(companyId)).toBe(30);
  });
});
