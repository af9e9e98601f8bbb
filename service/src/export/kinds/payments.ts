// Payments through the pipeline: each source payment the journal, its marker or its invoice's sales receipt does not
// link (recall.ts) becomes a payment applied to its invoice — found again by its reference (same customer, same
// invoice), never more than the invoice's open balance. Credit memos that name an invoice are applied the same way
// (a payment of 0 linking both).
import * as entry from '../entries';
import type { SourceCreditApplication, SourcePayment } from '../model';
import { toCents } from '../money';
import { paymentDay } from '../plan/invoices';
import { decideApplication, decidePayment, type PaymentDecision } from '../plan/payments';
import { isFormOf, numberedReference } from '../plan/paymentReferences';
import type { KindDescriptor, Planned } from '../descriptor';
import type { WriteBackUpdate } from '../ports';
import type { AccountingTarget, Capability, HeldPayment } from '../target';
import { paymentFingerprint } from '../edits/paymentFingerprint';
import { isPlanned, type RunContext } from './context';

/** Open balances of invoices, in cents, as this run plans payments on them. */
class Balances {
  private readonly open = new Map<string, number>();

  constructor(private readonly run: RunContext) {}

  /** Loads what is not known yet: invoices of this run from their totals, the others from the target. */
  async load(invoices: { sourceId: string; targetId: string | null }[]): Promise<void> {
    const unknown: string[] = [];
    for (const { sourceId, targetId } of invoices) {
      if (!targetId || this.open.has(targetId)) continue;
      const mine = this.run.invoices.get(sourceId);
      if (mine?.targetId === targetId && mine.totalCents !== null) this.open.set(targetId, mine.totalCents);
      // An invoice a dry run would create is not the target's to ask: its whole total would be open.
      else if (!isPlanned(targetId)) unknown.push(targetId);
    }
    if (!unknown.length) return;
    const found = await this.run.target.openBalances([...new Set(unknown)]);
    for (const [id, b] of found) this.open.set(id, toCents(b.balance));
  }

  get(targetId: string | null): number | null {
    return targetId ? (this.open.get(targetId) ?? null) : null;
  }

  take(targetId: string, cents: number): void {
    this.open.set(targetId, (this.open.get(targetId) ?? 0) - cents);
  }
}

/**
 * The QuickBooks id of a page's invoices: this run's link first — the invoice it keeps, or else the one its journal
 * holds (a large run does not keep every invoice, and an invoice's write-back may not be committed when its payment
 * or credit application is read) — then the source's.
 */
class InvoiceLinks {
  private journaled = new Map<string, string>();

  constructor(private readonly run: RunContext) {}

  /** Looks up in the journal, in one go a page, the invoices the run does not keep (the last page's are let go). */
  async load(sourceIds: string[]): Promise<void> {
    const wanted = sourceIds.filter((id) => id && !this.run.invoices.has(id));
    this.journaled = wanted.length && this.run.linkedInvoices ? await this.run.linkedInvoices(wanted) : new Map();
  }

  targetId(sourceId: string, fromSource: string | null): string | null {
    return this.run.invoices.get(sourceId)?.targetId ?? this.journaled.get(sourceId) ?? fromSource;
  }
}

/**
 * Held payments with these references or their numbered forms (`REF-2`, … asked for five at a time, only for a
 * reference QuickBooks holds, until a window finds none).
 */
async function heldForms(target: AccountingTarget, references: string[]): Promise<HeldPayment[]> {
  const found = await target.paymentsByReference(references);
  const WINDOW = 5;
  let todo = references.filter((r) => found.some((h) => h.reference === r)).map((reference) => ({ reference, from: 2 }));
  while (todo.length) {
    const forms = todo.flatMap((t) => Array.from({ length: WINDOW }, (_, i) => numberedReference(t.reference, t.from + i)));
    const more = await target.paymentsByReference(forms);
    found.push(...more);
    todo = todo
      .filter((t) => more.some((h) => h.reference !== null && h.reference !== t.reference && isFormOf(h.reference, t.reference)))
      .map((t) => ({ reference: t.reference, from: t.from + WINDOW }));
  }
  return found;
}

