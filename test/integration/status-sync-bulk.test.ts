// A status sync that owes Salesforce more writes than the bulk threshold sends them in Bulk API 2.0 jobs, gathered
// across the store's pages (no page reaches the threshold by itself), and marks a record written only once the job
// that carries it is taken: Salesforce failing part-way leaves the rest owed for the next sync. Thresholds, chunk and
// page are lowered so a small data set shows what a 100,000-invoice export's first sync does.
import type { DemoStack } from '../../scripts/demo-stack';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

const THRESHOLD = 20;
const CHUNK = 50;
const PAGE = 10;

describe('when a status sync owes Salesforce more writes than the bulk threshold', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;

  async function sync(): Promise<any> {
    const started = await api(stack, 'POST', `/api/companies/${companyId}/status-sync`);
    expect(started.status).toBe(202);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { body } = await api(stack, 'GET', `/api/companies/${companyId}/status-sync/${started.body.syncId}`);
      if (body.finished) return body;
      if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Exported invoices whose QuickBooks Balance / Paid Status in Salesforce differ from what QuickBooks holds. */
  async function wrong(): Promise<string[]> {
    const held = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [String(i.Id), i]));
    const found: string[] = [];
    for (const inv of await sfRecords(stack, 'Sales_Invoice__c')) {
      const qbo = inv.Company__c === companyId && inv.Transferred__c ? held.get(String(inv.Financial_System_Invoice_Id__c)) : undefined;
      if (!qbo) continue; // not exported, or a credit memo
      const status = qbo.Balance <= 0 ? 'Paid' : qbo.Balance >= qbo.TotalAmt ? 'Open' : 'Partially Paid';
      if (inv.Paid_Status__c !== status || inv.QuickBooks_Balance__c !== qbo.Balance)
        found.push(`${inv.Name}: ${inv.Paid_Status__c} ${inv.QuickBooks_Balance__c}`);
    }
    return found;
  }

  /** Open exported invoices in QuickBooks, by QuickBooks id. */
  async function openInvoices(): Promise<string[]> {
    const exported = new Set(
      (await sfRecords(stack, 'Sales_Invoice__c'))
        .filter((r) => r.Company__c === companyId && r.Transferred__c)
        .map((r) => String(r.Financial_System_Invoice_Id__c)),
    );
    return (await qboEntities(stack, realmId, 'Invoice')).filter((i) => exported.has(String(i.Id)) && i.Balance >= 2).map((i) => String(i.Id));
  }

  const pay = (invoiceIds: string[], amount?: number) =>
    Promise.all(invoiceIds.map((invoiceId) => admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId, amount, txnDate: '2026-11-24' })));
  const fromQuickBooks = async () => (await sfRecords(stack, 'Payment__c')).filter((p) => p.From_QuickBooks__c === true);

  beforeAll(async () => {
    stack = await startTestStack({
      invoices: 300,
      seed: 11,
      env: { SF_BULK_THRESHOLD: String(THRESHOLD), SF_BULK_CHUNK: String(CHUNK), STATUS_SYNC_PAGE_SIZE: String(PAGE), STATUS_SYNC_EVERY_MINUTES: '0' },
    });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    expect((await exportAndWait(stack, companyId)).error).toBeNull();
  });
  afterAll(() => stack?.close());

  it('then the first sync after an export writes every invoice status and payment through bulk jobs, with no composite call', async () => {
    const paid = (await openInvoices()).slice(0, 25);
    expect(paid).toHaveLength(25);
    await pay(paid);
    await admin(stack.sfUrl, 'POST', '/stats/reset');

    const done = await sync();

    expect(done).toMatchObject({ status: 'succeeded', error: null, problems: [] });
    expect(done.counts).toMatchObject({ paymentsCreated: 25, waiting: 0 });
    // Far more than a page, and more than a chunk: the writes were gathered across pages and sent in several jobs.
    expect(done.counts.documentsUpdated).toBeGreaterThan(2 * CHUNK);
    const stats = await admin(stack.sfUrl, 'GET', '/stats');
    expect(stats.byKind.composite).toBe(0);
    expect(Object.keys(stats.byEndpoint).filter((e) => e.includes('/composite/'))).toEqual([]);
    expect(stats.bulkRecords).toBe(done.counts.documentsUpdated + 25);
    const jobs = stats.byEndpoint['POST /jobs/ingest'];
    // The payments' job and at least two of the invoices' (a chunk sent mid-sync, the rest at the end); never more
    // jobs than chunks, since only the last may be smaller than a chunk.
    expect(jobs).toBeGreaterThanOrEqual(3);
    expect(jobs).toBeLessThanOrEqual(1 + Math.ceil(done.counts.documentsUpdated / CHUNK));
    expect(await wrong()).toEqual([]);
    expect(new Set((await fromQuickBooks()).map((p) => p.Financial_System_Payment_Id__c)).size).toBe(25);
  });

  it('then Salesforce failing in a later job leaves what that job carried owed, and the next sync writes only that', async () => {
    const invoices = (await openInvoices()).slice(0, 80);
    expect(invoices).toHaveLength(80);
    await pay(invoices, 1);
    // The first three jobs (the payments', then the first invoices' chunk) go through; every job after fails.
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 1000, skip: 3, match: { method: 'POST', path: '/jobs/ingest' } });
    await admin(stack.sfUrl, 'POST', '/stats/reset');

    const broken = await sync();

    expect(broken).toMatchObject({ status: 'failed', error: { code: 'SALESFORCE_UNAVAILABLE' } });
    // The payments and the first chunk of invoices were taken (and say so); the invoices of the failed job are still owed.
    expect(broken.counts).toMatchObject({ paymentsCreated: 80, documentsUpdated: CHUNK, waiting: 80 - CHUNK });
    expect(await stack.container.store.synced.owedCount(companyId)).toBe(broken.counts.waiting);
    expect((await wrong()).length).toBe(broken.counts.waiting);
    expect((await admin(stack.sfUrl, 'GET', '/stats')).byEndpoint['POST /jobs/ingest']).toBe(4);

    await admin(stack.sfUrl, 'DELETE', '/faults');
    await admin(stack.sfUrl, 'POST', '/stats/reset');
    const again = await sync();

    expect(again).toMatchObject({ status: 'succeeded', error: null });
    expect(again.counts).toMatchObject({ documentsUpdated: broken.counts.waiting, paymentsCreated: 0, waiting: 0 });
    expect(await wrong()).toEqual([]);
    // Every payment from QuickBooks once: the payments taken before the failure are not created again.
    const copies = (await fromQuickBooks()).map((p) => `${p.Financial_System_Payment_Id__c}/${p.Sales_Invoice__c}`);
    expect(copies).toHaveLength(25 + 80);
    expect(new Set(copies).size).toBe(copies.length);
  });
});
