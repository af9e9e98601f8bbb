// Zod schemas for the Salesforce records the service reads: the boundary where org data becomes typed.
import { z } from 'zod';

/** A text field: null when blank in the answer. */
export const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
/** A number field: null when blank or not a number. */
export const num = z.coerce
  .number()
  .nullish()
  .transform((v) => (v === undefined || v === null || Number.isNaN(v) ? null : v));
const bool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);

export const CompanySchema = z.object({
  Id: z.string(),
  Name: z.string(),
  /** Which of several companies sharing a customer id field came first (and so keeps it). */
  CreatedDate: text,
  QuickBooks_Primary_Company__c: bool,
  QuickBooks_Realm_Id__c: text,
  Accounting_System__c: text,
  Invoice_Numbering__c: text,
  Invoice_Number_Prefix__c: text,
  Invoice_Number_Suffix__c: text,
  Export_Mode__c: text,
  Income_Account_Id__c: text,
  Expense_Account_Id__c: text,
  Asset_Account_Id__c: text,
  Freight_Item_Id__c: text,
  Handling_Item_Id__c: text,
  Packaging_Item_Id__c: text,
  Discount_Account_Id__c: text,
  Currency_Code__c: text,
  Vendor_Clash_Suffix__c: text,
  Customer_Matching__c: text,
  Exported_Invoice_Changes__c: text,
  Customer_Export__c: text,
  Time_Zone__c: text,
  Deposit_Account_Id__c: text,
  Payment_Method_Id__c: text,
  Fallback_Item_Id__c: text,
  Invoice_Status_Filter__c: text,
  Sales_Receipts__c: bool,
  Unknown_Products__c: text,
  Log_Retention_Days__c: num,
  Log_Successes__c: text,
  Customer_Per_Currency__c: bool,
  Sales_Tax_Override__c: bool,
  Create_Classes_And_Locations__c: bool,
  Tax_Code_Mapping__c: text,
  Default_Tax_Code__c: text,
  Non_Taxable_Tax_Code__c: text,
});
export type Company = z.infer<typeof CompanySchema>;

export const CustomerSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  First_Name__c: text,
  Last_Name__c: text,
  Company_Name__c: text,
  Email__c: text,
  Phone__c: text,
  Billing_Street__c: text,
  Billing_City__c: text,
  Billing_State__c: text,
  Billing_Postal_Code__c: text,
  Billing_Country__c: text,
  Financial_System_Customer_Id__c: text,
  Secondary_Customer_Id__c: text,
  Currency_Code__c: text,
  Tax_Code__c: text,
});
export type Customer = z.infer<typeof CustomerSchema>;

export const ProductSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Company__c: text,
  SKU__c: text,
  Description__c: text,
  Unit_Price__c: num,
  Product_Type__c: text,
  Financial_System_Product_Id__c: text,
});
export type Product = z.infer<typeof ProductSchema>;

export const InvoiceLineSchema = z.object({
  Id: z.string(),
  Product__c: text,
  Product__r: z
    .object({ Name: text, Financial_System_Product_Id__c: text, Tax_Code__c: text })
    .nullish()
    .transform((v) => v ?? null),
  Line_Number__c: num,
  Quantity__c: num,
  Unit_Price__c: num,
  Description__c: text,
  Taxable__c: bool,
  Class__c: text,
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

const ChildRecords = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .object({ records: z.array(schema) })
    .nullish()
    .transform((v) => v?.records ?? []);

/** A child subquery's result as the org returns it: a large one comes in pages of its own. */
export const ChildPageSchema = z
  .object({ done: z.boolean().optional(), nextRecordsUrl: z.string().nullish(), records: z.array(z.record(z.string(), z.unknown())) })
  .nullish();

export const PaymentSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Sales_Invoice__c: text,
  Amount__c: num,
  Payment_Date__c: text,
  Paid_At__c: text,
  Payment_Method__c: text,
  Reference__c: text,
  Financial_System_Payment_Id__c: text,
});
export type Payment = z.infer<typeof PaymentSchema>;

/** A payment with the invoice (and its customer) it pays, as the payment export reads it. */
export const PaymentToExportSchema = PaymentSchema.extend({
  Sales_Invoice__r: z
    .object({
      Name: text,
      Financial_System_Invoice_Id__c: text,
      Currency_Code__c: text,
      Customer__c: text,
      Customer__r: z
        .object({ Name: text, Financial_System_Customer_Id__c: text, Secondary_Customer_Id__c: text })
        .nullish()
        .transform((v) => v ?? null),
    })
    .nullish()
    .transform((v) => v ?? null),
});
export type PaymentToExport = z.infer<typeof PaymentToExportSchema>;

/** A credit memo already in QuickBooks that names the invoice it applies to. */
export const CreditApplicationSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Total_Amount__c: num,
  Currency_Code__c: text,
  Customer__c: text,
  Financial_System_Invoice_Id__c: text,
  Applies_To_Invoice__c: text,
  Customer__r: z
    .object({ Financial_System_Customer_Id__c: text, Secondary_Customer_Id__c: text })
    .nullish()
    .transform((v) => v ?? null),
  Applies_To_Invoice__r: z
    .object({ Name: text, Customer__c: text, Financial_System_Invoice_Id__c: text, Transferred__c: bool })
    .nullish()
    .transform((v) => v ?? null),
});
export type CreditApplication = z.infer<typeof CreditApplicationSchema>;

