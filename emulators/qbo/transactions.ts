// Sales forms: Invoice, CreditMemo and SalesReceipt. Totals are computed the
// way QBO computes them and every change flows into the customer's open
// balance (payments live in payments.ts).

import { addDays, qboDate } from './clock';
import { checkAccountCurrency, homeAmount, transactionRate } from './currency';
import { salesFormCustomFields } from './customFields';
import { faults } from './faults';
import type { EntityHandler } from './lists';
import { cents, fromCents, productCents, toNumber } from './money';
import { checkLength, currencyRef, isObject, refValue, resolveRef, str, type WriteContext } from './rules';
import { computeTax, lineTaxCode, type TaxableLine } from './salesTax';
import type { Entity } from './state';
import { lineClass, transactionTracking } from './tracking';

const SYSTEM = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse'];

const SALES_FORM_FIELDS = [
  'CustomField',
  'AutoDocNumber',
  'DocNumber',
  'TxnDate',
  'DepartmentRef',
  'CurrencyRef',
  'ExchangeRate',
  'PrivateNote',
  'TxnStatus',
  'LinkedTxn',
  'Line',
  'TxnTaxDetail',
  'CustomerRef',
  'CustomerMemo',
  'BillAddr',
  'ShipAddr',
  'ShipFromAddr',
  'FreeFormAddress',
  'ClassRef',
  'SalesTermRef',
  'GlobalTaxCalculation',
  'ShipMethodRef',
  'ShipDate',
  'TrackingNum',
  'TotalAmt',
  'HomeTotalAmt',
  'ApplyTaxAfterDiscount',
  'PrintStatus',
  'EmailStatus',
  'BillEmail',
  'BillEmailCc',
  'BillEmailBcc',
  'Balance',
  'HomeBalance',
  'DeliveryInfo',
  'TxnSource',
  'TaxExemptionRef',
  'ProjectRef',
  'TransactionLocationType',
  'RecurDataRef',
];

const INVOICE_KNOWN: ReadonlySet<string> = new Set([
  ...SYSTEM,
  ...SALES_FORM_FIELDS,
  'DueDate',
  'AllowIPNPayment',
  'AllowOnlinePayment',
  'AllowOnlineCreditCardPayment',
  'AllowOnlineACHPayment',
  'Deposit',
  'DepositToAccountRef',
  'InvoiceLink',
]);

const CREDITMEMO_KNOWN: ReadonlySet<string> = new Set([
  ...SYSTEM,
  ...SALES_FORM_FIELDS,
  'RemainingCredit',
  'PaymentMethodRef',
  'PaymentRefNum',
  'DepositToAccountRef',
]);

const SALESRECEIPT_KNOWN: ReadonlySet<string> = new Set([
  ...SYSTEM,
  ...SALES_FORM_FIELDS,
  'PaymentMethodRef',
  'PaymentRefNum',
  'DepositToAccountRef',
  'CreditCardPayment',
]);

/** Key order shared by the recorded sales forms, from `domain` to `ShipAddr`. */
const SALES_FORM_HEAD = [
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
  'CustomField',
  'DocNumber',
  'TxnDate',
  'CurrencyRef',
  'ExchangeRate',
  'PrivateNote',
  'LinkedTxn',
  'Line',
  'TxnTaxDetail',
  'CustomerRef',
  'CustomerMemo',
  'BillAddr',
  'ShipAddr',
];

/** After the head, before the totals: the references a form may carry (class, location, terms). */
const SALES_FORM_REFS = ['ClassRef', 'DepartmentRef'];

const INVOICE_ORDER = [
  'AllowIPNPayment',
  'AllowOnlinePayment',
  'AllowOnlineCreditCardPayment',
  'AllowOnlineACHPayment',
  ...SALES_FORM_HEAD,
  'FreeFormAddress',
  ...SALES_FORM_REFS,
  'SalesTermRef',
  'DueDate',
  'TotalAmt',
  'HomeTotalAmt',
  'ApplyTaxAfterDiscount',
  'PrintStatus',
  'EmailStatus',
  'BillEmail',
  'Balance',
  'HomeBalance',
];

