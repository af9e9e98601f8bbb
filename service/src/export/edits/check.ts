// Each run looks for exported invoices changed in the source since the company's previous export (one query of the
// invoices, one of their lines), compares each with the fingerprint its journal entry keeps of what was sent, and —
// as the company's setting says — warns naming the fields, or updates the accounting system's invoice (a stale
// version is read again and sent once more; a total below the payments applied is refused with its fix).
// Exported payments are compared the same way first, and only warned about (payments.ts).
import type { JournalEntry, JournalRepository } from '../../store/types';
import * as entry from '../entries';
import type { SourceInvoice } from '../model';
import type { SourcePort } from '../ports';
import type { PlanBook } from '../plan/decision';
import { prepareInvoices } from '../kinds/invoicePrep';
import { preparedBuild } from '../kinds/invoices';
import type { RunContext } from '../kinds/context';
import type { InvoiceDoc, InvoiceStanding } from '../target';
import { coversPayments, editStep, paidOn } from './decide';
import { checkEditedPayments } from './payments';
import { differenceWords, fingerprintDiff, invoiceFingerprint, keptFingerprint, type InvoiceFingerprint } from './fingerprint';

export interface EditCheckDeps {
  run: RunContext;
  source: SourcePort;
  journal: JournalRepository;
  /** When the company's previous export started (null: none, so nothing was exported to change). */
  since: Date | null;
  plan: PlanBook;
  log(e: entry.LogEntry): void;
  checkpoint(): void;
}

const LINKED = new Set(['created', 'written_back']);
/** The journal detail that marks a change the accounting system does not have yet. */
const OWED = 'editOwed';

/** Keeps facts in the invoice's journal entry (not in a dry run, which changes nothing). */
async function remember(deps: EditCheckDeps, e: JournalEntry, facts: Record<string, unknown>): Promise<void> {
  if (!deps.run.dryRun) await deps.journal.upsertMany([{ ...e, detail: { ...e.detail, ...facts } }]);
}

/** Salesforce's SystemModstamp is its clock, not this service's: the window opens this much earlier. */
export const CLOCK_MARGIN_MS = 5 * 60_000;

/** The store may keep a fingerprint's keys in another order: compared field by field. */
function sameFingerprint(kept: unknown, now: InvoiceFingerprint): boolean {
  const warned = keptFingerprint({ sent: kept });
  return warned !== null && fingerprintDiff(warned, now).length === 0;
}

interface Edited {
  invoice: SourceInvoice;
  journal: JournalEntry;
  now: InvoiceFingerprint;
  words: string;
}

export async function checkExportedEdits(deps: EditCheckDeps): Promise<void> {
  const { run, source } = deps;
  if (!deps.since) return;
  const since = new Date(deps.since.getTime() - CLOCK_MARGIN_MS);
  await checkEditedPayments({ company: run.company, source, journal: deps.journal, since, dryRun: run.dryRun, plan: deps.plan, log: deps.log });
  if (!source.editedInvoices) return;
  // Changes still owed to the accounting system (warned about, or refused) are looked at again whatever their age.
  const owedIds = ((await deps.journal.withDetail?.(run.company.id, 'invoice', OWED)) ?? []).map((e) => e.recordId);
  for await (const page of source.editedInvoices(run.company, since, owedIds)) {
    deps.checkpoint();
    const journal = await deps.journal.getMany(
      run.company.id,
      'invoice',
      page.map((i) => i.id),
    );
    for (const invoice of page) {
      const e = journal.get(invoice.id);
      const sent = e?.targetId && LINKED.has(e.state) ? keptFingerprint(e.detail) : null;
      if (!e || !sent) continue;
      const now = invoiceFingerprint(invoice);
      const diff = fingerprintDiff(sent, now);
      if (diff.length) await act(deps, { invoice, journal: e, now, words: differenceWords(diff) });
      else if (e.detail[OWED]) await remember(deps, e, { [OWED]: undefined, warned: undefined });
    }
  }
}