function planned(subject: entry.Subject, d: PaymentDecision, update: (targetId: string) => WriteBackUpdate): Planned<'payment'> {
  switch (d.kind) {
    case 'match':
      return {
        subject,
        decision: { action: 'match', matchedBy: entry.matchWords({ by: 'reference' }), quickBooksId: d.targetId },
        entries: [entry.matched('payment', subject, d.targetId, { by: 'reference' })],
        step: { type: 'link', targetId: d.targetId, update: update(d.targetId) },
      };
    case 'wait':
      return { subject, decision: { action: 'skip', message: d.message }, entries: [entry.paymentWaits(subject, d.message)], step: { type: 'none' } };
    case 'fail':
      return {
        subject,
        decision: { action: 'fail', message: d.message, fix: d.fix },
        entries: [entry.notExportable('payment', subject, d.message, d.fix)],
        step: { type: 'fail' },
      };
    case 'create': {
      const warnings = d.reused ? [entry.referenceReused(subject, d.reused)] : [];
      return {
        subject,
        decision: { action: 'create', quickBooksName: d.doc.reference, ...(warnings.length ? { warnings: warnings.map((w) => w.message) } : {}) },
        entries: warnings,
        step: { type: 'create', creation: { subject, doc: d.doc, attempt: 0 } },
      };
    }
  }
}

/** The payment descriptor over any source: plain payments and credit applications differ only in how they decide. */
function paymentLike<R extends { id: string }>(
  run: RunContext,
  opts: {
    /** What the target must support for these to be sent. */
    capability: Capability;
    subject(r: R): entry.Subject;
    /** The source ids of the invoices (and credit memo) the record names, and how their QuickBooks ids are found. */
    invoiceIds(r: R): string[];
    links: InvoiceLinks;
    invoice(r: R): { sourceId: string; targetId: string | null };
    references(page: R[]): string[];
    decide(r: R, balances: Balances, held: HeldPayment[]): PaymentDecision;
    update(subject: entry.Subject, targetId: string): WriteBackUpdate;
    skip?(r: R): boolean;
    /** The record's currency (multicurrency targets), so its rate is read before it is decided. */
    currency?(r: R): string;
    carriedBy?(r: R): string | null;
    /** What a later run compares the source record with (edits/). */
    fingerprint?(r: R): Record<string, unknown>;
  },
): KindDescriptor<R, 'payment'> {
  const balances = new Balances(run);
  return {
    kind: 'payment',
    twins: false,
    subject: opts.subject,
    skip: opts.skip,
    recovers: true,
    carriedBy: opts.carriedBy,
    async plan(rows) {
      if (!run.target.supports(opts.capability)) {
        return rows.map((r): Planned<'payment'> => {
          const e = entry.notSupported('payment', opts.subject(r), opts.capability, run.target.system);
          return { subject: opts.subject(r), decision: { action: 'skip', message: e.message, fix: e.fix }, entries: [e], step: { type: 'none' } };
        });
      }
      await opts.links.load(rows.flatMap((r) => opts.invoiceIds(r)));
      await balances.load(rows.map((r) => opts.invoice(r)));
      if (opts.currency) await run.rates.load(rows.map((r) => opts.currency!(r)));
      const refs = opts.references(rows);
      const held = refs.length ? await heldForms(run.target, refs) : [];
      return rows.map((r): Planned<'payment'> => {
        const subject = opts.subject(r);
        const d = opts.decide(r, balances, held);
        if (d.kind === 'create') for (const link of d.doc.links.filter((l) => l.form === 'invoice')) balances.take(link.txnId, toCents(link.amount));
        const p = planned(subject, d, (targetId) => opts.update(subject, targetId));
        if (p.step.type === 'create' && opts.fingerprint) p.step.creation.note = { fingerprint: opts.fingerprint(r) };
        return p;
      });
    },
    created(creation, record) {
      const sent = creation.note?.fingerprint ? { sent: creation.note.fingerprint } : undefined;
      return { entries: [entry.created('payment', creation.subject, record)], update: opts.update(creation.subject, record.id), detail: sent };
    },
    refused(creation, fault) {
      return { entries: [entry.createRefused('payment', creation.subject, fault)] };
    },
    linkUpdate: (subject, record) => opts.update(subject, record.id),
  };
}

/** Multicurrency targets: a payment (or credit application) is in its invoice's currency. */
function multiCurrency(run: RunContext): boolean {
  return run.settings.multiCurrency && run.target.capabilities?.currencies === true;
}

