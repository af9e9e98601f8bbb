// Zod schemas for the Salesforce records the service reads: the boundary where org data becomes typed.
import { z } from 'zod';

/**
 * The schemas below are built from a few field kinds, each with a plain reader that gives what the kind's schema
 * gives for the values Salesforce sends (or FAIL); a record schema built only of them gets a compiled reader too.
 * `parseRecord` reads with it and runs zod only for a record it fails on, for zod's error (or zod's answer where
 * zod is more lenient): zod's per-field pipes cost ~0.3 ms an invoice with its lines, the plain reader a fraction.
 */
const FAIL: unique symbol = Symbol('needs the schema');
type Reader = (value: unknown) => unknown;
const readers = new WeakMap<object, Reader>();

function withReader<S extends object>(schema: S, read: Reader | undefined): S {
  if (read) readers.set(schema, read);
  return schema;
}

/** A record's fields read in the schema's order, unknown ones left out (as z.object does); undefined when a field has no reader. */
function shapeReader(shape: z.ZodRawShape): Reader | undefined {
  const fields: [string, Reader][] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const read = readers.get(schema);
    if (!read) return undefined;
    fields.push([key, read]);
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return FAIL;
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, read] of fields) {
      const v = read(input[key]);
      if (v === FAIL) return FAIL;
      out[key] = v;
    }
    return out;
  };
}

/** `z.object(shape)`, with a compiled reader when every field has one. */
function record<T extends z.ZodRawShape>(shape: T) {
  return withReader(z.object(shape), shapeReader(shape));
}

/** A relationship field (`Customer__r`): the record, or null when blank. */
function related<T extends z.ZodRawShape>(shape: T) {
  const read = shapeReader(shape);
  return withReader(
    z
      .object(shape)
      .nullish()
      .transform((v) => v ?? null),
    read && ((v) => (v === null || v === undefined ? null : read(v))),
  );
}

/** Reads `value` as `schema` does; zod itself runs only where the compiled reader cannot tell (and for its error). */
export function parseRecord<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const read = readers.get(schema);
  if (read) {
    const out = read(value);
    if (out !== FAIL) return out as z.infer<S>;
  }
  return schema.parse(value);
}

/** A required text field. */
const str = withReader(z.string(), (v) => (typeof v === 'string' ? v : FAIL));
/** A text field: null when blank in the answer. */
export const text = withReader(
  z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : FAIL),
);
/** A number field: null when blank or not a number. */
export const num = withReader(
  z.coerce
    .number()
    .nullish()
    .transform((v) => (v === undefined || v === null || Number.isNaN(v) ? null : v)),
  (v) => {
    if (v === null || v === undefined) return null;
    // What z.coerce.number() does (Number(v)), for the types JSON has; NaN and ±Infinity are the schema's to refuse.
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') return FAIL;
    const n = Number(v);
    return Number.isFinite(n) ? n : FAIL;
  },
);
const bool = withReader(
  z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  (v) => (v === null || v === undefined ? false : typeof v === 'boolean' ? v : FAIL),
);

export const CompanySchema = record({
  Id: str,
  Name: str,
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

export const CustomerSchema = record({
  Id: str,
  Name: str,
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

export const ProductSchema = record({
  Id: str,
  Name: str,
  Company__c: text,
  SKU__c: text,
  Description__c: text,
  Unit_Price__c: num,
  Product_Type__c: text,
  Financial_System_Product_Id__c: text,
});
export type Product = z.infer<typeof ProductSchema>;

export const InvoiceLineSchema = record({
  Id: str,
  Product__c: text,
  Product__r: related({ Name: text, Financial_System_Product_Id__c: text, Tax_Code__c: text }),
  Line_Number__c: num,
  Quantity__c: num,
  Unit_Price__c: num,
  Description__c: text,
  Taxable__c: bool,
  Class__c: text,
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

/** A child subquery's records (none when blank). */
const ChildRecords = <T extends z.ZodTypeAny>(schema: T) => {
  const item = readers.get(schema);
  return withReader(
    z
      .object({ records: z.array(schema) })
      .nullish()
      .transform((v) => v?.records ?? []),
    item &&
      ((v) => {
        if (v === null || v === undefined) return [];
        if (typeof v !== 'object' || Array.isArray(v)) return FAIL;
        const records = (v as { records?: unknown }).records;
        if (!Array.isArray(records)) return FAIL;
        const out = new Array<unknown>(records.length);
        for (let i = 0; i < records.length; i++) {
          const r = item(records[i]);
          if (r === FAIL) return FAIL;
          out[i] = r;
        }
        return out;
      }),
  );
};

/** A child subquery's result as the org returns it: a large one comes in pages of its own. */
export const ChildPageSchema = z
  .object({ done: z.boolean().optional(), nextRecordsUrl: z.string().nullish(), records: z.array(z.record(z.string(), z.unknown())) })
  .nullish();

export const PaymentSchema = record({
  Id: str,
  Name: str,
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
export const PaymentToExportSchema = record({
  ...PaymentSchema.shape,
  Sales_Invoice__r: related({
    Name: text,
    Financial_System_Invoice_Id__c: text,
    Currency_Code__c: text,
    Customer__c: text,
    Customer__r: related({ Name: text, Financial_System_Customer_Id__c: text, Secondary_Customer_Id__c: text }),
  }),
});
export type PaymentToExport = z.infer<typeof PaymentToExportSchema>;

/** A credit memo already in QuickBooks that names the invoice it applies to. */
export const CreditApplicationSchema = record({
  Id: str,
  Name: str,
  Total_Amount__c: num,
  Currency_Code__c: text,
  Customer__c: text,
  Financial_System_Invoice_Id__c: text,
  Applies_To_Invoice__c: text,
  Customer__r: related({ Financial_System_Customer_Id__c: text, Secondary_Customer_Id__c: text }),
  Applies_To_Invoice__r: related({ Name: text, Customer__c: text, Financial_System_Invoice_Id__c: text, Transferred__c: bool }),
});
export type CreditApplication = z.infer<typeof CreditApplicationSchema>;

export const InvoiceSchema = record({
  Id: str,
  Name: str,
  Company__c: text,
  Customer__c: text,
  Customer__r: related({
    Name: text,
    Financial_System_Customer_Id__c: text,
    Secondary_Customer_Id__c: text,
    Tax_Code__c: text,
    Billing_Street__c: text,
    Billing_City__c: text,
    Billing_State__c: text,
    Billing_Postal_Code__c: text,
    Billing_Country__c: text,
  }),
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
