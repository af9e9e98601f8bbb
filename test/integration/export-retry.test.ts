// Retrying Process Log errors: POST …/exports with {"records": [ids]} exports just those records and what they need
// (their customer, their products), over HTTP against both emulators.
import type { DemoStack } from '../../scripts/demo-stack';
import { NO_RECORD } from '../../service/src/http/records';
import { logOf, sfWrite } from '../support/sf';
import { api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

jest.setTimeout(180_000);

describe('when an invoice failed with an ERROR and its data is fixed in Salesforce', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let invoiceId: string;
  let lineId: string;
  let firstLogId: string;

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    // Everything the demo holds goes first, so the retry below meets only what the test adds.
    await exportAndWait(stack, companyId);
    const [customerId] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Customer__c' }, Name: 'Retry Customer', First_Name__c: 'Rita', Last_Name__c: 'Retry' },
    ]);
    const [productId] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Product__c' }, Name: 'Retry Widget', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 10 },
    ]);
    [invoiceId] = await sfWrite(stack, 'POST', [
      {
        attributes: { type: 'Sales_Invoice__c' },
        Name: 'SI-RETRY-1',
        Company__c: companyId,
        Customer__c: customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 20,
      },
    ]);
    [lineId] = await sfWrite(stack, 'POST', [
      {
        attributes: { type: 'Sales_Invoice_Line__c' },
        Sales_Invoice__c: invoiceId,
        Product__c: productId,
        Line_Number__c: 1,
        Quantity__c: -2,
        Unit_Price__c: 10,
      },
    ]);
    const failed = await exportAndWait(stack, companyId);
    expect(failed.status).toBe('completed_with_errors');
    firstLogId = failed.processLogId;
  });
  afterAll(() => stack?.close());

  it('then retrying it exports that invoice alone, with the product it now needs, and nothing else that waits', async () => {
    const first = await logOf(stack, companyId, firstLogId);
    const error = first.entries.find((e: any) => e.recordId === invoiceId && e.level === 'ERROR');
    expect(error.message).toContain('negative quantity (-2)');
    // The fix: a positive quantity, on a product QuickBooks does not have yet.
    const [newProductId] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Product__c' }, Name: 'Retry Gadget', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 10 },
    ]);
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Sales_Invoice_Line__c' }, Id: lineId, Quantity__c: 2, Product__c: newProductId }]);
    // Waiting too, and not part of the retry: another customer, product and invoice.
    const [otherCustomer] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Customer__c' }, Name: 'Bystander Ltd', First_Name__c: 'Bo', Last_Name__c: 'Stander' },
    ]);
    const [otherProduct] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Product__c' }, Name: 'Bystander Bolt', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 1 },
    ]);
    const [otherInvoice] = await sfWrite(stack, 'POST', [
      {
        attributes: { type: 'Sales_Invoice__c' },
        Name: 'SI-BYSTANDER',
        Company__c: companyId,
        Customer__c: otherCustomer,
        Approved__c: true,
        Invoice_Date__c: '2026-11-03',
        Total_Amount__c: 1,
      },
    ]);
    await sfWrite(stack, 'POST', [
      {
        attributes: { type: 'Sales_Invoice_Line__c' },
        Sales_Invoice__c: otherInvoice,
        Product__c: otherProduct,
        Line_Number__c: 1,
        Quantity__c: 1,
        Unit_Price__c: 1,
      },
    ]);

    const retry = await exportAndWait(stack, companyId, { records: [invoiceId] });
    expect({ status: retry.status, error: retry.error }).toEqual({ status: 'succeeded', error: null });

    const invoices = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((i) => [i.Id, i]));
    expect(invoices.get(invoiceId)!.Transferred__c).toBe(true);
    expect(invoices.get(otherInvoice)!.Transferred__c).toBe(false);
    const products = new Map((await sfRecords(stack, 'Product__c')).map((p) => [p.Id, p]));
    const gadget = (await qboEntities(stack, realmId, 'Item')).find((i) => i.Name === 'Retry Gadget');
    expect(products.get(newProductId!)!.Financial_System_Product_Id__c).toBe(gadget.Id);
    expect(products.get(otherProduct!)!.Financial_System_Product_Id__c ?? null).toBeNull();
    const customers = new Map((await sfRecords(stack, 'Customer__c')).map((c) => [c.Id, c]));
    expect(customers.get(otherCustomer!)!.Financial_System_Customer_Id__c ?? null).toBeNull();
    expect((await qboEntities(stack, realmId, 'Customer')).filter((c) => c.DisplayName.startsWith('Bystander'))).toEqual([]);
    const qboInvoice = (await qboEntities(stack, realmId, 'Invoice')).find((i) => i.Id === invoices.get(invoiceId)!.Financial_System_Invoice_Id__c);
    expect(qboInvoice.TotalAmt).toBe(20);

    // Its own run: a Process Log of its own, about the invoice and the product it needed, nothing else.
    expect(retry.processLogId).not.toBe(firstLogId);
    const log = await logOf(stack, companyId, retry.processLogId);
    const about = new Set(log.entries.filter((e: any) => e.recordId).map((e: any) => e.recordId));
    expect([...about].sort()).toEqual([invoiceId, newProductId].sort());

    // The error it retried points to the retry's log and says how it ended; it offers Retry no more.
    const after = (await logOf(stack, companyId, firstLogId)).entries.find((e: any) => e.id === error.id);
    expect({ retriedIn: after.retriedIn, retryOutcome: after.retryOutcome, retryable: after.retryable }).toEqual({
      retriedIn: retry.processLogId,
      retryOutcome: 'Exported',
      retryable: false,
    });
  });

  it('then a record with nothing left to send is named in the retry’s log, and nothing is sent', async () => {
    const before = (await qboEntities(stack, realmId, 'Invoice')).length;
    const again = await exportAndWait(stack, companyId, { records: [invoiceId] });
    expect(again.status).toBe('succeeded');
    expect((await qboEntities(stack, realmId, 'Invoice')).length).toBe(before);
    const log = await logOf(stack, companyId, again.processLogId);
    expect(log.entries.filter((e: any) => e.recordId === invoiceId).map((e: any) => [e.level, e.outcome])).toEqual([['WARN', 'Skipped']]);
  });

  it('then an empty list, an id that is not one, or records beside invoiceNumbers or dates are refused with 400', async () => {
    const path = `/api/companies/${companyId}/exports`;
    const refused = async (body: unknown) => {
      const answer = await api(stack, 'POST', path, body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status: 400, code: 'BAD_REQUEST' });
      return answer.body.error.message as string;
    };
    expect(await refused({ records: [] })).toBe(`records: ${NO_RECORD}`);
    expect(await refused({ records: [' ', ''] })).toBe(`records: ${NO_RECORD}`);
    expect(await refused({ records: ['not-an-id'] })).toBe('records: "not-an-id" is not a Salesforce record id (15 or 18 letters and digits)');
    expect(await refused({ records: invoiceId })).toMatch(/^records: /);
    expect(await refused({ records: [invoiceId], invoiceNumbers: ['SI-RETRY-1'] })).toBe(
      'records: give either records or invoiceNumbers / fromDate / toDate, not both',
    );
    expect(await refused({ records: [invoiceId], fromDate: '2026-01-01' })).toBe(
      'records: give either records or invoiceNumbers / fromDate / toDate, not both',
    );
  });
});

