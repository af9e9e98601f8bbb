// Pure decisions for payments and credit applications: link to a payment the accounting system already holds
// (same reference, same customer, same invoice), or build the one to create — never more than the invoice's open
// balance, and never on an invoice with nothing left to pay (each such case named with its amounts).
import { cleanText } from '../../matching/names';
import { localDate } from '../dates';
import { marker } from '../marker';
import type { CompanyModel, SourceCreditApplication, SourcePayment } from '../model';
import { fromCents, toCents } from '../money';
import type { HeldPayment, PaymentDoc, TargetLimits } from '../target';

export type PaymentDecision =
  | { kind: 'match'; targetId: string }
  | { kind: 'create'; doc: PaymentDoc; shortened: string[] }
  | { kind: 'fail'; message: string; fix: string }
  /** Not yet: it is exported by a later run (its invoice is not in the accounting system yet). */
  | { kind: 'wait'; message: string };

export interface PaymentContext {
  company: CompanyModel;
  limits: TargetLimits;
  /** The invoice's accounting id, when it was exported in this run or before. */
  invoiceTargetId: string | null;
  customerTargetId: string | null;
  /** What is still open on the invoice now, in cents (after the payments this run already planned). */
  openCents: number | null;
  /** Payments the accounting system holds with this payment's reference. */
  sameReference: HeldPayment[];
}

const money = (cents: number) => fromCents(cents).toFixed(2);

export function decidePayment(p: SourcePayment, ctx: PaymentContext): PaymentDecision {
  const what = `Payment ${p.name} (${p.reference ?? 'no reference'}) on invoice ${p.invoiceNumber}`;
  if (!ctx.invoiceTargetId || !ctx.customerTargetId) {
    return { kind: 'wait', message: `${what} waits: its invoice is not in QuickBooks yet.` };
  }
  // The same reference on this customer's payment of this invoice is this payment, made by an earlier run; the
  // same reference elsewhere (another customer's bank id) is not (seed 001).
  const held = p.reference ? ctx.sameReference.find((h) => h.customerId === ctx.customerTargetId && h.links.includes(ctx.invoiceTargetId!)) : undefined;
  if (held) return { kind: 'match', targetId: held.id };
  const cents = toCents(p.amount ?? 0);
  if (cents <= 0) {
    return {
      kind: 'fail',
      message: `${what} was not exported: its amount is ${money(cents)}.`,
      fix: 'Enter the amount received on the payment, then export again.',
    };
  }
  const reference = cleanText(p.reference, ctx.limits.paymentReference);
  if (reference.changes.length) {
    return {
      kind: 'fail',
      message: `${what} was not exported: its reference "${p.reference}" is longer than the ${ctx.limits.paymentReference} characters QuickBooks keeps, so re-runs could not recognise it.`,
      fix: `Shorten the payment's Reference to at most ${ctx.limits.paymentReference} characters (the bank's transaction id), then export again.`,
    };
  }
  if (ctx.openCents !== null && ctx.openCents <= 0) {
    return {
      kind: 'fail',
      message: `${what} was not exported: invoice ${p.invoiceNumber} has a 0.00 balance in QuickBooks, so QuickBooks cannot take a payment of ${money(cents)} on it.`,
      fix: 'Check whether the invoice was already paid in QuickBooks (delete the duplicate payment in Salesforce, or record a refund), then export again.',
    };
  }
  if (ctx.openCents !== null && cents > ctx.openCents) {
    return {
      kind: 'fail',
      message: `${what} was not exported: it is ${money(cents)} but invoice ${p.invoiceNumber} has only ${money(ctx.openCents)} open in QuickBooks.`,
      fix: 'Correct the payment amount (or the invoice) in Salesforce so the payments do not exceed the invoice total, then export again.',
    };
  }
  const doc: PaymentDoc = {
    sourceId: p.id,
    customerId: ctx.customerTargetId,
    amount: fromCents(cents),
    privateNote: `Salesforce payment ${p.name} on invoice ${p.invoiceNumber} ${marker(p.id)}`,
    links: [{ txnId: ctx.invoiceTargetId, form: 'invoice', amount: fromCents(cents) }],
    ...(p.paidAt ? { txnDate: localDate(p.paidAt, ctx.company.timeZone) } : p.date ? { txnDate: p.date } : {}),
    ...(reference.value ? { reference: reference.value } : {}),
    ...(ctx.company.paymentMethod ? { paymentMethod: ctx.company.paymentMethod } : {}),
    ...(ctx.company.depositAccount ? { depositAccount: ctx.company.depositAccount } : {}),
  };
  return { kind: 'create', doc, shortened: [] };
}

export interface ApplicationContext {
  /** The open balance of the invoice the credit names, in cents (null: not found in QuickBooks). */
  openCents: number | null;
  /** The credit memo's remaining credit, in cents. */
  creditCents: number;
}

/** A credit memo applied to the invoice it names: a payment of 0 linking both, for what both can take. */
export function decideApplication(a: SourceCreditApplication, ctx: ApplicationContext): PaymentDecision {
  const what = `Credit memo ${a.number} for invoice ${a.invoiceNumber}`;
  if (!a.invoiceTargetId) return { kind: 'wait', message: `${what} waits: invoice ${a.invoiceNumber} is not in QuickBooks yet.` };
  if (!a.creditTargetId || !a.customerTargetId) return { kind: 'wait', message: `${what} waits: the credit memo is not in QuickBooks yet.` };
  if (a.invoiceCustomerId !== a.customerId) {
    return {
      kind: 'fail',
      message: `${what} was not applied: the invoice belongs to another customer.`,
      fix: 'Point Applies To Invoice at an invoice of the credit memo’s customer (or clear it), then export again.',
    };
  }
  if (ctx.openCents === null || ctx.openCents <= 0) {
    return {
      kind: 'fail',
      message: `${what} was not applied: invoice ${a.invoiceNumber} has nothing open in QuickBooks.`,
      fix: 'Apply the credit to another open invoice (change Applies To Invoice), or leave it as open credit in QuickBooks.',
    };
  }
  const cents = Math.min(ctx.openCents, ctx.creditCents);
  if (cents <= 0)
    return {
      kind: 'fail',
      message: `${what} was not applied: the credit memo has no credit left.`,
      fix: 'No action needed if it was applied in QuickBooks already.',
    };
  const amount = fromCents(cents);
  return {
    kind: 'create',
    doc: {
      sourceId: a.id,
      customerId: a.customerTargetId,
      amount: 0,
      privateNote: `Salesforce credit memo ${a.number} applied to invoice ${a.invoiceNumber} ${marker(a.id)}`,
      links: [
        { txnId: a.invoiceTargetId, form: 'invoice', amount },
        { txnId: a.creditTargetId, form: 'creditMemo', amount },
      ],
    },
    shortened: [],
  };
}
