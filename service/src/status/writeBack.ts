// The second half of a status sync: everything the store holds as owed to Salesforce — changed payments first (a
// payment received in QuickBooks becomes source payments on the invoices it pays), then changed documents (their
// balance, paid status, last payment date and total). Owed records are read a page at a time; their writes gather
// across pages into writes the source takes best (a large sync's go in bulk jobs, see gather.ts), and each record is
// marked written only once the write that carries it is taken. A refused record stays owed (and is named with its fix);
// Salesforce down stops the write with everything not yet taken still owed, for the next sync.
import type { CompanyModel } from '../export/model';
import type { StatusSyncProblem, SyncedDocument, SyncedPayment, SyncedRecordsRepository, SyncedState } from '../store/types';
import { documentStatus, paymentOrigin, paymentWrites, statusChanges, type NewSourcePayment } from './decide';
import { paymentRefused, statusRefused } from './messages';
import type { SourceDocumentStatus, SourcePaymentFromTarget } from './model';
import { Gathered } from './gather';
import type { StatusSourcePort, WriteOutcome } from './ports';

/**
 * Records read from the store (and looked up in Salesforce) at a time: a page of 2,000 is looked up in one Salesforce
 * /composite call of five id queries, where pages of 500 cost four calls for as many records.
 */
const STATUS_PAGE = 2000;

export interface WriteBackDeps {
  synced: SyncedRecordsRepository;
  source: StatusSourcePort;
  now: () => Date;
  /** Called after each page (the sync's heartbeat), whether its writes went or wait to be gathered further. */
  onPage?: () => Promise<void>;
  /** Owed records read at a time (default STATUS_PAGE). */
  pageSize?: number;
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

export const emptyWriteSummary = (): WriteSummary => ({
  documentsUpdated: 0,
  paymentsCreated: 0,
  paymentsUpdated: 0,
  paymentsDeleted: 0,
  notInSalesforce: 0,
  problems: [],
});

/** Writes what is owed; `summary` counts as it goes, so a write stopped part-way still tells what Salesforce took. */
export async function writeOwed(deps: WriteBackDeps, company: CompanyModel, summary: WriteSummary = emptyWriteSummary()): Promise<WriteSummary> {
  await writePayments(deps, company, summary);
  await writeDocuments(deps, company, summary);
  return summary;
}

interface PlannedPayment {
  payment: SyncedPayment;
  create: NewSourcePayment[];
  update: SourcePaymentFromTarget[];
  remove: SourcePaymentFromTarget[];
  /** The names of the invoices it pays, by source id (a refusal names the invoice). */
  names: Map<string, string>;
}

type PaymentMark = { qboId: string; qboUpdatedAt: Date; state: SyncedState; origin: SyncedPayment['origin'] };

const paymentWeight = (p: PlannedPayment) => p.create.length + p.update.length + p.remove.length;

async function writePayments(deps: WriteBackDeps, company: CompanyModel, summary: WriteSummary): Promise<void> {
  const gathered = new Gathered(paymentWeight, deps.source.batching);
  const flushIfDue = async () => {
    for (let due = gathered.due(); due.length; due = gathered.due()) await sendPayments(deps, company, due, summary);
  };
  for (let after = ''; ; ) {
    const payments = await deps.synced.owedPayments(company.id, deps.pageSize ?? STATUS_PAGE, after);
    if (payments.length === 0) break;
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
    const marks: PaymentMark[] = [];
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
        const names = new Map<string, string>();
        for (const link of payment.links.filter((l) => l.kind === 'invoice')) {
          const source = sourceDocumentOf(link.documentId);
          if (source) names.set(source.id, source.name);
        }
        planned.push({ payment, ...writes, names });
        continue;
      }
      const ours = existing.length > 0 || payment.links.some((l) => sourceDocumentOf(l.documentId));
      if (!ours) summary.notInSalesforce++;
      marks.push({ qboId: payment.qboId, qboUpdatedAt: payment.qboUpdatedAt, state: ours ? 'written' : 'foreign', origin });
    }
    // What needs no write is done now; the planned writes wait until enough are gathered.
    const done = new Set(marks.map((m) => m.qboId));
    await markPaymentsDone(
      deps,
      company,
      marks,
      payments.filter((p) => done.has(p.qboId)),
    );
    gathered.add(planned);
    await flushIfDue();
    await deps.onPage?.();
  }
  // The rest in one write: once a chunk went, never fewer than the threshold.
  const rest = gathered.rest();
  if (rest.length) await sendPayments(deps, company, rest, summary);
}