describe('when a run ends with several invoice errors and all of them are retried', () => {
  let stack: DemoStack;
  let companyId: string;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
    companyId = stack.primaryCompanyId;
  });
  afterAll(() => stack?.close());

  it('then each error is linked to the one retry run and shows its own end: the fixed one Exported, the other Failed Again and retryable there', async () => {
    await exportAndWait(stack, companyId);
    const customer = stack.data.salesforce.records.Customer__c![0]!;
    const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId)!;
    const invoice = (name: string) => ({
      attributes: { type: 'Sales_Invoice__c' },
      Name: name,
      Company__c: companyId,
      Customer__c: customer.Id,
      Approved__c: true,
      Invoice_Date__c: '2026-11-02',
      Total_Amount__c: 5,
    });
    const [a, b] = await sfWrite(stack, 'POST', [invoice('SI-ALL-A'), invoice('SI-ALL-B')]);
    const line = (invoiceId: string) => ({
      attributes: { type: 'Sales_Invoice_Line__c' },
      Sales_Invoice__c: invoiceId,
      Product__c: product.Id,
      Line_Number__c: 1,
      Quantity__c: 1,
      Unit_Price__c: -5,
    });
    const [lineA] = await sfWrite(stack, 'POST', [line(a!), line(b!)]);
    const failed = await exportAndWait(stack, companyId);
    const retryable = (await logOf(stack, companyId, failed.processLogId)).entries.filter((e: any) => e.retryable);
    // The demo's invoice whose number QuickBooks already holds fails in every run, as it did in the first.
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!.invoiceId;
    expect(retryable.map((e: any) => e.recordId).sort()).toEqual([a, b, collision].sort());

    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Sales_Invoice_Line__c' }, Id: lineA, Unit_Price__c: 5 }]);
    // "Retry all errors of this run": the records of its retryable errors, in one run.
    const retry = await exportAndWait(stack, companyId, { records: retryable.map((e: any) => e.recordId) });
    expect(retry.status).toBe('completed_with_errors');

    const before = (await logOf(stack, companyId, failed.processLogId)).entries.filter((e: any) => e.level === 'ERROR');
    expect(Object.fromEntries(before.map((e: any) => [e.recordId, [e.retriedIn, e.retryOutcome, e.retryable]]))).toEqual({
      [a!]: [retry.processLogId, 'Exported', false],
      [b!]: [retry.processLogId, 'Failed Again', false],
      [collision]: [retry.processLogId, 'Failed Again', false],
    });
    const again = (await logOf(stack, companyId, retry.processLogId)).entries.filter((e: any) => e.level === 'ERROR');
    expect(again.map((e: any) => [e.recordId, e.retryable, e.retriedIn]).sort()).toEqual(
      [
        [b, true, null],
        [collision, true, null],
      ].sort(),
    );
  });
});
