// The bench's check of an export: counts, write-backs, payments, credit applications and no record made twice, from
// what Salesforce and QuickBooks hold afterwards.
import { isVerified, verifyExport, type VerifyInput } from '../../scripts/bench/verify';

/** Two invoices of one customer, one product, a payment on the first and a credit memo applied to the second, all right. */
function exportedBooks(): VerifyInput {
  return {
    invoices: [
      { Id: 'si1', Name: 'SI-1', Customer__c: 'c1', Total_Amount__c: 100, Financial_System_Invoice_Id__c: '101' },
      { Id: 'si2', Name: 'SI-2', Customer__c: 'c1', Total_Amount__c: 50, Financial_System_Invoice_Id__c: '102' },
      {
        Id: 'si3',
        Name: 'SI-3',
        Customer__c: 'c1',
        Invoice_Type__c: 'Credit Memo',
        Applies_To_Invoice__c: 'si2',
        Total_Amount__c: 10,
        Financial_System_Invoice_Id__c: '201',
        Financial_System_Application_Id__c: '302',
      },
    ],
    lines: [
      { Id: 'l1', Sales_Invoice__c: 'si1', Product__c: 'p1' },
      { Id: 'l2', Sales_Invoice__c: 'si2', Product__c: 'p1' },
    ],
    customers: [{ Id: 'c1', Financial_System_Customer_Id__c: '11' }],
    products: [{ Id: 'p1', Name: 'Widget', Financial_System_Product_Id__c: '21' }],
    payments: [{ Id: 'pay1', Name: 'PAY-1', Sales_Invoice__c: 'si1', Financial_System_Payment_Id__c: '301' }],
    invoiceNumberPrefix: 'N-',
    customerIdField: 'Financial_System_Customer_Id__c',
    docNumberCollisionInvoiceId: null,
    before: { Customer: new Set(['1']), Item: new Set(), Invoice: new Set(['90']), CreditMemo: new Set(), Payment: new Set() },
    after: {
      Customer: [{ Id: '1' }, { Id: '11' }],
      Item: [{ Id: '21' }],
      Invoice: [
        { Id: '90', DocNumber: 'OLD-1' },
        { Id: '101', DocNumber: 'N-SI-1', CustomerRef: { value: '11' }, Line: [{ SalesItemLineDetail: { ItemRef: { value: '21' } } }] },
        { Id: '102', DocNumber: 'N-SI-2', CustomerRef: { value: '11' }, Line: [{ SalesItemLineDetail: { ItemRef: { value: '21' } } }] },
      ],
      CreditMemo: [{ Id: '201', DocNumber: 'N-SI-3', CustomerRef: { value: '11' }, Line: [] }],
      Payment: [
        { Id: '301', Line: [{ LinkedTxn: [{ TxnId: '101', TxnType: 'Invoice' }] }] },
        {
          Id: '302',
          Line: [{ LinkedTxn: [{ TxnId: '102', TxnType: 'Invoice' }] }, { LinkedTxn: [{ TxnId: '201', TxnType: 'CreditMemo' }] }],
        },
      ],
    },
  };
}

describe('the bench verification', () => {
  it('when every record is in QuickBooks once and Salesforce holds its id, then the export is verified', () => {
    const v = verifyExport(exportedBooks());

    expect(v).toMatchObject({
      expectedInvoices: 2,
      invoicesAdded: 2,
      expectedCreditMemos: 1,
      creditMemosAdded: 1,
      sharedInvoiceDocNumbers: 0,
      writeBacks: { wrong: 0 },
      payments: { expected: 1, added: 1, writtenBack: 1 },
      creditApplications: { expected: 1, applied: 1 },
      unclaimedRecords: 0,
      claimedTwice: 0,
    });
    // Three invoices, their customer, their product, a payment and a credit application.
    expect(v.writeBacks.checked).toBe(7);
    expect(isVerified(v)).toBe(true);
  });

  it('when Salesforce holds another invoice’s id, then the write-back is wrong and the export is not verified', () => {
    const books = exportedBooks();
    books.invoices[1]!.Financial_System_Invoice_Id__c = '101';

    const v = verifyExport(books);

    expect(v.writeBacks.wrong).toBeGreaterThan(0);
    expect(v.writeBacks.examples).toContain('Invoice SI-2');
    expect(isVerified(v)).toBe(false);
  });

  it('when a customer’s id is not the customer its invoice names, then the write-back is wrong', () => {
    const books = exportedBooks();
    books.customers[0]!.Financial_System_Customer_Id__c = '1';

    const v = verifyExport(books);

    expect(v.writeBacks.examples).toContain('Customer c1 of SI-1');
    expect(isVerified(v)).toBe(false);
  });

  it('when QuickBooks gained a customer no Salesforce record claims, then a record was made twice and the export is not verified', () => {
    const books = exportedBooks();
    books.after.Customer.push({ Id: '12' });

    const v = verifyExport(books);

    expect(v.unclaimedRecords).toBe(1);
    expect(v.writeBacks.wrong).toBe(0);
    expect(isVerified(v)).toBe(false);
  });

  it('when two payments hold the same QuickBooks payment id, then it is claimed twice', () => {
    const books = exportedBooks();
    books.payments.push({ Id: 'pay2', Name: 'PAY-2', Sales_Invoice__c: 'si1', Financial_System_Payment_Id__c: '301' });

    const v = verifyExport(books);

    expect(v.claimedTwice).toBe(1);
    expect(isVerified(v)).toBe(false);
  });

  it('when a payment links another invoice, then its write-back is wrong', () => {
    const books = exportedBooks();
    books.after.Payment[0]!.Line[0].LinkedTxn[0].TxnId = '102';

    const v = verifyExport(books);

    expect(v.writeBacks.examples).toContain('Payment PAY-1');
    expect(isVerified(v)).toBe(false);
  });

  it('when the credit memo was created but not applied, then the credit application is missing', () => {
    const books = exportedBooks();
    books.invoices[2]!.Financial_System_Application_Id__c = null;
    books.after.Payment.pop();

    const v = verifyExport(books);

    expect(v.creditApplications).toEqual({ expected: 1, applied: 0 });
    expect(isVerified(v)).toBe(false);
  });

  it('when a new invoice reuses a DocNumber QuickBooks holds, then it is counted as shared', () => {
    const books = exportedBooks();
    books.after.Invoice[2]!.DocNumber = 'OLD-1';

    const v = verifyExport(books);

    expect(v.sharedInvoiceDocNumbers).toBe(1);
    expect(isVerified(v)).toBe(false);
  });

  it('when the invoice whose DocNumber QuickBooks held is not exported, then it is not expected', () => {
    const books = exportedBooks();
    books.invoices.push({ Id: 'si4', Name: 'SI-4', Customer__c: 'c1', Total_Amount__c: 5, Financial_System_Invoice_Id__c: null });
    books.docNumberCollisionInvoiceId = 'si4';

    const v = verifyExport(books);

    expect(v.expectedInvoices).toBe(2);
    expect(isVerified(v)).toBe(true);
  });
});
