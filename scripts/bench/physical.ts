// The physical minimum of an export: what the books need, whatever plan an engine follows. The creates are the
// records that must exist in QuickBooks afterwards and did not before — the customers the exported invoices name and
// the items on their lines that QuickBooks holds no match for, the invoices, credit memos, payments and credit
// applications — and the reads are the fewest that find the matches: every page of QuickBooks' customer and item
// lists once. Creates go 30 to a batch. Pure, so a unit test can hold it; the bound itself is lowerBound's, under
// every limit (operations, batch calls, calls in flight, requests a second).
import { lowerBound, type LowerBound } from './lowerBound';

/** The most rows a QuickBooks query answers with, and the most items in a batch call. */
export const QUERY_PAGE_ROWS = 1000;
export const BATCH_ITEMS = 30;

export interface BooksNeedInput {
  /** Customer ids of the invoices the export must create (the DocNumber collision left out). */
  invoiceCustomerIds: string[];
  /** Product ids on those invoices' lines. */
  lineProductIds: string[];
  /** Customers and products QuickBooks already holds a match for (they need no create). */
  matchedCustomerIds: Set<string>;
  matchedProductIds: Set<string>;
  invoices: number;
  creditMemos: number;
  payments: number;
  creditApplications: number;
  /** Rows of each list the matching must read (QuickBooks' customers and items before the export). */
  indexRows: number[];
}

export interface BooksNeed {
  customers: number;
  products: number;
  invoices: number;
  creditMemos: number;
  payments: number;
  creditApplications: number;
  creates: number;
  reads: number;
}

/** Pages of a list read to its end: at least one (an empty list still takes a query to know it is empty). */
export function indexPages(rows: number, pageRows = QUERY_PAGE_ROWS): number {
  return Math.max(1, Math.ceil(rows / pageRows));
}

export function booksNeed(input: BooksNeedInput): BooksNeed {
  const unmatched = (ids: string[], matched: Set<string>) => new Set(ids.filter((id) => !matched.has(id))).size;
  const customers = unmatched(input.invoiceCustomerIds, input.matchedCustomerIds);
  const products = unmatched(input.lineProductIds, input.matchedProductIds);
  const { invoices, creditMemos, payments, creditApplications } = input;
  return {
    customers,
    products,
    invoices,
    creditMemos,
    payments,
    creditApplications,
    creates: customers + products + invoices + creditMemos + payments + creditApplications,
    reads: input.indexRows.reduce((n, rows) => n + indexPages(rows), 0),
  };
}

export interface PhysicalLimits {
  windowMs: number;
  latencyMs: number;
  operationsPerWindow: number;
  batchesPerWindow: number;
  concurrent: number;
  requestsPerSecond: number;
  batchCounts: 'item' | 'call';
}

/**
 * The least time the limits allow for the books' need: the creates in full batches, the reads as single queries.
 * Like the bench's own bound it ignores that customers must exist before their invoices, so it is optimistic.
 */
export function physicalLowerBound(need: BooksNeed, limits: PhysicalLimits): LowerBound {
  const batchCalls = Math.ceil(need.creates / BATCH_ITEMS);
  return lowerBound({
    operations: (limits.batchCounts === 'item' ? need.creates : batchCalls) + need.reads,
    batchCalls,
    calls: batchCalls + need.reads,
    windowMs: limits.windowMs,
    latencyMs: limits.latencyMs,
    operationsPerWindow: limits.operationsPerWindow,
    batchesPerWindow: limits.batchesPerWindow,
    concurrent: limits.concurrent,
    requestsPerSecond: limits.requestsPerSecond,
  });
}
