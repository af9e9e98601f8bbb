// The service's only door to the org: counts, paged reads and bulk writes over jsforce.
// Reads come a page (up to 2,000 records) at a time; writes go 200 records a composite call, mixed types allowed.
import type { Connection } from 'jsforce';
import { z } from 'zod';
import {
  ChildPageSchema,
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

/** What the queries filter a company by. */
export type CompanyRef = Pick<Company, 'Id' | 'QuickBooks_Primary_Company__c'>;

const InvoiceStateSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Company__c: z.string().nullable(),
  Approved__c: z.boolean(),
  Transferred__c: z.boolean(),
});

const QueueStateSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Company__c: z.string().nullable(),
  Export_Status__c: z.string().nullable(),
  Transferred__c: z.boolean(),
  Financial_System_Invoice_Id__c: z.string().nullable(),
});

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
  /** Only invoices queued for QuickBooks Desktop's Web Connector (Export Status Pending Sync). */
  pendingOnly?: boolean;
}

/** Quotes a value as a SOQL string literal. */
export function soqlQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const INVOICE_FIELDS = [...fieldList(InvoiceSchema), 'Customer__r.Name', 'Customer__r.Financial_System_Customer_Id__c', 'Customer__r.Secondary_Customer_Id__c'];
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
  async exportCounts(company: CompanyRef): Promise<{ products: number; customers: number; invoices: number }> {
    const [products, customers, invoices] = await Promise.all([
      this.count(`SELECT COUNT() FROM Product__c WHERE ${this.productsWhere(company)}`),
      this.count(`SELECT COUNT() FROM Customer__c WHERE ${this.customersWhere(company)}`),
      this.count(`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})}`),
    ]);
    return { products, customers, invoices };
  }

  customersToExport(company: CompanyRef): AsyncGenerator<Customer[]> {
    return this.pages(`SELECT ${fieldList(CustomerSchema).join(', ')} FROM Customer__c WHERE ${this.customersWhere(company)} ORDER BY Id`, CustomerSchema);
  }

  productsToExport(company: CompanyRef): AsyncGenerator<Product[]> {
    return this.pages(`SELECT ${fieldList(ProductSchema).join(', ')} FROM Product__c WHERE ${this.productsWhere(company)} ORDER BY Id`, ProductSchema);
  }

  /**
   * Invoices with every line. An org returns a large child subquery in pages of its own (`done: false` with a
   * `nextRecordsUrl`), which jsforce does not follow: the rest of each such invoice's lines is read here.
   */
  async *invoicesToExport(company: CompanyRef, filter: InvoiceFilter): AsyncGenerator<Invoice[]> {
    const soql =
      `SELECT ${INVOICE_FIELDS.join(', ')}, ` +
      `(SELECT ${LINE_FIELDS.join(', ')} FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) ` +
      `FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, filter)} ORDER BY Name`;
    for await (const raw of this.rawPages(soql, ['Sales_Invoice_Lines__r'])) yield raw.map((r) => InvoiceSchema.parse(r));
  }

  /** Where invoices of these numbers stand, in any company. */
  async invoicesByNumber(numbers: string[]): Promise<{ Id: string; Name: string; Company__c: string | null; Approved__c: boolean; Transferred__c: boolean }[]> {
    const rows: { Id: string; Name: string; Company__c: string | null; Approved__c: boolean; Transferred__c: boolean }[] = [];
    for (let i = 0; i < numbers.length; i += 200) {
      const chunk = numbers
        .slice(i, i + 200)
        .map(soqlQuote)
        .join(', ');
      const found = await this.all(
        `SELECT Id, Name, Company__c, Approved__c, Transferred__c FROM Sales_Invoice__c WHERE Name IN (${chunk})`,
        InvoiceStateSchema,
      );
      rows.push(...found);
    }
    return rows;
  }

  /** Where one invoice stands for the queue and lock rules (null when there is no such invoice). */
  async invoiceState(id: string): Promise<z.infer<typeof QueueStateSchema> | null> {
    const rows = await this.all(
      `SELECT Id, Name, Company__c, Export_Status__c, Transferred__c, Financial_System_Invoice_Id__c FROM Sales_Invoice__c WHERE Id = ${soqlQuote(id)}`,
      QueueStateSchema,
    );
    return rows[0] ?? null;
  }

  async countInvoices(company: CompanyRef, filter: InvoiceFilter): Promise<number> {
    return this.count(`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, filter)}`);
  }

  async processLogs(companyId: string, limit: number): Promise<ProcessLog[]> {
    const soql =
      `SELECT ${fieldList(ProcessLogSchema).join(', ')}, ` +
      `(SELECT Id, Level__c, Outcome__c, Record_Type__c, Record_Id__c, Record_Name__c, Message__c, Fix__c, QuickBooks_Id__c, Intuit_Tid__c ` +
      `FROM Process_Log_Entries__r ORDER BY Name) ` +
      `FROM Process_Log__c WHERE Company__c = ${soqlQuote(companyId)} ORDER BY Start_Time__c DESC LIMIT ${Math.max(1, Math.min(limit, 50))}`;
    const logs: ProcessLog[] = [];
    for await (const raw of this.rawPages(soql, ['Process_Log_Entries__r'])) logs.push(...raw.map((r) => ProcessLogSchema.parse(r)));
    return logs;
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

  private customersWhere(company: CompanyRef): string {
    return `${customerIdField(company)} = null`;
  }

  private productsWhere(company: CompanyRef): string {
    return `Company__c = ${soqlQuote(company.Id)} AND Financial_System_Product_Id__c = null`;
  }

  private invoicesWhere(company: CompanyRef, filter: InvoiceFilter): string {
    const parts = [`Company__c = ${soqlQuote(company.Id)}`, 'Approved__c = true', 'Transferred__c = false'];
    if (filter.invoiceNumbers?.length) parts.push(`Name IN (${filter.invoiceNumbers.map(soqlQuote).join(', ')})`);
    if (filter.fromDate) parts.push(`Invoice_Date__c >= ${filter.fromDate}`);
    if (filter.toDate) parts.push(`Invoice_Date__c <= ${filter.toDate}`);
    if (filter.pendingOnly) parts.push(`Export_Status__c = 'Pending Sync'`);
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
    for await (const raw of this.rawPages(soql)) yield raw.map((r) => schema.parse(r));
  }

  /** Raw pages; the child subqueries named in `children` are read to their last row for every record. */
  private async *rawPages(soql: string, children: string[] = []): AsyncGenerator<Record<string, unknown>[]> {
    this.calls.query++;
    const result = await this.conn.query<Record<string, unknown>>(soql, { autoFetch: false });
    const pages = async function* (this: SalesforceRepository) {
      yield result.records;
      if (!result.done && result.nextRecordsUrl) yield* this.morePages(result.nextRecordsUrl);
    }.call(this);
    for await (const page of pages) {
      for (const record of page) for (const child of children) await this.completeChild(record, child);
      yield page;
    }
  }

  private async completeChild(record: Record<string, unknown>, relationship: string): Promise<void> {
    const child = ChildPageSchema.parse(record[relationship]);
    if (!child || child.done !== false || !child.nextRecordsUrl) return;
    const all = [...child.records];
    for await (const more of this.morePages(child.nextRecordsUrl)) all.push(...more);
    record[relationship] = { totalSize: all.length, done: true, records: all };
  }

  /** The pages behind a query locator (of a query, or of one record's child subquery). */
  private async *morePages(locator: string): AsyncGenerator<Record<string, unknown>[]> {
    let next: string | undefined = locator;
    while (next) {
      this.calls.queryMore++;
      const result: { records: Record<string, unknown>[]; done: boolean; nextRecordsUrl?: string } = await this.conn.queryMore<Record<string, unknown>>(next);
      yield result.records;
      next = result.done ? undefined : result.nextRecordsUrl;
    }
  }
}
