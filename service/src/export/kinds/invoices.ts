// Invoices through the pipeline: what the journal or the marker does not link (recall.ts) is refused before sending
// (bad data, a number already taken) or created — and its total compared with the source's. A sales receipt carries
// the payments taken at the till: they are linked to it, whether it was created now or found again.
import * as entry from '../entries';
import { PENDING_SYNC, type SourceInvoice } from '../model';
import { round2, toCents } from '../money';
import { buildInvoice, salesForm, type InvoiceBuild } from '../plan/invoices';
import { taxDifference } from '../plan/tax';
import { prepareInvoices, withExtras, type InvoiceExtras, type InvoicePrep } from './invoicePrep';
import type { KindDescriptor, Planned } from '../descriptor';
import type { WriteBackUpdate } from '../ports';
import type { CreatedRecord, InvoiceDoc, NumberedRecord } from '../target';
import { plannedInvoiceId, type RunContext } from './context';
import { NumberingWatch } from '../preferences';
import { invoiceFingerprint } from '../edits/fingerprint';

const FORM_NOUN = { invoice: 'invoice', creditMemo: 'credit memo', salesReceipt: 'sales receipt' } as const;

/** Where QuickBooks computed the tax (automated, or per-line codes): both amounts and their difference in words. */
function checkTax(
  mode: InvoiceExtras['taxMode'] | undefined,
  sent: number | undefined,
  sourceTax: number | undefined,
  targetTax: number | null | undefined,
): { sourceTax: number; targetTax: number; difference: string | null } | null {
  if ((mode !== 'automated' && mode !== 'codes') || (sent !== undefined && mode === 'automated')) return null;
  if (typeof targetTax !== 'number' || sourceTax === undefined) return null;
  return { sourceTax, targetTax, difference: taxDifference(targetTax, sourceTax) };
}

/** The payments a sales receipt carried, as their write-backs (they need nothing more this run). */
function tillPayments(run: RunContext, payments: { id: string; name: string }[], receiptId: string): WriteBackUpdate[] {
  for (const p of payments) run.receiptPayments.add(p.id);
  return payments.map((p) => ({ kind: 'payment' as const, subject: p, targetId: receiptId }));
}

/**
 * Whether the payments phase looks this invoice up in the run: it has payments to export, or it is a credit memo
 * (applied there). Any other invoice's payment or credit application, if one appears, finds it in the journal (its
 * write-back may not be committed yet) and asks QuickBooks for its balance.
 */
const paidLater = (invoice: SourceInvoice): boolean => invoice.payments.length > 0 || invoice.credit;

const paymentSubjects = (invoice: SourceInvoice) => invoice.payments.map((p) => ({ id: p.id, name: p.reference ?? p.id }));

/**
 * A dry run's invoice to create, recorded as the real run records it once created: its payments then plan as
 * created on it (or, on a sales receipt, as carried by it) rather than as waiting for it.
 */
function planCreated(run: RunContext, invoice: SourceInvoice, doc: InvoiceDoc, expectedTotal: number): void {
  const targetId = plannedInvoiceId(invoice.id);
  const total = invoice.total === null ? expectedTotal : Math.abs(invoice.total);
  run.invoices.set(invoice.id, { targetId, totalCents: toCents(total), customerId: doc.customerId });
  if (doc.form === 'salesReceipt') tillPayments(run, paymentSubjects(invoice), targetId);
}

export interface InvoiceKind extends KindDescriptor<SourceInvoice, 'invoice'> {
  /** Whether the created invoices keep the numbering the run planned (the phase stops when they do not). */
  readonly numbering: NumberingWatch;
}