export const InvoiceSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Company__c: text,
  Customer__c: text,
  Customer__r: z
    .object({
      Name: text,
      Financial_System_Customer_Id__c: text,
      Secondary_Customer_Id__c: text,
      Tax_Code__c: text,
      Billing_Street__c: text,
      Billing_City__c: text,
      Billing_State__c: text,
      Billing_Postal_Code__c: text,
      Billing_Country__c: text,
    })
    .nullish()
    .transform((v) => v ?? null),
  Approved__c: bool,
  Transferred__c: bool,
  Invoice_Date__c: text,
  Due_Date__c: text,
  Terms__c: text,
  PO_Number__c: text,
  Currency_Code__c: text,
  Freight__c: num,
  Handling__c: num,
  Packaging__c: num,
  Order_Discount__c: num,
  Tax_Amount__c: num,
  Total_Amount__c: num,
  Memo__c: text,
  Financial_System_Invoice_Id__c: text,
  Export_Status__c: text,
  Invoice_Type__c: text,
  Status__c: text,
  Applies_To_Invoice__c: text,
  Class__c: text,
  Location__c: text,
  Ship_To_Street__c: text,
  Ship_To_City__c: text,
  Ship_To_State__c: text,
  Ship_To_Postal_Code__c: text,
  Ship_To_Country__c: text,
  Sales_Invoice_Lines__r: ChildRecords(InvoiceLineSchema),
  Payments__r: ChildRecords(PaymentSchema),
});
export type Invoice = z.infer<typeof InvoiceSchema>;

/** A Ledgerline_Field_Mapping__mdt record: a field an admin maps without code. */
export const FieldMappingSchema = z.object({
  DeveloperName: z.string(),
  Object__c: text,
  Salesforce_Field__c: text,
  QuickBooks_Field__c: text,
  Company__c: text,
});
export type FieldMappingRecord = z.infer<typeof FieldMappingSchema>;

/** One dated exchange rate of the org (units of IsoCode for one unit of the corporate currency from StartDate on). */
export const DatedRateSchema = z.object({ IsoCode: z.string(), ConversionRate: z.coerce.number(), StartDate: z.string() });

export const ProcessLogSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Run_Id__c: text,
  Status__c: text,
  Start_Time__c: text,
  End_Time__c: text,
  Dry_Run__c: bool,
  Created_Count__c: num,
  Matched_Count__c: num,
  Renamed_Count__c: num,
  Skipped_Count__c: num,
  Warning_Count__c: num,
  Error_Count__c: num,
  Summary__c: text,
  Process_Log_Entries__r: ChildRecords(
    z.object({
      Id: z.string(),
      Level__c: text,
      Outcome__c: text,
      Record_Type__c: text,
      Record_Id__c: text,
      Record_Name__c: text,
      Message__c: text,
      Fix__c: text,
      QuickBooks_Id__c: text,
      Intuit_Tid__c: text,
      Retried_In__c: text,
      Retry_Outcome__c: text,
    }),
  ),
});
export type ProcessLog = z.infer<typeof ProcessLogSchema>;

/** A company as far as its customers' QuickBooks ids go: which field it uses, and whether that field is its alone. */
export type CustomerIdSlot = Pick<Company, 'QuickBooks_Primary_Company__c'> & { customerIdsShared?: boolean };

/** The field a company's customers carry their QuickBooks id in (seed 004). */
export function customerIdField(company: CustomerIdSlot): 'Financial_System_Customer_Id__c' | 'Secondary_Customer_Id__c' {
  return company.QuickBooks_Primary_Company__c ? 'Financial_System_Customer_Id__c' : 'Secondary_Customer_Id__c';
}

/**
 * The field that holds this company's own customer ids, or null when an earlier company with another QuickBooks file
 * keeps its ids there: a customer has one primary and one secondary id, so the value there is the other file's
 * ("58" there is some other customer here, or none).
 */
export function ownCustomerIdField(company: CustomerIdSlot): ReturnType<typeof customerIdField> | null {
  return company.customerIdsShared ? null : customerIdField(company);
}

/**
 * Whether this company's customer id field belongs to another company: one that exports to another QuickBooks file,
 * uses the same field, and was created earlier. The first company keeps the field (as before any other shared it);
 * the later ones keep their customers' links in Ledgerline's own journal.
 */
export function sharesCustomerIdField(company: Company, all: Company[]): boolean {
  // A Desktop company is its own company file; an Online one is its realm (unknown until connected: its own).
  const file = (c: Company) => (c.Accounting_System__c === 'Desktop' || !c.QuickBooks_Realm_Id__c ? `company:${c.Id}` : `realm:${c.QuickBooks_Realm_Id__c}`);
  const earlier = (o: Company) => {
    const [a, b] = [Date.parse(o.CreatedDate ?? ''), Date.parse(company.CreatedDate ?? '')];
    return a !== b && Number.isFinite(a) && Number.isFinite(b) ? a < b : o.Id < company.Id;
  };
  return all.some(
    (o) => o.Id !== company.Id && o.QuickBooks_Primary_Company__c === company.QuickBooks_Primary_Company__c && file(o) !== file(company) && earlier(o),
  );
}

export function fieldList(schema: z.ZodObject<any>, skip: string[] = []): string[] {
  return Object.keys(schema.shape).filter((k) => !skip.includes(k) && !k.endsWith('__r'));
}
