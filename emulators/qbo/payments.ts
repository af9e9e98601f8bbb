// Payments: money received from a customer, applied through its lines to
// the customer's invoices (LinkedTxn TxnType "Invoice") and, to use a credit,
// to its credit memos (TxnType "CreditMemo"). A credit memo is applied to an
// invoice by one payment that links both: TotalAmt is what was received, so
// invoice lines minus credit lines, and 0 for a credit alone (the recorded
// payment 74 in NangoHQ/integration-templates
// integrations/quickbooks/tests/list-payments.test.json). Applying lowers the
// linked document's Balance, adds the payment to an invoice's LinkedTxn and
// moves the customer's open balance.

import { qboDate, qboDateTime } from './clock';
import { noteChange } from './changes';
import { faults } from './faults';
import type { EntityHandler } from './lists';
import { cents, fromCents, toNumber } from './money';
import { homeAmount, transactionRate } from './currency';
import { checkLength, currencyRef, isObject, refValue, str, type WriteContext } from './rules';
import type { Entity, EntityName } from './state';
import { adjustCustomerBalance, depositAccountRef, transactionCurrency } from './transactions';

const PAYMENT_KNOWN: ReadonlySet<string> = new Set([
  'Id',
  'SyncToken',
  'MetaData',
  'domain',
  'sparse',
  'TxnDate',
  'CurrencyRef',
  'ExchangeRate',
  'PrivateNote',
  'Line',
  'LinkedTxn',
  'CustomerRef',
  'ARAccountRef',
  'DepositToAccountRef',
  'PaymentMethodRef',
  'PaymentRefNum',
  'CreditCardPayment',
  'TotalAmt',
  'UnappliedAmt',
  'ProcessPayment',
  'TxnSource',
  'TransactionLocationType',
  'ProjectRef',
  'TxnStatus',
]);

/** Key order of the recorded payments. */
const PAYMENT_ORDER = [
  'CustomerRef',
  'DepositToAccountRef',
  'PaymentMethodRef',
  'PaymentRefNum',
  'TotalAmt',
  'UnappliedAmt',
  'ProcessPayment',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
  'TxnDate',
  'CurrencyRef',
  'ExchangeRate',
  'LinkedTxn',
  'PrivateNote',
  'Line',
];

type Target = 'Invoice' | 'CreditMemo';
const TARGETS: Target[] = ['Invoice', 'CreditMemo'];

interface Application {
  type: Target;
  id: string;
  cents: number;
}

/** What each line of a stored payment applies, summed per linked document. */
function applications(payment: Entity | undefined): Application[] {
  const byKey = new Map<string, Application>();
  for (const line of payment?.Line ?? []) {
    const link = (line.LinkedTxn ?? []).find((l: Entity) => TARGETS.includes(l.TxnType));
    if (!link) continue;
    const key = `${link.TxnType}:${link.TxnId}`;
    const found = byKey.get(key) ?? { type: link.TxnType as Target, id: String(link.TxnId), cents: 0 };
    found.cents += cents(toNumber(line.Amount) ?? 0);
    byKey.set(key, found);
  }
  return [...byKey.values()];
}

function appliedTo(payment: Entity | undefined, type: Target, id: string): number {
  return applications(payment).find((a) => a.type === type && a.id === id)?.cents ?? 0;
}

function moneyText(c: number): string {
  return (c / 100).toFixed(2);
}

function nameValue(name: string, value: string): Entity {
  return {
    name: '{http://schema.intuit.com/finance/v3}NameValue',
    declaredType: 'com.intuit.schema.finance.v3.NameValue',
    scope: 'javax.xml.bind.JAXBElement$GlobalScope',
    value: { Name: name, Value: value },
    nil: false,
    globalScope: true,
    typeSubstituted: false,
  };
}

/**
 * The LineEx QBO adds to an applied line: the linked document's id, its open balance counting this payment's
 * share as still open (the recorded values are the document's current Balance plus this line's Amount), and its
 * number.
 */
function lineEx(target: Entity, balanceCents: number, appliedCents: number): Entity {
  const any = [nameValue('txnId', String(target.Id)), nameValue('txnOpenBalance', moneyText(balanceCents + appliedCents))];
  if (target.DocNumber) any.push(nameValue('txnReferenceNumber', String(target.DocNumber)));
  return { any };
}

function balanceOf(doc: Entity): number {
  return cents(toNumber(doc.Balance) ?? 0);
}

