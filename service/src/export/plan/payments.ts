// Pure decisions for payments and credit applications: link to a payment the accounting system already holds
// (same reference, customer, invoice, amount and date, owned by no other payment: paymentReferences.ts), or build
// the one to create — never more than the invoice's open balance, and never on an invoice with nothing left to pay
// (each such case named with its amounts).
import { cleanText } from '../../matching/names';
import { depositAccountRefusal } from './currency';
import { localDate } from '../dates';
import { marker } from '../marker';
import { chooseReference, type OtherUse, type ReferenceContext } from './paymentReferences';
import type { CompanyModel, SourceCreditApplication, SourcePayment } from '../model';
import { fromCents, toCents } from '../money';
import type { HeldPayment, PaymentDoc, TargetLimits } from '../target';

export type PaymentDecision =
  | { kind: 'match'; targetId: string }
  /** `reused`: another payment of the invoice has the reference, so this one goes under a numbered form of it. */
  | { kind: 'create'; doc: PaymentDoc; shortened: string[]; reused?: ReusedReference }
  | { kind: 'fail'; message: string; fix: string }
  /** Not yet: it is exported by a later run (its invoice is not in the accounting system yet). */
  | { kind: 'wait'; message: string };

/** The reference another payment of the invoice has, the payment that has it, and the numbered form sent instead. */
export interface ReusedReference {
  reference: string;
  invoiceNumber: string;
  /** The other payment, in words. */
  other: string;
  sentAs: string;
}

export interface PaymentContext {
  company: CompanyModel;
  limits: TargetLimits;
  /** The invoice's accounting id, when it was exported in this run or before. */
  invoiceTargetId: string | null;
  customerTargetId: string | null;
  /** What is still open on the invoice now, in cents (after the payments this run already planned). */
  openCents: number | null;
  /** Payments the accounting system holds with this payment's reference or a numbered form of it. */
  sameReference: HeldPayment[];
  /** Held payment id -> the source payment this run already linked it to. */
  claimed?: ReferenceContext['claimed'];
  /** References this run sends on the same invoice (payments planned before this one). */
  plannedReferences?: ReferenceContext['planned'];
  /** Multicurrency: the payment's currency (its invoice's), the rate to send, and the deposit account's currency. */
  currency?: PaymentCurrency;
}

export interface PaymentCurrency {
  code: string;
  home: string;
  /** Null: the accounting system's own rate for the date. */
  rate: number | null;
  depositAccountCurrency: string | null;
}

/** The currency fields of a payment document, or why the deposit account cannot take it. */
function currencyFields(
  what: string,
  c: PaymentCurrency | undefined,
  company: CompanyModel,
): { fields: Partial<PaymentDoc> } | { message: string; fix: string } {
  if (!c) return { fields: {} };
  const account = company.depositAccount ? { id: company.depositAccount, currency: c.depositAccountCurrency } : null;
  const refusal = depositAccountRefusal(what, c.code, c.home, account, company.name);
  if (refusal) return { message: `${refusal.message.replace(/\.$/, '')}: it was not exported.`, fix: refusal.fix };
  return { fields: { currency: c.code, ...(c.rate && c.code !== c.home ? { exchangeRate: c.rate } : {}) } };
}

const money = (cents: number) => fromCents(cents).toFixed(2);

