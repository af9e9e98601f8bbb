// A status sync that loses its company lock (the process stalled past the lease, and another sync took the company)
// stops before it writes anything to Salesforce: two syncs never add the same QuickBooks payment at once. The store is
// real (PGlite); QuickBooks and Salesforce are the sync's ports, played here by small stand-ins.
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../service/src/store';
import type { ChangeFeed, ChangePage } from '../../service/src/status/model';
import type { StatusSourcePort } from '../../service/src/status/ports';
import { statusSyncLockKey } from '../../service/src/status/service';
import { companyModel } from '../support/model';
import { syncOnce } from '../support/statusSync';

jest.setTimeout(60_000);

const LEASE_MS = 10_000;

describe('when a status sync loses its company lock while it reads QuickBooks', () => {
  let store: Store;
  const clock = { ms: Date.parse('2030-03-01T12:00:00Z') };
  const now = () => new Date(clock.ms);
  const company = companyModel({ id: 'a0B000000000001AAA', name: 'Northwind Trading Co.', accountingSystem: 'Online' });
  const writes: string[] = [];

  const page: ChangePage = {
    documents: [],
    payments: [
      {
        qboId: '88',
        total: 50,
        txnDate: '2030-03-01',
        reference: null,
        customerId: '5',
        deleted: false,
        sourceId: null,
        qboUpdatedAt: new Date('2030-03-01T11:59:00Z'),
        links: [{ documentId: '71', kind: 'invoice', amount: 50 }],
      },
    ],
  };

  /** QuickBooks answers one page of changes; before it does, the process "stalls" past the lease and another sync takes the company. */
  const feed: ChangeFeed = {
    windowMs: 30 * 86_400_000,
    async changesSince(_since, onPage) {
      clock.ms += LEASE_MS + 1;
      expect(await store.locks.acquire(statusSyncLockKey(company.id), 'another-sync', LEASE_MS)).toBe(true);
      await onPage(page);
      return { upTo: now() };
    },
    everything: () => Promise.reject(new Error('not used')),
    usage: () => ({ reads: { run: 1, company: 1, used: 1, budget: 0, month: '2030-03' } }),
  };

  /** Salesforce: invoice 71 is the company's; every write is recorded. */
  const source: StatusSourcePort = {
    documents: async () => [
      { id: 'a0C000000000071AAA', name: 'SI-000071', targetId: '71', balance: 100, paidStatus: 'Open', lastPaymentDate: null, total: 100 },
    ],
    paymentsOf: async () => ({ exported: new Set(), fromTarget: [] }),
    updateDocuments: async (u) => (writes.push(...u.map((x) => `invoice ${x.id}`)), u.map((x) => ({ ok: true, id: x.id }))),
    createPayments: async (p) => (writes.push(...p.map((x) => `payment ${x.targetId}`)), p.map(() => ({ ok: true, id: 'new' }))),
    updatePayments: async (p) => p.map((x) => ({ ok: true, id: x.id })),
    deletePayments: async (ids) => ids.map((id) => ({ ok: true, id })),
  };

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://', encryptionKey: randomBytes(32), now });
  });
  afterAll(() => store?.close());

  it('then it stops, names why, writes nothing to Salesforce, and keeps what it read for the next sync', async () => {
    const sync = await syncOnce({ store, company, feed, source, now, lockLeaseMs: LEASE_MS });

    expect(sync).toMatchObject({ status: 'failed', error: { code: 'STATUS_SYNC_INTERRUPTED' } });
    expect(sync.error!.message).toContain('lost its hold on the company');
    expect(writes).toEqual([]);
    expect((await store.synced.owedPayments(company.id, 10)).map((p) => p.qboId)).toEqual(['88']);
    expect((await store.locks.holder(statusSyncLockKey(company.id)))?.owner).toBe('another-sync');
  });
});