export function invoiceKind(run: RunContext): InvoiceKind {
  const numbering = new NumberingWatch();
  const exported = (
    subject: { id: string; name: string },
    record: CreatedRecord,
    invoice?: { totalCents: number | null; customerId: string | null; paidLater: boolean },
  ): WriteBackUpdate => {
    // Only what the payments phase will look up is kept for it (an invoice linked from the journal, whose source
    // record is not at hand here, is kept too): the rest of a large run's invoices are found in the journal, not held
    // to its end. A dry run journals nothing: it keeps them all.
    if (invoice?.paidLater !== false || run.dryRun || !run.linkedInvoices)
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
    numbering,
    twins: false,
    subject: (i) => ({ id: i.id, name: i.number }),
    recovers: true,
    alsoLinked: (invoice, record) =>
      (record.form ?? salesForm(invoice, run.company)) === 'salesReceipt' ? tillPayments(run, paymentSubjects(invoice), record.id) : [],
    async plan(page) {
      // Currency, tax, classes and locations, mapped fields: settled for the page, before any invoice is sent.
      const preps = await prepareInvoices(run, page);
      // Items made inactive after they were linked: refused here with their names, not by QuickBooks line by line.
      const inactive = await run.lookups.inactiveItems();
      const prepEntries = (invoice: SourceInvoice) => {
        const prep = preps.get(invoice.id);
        return prep?.ok ? prep.extras.entries : [];
      };
      const builds = page.map((invoice) =>
        preparedBuild(run, invoice, preps.get(invoice.id), {
          salesReceipts: run.target.supports('salesReceipt'),
          inactiveItem: (itemId) => inactive.get(itemId),
        }),
      );
      // When the target will not refuse a duplicate number itself (or in a dry run), look the numbers up first.
      const numbers = builds.flatMap((b) => (b.ok && b.doc.docNumber ? [b.doc.docNumber] : []));
      const taken =
        numbers.length && (!run.settings.rejectsDuplicateNumbers || run.dryRun)
          ? await run.target.findByNumbers('invoice', numbers)
          : new Map<string, NumberedRecord>();

      return page.map((invoice, i): Planned<'invoice'> => {
        const subject = { id: invoice.id, name: invoice.number };
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
            entries: [...prepEntries(invoice), e],
            step: { type: 'fail', update: failed(subject, e) },
          };
        }
        if (build.doc.form === 'creditMemo' && !run.target.supports('creditMemo')) {
          const e = entry.notSupported('invoice', subject, 'creditMemo', run.target.system);
          return { subject, decision: { action: 'skip', message: e.message, fix: e.fix }, entries: [e], step: { type: 'fail', update: failed(subject, e) } };
        }
        const other = build.doc.docNumber ? taken.get(build.doc.docNumber) : undefined;
        // The invoice holding the number carries this record's marker: it is this record (sent by an earlier export whose
        // link was lost, say with the store of a restarted demo). Its balance is asked of the target: payments may be on it.
        if (other?.sourceId === invoice.id) {
          const e = entry.matched('invoice', subject, other.id, { by: 'marker' });
          return {
            subject,
            decision: {
              action: 'match',
              matchedBy: entry.matchWords({ by: 'marker' }),
              quickBooksId: other.id,
              quickBooksName: build.doc.docNumber ?? undefined,
            },
            entries: [e],
            step: {
              type: 'link',
              targetId: other.id,
              update: exported(
                subject,
                { id: other.id, number: build.doc.docNumber },
                { totalCents: null, customerId: build.doc.customerId, paidLater: paidLater(invoice) },
              ),
              also: other.form === 'salesReceipt' ? tillPayments(run, paymentSubjects(invoice), other.id) : undefined,
            },
          };
        }
        if (other && (!other.form || other.form === build.doc.form)) {
          const e = entry.numberTaken(subject, build.doc.docNumber, other.id);
          return { subject, decision: { action: 'fail', message: e.message, fix: e.fix }, entries: [e], step: { type: 'fail', update: failed(subject, e) } };
        }
        if (run.dryRun) planCreated(run, invoice, build.doc, build.expectedTotal);
        const entries: entry.LogEntry[] = [...prepEntries(invoice)];
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
                sourceTax: Math.abs(invoice.tax ?? 0),
                payments: build.doc.form === 'salesReceipt' ? paymentSubjects(invoice) : undefined,
                fingerprint: invoiceFingerprint(invoice),
                paidLater: paidLater(invoice),
              },
            },
          },
        };
      });
    },
    created(creation, record) {
      const home = entry.homeAmounts(record, run.settings.homeCurrency);
      const entries = [entry.created('invoice', creation.subject, record, FORM_NOUN[creation.doc.form], home)];
      entries.push(...numbering.check(creation.subject, creation.doc.docNumber, record));
      let expected = (creation.note?.sourceTotal as number | null) ?? (creation.note?.expectedTotal as number);
      const taxed = checkTax(creation.doc.taxMode, creation.doc.tax, creation.note?.sourceTax as number | undefined, record.tax);
      if (taxed) {
        // QuickBooks computed the tax: its total is the source's with QuickBooks' tax, and a different tax is said once.
        expected = round2(expected - taxed.sourceTax + taxed.targetTax);
        if (taxed.difference) entries.push(entry.taxDiffers(creation.subject, record.id, taxed.difference, run.company.name));
      }
      if (typeof record.total === 'number' && Number.isFinite(record.total) && round2(record.total) !== round2(expected)) {
        entries.push(entry.totalDiffers(creation.subject, record.id, record.total, expected));
      }
      const update = exported(creation.subject, record, {
        totalCents: toCents(expected),
        customerId: creation.doc.customerId,
        paidLater: creation.note?.paidLater !== false,
      });
      // A sales receipt is its payments too: they are linked to it and need nothing more.
      const paid = (creation.note?.payments as { id: string; name: string }[] | undefined) ?? [];
      // What was sent, and the version QuickBooks holds it at: a later run compares the source with it (edits/).
      const sent = { sent: creation.note?.fingerprint, version: record.version ?? undefined, paid: 0 };
      return { entries, update, also: tillPayments(run, paid, record.id), detail: { form: creation.doc.form, ...sent } };
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
    linkUpdate: (subject, record) => exported(subject, record),
  };
}

/**
 * One invoice as the planner builds it, completed by its page's preparation (currency, tax, classes, mapped fields):
 * what an export sends, and what an exported invoice's edit check compares and would send.
 */
export function preparedBuild(
  run: RunContext,
  invoice: SourceInvoice,
  prep: InvoicePrep | undefined,
  options: { salesReceipts: boolean; inactiveItem?: Parameters<typeof buildInvoice>[4]['inactiveItem'] },
): InvoiceBuild {
  if (prep && !prep.ok) return prep;
  const build = buildInvoice(
    invoice,
    run.company,
    run.settings,
    run.target.limits,
    {
      customerId: prep?.extras.customerId ?? ((invoice.customerId && run.customers.get(invoice.customerId)) || invoice.customerTargetId),
      itemFor: (productId) => (productId ? (run.items.get(productId) ?? null) : null),
      inactiveItem: options.inactiveItem,
    },
    { salesReceipts: options.salesReceipts },
  );
  if (!build.ok || !prep) return build;
  const doc = withExtras(build.doc, prep.extras, { multiCurrency: run.settings.multiCurrency, overrideTax: run.company.salesTaxOverride === true });
  return { ...build, doc, shortened: [...build.shortened, ...prep.extras.shortened] };
}
