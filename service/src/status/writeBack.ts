// The second half of a status sync: everything the store holds as owed to Salesforce — changed payments first (a
// payment received in QuickBooks becomes source payments on the invoices it pays), then changed documents (their
// balance, paid status, last payment date and total) — written a page at a time, each record marked written once
// Salesforce took it. A refused record stays owed (and is named with its fix); Salesforce down stops the write with
// everything still owed, for the next sync.
import type { CompanyModel } from '../export/model';
import type { StatusSyncProblem, SyncedDocument, SyncedPayment, SyncedRecordsRepository, SyncedState } from '../store/types';
import { documentStatus, paymentOrigin, paymentWrites, statusChanges, type NewSourcePayment } from './decide';
import { paymentRefused, statusRefused } from './messages';
import type { SourceDocumentStatus, SourcePaymentFromTarget } from './model';
import type { StatusSourcePort, WriteOutcome } from './ports';

/** Records read from the store (and looked up in Salesforce) at a time. */
const PAGE = 500;

export interface WriteBackDeps {
  synced: SyncedRecordsRepository;
  source: StatusSourcePort;
  now: () => Date;
  /** Called after each page (the sync's heartbeat). */
  onPage?: () => Promise<void>;
}

export interface WriteSummary {
  documentsUpdated: number;
  paymentsCreated: number;
  paymentsUpdated: number;
  paymentsDeleted: number;
  /** Changed documents and payments that are none of this company's Salesforce records. */
  notInSalesforce: number;
  problems: StatusSyncProblem[];
}

