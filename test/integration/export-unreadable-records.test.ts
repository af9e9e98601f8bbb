// Records the org holds that QuickBooks cannot take as they are: every record a run reads ends with a Process Log
// entry (or a write-back), and a record that cannot go says which field to fix.
import type { DemoStack } from '../../scripts/demo-stack';
import { logOf, sf, sfWrite } from '../support/sf';
import { exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

describe('when a customer has no name and an invoice has no date', () => {
  let stack: DemoStack;
  let run: any;
  let log: any;
  let nameless: string;
  let undated: { id: string; name: string };
  let namelessInvoice: string;

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
    const companyId = stack.primaryCompanyId;
    const records = stack.data.salesforce.records;
    const product = records.Product__c!.find((p) => p.Company__c === companyId)!;
    const someone = records.Customer__c![0]!;
    [nameless] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: '', Email__c: 'no.name@example.com' })]);
    const invoiceIds = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', { Name: 'SI-NODATE-1', Company__c: companyId, Customer__c: someone.Id, Approved__c: true, Total_Amount__c: 10 }),
      sf('Sales_Invoice__c', {
        Name: 'SI-NONAME-1',
        Company__c: companyId,
        Customer__c: nameless,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 10,
      }),
    ]);
    undated = { id: invoiceIds[0]!, name: 'SI-NODATE-1' };
    namelessInvoice = invoiceIds[1]!;
    await sfWrite(
      stack,
      'POST',
      invoiceIds.map((id) =>
        sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Product__c: product.Id, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 10 }),
      ),
    );
    run = await exportAndWait(stack, companyId);
    log = await logOf(stack, companyId, run.processLogId);
  });
  afterAll(() => stack?.close());

  it('then the nameless customer is not created: an ERROR entry names the record, the blank Name and the fix', async () => {
    const errors = log.entries.filter((e: any) => e.recordId === nameless && e.level === 'ERROR');
    expect(errors.map((e: any) => [e.recordType, e.message, e.fix])).toEqual([
      [
        'Customer',
        `Customer ${nameless} was not exported: its Name is blank (Salesforce shows the record id in its place) and it has no First Name, Last Name or Company Name, so QuickBooks cannot name it.`,
        'Enter the Name (or First and Last Name, or Company Name) on the Customer record in Salesforce, then export again.',
      ],
    ]);
    const customer = (await sfRecords(stack, 'Customer__c')).find((c) => c.Id === nameless);
    expect(customer.Financial_System_Customer_Id__c).toBeNull();
    const named = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Customer')).filter((c) => c.DisplayName.includes(nameless));
    expect(named).toEqual([]);
    // Its invoice waits for it, with an entry of its own.
    expect(log.entries.find((e: any) => e.recordId === namelessInvoice && e.level === 'ERROR')?.message).toContain('has no QuickBooks customer');
  });

  it('then the undated invoice is not sent: an ERROR entry names it, the blank Invoice Date and the fix, and Salesforce shows the error', async () => {
    const errors = log.entries.filter((e: any) => e.recordId === undated.id && e.level === 'ERROR');
    expect(errors.map((e: any) => [e.recordType, e.recordName, e.message, e.fix])).toEqual([
      [
        'Invoice',
        undated.name,
        `Invoice ${undated.name} was not exported: its Invoice Date is blank, and QuickBooks would date it the day it arrives.`,
        'Enter the Invoice Date on the Sales Invoice, then export again.',
      ],
    ]);
    const invoice = (await sfRecords(stack, 'Sales_Invoice__c')).find((i) => i.Id === undated.id);
    expect(invoice).toMatchObject({ Transferred__c: false, Export_Status__c: 'Error', Financial_System_Invoice_Id__c: null });
    expect(invoice.Last_Export_Error__c).toContain('Invoice Date is blank');
    const sent = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Invoice')).filter((i) => String(i.PrivateNote ?? '').includes(undated.id));
    expect(sent).toEqual([]);
  });

  it('then every customer, product and invoice the run read ends with its own entry', async () => {
    const companyId = stack.primaryCompanyId;
    const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === companyId && i.Approved__c === true);
    const products = (await sfRecords(stack, 'Product__c')).filter((p) => p.Company__c === companyId);
    const customers = new Set(invoices.map((i) => String(i.Customer__c)));
    const read = [...invoices.map((i) => i.Id), ...products.map((p) => p.Id), ...customers];
    const logged = new Set(log.entries.map((e: any) => e.recordId));
    expect(read.filter((id) => !logged.has(id))).toEqual([]);
    expect(run.status).toBe('completed_with_errors');
  });
});