const CREDITMEMO_ORDER = [
  'RemainingCredit',
  ...SALES_FORM_HEAD,
  ...SALES_FORM_REFS,
  'TotalAmt',
  'HomeTotalAmt',
  'ApplyTaxAfterDiscount',
  'PrintStatus',
  'EmailStatus',
  'Balance',
  'HomeBalance',
];

/** Key order of a recorded SalesReceipt (minimul/qbo_api spec/vcr/all/sales_receipts.yml). */
const SALESRECEIPT_ORDER = [
  ...SALES_FORM_HEAD,
  ...SALES_FORM_REFS,
  'TotalAmt',
  'HomeTotalAmt',
  'ApplyTaxAfterDiscount',
  'PrintStatus',
  'EmailStatus',
  'BillEmail',
  'Balance',
  'PaymentMethodRef',
  'PaymentRefNum',
  'DepositToAccountRef',
];

type SalesFormKind = 'Invoice' | 'CreditMemo' | 'SalesReceipt';

/** Keeps a customer's open balance in step with its documents. */
export function adjustCustomerBalance(ctx: WriteContext, customerId: string | undefined, deltaCents: number): void {
  if (!customerId || deltaCents === 0) return;
  const customer = ctx.realm.table('Customer').get(customerId);
  if (!customer) return;
  customer.Balance = fromCents(cents(toNumber(customer.Balance) ?? 0) + deltaCents);
  customer.BalanceWithJobs = fromCents(cents(toNumber(customer.BalanceWithJobs) ?? 0) + deltaCents);
}

interface BuiltLines {
  lines: Entity[];
  subtotal: number;
  discount: number;
  /** The sales lines as the tax engine sees them. */
  taxable: TaxableLine[];
}

