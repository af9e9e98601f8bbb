// The service's only door to the org: counts, paged reads and bulk writes over jsforce.
// Reads come a page (up to 2,000 records) at a time; reads split into several queries (by chunks of ids that fit a URI)
// go five queries a /composite call, which counts as one API call. Writes go 200 records a collection, mixed types
// allowed, and up to five collections a /composite call.
// Every call reports the org's API usage to the allowance, and a transient failure (5xx, API limit, dropped
// connection, session that could not be renewed) is thrown as a SalesforceUnavailableError. A read is tried once
// more after a brief outage (logged); writes are never repeated here — the engine retries them under its journal.
import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RecordScope } from '../export/model';
import { SalesforceAllowance } from './allowance';
import { ingestRows, pollDelay, resultsToRead, rowResults, toCsv, type IngestJobInfo } from './bulkIngest';
import { CompositeAnswerSchema, inGroups, QUERIES_PER_COMPOSITE, QueryPageSchema, type QueryPage, type Subrequest, subrequestBodies } from './compositeCalls';
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
  DatedRateSchema,
  FieldMappingSchema,
  type FieldMappingRecord,
  InvoiceLineSchema,
  InvoiceSchema,
  ProcessLogSchema,
  ProductSchema,
  ownCustomerIdField,
  parseRecord,
  fieldList,
  type Company,
  type Customer,
  type Invoice,
  type ProcessLog,
  type Product,
} from './records';
import { pushTo } from '../collections';

export const COMPOSITE_LIMIT = 200;
/**
 * Salesforce refuses a REST URI over 16,384 bytes (431/414); a query naming many invoices is split so that each
 * encoded query stays well under it.
 */
export const MAX_QUERY_URI_BYTES = 12_000;

/** What the queries filter a company by. */
export type CompanyRef = Pick<Company, 'Id' | 'QuickBooks_Primary_Company__c' | 'Invoice_Status_Filter__c'> & {
  customerIdsShared?: boolean;
  /** 'all': every customer without this company's id; else (default) only those its invoices need. */
  customerScope?: 'invoiced' | 'all';
};

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
  /** /composite calls carrying several queries (or their next pages). */
  compositeReads: number;
  /** Write calls: sObject Collections, or a /composite call carrying several. */
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
  /** Only records of these ids (a retry): invoices among them. */
  records?: string[];
}

/** ` AND Id IN (…)` of these ids; of none, a clause no record meets (an empty list never means "all"). */
function idsClause(ids: string[]): string {
  return ids.length ? ` AND Id IN (${ids.map(soqlQuote).join(', ')})` : ' AND Id = null';
}

const WriteResultsSchema = z.array(
  z
    .object({
      id: z
        .string()
        .nullish()
        .transform((v) => v ?? null),
      success: z.boolean(),
      errors: z.array(z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() }).passthrough()),
    })
    .passthrough(),
);

