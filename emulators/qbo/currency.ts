// Multicurrency as QuickBooks Online keeps it: exchange rates per currency and date (home-currency units for one
// unit of the foreign currency, as Intuit's "Manage multiple currencies" page defines them), the home-currency
// amounts of a foreign transaction, and the currency rules of customers and deposit accounts.

import { faults } from './faults';
import { cents, fromCents, productCents, toNumber } from './money';
import { refValue, type WriteContext } from './rules';
import type { Entity, Realm } from './state';

/**
 * The market rates the emulator's companies download (US dollars for one unit), used for any date the company has
 * no rate of its own for. Fixed, so tests and demos are repeatable.
 */
const MARKET_USD: Record<string, number> = {
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  CAD: 0.73,
  AUD: 0.66,
  NZD: 0.6,
  MXN: 0.055,
  JPY: 0.0067,
  CHF: 1.13,
  INR: 0.012,
  ZAR: 0.055,
  SGD: 0.74,
  HKD: 0.128,
  SEK: 0.095,
  NOK: 0.093,
  DKK: 0.145,
  PLN: 0.25,
  BRL: 0.2,
  CNY: 0.14,
};

/** Rates carry six decimals, as QuickBooks shows them. */
function sixDecimals(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Sets the company's own rate for a currency on a date (the ExchangeRate entity's SourceCurrencyCode/AsOfDate/Rate). */
export function setExchangeRate(realm: Realm, code: string, asOfDate: string, rate: number): void {
  let byDate = realm.exchangeRates.get(code);
  if (!byDate) {
    byDate = new Map();
    realm.exchangeRates.set(code, byDate);
  }
  byDate.set(asOfDate, rate);
}

export interface RateOn {
  rate: number;
  /** The date the rate was set for (the latest on or before the date asked), or the date asked for a market rate. */
  asOfDate: string;
  /** Set in the company (not a downloaded market rate). */
  own: boolean;
}

/** The rate QuickBooks uses for `code` on `date`: the company's latest on or before that date, else the market's. */
export function exchangeRateOn(realm: Realm, code: string, date: string): RateOn {
  const home = realm.prefs.homeCurrency;
  if (code === home) return { rate: 1, asOfDate: date, own: false };
  const own = [...(realm.exchangeRates.get(code) ?? new Map<string, number>()).entries()].filter(([d]) => d <= date).sort(([a], [b]) => (a < b ? 1 : -1))[0];
  if (own) return { rate: own[1], asOfDate: own[0], own: true };
  const source = MARKET_USD[code];
  const target = MARKET_USD[home];
  if (source === undefined || target === undefined) throw faults.businessValidation(`There is no exchange rate for ${code} in this company.`);
  return { rate: sixDecimals(source / target), asOfDate: date, own: false };
}

/** The ExchangeRate a foreign transaction keeps: the one sent, else the company's rate for its date. */
export function transactionRate(ctx: WriteContext, currency: string, input: Record<string, any>, txnDate: string): number | undefined {
  if (currency === ctx.realm.prefs.homeCurrency) return undefined;
  const sent = toNumber(input.ExchangeRate);
  if (sent !== undefined) {
    if (sent <= 0) throw faults.businessValidation('The exchange rate must be greater than 0.');
    return sent;
  }
  return exchangeRateOn(ctx.realm, currency, txnDate).rate;
}

/** An amount in the home currency: amount × rate, to the cent. */
export function homeAmount(amount: number, rate: number): number {
  return fromCents(productCents(fromCents(cents(amount)), rate));
}

/**
 * The account money goes to must be in the home currency or the transaction's (the wording QuickBooks gives, as
 * quoted by connector vendors' help pages for this refusal).
 */
export function checkAccountCurrency(ctx: WriteContext, account: Entity, currency: string): void {
  const accountCurrency = refValue(account.CurrencyRef) ?? ctx.realm.prefs.homeCurrency;
  if (accountCurrency !== ctx.realm.prefs.homeCurrency && accountCurrency !== currency) {
    throw faults.businessValidation('The currency of the account must be either in home currency or the transaction currency.');
  }
}

const TRANSACTIONS = ['Invoice', 'Payment', 'CreditMemo', 'SalesReceipt'] as const;

/** A customer's currency is fixed once it has transactions; before that it can still be changed. */
export function checkCustomerCurrencyChange(ctx: WriteContext, existing: Entity | undefined, currency: string): void {
  if (!existing || ctx.seeding || refValue(existing.CurrencyRef) === currency) return;
  const used = TRANSACTIONS.some((t) => [...ctx.realm.table(t).values()].some((doc) => refValue(doc.CustomerRef) === existing.Id));
  if (used) {
    throw faults.businessValidation(
      `You can't change the currency of this customer because it has transactions in ${refValue(existing.CurrencyRef) ?? ctx.realm.prefs.homeCurrency}.`,
    );
  }
}

/** The ExchangeRate entity as the read endpoint answers it (quickbooks-ruby spec/fixtures/exchange_rate_by_currency.xml). */
export function exchangeRateEntity(realm: Realm, code: string, date: string, lastUpdated: string): Entity {
  const { rate, asOfDate } = exchangeRateOn(realm, code, date);
  return {
    domain: 'QBO',
    sparse: false,
    SyncToken: '0',
    MetaData: { LastUpdatedTime: lastUpdated },
    SourceCurrencyCode: code,
    TargetCurrencyCode: realm.prefs.homeCurrency,
    Rate: rate,
    AsOfDate: asOfDate,
  };
}
