// QuickBooks status back from QuickBooks Desktop: a sync queues qbXML queries of the invoices, credit memos and payments
// modified since the last sync (ModifiedDateRangeFilter) for the Web Connector, its next session answers them, and
// each exported invoice's QuickBooks Balance and Paid Status — and a payment received in QuickBooks Desktop, as a
// Payment__c From QuickBooks — come back to Salesforce.
import type { SessionResult } from '../../emulators/qbd/webConnector';
import { api } from '../support/stack';
import { desktopInvoices, drain, exportQueued, session, startDesktopStack, until, type DesktopStack } from '../support/desktop';
import { sfRecords } from '../support/stack';

jest.setTimeout(180_000);

describe('when a QuickBooks Desktop user receives payments on exported invoices', () => {
  let d: DesktopStack;
  const sync = (syncId: string) => api(d.stack, 'GET', `/api/companies/${d.companyId}/status-sync/${syncId}`).then((r) => r.body);

  beforeAll(async () => {
    d = await startDesktopStack();
    const { run } = await drain(d, await exportQueued(d));
    expect(run.status).not.toBe('failed');
  });
  afterAll(() => d?.stack.close());

  it('then Sync now waits for the Web Connector, whose next session answers the queries, and the invoices show what QuickBooks Desktop holds', async () => {
    const exported = (await desktopInvoices(d)).filter((i) => i.Export_Status__c === 'Exported' && d.file.invoices.has(i.Financial_System_Invoice_Id__c));
    const open = exported.filter((i) => d.file.invoices.get(i.Financial_System_Invoice_Id__c)!.openCents > 100);
    expect(open.length).toBeGreaterThanOrEqual(2);
    const [paid, part] = open;
    const payment = d.file.receivePayment(paid!.Financial_System_Invoice_Id__c, { txnDate: '2026-11-24', refNumber: 'CHK-88' });
    d.file.receivePayment(part!.Financial_System_Invoice_Id__c, { amount: 1, txnDate: '2026-11-25' });

    const started = await api(d.stack, 'POST', `/api/companies/${d.companyId}/status-sync`);
    expect(started.status).toBe(202);
    // Nothing can be read before the Web Connector comes.
    await until(
      'the sync to wait for the Web Connector',
      () => sync(started.body.syncId),
      (s) => s.status === 'running',
    );
    const sessions: SessionResult[] = [];
    const done = await until(
      'the sync to finish',
      async () => {
        if (!(await sync(started.body.syncId)).finished) sessions.push(await session(d));
        return sync(started.body.syncId);
      },
      (s) => s.finished,
      120_000,
    );

    expect(done).toMatchObject({ status: 'succeeded', error: null, counts: expect.objectContaining({ paymentsCreated: 2 }) });
    // The queries: invoices, credit memos and payments modified since the export, and none per invoice.
    expect(done.reads.sync).toBeLessThanOrEqual(4);
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    const invoices = new Map((await desktopInvoices(d)).map((i) => [i.Id, i]));
    expect(invoices.get(paid!.Id)).toMatchObject({ Paid_Status__c: 'Paid', QuickBooks_Balance__c: 0, Last_Payment_Date__c: '2026-11-24' });
    expect(invoices.get(part!.Id)).toMatchObject({ Paid_Status__c: 'Partially Paid', Last_Payment_Date__c: '2026-11-25' });
    const fromQuickBooks = (await sfRecords(d.stack, 'Payment__c')).filter((p) => p.From_QuickBooks__c === true);
    expect(fromQuickBooks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sales_Invoice__c: paid!.Id,
          Financial_System_Payment_Id__c: payment.TxnID,
          Reference__c: 'CHK-88',
          Payment_Date__c: '2026-11-24',
        }),
        expect.objectContaining({ Sales_Invoice__c: part!.Id, Amount__c: 1 }),
      ]),
    );
    expect(fromQuickBooks).toHaveLength(2);
    // The invoices the export sent are never written twice, and the page shows the sync.
    const summary = await api(d.stack, 'GET', `/api/companies/${d.companyId}/summary`);
    expect(summary.body.statusSync.last.syncId).toBe(started.body.syncId);
  });
});
