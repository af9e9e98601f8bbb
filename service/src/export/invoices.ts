// Pure: the QuickBooks Invoice for a Salesforce Sales Invoice — lines, header charges (freight, handling,
// packaging) as lines on the company's items, the order discount as a discount line, tax, the document number
// rule, and the marker a later run finds the invoice by.
import { QBO_LIMITS, cleanText, length } from '../matching/names';
import type { Company, Invoice } from '../salesforce/records';
import { fromCents, lineCents, toCents } from './money';

export interface QuickBooksSettings {
  /** SalesFormsPrefs.CustomTxnNumbers: off means QuickBooks numbers invoices itself and ignores ours. */
  customTxnNumbers: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** Whether QuickBooks rejects a duplicate DocNumber (6140). */
  warnDuplicateDocNum: boolean;
}

export type InvoiceBuild =
  | { ok: true; payload: Record<string, any>; docNumber: string | null; expectedTotal: number; notes: string[] }
  | { ok: false; message: string; fix: string };

const MARKER_PREFIX = 'ledgerline:';

/** The private marker that ties a QuickBooks invoice to its Salesforce record. */
export function marker(invoiceId: string): string {
  return `[${MARKER_PREFIX}${invoiceId}]`;
}

/** The Salesforce invoice id in a QuickBooks PrivateNote, if Ledgerline created it. */
export function readMarker(privateNote: string | null | undefined): string | null {
  const found = /\[ledgerline:([a-zA-Z0-9]{15,18})\]/.exec(privateNote ?? '');
  return found ? found[1]! : null;
}

export function usesSalesforceNumbers(company: Company): boolean {
  return (company.Invoice_Numbering__c ?? 'Salesforce Number') !== 'QuickBooks Next Number';
}

/** The DocNumber to send, or null when QuickBooks assigns it. */
export function docNumberFor(invoice: Pick<Invoice, 'Name'>, company: Company, settings: QuickBooksSettings): string | null {
  if (!usesSalesforceNumbers(company) || !settings.customTxnNumbers) return null;
  return `${company.Invoice_Number_Prefix__c ?? ''}${invoice.Name}${company.Invoice_Number_Suffix__c ?? ''}`;
}

export interface InvoiceRefs {
  customerQboId: string | null;
  /** Salesforce Product Id -> QuickBooks Item Id, for products exported in this run or before. */
  itemFor(productId: string | null): string | null;
}

