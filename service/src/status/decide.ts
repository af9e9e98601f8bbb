// Pure decisions of the status sync: a document's paid status and status fields, what changes on the source record,
// where a payment came from, and which source payments a payment received in the accounting system needs.
import type { SyncedDocument, SyncedPayment } from '../store/types';
import { cents, type DocumentStatus, type PaidStatus, type SourceDocumentStatus, type SourcePaymentFromTarget } from './model';

/** Open / Partially Paid / Paid by the balance against the total; Voided and Deleted as QuickBooks reports them. */
export function paidStatus(doc: Pick<SyncedDocument, 'deleted' | 'voided' | 'total' | 'balance'>): PaidStatus {
  if (doc.deleted) return 'Deleted in QuickBooks';
  if (doc.voided) return 'Voided';
  const balance = cents(doc.balance ?? 0);
  if (balance <= 0) return 'Paid';
  return balance >= cents(doc.total ?? 0) ? 'Open' : 'Partially Paid';
}

/**
 * The status fields a source document should show. The last payment date is the latest date of the payments known to
 * be applied to it; when none is known but something is paid (payments older than anything synced), the date it shows
 * now is kept; a document with nothing paid, or voided, has none; a deleted one keeps what it showed.
 */
export function documentStatus(
  doc: Pick<SyncedDocument, 'deleted' | 'voided' | 'total' | 'balance'>,
  payments: { date: string | null; amount: number }[],
  current: Pick<SourceDocumentStatus, 'lastPaymentDate'>,
): DocumentStatus {
  const status = paidStatus(doc);
  if (doc.deleted) return { balance: null, total: null, paidStatus: status, lastPaymentDate: current.lastPaymentDate };
  const dates = payments.filter((p) => p.amount > 0 && p.date).map((p) => p.date!);
  const latest = dates.length ? dates.reduce((a, b) => (b > a ? b : a)) : null;
  const nothingPaid = status === 'Open' || status === 'Voided';
  return {
    balance: doc.balance,
    total: doc.total,
    paidStatus: status,
    lastPaymentDate: nothingPaid ? null : (latest ?? current.lastPaymentDate),
  };
}

const sameMoney = (a: number | null, b: number | null) => (a === null || b === null ? a === b : cents(a) === cents(b));

/** The fields that differ from what the source document shows; null when none does. */
export function statusChanges(current: SourceDocumentStatus, next: DocumentStatus): Partial<DocumentStatus> | null {
  const changes: Partial<DocumentStatus> = {};
  if (!sameMoney(current.balance, next.balance)) changes.balance = next.balance;
  if (!sameMoney(current.total, next.total)) changes.total = next.total;
  if (current.paidStatus !== next.paidStatus) changes.paidStatus = next.paidStatus;
  if ((current.lastPaymentDate ?? null) !== next.lastPaymentDate) changes.lastPaymentDate = next.lastPaymentDate;
  return Object.keys(changes).length ? changes : null;
}

/** A payment Ledgerline exported carries its marker, or the source system names it as its own. */
export function paymentOrigin(payment: Pick<SyncedPayment, 'qboId' | 'sourceId'>, exported: Set<string>): 'salesforce' | 'quickbooks' {
  return payment.sourceId || exported.has(payment.qboId) ? 'salesforce' : 'quickbooks';
}

export type NewSourcePayment = Omit<SourcePaymentFromTarget, 'id'>;

export interface PaymentWrites {
  create: NewSourcePayment[];
  update: SourcePaymentFromTarget[];
  remove: SourcePaymentFromTarget[];
}

/**
 * The source payments a payment received in the accounting system needs: one per source invoice it pays (the amount
 * it applies to that invoice), none once it is deleted. What the source holds already is kept, changed or removed,
 * so a sync repeated (or one whose answer was lost) never adds a payment twice.
 */
export function paymentWrites(
  payment: Pick<SyncedPayment, 'qboId' | 'deleted' | 'txnDate' | 'reference' | 'links'>,
  sourceDocumentOf: (targetDocumentId: string) => string | undefined,
  existing: SourcePaymentFromTarget[],
): PaymentWrites {
  const wanted = new Map<string, NewSourcePayment>();
  if (!payment.deleted) {
    for (const link of payment.links) {
      const documentId = link.kind === 'invoice' ? sourceDocumentOf(link.documentId) : undefined;
      if (!documentId) continue;
      const seen = wanted.get(documentId);
      const amount = (seen?.amount ?? 0) + link.amount;
      wanted.set(documentId, { documentId, targetId: payment.qboId, amount, date: payment.txnDate, reference: payment.reference });
    }
  }
  const writes: PaymentWrites = { create: [], update: [], remove: [] };
  const held = new Set<string>();
  for (const row of existing) {
    const want = wanted.get(row.documentId);
    // A second copy for the same invoice (an earlier create whose answer was lost) goes.
    if (!want || held.has(row.documentId)) {
      writes.remove.push(row);
      continue;
    }
    held.add(row.documentId);
    if (!sameMoney(row.amount, want.amount) || row.date !== want.date || (row.reference ?? null) !== (want.reference ?? null)) {
      writes.update.push({ ...row, amount: want.amount, date: want.date, reference: want.reference });
    }
  }
  for (const [documentId, want] of wanted) if (!held.has(documentId)) writes.create.push(want);
  return writes;
}

/** Each sync asks again for the last minute before the previous one's end: QuickBooks stamps changes to the second. */
export const OVERLAP_MS = 60_000;
/** Changes are asked for no closer than this to the end of what the accounting system keeps. */
export const WINDOW_MARGIN_MS = 60 * 60_000;

export type ReadPlan = { mode: 'changes'; since: Date } | { mode: 'everything' };

/**
 * What a sync reads: the changes since the last sync ended (less the overlap) while the accounting system still keeps
 * them; on a company's first sync, the changes since its first export here (nothing older can be its own), or the
 * window's worth when it has not exported; and everything when what is needed is older than the window.
 */
export function readPlan(syncedUpTo: Date | null, firstExportAt: Date | null, now: Date, windowMs: number): ReadPlan {
  const oldest = now.getTime() - windowMs + WINDOW_MARGIN_MS;
  const from = syncedUpTo ?? firstExportAt;
  if (!from) return { mode: 'changes', since: new Date(oldest) };
  const since = from.getTime() - OVERLAP_MS;
  return since >= oldest ? { mode: 'changes', since: new Date(since) } : { mode: 'everything' };
}
