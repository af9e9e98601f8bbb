// The invoice numbers an export is limited to: a list, or one comma-separated text (what the page's box and the CLI
// send). Left out, an export takes every approved invoice; given but holding no number (`""`, `[]`, `[" ", ""]`,
// `","`, `" , "`) it is refused — an empty list never means "all".
import { z } from 'zod';

/** A Sales Invoice Number is a Salesforce Name field: at most 80 characters. */
export const MAX_INVOICE_NUMBER_LENGTH = 80;
/** Invoice numbers one export may name. */
export const MAX_INVOICE_NUMBERS = 1000;

export const NO_INVOICE_NUMBER = 'no invoice number given: name at least one (e.g. "SI-000123"), or leave the field out to export every approved invoice';

/** The numbers a list or a comma-separated text names: trimmed, blanks dropped, each once, in the order given. */
export function invoiceNumbersIn(value: string | readonly string[]): string[] {
  const parts = typeof value === 'string' ? value.split(',') : value;
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
}

/** The `invoiceNumbers` field of an export request: undefined when left out, else at least one number. */
export const invoiceNumberList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? undefined : invoiceNumbersIn(v)))
  .superRefine((list, ctx) => {
    if (!list) return;
    if (!list.length) {
      ctx.addIssue({ code: 'custom', message: NO_INVOICE_NUMBER });
      return;
    }
    if (list.length > MAX_INVOICE_NUMBERS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_INVOICE_NUMBERS.toLocaleString('en-US')} invoice numbers per export (${list.length.toLocaleString('en-US')} given); export the rest in another run or by date range`,
      });
      return;
    }
    const long = list.find((n) => n.length > MAX_INVOICE_NUMBER_LENGTH);
    if (long) {
      ctx.addIssue({
        code: 'custom',
        message: `an invoice number has at most ${MAX_INVOICE_NUMBER_LENGTH} characters (one given has ${long.length.toLocaleString('en-US')})`,
      });
    }
    // eslint-disable-next-line no-control-regex
    if (list.some((n) => /[\u0000-\u001f\u007f]/.test(n))) ctx.addIssue({ code: 'custom', message: 'invoice numbers cannot hold control characters' });
  });
