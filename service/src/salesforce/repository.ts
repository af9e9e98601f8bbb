// The service's only door to the org: counts, paged reads and bulk writes over jsforce.
// Reads come a page (up to 2,000 records) at a time; writes go 200 records a composite call, mixed types allowed.
import type { Connection } from 'jsforce';
import type { z } from 'zod';
import {
  CompanySchema,
  CustomerSchema,
  InvoiceLineSchema,
  InvoiceSchema,
  ProcessLogSchema,
  ProductSchema,
  customerIdField,
  fieldList,
  type Company,
  type Customer,
  type Invoice,
  type ProcessLog,
  type Product,
} from './records';

export const COMPOSITE_LIMIT = 200;

export interface SalesforceCallCounts {
  query: number;
  queryMore: number;
  composite: number;
  sobject: number;
}

export interface WriteRecord {
  type: string;
  Id?: string;
  [field: string]: unknown;
}

export interface WriteResult {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

export interface InvoiceFilter {
  invoiceNumbers?: string[];
  fromDate?: string;
  toDate?: string;
}

/** Quotes a value as a SOQL string literal. */
export function soqlQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const INVOICE_FIELDS = [
  ...fieldList(InvoiceSchema),
  'Customer__r.Name',
  'Customer__r.Financial_System_Customer_Id__c',
  'Customer__r.Secondary_Customer_Id__c',
];
const LINE_FIELDS = [...fieldList(InvoiceLineSchema), 'Product__r.Name', 'Product__r.Financial_System_Product_Id__c'];

export class SalesforceRepository {
  readonly calls: SalesforceCallCounts = { query: 0, queryMore: 0, composite: 0, sobject: 0 };

  constructor(private readonly conn: Connection) {}

  async listCompanies(): Promise<Company[]> {
    return this.all(`SELECT ${fieldList(CompanySchema).join(', ')} FROM Company__c ORDER BY Name`, CompanySchema);
  }

  /** A company by Id or by exact Name. */
  async findCompany(idOrName: string): Promise<Company | null> {
    const where = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(idOrName)
      ? `Id = ${soqlQuote(idOrName)} OR Name = ${soqlQuote(idOrName)}`
      : `Name = ${soqlQuote(idOrName)}`;
    const rows = await this.all(`SELECT ${fieldList(CompanySchema).join(', ')} FROM Company__c WHERE ${where} LIMIT 1`, CompanySchema);
    return rows[0] ?? null;
  }

  /** Product / Customer / Invoice Export Qty, exactly as the Sales Invoice Export page defines them. */
  async exportCounts(company: Company): Promise<{ products: number; customers: number; invoices: number }> {
    const [products, customers, invoices] = await Promise.all([
      this.count(`SELECT COUNT() FROM Product__c WHERE ${this.productsWhere(company)}`),
      this.count(`SELECT COUNT() FROM Customer__c WHERE ${this.customersWhere(company)}`),
      this.count(`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})}`),
    ]);
    return { products, customers, invoices };
  }

  customersToExport(company: Company): AsyncGenerator<Customer[]> {
    return this.pages(`SELECT ${fieldList(CustomerSchema).join(', ')} FROM Customer__c WHERE ${this.customersWhere(company)} ORDER BY Id`, CustomerSchema);
  }

  productsToExport(company: Company): AsyncGenerator<Product[]> {
    return this.pages(`SELECT ${fieldList(ProductSchema).join(', ')} FROM Product__c WHERE ${this.productsWhere(company)} ORDER BY Id`, ProductSchema);
  }

  invoicesToExport(company: Company, filter: InvoiceFilter): AsyncGenerator<Invoice[]> {
    const soql =
      `SELECT ${INVOICE_FIELDS.join(', ')}, ` +
      `(SELECT ${LINE_FIELDS.join(', ')} FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) ` +
      `FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, filter)} ORDER BY Name`;
    return this.pages(soql, InvoiceSchema);
  }

  async countInvoices(company: Company, filter: InvoiceFilter): Promise<number> {
    return this.count(`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, filter)}`);
  }

