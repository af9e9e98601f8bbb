// A payment's reference is how a later run recognises it in the accounting system, so two payments of one invoice
// never share one. Pure: which held payment is this payment (same reference or a numbered form of it, same customer
// and invoice, same amount and date, and no other source payment owns it), or the reference to send it under — the
// reference as it is, or numbered (`REF-2`, `REF-3`, …: the first number no payment of the invoice uses).
import { toCents } from '../money';
import type { HeldPayment } from '../target';

/** The reference the `n`th payment (n ≥ 2) of an invoice that reuses `reference` is sent under. */
export function numberedReference(reference: string, n: number): string {
  return `${reference}-${n}`;
}

/** `held` is `reference` as it is, or one of its numbered forms. */
export function isFormOf(held: string | null, reference: string): boolean {
  if (held === null) return false;
  if (held === reference) return true;
  const tail = held.startsWith(`${reference}-`) ? held.slice(reference.length + 1) : '';
  return /^[1-9][0-9]*$/.test(tail) && Number(tail) >= 2;
}

/** The payment the reference stands for here: its id in the source, its name, its amount and its day. */
export interface PaymentFacts {
  id: string;
  reference: string;
  cents: number;
  day: string | null;
  customerId: string;
  invoiceId: string;
}

/** Another payment of the same invoice that uses the reference (or one of its numbered forms). */
export interface OtherUse {
  reference: string;
  /** The accounting system's payment, when it holds it already. */
  targetId?: string;
  cents: number;
  day: string | null;
  /** The source payment that owns it (name or id), when known. */
  owner?: string;
}

export type ReferenceChoice =
  | { kind: 'match'; targetId: string }
  | { kind: 'send'; reference: string; reusedFrom?: OtherUse }
  | { kind: 'tooLong'; reference: string; reusedFrom: OtherUse };

export interface ReferenceContext {
  /** Held payments with the reference or a numbered form of it (any customer). */
  held: HeldPayment[];
  /** Held payment id -> the source payment this run already linked it to. */
  claimed: ReadonlyMap<string, string>;
  /** References this run sends on the same invoice, with the source payment that sends each. */
  planned: { reference: string; owner: string; cents: number; day: string | null }[];
  maxLength: number;
}

export function chooseReference(p: PaymentFacts, ctx: ReferenceContext): ReferenceChoice {
  const mine = ctx.held.filter((h) => h.customerId === p.customerId && h.links.includes(p.invoiceId) && isFormOf(h.reference, p.reference));
  // Its own marker settles it, under whichever form it was sent.
  const marked = mine.find((h) => h.sourceId === p.id);
  if (marked) return { kind: 'match', targetId: marked.id };
  const owner = (h: HeldPayment) => ctx.claimed.get(h.id) ?? (h.sourceId ? `Salesforce payment ${h.sourceId}` : undefined);
  const same = mine.find((h) => !owner(h) && toCents(h.amount) === p.cents && (p.day === null || h.date === p.day));
  if (same) return { kind: 'match', targetId: same.id };

  const uses: OtherUse[] = [
    ...mine.map((h) => ({ reference: h.reference!, targetId: h.id, cents: toCents(h.amount), day: h.date, owner: owner(h) })),
    ...ctx.planned.filter((u) => isFormOf(u.reference, p.reference)),
  ];
  const first = uses.find((u) => u.reference === p.reference);
  if (!first) return { kind: 'send', reference: p.reference };
  const taken = new Set(uses.map((u) => u.reference));
  let n = 2;
  while (taken.has(numberedReference(p.reference, n))) n++;
  const reference = numberedReference(p.reference, n);
  if (reference.length > ctx.maxLength) return { kind: 'tooLong', reference, reusedFrom: first };
  return { kind: 'send', reference, reusedFrom: first };
}
