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
export const EXPORT_PAYMENTS = 'Invoices and Payments When Paid';
export const CREDIT_MEMO = 'Credit Memo';

export function statusFilter(c: Pick<Company, 'Invoice_Status_Filter__c'>): string[] {
  return (c.Invoice_Status_Filter__c ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

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
    customerMatch: c.Customer_Matching__c === MATCHING_NEVER_ACROSS_EMAILS ? 'sameEmailOnly' : 'cascade',
    exportsPayments: c.Export_Mode__c === EXPORT_PAYMENTS,
    salesReceipts: c.Sales_Receipts__c,
    timeZone: c.Time_Zone__c?.trim() || 'UTC',
    depositAccount: c.Deposit_Account_Id__c,
    paymentMethod: c.Payment_Method_Id__c,
    statusFilter: statusFilter(c),
    unknownProducts: c.Unknown_Products__c === 'Use the fallback item' ? 'fallback' : 'fail',
    fallbackItem: c.Fallback_Item_Id__c,
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

export function toCustomer(c: Customer): SourceCustomer {
  return {
    id: c.Id,
    name: c.Name,
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
  };
}

export function toProduct(p: Product): SourceProduct {
  return { id: p.Id, name: p.Name, sku: p.SKU__c, description: p.Description__c, unitPrice: p.Unit_Price__c, type: p.Product_Type__c };
}

export function toInvoice(i: Invoice, company: CustomerIdSlot): SourceInvoice {
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
  };
}