const ActionResultsSchema = z.array(
  z.object({
    actionName: z.string(),
    isSuccess: z.boolean(),
    errors: z.array(z.object({ statusCode: z.string(), message: z.string() }).passthrough()).nullable(),
    outputValues: z.record(z.string(), z.unknown()).nullable(),
  }),
);
export type ActionResult = z.infer<typeof ActionResultsSchema>[number];

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
  'Customer__r.Tax_Code__c',
  'Customer__r.Billing_Street__c',
  'Customer__r.Billing_City__c',
  'Customer__r.Billing_State__c',
  'Customer__r.Billing_Postal_Code__c',
  'Customer__r.Billing_Country__c',
];
const LINE_FIELDS = [...fieldList(InvoiceLineSchema), 'Product__r.Name', 'Product__r.Financial_System_Product_Id__c', 'Product__r.Tax_Code__c'];
const PAYMENT_FIELDS = [
  ...fieldList(PaymentSchema),
  'Sales_Invoice__r.Name',
  'Sales_Invoice__r.Financial_System_Invoice_Id__c',
  'Sales_Invoice__r.Currency_Code__c',
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
  if (filter.records?.length && uriBytes(build(filter)) > maxBytes) {
    const withIds = (chunk: string[]) => build({ ...filter, records: chunk });
    return chunksThatFit(filter.records, withIds, maxBytes).map(withIds);
  }
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

/** The values of `fields` in a raw record, keyed as the fields are named (the org answers in its own case). */
function pickFields(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const byLower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(fields.map((f) => [f, byLower.get(f.toLowerCase()) ?? null]));
}

/** Adds child rows to their invoice's list (rows carry Sales_Invoice__c), keeping their order. */
function groupByInvoice(rows: Record<string, unknown>[], into: Map<string, Record<string, unknown>[]>): void {
  for (const row of rows) pushTo(into, String(row.Sales_Invoice__c), row);
}

export class SalesforceRepository {
  readonly calls: SalesforceCallCounts = { query: 0, queryMore: 0, compositeReads: 0, composite: 0, sobject: 0, bulkJobs: 0 };
  readonly allowance: SalesforceAllowance;

  constructor(
    private readonly conn: Connection,
    private readonly opts: SalesforceRepositoryOptions = {},
  ) {
    this.allowance = opts.allowance ?? new SalesforceAllowance();
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
   * Product / Customer / Invoice Export Qty, exactly as the Sales Invoice Export page defines them; with `scope`, of
   * a run limited to named records (the invoice count then comes from countInvoices). The counts go five a /composite
   * call: one call for a whole run's.
   */
  async exportCounts(company: CompanyRef, withPayments = false, scope?: RecordScope): Promise<Counts> {
    const counts: Array<[keyof Counts, string[]]> = [
      [
        'products',
        this.countQueries((ids) => `SELECT COUNT() FROM Product__c WHERE ${this.productsWhere(company)}${ids}`, scope && [...scope.records, ...scope.products]),
      ],
      [
        'customers',
        // Every customer of the company's approved invoices: one count (customers of named invoices are countCustomers').
        this.countQueries(
          (ids) => `SELECT COUNT() FROM Customer__c WHERE ${this.customersWhere(company, {})}${ids}`,
          scope && [...scope.records, ...scope.customers],
        ),
      ],
      ['invoices', [`SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})}`]],
      ['creditMemos', [this.creditMemosCountQuery(company)]],
    ];
    if (withPayments)
      counts.push(['payments', this.countQueries((ids) => `SELECT COUNT() FROM Payment__c WHERE ${this.paymentsWhere(company)}${ids}`, scope?.records)]);
    const totals = await this.countsInComposite(counts.flatMap(([, queries]) => queries));
    const out: Record<string, number> = {};
    let at = 0;
    for (const [name, queries] of counts) out[name] = totals.slice(at, (at += queries.length)).reduce((a, b) => a + b, 0);
    return out as Counts;
  }

  /**
   * The customers a run sends, each once (a run naming many invoices reads them in several queries); with `ids`, only
   * those (a run limited to named records).
   */
  async *customersToExport(company: CompanyRef, filter: InvoiceFilter = {}, ids?: string[]): AsyncGenerator<Customer[]> {
    if (ids) {
      yield* this.pagesByIds(
        (only) => `SELECT ${fieldList(CustomerSchema).join(', ')} FROM Customer__c WHERE ${this.customersWhere(company, {})}${only} ORDER BY Id`,
        CustomerSchema,
        ids,
      );
      return;
    }
    const build = (f: InvoiceFilter) => `SELECT ${fieldList(CustomerSchema).join(', ')} FROM Customer__c WHERE ${this.customersWhere(company, f)} ORDER BY Id`;
    const parts = this.customerQueries(company, filter, build);
    // Two queries may name one customer: their ids are remembered then, not in a run one query reads (each id once).
    const seen = parts.length > 1 ? new Set<string>() : null;
    for (const part of parts) {
      for await (const page of this.pages(part, CustomerSchema)) {
        const fresh = seen ? page.filter((c) => !seen.has(c.Id) && seen.add(c.Id)) : page;
        if (fresh.length) yield fresh;
      }
    }
  }

  /** How many customers a run of these invoices sends (the Customer Export Qty when the filter names none). */
  async countCustomers(company: CompanyRef, filter: InvoiceFilter = {}): Promise<number> {
    const parts = this.customerQueries(company, filter, (f) => `SELECT Id FROM Customer__c WHERE ${this.customersWhere(company, f)}`);
    if (parts.length === 1) return this.count(`SELECT COUNT() FROM Customer__c WHERE ${this.customersWhere(company, filter)}`);
    // Two chunks of names may share a customer: counted by id.
    const ids = new Set<string>();
    for (const part of parts) for await (const page of this.rawPages(part)) page.forEach((r) => ids.add(String(r.Id)));
    return ids.size;
  }

  /** The ids of the customers the Customer Export Qty counts. */
  async customerIdsToExport(company: CompanyRef): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.rawPages(`SELECT Id FROM Customer__c WHERE ${this.customersWhere(company, {})} ORDER BY Id`))
      ids.push(...page.map((r) => String(r.Id)));
    return ids;
  }

  /** Every customer without the id is one query; customers of named invoices take as many as the names need. */
  private customerQueries(company: CompanyRef, filter: InvoiceFilter, build: (f: InvoiceFilter) => string): string[] {
    return company.customerScope === 'all' ? [build({})] : splitByNames(filter, build);
  }

  productsToExport(company: CompanyRef, ids?: string[]): AsyncGenerator<Product[]> {
    return this.pagesByIds(
      (only) => `SELECT ${fieldList(ProductSchema).join(', ')} FROM Product__c WHERE ${this.productsWhere(company)}${only} ORDER BY Id`,
      ProductSchema,
      ids,
    );
  }

  /** The customers and products the company's invoices among `ids` name (what a retry of them may need to send first). */
  async needsOf(company: CompanyRef, ids: string[]): Promise<{ customers: string[]; products: string[] }> {
    const Invoice = z.object({ Id: z.string(), Customer__c: z.string().nullable() });
    const invoices: z.infer<typeof Invoice>[] = [];
    const invoiceQuery = (chunk: string[]) => `SELECT Id, Customer__c FROM Sales_Invoice__c WHERE Company__c = ${soqlQuote(company.Id)}${idsClause(chunk)}`;
    invoices.push(...(await this.selectInChunks(ids, invoiceQuery, Invoice)));
    const products = new Set<string>();
    const Line = z.object({ Product__c: z.string().nullable() });
    const lineQuery = (chunk: string[]) => `SELECT Product__c FROM Sales_Invoice_Line__c WHERE Sales_Invoice__c IN (${chunk.map(soqlQuote).join(', ')})`;
    const lines = await this.selectInChunks(
      invoices.map((i) => i.Id),
      lineQuery,
      Line,
    );
    for (const line of lines) if (line.Product__c) products.add(line.Product__c);
    const customers = new Set(invoices.flatMap((i) => (i.Customer__c ? [i.Customer__c] : [])));
    return { customers: [...customers], products: [...products] };
  }

  /**
   * Invoices with every line and payment. Lines are read in queries of their own, by the ids of each page of
   * invoices, and payments in one query for the run: a child subquery would page at 500 rows counting parents and
   * children (and cut long invoices into child pages of their own), where a plain query pages at 2,000 — several
   * times fewer calls on a large run.
   */
  async *invoicesToExport(
    company: CompanyRef,
    filter: InvoiceFilter,
    mappedFields: string[] = [],
  ): AsyncGenerator<(Invoice & { mapped?: Record<string, unknown> })[]> {
    // Fields admin mappings name ride along (those the query selects anyway are not selected twice).
    const selected = new Set(INVOICE_FIELDS.map((f) => f.toLowerCase()));
    const extra = [...new Set(mappedFields)].filter((f) => !selected.has(f.toLowerCase()));
    const fields = [...INVOICE_FIELDS, ...extra];
    const build = (f: InvoiceFilter) => `SELECT ${fields.join(', ')} FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, f)} ORDER BY Name`;
    // Payments are few (most invoices have none): read once for the whole run, not once per page. Each invoice's
    // are handed on with it and let go, so the map drains as the run goes instead of living to its end.
    const payments = new Map<string, Record<string, unknown>[]>();
    const takePayments = (id: string) => {
      const mine = payments.get(id) ?? [];
      payments.delete(id);
      return mine;
    };
    const paymentsOf = (f: InvoiceFilter) =>
      `SELECT ${fieldList(PaymentSchema).join(', ')} FROM Payment__c ` +
      `WHERE Sales_Invoice__c IN (SELECT Id FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, f)}) AND From_QuickBooks__c = false ORDER BY Sales_Invoice__c, Name`;
    for (const query of splitByNames(filter, paymentsOf)) {
      for await (const page of this.rawPages(query)) groupByInvoice(page, payments);
    }
    // Sorted chunks of names, each ORDER BY Name: the pages still come in Name order overall.
    for (const part of splitByNames(filter, build)) {
      for await (const raw of this.rawPages(part)) {
        const lines = await this.linesOf(raw.map((r) => String(r.Id)));
        yield raw.map((r) => {
          const invoice = parseRecord(InvoiceSchema, {
            ...r,
            Sales_Invoice_Lines__r: { records: lines.get(String(r.Id)) ?? [] },
            Payments__r: { records: takePayments(String(r.Id)) },
          });
          return mappedFields.length ? { ...invoice, mapped: pickFields(r, mappedFields) } : invoice;
        });
      }
    }
  }

  /**
   * Exported invoices of the company whose record or lines changed after `since`, with every line: two queries when
   * nothing changed (SOQL allows no semi-join under OR), one more for invoices only their lines moved.
   */
  async *invoicesEditedSince(company: CompanyRef, since: Date, alsoIds: string[] = []): AsyncGenerator<Invoice[]> {
    const at = since.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const exported = `Company__c = ${soqlQuote(company.Id)} AND Transferred__c = true AND Financial_System_Invoice_Id__c != null`;
    const select = `SELECT ${INVOICE_FIELDS.join(', ')} FROM Sales_Invoice__c WHERE ${exported}`;
    const seen = new Set<string>();
    const parsed = async (raw: Record<string, unknown>[]) => {
      const lines = await this.linesOf(raw.map((r) => String(r.Id)));
      raw.forEach((r) => seen.add(String(r.Id)));
      return raw.map((r) =>
        parseRecord(InvoiceSchema, { ...r, Sales_Invoice_Lines__r: { records: lines.get(String(r.Id)) ?? [] }, Payments__r: { records: [] } }),
      );
    };
    for await (const raw of this.rawPages(`${select} AND SystemModstamp > ${at} ORDER BY Name`)) yield await parsed(raw);
    const linesMoved = new Set<string>(alsoIds.filter((id) => !seen.has(id)));
    const lineQuery =
      `SELECT Sales_Invoice__c FROM Sales_Invoice_Line__c WHERE SystemModstamp > ${at} AND ` +
      `Sales_Invoice__r.Company__c = ${soqlQuote(company.Id)} AND Sales_Invoice__r.Transferred__c = true`;
    for await (const page of this.rawPages(lineQuery))
      for (const row of page) if (!seen.has(String(row.Sales_Invoice__c))) linesMoved.add(String(row.Sales_Invoice__c));
    const ids = [...linesMoved];
    for (const chunk of chunksThatFit(ids, (c) => `${select} AND Id IN (${c.map(soqlQuote).join(', ')})`)) {
      for await (const raw of this.rawPages(`${select} AND Id IN (${chunk.map(soqlQuote).join(', ')}) ORDER BY Name`)) yield await parsed(raw);
    }
  }

  /**
   * The lines of these invoices, by invoice, in line order: as many queries as the ids need to fit a URI, up to five
   * a /composite call.
   */
  private async linesOf(ids: string[]): Promise<Map<string, Record<string, unknown>[]>> {
    const byInvoice = new Map<string, Record<string, unknown>[]>();
    const query = (chunk: string[]) =>
      `SELECT Sales_Invoice__c, ${LINE_FIELDS.join(', ')} FROM Sales_Invoice_Line__c ` +
      `WHERE Sales_Invoice__c IN (${chunk.map(soqlQuote).join(', ')}) ORDER BY Sales_Invoice__c, Line_Number__c`;
    for (const rows of await this.queriesInComposite(chunksThatFit(ids, query).map(query))) groupByInvoice(rows, byInvoice);
    return byInvoice;
  }

  /** The active field mappings (Ledgerline_Field_Mapping__mdt), every company's. */
  fieldMappings(): Promise<FieldMappingRecord[]> {
    return this.all(
      'SELECT DeveloperName, Object__c, Salesforce_Field__c, QuickBooks_Field__c, Company__c FROM Ledgerline_Field_Mapping__mdt WHERE Active__c = true ORDER BY DeveloperName',
      FieldMappingSchema,
    );
  }

  /** Field name (lower case) -> its describe type, for one object: one describe call. */
  async fieldTypes(sobject: string): Promise<Map<string, string>> {
    this.calls.sobject++;
    const described = await this.call('read', `GET /sobjects/${sobject}/describe`, () => this.conn.sobject(sobject).describe());
    return new Map(described.fields.map((f) => [f.name.toLowerCase(), String(f.type)]));
  }

  /**
   * The org's corporate currency and dated exchange rates of these currencies (advanced currency management), or null
   * when the org keeps no dated rates (single currency: the objects do not exist).
   */
  async datedRates(currencies: string[]): Promise<{ corporate: string | null; rates: z.infer<typeof DatedRateSchema>[] } | null> {
    try {
      const corporate = await this.all('SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true', z.object({ IsoCode: z.string() }));
      const rates = currencies.length
        ? await this.all(
            `SELECT IsoCode, ConversionRate, StartDate FROM DatedConversionRate WHERE IsoCode IN (${currencies.map(soqlQuote).join(', ')}) ORDER BY IsoCode, StartDate`,
            DatedRateSchema,
          )
        : [];
      return { corporate: corporate[0]?.IsoCode ?? null, rates };
    } catch (err) {
      if ((err as { errorCode?: string }).errorCode === 'INVALID_TYPE') return null;
      throw err;
    }
  }

  /** Customer id -> the currency of its earliest approved invoice of the company that names one. */
  async firstInvoiceCurrencies(company: CompanyRef, customerIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const query = (chunk: string[]) =>
      `SELECT Customer__c, Currency_Code__c FROM Sales_Invoice__c WHERE Company__c = ${soqlQuote(company.Id)} AND Approved__c = true ` +
      `AND Currency_Code__c != null AND Customer__c IN (${chunk.map(soqlQuote).join(', ')}) ORDER BY Invoice_Date__c, Name`;
    const Row = z.object({ Customer__c: z.string(), Currency_Code__c: z.string() });
    // Each chunk names other customers, so a customer's earliest invoice is the first row of its own chunk.
    for (const row of await this.selectInChunks(customerIds, query, Row)) if (!found.has(row.Customer__c)) found.set(row.Customer__c, row.Currency_Code__c);
    return found;
  }

  /** Payments not yet in QuickBooks on the company's approved invoices (credit memos take no payments). */
  paymentsToExport(company: CompanyRef, ids?: string[]): AsyncGenerator<PaymentToExport[]> {
    return this.pagesByIds(
      (only) => `SELECT ${PAYMENT_FIELDS.join(', ')} FROM Payment__c WHERE ${this.paymentsWhere(company)}${only} ORDER BY Sales_Invoice__r.Name, Name`,
      PaymentToExportSchema,
      ids,
    );
  }

  /** Payments Ledgerline exported for the company whose record changed after `since`: one query when none did. */
  paymentsEditedSince(company: CompanyRef, since: Date): AsyncGenerator<PaymentToExport[]> {
    const at = since.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.pages(
      `SELECT ${PAYMENT_FIELDS.join(', ')} FROM Payment__c WHERE Sales_Invoice__r.Company__c = ${soqlQuote(company.Id)} ` +
        `AND Financial_System_Payment_Id__c != null AND From_QuickBooks__c = false AND SystemModstamp > ${at} ORDER BY Name`,
      PaymentToExportSchema,
    );
  }

  /** Credit memos in QuickBooks that name an invoice to apply to and have not been applied yet. */
  creditApplications(company: CompanyRef, ids?: string[]): AsyncGenerator<CreditApplication[]> {
    return this.pagesByIds(
      (only) => `SELECT ${APPLICATION_FIELDS.join(', ')} FROM Sales_Invoice__c WHERE ${this.applicationsWhere(company)}${only} ORDER BY Name`,
      CreditApplicationSchema,
      ids,
    );
  }

  /** Payment Export Qty: payments not in QuickBooks yet on the company's approved invoices (exported or about to be). */
  async countPayments(company: CompanyRef): Promise<number> {
    return this.count(`SELECT COUNT() FROM Payment__c WHERE ${this.paymentsWhere(company)}`);
  }

  async countCreditMemos(company: CompanyRef): Promise<number> {
    return this.count(this.creditMemosCountQuery(company));
  }

  private creditMemosCountQuery(company: CompanyRef): string {
    return `SELECT COUNT() FROM Sales_Invoice__c WHERE ${this.invoicesWhere(company, {})} AND (Invoice_Type__c = 'Credit Memo' OR Total_Amount__c < 0)`;
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
      `(SELECT Id, Level__c, Outcome__c, Record_Type__c, Record_Id__c, Record_Name__c, Message__c, Fix__c, QuickBooks_Id__c, Intuit_Tid__c, Retried_In__c, Retry_Outcome__c ` +
      `FROM Process_Log_Entries__r ORDER BY Name) ` +
      `FROM Process_Log__c WHERE Company__c = ${soqlQuote(companyId)} ORDER BY Start_Time__c DESC LIMIT ${Math.max(1, Math.min(limit, 50))}`;
    const logs: ProcessLog[] = [];
    for await (const raw of this.rawPages(soql, ['Process_Log_Entries__r'])) logs.push(...raw.map((r) => ProcessLogSchema.parse(r)));
    return logs;
  }

  /** The Process Log a run opened that still says Running, found by the run's id (null when there is none). */
  async runningLogOf(runId: string): Promise<string | null> {
    const rows = await this.all(
      `SELECT Id FROM Process_Log__c WHERE Run_Id__c = ${soqlQuote(runId)} AND Status__c = 'Running' ORDER BY Start_Time__c DESC LIMIT 1`,
      z.object({ Id: z.string() }),
    );
    return rows[0]?.Id ?? null;
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
    const result = (await this.call('write', `PATCH /sobjects/${type}`, () => this.conn.sobject(type).update({ Id: id, ...fields }))) as {
      success: boolean;
      errors: unknown[];
    };
    if (!result.success) throw new Error(`Salesforce refused to update ${type} ${id}: ${JSON.stringify(result.errors)}`);
  }

  /**
   * Invokes a standard action (`customNotificationAction`, `emailSimple`) with these inputs: one result per input,
   * `{actionName, errors, isSuccess, outputValues}`. The org answers 400 when an input failed, with the same results.
   */
  async invokeAction(action: string, inputs: Record<string, unknown>[]): Promise<ActionResult[]> {
    this.calls.sobject++;
    const url = `/services/data/v${this.conn.version}/actions/standard/${action}`;
    const answer = await this.call('write', `POST /actions/standard/${action}`, async () => {
      try {
        return await this.conn.request<unknown>({ method: 'POST', url, body: JSON.stringify({ inputs }), headers: { 'Content-Type': 'application/json' } });
      } catch (err) {
        // jsforce throws on the 400; its body still says which input failed and why.
        const body = (err as { content?: unknown; data?: unknown }).content ?? (err as { data?: unknown }).data;
        const parsed = ActionResultsSchema.safeParse(typeof body === 'string' ? safeJson(body) : body);
        if (parsed.success) return parsed.data;
        throw err;
      }
    });
    return ActionResultsSchema.parse(answer);
  }

  /** Every row of a query, checked against `schema` (the status sync's reads; paged like every other read). */
  select<S extends z.ZodTypeAny>(soql: string, schema: S): Promise<z.infer<S>[]> {
    return this.all(soql, schema);
  }

  /**
   * Every row of the queries `build` makes of `values` in chunks that fit a URI (in chunk order), checked against
   * `schema`: up to five queries a /composite call.
   */
  async selectInChunks<S extends z.ZodTypeAny>(values: string[], build: (chunk: string[]) => string, schema: S): Promise<z.infer<S>[]> {
    const perQuery = await this.queriesInComposite(chunksThatFit(values, build).map(build));
    return perQuery.flat().map((r) => parseRecord(schema, r) as z.infer<S>);
  }

  /** Deletes records of any types, 200 a call, allOrNone false; answers per id, in the order given. */
  async delete(ids: string[]): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    for (let i = 0; i < ids.length; i += COMPOSITE_LIMIT) {
      const chunk = ids.slice(i, i + COMPOSITE_LIMIT);
      this.calls.composite++;
      const answer = await this.call('write', 'DELETE /composite/sobjects', () =>
        this.conn.request<WriteResult[]>({
          method: 'DELETE',
          url: `/services/data/v${this.conn.version}/composite/sobjects?ids=${chunk.map(encodeURIComponent).join(',')}&allOrNone=false`,
        }),
      );
      results.push(...answer);
    }
    return results;
  }

  /** Updates records of any types, 200 a call, allOrNone false: one bad record never blocks the others. */
  update(records: WriteRecord[]): Promise<WriteResult[]> {
    return this.composite('PATCH', records);
  }

  create(records: WriteRecord[]): Promise<WriteResult[]> {
    return this.composite('POST', records);
  }

  /**
   * Many records through Bulk API 2.0 ingest jobs, one per object type: create, upload, close and a poll or a few
   * (with back-off) whatever the count, against one composite call per 200. A result file is read only when the
   * job's state leaves something unsaid (failures, unprocessed rows, or inserted ids when `wantIds`). Answers per
   * record, in the order given. Inserts are told apart by `matchField` (unique among the records sent), since the
   * job's results do not keep the input order.
   */
  async bulk(operation: 'update' | 'insert', records: WriteRecord[], matchField = 'Id', wantIds = operation === 'insert'): Promise<WriteResult[]> {
    const byType = new Map<string, WriteRecord[]>();
    const indexes = new Map<string, number[]>();
    // Appended in place: copying the lists for every record made a write-back of n records cost n² / 2 copies.
    records.forEach((r, i) => {
      pushTo(byType, r.type, r);
      pushTo(indexes, r.type, i);
    });
    const results: WriteResult[] = new Array(records.length);
    for (const [type, ofType] of byType) {
      const { rows, rowOf } = ingestRows(operation, ofType);
      const rowResult = await this.ingestJob(type, operation, rows, operation === 'update' ? 'Id' : matchField, wantIds);
      indexes.get(type)!.forEach((i, n) => (results[i] = rowResult[rowOf[n]!]!));
    }
    return results;
  }

  /** One ingest job of one object's rows, to its end. */
  private async ingestJob(
    object: string,
    operation: 'update' | 'insert',
    rows: Record<string, unknown>[],
    key: string,
    wantIds: boolean,
  ): Promise<WriteResult[]> {
    this.calls.bulkJobs++;
    const base = `/services/data/v${this.conn.version}/jobs/ingest`;
    // A fresh headers object for every request: jsforce writes the body's length into the one it is given.
    const json = () => ({ 'Content-Type': 'application/json; charset=utf-8' });
    const job = await this.call('write', 'POST /jobs/ingest', () =>
      this.conn.request<IngestJobInfo>({
        method: 'POST',
        url: base,
        body: JSON.stringify({ object, operation, contentType: 'CSV', lineEnding: 'LF' }),
        headers: json(),
      }),
    );
    await this.call('write', 'PUT /jobs/ingest/:id/batches', () =>
      this.conn.request({ method: 'PUT', url: `${base}/${job.id}/batches`, body: toCsv(rows), headers: { 'Content-Type': 'text/csv' } }),
    );
    await this.call('write', 'PATCH /jobs/ingest/:id', () =>
      this.conn.request({ method: 'PATCH', url: `${base}/${job.id}`, body: JSON.stringify({ state: 'UploadComplete' }), headers: json() }),
    );
    const firstWait = this.opts.bulkPollMs ?? 1000;
    const deadline = Date.now() + 10 * 60_000;
    let info: IngestJobInfo;
    for (let n = 0; ; n++) {
      info = await this.call('read', 'GET /jobs/ingest/:id', () => this.conn.request<IngestJobInfo>(`${base}/${job.id}`));
      if (info.state === 'JobComplete') break;
      if (info.state === 'Failed' || info.state === 'Aborted')
        throw new Error(`Salesforce's bulk job ${job.id} for ${object} ended ${info.state}: ${info.errorMessage ?? 'no reason given'}`);
      if (Date.now() >= deadline) throw new Error(`Salesforce's bulk job ${job.id} for ${object} was still ${info.state} after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, pollDelay(n, firstWait)));
    }
    const read = resultsToRead(info, rows.length, wantIds);
    const file = (name: string) => () =>
      this.call('read', `GET /jobs/ingest/:id/${name}`, () => this.conn.request<Record<string, string>[]>(`${base}/${job.id}/${name}`));
    const [successful, failed] = await Promise.all([
      read.successful ? file('successfulResults')() : undefined,
      read.failed ? file('failedResults')() : undefined,
    ]);
    // An empty result file comes back as an empty body, not a list.
    const list = (file: unknown) => (Array.isArray(file) ? (file as Record<string, string>[]) : file === undefined ? undefined : []);
    return rowResults(rows, key, { successful: list(successful), failed: list(failed) });
  }

  /**
   * Collections of 200 records, allOrNone false each, so every record is answered on its own; up to five collections
   * (1,000 records) a /composite call. A collection the org refuses whole throws, as the call alone would.
   */
  private async composite(method: 'PATCH' | 'POST', records: WriteRecord[]): Promise<WriteResult[]> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < records.length; i += COMPOSITE_LIMIT) {
      chunks.push(records.slice(i, i + COMPOSITE_LIMIT).map(({ type, ...fields }) => ({ attributes: { type }, ...fields })));
    }
    const results: WriteResult[] = [];
    for (const group of inGroups(chunks)) {
      this.calls.composite++;
      if (group.length === 1) {
        const answer = await this.call('write', `${method} /composite/sobjects`, () =>
          this.conn.request<WriteResult[]>({
            method,
            url: `${this.dataPath()}/composite/sobjects`,
            body: JSON.stringify({ allOrNone: false, records: group[0] }),
            headers: { 'Content-Type': 'application/json' },
          }),
        );
        results.push(...answer);
        continue;
      }
      const sent: Subrequest[] = group.map((chunk, n) => ({
        method,
        url: `${this.dataPath()}/composite/sobjects`,
        referenceId: `records${n}`,
        body: { allOrNone: false, records: chunk },
      }));
      const bodies = await this.call('write', `POST /composite (${method} /composite/sobjects)`, () => this.postComposite(sent));
      for (const body of bodies) results.push(...WriteResultsSchema.parse(body));
    }
    return results;
  }

  /** One /composite call (allOrNone false: a failed subrequest leaves the others be); the bodies in `sent` order. */
  private async postComposite(sent: Subrequest[]): Promise<unknown[]> {
    const answer = await this.conn.request<unknown>({
      method: 'POST',
      url: `${this.dataPath()}/composite`,
      body: JSON.stringify({ allOrNone: false, compositeRequest: sent }),
      headers: { 'Content-Type': 'application/json' },
    });
    return subrequestBodies(sent, CompositeAnswerSchema.parse(answer));
  }

  private dataPath(): string {
    return `/services/data/v${this.conn.version}`;
  }

  /**
   * Customers without this company's QuickBooks id (every customer when the id field is shared: none can be told) and,
   * unless the company sends every such customer, named by an invoice of the company: of the run's invoices when it
   * names some, else of any approved invoice of the company — so a customer whose link was cleared after its invoices
   * went (the fix a merge warning gives) is sent again, and another company's customers never reach these books.
   */
  private customersWhere(company: CompanyRef, filter: InvoiceFilter): string {
    const field = ownCustomerIdField(company);
    const parts = [field ? `${field} = null` : 'Id != null'];
    if (company.customerScope !== 'all') {
      const named = Boolean(filter.invoiceNumbers || filter.fromDate || filter.toDate || filter.pendingOnly || filter.records);
      const invoices = named ? this.invoicesWhere(company, filter) : this.approvedInvoicesWhere(company);
      parts.push(`Id IN (SELECT Customer__c FROM Sales_Invoice__c WHERE ${invoices})`);
    }
    return parts.join(' AND ');
  }

  /** The company's approved invoices that its status filter lets go, exported or not. */
  private approvedInvoicesWhere(company: CompanyRef): string {
    const parts = [`Company__c = ${soqlQuote(company.Id)}`, 'Approved__c = true'];
    const statuses = statusFilter(company);
    if (statuses.length) parts.push(`Status__c IN (${statuses.map(soqlQuote).join(', ')})`);
    return parts.join(' AND ');
  }

  private productsWhere(company: CompanyRef): string {
    return `Company__c = ${soqlQuote(company.Id)} AND Financial_System_Product_Id__c = null`;
  }

  /**
   * Payments on the company's approved invoices that QuickBooks does not have yet — counted and read alike, so every
   * payment counted gets its entry (one whose invoice is not in QuickBooks waits, and says so).
   */
  private paymentsWhere(company: CompanyRef): string {
    const parts = [
      `Sales_Invoice__r.Company__c = ${soqlQuote(company.Id)}`,
      'Sales_Invoice__r.Approved__c = true',
      "Sales_Invoice__r.Invoice_Type__c != 'Credit Memo'",
      'Financial_System_Payment_Id__c = null',
      // Received in QuickBooks (the status sync brought them): never sent back.
      'From_QuickBooks__c = false',
    ];
    // An invoice the status filter leaves out is never exported: its payments are not the export's (unless the
    // invoice went before the filter changed).
    const statuses = statusFilter(company);
    if (statuses.length) parts.push(`(Sales_Invoice__r.Transferred__c = true OR Sales_Invoice__r.Status__c IN (${statuses.map(soqlQuote).join(', ')}))`);
    return parts.join(' AND ');
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
    // A list that names no invoice selects none, never all.
    if (filter.invoiceNumbers) parts.push(filter.invoiceNumbers.length ? `Name IN (${filter.invoiceNumbers.map(soqlQuote).join(', ')})` : 'Id = null');
    if (filter.fromDate) parts.push(`Invoice_Date__c >= ${filter.fromDate}`);
    if (filter.toDate) parts.push(`Invoice_Date__c <= ${filter.toDate}`);
    if (filter.pendingOnly) parts.push(`Export_Status__c = 'Pending Sync'`);
    if (filter.records) parts.push(idsClause(filter.records).slice(' AND '.length));
    return parts.join(' AND ');
  }

  /** A query's pages; with `ids`, of one query per chunk of ids that fits a URI (`only` is the ` AND Id IN (…)`). */
  private async *pagesByIds<S extends z.ZodTypeAny>(build: (only: string) => string, schema: S, ids?: string[]): AsyncGenerator<z.infer<S>[]> {
    if (!ids) {
      yield* this.pages(build(''), schema);
      return;
    }
    for (const chunk of chunksThatFit(ids, (c) => build(idsClause(c)))) yield* this.pages(build(idsClause(chunk)), schema);
  }

  /** The count query, or with `ids` one per chunk of ids that fits a URI (none of no ids). */
  private countQueries(build: (only: string) => string, ids?: string[]): string[] {
    if (!ids) return [build('')];
    return chunksThatFit(ids, (c) => build(idsClause(c))).map((chunk) => build(idsClause(chunk)));
  }

  /** The totalSize of each count query, in order: five a /composite call (one alone goes as that query). */
  private async countsInComposite(soqls: string[]): Promise<number[]> {
    const totals: number[] = [];
    for (const group of inGroups(soqls)) totals.push(...(await this.readPages(group.map((soql) => ({ soql })))).map((page) => page.totalSize));
    return totals;
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

  /**
   * Every row of each query, in the order given. Queries go five a /composite call (one API call), and a query whose
   * result did not fit a page continues with its nextRecordsUrl in a later call, beside the queries still to send; a
   * round of a single query (or page) goes as that call alone.
   */
  private async queriesInComposite(soqls: string[]): Promise<Record<string, unknown>[][]> {
    const rows = soqls.map(() => [] as Record<string, unknown>[]);
    // What is still to read: a query's first page, or the next page behind a locator (one per query at a time).
    let pending: Array<{ index: number; soql?: string; locator?: string }> = soqls.map((soql, index) => ({ index, soql }));
    while (pending.length > 0) {
      const round = pending.slice(0, QUERIES_PER_COMPOSITE);
      pending = pending.slice(QUERIES_PER_COMPOSITE);
      const pages = await this.readPages(round);
      round.forEach((item, n) => {
        const page = pages[n]!;
        rows[item.index]!.push(...page.records);
        if (!page.done && page.nextRecordsUrl) pending.push({ index: item.index, locator: page.nextRecordsUrl });
      });
    }
    return rows;
  }

  /** One page of each: alone when there is one, else as subrequests of one /composite call. */
  private async readPages(round: Array<{ soql?: string; locator?: string }>): Promise<QueryPage[]> {
    if (round.length === 1) {
      const { soql, locator } = round[0]!;
      if (soql !== undefined) {
        this.calls.query++;
        return [await this.call('read', 'GET /query', () => this.conn.query<Record<string, unknown>>(soql, { autoFetch: false }))];
      }
      this.calls.queryMore++;
      return [await this.call('read', 'GET /query/:locator', () => this.conn.queryMore<Record<string, unknown>>(locator!))];
    }
    const sent: Subrequest[] = round.map((item, n) => ({
      method: 'GET',
      url: item.soql !== undefined ? `${this.dataPath()}/query/?q=${encodeURIComponent(item.soql)}` : item.locator!,
      referenceId: `page${n}`,
    }));
    this.calls.compositeReads++;
    const bodies = await this.call('read', 'POST /composite (queries)', () => this.postComposite(sent));
    return bodies.map((body) => QueryPageSchema.parse(body));
  }

  /** Yields one parsed page at a time, following nextRecordsUrl. */
  private async *pages<S extends z.ZodTypeAny>(soql: string, schema: S): AsyncGenerator<z.infer<S>[]> {
    for await (const raw of this.rawPages(soql)) yield raw.map((r) => parseRecord(schema, r));
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