export function decidePayment(p: SourcePayment, ctx: PaymentContext): PaymentDecision {
  const what = `Payment ${p.name} (${p.reference ?? 'no reference'}) on invoice ${p.invoiceNumber}`;
  if (!ctx.invoiceTargetId || !ctx.customerTargetId) {
    return { kind: 'wait', message: `${what} waits: its invoice is not in QuickBooks yet.` };
  }
  const cents = toCents(p.amount ?? 0);
  const day = p.paidAt ? localDate(p.paidAt, ctx.company.timeZone) : p.date;
  const reference = cleanText(p.reference, ctx.limits.paymentReference);
  // The same reference elsewhere (another customer's bank id) is another payment (seed 001).
  const choice = reference.value
    ? chooseReference(
        {
          id: p.id,
          reference: reference.changes.length ? p.reference! : reference.value,
          cents,
          day,
          customerId: ctx.customerTargetId,
          invoiceId: ctx.invoiceTargetId,
        },
        { held: ctx.sameReference, claimed: ctx.claimed ?? new Map(), planned: ctx.plannedReferences ?? [], maxLength: ctx.limits.paymentReference },
      )
    : null;
  if (choice?.kind === 'match') return { kind: 'match', targetId: choice.targetId };
  if (cents <= 0) {
    return {
      kind: 'fail',
      message: `${what} was not exported: its amount is ${money(cents)}.`,
      fix: 'Enter the amount received on the payment, then export again.',
    };
  }
  if (reference.changes.length) {
    return {
      kind: 'fail',
      message: `${what} was not exported: its reference "${p.reference}" is longer than the ${ctx.limits.paymentReference} characters QuickBooks keeps, so re-runs could not recognise it.`,
      fix: `Shorten the payment's Reference to at most ${ctx.limits.paymentReference} characters (the bank's transaction id), then export again.`,
    };
  }
  if (choice?.kind === 'tooLong') {
    return {
      kind: 'fail',
      message: `${what} was not exported: ${otherWords(choice.reusedFrom)} has the same reference, and the numbered form ${choice.reference} that would tell them apart is longer than the ${ctx.limits.paymentReference} characters QuickBooks keeps.`,
      fix: `Give payment ${p.name} its own Reference (the bank's transaction id for this payment, at most ${ctx.limits.paymentReference - 3} characters), then export again.`,
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
  const currency = currencyFields(what, ctx.currency, ctx.company);
  if ('message' in currency) return { kind: 'fail', ...currency };
  const doc: PaymentDoc = {
    ...currency.fields,
    sourceId: p.id,
    customerId: ctx.customerTargetId,
    amount: fromCents(cents),
    privateNote: `Salesforce payment ${p.name} on invoice ${p.invoiceNumber} ${marker(p.id)}`,
    links: [{ txnId: ctx.invoiceTargetId, form: 'invoice', amount: fromCents(cents) }],
    ...(day ? { txnDate: day } : {}),
    ...(choice?.kind === 'send' ? { reference: choice.reference } : {}),
    ...(ctx.company.paymentMethod ? { paymentMethod: ctx.company.paymentMethod } : {}),
    ...(ctx.company.depositAccount ? { depositAccount: ctx.company.depositAccount } : {}),
  };
  const reused: ReusedReference | undefined =
    choice?.kind === 'send' && choice.reusedFrom
      ? { reference: reference.value, invoiceNumber: p.invoiceNumber, other: otherWords(choice.reusedFrom), sentAs: choice.reference }
      : undefined;
  return { kind: 'create', doc, shortened: [], ...(reused ? { reused } : {}) };
}

/** The other payment that has a reference, as a Process Log entry names it. */
export function otherWords(o: OtherUse): string {
  const facts = [`${money(o.cents)}${o.day ? ` on ${o.day}` : ''}`, ...(o.owner ? [o.owner] : [])].join(', ');
  return o.targetId
    ? `QuickBooks payment ${o.targetId} (${facts})`
    : `${o.owner ?? 'another payment'} of this export (${money(o.cents)}${o.day ? ` on ${o.day}` : ''})`;
}

export interface ApplicationContext {
  /** The open balance of the invoice the credit names, in cents (null: not found in QuickBooks). */
  openCents: number | null;
  /** The credit memo's remaining credit, in cents. */
  creditCents: number;
}

/** A credit memo applied to the invoice it names: a payment of 0 linking both, for what both can take. */
export function decideApplication(a: SourceCreditApplication, ctx: ApplicationContext & { currency?: string }): PaymentDecision {
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
      ...(ctx.currency ? { currency: ctx.currency } : {}),
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
