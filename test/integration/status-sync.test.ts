// QuickBooks status back into Salesforce, end to end against both emulators: a QuickBooks user pays, part-pays,
// voids and deletes exported invoices, and one sync (by hand, or by a signed CloudEvents webhook) brings each
// invoice's QuickBooks Balance, Paid Status, Last Payment Date and QuickBooks Total to Salesforce, and the payments
// received in QuickBooks as Payment__c records the export never sends back — with the QuickBooks reads it used.
import { createHmac } from 'node:crypto';
import type { DemoStack } from '../../scripts/demo-stack';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

const VERIFIER = 'status-sync-verifier-token';

async function syncAndWait(stack: DemoStack, companyId: string): Promise<any> {
  const started = await api(stack, 'POST', `/api/companies/${companyId}/status-sync`);
  expect(started.status).toBe(202);
  expect(started.body.syncId).toEqual(expect.any(String));
  return waitForSync(stack, companyId, started.body.syncId);
}

async function waitForSync(stack: DemoStack, companyId: string, syncId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(stack, 'GET', `/api/companies/${companyId}/status-sync/${syncId}`);
    if (body.finished) return body;
    if (Date.now() > deadline) throw new Error(`sync ${syncId} did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('when a QuickBooks user pays, voids and deletes exported invoices', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  /** Exported invoices (not credit memos or receipts), by Salesforce id, with their QuickBooks invoice. */
  let exported: { id: string; name: string; qboId: string; total: number }[];
  const invoice = async (id: string) => (await sfRecords(stack, 'Sales_Invoice__c')).find((r) => r.Id === id);
  const fromQuickBooks = async () => (await sfRecords(stack, 'Payment__c')).filter((p) => p.From_QuickBooks__c === true);

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 30, env: { QBO_WEBHOOK_VERIFIER_TOKEN: VERIFIER } });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    await exportAndWait(stack, companyId);
    // Invoices with nothing paid, in Salesforce or QuickBooks (the demo company exports its payments too).
    const qboInvoices = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [i.Id, i]));
    const withPayments = new Set((await sfRecords(stack, 'Payment__c')).map((p) => p.Sales_Invoice__c));
    exported = (await sfRecords(stack, 'Sales_Invoice__c'))
      .filter((r) => r.Company__c === companyId && r.Transferred__c && !withPayments.has(r.Id))
      .map((r) => ({ id: r.Id, name: r.Name, qboId: r.Financial_System_Invoice_Id__c, total: qboInvoices.get(r.Financial_System_Invoice_Id__c)?.TotalAmt }))
      .filter((r) => r.total > 0 && qboInvoices.get(r.qboId).Balance === r.total);
    expect(exported.length).toBeGreaterThanOrEqual(4);
  });
  afterAll(() => stack?.close());

  it('then one sync shows the paid invoice Paid with its date, adds the payment From QuickBooks, and used one QuickBooks read', async () => {
    const [paid] = exported;
    const payment = await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: paid!.qboId, txnDate: '2026-11-20', reference: 'CHK-4410' });
    await admin(stack.qboUrl, 'POST', '/stats/reset');

    const sync = await syncAndWait(stack, companyId);

    expect(sync).toMatchObject({ status: 'succeeded', startedBy: 'manual', error: null, catchUp: false });
    expect(sync.reads.sync).toBeLessThanOrEqual(3);
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(stats.byEndpoint['GET /cdc']).toBe(sync.reads.sync);
    expect(stats.byKind.read + stats.byKind.query).toBe(sync.reads.sync);
    expect(await invoice(paid!.id)).toMatchObject({
      Paid_Status__c: 'Paid',
      Last_Payment_Date__c: '2026-11-20',
      QuickBooks_Balance__c: 0,
      QuickBooks_Total__c: paid!.total,
      QuickBooks_Synced_At__c: expect.any(String),
    });
    expect(await fromQuickBooks()).toEqual([
      expect.objectContaining({
        Sales_Invoice__c: paid!.id,
        Amount__c: paid!.total,
        Payment_Date__c: '2026-11-20',
        Reference__c: 'CHK-4410',
        Financial_System_Payment_Id__c: payment.Id,
      }),
    ]);
    // The other exported invoices are Open at their full total.
    expect(await invoice(exported[1]!.id)).toMatchObject({ Paid_Status__c: 'Open', QuickBooks_Balance__c: exported[1]!.total, Last_Payment_Date__c: null });
  });

  it('then the export never sends a payment received in QuickBooks back, and the payments waiting do not count it', async () => {
    // The company exports payments: the one received in QuickBooks is not among them.
    const summary = await api(stack, 'GET', `/api/companies/${companyId}/summary`);
    expect(summary.body.counts.payments).toBe(0);
    expect(summary.body.statusSync).toMatchObject({ everyMinutes: 15, last: { status: 'succeeded' } });
    const before = (await qboEntities(stack, realmId, 'Payment')).length;
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    expect((await qboEntities(stack, realmId, 'Payment')).length).toBe(before);
  });

  it('then part-paid, voided and deleted invoices show so, a payment deleted in QuickBooks goes, and nothing is added twice', async () => {
    const [paid, part, voided, deleted] = exported;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: part!.qboId, amount: 10, txnDate: '2026-11-21' });
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${voided!.qboId}/void`);
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${deleted!.qboId}/delete`);
    const paidPayment = (await fromQuickBooks())[0]!;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Payment/${paidPayment.Financial_System_Payment_Id__c}/delete`);

    const sync = await syncAndWait(stack, companyId);

    expect(sync.status).toBe('succeeded');
    expect(sync.reads.sync).toBe(1);
    expect(await invoice(part!.id)).toMatchObject({
      Paid_Status__c: 'Partially Paid',
      QuickBooks_Balance__c: part!.total - 10,
      Last_Payment_Date__c: '2026-11-21',
    });
    expect(await invoice(voided!.id)).toMatchObject({ Paid_Status__c: 'Voided', QuickBooks_Balance__c: 0, QuickBooks_Total__c: 0, Last_Payment_Date__c: null });
    expect(await invoice(deleted!.id)).toMatchObject({ Paid_Status__c: 'Deleted in QuickBooks', QuickBooks_Balance__c: null, QuickBooks_Total__c: null });
    // The payment deleted in QuickBooks: its Payment__c is gone and the invoice is open again.
    expect(await invoice(paid!.id)).toMatchObject({ Paid_Status__c: 'Open', QuickBooks_Balance__c: paid!.total, Last_Payment_Date__c: null });
    expect((await fromQuickBooks()).map((p) => [p.Sales_Invoice__c, p.Amount__c])).toEqual([[part!.id, 10]]);

    // A sync with nothing new reads once and writes nothing.
    const quiet = await syncAndWait(stack, companyId);
    expect(quiet).toMatchObject({ status: 'succeeded', reads: { sync: 1 }, counts: expect.objectContaining({ documentsUpdated: 0, paymentsCreated: 0 }) });
    expect(await fromQuickBooks()).toHaveLength(1);
  });

  it('then a company last synced longer ago than QuickBooks keeps changes catches up by reading every invoice, credit memo and payment once', async () => {
    const target = exported[5] ?? exported[2]!;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: target.qboId, amount: 5, txnDate: '2026-11-23' });
    await stack.container.store.statusSyncs.setSyncedUpTo(companyId, new Date(Date.now() - 40 * 86_400_000));
    await admin(stack.qboUrl, 'POST', '/stats/reset');

    const sync = await syncAndWait(stack, companyId);

    expect(sync).toMatchObject({ status: 'succeeded', catchUp: true, changedSince: null });
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    // One query page each of invoices, credit memos and payments (the demo company has fewer than 1,000 of each).
    expect(stats.byKind.query).toBe(3);
    expect(stats.byEndpoint['GET /cdc']).toBeUndefined();
    expect(sync.reads.sync).toBe(3);
    expect(await invoice(target.id)).toMatchObject({ Paid_Status__c: 'Partially Paid', Last_Payment_Date__c: '2026-11-23' });
    // Then the changes again, from where the catch-up ended.
    expect(await syncAndWait(stack, companyId)).toMatchObject({ catchUp: false, reads: { sync: 1 } });
  });

  it('then a signed CloudEvents delivery starts one sync, a repeated delivery none, and a wrong signature is refused', async () => {
    const target = exported[4] ?? exported[1]!;
    await admin(stack.qboUrl, 'POST', '/webhooks', { url: `${stack.serviceUrl}/webhooks/quickbooks`, verifierToken: VERIFIER });
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: target.qboId, txnDate: '2026-11-22' });
    const before = (await api(stack, 'GET', `/api/companies/${companyId}/status-sync`)).body.last.syncId;

    const delivered = await admin(stack.qboUrl, 'POST', '/webhooks/deliver', {});
    expect(delivered.status).toBe(200);

    const deadline = Date.now() + 30_000;
    let page: any;
    for (;;) {
      page = (await api(stack, 'GET', `/api/companies/${companyId}/status-sync`)).body;
      if (page.last && page.last.syncId !== before && page.current === null) break;
      if (Date.now() > deadline) throw new Error(`no webhook sync: ${JSON.stringify(page)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(page.last).toMatchObject({ startedBy: 'webhook', status: 'succeeded', reads: { sync: 1 } });
    expect(await invoice(target.id)).toMatchObject({ Paid_Status__c: 'Paid', Last_Payment_Date__c: '2026-11-22' });

    // Intuit retries a delivery: the same event ids start nothing.
    const body = JSON.stringify([
      { specversion: '1.0', id: 'evt-repeat-1', type: 'qbo.invoice.updated.v1', intuitaccountid: realmId, intuitentityid: target.qboId },
    ]);
    const post = (signature: string) =>
      fetch(`${stack.serviceUrl}/webhooks/quickbooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'intuit-signature': signature },
        body,
      });
    const signature = createHmac('sha256', VERIFIER).update(body).digest('base64');
    expect(await (await post(signature)).json()).toEqual({ received: 1, new: 1 });
    expect(await (await post(signature)).json()).toEqual({ received: 1, new: 0 });
    const refused = await post(createHmac('sha256', 'another-token').update(body).digest('base64'));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });
});