function touch(ctx: WriteContext, doc: Entity, type: Target): void {
  doc.SyncToken = String(Number(doc.SyncToken) + 1);
  doc.MetaData = { ...doc.MetaData, LastUpdatedTime: qboDateTime(ctx.now) };
  noteChange(ctx, type, String(doc.Id), 'updated');
}

function paymentsOf(ctx: WriteContext, type: Target, id: string): Set<string> {
  const key = `${type}:${id}`;
  let set = ctx.realm.paymentsByTarget.get(key);
  if (!set) {
    set = new Set();
    ctx.realm.paymentsByTarget.set(key, set);
  }
  return set;
}

/** Rewrites the LineEx of every payment applied to a document whose balance has moved. */
function refreshLineEx(ctx: WriteContext, type: Target, id: string): void {
  const doc = ctx.realm.table(type).get(id);
  if (!doc) return;
  const payments = ctx.realm.table('Payment');
  for (const paymentId of paymentsOf(ctx, type, id)) {
    const payment = payments.get(paymentId);
    for (const line of payment?.Line ?? []) {
      const link = (line.LinkedTxn ?? [])[0];
      if (link?.TxnType === type && String(link.TxnId) === id) line.LineEx = lineEx(doc, balanceOf(doc), cents(toNumber(line.Amount) ?? 0));
    }
  }
}

/** Applies (sign 1) or takes back (sign -1) everything a stored payment applies. */
function apply(ctx: WriteContext, payment: Entity, sign: 1 | -1): void {
  for (const a of applications(payment)) {
    const doc = ctx.realm.table(a.type).get(a.id);
    if (!doc) continue;
    doc.Balance = fromCents(balanceOf(doc) - sign * a.cents);
    const rate = toNumber(doc.ExchangeRate);
    if (doc.HomeBalance !== undefined && rate !== undefined) doc.HomeBalance = homeAmount(doc.Balance, rate);
    if (a.type === 'CreditMemo') doc.RemainingCredit = doc.Balance;
    if (a.type === 'Invoice') {
      const links: Entity[] = (doc.LinkedTxn ?? []).filter((l: Entity) => !(l.TxnType === 'Payment' && l.TxnId === payment.Id));
      if (sign === 1) links.push({ TxnId: payment.Id, TxnType: 'Payment' });
      doc.LinkedTxn = links;
    }
    touch(ctx, doc, a.type);
    // An invoice paid lowers what the customer owes; a credit used up raises it back (the memo had lowered it).
    adjustCustomerBalance(ctx, refValue(doc.CustomerRef), (a.type === 'Invoice' ? -1 : 1) * sign * a.cents);
    const index = paymentsOf(ctx, a.type, a.id);
    if (sign === 1) index.add(payment.Id);
    else index.delete(payment.Id);
  }
  adjustCustomerBalance(ctx, refValue(payment.CustomerRef), -sign * cents(toNumber(payment.UnappliedAmt) ?? 0));
}

function overApplied(doc: Entity): never {
  const what = doc.DocNumber ? `${doc.DocNumber}` : `Id ${String(doc.Id)}`;
  // Only "Business Validation Error: The payments you entered add up to more" is attested (a bill.com help page's
  // title quoting QuickBooks, and an integration matching that text); the rest of the sentence is ours.
  throw faults.businessValidation(`The payments you entered add up to more than the open balance of transaction ${what}.`);
}

interface BuiltLine {
  line: Entity;
  target?: { type: Target; doc: Entity };
}

function buildLine(ctx: WriteContext, raw: unknown, customerId: string, currency: string): BuiltLine {
  if (!isObject(raw)) throw faults.requiredParam('Line');
  const amount = toNumber(raw.Amount);
  if (amount === undefined) throw faults.requiredParam('Line.Amount');
  const links: Entity[] = Array.isArray(raw.LinkedTxn) ? raw.LinkedTxn : [];
  if (links.length === 0) throw faults.requiredParam('Line.LinkedTxn');
  const line: Entity = {
    Amount: fromCents(cents(amount)),
    LinkedTxn: links.map((l) => ({ TxnId: String(l.TxnId), TxnType: str(l.TxnType) })),
  };
  const link = links[0];
  const type = str(link.TxnType) as EntityName | undefined;
  if (type !== 'Invoice' && type !== 'CreditMemo') return { line };
  const doc = ctx.realm.table(type).get(String(link.TxnId));
  // A link to a document that is not there is "Object Not Found" (ruckus/quickbooks-ruby issue 277).
  if (!doc) throw faults.objectNotFound();
  if (refValue(doc.CustomerRef) !== customerId && !ctx.seeding) {
    throw faults.businessValidation(`The ${type === 'Invoice' ? 'invoice' : 'credit memo'} you are trying to link belongs to a different customer.`);
  }
  const docCurrency = refValue(doc.CurrencyRef) ?? ctx.realm.prefs.homeCurrency;
  if (docCurrency !== currency && !ctx.seeding) {
    throw faults.businessValidation(
      `The currency of the transaction you are linking to (${docCurrency}) must match the currency of the payment (${currency}).`,
    );
  }
  return { line, target: { type, doc } };
}