/** Finds the source document of an accounting document: by the id written back, else by its marker (not written back yet). */
function resolver(rows: SourceDocumentStatus[]) {
  const byTarget = new Map(rows.filter((r) => r.targetId).map((r) => [r.targetId!, r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (doc: Pick<SyncedDocument, 'qboId' | 'sourceId'> | undefined): SourceDocumentStatus | undefined => {
    if (!doc) return undefined;
    const found = byTarget.get(doc.qboId);
    if (found) return found;
    const marked = doc.sourceId ? byId.get(doc.sourceId) : undefined;
    // A marked copy of an invoice Salesforce links to another QuickBooks invoice is not this record.
    return marked && (marked.targetId === null || marked.targetId === doc.qboId) ? marked : undefined;
  };
}

async function lookUp(deps: WriteBackDeps, company: CompanyModel, docs: Pick<SyncedDocument, 'qboId' | 'sourceId'>[]) {
  if (docs.length === 0) return resolver([]);
  const rows = await deps.source.documents(
    company,
    docs.map((d) => d.qboId),
    docs.flatMap((d) => (d.sourceId ? [d.sourceId] : [])),
  );
  return resolver(rows);
}

export async function writeOwed(deps: WriteBackDeps, company: CompanyModel): Promise<WriteSummary> {
  const summary: WriteSummary = { documentsUpdated: 0, paymentsCreated: 0, paymentsUpdated: 0, paymentsDeleted: 0, notInSalesforce: 0, problems: [] };
  await writePayments(deps, company, summary);
  await writeDocuments(deps, company, summary);
  return summary;
}

interface PlannedPayment {
  payment: SyncedPayment;
  create: NewSourcePayment[];
  update: SourcePaymentFromTarget[];
  remove: SourcePaymentFromTarget[];
}

async function writePayments(deps: WriteBackDeps, company: CompanyModel, summary: WriteSummary): Promise<void> {
  for (let after = ''; ; ) {
    const payments = await deps.synced.owedPayments(company.id, PAGE, after);
    if (payments.length === 0) return;
    after = payments.at(-1)!.qboId;
    const held = await deps.source.paymentsOf(
      company,
      payments.map((p) => p.qboId),
    );
    const invoiceIds = [...new Set(payments.flatMap((p) => p.links.filter((l) => l.kind === 'invoice').map((l) => l.documentId)))];
    const stored = await deps.synced.documents(company.id, invoiceIds);
    const sourceOf = await lookUp(
      deps,
      company,
      invoiceIds.map((id) => stored.get(id) ?? { qboId: id, sourceId: null }),
    );
    const sourceDocumentOf = (id: string) => sourceOf(stored.get(id) ?? { qboId: id, sourceId: null });
    const names = new Map(invoiceIds.flatMap((id) => (sourceDocumentOf(id) ? [[sourceDocumentOf(id)!.id, sourceDocumentOf(id)!.name] as const] : [])));
    const marks: { qboId: string; qboUpdatedAt: Date; state: SyncedState; origin: SyncedPayment['origin'] }[] = [];
    const planned: PlannedPayment[] = [];
    for (const payment of payments) {
      const origin = paymentOrigin(payment, held.exported);
      if (origin === 'salesforce') {
        marks.push({ qboId: payment.qboId, qboUpdatedAt: payment.qboUpdatedAt, state: 'written', origin });
        continue;
      }
      const existing = held.fromTarget.filter((r) => r.targetId === payment.qboId);
      const writes = paymentWrites(payment, (id) => sourceDocumentOf(id)?.id, existing);
      if (writes.create.length + writes.update.length + writes.remove.length > 0) {
        planned.push({ payment, ...writes });
        continue;
      }
      const ours = existing.length > 0 || payment.links.some((l) => sourceDocumentOf(l.documentId));
      if (!ours) summary.notInSalesforce++;
      marks.push({ qboId: payment.qboId, qboUpdatedAt: payment.qboUpdatedAt, state: ours ? 'written' : 'foreign', origin });
    }
    const failed = await applyPaymentWrites(deps, planned, summary, (documentId) => names.get(documentId) ?? documentId);
    for (const { payment } of planned) {
      if (!failed.has(payment.qboId)) marks.push({ qboId: payment.qboId, qboUpdatedAt: payment.qboUpdatedAt, state: 'written', origin: 'quickbooks' });
    }
    await deps.synced.markPayments(company.id, marks);
    // Their invoices' last payment date is written again.
    await deps.synced.reopenDocuments(
      company.id,
      payments.flatMap((p) => p.links.map((l) => l.documentId)),
    );
    await deps.onPage?.();
  }
}

/** Creates, changes and removes the planned source payments; answers the accounting payment ids with a refused write. */
async function applyPaymentWrites(
  deps: WriteBackDeps,
  planned: PlannedPayment[],
  summary: WriteSummary,
  invoiceName: (documentId: string) => string,
): Promise<Set<string>> {
  const failed = new Set<string>();
  const check = (
    outcomes: WriteOutcome[],
    rows: { targetId: string; documentId: string }[],
    counted: 'paymentsCreated' | 'paymentsUpdated' | 'paymentsDeleted',
  ) =>
    outcomes.forEach((outcome, i) => {
      const row = rows[i]!;
      if (outcome.ok) summary[counted]++;
      else {
        failed.add(row.targetId);
        summary.problems.push(paymentRefused(invoiceName(row.documentId), row.targetId, outcome.message ?? 'refused'));
      }
    });
  const creates = planned.flatMap((p) => p.create);
  if (creates.length) check(await deps.source.createPayments(creates), creates, 'paymentsCreated');
  const updates = planned.flatMap((p) => p.update);
  if (updates.length) check(await deps.source.updatePayments(updates), updates, 'paymentsUpdated');
  const removes = planned.flatMap((p) => p.remove);
  if (removes.length) {
    check(await deps.source.deletePayments(removes.map((r) => r.id)), removes, 'paymentsDeleted');
  }
  return failed;
}

async function writeDocuments(deps: WriteBackDeps, company: CompanyModel, summary: WriteSummary): Promise<void> {
  for (let after = ''; ; ) {
    const docs = await deps.synced.owedDocuments(company.id, PAGE, after);
    if (docs.length === 0) return;
    after = docs.at(-1)!.qboId;
    const sourceOf = await lookUp(deps, company, docs);
    const payments = await deps.synced.paymentsOf(
      company.id,
      docs.map((d) => d.qboId),
    );
    const marks: { qboId: string; qboUpdatedAt: Date; state: SyncedState; salesforceId: string | null }[] = [];
    const updates: { doc: SyncedDocument; row: SourceDocumentStatus; changes: NonNullable<ReturnType<typeof statusChanges>> }[] = [];
    for (const doc of docs) {
      const row = sourceOf(doc);
      if (!row) {
        summary.notInSalesforce++;
        marks.push({ qboId: doc.qboId, qboUpdatedAt: doc.qboUpdatedAt, state: 'foreign', salesforceId: null });
        continue;
      }
      const paid = (payments.get(doc.qboId) ?? []).map((p) => ({ date: p.payment.txnDate, amount: p.amount }));
      const changes = statusChanges(row, documentStatus(doc, paid, row));
      if (changes) updates.push({ doc, row, changes });
      else marks.push({ qboId: doc.qboId, qboUpdatedAt: doc.qboUpdatedAt, state: 'written', salesforceId: row.id });
    }
    if (updates.length) {
      const syncedAt = deps.now();
      const outcomes = await deps.source.updateDocuments(updates.map((u) => ({ id: u.row.id, changes: u.changes, syncedAt })));
      outcomes.forEach((outcome, i) => {
        const { doc, row } = updates[i]!;
        if (outcome.ok) {
          summary.documentsUpdated++;
          marks.push({ qboId: doc.qboId, qboUpdatedAt: doc.qboUpdatedAt, state: 'written', salesforceId: row.id });
        } else summary.problems.push(statusRefused(row, doc.qboId, outcome.message ?? 'refused'));
      });
    }
    await deps.synced.markDocuments(company.id, marks);
    await deps.onPage?.();
  }
}
