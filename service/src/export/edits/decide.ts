// Pure decisions about an exported invoice that changed in the source: what to do with it, and whether its new
// total still covers what is paid on it in the accounting system.
import { round2 } from '../money';
import type { InvoiceStanding, SalesForm } from '../target';

export type EditsPolicy = 'warn' | 'update';
export type EditStep = 'warn' | 'update' | 'locked';

/**
 * A target that cannot update what it accepted (QuickBooks Desktop) keeps it locked; otherwise the company's
 * setting decides, and only an invoice (not a credit memo or sales receipt) is updated.
 */
export function editStep(policy: EditsPolicy | undefined, form: SalesForm | undefined, targetUpdates: boolean): EditStep {
  if (!targetUpdates) return 'locked';
  return policy === 'update' && (form ?? 'invoice') === 'invoice' ? 'update' : 'warn';
}

/** What payments took off the invoice's total. */
export function paidOn(standing: Pick<InvoiceStanding, 'total' | 'balance'>): number {
  return Math.max(0, round2(standing.total - standing.balance));
}

/** A new total below what is already paid would leave the invoice overpaid: never sent. */
export function coversPayments(newTotal: number, paid: number): boolean {
  return round2(newTotal) >= round2(paid);
}
