// What an exported invoice held when it was sent, kept in its journal entry, and how the invoice differs from it
// now. Pure: the values are kept (not a hash) so a difference can name the field and both values.
import { z } from 'zod';
import type { SourceInvoice } from '../model';
import { round2 } from '../money';

const amount = z.number().nullable();

const LineFingerprint = z.object({
  id: z.string(),
  product: z.string().nullable(),
  productName: z.string().nullable(),
  quantity: amount,
  unitPrice: amount,
  description: z.string().nullable(),
});

export const InvoiceFingerprint = z.object({
  customer: z.string().nullable(),
  customerName: z.string().nullable(),
  date: z.string().nullable(),
  dueDate: z.string().nullable(),
  freight: amount,
  handling: amount,
  packaging: amount,
  discount: amount,
  tax: amount,
  total: amount,
  lines: z.array(LineFingerprint),
});
export type InvoiceFingerprint = z.infer<typeof InvoiceFingerprint>;

/** One field that differs: what Salesforce holds now and what QuickBooks was sent. */
export interface FieldDifference {
  field: string;
  salesforce: string;
  quickBooks: string;
}

const money = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) ? round2(n) : null);
/** A blank and a zero charge send the same invoice. */
const charge = (n: number | null | undefined) => money(n) ?? 0;

/** What an invoice holds that QuickBooks was sent: customer, dates, charges, discount, tax, total, lines. */
export function invoiceFingerprint(invoice: SourceInvoice): InvoiceFingerprint {
  const lines = [...invoice.lines].sort((a, b) => (a.lineNumber ?? 0) - (b.lineNumber ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    customer: invoice.customerId,
    customerName: invoice.customerName,
    date: invoice.date,
    dueDate: invoice.dueDate,
    freight: charge(invoice.charges.freight),
    handling: charge(invoice.charges.handling),
    packaging: charge(invoice.charges.packaging),
    discount: charge(invoice.discount),
    tax: charge(invoice.tax),
    total: money(invoice.total),
    lines: lines.map((l) => ({
      id: l.id,
      product: l.productId,
      productName: l.productName,
      quantity: l.quantity,
      unitPrice: money(l.unitPrice),
      description: l.description?.trim() || null,
    })),
  };
}

/** The fingerprint kept in a journal entry's detail, when there is a readable one. */
export function keptFingerprint(detail: Record<string, unknown>): InvoiceFingerprint | null {
  const parsed = InvoiceFingerprint.safeParse(detail.sent);
  return parsed.success ? parsed.data : null;
}

const shown = (v: string | number | null): string => (v === null || v === '' ? '(blank)' : typeof v === 'number' ? String(v) : v);
const shownMoney = (v: number | null): string => (v === null ? '(blank)' : v.toFixed(2));

function lineWords(l: z.infer<typeof LineFingerprint>): string {
  const what = l.productName ?? l.description ?? 'no product';
  return `${what}, ${shown(l.quantity)} at ${shownMoney(l.unitPrice)}`;
}

/** Every field where `now` differs from what was `sent`, in the order an invoice reads. Empty: nothing changed. */
export function fingerprintDiff(sent: InvoiceFingerprint, now: InvoiceFingerprint): FieldDifference[] {
  const out: FieldDifference[] = [];
  const text = (field: string, a: string | null, b: string | null) => a !== b && out.push({ field, salesforce: shown(b), quickBooks: shown(a) });
  const num = (field: string, a: number | null, b: number | null) => a !== b && out.push({ field, salesforce: shownMoney(b), quickBooks: shownMoney(a) });
  if (sent.customer !== now.customer)
    out.push({ field: 'Customer', salesforce: shown(now.customerName ?? now.customer), quickBooks: shown(sent.customerName ?? sent.customer) });
  text('Invoice Date', sent.date, now.date);
  text('Due Date', sent.dueDate, now.dueDate);
  num('Freight', sent.freight, now.freight);
  num('Handling', sent.handling, now.handling);
  num('Packaging', sent.packaging, now.packaging);
  num('Order Discount', sent.discount, now.discount);
  num('Tax', sent.tax, now.tax);
  num('Total', sent.total, now.total);
  const before = new Map(sent.lines.map((l, i) => [l.id, { line: l, n: i + 1 }]));
  now.lines.forEach((line, i) => {
    const n = i + 1;
    const was = before.get(line.id);
    before.delete(line.id);
    if (!was) return void out.push({ field: `Line ${n}`, salesforce: lineWords(line), quickBooks: '(no such line)' });
    const l = was.line;
    if (l.product !== line.product)
      out.push({ field: `Line ${n} product`, salesforce: shown(line.productName ?? line.product), quickBooks: shown(l.productName ?? l.product) });
    if (l.quantity !== line.quantity) out.push({ field: `Line ${n} quantity`, salesforce: shown(line.quantity), quickBooks: shown(l.quantity) });
    num(`Line ${n} unit price`, l.unitPrice, line.unitPrice);
    text(`Line ${n} description`, l.description, line.description);
  });
  for (const { line, n } of before.values()) out.push({ field: `Line ${n}`, salesforce: '(deleted)', quickBooks: lineWords(line) });
  return out;
}

/** "Line 1 quantity: Salesforce 3, QuickBooks 2; Total: …" */
export function differenceWords(diff: FieldDifference[]): string {
  return diff.map((d) => `${d.field}: Salesforce ${d.salesforce}, QuickBooks ${d.quickBooks}`).join('; ');
}