export function buildInvoice(invoice: Invoice, company: Company, settings: QuickBooksSettings, refs: InvoiceRefs): InvoiceBuild {
  const notes: string[] = [];
  if (!refs.customerQboId) {
    return {
      ok: false,
      message: `Invoice ${invoice.Name} was not exported: its customer "${invoice.Customer__r?.Name ?? invoice.Customer__c ?? 'none'}" has no QuickBooks customer.`,
      fix: invoice.Customer__c
        ? 'Resolve the customer’s error in this Process Log, then export again.'
        : 'Set a Customer on the Sales Invoice, then export again.',
    };
  }
  const currency = invoice.Currency_Code__c ?? company.Currency_Code__c ?? settings.homeCurrency;
  if (currency !== settings.homeCurrency && !settings.multiCurrency) {
    return {
      ok: false,
      message: `Invoice ${invoice.Name} is in ${currency} but the QuickBooks company works only in ${settings.homeCurrency} (multicurrency is off).`,
      fix: 'Turn on Multicurrency in QuickBooks (Account and Settings > Advanced > Currency) or invoice in the home currency, then export again.',
    };
  }

  const lines: Record<string, any>[] = [];
  let totalCents = 0;
  for (const line of invoice.Sales_Invoice_Lines__r) {
    const itemId = refs.itemFor(line.Product__c) ?? line.Product__r?.Financial_System_Product_Id__c ?? null;
    const lineNo = line.Line_Number__c ?? lines.length + 1;
    if (!itemId) {
      return {
        ok: false,
        message: `Invoice ${invoice.Name} was not exported: line ${lineNo} (${line.Product__r?.Name ?? 'no product'}) has no QuickBooks item.`,
        fix: line.Product__c
          ? 'Resolve the product’s error in this Process Log, then export again.'
          : `Set a Product on line ${lineNo}, then export again.`,
      };
    }
    const qty = line.Quantity__c ?? 0;
    const price = line.Unit_Price__c ?? 0;
    const amountCents = lineCents(qty, price);
    const amount = fromCents(amountCents);
    totalCents += amountCents;
    const description = cleanText(line.Description__c ?? line.Product__r?.Name, QBO_LIMITS.lineDescription);
    if (description.changes.length) notes.push(`line ${lineNo} description ${description.changes.join('; ')}`);
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: amount,
      ...(description.value ? { Description: description.value } : {}),
      SalesItemLineDetail: {
        ItemRef: { value: itemId },
        Qty: qty,
        UnitPrice: price,
        TaxCodeRef: { value: line.Taxable__c ? 'TAX' : 'NON' },
      },
    });
  }
  if (!lines.length) {
    return { ok: false, message: `Invoice ${invoice.Name} has no lines.`, fix: 'Add at least one line to the Sales Invoice, then export again.' };
  }

  // Header charges become lines on the company's configured items; money is never dropped silently.
  const charges: [string, number | null, string | null, string][] = [
    ['Freight', invoice.Freight__c, company.Freight_Item_Id__c, 'Freight Item Id'],
    ['Handling', invoice.Handling__c, company.Handling_Item_Id__c, 'Handling Item Id'],
    ['Packaging', invoice.Packaging__c, company.Packaging_Item_Id__c, 'Packaging Item Id'],
  ];
  for (const [label, amount, itemId, setting] of charges) {
    if (!amount) continue;
    if (!itemId) {
      return {
        ok: false,
        message: `Invoice ${invoice.Name} has a ${label.toLowerCase()} charge of ${amount.toFixed(2)} but the Company has no QuickBooks item for it.`,
        fix: `Set ${setting} on Company "${company.Name}" to a QuickBooks item Id, then export again.`,
      };
    }
    const valueCents = toCents(amount);
    const value = fromCents(valueCents);
    totalCents += valueCents;
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: value,
      Description: label,
      SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: value, TaxCodeRef: { value: 'NON' } },
    });
  }
  const discountCents = toCents(invoice.Order_Discount__c ?? 0);
  const discount = fromCents(discountCents);
  if (discount > 0) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      Amount: discount,
      Description: 'Order discount',
      DiscountLineDetail: {
        PercentBased: false,
        ...(company.Discount_Account_Id__c ? { DiscountAccountRef: { value: company.Discount_Account_Id__c } } : {}),
      },
    });
  }
  const taxCents = toCents(invoice.Tax_Amount__c ?? 0);
  const tax = fromCents(taxCents);

  const docNumber = docNumberFor(invoice, company, settings);
  if (docNumber !== null && length(docNumber) > QBO_LIMITS.docNumber) {
    return {
      ok: false,
      message: `Invoice number "${docNumber}" is ${length(docNumber)} characters; QuickBooks allows ${QBO_LIMITS.docNumber}.`,
      fix: `Shorten the Invoice Number Prefix/Suffix on Company "${company.Name}" or set Invoice Numbering to "QuickBooks Next Number", then export again.`,
    };
  }
  const memoHead = `Salesforce invoice ${invoice.Name} ${marker(invoice.Id)}`;
  const memo = cleanText(invoice.Memo__c, QBO_LIMITS.privateNote - memoHead.length - 1);
  const payload: Record<string, any> = {
    CustomerRef: { value: refs.customerQboId },
    Line: lines,
    PrivateNote: memo.value ? `${memoHead}\n${memo.value}` : memoHead,
    // Without our number, QuickBooks gives its next one (AutoDocNumber), even where custom numbers are on.
    ...(docNumber !== null ? { DocNumber: docNumber } : { AutoDocNumber: true }),
    ...(invoice.Invoice_Date__c ? { TxnDate: invoice.Invoice_Date__c } : {}),
    ...(invoice.Due_Date__c ? { DueDate: invoice.Due_Date__c } : {}),
    ...(tax > 0 ? { TxnTaxDetail: { TotalTax: tax } } : {}),
    ...(settings.multiCurrency ? { CurrencyRef: { value: currency } } : {}),
  };
  if (invoice.Memo__c) {
    const customerMemo = cleanText(invoice.Memo__c, QBO_LIMITS.customerMemo);
    payload.CustomerMemo = { value: customerMemo.value };
  }
  const expectedTotal = fromCents(totalCents - discountCents + taxCents);
  return { ok: true, payload, docNumber, expectedTotal, notes };
}
