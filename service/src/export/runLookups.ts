// What one run looks up once and shares between record kinds: the accounting system's customers with their
// currencies, the source's dated exchange rates, and — read only when an invoice needs them — the target's tax codes,
// classes and locations, its inactive items, and the currency of the deposit account.
import { sourceExchangeRate, type CustomerInCurrency, type SourceRates } from './plan/currency';
import type { AccountingTarget, TargetCustomer } from './target';

/**
 * The target's customers by id and by name, with the currency each is kept in. Only a multicurrency run asks it (an
 * invoice in another currency than its customer's); any other run keeps nothing, however many customers it links.
 */
export class CustomerBook {
  private readonly byId = new Map<string, CustomerInCurrency>();
  private readonly byName = new Map<string, CustomerInCurrency>();

  constructor(
    private readonly home: string,
    private readonly kept = true,
  ) {}

  add(rows: (TargetCustomer | CustomerInCurrency)[]): void {
    if (!this.kept) return;
    for (const row of rows) {
      const name = 'displayName' in row ? row.displayName : row.name;
      const entry = { id: row.id, name, currency: row.currency ?? this.home };
      this.byId.set(entry.id, entry);
      this.byName.set(name.toLowerCase(), entry);
    }
  }

  get(id: string): CustomerInCurrency | undefined {
    return this.byId.get(id);
  }

  named(name: string): CustomerInCurrency | undefined {
    return this.byName.get(name.toLowerCase());
  }
}

/** The source's dated exchange rates, read once per run for the currencies met. */
export class RateBook {
  private rates: SourceRates | null = null;
  private readonly asked = new Set<string>();

  constructor(
    private readonly home: string,
    private readonly read: ((currencies: string[]) => Promise<SourceRates | null>) | undefined,
  ) {}

  /** Reads the rates of currencies not asked for yet (and the home currency's), in one call. */
  async load(currencies: (string | null | undefined)[]): Promise<void> {
    const wanted = [...new Set(currencies.filter((c): c is string => !!c && c !== this.home && !this.asked.has(c)))];
    if (!wanted.length || !this.read) return;
    const codes = this.asked.has(this.home) ? wanted : [...wanted, this.home];
    codes.forEach((c) => this.asked.add(c));
    const found = await this.read(codes);
    if (!found) return;
    this.rates = { corporate: found.corporate ?? this.rates?.corporate ?? null, dated: [...(this.rates?.dated ?? []), ...found.dated] };
  }

  /** Home units per unit of `currency` on `date` from the source's dated rates; null: the target's own rate applies. */
  rateOn(currency: string, date: string | null): number | null {
    return sourceExchangeRate(this.rates, currency, this.home, date);
  }
}

/** Run-wide lookups in the target, each made at most once and only when first needed. */
export class TargetLookups {
  private taxCodes?: Promise<Map<string, string>>;
  private lists?: Promise<{ classes: Map<string, string>; locations: Map<string, string> }>;
  private deposit?: Promise<string | null>;
  private inactive?: Promise<Map<string, string>>;

  constructor(
    private readonly target: AccountingTarget,
    private readonly depositAccount: string | null,
  ) {}

  /** Lower-cased tax code name -> id. */
  codes(): Promise<Map<string, string>> {
    this.taxCodes ??= (this.target.loadTaxCodes?.() ?? Promise.resolve([])).then((codes) => new Map(codes.map((c) => [c.name.toLowerCase(), c.id])));
    return this.taxCodes;
  }

  /** Lower-cased class and location names -> id (filled in as the run creates more). */
  trackingLists(): Promise<{ classes: Map<string, string>; locations: Map<string, string> }> {
    this.lists ??= (this.target.loadTrackingLists?.() ?? Promise.resolve({ classes: [], locations: [] })).then((l) => ({
      classes: new Map(l.classes.map((c) => [c.name.toLowerCase(), c.id])),
      locations: new Map(l.locations.map((c) => [c.name.toLowerCase(), c.id])),
    }));
    return this.lists;
  }

  /** Inactive items: id -> name (an invoice line on one is refused before sending, naming it). */
  inactiveItems(): Promise<Map<string, string>> {
    this.inactive ??= (this.target.loadInactiveItems?.() ?? Promise.resolve([])).then((items) => new Map(items.map((i) => [i.id, i.name])));
    return this.inactive;
  }

  /** The currency of the company's deposit account (null: none set, or the home currency). */
  depositCurrency(): Promise<string | null> {
    if (!this.depositAccount || !this.target.accountCurrency) return Promise.resolve(null);
    this.deposit ??= this.target.accountCurrency(this.depositAccount);
    return this.deposit;
  }
}
