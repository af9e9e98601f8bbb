// Pure: the invoice to create for a source Sales Invoice — lines, header charges (freight, handling, packaging) as
// lines on the company's items, the order discount, tax, the document number rule, and the marker a later run
// finds the invoice by. Bad data is refused or warned about here, before anything is sent.
import { cleanText, length } from '../../matching/names';
import { marker } from '../marker';
import type { CompanyModel, SourceInvoice } from '../model';
import { fromCents, lineCents, toCents } from '../money';
import { localDate } from '../dates';
import type { InvoiceDoc, SalesForm, SalesLineDoc, TargetLimits, TargetSettings } from '../target';

export type InvoiceBuild =
  | { ok: true; doc: InvoiceDoc; expectedTotal: number; shortened: string[]; warnings: string[] }
  | { ok: false; message: string; fix: string };

export interface InvoiceRefs {
  customerId: string | null;
  /** Source product id -> the accounting system's item id, for products exported in this run or before. */
  itemFor(productId: string | null): string | null;
  /** The name of an item made inactive in the accounting system (undefined: active, or not known to be inactive). */
  inactiveItem?(itemId: string): string | undefined;
}

/** The number to send, or null when the accounting system numbers the invoice itself. */
export function docNumberFor(invoice: Pick<SourceInvoice, 'number'>, company: CompanyModel, settings: TargetSettings): string | null {
  if (company.numbering !== 'source' || !settings.customNumbers) return null;
  return `${company.numberPrefix}${invoice.number}${company.numberSuffix}`;
}

/** Paid in full on its invoice date: a sale paid at the till. */
export function paidAtSale(invoice: SourceInvoice, timeZone: string): boolean {
  if (!invoice.payments.length || invoice.total === null || !invoice.date) return false;
  const paid = invoice.payments.reduce((sum, p) => sum + toCents(p.amount ?? 0), 0);
  return paid === toCents(invoice.total) && invoice.payments.every((p) => paymentDay(p, timeZone) === invoice.date);
}

/** A payment's calendar date: the day it was taken in the company's zone, else its date. */
export function paymentDay(p: { paidAt: string | null; date: string | null }, timeZone: string): string | null {
  return p.paidAt ? localDate(p.paidAt, timeZone) : p.date;
}

/** Which document the invoice becomes (a sale paid at the till is an invoice and its payments where receipts are not taken). */
export function salesForm(invoice: SourceInvoice, company: CompanyModel, receipts = true): SalesForm {
  if (invoice.credit) return 'creditMemo';
  if (receipts && company.salesReceipts && paidAtSale(invoice, company.timeZone)) return 'salesReceipt';
  return 'invoice';
}

const FORM_WORD: Record<SalesForm, string> = { invoice: 'invoice', creditMemo: 'credit memo', salesReceipt: 'sales receipt' };

type Refusal = { ok: false; message: string; fix: string };
const refuse = (message: string, fix: string): Refusal => ({ ok: false, message, fix });

