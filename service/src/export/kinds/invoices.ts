// Invoices through the pipeline. Before the first page, invoices an interrupted run sent without hearing back are
// looked up by their marker; each invoice is then linked (the journal or the marker knows it), refused before
// sending (bad data, a number already taken), or created — and its total compared with the source's.
import type { JournalRepository } from '../../store/types';
import * as entry from '../entries';
import { PENDING_SYNC, type SourceInvoice } from '../model';
import { round2, toCents } from '../money';
import { buildInvoice } from '../plan/invoices';
import type { KindDescriptor, Planned } from '../descriptor';
import type { WriteBackUpdate } from '../ports';
import type { CreatedRecord } from '../target';
import type { RunContext } from './context';

const FORM_NOUN = { invoice: 'invoice', creditMemo: 'credit memo', salesReceipt: 'sales receipt' } as const;

/** A day's margin covers clock differences between this service and the accounting system. */
const RECOVERY_MARGIN_MS = 86_400_000;

export interface InvoiceKind extends KindDescriptor<SourceInvoice, 'invoice'> {
  /** The requested invoice numbers the run read (to name the requested ones it never saw). */
  readonly seen: Set<string>;
}

export function invoiceKind(run: RunContext, journalRepo: JournalRepository, requested: ReadonlySet<string> = new Set()): InvoiceKind {
  let recovered = new Map<string, CreatedRecord>();
  const seen = new Set<string>();
  const exported = (
    subject: { id: string; name: string },
    record: CreatedRecord,
    invoice?: { totalCents: number | null; customerId: string | null },
  ): WriteBackUpdate => {
    run.invoices.set(subject.id, {
      targetId: record.id,
      totalCents: invoice?.totalCents ?? (typeof record.total === 'number' ? toCents(record.total) : null),
      customerId: invoice?.customerId ?? null,
    });
    return { kind: 'invoice', subject, targetId: record.id, number: record.number ?? null };
  };
  const failed = (subject: { id: string; name: string }, e: entry.LogEntry): WriteBackUpdate | undefined =>
    run.dryRun ? undefined : { kind: 'invoiceFailed', subject, message: `${e.message}\nFix: ${e.fix ?? ''}`.trim() };

  return {
    kind: 'invoice',
    twins: false,
    seen,
    id: (i) => i.id,
    async prepare() {
      const unsure = await journalRepo.listByState(run.company.id, 'invoice', ['sent', 'pending']);
      if (!unsure.length) return;
      const since = Math.min(...unsure.map((e) => (e.updatedAt ?? run.now()).getTime())) - RECOVERY_MARGIN_MS;
      recovered = await run.target.findByMarker('invoice', new Set(unsure.map((e) => e.recordId)), new Date(since));
    },
    async plan(page, journal) {
      for (const i of page) if (requested.has(i.number)) seen.add(i.number);
      const known = [...journal.values()].filter((e) => e.targetId && (e.state === 'created' || e.state === 'written_back'));
      // Someone may have deleted an invoice before its id reached Salesforce: only journal-known ids are asked about.
      const stillThere = known.length
        ? await run.target.existing(
            'invoice',
            known.map((e) => e.targetId!),
          )
        : new Set<string>();
      const builds = page.map((invoice) =>
        buildInvoice(invoice, run.company, run.settings, run.target.limits, {
          customerId: (invoice.customerId && run.customers.get(invoice.customerId)) || invoice.customerTargetId,
          itemFor: (productId) => (productId ? (run.items.get(productId) ?? null) : null),
        }),
      );
      // When the target will not refuse a duplicate number itself (or in a dry run), look the numbers up first.
      const numbers = builds.flatMap((b) => (b.ok && b.doc.docNumber ? [b.doc.docNumber] : []));
      const taken =
        numbers.length && (!run.settings.rejectsDuplicateNumbers || run.dryRun)
          ? await run.target.findByNumbers('invoice', numbers)
          : new Map<string, string>();

      return page.map((invoice, i): Planned<'invoice'> => {
        const subject = { id: invoice.id, name: invoice.number };
        const prior = journal.get(invoice.id);
        if (prior?.targetId && stillThere.has(prior.targetId)) {
          const record = { id: prior.targetId, number: (prior.detail.number as string | null | undefined) ?? null };
          return linkTo(subject, record, { by: 'earlierExport' }, prior);
        }
        const found = recovered.get(invoice.id);
        if (found) return linkTo(subject, found, { by: 'marker' });
        if (run.target.deliversLater && !run.dryRun && invoice.exportStatus !== PENDING_SYNC) {
          const e = entry.unpended(subject);
          return { subject, decision: { action: 'skip', message: e.message }, entries: [e], step: { type: 'none' } };
        }
        const build = builds[i]!;
        if (!build.ok) {
          const e = entry.notExportable('invoice', subject, build.message, build.fix);
          return {
            subject,
            decision: { action: 'fail', message: build.message, fix: build.fix },
            entries: [e],
            step: { type: 'fail', update: failed(subject, e) },
          };
        }
        const other = build.doc.docNumber ? taken.get(build.doc.docNumber) : undefined;
        if (other) {
          const e = entry.numberTaken(subject, build.doc.docNumber, other);
          return { subject, decision: { action: 'fail', message: e.message, fix: e.fix }, entries: [e], step: { type: 'fail', update: failed(subject, e) } };
        }
        const entries: entry.LogEntry[] = [];
        if (build.shortened.length) entries.push(entry.shortened('invoice', subject, build.shortened));
        if (build.warnings.length) entries.push(entry.dataWarning('invoice', subject, build.warnings));
        return {
          subject,
          decision: {
            action: 'create',
            quickBooksName: build.doc.docNumber ?? undefined,
            shortened: build.shortened.length ? build.shortened : undefined,
            warnings: build.warnings.length ? build.warnings : undefined,
          },
          entries,
          step: {
            type: 'create',
            creation: {
              subject,
              doc: build.doc,
              attempt: 0,
              note: {
                expectedTotal: build.expectedTotal,
                sourceTotal: invoice.total === null ? null : Math.abs(invoice.total),
                payments: build.doc.form === 'salesReceipt' ? invoice.payments.map((p) => ({ id: p.id, name: p.reference ?? p.id })) : undefined,
              },
            },
          },
        };
      });

      function linkTo(
        subject: { id: string; name: string },
        record: CreatedRecord,
        how: entry.MatchHow,
        journalEntry?: (typeof known)[number],
      ): Planned<'invoice'> {
        return {
          subject,
          decision: { action: 'match', matchedBy: entry.matchWords(how), quickBooksId: record.id, quickBooksName: record.number ?? undefined },
          entries: [entry.matched('invoice', subject, record.id, how)],
          step: {
            type: 'link',
            targetId: record.id,
            update: exported(subject, record),
            journal: journalEntry && { ...journalEntry, detail: { ...journalEntry.detail, number: record.number ?? null } },
          },
        };
      }
    },
    created(creation, record) {
      const entries = [entry.created('invoice', creation.subject, record, FORM_NOUN[creation.doc.form])];
      const expected = (creation.note?.sourceTotal as number | null) ?? (creation.note?.expectedTotal as number);
      if (typeof record.total === 'number' && Number.isFinite(record.total) && round2(record.total) !== round2(expected)) {
        entries.push(entry.totalDiffers(creation.subject, record.id, record.total, expected));
      }
      const update = exported(creation.subject, record, { totalCents: toCents(expected), customerId: creation.doc.customerId });
      // A sales receipt is its payments too: they are linked to it and need nothing more.
      const paid = (creation.note?.payments as { id: string; name: string }[] | undefined) ?? [];
      for (const p of paid) run.receiptPayments.add(p.id);
      return { entries, update, also: paid.map((p) => ({ kind: 'payment' as const, subject: p, targetId: record.id })) };
    },
    refused(creation, fault) {
      // Un-pended while queued: the source record already says so; the log says why it was not sent.
      if (fault.class === 'withdrawn') return { entries: [entry.unpended(creation.subject)] };
      const e =
        fault.class === 'duplicateNumber'
          ? entry.numberTaken(creation.subject, creation.doc.docNumber, undefined, fault)
          : entry.invoiceRefused(creation.subject, fault);
      return { entries: [e], update: failed(creation.subject, e) };
    },
    twinUpdate: (subject, record) => exported(subject, record),
  };
}
