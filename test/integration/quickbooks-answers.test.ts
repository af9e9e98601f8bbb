// QuickBooks answers are read, not trusted. A create answered without its record, or with a record that has no Id
// (Online), or an add answered "Status OK" without its TxnID or ListID (Desktop), is a record whose outcome is unknown:
// it is looked up in QuickBooks before anything is sent again and linked to what QuickBooks holds — never a "created"
// record with id "undefined" written back to Salesforce (which would mark the invoice Transferred for good).
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { drain, expectEachOnce, exportQueued, startDesktopStack, type DesktopStack } from '../support/desktop';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

jest.setTimeout(120_000);

describe('when QuickBooks Online answers a create without the record or without its Id', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let invoices: { Id: string; Name: string }[];

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 14 });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!.invoiceId;
    invoices = stack.data.salesforce.records
      .Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true && i.Id !== collision)
      .map((i) => ({ Id: String(i.Id), Name: String(i.Name) }));
    expect(invoices.length).toBeGreaterThanOrEqual(4);
  });
  afterAll(() => stack?.close());

  /** Every invoice named is in QuickBooks once, and Salesforce links that one copy. */
  async function expectLinkedOnce(named: { Id: string; Name: string }[]): Promise<void> {
    const copies = new Map<string, string[]>();
    for (const entity of ['Invoice', 'CreditMemo', 'SalesReceipt']) {
      for (const doc of await qboEntities(stack, realmId, entity)) {
        const id = readMarker(doc.PrivateNote);
        if (id) copies.set(id, [...(copies.get(id) ?? []), doc.Id]);
      }
    }
    const records = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((r) => [r.Id, r]));
    for (const inv of named) {
      const record = records.get(inv.Id)!;
      expect({ invoice: inv.Name, copies: copies.get(inv.Id), linked: record.Financial_System_Invoice_Id__c, transferred: record.Transferred__c }).toEqual({
        invoice: inv.Name,
        copies: [record.Financial_System_Invoice_Id__c],
        linked: expect.stringMatching(/^\d+$/),
        transferred: true,
      });
    }
  }

  /** No Salesforce record and no Process Log entry holds a QuickBooks id that is not one. */
  async function expectNoUnusableId(): Promise<void> {
    const ids = [
      ...(await sfRecords(stack, 'Customer__c')).map((c) => c.Financial_System_Customer_Id__c),
      ...(await sfRecords(stack, 'Product__c')).map((p) => p.Financial_System_Product_Id__c),
      ...(await sfRecords(stack, 'Sales_Invoice__c')).map((i) => i.Financial_System_Invoice_Id__c),
    ].filter((id) => id !== null && id !== undefined);
    expect(ids.filter((id) => !/^\d+$/.test(String(id)))).toEqual([]);
    const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=10`);
    const entryIds = logs.flatMap((l) => l.entries.map((e: any) => e.quickBooksId)).filter(Boolean);
    expect(entryIds.filter((id: string) => !/^\d+$/.test(id))).toEqual([]);
  }

  it.each([
    ['without the record (withoutEntity)', 'withoutEntity', 0],
    ['with a record that has no Id (withoutId)', 'withoutId', 1],
  ])('when every batch answer comes %s, then each record is found by its marker or name and linked, never sent twice', async (_what, kind, part) => {
    const half = Math.ceil(invoices.length / 2);
    const named = part === 0 ? invoices.slice(0, half) : invoices.slice(half);
    await admin(stack.qboUrl, 'POST', '/faults', { kind, count: 1000, match: { entity: 'batch' } });
    const before = await admin(stack.qboUrl, 'GET', '/stats');
    const run = await exportAndWait(stack, companyId, { invoiceNumbers: named.map((i) => i.Name) });
    const after = await admin(stack.qboUrl, 'GET', '/stats');
    await admin(stack.qboUrl, 'DELETE', '/faults');

    expect(run.status).toBe('succeeded');
    expect(after.faultsInjected - before.faultsInjected).toBeGreaterThan(0);
    await expectLinkedOnce(named);
    await expectNoUnusableId();
    // Found by a query, not sent again: each invoice went out in one batch item.
    const sent = (stats: any) => ['Invoice', 'CreditMemo', 'SalesReceipt'].reduce((n, e) => n + (stats.batchItemsByEntity[e] ?? 0), 0);
    expect(sent(after) - sent(before)).toBe(named.length);
  });

  it('then a later export sends nothing again: every record is already linked', async () => {
    const counts = await admin(stack.qboUrl, 'GET', `/realms/${realmId}/counts`);
    const run = await exportAndWait(stack, companyId, { invoiceNumbers: invoices.map((i) => i.Name) });
    expect(run.error).toBeNull();
    expect((await admin(stack.qboUrl, 'GET', `/realms/${realmId}/counts`)).counts).toEqual(counts.counts);
    await expectLinkedOnce(invoices);
  });
});

describe('when QuickBooks Desktop answers an add "Status OK" without its TxnID or ListID', () => {
  let d: DesktopStack;
  let run: any;
  beforeAll(async () => {
    d = await startDesktopStack();
    d.file.faults.push({ rq: 'InvoiceAddRq', statusCode: 0, withoutId: true, times: 2 }, { rq: 'CustomerAddRq', statusCode: 0, withoutId: true, times: 1 });
    const runId = await exportQueued(d);
    ({ run } = await drain(d, runId));
  });
  afterAll(() => d?.stack.close());

  it('then the records are looked up and linked to what QuickBooks saved, each once, with its real id', async () => {
    expect(d.file.faults.every((f) => (f.times ?? 1) === 0)).toBe(true);
    expect(run.status).toBe('succeeded');
    await expectEachOnce(d);
    // Every sales form the demo sends (invoices, the credit memo, the till sale) carries its record's marker.
    const sales = [...d.file.invoices.values(), ...d.file.creditMemos.values(), ...d.file.salesReceipts.values()];
    const txnBySource = new Map(sales.map((i) => [readMarker(i.Memo), i.TxnID]));
    const linked = (await sfRecords(d.stack, 'Sales_Invoice__c')).filter((i) => d.stack.webConnector!.demo.invoiceIds.includes(i.Id));
    expect(linked.map((i) => i.Financial_System_Invoice_Id__c)).toEqual(linked.map((i) => txnBySource.get(i.Id)));
    // The answers without ids were followed by look-ups: an invoice query by marker, a customer query by name.
    expect(d.file.messages.some((m) => /<InvoiceQueryRq[^>]*><MaxReturned>100<\/MaxReturned><ModifiedDateRangeFilter>/.test(m))).toBe(true);
    expect(d.file.messages.some((m) => /<CustomerQueryRq[^>]*><FullName>/.test(m))).toBe(true);
  });
});
