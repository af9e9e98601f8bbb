// Payments through the pipeline: each source payment becomes a payment applied to its invoice — found again by its
// reference (same customer, same invoice) or by its marker after a lost answer, never more than the invoice's
// open balance. Credit memos that name an invoice are applied the same way (a payment of 0 linking both).
import type { JournalRepository } from '../../store/types';
import * as entry from '../entries';
import type { SourceCreditApplication, SourcePayment } from '../model';
import { toCents } from '../money';
import { decideApplication, decidePayment, type PaymentDecision } from '../plan/payments';
import type { KindDescriptor, Planned } from '../descriptor';
import type { WriteBackUpdate } from '../ports';
import type { CreatedRecord, HeldPayment } from '../target';
import type { RunContext } from './context';

const RECOVERY_MARGIN_MS = 86_400_000;

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
      else unknown.push(targetId);
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

function planned(subject: entry.Subject, d: PaymentDecision, journalNote: string | undefined): Planned<'payment'> {
  switch (d.kind) {
    case 'match':
      return {
        subject,
        decision: { action: 'match', matchedBy: journalNote ?? entry.matchWords({ by: 'reference' }), quickBooksId: d.targetId },
        entries: [entry.matched('payment', subject, d.targetId, journalNote ? { by: 'earlierExport' } : { by: 'reference' })],
        step: { type: 'none' },
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
    case 'create':
      return {
        subject,
        decision: { action: 'create', quickBooksName: d.doc.reference },
        entries: [],
        step: { type: 'create', creation: { subject, doc: d.doc, attempt: 0 } },
      };
  }
}

/** The payment descriptor over any source: plain payments and credit applications differ only in how they decide. */
function paymentLike<R extends { id: string }>(
  run: RunContext,
  journalRepo: JournalRepository,
  opts: {
    subject(r: R): entry.Subject;
    invoice(r: R): { sourceId: string; targetId: string | null };
    references(page: R[]): string[];
    decide(r: R, balances: Balances, held: HeldPayment[]): PaymentDecision;
    update(subject: entry.Subject, targetId: string): WriteBackUpdate;
    skip?(r: R): boolean;
  },
): KindDescriptor<R, 'payment'> {
  const balances = new Balances(run);
  let recovered = new Map<string, CreatedRecord>();
  return {
    kind: 'payment',
    twins: false,
    id: (r) => r.id,
    async prepare() {
      const unsure = await journalRepo.listByState(run.company.id, 'payment', ['sent', 'pending']);
      if (!unsure.length) return;
      const since = Math.min(...unsure.map((e) => (e.updatedAt ?? run.now()).getTime())) - RECOVERY_MARGIN_MS;
      recovered = await run.target.findByMarker('payment', new Set(unsure.map((e) => e.recordId)), new Date(since));
    },
    async plan(page, journal) {
      const rows = page.filter((r) => !opts.skip?.(r));
      const known = rows.map((r) => journal.get(r.id)).filter((e) => e?.targetId && (e.state === 'created' || e.state === 'written_back'));
      const stillThere = known.length
        ? await run.target.existing(
            'payment',
            known.map((e) => e!.targetId!),
          )
        : new Set<string>();
      await balances.load(rows.map((r) => opts.invoice(r)));
      const refs = opts.references(rows);
      const held = refs.length ? await run.target.paymentsByReference(refs) : [];
      return rows.map((r): Planned<'payment'> => {
        const subject = opts.subject(r);
        const prior = journal.get(r.id);
        if (prior?.targetId && stillThere.has(prior.targetId)) {
          const p = planned(subject, { kind: 'match', targetId: prior.targetId }, entry.matchWords({ by: 'earlierExport' }));
          return { ...p, step: { type: 'link', targetId: prior.targetId, update: opts.update(subject, prior.targetId), journal: prior } };
        }
        const found = recovered.get(r.id);
        if (found) {
          const p = planned(subject, { kind: 'match', targetId: found.id }, entry.matchWords({ by: 'marker' }));
          return {
            ...p,
            entries: [entry.matched('payment', subject, found.id, { by: 'marker' })],
            step: { type: 'link', targetId: found.id, update: opts.update(subject, found.id) },
          };
        }
        const d = opts.decide(r, balances, held);
        if (d.kind === 'match')
          return { ...planned(subject, d, undefined), step: { type: 'link', targetId: d.targetId, update: opts.update(subject, d.targetId) } };
        if (d.kind === 'create') for (const link of d.doc.links.filter((l) => l.form === 'invoice')) balances.take(link.txnId, toCents(link.amount));
        return planned(subject, d, undefined);
      });
    },
    created(creation, record) {
      return { entries: [entry.created('payment', creation.subject, record)], update: opts.update(creation.subject, record.id) };
    },
    refused(creation, fault) {
      return { entries: [entry.createRefused('payment', creation.subject, fault)] };
    },
    twinUpdate: (subject, record) => opts.update(subject, record.id),
  };
}

export function paymentKind(run: RunContext, journalRepo: JournalRepository): KindDescriptor<SourcePayment, 'payment'> {
  const invoiceOf = (p: SourcePayment) => ({ sourceId: p.invoiceId, targetId: run.invoices.get(p.invoiceId)?.targetId ?? p.invoiceTargetId });
  return paymentLike<SourcePayment>(run, journalRepo, {
    subject: (p) => ({ id: p.id, name: p.name }),
    invoice: invoiceOf,
    skip: (p) => run.receiptPayments.has(p.id),
    references: (page) => [...new Set(page.flatMap((p) => (p.reference ? [p.reference] : [])))],
    decide: (p, balances, held) => {
      const invoice = invoiceOf(p);
      return decidePayment(p, {
        company: run.company,
        limits: run.target.limits,
        invoiceTargetId: invoice.targetId,
        customerTargetId: run.invoices.get(p.invoiceId)?.customerId ?? (p.customerId && run.customers.get(p.customerId)) ?? p.customerTargetId,
        openCents: balances.get(invoice.targetId),
        sameReference: held.filter((h) => h.reference === p.reference),
      });
    },
    update: (subject, targetId) => ({ kind: 'payment', subject, targetId }),
  });
}

export function creditApplicationKind(run: RunContext, journalRepo: JournalRepository): KindDescriptor<SourceCreditApplication, 'payment'> {
  const invoiceOf = (a: SourceCreditApplication) => ({ sourceId: a.invoiceId, targetId: run.invoices.get(a.invoiceId)?.targetId ?? a.invoiceTargetId });
  return paymentLike<SourceCreditApplication>(run, journalRepo, {
    subject: (a) => ({ id: a.id, name: a.number }),
    invoice: invoiceOf,
    references: () => [],
    decide: (a, balances) => {
      const invoice = invoiceOf(a);
      const credit = run.invoices.get(a.id);
      return decideApplication(
        {
          ...a,
          invoiceTargetId: invoice.targetId,
          creditTargetId: credit?.targetId ?? a.creditTargetId,
          customerTargetId: credit?.customerId ?? a.customerTargetId,
        },
        { openCents: balances.get(invoice.targetId), creditCents: credit?.totalCents ?? toCents(Math.abs(a.total ?? 0)) },
      );
    },
    update: (subject, targetId) => ({ kind: 'creditApplied', subject, targetId }),
  });
}
