// The demo's QuickBooks Desktop company: a third ERP Company whose Accounting System is Desktop, its products,
// approved invoices, payments (one sale paid at the till becomes a sales receipt) and a credit memo applied to an
// invoice, and the QuickBooks Desktop company file its Web Connector reaches (accounts, charge and discount items, a
// vendor named like one of the customers — seed 003's case — and a customer QuickBooks already has). Added after
// the other two companies are generated, so their data and facts stay exactly as they were.
import type { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { KEY_PREFIXES, makeSalesforceId, type DemoObjectName } from './ids';
import type { DemoData, SalesforceRecord } from './types';

export const DESKTOP_COMPANY_NAME = 'Cedar Ridge Supply';

/** ListIDs in the Desktop company file the Company's settings point at. */
export const DESKTOP_LIST_IDS = {
  income: '80000004-1731312000',
  cogs: '80000005-1731312000',
  asset: '80000006-1731312000',
  freight: '80000007-1731312000',
  handling: '80000008-1731312000',
  packaging: '80000009-1731312000',
  discount: '8000000A-1731312000',
} as const;

export interface DesktopDemo {
  companyId: string;
  /** The approved Sales Invoices of invoice type (one of them is paid at the till: a sales receipt). */
  invoiceIds: string[];
  /** The credit memo (a Sales Invoice of credit type) and the invoice it applies to. */
  creditMemoId: string;
  creditedInvoiceId: string;
  /** The invoice paid in full on its invoice date (exported as a sales receipt). */
  receiptInvoiceId: string;
  /** Payments to export as payments (not the sales receipt's). */
  paymentIds: string[];
  /** The Salesforce customer whose name a QuickBooks Desktop vendor already uses. */
  vendorClashCustomerId: string;
  vendorClashName: string;
  /** The Salesforce customer QuickBooks Desktop already holds (matched by email). */
  knownCustomerId: string;
  knownCustomerEmail: string;
}

const PRODUCTS: { Name: string; SKU__c: string | null; Product_Type__c: string; Unit_Price__c: number; Description__c: string }[] = [
  { Name: 'Cedar Fence Board 6ft', SKU__c: 'CR-10021', Product_Type__c: 'Inventory', Unit_Price__c: 7.45, Description__c: 'Western red cedar, dog-ear top.' },
  { Name: 'Galvanized Post Anchor', SKU__c: 'CR-10344', Product_Type__c: 'Non-Inventory', Unit_Price__c: 12.9, Description__c: 'Hot-dip galvanized, 4x4.' },
  {
    Name: 'Deck Stain Clear Semi-Transparent 5 Gallon',
    SKU__c: 'CR-20410',
    Product_Type__c: 'Non-Inventory',
    Unit_Price__c: 189.0,
    Description__c: 'Name longer than QuickBooks Desktop allows for an item.',
  },
  { Name: 'Fence Installation (per hour)', SKU__c: null, Product_Type__c: 'Service', Unit_Price__c: 65.0, Description__c: 'Crew of two.' },
  { Name: 'Gate Hardware Kit', SKU__c: 'CR-30007', Product_Type__c: 'Non-Inventory', Unit_Price__c: 34.5, Description__c: 'Hinges, latch and screws.' },
];

/** Adds the Desktop company to a generated data set (a copy; the input is not changed). */
export function withDesktopCompany(data: DemoData, keyPrefixes: Partial<Record<DemoObjectName, string>> = {}): { data: DemoData; desktop: DesktopDemo } {
  const records = Object.fromEntries(Object.entries(data.salesforce.records).map(([k, v]) => [k, [...v]])) as Record<string, SalesforceRecord[]>;
  const prefixes = { ...KEY_PREFIXES, ...keyPrefixes };
  // Ids go on where the generator stopped, one sequence per object.
  const issued = new Map<DemoObjectName, number>();
  const nextId = (object: DemoObjectName) => {
    const n = (issued.get(object) ?? records[object]?.length ?? 0) + 1;
    issued.set(object, n);
    return makeSalesforceId(prefixes[object], n);
  };
  const company: SalesforceRecord = {
    Id: nextId('Company__c'),
    Name: DESKTOP_COMPANY_NAME,
    QuickBooks_Primary_Company__c: false,
    QuickBooks_Realm_Id__c: null,
    Accounting_System__c: 'Desktop',
    Invoice_Numbering__c: 'Salesforce Number',
    Invoice_Number_Prefix__c: null,
    Invoice_Number_Suffix__c: null,
    Export_Mode__c: 'Invoices and Payments When Paid',
    Sales_Receipts__c: true,
    Income_Account_Id__c: DESKTOP_LIST_IDS.income,
    Expense_Account_Id__c: DESKTOP_LIST_IDS.cogs,
    Asset_Account_Id__c: DESKTOP_LIST_IDS.asset,
    Freight_Item_Id__c: DESKTOP_LIST_IDS.freight,
    Handling_Item_Id__c: DESKTOP_LIST_IDS.handling,
    Packaging_Item_Id__c: DESKTOP_LIST_IDS.packaging,
    Discount_Account_Id__c: DESKTOP_LIST_IDS.discount,
    Currency_Code__c: 'USD',
    Vendor_Clash_Suffix__c: ' (C)',
  };
  records.Company__c!.push(company);
  const products = PRODUCTS.map((p) => {
    const record: SalesforceRecord = { Id: nextId('Product__c'), Company__c: company.Id, Financial_System_Product_Id__c: null, ...p };
    records.Product__c!.push(record);
    return record;
  });
  const customers = records
    .Customer__c!.filter((c) => typeof c.First_Name__c === 'string' && typeof c.Email__c === 'string' && !String(c.Name).includes(':'))
    .slice(0, 6);
  const invoiceIds: string[] = [];
  const lastNumber = Math.max(0, ...records.Sales_Invoice__c!.map((i) => Number(String(i.Name).replace(/\D/g, '')) || 0));
  for (let n = 0; n < 8; n++) {
    const id = nextId('Sales_Invoice__c');
    const customer = customers[n % customers.length]!;
    const picked = [products[n % products.length]!, products[(n + 2) % products.length]!];
    let cents = 0;
    const lines = picked.map((p, i) => {
      const quantity = 1 + ((n + i) % 4);
      cents += Math.round(quantity * Number(p.Unit_Price__c) * 100);
      return {
        Id: nextId('Sales_Invoice_Line__c'),
        Sales_Invoice__c: id,
        Product__c: p.Id,
        Line_Number__c: i + 1,
        Quantity__c: quantity,
        Unit_Price__c: p.Unit_Price__c,
        Description__c: p.Description__c,
        Taxable__c: i === 0,
      } as SalesforceRecord;
    });
    records.Sales_Invoice_Line__c!.push(...lines);
    const freight = n % 3 === 0 ? 25 : null;
    const discount = n === 4 ? 10 : null;
    cents += Math.round((freight ?? 0) * 100) - Math.round((discount ?? 0) * 100);
    records.Sales_Invoice__c!.push({
      Id: id,
      Name: `SI-${String(lastNumber + n + 1).padStart(6, '0')}`,
      Company__c: company.Id,
      Customer__c: customer.Id,
      Approved__c: true,
      Transferred__c: false,
      Export_Status__c: 'Not Exported',
      Invoice_Date__c: `2026-10-${String(10 + n).padStart(2, '0')}`,
      Due_Date__c: `2026-11-${String(10 + n).padStart(2, '0')}`,
      Terms__c: 'Net 30',
      Currency_Code__c: 'USD',
      Freight__c: freight,
      Handling__c: null,
      Packaging__c: null,
      Order_Discount__c: discount,
      Tax_Amount__c: null,
      Total_Amount__c: cents / 100,
      Memo__c: n === 1 ? 'Deliver to the side gate.' : null,
      PO_Number__c: null,
      Financial_System_Invoice_Id__c: null,
      Financial_System_Invoice_Number__c: null,
      Last_Export_Error__c: null,
    });
    invoiceIds.push(id);
  }
  // Payments: the first invoice paid in two parts, the fourth in part, and the last paid at the till on its day.
  const invoiceRows = records.Sales_Invoice__c!.filter((i) => invoiceIds.includes(String(i.Id)));
  const total = (i: SalesforceRecord) => Math.round(Number(i.Total_Amount__c) * 100);
  const paymentRows: SalesforceRecord[] = [];
  const pay = (invoice: SalesforceRecord, cents: number, day: string, paidAt: string | null, reference: string) => {
    const row: SalesforceRecord = {
      Id: nextId('Payment__c'),
      Name: `CR-PAY-${String(paymentRows.length + 1).padStart(3, '0')}`,
      Sales_Invoice__c: invoice.Id,
      Amount__c: cents / 100,
      Payment_Date__c: day,
      Paid_At__c: paidAt,
      Payment_Method__c: 'Check',
      Reference__c: reference,
      Financial_System_Payment_Id__c: null,
    };
    paymentRows.push(row);
    return row;
  };
  const [first, , , fourth] = invoiceRows;
  const last = invoiceRows[invoiceRows.length - 1]!;
  const half = Math.round(total(first!) / 2);
  const payments = [
    pay(first!, half, '2026-10-20', null, 'CHK-5101'),
    pay(first!, total(first!) - half, '2026-10-27', null, 'CHK-5102'),
    pay(fourth!, Math.round(total(fourth!) / 4), '2026-10-25', null, 'ACH-77120'),
  ];
  pay(last, total(last), String(last.Invoice_Date__c), `${String(last.Invoice_Date__c)}T16:05:00Z`, 'TILL-0008');
  first!.Status__c = 'Paid';
  fourth!.Status__c = 'Partially Paid';
  last.Status__c = 'Paid';
  records.Payment__c = [...(records.Payment__c ?? []), ...paymentRows];
  // A credit memo for part of the sixth invoice (unpaid), naming it.
  const credited = invoiceRows[5]!;
  const creditId = nextId('Sales_Invoice__c');
  const creditCents = Math.round(total(credited) / 5);
  records.Sales_Invoice__c!.push({
    ...credited,
    Id: creditId,
    Name: `SI-${String(lastNumber + invoiceIds.length + 1).padStart(6, '0')}`,
    Invoice_Type__c: 'Credit Memo',
    Applies_To_Invoice__c: credited.Id,
    Freight__c: null,
    Order_Discount__c: null,
    Total_Amount__c: creditCents / 100,
    Memo__c: `Credit for ${String(credited.Name)}: two boards returned split`,
    Status__c: 'Open',
  });
  const creditedLine = records.Sales_Invoice_Line__c!.find((l) => l.Sales_Invoice__c === credited.Id)!;
  records.Sales_Invoice_Line__c!.push({
    ...creditedLine,
    Id: nextId('Sales_Invoice_Line__c'),
    Sales_Invoice__c: creditId,
    Line_Number__c: 1,
    Quantity__c: 1,
    Unit_Price__c: creditCents / 100,
    Description__c: 'Returned goods',
  });
  const clash = customers[1]!;
  const known = customers[2]!;
  return {
    data: { ...data, salesforce: { records } },
    desktop: {
      companyId: company.Id,
      invoiceIds,
      creditMemoId: creditId,
      creditedInvoiceId: String(credited.Id),
      receiptInvoiceId: String(last.Id),
      paymentIds: payments.map((p) => String(p.Id)),
      vendorClashCustomerId: clash.Id,
      vendorClashName: String(clash.Name),
      knownCustomerId: known.Id,
      knownCustomerEmail: String(known.Email__c),
    },
  };
}

/** What the Desktop company file holds before the first export. */
export function seedDesktopCompanyFile(file: QuickBooksDesktopCompany, demo: DesktopDemo, knownCustomerName = 'Existing Desktop Customer'): void {
  for (const id of [DESKTOP_LIST_IDS.income, DESKTOP_LIST_IDS.cogs, DESKTOP_LIST_IDS.asset]) file.addAccount(id);
  file.addItem('ItemOtherCharge', { ListID: DESKTOP_LIST_IDS.freight, Name: 'Freight' });
  file.addItem('ItemOtherCharge', { ListID: DESKTOP_LIST_IDS.handling, Name: 'Handling' });
  file.addItem('ItemOtherCharge', { ListID: DESKTOP_LIST_IDS.packaging, Name: 'Packaging' });
  file.addItem('ItemDiscount', { ListID: DESKTOP_LIST_IDS.discount, Name: 'Order Discount' });
  file.addVendor(demo.vendorClashName);
  file.addCustomer({ Name: knownCustomerName, Email: demo.knownCustomerEmail });
}
