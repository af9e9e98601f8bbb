// Exported payments changed in the source since the company's previous export: compared with what was sent (their
// journal entry keeps it) and warned about once per change. A payment QuickBooks holds is never changed by an export.
import type { JournalRepository } from '../../store/types';
import * as entry from '../entries';
import type { CompanyModel } from '../model';
import type { SourcePort } from '../ports';
import type { PlanBook } from '../plan/decision';
import { differenceWords } from './fingerprint';
import { keptPaymentFingerprint, paymentDiff, paymentFingerprint } from './paymentFingerprint';

const LINKED = new Set(['created', 'written_back']);

export interface PaymentEditDeps {
  company: CompanyModel;
  source: SourcePort;
  journal: JournalRepository;
  /** Where the window opens (already less the clocks' margin); null: nothing was exported before. */
  since: Date | null;
  dryRun: boolean;
  plan: PlanBook;
  log(e: entry.LogEntry): void;
}

export async function checkEditedPayments(deps: PaymentEditDeps): Promise<void> {
  if (!deps.since || !deps.company.exportsPayments || !deps.source.editedPayments) return;
  for await (const page of deps.source.editedPayments(deps.company, deps.since)) {
    const journal = await deps.journal.getMany(
      deps.company.id,
      'payment',
      page.map((p) => p.id),
    );
    for (const payment of page) {
      const e = journal.get(payment.id);
      const sent = e?.targetId && LINKED.has(e.state) ? keptPaymentFingerprint(e.detail.sent) : null;
      if (!e || !sent) continue;
      const now = paymentFingerprint(payment);
      const diff = paymentDiff(sent, now);
      const warned = keptPaymentFingerprint(e.detail.warned);
      if (!diff.length || (warned && !paymentDiff(warned, now).length)) continue;
      if (!deps.dryRun) await deps.journal.upsertMany([{ ...e, detail: { ...e.detail, warned: now } }]);
      const subject = { id: payment.id, name: payment.name };
      const w = entry.paymentEditedAfterExport(subject, e.targetId!, differenceWords(diff));
      deps.plan.add('payment', { recordId: subject.id, recordName: subject.name, action: 'skip', message: w.message, fix: w.fix, quickBooksId: e.targetId! });
      deps.log(w);
    }
  }
}
