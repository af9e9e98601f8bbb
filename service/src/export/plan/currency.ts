// Pure currency decisions: which currency a customer is created in, which customer an invoice goes to when its
// currency is not its customer's (QuickBooks never changes a customer's currency once it has transactions), and the
// exchange rate to send — Salesforce's dated rate for the day when the org keeps one, else none (QuickBooks then
// applies its own rate for the transaction date).

/** One dated rate of the org: units of `currency` for one unit of the corporate currency, from `startDate` on. */
export interface DatedRate {
  currency: string;
  rate: number;
  startDate: string;
}

/** The org's dated exchange rates, as the source keeps them. */
export interface SourceRates {
  corporate: string | null;
  dated: DatedRate[];
}

/** The currency a new customer is created in: its own, else its first invoice's, else the home currency. */
export function customerCurrency(own: string | null | undefined, firstInvoice: string | null | undefined, home: string): string {
  return own?.trim().toUpperCase() || firstInvoice?.trim().toUpperCase() || home;
}

/** The latest rate of `currency` starting on or before `date`. */
function datedRate(rates: DatedRate[], currency: string, date: string): number | null {
  let best: DatedRate | null = null;
  for (const r of rates) {
    if (r.currency !== currency || r.startDate > date) continue;
    if (!best || r.startDate > best.startDate) best = r;
  }
  return best ? best.rate : null;
}

/**
 * Home-currency units for one unit of `currency` on `date`, from the org's dated rates (each against the corporate
 * currency, whose own rate is 1); null when the org has no dated rate for either side.
 */
export function sourceExchangeRate(rates: SourceRates | null, currency: string, home: string, date: string | null): number | null {
  if (!rates || !date || currency === home || !rates.corporate) return null;
  const rateOf = (code: string) => (code === rates.corporate ? 1 : datedRate(rates.dated, code, date));
  const foreign = rateOf(currency);
  const homeRate = rateOf(home);
  if (!foreign || !homeRate) return null;
  // Six decimals, as QuickBooks keeps exchange rates.
  return Math.round((homeRate / foreign) * 1e6) / 1e6;
}

/** A QuickBooks customer as far as currencies go. */
export interface CustomerInCurrency {
  id: string;
  name: string;
  currency: string;
}

export type InvoiceCustomerDecision =
  | { kind: 'same'; customerId: string }
  /** The invoice goes to the customer's second QuickBooks customer in its currency (created when missing). */
  | { kind: 'second'; customerId: string | null; name: string }
  | { kind: 'fail'; message: string; fix: string };

/** "Name (EUR)": the documented second customer for another currency. */
export function secondCustomerName(name: string, currency: string, max: number): string {
  const tail = ` (${currency})`;
  return `${name.slice(0, Math.max(0, max - tail.length))}${tail}`;
}

/**
 * The customer an invoice in `currency` goes to. Its QuickBooks customer in another currency cannot take it; with the
 * company's "second customer per currency" it goes to "Name (EUR)", found by name or created; otherwise it fails
 * naming both currencies and the fix.
 */
export function decideInvoiceCustomer(
  invoice: { number: string; currency: string },
  customer: CustomerInCurrency,
  opts: { secondCustomerPerCurrency: boolean; companyName: string; maxName: number; findByName(name: string): CustomerInCurrency | undefined },
): InvoiceCustomerDecision {
  if (customer.currency === invoice.currency) return { kind: 'same', customerId: customer.id };
  if (!opts.secondCustomerPerCurrency) {
    return {
      kind: 'fail',
      message:
        `Invoice ${invoice.number} is in ${invoice.currency} but its QuickBooks customer "${customer.name}" (id ${customer.id}) is in ${customer.currency}, ` +
        'and QuickBooks never changes the currency of a customer that has transactions.',
      fix:
        `Invoice the customer in ${customer.currency}, or turn on Second Customer Per Currency on Company "${opts.companyName}" ` +
        `so the invoice goes to "${secondCustomerName(customer.name, invoice.currency, opts.maxName)}" in ${invoice.currency}, then export again.`,
    };
  }
  const name = secondCustomerName(customer.name, invoice.currency, opts.maxName);
  const found = opts.findByName(name);
  if (!found) return { kind: 'second', customerId: null, name };
  if (found.currency !== invoice.currency) {
    return {
      kind: 'fail',
      message: `Invoice ${invoice.number} is in ${invoice.currency}; QuickBooks customer "${name}" (id ${found.id}) exists but is in ${found.currency}.`,
      fix: `Rename or make inactive QuickBooks customer "${name}" so a customer of that name can be created in ${invoice.currency}, then export again.`,
    };
  }
  return { kind: 'second', customerId: found.id, name };
}

/** QuickBooks takes money only into an account in the home currency or the transaction's. */
export function depositAccountRefusal(
  what: string,
  currency: string,
  home: string,
  account: { id: string; currency: string | null } | null,
  companyName: string,
): { message: string; fix: string } | null {
  if (!account?.currency || account.currency === home || account.currency === currency) return null;
  return {
    message: `${what} is in ${currency} but the deposit account ${account.id} is in ${account.currency}; QuickBooks takes money only into an account in ${home} or ${currency}.`,
    fix: `Set Deposit Account Id on Company "${companyName}" to an account in ${home} or ${currency}, then export again.`,
  };
}