export function paymentKind(run: RunContext): KindDescriptor<SourcePayment, 'payment'> {
  const links = new InvoiceLinks(run);
  const invoiceOf = (p: SourcePayment) => ({ sourceId: p.invoiceId, targetId: links.targetId(p.invoiceId, p.invoiceTargetId) });
  const currencyOf = (p: SourcePayment) => p.currency ?? run.company.currency ?? run.settings.homeCurrency;
  let depositCurrency: string | null = null;
  // What this run already settled, so no two payments end on one QuickBooks payment or send one reference twice.
  const claimed = new Map<string, string>();
  const sent = new Map<string, { reference: string; owner: string; cents: number; day: string | null }[]>();
  const kind = paymentLike<SourcePayment>(run, {
    capability: 'payment',
    subject: (p) => ({ id: p.id, name: p.name }),
    invoiceIds: (p) => [p.invoiceId],
    links,
    invoice: invoiceOf,
    skip: (p) => run.receiptPayments.has(p.id),
    carriedBy: (p) => p.invoiceId || null,
    fingerprint: paymentFingerprint,
    currency: multiCurrency(run) ? currencyOf : undefined,
    references: (page) => [...new Set(page.flatMap((p) => (p.reference ? [p.reference] : [])))],
    decide: (p, balances, held) => {
      const invoice = invoiceOf(p);
      const code = currencyOf(p);
      const reference = p.reference?.trim() ?? '';
      const d = decidePayment(p, {
        currency: multiCurrency(run)
          ? {
              code,
              home: run.settings.homeCurrency,
              rate: run.rates.rateOn(code, paymentDay(p, run.company.timeZone)),
              depositAccountCurrency: depositCurrency,
            }
          : undefined,
        company: run.company,
        limits: run.target.limits,
        invoiceTargetId: invoice.targetId,
        customerTargetId: run.invoices.get(p.invoiceId)?.customerId ?? (p.customerId && run.customers.get(p.customerId)) ?? p.customerTargetId,
        openCents: balances.get(invoice.targetId),
        sameReference: reference ? held.filter((h) => isFormOf(h.reference, reference)) : [],
        claimed,
        plannedReferences: invoice.targetId ? (sent.get(invoice.targetId) ?? []) : [],
      });
      const owner = `Salesforce payment ${p.name}`;
      if (d.kind === 'match') claimed.set(d.targetId, owner);
      if (d.kind === 'create' && d.doc.reference && invoice.targetId) {
        const uses = sent.get(invoice.targetId) ?? [];
        uses.push({ reference: d.doc.reference, owner, cents: toCents(d.doc.amount), day: d.doc.txnDate ?? null });
        sent.set(invoice.targetId, uses);
      }
      return d;
    },
    update: (subject, targetId) => ({ kind: 'payment', subject, targetId }),
  });
  const prepare = kind.prepare?.bind(kind);
  return {
    ...kind,
    async prepare() {
      await prepare?.();
      if (multiCurrency(run)) depositCurrency = await run.lookups.depositCurrency();
    },
  };
}

export function creditApplicationKind(run: RunContext): KindDescriptor<SourceCreditApplication, 'payment'> {
  const links = new InvoiceLinks(run);
  const invoiceOf = (a: SourceCreditApplication) => ({ sourceId: a.invoiceId, targetId: links.targetId(a.invoiceId, a.invoiceTargetId) });
  return paymentLike<SourceCreditApplication>(run, {
    capability: 'creditApplication',
    subject: (a) => ({ id: a.id, name: a.number }),
    invoiceIds: (a) => [a.invoiceId, a.id],
    links,
    invoice: invoiceOf,
    references: () => [],
    decide: (a, balances) => {
      const invoice = invoiceOf(a);
      const credit = run.invoices.get(a.id);
      return decideApplication(
        {
          ...a,
          invoiceTargetId: invoice.targetId,
          creditTargetId: links.targetId(a.id, a.creditTargetId),
          customerTargetId: credit?.customerId ?? (a.customerId && run.customers.get(a.customerId)) ?? a.customerTargetId,
        },
        {
          openCents: balances.get(invoice.targetId),
          creditCents: credit?.totalCents ?? toCents(Math.abs(a.total ?? 0)),
          currency: multiCurrency(run) ? (a.currency ?? run.company.currency ?? run.settings.homeCurrency) : undefined,
        },
      );
    },
    update: (subject, targetId) => ({ kind: 'creditApplied', subject, targetId }),
  });
}
