// The service's only door to the org: counts, paged reads and bulk writes over jsforce.
// Reads come a page (up to 2,000 records) at a time; writes go 200 records a composite call, mixed types allowed.
// Every call reports the org's API usage to the allowance, and a transient failure (5xx, API limit, dropped
// connection, session that could not be renewed) is thrown as a SalesforceUnavailableError. A read is tried once
// more after a brief outage (logged); writes are never repeated here — the engine retries them under its journal.
import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SalesforceAllowance } from './allowance';
import { classifySalesforceFailure, isBriefOutage, isDailyLimit } from './faults';
import { statusFilter } from './mapping';
import {
  ChildPageSchema,
  CompanySchema,
  CreditApplicationSchema,
  PaymentSchema,
  PaymentToExportSchema,
  type CreditApplication,
  type PaymentToExport,
  CustomerSchema,
  InvoiceLineSchema,
  InvoiceSchema,
  ProcessLogSchema,
  ProductSchema,
  ownCustomerIdField,
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

/** What the queries filter a company by. */
export type CompanyRef = Pick<Company, 'Id' | 'QuickBooks_Primary_Company__c' | 'Invoice_Status_Filter__c'> & { customerIdsShared?: boolean };

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
  /** Bulk API 2.0 ingest jobs (each a few calls: create, upload, close, poll, results). */
  bulkJobs: number;
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
const PAYMENT_FIELDS = [
  ...fieldList(PaymentSchema),
  'Sales_Invoice__r.Name',
  'Sales_Invoice__r.Financial_System_Invoice_Id__c',
  'Sales_Invoice__r.Customer__c',
  'Sales_Invoice__r.Customer__r.Name',
  'Sales_Invoice__r.Customer__r.Financial_System_Customer_Id__c',
  'Sales_Invoice__r.Customer__r.Secondary_Customer_Id__c',
];
const APPLICATION_FIELDS = [
  ...fieldList(CreditApplicationSchema),
  'Customer__r.Financial_System_Customer_Id__c',
  'Customer__r.Secondary_Customer_Id__c',
  'Applies_To_Invoice__r.Name',
  'Applies_To_Invoice__r.Customer__c',
  'Applies_To_Invoice__r.Financial_System_Invoice_Id__c',
  'Applies_To_Invoice__r.Transferred__c',
];

export interface SalesforceRepositoryOptions {
  /** Where the org's remaining API allowance is kept (one per org). Default: a fresh one. */
  allowance?: SalesforceAllowance;
  logger?: Logger;
  /** How long the page's export counts are reused, per company. Default 5 s; 0 turns the cache off. */
  countsTtlMs?: number;
  /** Pause before the one retry of a read after a brief outage. Default 250 ms. */
  readRetryDelayMs?: number;
  /** How often a bulk job's state is polled. Default 1 s. */
  bulkPollMs?: number;
}

type Counts = { products: number; customers: number; invoices: number; creditMemos: number; payments?: number };

/**
 * The queries for a filter: one, or — when it names so many invoices that the query would not fit in a URI —
 * one per chunk of the (sorted) names.
 */
export function splitByNames(filter: InvoiceFilter, build: (filter: InvoiceFilter) => string, maxBytes = MAX_QUERY_URI_BYTES): string[] {
  const names = filter.invoiceNumbers;
  if (!names?.length || uriBytes(build(filter)) <= maxBytes) return [build(filter)];
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const withNames = (chunk: string[]) => build({ ...filter, invoiceNumbers: chunk });
  return chunksThatFit(sorted, withNames, maxBytes).map(withNames);
}

/** What a query costs of the URI: its encoded text and the /services/data/vNN.0/query?q= before it. */
function uriBytes(soql: string): number {
  return encodeURIComponent(soql).length + 64;
}

/** `values` in consecutive chunks, each as large as fits in one query URI when `build` lists it (quoted, comma-separated). */
export function chunksThatFit(values: string[], build: (chunk: string[]) => string, maxBytes = MAX_QUERY_URI_BYTES): string[][] {
  if (values.length === 0) return [];
  const cost = (value: string) => encodeURIComponent(`${soqlQuote(value)}, `).length;
  // The query with one value, less that value: what every chunk's query costs before its values.
  const base = uriBytes(build([values[0]!])) - encodeURIComponent(soqlQuote(values[0]!)).length;
  const chunks: string[][] = [[]];
  let used = base;
  for (const value of values) {
    if (chunks.at(-1)!.length && used + cost(value) > maxBytes) {
      chunks.push([]);
      used = base;
    }
    chunks.at(-1)!.push(value);
    used += cost(value);
  }
  return chunks;
}

/** Adds child rows to their invoice's list (rows carry Sales_Invoice__c), keeping their order. */
function groupByInvoice(rows: Record<string, unknown>[], into: Map<string, Record<string, unknown>[]>): void {
  for (const row of rows) {
    const invoiceId = String(row.Sales_Invoice__c);
    const list = into.get(invoiceId);
    if (list) list.push(row);
    else into.set(invoiceId, [row]);
  }
}

export class SalesforceRepository {
  readonly calls: SalesforceCallCounts = { query: 0, queryMore: 0, composite: 0, sobject: 0, bulkJobs: 0 };
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

  /**
   * Product / Customer / Invoice Export Qty, exactly as the Sales Invoice Export page defines them. The page polls
   * them while an export runs: they are reused for a few seconds per company (three calls saved each time) and
   * forgotten whenever this service writes to Salesforce.
   */
  async exportCounts(company: CompanyRef, withPayments = false): Promise<Counts> {
    const ttl = this.opts.countsTtlMs ?? 5_000;
    if (ttl <= 0) return this.readCounts(company, withPayments);
    const key = `${company.Id}:${withPayments}:${company.Invoice_Status_Filter__c ?? ''}`;
    const hit = this.countsCache.get(key);
    if (hit && Date.now() - hit.at < ttl) return hit.counts;
    const counts = this.readCounts(company, withPayments);
    const entry = { at: Date.now(), counts };
    this.countsCache.set(key, entry);
    // A failure is not kept: the next summary asks Salesforce again.
    counts.catch(() => {
      if (this.countsCache.get(key) === entry) this.countsCache.delete(key);
    });
    return counts;
  }

  private async readCounts(company: CompanyRef, withPayments: boolean): Promise<Counts> {
    const [products, customers, invoices, creditMemos, payments] = await Promise.all([
      this.count(`SELECT COUNT() FROM Product__c WHERE ${this.productsWhere(company)}`),
      this.count(`SELECT COUNT() FROM Customer__c WHERE ${this.customersWhere(company)}`),
      this.count(`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})}`),
      this.countCreditMemos(company),
      withPayments ? this.countPayments(company) : undefined,
    ]);
    return { products, customers, invoices, creditMemos, ...(payments === undefined ? {} : { payments }) };
  }

  customersToExport(company: CompanyRef): AsyncGenerator<Customer[]> {
    return this.pages(`SELECT ${fieldList(CustomerSchema).join(', ')} FROM Customer__c WHERE ${this.customersWhere(company)} ORDER BY Id`, CustomerSchema);
  }

  productsToExport(company: CompanyRef): AsyncGenerator<Product[]> {
    return this.pages(`SELECT ${fieldList(ProductSchema).join(', ')} FROM Product__c WHERE ${this.productsWhere(company)} ORDER BY Id`, ProductSchema);
  }

  /**
   * Invoices with every line and payment. Lines are read in queries of their own, by the ids of each page of
   * invoices, and payments in one query for the run: a child subquery would page at 500 rows counting parents and
   * children (and cut long invoices into child pages of their own), where a plain query pages at 2,000 — several
   * times fewer calls on a large run.
   */
  async *invoicesToExport(company: CompanyRef, filter: InvoiceFilter): AsyncGenerator<Invoice[]> {
    const build = (f: InvoiceFilter) => `SELECT ${INVOICE_FIELDS.join(', ')} FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, f)} ORDER BY Name`;
    // Payments are few (most invoices have none): read once for the whole run, not once per page.
    const payments = new Map<string, Record<string, unknown>[]>();
    const paymentsOf = (f: InvoiceFilter) =>
      `SELECT ${fieldList(PaymentSchema).join(', ')} FROM Payment__c ` +
      `WHERE Sales_Invoice__c IN (SELECT Id FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, f)}) ORDER BY Sales_Invoice__c, Name`;
    for (const query of splitByNames(filter, paymentsOf)) {
      for await (const page of this.rawPages(query)) groupByInvoice(page, payments);
    }
    // Sorted chunks of names, each ORDER BY Name: the pages still come in Name order overall.
    for (const part of splitByNames(filter, build)) {
      for await (const raw of this.rawPages(part)) {
        const lines = await this.linesOf(raw.map((r) => String(r.Id)));
        yield raw.map((r) =>
          InvoiceSchema.parse({
            ...r,
            Sales_Invoice_Lines__r: { records: lines.get(String(r.Id)) ?? [] },
            Payments__r: { records: payments.get(String(r.Id)) ?? [] },
          }),
        );
      }
    }
  }

  /** The lines of these invoices, by invoice, in line order (as many queries as the ids need to fit a URI). */
  private async linesOf(ids: string[]): Promise<Map<string, Record<string, unknown>[]>> {
    const byInvoice = new Map<string, Record<string, unknown>[]>();
    const query = (chunk: string[]) =>
      `SELECT Sales_Invoice__c, ${LINE_FIELDS.join(', ')} FROM Sales_Invoice_Line__c ` +
      `WHERE Sales_Invoice__c IN (${chunk.map(soqlQuote).join(', ')}) ORDER BY Sales_Invoice__c, Line_Number__c`;
    for (const chunk of chunksThatFit(ids, query)) {
      for await (const page of this.rawPages(query(chunk))) groupByInvoice(page, byInvoice);
    }
    return byInvoice;
  }

  /** Payments not yet in QuickBooks on the company's approved invoices (credit memos take no payments). */
  paymentsToExport(company: CompanyRef): AsyncGenerator<PaymentToExport[]> {
    return this.pages(
      `SELECT ${PAYMENT_FIELDS.join(', ')} FROM Payment__c WHERE ${this.paymentsWhere(company)} ORDER BY Sales_Invoice__r.Name, Name`,
      PaymentToExportSchema,
    );
  }

  /** Credit memos in QuickBooks that name an invoice to apply to and have not been applied yet. */
  creditApplications(company: CompanyRef): AsyncGenerator<CreditApplication[]> {
    return this.pages(
      `SELECT ${APPLICATION_FIELDS.join(', ')} FROM Sales_Invoice__c WHERE ${this.applicationsWhere(company)} ORDER BY Name`,
      CreditApplicationSchema,
    );
  }

  /** Payment Export Qty: payments not in QuickBooks yet on the company's approved invoices (exported or about to be). */
  async countPayments(company: CompanyRef): Promise<number> {
    return this.count(`SELECT COUNT() FROM Payment__c WHERE ${this.paymentsWhere(company)}`);
  }

  async countCreditMemos(company: CompanyRef): Promise<number> {
    return this.count(
      `SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})} AND (Invoice_Type__c = 'Credit Memo' OR Total_Amount__c < 0)`,
    );
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
    const logs: ProcessLog[] = [];
    for await (const raw of this.rawPages(soql, ['Process_Log_Entries__r'])) logs.push(...raw.map((r) => ProcessLogSchema.parse(r)));
    return logs;
  }

  /** The Names (sequences) of a Process Log's entries from `from` to `to`, as the log holds them. */
  async entryNames(logId: string, from: string, to: string): Promise<Set<string>> {
    const rows = await this.all(
      `SELECT Name FROM Process_Log_Entry__c WHERE Process_Log__c = ${soqlQuote(logId)} AND Name >= ${soqlQuote(from)} AND Name <= ${soqlQuote(to)}`,
      z.object({ Name: z.string() }),
    );
    return new Set(rows.map((r) => r.Name));
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

  /**
   * Many records through Bulk API 2.0 ingest jobs (one per object type): a few calls whatever the count, against
   * one composite call per 200. Answers per record, in the order given. Inserts are told apart by `matchField`
   * (unique among the records sent), since the job's results do not keep the input order.
   */
  async bulk(operation: 'update' | 'insert', records: WriteRecord[], matchField = 'Id'): Promise<WriteResult[]> {
    const byType = new Map<string, number[]>();
    records.forEach((r, i) => byType.set(r.type, [...(byType.get(r.type) ?? []), i]));
    const results: WriteResult[] = new Array(records.length);
    for (const [type, indexes] of byType) {
      const input = indexes.map((i) => {
        const { type: _type, ...fields } = records[i]!;
        return fields as Record<string, unknown>;
      });
      this.calls.bulkJobs++;
      this.invalidateCounts();
      const answer = await this.call('write', `bulk ${operation} ${type}`, () =>
        this.conn.bulk2.loadAndWaitForResults({
          object: type,
          operation,
          input: input as never,
          pollInterval: this.opts.bulkPollMs ?? 1000,
          pollTimeout: 10 * 60_000,
        }),
      );
      const key = (row: Record<string, unknown>) => String(operation === 'update' ? (row.sf__Id ?? row.Id) : row[matchField]);
      const done = new Map<string, WriteResult>();
      for (const row of answer.successfulResults as Record<string, unknown>[]) done.set(key(row), { id: String(row.sf__Id), success: true, errors: [] });
      for (const row of answer.failedResults as Record<string, unknown>[]) {
        const [statusCode, ...rest] = String(row.sf__Error ?? 'UNKNOWN_EXCEPTION').split(':');
        done.set(key(row), { id: null, success: false, errors: [{ statusCode: statusCode!.trim(), message: rest.join(':').trim() || String(row.sf__Error) }] });
      }
      indexes.forEach((i, n) => {
        const k = operation === 'update' ? String(records[i]!.Id) : String(input[n]![matchField]);
        results[i] = done.get(k) ?? {
          id: null,
          success: false,
          errors: [{ statusCode: 'UNPROCESSED', message: 'Salesforce did not process this record in the bulk job' }],
        };
      });
    }
    return results;
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

  /** Customers without this company's QuickBooks id; every customer when the id field is shared (none can be told). */
  private customersWhere(company: CompanyRef): string {
    const field = ownCustomerIdField(company);
    return field ? `${field} = null` : 'Id != null';
  }

  private productsWhere(company: CompanyRef): string {
    return `Company__c = ${soqlQuote(company.Id)} AND Financial_System_Product_Id__c = null`;
  }

  /**
   * Payments on the company's approved invoices that QuickBooks does not have yet — counted and read alike, so every
   * payment counted gets its entry (one whose invoice is not in QuickBooks waits, and says so).
   */
  private paymentsWhere(company: CompanyRef): string {
    return [
      `Sales_Invoice__r.Company__c = ${soqlQuote(company.Id)}`,
      'Sales_Invoice__r.Approved__c = true',
      "Sales_Invoice__r.Invoice_Type__c != 'Credit Memo'",
      'Financial_System_Payment_Id__c = null',
    ].join(' AND ');
  }

  private applicationsWhere(company: CompanyRef): string {
    return [
      `Company__c = ${soqlQuote(company.Id)}`,
      'Transferred__c = true',
      'Applies_To_Invoice__c != null',
      'Financial_System_Application_Id__c = null',
    ].join(' AND ');
  }

  private invoicesWhere(company: CompanyRef, filter: InvoiceFilter): string {
    const parts = [`Company__c = ${soqlQuote(company.Id)}`, 'Approved__c = true', 'Transferred__c = false'];
    const statuses = statusFilter(company);
    if (statuses.length) parts.push(`Status__c IN (${statuses.map(soqlQuote).join(', ')})`);
    if (filter.invoiceNumbers?.length) parts.push(`Name IN (${filter.invoiceNumbers.map(soqlQuote).join(', ')})`);
    if (filter.fromDate) parts.push(`Invoice_Date__c >= ${filter.fromDate}`);
    if (filter.toDate) parts.push(`Invoice_Date__c <= ${filter.toDate}`);
    if (filter.pendingOnly) parts.push(`Export_Status__c = 'Pending Sync'`);
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
    for await (const raw of this.rawPages(soql)) yield raw.map((r) => schema.parse(r));
  }

  /** Raw pages; the child subqueries named in `children` are read to their last row for every record. */
  private async *rawPages(soql: string, children: string[] = []): AsyncGenerator<Record<string, unknown>[]> {
    this.calls.query++;
    const result = await this.call('read', 'GET /query', () => this.conn.query<Record<string, unknown>>(soql, { autoFetch: false }));
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
      const at = next;
      const result: { records: Record<string, unknown>[]; done: boolean; nextRecordsUrl?: string } = await this.call('read', 'GET /query/:locator', () =>
        this.conn.queryMore<Record<string, unknown>>(at),
      );
      yield result.records;
      next = result.done ? undefined : result.nextRecordsUrl;
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