export const paymentHandler: EntityHandler = {
  known: PAYMENT_KNOWN,
  order: PAYMENT_ORDER,
  createAllowed: true,
  deleteAllowed: true,
  build(ctx, input, existing) {
    if (input.CustomerRef === undefined || input.CustomerRef === null) throw faults.requiredParam('CustomerRef');
    const total = toNumber(input.TotalAmt);
    if (total === undefined) throw faults.requiredParam('TotalAmt');
    const customerId = refValue(input.CustomerRef);
    const customer = customerId === undefined ? undefined : ctx.realm.table('Customer').get(customerId);
    if (!customer || ctx.createdInBatch?.has(`Customer:${customer.Id}`)) throw faults.invalidReference(`Names element id ${customerId ?? ''} not found`);
    if (customer.Active === false && !ctx.seeding) throw faults.objectNotFound();
    checkLength(input.PrivateNote, 'PrivateNote', 4000);
    checkLength(input.PaymentRefNum, 'PaymentRefNum', 21);
    const currency = transactionCurrency(ctx, input, customer);
    const built = (Array.isArray(input.Line) ? input.Line : []).map((raw: unknown) => buildLine(ctx, raw, customer.Id, currency));
    const txnDate = str(input.TxnDate) ?? existing?.TxnDate ?? qboDate(ctx.now);
    // Cents asked of each linked document, keyed "Type:Id".
    const requested = new Map<string, { type: Target; doc: Entity; cents: number }>();
    let net = 0;
    for (const { line, target } of built) {
      if (!target) continue;
      const c = cents(toNumber(line.Amount) ?? 0);
      const key = `${target.type}:${String(target.doc.Id)}`;
      const entry = requested.get(key) ?? { ...target, cents: 0 };
      entry.cents += c;
      requested.set(key, entry);
      net += target.type === 'Invoice' ? c : -c;
    }
    const openBefore = (type: Target, doc: Entity) => balanceOf(doc) + appliedTo(existing, type, String(doc.Id));
    if (!ctx.seeding) {
      for (const { type, doc, cents: asked } of requested.values()) if (asked > openBefore(type, doc)) overApplied(doc);
      if (net > cents(total)) throw faults.businessValidation('The amount applied to transactions is more than the payment amount.');
    }
    for (const { line, target } of built) {
      if (!target) continue;
      const asked = requested.get(`${target.type}:${String(target.doc.Id)}`)!.cents;
      line.LineEx = lineEx(target.doc, openBefore(target.type, target.doc) - asked, cents(toNumber(line.Amount) ?? 0));
    }
    return {
      ...input,
      CustomerRef: { value: customer.Id, name: customer.DisplayName },
      DepositToAccountRef:
        ctx.seeding && isObject(input.DepositToAccountRef) ? input.DepositToAccountRef : depositAccountRef(ctx, input.DepositToAccountRef, false, currency),
      TotalAmt: fromCents(cents(total)),
      UnappliedAmt: fromCents(cents(total) - net),
      ProcessPayment: input.ProcessPayment ?? false,
      TxnDate: txnDate,
      CurrencyRef: currencyRef(currency),
      ExchangeRate: ctx.seeding && toNumber(input.ExchangeRate) === undefined ? undefined : transactionRate(ctx, currency, input, txnDate),
      Line: built.map((b: BuiltLine) => b.line),
    };
  },
  commit(ctx, entity, existing) {
    const touched = [...applications(existing), ...applications(entity)];
    if (existing) apply(ctx, existing, -1);
    apply(ctx, entity, 1);
    for (const a of touched) refreshLineEx(ctx, a.type, a.id);
  },
  remove(ctx, existing) {
    apply(ctx, existing, -1);
    for (const a of applications(existing)) refreshLineEx(ctx, a.type, a.id);
  },
};