/** Sends gathered payment writes, then marks the payments Salesforce took. */
async function sendPayments(deps: WriteBackDeps, company: CompanyModel, planned: PlannedPayment[], summary: WriteSummary): Promise<void> {
  const names = new Map(planned.flatMap((p) => [...p.names]));
  const failed = await applyPaymentWrites(deps, planned, summary, (documentId) => names.get(documentId) ?? documentId);
  const marks = planned
    .filter(({ payment }) => !failed.has(payment.qboId))
    .map(({ payment }): PaymentMark => ({ qboId: payment.qboId, qboUpdatedAt: payment.qboUpdatedAt, state: 'written', origin: 'quickbooks' }));
  await markPaymentsDone(
    deps,
    company,
    marks,
    planned.map((p) => p.payment),
  );
}

async function markPaymentsDone(deps: WriteBackDeps, company: CompanyModel, marks: PaymentMark[], payments: SyncedPayment[]): Promise<void> {
  if (marks.length) await deps.synced.markPayments(company.id, marks);
  // Their invoices' last payment date is written again.
  const documents = payments.flatMap((p) => p.links.map((l) => l.documentId));
  if (documents.length) await deps.synced.reopenDocuments(company.id, documents);
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

interface PlannedUpdate {
  doc: SyncedDocument;
  row: SourceDocumentStatus;
  changes: NonNullable<ReturnType<typeof statusChanges>>;
}

type DocumentMark = { qboId: string; qboUpdatedAt: Date; state: SyncedState; salesforceId: string | null };

async function writeDocuments(deps: WriteBackDeps, company: CompanyModel, summary: WriteSummary): Promise<void> {
  const gathered = new Gathered<PlannedUpdate>(() => 1, deps.source.batching);
  const flushIfDue = async () => {
    for (let due = gathered.due(); due.length; due = gathered.due()) await sendDocuments(deps, company, due, summary);
  };
  for (let after = ''; ; ) {
    const docs = await deps.synced.owedDocuments(company.id, deps.pageSize ?? STATUS_PAGE, after);
    if (docs.length === 0) break;
    after = docs.at(-1)!.qboId;
    const sourceOf = await lookUp(deps, company, docs);
    const payments = await deps.synced.paymentsOf(
      company.id,
      docs.map((d) => d.qboId),
    );
    const marks: DocumentMark[] = [];
    const updates: PlannedUpdate[] = [];
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
    // What needs no write is done now; the updates wait until enough are gathered.
    if (marks.length) await deps.synced.markDocuments(company.id, marks);
    gathered.add(updates);
    await flushIfDue();
    await deps.onPage?.();
  }
  const rest = gathered.rest();
  if (rest.length) await sendDocuments(deps, company, rest, summary);
}

/** Sends gathered status updates, then marks the documents Salesforce took. */
async function sendDocuments(deps: WriteBackDeps, company: CompanyModel, updates: PlannedUpdate[], summary: WriteSummary): Promise<void> {
  const syncedAt = deps.now();
  const outcomes = await deps.source.updateDocuments(updates.map((u) => ({ id: u.row.id, changes: u.changes, syncedAt })));
  const marks: DocumentMark[] = [];
  outcomes.forEach((outcome, i) => {
    const { doc, row } = updates[i]!;
    if (outcome.ok) {
      summary.documentsUpdated++;
      marks.push({ qboId: doc.qboId, qboUpdatedAt: doc.qboUpdatedAt, state: 'written', salesforceId: row.id });
    } else summary.problems.push(statusRefused(row, doc.qboId, outcome.message ?? 'refused'));
  });
  if (marks.length) await deps.synced.markDocuments(company.id, marks);
}