async function act(deps: EditCheckDeps, edited: Edited): Promise<void> {
  const { run } = deps;
  const subject = { id: edited.invoice.id, name: edited.invoice.number };
  const targetId = edited.journal.targetId!;
  const form = edited.journal.detail.form as 'invoice' | 'creditMemo' | 'salesReceipt' | undefined;
  const step = editStep(run.company.exportedChanges, form, typeof run.target.updateInvoice === 'function');
  const note = (e: entry.LogEntry, action: 'skip' | 'fail') => {
    deps.plan.add('invoice', {
      recordId: subject.id,
      recordName: subject.name,
      action,
      message: e.message,
      ...(e.fix ? { fix: e.fix } : {}),
      quickBooksId: targetId,
    });
    deps.log(e);
  };
  if (step === 'locked') return note(entry.lockedInDesktop(subject, targetId, edited.words), 'skip');
  if (step === 'warn') {
    // Warned once per change: the same difference found again (a later run's wider window) says nothing more.
    if (sameFingerprint(edited.journal.detail.warned, edited.now)) return;
    await remember(deps, edited.journal, { warned: edited.now, [OWED]: true });
    return note(entry.editedAfterExport(subject, targetId, edited.words, run.dryRun), 'skip');
  }
  await update(deps, edited, subject, targetId, note);
}

async function update(
  deps: EditCheckDeps,
  edited: Edited,
  subject: entry.Subject,
  targetId: string,
  note: (e: entry.LogEntry, action: 'skip' | 'fail') => void,
): Promise<void> {
  const { run } = deps;
  const target = run.target;
  // A change QuickBooks did not take stays owed: the next export tries it again.
  const refused = async (e: entry.LogEntry) => (await remember(deps, edited.journal, { [OWED]: true }), note(e, 'fail'));
  const built = await buildDoc(run, edited.invoice);
  if (!built.ok) return refused(entry.notExportable('invoice', subject, built.message, built.fix));
  const detail = edited.journal.detail;
  // What the journal knows: the version last written and what was paid then. A payment since changes the version,
  // so QuickBooks refuses the update as stale and the invoice is read again.
  let version = typeof detail.version === 'string' ? detail.version : null;
  let paid = typeof detail.paid === 'number' ? detail.paid : 0;
  let fresh = false;
  let retried = false;
  const reread = async (): Promise<boolean> => {
    const standing: InvoiceStanding | null = (await target.invoiceStanding?.(targetId)) ?? null;
    if (!standing) return false;
    [version, paid, fresh] = [standing.version, paidOn(standing), true];
    return true;
  };
  if (version === null && !run.dryRun && !(await reread())) return note(entry.editedAfterExport(subject, targetId, edited.words), 'skip');
  for (;;) {
    // Refused only on what QuickBooks holds now (a payment may have been taken back there since).
    if (!coversPayments(built.total, paid) && !fresh && !run.dryRun && (await reread())) continue;
    if (!coversPayments(built.total, paid)) return refused(entry.editBelowPayments(subject, targetId, built.total, paid, edited.words));
    if (run.dryRun) return note(entry.updatedInQuickBooks(subject, targetId, edited.words, true), 'skip');
    const result = await target.updateInvoice!(targetId, version!, built.doc, { runId: run.runId });
    if (result.ok) {
      const kept = { ...detail, sent: edited.now, version: result.standing.version, paid: paidOn(result.standing), warned: undefined, [OWED]: undefined };
      await deps.journal.upsertMany([{ ...edited.journal, runId: run.runId, detail: kept }]);
      return note(entry.updatedInQuickBooks(subject, targetId, edited.words), 'skip');
    }
    // Changed in QuickBooks since it was last written (a payment, a user): read it again and send once more.
    if (result.fault.class === 'staleObject' && !retried && (retried = true) && (await reread())) continue;
    return refused(entry.editRefused(subject, targetId, edited.words, result.fault));
  }
}

/** The invoice as an export would send it now (the same planner and preparation as the invoice kind). */
async function buildDoc(
  run: RunContext,
  invoice: SourceInvoice,
): Promise<{ ok: true; doc: InvoiceDoc; total: number } | { ok: false; message: string; fix: string }> {
  const build = preparedBuild(run, invoice, (await prepareInvoices(run, [invoice])).get(invoice.id), { salesReceipts: false });
  if (!build.ok) return build;
  // What QuickBooks will total it at (lines, charges, discount, tax): the Total Amount field may not follow a line edit.
  return { ok: true, doc: build.doc, total: build.expectedTotal };
}
