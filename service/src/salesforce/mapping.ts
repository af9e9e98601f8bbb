// The org's records in the export's own terms: the one place that knows which field holds what.
import type { CompanyModel, SourceCustomer, SourceInvoice, SourceProduct } from '../export/model';
import type { SourceCreditApplication, SourcePayment } from '../export/model';
import {
  ownCustomerIdField,
  sharesCustomerIdField,
  type Company,
  type CustomerIdSlot,
  type CreditApplication,
  type Customer,
  type Invoice,
  type PaymentToExport,
  type Product,
} from './records';

export const MATCHING_NEVER_ACROSS_EMAILS = 'Never match across different emails';
/** Company__c.Exported_Invoice_Changes__c: an exported invoice changed in Salesforce is sent to QuickBooks again. */
export const EXPORTED_CHANGES_UPDATE = 'Update QuickBooks';
/** The Company's Customer Export value that keeps sending every customer without its id, invoiced or not. */
export const EVERY_CUSTOMER_WITHOUT_ID = "Every customer without this company's id";
export const EXPORT_PAYMENTS = 'Invoices and Payments When Paid';
export const CREDIT_MEMO = 'Credit Memo';

export function statusFilter(c: Pick<Company, 'Invoice_Status_Filter__c'>): string[] {
  return (c.Invoice_Status_Filter__c ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Process Logs are kept this long when the Company does not say (as NebulaLogger's default retention). */
export const DEFAULT_LOG_RETENTION_DAYS = 180;

/** `all`: every company in the org, to tell whether another one's QuickBooks file shares this one's customer id field. */
export function toCompany(c: Company, all: Company[] = [c]): CompanyModel {
  return {
    id: c.Id,
    name: c.Name,
    primary: c.QuickBooks_Primary_Company__c,
    customerIdsShared: sharesCustomerIdField(c, all),
    realmId: c.QuickBooks_Realm_Id__c,
    accountingSystem: c.Accounting_System__c === 'Desktop' ? 'Desktop' : 'Online',
    numbering: c.Invoice_Numbering__c === 'QuickBooks Next Number' ? 'target' : 'source',
    numberPrefix: c.Invoice_Number_Prefix__c ?? '',
    numberSuffix: c.Invoice_Number_Suffix__c ?? '',
    exportMode: c.Export_Mode__c,
    accounts: { income: c.Income_Account_Id__c, expense: c.Expense_Account_Id__c, asset: c.Asset_Account_Id__c, discount: c.Discount_Account_Id__c },
    chargeItems: { freight: c.Freight_Item_Id__c, handling: c.Handling_Item_Id__c, packaging: c.Packaging_Item_Id__c },
    currency: c.Currency_Code__c,
    clashSuffix: c.Vendor_Clash_Suffix__c,
    customerScope: c.Customer_Export__c === EVERY_CUSTOMER_WITHOUT_ID ? 'all' : 'invoiced',
    customerMatch: c.Customer_Matching__c === MATCHING_NEVER_ACROSS_EMAILS ? 'sameEmailOnly' : 'cascade',
    exportedChanges: c.Exported_Invoice_Changes__c === EXPORTED_CHANGES_UPDATE ? 'update' : 'warn',
    exportsPayments: c.Export_Mode__c === EXPORT_PAYMENTS,
    salesReceipts: c.Sales_Receipts__c,
    timeZone: c.Time_Zone__c?.trim() || 'UTC',
    depositAccount: c.Deposit_Account_Id__c,
    paymentMethod: c.Payment_Method_Id__c,
    statusFilter: statusFilter(c),
    unknownProducts: c.Unknown_Products__c === 'Use the fallback item' ? 'fallback' : 'fail',
    fallbackItem: c.Fallback_Item_Id__c,
    logRetentionDays: c.Log_Retention_Days__c && c.Log_Retention_Days__c > 0 ? Math.round(c.Log_Retention_Days__c) : DEFAULT_LOG_RETENTION_DAYS,
    logSuccesses: c.Log_Successes__c === 'One summary entry per batch' ? 'perBatch' : 'every',
    customerPerCurrency: c.Customer_Per_Currency__c,
    salesTaxOverride: c.Sales_Tax_Override__c,
    createClassesAndLocations: c.Create_Classes_And_Locations__c,
    taxCodes: { mapping: c.Tax_Code_Mapping__c, defaultCode: c.Default_Tax_Code__c, nonTaxableCode: c.Non_Taxable_Tax_Code__c },
  };
}

/** The customer's QuickBooks id for this company, when the field it is read from is this company's own. */
function linkedCustomerId(
  customer: Partial<Record<'Financial_System_Customer_Id__c' | 'Secondary_Customer_Id__c', string | null>> | null | undefined,
  company: CustomerIdSlot,
): string | null {
  const field = ownCustomerIdField(company);
  return field ? (customer?.[field] ?? null) : null;
}

/**
 * A record's Name as the user gave it: Salesforce fills a Name left blank with the record's id, which is no name
 * QuickBooks should show.
 */
function givenName(record: { Id: string; Name: string }): string {
  const name = record.Name.trim();
  return name === record.Id || (name.length === 15 && record.Id.startsWith(name)) ? '' : record.Name;
}

export function toCustomer(c: Customer, company: CustomerIdSlot): SourceCustomer {
  return {
    targetId: linkedCustomerId(c, company),
    id: c.Id,
    name: givenName(c),
    firstName: c.First_Name__c,
    lastName: c.Last_Name__c,
    companyName: c.Company_Name__c,
    email: c.Email__c,
    phone: c.Phone__c,
    billing: {
      street: c.Billing_Street__c,
      city: c.Billing_City__c,
      state: c.Billing_State__c,
      postalCode: c.Billing_Postal_Code__c,
      country: c.Billing_Country__c,
    },
    currency: c.Currency_Code__c,
  };
}

export function toProduct(p: Product): SourceProduct {
  return {
    id: p.Id,
    name: p.Name,
    sku: p.SKU__c,
    description: p.Description__c,
    unitPrice: p.Unit_Price__c,
    type: p.Product_Type__c,
    targetId: p.Financial_System_Product_Id__c,
  };
}

/** The invoice's ship-to address: its own when it has one, else the customer's billing address. */
function shipTo(i: Invoice): SourceInvoice['shipTo'] {
  const own = [i.Ship_To_Street__c, i.Ship_To_City__c, i.Ship_To_State__c, i.Ship_To_Postal_Code__c, i.Ship_To_Country__c];
  if (own.some(Boolean)) {
    return {
      street: i.Ship_To_Street__c,
      city: i.Ship_To_City__c,
      state: i.Ship_To_State__c,
      postalCode: i.Ship_To_Postal_Code__c,
      country: i.Ship_To_Country__c,
    };
  }
  const c = i.Customer__r;
  if (!c || ![c.Billing_Street__c, c.Billing_City__c, c.Billing_State__c, c.Billing_Postal_Code__c].some(Boolean)) return null;
  return {
    street: c.Billing_Street__c,
    city: c.Billing_City__c,
    state: c.Billing_State__c,
    postalCode: c.Billing_Postal_Code__c,
    country: c.Billing_Country__c,
  };
}

export function toInvoice(i: Invoice & { mapped?: Record<string, unknown> }, company: CustomerIdSlot): SourceInvoice {
  return {
    id: i.Id,
    number: i.Name,
    customerId: i.Customer__c,
    customerName: i.Customer__r?.Name ?? null,
    customerTargetId: linkedCustomerId(i.Customer__r, company),
    date: i.Invoice_Date__c,
    dueDate: i.Due_Date__c,
    currency: i.Currency_Code__c,
    charges: { freight: i.Freight__c, handling: i.Handling__c, packaging: i.Packaging__c },
    discount: i.Order_Discount__c,
    tax: i.Tax_Amount__c,
    total: i.Total_Amount__c,
    memo: i.Memo__c,
    exportStatus: i.Export_Status__c,
    credit: i.Invoice_Type__c === CREDIT_MEMO || (i.Total_Amount__c ?? 0) < 0,
    payments: i.Payments__r.map((p) => ({ id: p.Id, amount: p.Amount__c, date: p.Payment_Date__c, paidAt: p.Paid_At__c, reference: p.Reference__c })),
    customerTaxCode: i.Customer__r?.Tax_Code__c ?? null,
    className: i.Class__c,
    location: i.Location__c,
    shipTo: shipTo(i),
    ...(i.mapped ? { mapped: i.mapped } : {}),
    lines: i.Sales_Invoice_Lines__r.map((l) => ({
      id: l.Id,
      productId: l.Product__c,
      productName: l.Product__r?.Name ?? null,
      productTargetId: l.Product__r?.Financial_System_Product_Id__c ?? null,
      lineNumber: l.Line_Number__c,
      quantity: l.Quantity__c,
      unitPrice: l.Unit_Price__c,
      description: l.Description__c,
      taxable: l.Taxable__c,
      productTaxCode: l.Product__r?.Tax_Code__c ?? null,
      className: l.Class__c,
    })),
  };
}

export function toPayment(p: PaymentToExport, company: CustomerIdSlot): SourcePayment {
  const inv = p.Sales_Invoice__r;
  return {
    id: p.Id,
    name: p.Name,
    invoiceId: p.Sales_Invoice__c ?? '',
    invoiceNumber: inv?.Name ?? p.Sales_Invoice__c ?? '',
    invoiceTargetId: inv?.Financial_System_Invoice_Id__c ?? null,
    customerId: inv?.Customer__c ?? null,
    customerTargetId: linkedCustomerId(inv?.Customer__r, company),
    amount: p.Amount__c,
    date: p.Payment_Date__c,
    paidAt: p.Paid_At__c,
    method: p.Payment_Method__c,
    reference: p.Reference__c,
    currency: inv?.Currency_Code__c ?? null,
  };
}

export function toCreditApplication(c: CreditApplication, company: CustomerIdSlot): SourceCreditApplication {
  return {
    id: c.Id,
    number: c.Name,
    creditTargetId: c.Financial_System_Invoice_Id__c,
    customerId: c.Customer__c,
    customerTargetId: linkedCustomerId(c.Customer__r, company),
    total: c.Total_Amount__c,
    invoiceId: c.Applies_To_Invoice__c ?? '',
    invoiceNumber: c.Applies_To_Invoice__r?.Name ?? c.Applies_To_Invoice__c ?? '',
    invoiceCustomerId: c.Applies_To_Invoice__r?.Customer__c ?? null,
    invoiceTargetId: c.Applies_To_Invoice__r?.Financial_System_Invoice_Id__c ?? null,
    currency: c.Currency_Code__c,
  };
}
