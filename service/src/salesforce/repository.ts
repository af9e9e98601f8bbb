// The service's only door to the org: counts, paged reads and bulk writes over jsforce.
// Reads come a page (up to 2,000 records) at a time; writes go 200 records a composite call, mixed types allowed.
// Every call reports the org's API usage to the allowance, and a transient failure (5xx, API limit, dropped
// connection, session that could not be renewed) is thrown as a SalesforceUnavailableError. A read is tried once
// more after a brief outage (logged); writes are never repeated here — the engine retries them under its journal.
import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { SalesforceAllowance } from './allowance';
import { classifySalesforceFailure, isBriefOutage, isDailyLimit } from './faults';
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
/**
 * Salesforce refuses a REST URI over 16,384 bytes (431/414); a query naming many invoices is split so that each
 * encoded query stays well under it.
 */
export const MAX_QUERY_URI_BYTES = 12_000;

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

export interface SalesforceRepositoryOptions {
  /** Where the org's remaining API allowance is kept (one per org). Default: a fresh one. */
  allowance?: SalesforceAllowance;
  logger?: Logger;
  /** How long the page's export counts are reused, per company. Default 5 s; 0 turns the cache off. */
  countsTtlMs?: number;
  /** Pause before the one retry of a read after a brief outage. Default 250 ms. */
  readRetryDelayMs?: number;
}

type Counts = { products: number; customers: number; invoices: number };

/**
 * The queries for a filter: one, or — when it names so many invoices that the query would not fit in a URI —
 * one per chunk of the (sorted) names.
 */
export function splitByNames(filter: InvoiceFilter, build: (filter: InvoiceFilter) => string, maxBytes = MAX_QUERY_URI_BYTES): string[] {
  const names = filter.invoiceNumbers;
  const size = (soql: string) => encodeURIComponent(soql).length + 64; // + the /services/data/vNN.0/query?q= part
  if (!names?.length || size(build(filter)) <= maxBytes) return [build(filter)];
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const base = size(build({ ...filter, invoiceNumbers: [sorted[0]!] })) - encodeURIComponent(soqlQuote(sorted[0]!)).length;
  const queries: string[] = [];
  let chunk: string[] = [];
  let used = base;
  for (const name of sorted) {
    const cost = encodeURIComponent(`${soqlQuote(name)}, `).length;
    if (chunk.length && used + cost > maxBytes) {
      queries.push(build({ ...filter, invoiceNumbers: chunk }));
      chunk = [];
      used = base;
    }
    chunk.push(name);
    used += cost;
  }
  if (chunk.length) queries.push(build({ ...filter, invoiceNumbers: chunk }));
  return queries;
}

export class SalesforceRepository {
  readonly calls: SalesforceCallCounts = { query: 0, queryMore: 0, composite: 0, sobject: 0 };
  readonly allowance: SalesforceAllowance;
  private readonly countsCache = new Map<string, { at: number; counts: Promise<Counts> }>();

  constructor(
    private readonly conn: Connection,
    private readonly opts: SalesforceRepositoryOptions = {},
  ) {
    this.allowance = opts.allowance ?? new SalesforceAllowance();
  }

  /** Forgets cached counts (of one company, or all): the next summary reads them again. */
  invalidateCounts(companyId?: string): void {
    if (companyId === undefined) this.countsCache.clear();
    else this.countsCache.delete(companyId);
  }

  /** Reads the org's DailyApiRequests from the `/limits` resource into the allowance. */
  async refreshAllowance(): Promise<SalesforceAllowance> {
    const limits = await this.call('read', 'GET /limits', () => this.conn.request<Record<string, unknown>>(`/services/data/v${this.conn.version}/limits`));
    this.allowance.observeLimits(limits);
    return this.allowance;
  }

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