function buildLines(ctx: WriteContext, raw: unknown[]): BuiltLines {
  const itemLines: Entity[] = [];
  const discountLines: { line: Entity; percent?: number; amount?: number }[] = [];
  const taxable: TaxableLine[] = [];
  let subtotal = 0;
  let lineNum = 0;
  for (const value of raw) {
    if (!isObject(value)) throw faults.requiredParam('Line');
    const type = str(value.DetailType);
    if (!type) throw faults.requiredParam('Line.DetailType');
    if (type === 'SubTotalLineDetail') continue;
    if (type === 'SalesItemLineDetail') {
      const detail = value.SalesItemLineDetail;
      if (!isObject(detail)) throw faults.requiredParam('Line.SalesItemLineDetail');
      if (detail.ItemRef === undefined || detail.ItemRef === null) throw faults.requiredParam('Line.SalesItemLineDetail.ItemRef');
      const item = resolveRef(ctx, 'Item', detail.ItemRef, 'Item');
      if (item.Type === 'Category') {
        throw faults.invalidReference('An item in this transaction is set up as a category instead of a product or service.');
      }
      const amount = toNumber(value.Amount);
      if (amount === undefined) throw faults.requiredParam('Line.Amount');
      const qty = toNumber(detail.Qty);
      const unitPrice = toNumber(detail.UnitPrice);
      if (qty !== undefined && unitPrice !== undefined && productCents(qty, unitPrice) !== cents(amount)) {
        throw faults.amountCalculation(amount);
      }
      checkLength(value.Description, 'Line.Description', 4000);
      lineNum += 1;
      const amountCents = cents(amount);
      subtotal += amountCents;
      const { ItemRef: _itemRef, UnitPrice: _unitPrice, Qty: _qty, ItemAccountRef: _account, TaxCodeRef: _tax, ClassRef, ...restDetail } = detail;
      const shapedDetail: Entity = { ItemRef: { value: item.Id, name: item.Name } };
      const classRef = lineClass(ctx, ClassRef);
      if (classRef) shapedDetail.ClassRef = classRef;
      if (unitPrice !== undefined) shapedDetail.UnitPrice = unitPrice;
      if (qty !== undefined) shapedDetail.Qty = qty;
      if (isObject(item.IncomeAccountRef)) shapedDetail.ItemAccountRef = { ...item.IncomeAccountRef };
      const taxCode = lineTaxCode(ctx, detail);
      if (taxCode !== undefined) shapedDetail.TaxCodeRef = { value: taxCode };
      taxable.push({ amountCents, taxCode });
      Object.assign(shapedDetail, restDetail);
      const line: Entity = { Id: String(lineNum), LineNum: lineNum };
      if (value.Description !== undefined) line.Description = value.Description;
      line.Amount = fromCents(amountCents);
      line.DetailType = type;
      line.SalesItemLineDetail = shapedDetail;
      itemLines.push(line);
      continue;
    }
    if (type === 'DescriptionOnly') {
      checkLength(value.Description, 'Line.Description', 4000);
      lineNum += 1;
      const line: Entity = { Id: String(lineNum), LineNum: lineNum, Description: value.Description ?? '' };
      const amount = toNumber(value.Amount);
      if (amount !== undefined) line.Amount = amount;
      line.DetailType = type;
      line.DescriptionLineDetail = isObject(value.DescriptionLineDetail) ? value.DescriptionLineDetail : {};
      itemLines.push(line);
      continue;
    }
    if (type === 'DiscountLineDetail') {
      const detail = isObject(value.DiscountLineDetail) ? value.DiscountLineDetail : {};
      const percentBased = detail.PercentBased === true || detail.PercentBased === 'true';
      const percent = toNumber(detail.DiscountPercent);
      const amount = toNumber(value.Amount);
      if (!(percentBased && percent !== undefined) && amount === undefined) throw faults.requiredParam('Line.Amount');
      const shaped: Entity = { PercentBased: percentBased };
      if (percent !== undefined) shaped.DiscountPercent = percent;
      if (isObject(detail.DiscountAccountRef)) shaped.DiscountAccountRef = detail.DiscountAccountRef;
      const line: Entity = { DetailType: type, DiscountLineDetail: shaped };
      discountLines.push({ line, percent: percentBased ? percent : undefined, amount });
      continue;
    }
    throw faults.businessValidation(`Line DetailType ${type} is not supported on this transaction.`);
  }
  let discount = 0;
  const shapedDiscounts = discountLines.map(({ line, percent, amount }) => {
    const value = percent !== undefined ? productCents(fromCents(subtotal), percent / 100) : cents(Math.abs(amount ?? 0));
    discount += value;
    return { Amount: fromCents(value), ...line };
  });
  const lines = [...itemLines, { Amount: fromCents(subtotal), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }, ...shapedDiscounts];
  return { lines, subtotal, discount, taxable };
}

function docNumberTaken(ctx: WriteContext, docNumber: string): boolean {
  return (ctx.realm.invoiceDocNumbers.get(docNumber.toLowerCase())?.size ?? 0) > 0;
}

function nextDocNumber(ctx: WriteContext): string {
  let n = ctx.realm.nextDocNumber;
  while (docNumberTaken(ctx, String(n))) n += 1;
  ctx.realm.nextDocNumber = n + 1;
  return String(n);
}

/**
 * DocNumber as QBO decides it: with custom transaction numbers off the
 * company's sequence wins over anything sent; with them on, what was sent is
 * kept and nothing is generated when it is left out — unless AutoDocNumber asks
 * for the company's next number.
 */
