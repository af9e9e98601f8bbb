// Pure sales-tax decisions per kind of company:
// - 'automated' (US automated sales tax): lines are taxable or not and the ship-to address goes along; QuickBooks
//   computes the tax, and Salesforce's amount is sent only when the company overrides it.
// - 'codes' (non-US sales tax): every line carries a QuickBooks tax code, from the product's (else the customer's,
//   else the company's default) Salesforce code through the company's mapping; a line whose code has no mapping
//   refuses the invoice before anything is sent.
// - 'total': the Salesforce tax amount is sent as the transaction's total tax (US companies without automated tax).
import { fromCents, toCents } from '../money';

export type TaxMode = 'automated' | 'codes' | 'total';

/** "Salesforce code = QuickBooks tax code name", one a line; blank lines and lines starting with # are skipped. */
export function parseTaxCodeMapping(text: string | null): { map: Map<string, string>; problems: string[] } {
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const [i, raw] of (text ?? '').split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    const from = at > 0 ? line.slice(0, at).trim() : '';
    const to = at > 0 ? line.slice(at + 1).trim() : '';
    if (!from || !to) problems.push(`line ${i + 1} "${line}" is not "Salesforce code = QuickBooks tax code"`);
    else map.set(from.toLowerCase(), to);
  }
  return { map, problems };
}

export interface TaxCodeContext {
  companyName: string;
  /** Salesforce code (lower case) -> QuickBooks tax code name. */
  mapping: Map<string, string>;
  /** QuickBooks tax code name (lower case) -> id. */
  quickBooksCodes: Map<string, string>;
  defaultCode: string | null;
  nonTaxableCode: string | null;
}

export interface TaxedLine {
  lineNo: number;
  productName: string | null;
  taxable: boolean;
  productCode: string | null;
}

export type LineCodes = { ok: true; codes: string[] } | { ok: false; message: string; fix: string };

/** The QuickBooks tax code id of each line of a non-US invoice, or why the invoice cannot go. */
export function lineTaxCodes(invoiceName: string, customerCode: string | null, lines: TaxedLine[], ctx: TaxCodeContext): LineCodes {
  const codes: string[] = [];
  for (const line of lines) {
    const code = line.taxable ? (line.productCode ?? customerCode ?? ctx.defaultCode) : ctx.nonTaxableCode;
    const label = `line ${line.lineNo} (${line.productName ?? 'no product'})`;
    if (!code?.trim()) {
      return {
        ok: false,
        message: line.taxable
          ? `Invoice ${invoiceName} was not exported: ${label} has no tax code — neither its product nor the customer has one, and the Company has no default.`
          : `Invoice ${invoiceName} was not exported: ${label} is not taxable and the Company has no tax code for lines that are not taxable.`,
        fix: line.taxable
          ? `Set Tax Code on the product (or the customer), or Default Tax Code on Company "${ctx.companyName}", then export again.`
          : `Set Non-Taxable Tax Code on Company "${ctx.companyName}" (e.g. Exempt), then export again.`,
      };
    }
    const quickBooksName = ctx.mapping.get(code.trim().toLowerCase());
    if (!quickBooksName) {
      return {
        ok: false,
        message: `Invoice ${invoiceName} was not exported: ${label} has tax code "${code}", which Company "${ctx.companyName}" does not map to a QuickBooks tax code.`,
        fix: `Add a line "${code} = <QuickBooks tax code name>" to Tax Code Mapping on Company "${ctx.companyName}", then export again.`,
      };
    }
    const id = ctx.quickBooksCodes.get(quickBooksName.toLowerCase());
    if (!id) {
      return {
        ok: false,
        message: `Invoice ${invoiceName} was not exported: tax code "${code}" maps to "${quickBooksName}", which this QuickBooks company does not have.`,
        fix: `Correct "${code} = ${quickBooksName}" in Tax Code Mapping on Company "${ctx.companyName}" to the name of a QuickBooks tax code, then export again.`,
      };
    }
    codes.push(id);
  }
  return { ok: true, codes };
}

/** A difference between QuickBooks' tax and Salesforce's of a cent or more, in words; null when they agree. */
export function taxDifference(quickBooksTax: number, salesforceTax: number): string | null {
  const diff = toCents(quickBooksTax) - toCents(salesforceTax);
  if (diff === 0) return null;
  const money = (n: number) => fromCents(toCents(n)).toFixed(2);
  return `QuickBooks computed ${money(quickBooksTax)} tax where Salesforce has ${money(salesforceTax)} (${diff > 0 ? '+' : '−'}${fromCents(Math.abs(diff)).toFixed(2)})`;
}
