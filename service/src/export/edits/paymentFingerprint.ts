// What an exported payment held when it was sent, and how it differs now. Pure; payments are only warned about
// (an export never changes a payment QuickBooks holds: it may be deposited or reconciled there).
import { z } from 'zod';
import type { SourcePayment } from '../model';
import { round2 } from '../money';
import type { FieldDifference } from './fingerprint';

export const PaymentFingerprint = z.object({
  amount: z.number().nullable(),
  date: z.string().nullable(),
  paidAt: z.string().nullable(),
  reference: z.string().nullable(),
  method: z.string().nullable(),
});
export type PaymentFingerprint = z.infer<typeof PaymentFingerprint>;

export function paymentFingerprint(p: SourcePayment): PaymentFingerprint {
  return {
    amount: typeof p.amount === 'number' ? round2(p.amount) : null,
    date: p.date,
    paidAt: p.paidAt,
    reference: p.reference?.trim() || null,
    method: p.method,
  };
}

export function keptPaymentFingerprint(kept: unknown): PaymentFingerprint | null {
  const parsed = PaymentFingerprint.safeParse(kept);
  return parsed.success ? parsed.data : null;
}

const shown = (v: string | null) => (v === null || v === '' ? '(blank)' : v);

export function paymentDiff(sent: PaymentFingerprint, now: PaymentFingerprint): FieldDifference[] {
  const out: FieldDifference[] = [];
  if (sent.amount !== now.amount)
    out.push({ field: 'Amount', salesforce: now.amount?.toFixed(2) ?? '(blank)', quickBooks: sent.amount?.toFixed(2) ?? '(blank)' });
  const text = (field: string, a: string | null, b: string | null) => a !== b && out.push({ field, salesforce: shown(b), quickBooks: shown(a) });
  text('Payment Date', sent.date, now.date);
  text('Paid At', sent.paidAt, now.paidAt);
  text('Reference', sent.reference, now.reference);
  text('Payment Method', sent.method, now.method);
  return out;
}