function decideDocNumber(ctx: WriteContext, input: Record<string, any>, existing?: Entity): string | undefined {
  const given = str(input.DocNumber);
  if (existing) return given ?? existing.DocNumber;
  if (ctx.seeding) return given ?? nextDocNumber(ctx);
  if (!ctx.realm.prefs.customTxnNumbers || input.AutoDocNumber === true) return nextDocNumber(ctx);
  return given === '' ? undefined : given;
}

function checkDuplicateDocNumber(ctx: WriteContext, docNumber: string | undefined, existing?: Entity): void {
  if (!docNumber || ctx.seeding || ctx.allowDuplicateDocNum || !ctx.realm.prefs.warnDuplicateDocNum) return;
  if (existing && existing.DocNumber === docNumber) return;
  const users = ctx.realm.invoiceDocNumbers.get(docNumber.toLowerCase());
  if (!users) return;
  for (const id of users) {
    if (id !== existing?.Id) throw faults.duplicateDocNumber(docNumber, 'Invoice', id);
  }
}

export function transactionCurrency(ctx: WriteContext, input: Record<string, any>, customer: Entity | undefined): string {
  const home = ctx.realm.prefs.homeCurrency;
  const customerCurrency = (customer && refValue(customer.CurrencyRef)) ?? home;
  const code = refValue(input.CurrencyRef) ?? customerCurrency;
  if (ctx.seeding) return code;
  if (code !== home && !ctx.realm.prefs.multiCurrency) {
    throw faults.businessValidation(`Multicurrency is not enabled for this company. You can only use the home currency (${home}).`);
  }
  if (code !== customerCurrency) {
    throw faults.businessValidation(`The currency of the transaction (${code}) must match the currency of the customer (${customerCurrency}).`);
  }
  return code;
}

/**
 * Where the money of a sales receipt or payment goes: the account sent (it must exist and be active), or the
 * company's Undeposited Funds, which QBO picks when none is sent (id 4 in the recorded sandboxes).
 */
export function depositAccountRef(ctx: WriteContext, ref: unknown, withName: boolean, currency = ctx.realm.prefs.homeCurrency): Entity {
  if (ref !== undefined && ref !== null) {
    const account = resolveRef(ctx, 'Account', ref, 'Accounts');
    if (!ctx.seeding) checkAccountCurrency(ctx, account, currency);
    return withName ? { value: account.Id, name: account.Name } : { value: account.Id };
  }
  const undeposited = [...ctx.realm.table('Account').values()].find((a) => a.AccountSubType === 'UndepositedFunds' && a.Active !== false);
  if (!undeposited) return withName ? { value: '4', name: 'Undeposited Funds' } : { value: '4' };
  return withName ? { value: undeposited.Id, name: undeposited.Name } : { value: undeposited.Id };
}

/** Cents of a sales form already settled by payments or applied elsewhere (kept across updates). */
function settledCents(existing: Entity | undefined): number {
  return existing ? cents(toNumber(existing.TotalAmt) ?? 0) - cents(toNumber(existing.Balance) ?? 0) : 0;
}

