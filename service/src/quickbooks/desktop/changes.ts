// QuickBooks Desktop as the status sync's change feed: in the Web Connector's session, qbXML queries of the invoices,
// credit memos and received payments modified since the last sync (ModifiedDateRangeFilter, paged by iterator), and
// of the invoices the changed payments pay that did not come with them, mapped to the sync's neutral shapes. The
// company file's own clock (TimeModified) says how far the changes go: the next sync asks from there.
import { readMarker } from '../../export/marker';
import type { ChangedDocument, ChangedPayment, ChangeFeed, ChangePage } from '../../status/model';
import { text } from './qbxml';
import type { Element } from './schema';

/** QuickBooks Desktop keeps every change: no window to fall out of (twenty years stands for "always"). */
export const DESKTOP_WINDOW_MS = 20 * 365 * 86_400_000;

/** Runs one query (paged or not) in the Web Connector's session and answers its rows. */
export type DesktopQuery = (entity: string, filters: Element, iterate: boolean) => Promise<{ type: string; value: Element }[]>;

const money = (value: unknown): number | null => {
  const n = Number(text(value));
  return text(value) === null || !Number.isFinite(n) ? null : n;
};
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const refId = (ref: unknown): string | null => text((ref as Element | undefined)?.ListID);
const modified = (ret: Element) => new Date(text(ret.TimeModified) ?? 0);

/** An invoice or credit memo: its total is Subtotal + SalesTaxTotal; a voided one has "VOID:" before its memo and nothing left. */
export function toChangedDocument(type: string, ret: Element): ChangedDocument {
  const subtotal = money(ret.Subtotal);
  const total = subtotal === null ? null : Math.round((subtotal + (money(ret.SalesTaxTotal) ?? 0)) * 100) / 100;
  const creditMemo = type === 'CreditMemoRet';
  const memo = text(ret.Memo);
  return {
    qboId: text(ret.TxnID)!,
    kind: creditMemo ? 'creditMemo' : 'invoice',
    number: text(ret.RefNumber),
    txnDate: text(ret.TxnDate),
    customerId: refId(ret.CustomerRef),
    total,
    balance: money(creditMemo ? ret.CreditRemaining : ret.BalanceRemaining),
    voided: total === 0 && /^VOID:/i.test(memo ?? ''),
    deleted: false,
    sourceId: readMarker(memo),
    qboUpdatedAt: modified(ret),
  };
}

/** A received payment with what it applies to each invoice (AppliedToTxnRet, asked for with IncludeLineItems). */
export function toChangedPayment(ret: Element): ChangedPayment {
  return {
    qboId: text(ret.TxnID)!,
    total: money(ret.TotalAmount),
    txnDate: text(ret.TxnDate),
    reference: text(ret.RefNumber),
    customerId: refId(ret.CustomerRef),
    deleted: false,
    sourceId: readMarker(text(ret.Memo)),
    qboUpdatedAt: modified(ret),
    links: list(ret.AppliedToTxnRet as Element | Element[] | undefined).flatMap((a) =>
      text(a.TxnType) === 'Invoice' && text(a.TxnID) ? [{ documentId: text(a.TxnID)!, kind: 'invoice' as const, amount: money(a.Amount) ?? 0 }] : [],
    ),
  };
}

const DOCUMENT_FIELDS = ['TxnID', 'TimeModified', 'TxnDate', 'RefNumber', 'CustomerRef', 'Subtotal', 'SalesTaxTotal', 'Memo'];
/** Invoices looked up by TxnID at a time. */
const BY_ID = 100;

/**
 * The changes since `since` as one page: invoices, credit memos and payments modified since then, and the invoices the
 * changed payments pay that did not come with them (so each one's balance is current). `upTo` is the latest
 * TimeModified seen (the company file's clock), or `since` when nothing changed.
 */
export async function desktopChanges(query: DesktopQuery, since: Date, fromModified: string): Promise<{ page: ChangePage; upTo: Date; queries: number }> {
  let queries = 0;
  const counted: DesktopQuery = (entity, filters, iterate) => {
    queries++;
    return query(entity, filters, iterate);
  };
  const found = await changesOf(counted, since, fromModified);
  return { ...found, queries };
}

async function changesOf(query: DesktopQuery, since: Date, fromModified: string): Promise<{ page: ChangePage; upTo: Date }> {
  const changed = { ModifiedDateRangeFilter: { FromModifiedDate: fromModified } };
  const invoices = await query('Invoice', { ...changed, IncludeRetElement: [...DOCUMENT_FIELDS, 'BalanceRemaining'] }, true);
  const credits = await query('CreditMemo', { ...changed, IncludeRetElement: [...DOCUMENT_FIELDS, 'CreditRemaining'] }, true);
  const payments = (await query('ReceivePayment', { ...changed, IncludeLineItems: 'true' }, true)).map((r) => toChangedPayment(r.value));
  const documents = [...invoices, ...credits].map((r) => toChangedDocument(r.type, r.value));
  const seen = new Set(documents.map((d) => d.qboId));
  const paid = [...new Set(payments.flatMap((p) => p.links.map((l) => l.documentId)))].filter((id) => !seen.has(id));
  for (let i = 0; i < paid.length; i += BY_ID) {
    const rows = await query('Invoice', { TxnID: paid.slice(i, i + BY_ID), IncludeRetElement: [...DOCUMENT_FIELDS, 'BalanceRemaining'] }, false);
    documents.push(...rows.map((r) => toChangedDocument(r.type, r.value)));
  }
  const latest = Math.max(since.getTime(), ...[...documents, ...payments].map((r) => r.qboUpdatedAt.getTime()).filter(Number.isFinite));
  return { page: { documents, payments }, upTo: new Date(latest) };
}

/** The sync's change feed over a Desktop company file: what the Web Connector's next session answers. */
export class DesktopChangeFeed implements ChangeFeed {
  readonly windowMs = DESKTOP_WINDOW_MS;
  private queries = 0;

  constructor(private readonly target: { statusChanges(since: Date): Promise<{ page: ChangePage; upTo: Date; queries: number }> }) {}

  async changesSince(since: Date, onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
    const { page, upTo, queries } = await this.target.statusChanges(since);
    this.queries += queries;
    await onPage(page);
    return { upTo };
  }

  /** Everything there is: the changes since the company file's beginning. */
  everything(onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
    return this.changesSince(new Date(0), onPage);
  }

  /** QuickBooks Desktop does not meter reads: `run` counts the qbXML queries the sync asked the Web Connector for. */
  usage() {
    return { reads: { run: this.queries, company: 0, used: 0, budget: 0, month: '' } };
  }
}