export function buildInvoice(
  invoice: SourceInvoice,
  company: CompanyModel,
  settings: TargetSettings,
  limits: TargetLimits,
  refs: InvoiceRefs,
  forms: { salesReceipts: boolean } = { salesReceipts: true },
): InvoiceBuild {
  const name = invoice.number;
  const form = salesForm(invoice, company, forms.salesReceipts);
  // A credit memo keeps its amounts positive in the accounting system, whichever sign the ERP gave them.
  const sign = (n: number | null) => (n === null ? null : form === 'creditMemo' ? Math.abs(n) : n);
  if (!refs.customerId) {
    return refuse(
      `Invoice ${name} was not exported: its customer "${invoice.customerName ?? invoice.customerId ?? 'none'}" has no QuickBooks customer.`,
      invoice.customerId ? 'Resolve the customer’s error in this Process Log, then export again.' : 'Set a Customer on the Sales Invoice, then export again.',
    );
  }
  const currency = invoice.currency ?? company.currency ?? settings.homeCurrency;
  if (currency !== settings.homeCurrency && !settings.multiCurrency) {
    return refuse(
      `Invoice ${name} is in ${currency} but the QuickBooks company works only in ${settings.homeCurrency} (multicurrency is off).`,
      'Turn on Multicurrency in QuickBooks (Account and Settings > Advanced > Currency) or invoice in the home currency, then export again.',
    );
  }
  // QuickBooks dates an invoice without one the day it arrives: the books would show the wrong day, without a word.
  if (!invoice.date) {
    return refuse(
      `Invoice ${name} was not exported: its Invoice Date is blank, and QuickBooks would date it the day it arrives.`,
      'Enter the Invoice Date on the Sales Invoice, then export again.',
    );
  }
  if (!invoice.lines.length) return refuse(`Invoice ${name} has no lines.`, 'Add at least one line to the Sales Invoice, then export again.');
  if (limits.linesPerTransaction && invoice.lines.length > limits.linesPerTransaction) {
    return refuse(
      `Invoice ${name} has ${invoice.lines.length} lines; QuickBooks accepts at most ${limits.linesPerTransaction} lines on one invoice.`,
      `Split the Sales Invoice into invoices of at most ${limits.linesPerTransaction} lines, then export again.`,
    );
  }

  const shortened: string[] = [];
  const warnings: string[] = [];
  const lines: SalesLineDoc[] = [];
  let totalCents = 0;
  for (const [i, line] of invoice.lines.entries()) {
    const lineNo = line.lineNumber ?? i + 1;
    let itemId = refs.itemFor(line.productId) ?? line.productTargetId;
    if (!itemId && company.unknownProducts === 'fallback') {
      if (!company.fallbackItem) {
        return refuse(
          `Invoice ${name} was not exported: line ${lineNo} (${line.productName ?? 'no product'}) has no QuickBooks item and the Company has no fallback item.`,
          `Set Fallback Item Id on Company "${company.name}" to a QuickBooks item Id, or set Unknown Products to "Fail the invoice", then export again.`,
        );
      }
      itemId = company.fallbackItem;
      warnings.push(`line ${lineNo} (${line.productName ?? 'no product'}) has no QuickBooks item, so it goes on the fallback item ${company.fallbackItem}`);
    }
    if (!itemId) {
      return refuse(
        `Invoice ${name} was not exported: line ${lineNo} (${line.productName ?? 'no product'}) has no QuickBooks item.`,
        line.productId ? 'Resolve the product’s error in this Process Log, then export again.' : `Set a Product on line ${lineNo}, then export again.`,
      );
    }
    const inactive = refs.inactiveItem?.(itemId);
    if (inactive !== undefined) {
      const product = line.productName ?? 'no product';
      return refuse(
        `Invoice ${name} was not exported: line ${lineNo}'s product "${product}" is linked to QuickBooks item ${itemId} "${inactive}", which is inactive in QuickBooks.`,
        `Make item "${inactive}" active again in QuickBooks, or clear the QuickBooks link (Financial System Product Id) of product "${product}" in Salesforce so the next export matches or creates its item anew, then export again.`,
      );
    }
    const quantity = sign(line.quantity) ?? 0;
    const unitPrice = sign(line.unitPrice) ?? 0;
    if (quantity < 0 || unitPrice < 0) {
      return refuse(
        `Invoice ${name} was not exported: line ${lineNo} has a negative ${quantity < 0 ? `quantity (${quantity})` : `unit price (${unitPrice})`}, which a QuickBooks invoice cannot carry.`,
        `Correct line ${lineNo}; record returns and refunds as a credit, not as a negative invoice line.`,
      );
    }
    if (quantity === 0) warnings.push(`line ${lineNo} has quantity 0`);
    else if (unitPrice === 0) warnings.push(`line ${lineNo} (${line.productName ?? 'no product'}) has a unit price of 0.00`);
    const amountCents = lineCents(quantity, unitPrice);
    totalCents += amountCents;
    const description = cleanText(line.description ?? line.productName, limits.lineDescription);
    if (description.changes.length) shortened.push(`line ${lineNo} description ${description.changes.join('; ')}`);
    lines.push({
      itemId,
      quantity,
      unitPrice,
      amount: fromCents(amountCents),
      ...(description.value ? { description: description.value } : {}),
      taxable: line.taxable,
    });
  }

  // Header charges become lines on the company's configured items; money is never dropped silently.
  const charges: [string, number | null, string | null, string][] = [
    ['Freight', sign(invoice.charges.freight), company.chargeItems.freight, 'Freight Item Id'],
    ['Handling', sign(invoice.charges.handling), company.chargeItems.handling, 'Handling Item Id'],
    ['Packaging', sign(invoice.charges.packaging), company.chargeItems.packaging, 'Packaging Item Id'],
  ];
  for (const [label, amount, itemId, setting] of charges) {
    if (!amount) continue;
    if (!itemId) {
      return refuse(
        `Invoice ${name} has a ${label.toLowerCase()} charge of ${amount.toFixed(2)} but the Company has no QuickBooks item for it.`,
        `Set ${setting} on Company "${company.name}" to a QuickBooks item Id, then export again.`,
      );
    }
    const valueCents = toCents(amount);
    totalCents += valueCents;
    const value = fromCents(valueCents);
    lines.push({ itemId, quantity: 1, unitPrice: value, amount: value, description: label, taxable: false });
  }
  const discountCents = toCents(sign(invoice.discount) ?? 0);
  const taxCents = toCents(sign(invoice.tax) ?? 0);

  const docNumber = docNumberFor(invoice, company, settings);
  if (docNumber !== null && length(docNumber) > limits.docNumber) {
    return refuse(
      `Invoice number "${docNumber}" is ${length(docNumber)} characters; QuickBooks allows ${limits.docNumber}.`,
      `Shorten the Invoice Number Prefix/Suffix on Company "${company.name}" or set Invoice Numbering to "QuickBooks Next Number", then export again.`,
    );
  }
  const expectedCents = totalCents - discountCents + taxCents;
  if (expectedCents < 0) {
    return refuse(
      `Invoice ${name} totals ${fromCents(expectedCents).toFixed(2)}: its discount is larger than its lines and charges.`,
      'Correct the discount, or record the amount as a credit, then export again.',
    );
  }
  if (expectedCents === 0) warnings.push('the invoice totals 0.00');

  const memoHead = `Salesforce ${FORM_WORD[form]} ${name} ${marker(invoice.id)}`;
  const memo = cleanText(invoice.memo, limits.privateNote - memoHead.length - 1);
  const doc: InvoiceDoc = {
    form,
    sourceId: invoice.id,
    sourceNumber: name,
    customerId: refs.customerId,
    docNumber,
    lines,
    privateNote: memo.value ? `${memoHead}\n${memo.value}` : memoHead,
    ...(invoice.date ? { txnDate: invoice.date } : {}),
    ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
    ...(discountCents > 0
      ? { discount: { amount: fromCents(discountCents), ...(company.accounts.discount ? { account: company.accounts.discount } : {}) } }
      : {}),
    ...(taxCents > 0 ? { tax: fromCents(taxCents) } : {}),
    ...(settings.multiCurrency ? { currency } : {}),
  };
  // When the accounting system numbers the document, the customer still sees the source number (seed 000).
  const customerText = docNumber === null ? [`Salesforce invoice ${name}`, invoice.memo].filter(Boolean).join('\n') : invoice.memo;
  if (customerText) {
    const customerMemo = cleanText(customerText, limits.customerMemo);
    if (customerMemo.changes.length) shortened.push(`customer memo ${customerMemo.changes.join('; ')}`);
    doc.customerMemo = customerMemo.value;
  }
  if (form === 'salesReceipt') {
    const reference =
      invoice.payments.length === 1 && invoice.payments[0]!.reference ? cleanText(invoice.payments[0]!.reference, limits.paymentReference) : null;
    if (reference?.changes.length) shortened.push(`payment reference ${reference.changes.join('; ')}`);
    doc.receipt = {
      ...(reference?.value ? { reference: reference.value } : {}),
      ...(company.paymentMethod ? { paymentMethod: company.paymentMethod } : {}),
      ...(company.depositAccount ? { depositAccount: company.depositAccount } : {}),
    };
  }
  return { ok: true, doc, expectedTotal: fromCents(expectedCents), shortened, warnings };
}