function buildSalesForm(ctx: WriteContext, input: Record<string, any>, existing: Entity | undefined, kind: SalesFormKind): Entity {
  const customerOptional = kind === 'SalesReceipt';
  if ((input.CustomerRef === undefined || input.CustomerRef === null) && !customerOptional) throw faults.requiredParam('CustomerRef');
  if (!Array.isArray(input.Line) || input.Line.length === 0) throw faults.requiredParam('Line');
  const customer = input.CustomerRef === undefined || input.CustomerRef === null ? undefined : resolveRef(ctx, 'Customer', input.CustomerRef, 'Names');
  checkLength(input.DocNumber, 'DocNumber', 21);
  checkLength(input.PrivateNote, 'PrivateNote', 4000);
  if (isObject(input.CustomerMemo)) checkLength(input.CustomerMemo.value, 'CustomerMemo', 1000);
  const currency = transactionCurrency(ctx, input, customer);
  const { lines, subtotal, discount, taxable } = buildLines(ctx, input.Line);
  const shipAddr = input.ShipAddr ?? (customer && isObject(customer.ShipAddr) ? { ...customer.ShipAddr } : undefined);
  const tax = computeTax(ctx, taxable, shipAddr, input.TxnTaxDetail);
  const total = subtotal - discount + tax.totalCents;
  const docNumber = decideDocNumber(ctx, input, existing);
  checkLength(docNumber, 'DocNumber', 21);
  if (kind === 'Invoice') checkDuplicateDocNumber(ctx, docNumber, existing);
  const txnDate = str(input.TxnDate) ?? existing?.TxnDate ?? qboDate(ctx.now);
  const rate = ctx.seeding && toNumber(input.ExchangeRate) === undefined ? undefined : transactionRate(ctx, currency, input, txnDate);
  const delivery = customer ? str(customer.PreferredDeliveryMethod) : undefined;
  const settled = settledCents(existing);
  const open = fromCents(Math.max(total - settled, 0));
  const out: Entity = {
    ...input,
    CustomField: salesFormCustomFields(ctx.realm, input.CustomField, ctx.seeding),
    DocNumber: docNumber,
    TxnDate: txnDate,
    CurrencyRef: currencyRef(currency),
    ExchangeRate: rate,
    Line: lines,
    TxnTaxDetail: tax.detail,
    CustomerRef: customer ? { value: customer.Id, name: customer.DisplayName } : undefined,
    BillAddr: input.BillAddr ?? (customer && isObject(customer.BillAddr) ? { ...customer.BillAddr } : undefined),
    ShipAddr: shipAddr,
    ...transactionTracking(ctx, input),
    TotalAmt: fromCents(total),
    HomeTotalAmt: rate !== undefined ? homeAmount(fromCents(total), rate) : undefined,
    ApplyTaxAfterDiscount: input.ApplyTaxAfterDiscount ?? false,
    PrintStatus: input.PrintStatus ?? (delivery === 'Print' ? 'NeedToPrint' : 'NotSet'),
    EmailStatus: input.EmailStatus ?? (delivery === 'Email' ? 'NeedToSend' : 'NotSet'),
    Balance: open,
    HomeBalance: rate !== undefined && kind !== 'SalesReceipt' ? homeAmount(open, rate) : undefined,
  };
  if (kind === 'Invoice') {
    out.AllowIPNPayment = input.AllowIPNPayment ?? false;
    out.AllowOnlinePayment = input.AllowOnlinePayment ?? false;
    out.AllowOnlineCreditCardPayment = input.AllowOnlineCreditCardPayment ?? false;
    out.AllowOnlineACHPayment = input.AllowOnlineACHPayment ?? false;
    out.LinkedTxn = existing?.LinkedTxn ?? [];
    out.DueDate = str(input.DueDate) ?? addDays(txnDate, 30);
  } else if (kind === 'CreditMemo') {
    // What payments have applied of the credit stays applied when the memo is edited.
    out.RemainingCredit = open;
  } else {
    checkLength(input.PaymentRefNum, 'PaymentRefNum', 21);
    out.Balance = 0;
    out.DepositToAccountRef =
      ctx.seeding && isObject(input.DepositToAccountRef) ? input.DepositToAccountRef : depositAccountRef(ctx, input.DepositToAccountRef, true, currency);
  }
  return out;
}

function indexDocNumber(ctx: WriteContext, entity: Entity, existing?: Entity): void {
  const index = ctx.realm.invoiceDocNumbers;
  if (existing?.DocNumber) {
    const key = String(existing.DocNumber).toLowerCase();
    index.get(key)?.delete(existing.Id);
    if (index.get(key)?.size === 0) index.delete(key);
  }
  if (entity.DocNumber) {
    const key = String(entity.DocNumber).toLowerCase();
    let users = index.get(key);
    if (!users) {
      users = new Set();
      index.set(key, users);
    }
    users.add(entity.Id);
  }
}