  /**
   * Product / Customer / Invoice Export Qty, exactly as the Sales Invoice Export page defines them. The page polls
   * them while an export runs: they are reused for a few seconds per company (three calls saved each time) and
   * forgotten whenever this service writes to Salesforce.
   */
  async exportCounts(company: Company): Promise<Counts> {
    const ttl = this.opts.countsTtlMs ?? 5_000;
    if (ttl <= 0) return this.readCounts(company);
    const key = company.Id;
    const hit = this.countsCache.get(key);
    if (hit && Date.now() - hit.at < ttl) return hit.counts;
    const counts = this.readCounts(company);
    const entry = { at: Date.now(), counts };
    this.countsCache.set(key, entry);
    // A failure is not kept: the next summary asks Salesforce again.
    counts.catch(() => {
      if (this.countsCache.get(key) === entry) this.countsCache.delete(key);
    });
    return counts;
  }

  private async readCounts(company: Company): Promise<Counts> {
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

  async *invoicesToExport(company: Company, filter: InvoiceFilter): AsyncGenerator<Invoice[]> {
    const select =
      `SELECT ${INVOICE_FIELDS.join(', ')}, ` +
      `(SELECT ${LINE_FIELDS.join(', ')} FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) ` +
      `FROM Sales_Invoice__c WHERE `;
    // Sorted chunks of names, each ORDER BY Name: the pages still come in Name order overall.
    for (const part of splitByNames(filter, (f) => `${select}${this.invoicesWhere(company, f)} ORDER BY Name`)) {
      yield* this.pages(part, InvoiceSchema);
    }
  }

  async countInvoices(company: Company, filter: InvoiceFilter): Promise<number> {
    let total = 0;
    for (const part of splitByNames(filter, (f) => `SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, f)}`)) {
      total += await this.count(part);
    }
    return total;
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
    this.invalidateCounts();
    const result = (await this.call('write', `POST /sobjects/${type}`, () => this.conn.sobject(type).create(fields))) as {
      id?: string;
      success: boolean;
      errors: unknown[];
    };
    if (!result.success || !result.id) throw new Error(`Salesforce refused to create ${type}: ${JSON.stringify(result.errors)}`);
    return result.id;
  }

  async updateOne(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
    this.calls.sobject++;
    this.invalidateCounts();
    const result = (await this.call('write', `PATCH /sobjects/${type}`, () => this.conn.sobject(type).update({ Id: id, ...fields }))) as {
      success: boolean;
      errors: unknown[];
    };
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
      this.invalidateCounts();
      const answer = await this.call('write', `${method} /composite/sobjects`, () =>
        this.conn.request<WriteResult[]>({
          method,
          url: `/services/data/v${this.conn.version}/composite/sobjects`,
          body: JSON.stringify({ allOrNone: false, records: chunk }),
          headers: { 'Content-Type': 'application/json' },
        }),
      );
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
    const result = await this.call('read', 'GET /query (count)', () => this.conn.query(soql, { autoFetch: false }));
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
    let result = await this.call('read', 'GET /query', () => this.conn.query<Record<string, unknown>>(soql, { autoFetch: false }));
    for (;;) {
      yield result.records.map((r) => schema.parse(r));
      if (result.done || !result.nextRecordsUrl) return;
      this.calls.queryMore++;
      const locator = result.nextRecordsUrl;
      result = await this.call('read', 'GET /query/:locator', () => this.conn.queryMore<Record<string, unknown>>(locator));
    }
  }

  /**
   * One Salesforce call: its usage goes to the allowance, a transient failure becomes a SalesforceUnavailableError,
   * and a read is tried once more after a brief outage.
   */
  private async call<T>(kind: 'read' | 'write', what: string, send: () => PromiseLike<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await send();
        this.observeUsage();
        return answer;
      } catch (err) {
        this.observeUsage();
        const outage = classifySalesforceFailure(err);
        if (!outage) throw err;
        if (isDailyLimit(outage)) this.allowance.exhausted();
        const again = kind === 'read' && attempt === 1 && isBriefOutage(outage);
        this.opts.logger?.warn(
          { call: what, kind, attempt, salesforceCode: outage.salesforceCode, reason: outage.reason, retrying: again },
          again ? 'Salesforce call failed; trying once more' : 'Salesforce is unavailable',
        );
        if (!again) throw outage;
        await new Promise((resolve) => setTimeout(resolve, this.opts.readRetryDelayMs ?? 250));
      }
    }
  }

  private observeUsage(): void {
    const usage = this.conn.limitInfo?.apiUsage;
    if (usage) this.allowance.observe(usage.used, usage.limit);
  }
}