  async processLogs(companyId: string, limit: number): Promise<ProcessLog[]> {
    const soql =
      `SELECT ${fieldList(ProcessLogSchema).join(', ')}, ` +
      `(SELECT Id, Level__c, Outcome__c, Record_Type__c, Record_Id__c, Record_Name__c, Message__c, Fix__c, QuickBooks_Id__c, Intuit_Tid__c ` +
      `FROM Process_Log_Entries__r ORDER BY Name) ` +
      `FROM Process_Log__c WHERE Company__c = ${soqlQuote(companyId)} ORDER BY Start_Time__c DESC LIMIT ${Math.max(1, Math.min(limit, 50))}`;
    return this.all(soql, ProcessLogSchema);
  }

  async createOne(type: string, fields: Record<string, unknown>): Promise<string> {
    this.calls.sobject++;
    const result = (await this.conn.sobject(type).create(fields)) as { id?: string; success: boolean; errors: unknown[] };
    if (!result.success || !result.id) throw new Error(`Salesforce refused to create ${type}: ${JSON.stringify(result.errors)}`);
    return result.id;
  }

  async updateOne(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
    this.calls.sobject++;
    const result = (await this.conn.sobject(type).update({ Id: id, ...fields })) as { success: boolean; errors: unknown[] };
    if (!result.success) throw new Error(`Salesforce refused to update ${type} ${id}: ${JSON.stringify(result.errors)}`);
  }

  /** Updates records of any types, 200 a call, allOrNone false: one bad record never blocks the others. */
  update(records: WriteRecord[]): Promise<WriteResult[]> {
    return this.composite('PATCH', records);
  }

  create(records: WriteRecord[]): Promise<WriteResult[]> {
    return this.composite('POST', records);
  }

  private async composite(method: 'PATCH' | 'POST', records: WriteRecord[]): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    for (let i = 0; i < records.length; i += COMPOSITE_LIMIT) {
      const chunk = records.slice(i, i + COMPOSITE_LIMIT).map(({ type, ...fields }) => ({ attributes: { type }, ...fields }));
      this.calls.composite++;
      const answer = await this.conn.request<WriteResult[]>({
        method,
        url: `/services/data/v${this.conn.version}/composite/sobjects`,
        body: JSON.stringify({ allOrNone: false, records: chunk }),
        headers: { 'Content-Type': 'application/json' },
      });
      results.push(...answer);
    }
    return results;
  }

  private customersWhere(company: Company): string {
    return `${customerIdField(company)} = null`;
  }

  private productsWhere(company: Company): string {
    return `Company__c = ${soqlQuote(company.Id)} AND Financial_System_Product_Id__c = null`;
  }

  private invoicesWhere(company: Company, filter: InvoiceFilter): string {
    const parts = [`Company__c = ${soqlQuote(company.Id)}`, 'Approved__c = true', 'Transferred__c = false'];
    if (filter.invoiceNumbers?.length) parts.push(`Name IN (${filter.invoiceNumbers.map(soqlQuote).join(', ')})`);
    if (filter.fromDate) parts.push(`Invoice_Date__c >= ${filter.fromDate}`);
    if (filter.toDate) parts.push(`Invoice_Date__c <= ${filter.toDate}`);
    return parts.join(' AND ');
  }

  private async count(soql: string): Promise<number> {
    this.calls.query++;
    const result = await this.conn.query(soql, { autoFetch: false });
    return result.totalSize;
  }

  private async all<S extends z.ZodTypeAny>(soql: string, schema: S): Promise<z.infer<S>[]> {
    const rows: z.infer<S>[] = [];
    for await (const page of this.pages(soql, schema)) rows.push(...page);
    return rows;
  }

  /** Yields one parsed page at a time, following nextRecordsUrl. */
  private async *pages<S extends z.ZodTypeAny>(soql: string, schema: S): AsyncGenerator<z.infer<S>[]> {
    this.calls.query++;
    let result = await this.conn.query<Record<string, unknown>>(soql, { autoFetch: false });
    for (;;) {
      yield result.records.map((r) => schema.parse(r));
      if (result.done || !result.nextRecordsUrl) return;
      this.calls.queryMore++;
      result = await this.conn.queryMore<Record<string, unknown>>(result.nextRecordsUrl);
    }
  }
}