export function balanceCents(entity: Entity | undefined): number {
  return entity ? cents(toNumber(entity.Balance) ?? 0) : 0;
}

export const invoiceHandler: EntityHandler = {
  known: INVOICE_KNOWN,
  order: INVOICE_ORDER,
  createAllowed: true,
  deleteAllowed: true,
  build: (ctx, input, existing) => buildSalesForm(ctx, input, existing, 'Invoice'),
  commit(ctx, entity, existing) {
    indexDocNumber(ctx, entity, existing);
    if (existing) adjustCustomerBalance(ctx, refValue(existing.CustomerRef), -balanceCents(existing));
    adjustCustomerBalance(ctx, refValue(entity.CustomerRef), balanceCents(entity));
  },
  remove(ctx, existing) {
    const payments = (existing.LinkedTxn ?? []).filter((l: Entity) => l.TxnType === 'Payment');
    if (payments.length > 0) {
      throw faults.businessValidation('This invoice has payments applied to it. Delete or unapply the payments first.');
    }
    indexDocNumber(ctx, { Id: existing.Id }, existing);
    adjustCustomerBalance(ctx, refValue(existing.CustomerRef), -balanceCents(existing));
  },
  voidable(ctx, existing) {
    // No recording shows a void of an invoice with payments; like a delete, it is refused until they are undone.
    if ((existing.LinkedTxn ?? []).some((l: Entity) => l.TxnType === 'Payment')) {
      throw faults.businessValidation('This invoice has payments applied to it. Delete or unapply the payments first.');
    }
    adjustCustomerBalance(ctx, refValue(existing.CustomerRef), -balanceCents(existing));
    return {
      ...existing,
      // "Voided" goes before the note the invoice had (Intuit: prepended to existing text if present).
      PrivateNote: existing.PrivateNote ? `Voided ${String(existing.PrivateNote)}` : 'Voided',
      Line: (existing.Line ?? []).map(zeroLine),
      TxnTaxDetail: { ...(isObject(existing.TxnTaxDetail) ? existing.TxnTaxDetail : {}), TotalTax: 0 },
      TotalAmt: 0,
      Balance: 0,
    };
  },
};

/** A line of a voided document: amounts and quantities zeroed, the rest kept. */
function zeroLine(line: Entity): Entity {
  const zeroed: Entity = { ...line, Amount: 0 };
  if (isObject(line.SalesItemLineDetail) && line.SalesItemLineDetail.Qty !== undefined) zeroed.SalesItemLineDetail = { ...line.SalesItemLineDetail, Qty: 0 };
  return zeroed;
}

export const creditMemoHandler: EntityHandler = {
  known: CREDITMEMO_KNOWN,
  order: CREDITMEMO_ORDER,
  createAllowed: true,
  deleteAllowed: true,
  build: (ctx, input, existing) => buildSalesForm(ctx, input, existing, 'CreditMemo'),
  commit(ctx, entity, existing) {
    if (existing) adjustCustomerBalance(ctx, refValue(existing.CustomerRef), balanceCents(existing));
    adjustCustomerBalance(ctx, refValue(entity.CustomerRef), -balanceCents(entity));
  },
  remove(ctx, existing) {
    if (settledCents(existing) > 0) {
      throw faults.businessValidation('This credit memo has been applied to a payment. Delete or unapply the payment first.');
    }
    adjustCustomerBalance(ctx, refValue(existing.CustomerRef), balanceCents(existing));
  },
};

/** A sale paid on the spot: no open balance, so the customer's balance does not move. */
export const salesReceiptHandler: EntityHandler = {
  known: SALESRECEIPT_KNOWN,
  order: SALESRECEIPT_ORDER,
  createAllowed: true,
  deleteAllowed: true,
  build: (ctx, input, existing) => buildSalesForm(ctx, input, existing, 'SalesReceipt'),
  commit() {},
};
