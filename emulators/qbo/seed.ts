// Seeding companies from test fixtures: QBO-shaped entities go through the
// same shaping as API creates, in dependency order, merged into any data the
// company already has.

import { setExchangeRate } from './currency';
import { entityName, seedEntity } from './entities';
import { isObject, type WriteContext } from './rules';
import { setUpAutomatedTax } from './salesTax';
import type { ClassTracking, CompanyPreferences, EntityName, QboState, Realm } from './state';

/** Accounts, tax rates and codes, classes and locations first, then names and items, then documents. */
const SEED_ORDER: EntityName[] = [
  'Account',
  'TaxRate',
  'TaxCode',
  'Class',
  'Department',
  'Customer',
  'Vendor',
  'Employee',
  'Item',
  'Invoice',
  'CreditMemo',
  'SalesReceipt',
  'Payment',
];

export class SeedError extends Error {
  constructor(
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const CLASS_TRACKING: ClassTracking[] = ['off', 'transaction', 'line'];

/**
 * Applies a partial `{customTxnNumbers, warnDuplicateDocNum, multiCurrency, homeCurrency, usingSalesTax,
 * automatedSalesTax, classTracking, trackLocations, customFields}`. `automatedSalesTax` (percent per US state) sets up
 * the tax codes and rates automated sales tax uses.
 */
export function applyPreferences(realm: Realm, input: unknown, now: number): CompanyPreferences {
  if (input === undefined || input === null) return realm.prefs;
  if (!isObject(input)) throw new SeedError('preferences must be an object');
  const next = { ...realm.prefs };
  for (const key of ['customTxnNumbers', 'warnDuplicateDocNum', 'multiCurrency', 'usingSalesTax', 'trackLocations'] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== 'boolean') throw new SeedError(`preferences.${key} must be a boolean`);
    next[key] = input[key];
  }
  if (input.homeCurrency !== undefined) {
    if (typeof input.homeCurrency !== 'string' || !/^[A-Z]{3}$/.test(input.homeCurrency)) {
      throw new SeedError('preferences.homeCurrency must be a 3-letter currency code');
    }
    next.homeCurrency = input.homeCurrency;
  }
  if (input.classTracking !== undefined) {
    if (!CLASS_TRACKING.includes(input.classTracking as ClassTracking))
      throw new SeedError(`preferences.classTracking must be one of ${CLASS_TRACKING.join(', ')}`);
    next.classTracking = input.classTracking as ClassTracking;
  }
  if (input.customFields !== undefined) {
    const names = input.customFields;
    if (!Array.isArray(names) || names.length > 3 || names.some((n) => typeof n !== 'string')) {
      throw new SeedError('preferences.customFields must be up to 3 names (empty for a field not in use)');
    }
    next.customFields = [...names] as string[];
  }
  if (input.automatedSalesTax !== undefined) {
    const rates = input.automatedSalesTax === true ? {} : input.automatedSalesTax;
    if (rates === null || rates === false) next.automatedSalesTax = null;
    else {
      if (!isObject(rates) || Object.values(rates).some((r) => typeof r !== 'number' || r < 0)) {
        throw new SeedError('preferences.automatedSalesTax must be true, false, or map US states to a rate in percent, e.g. { "CA": 8.25 }');
      }
      next.automatedSalesTax = { ...(next.automatedSalesTax ?? {}), ...(rates as Record<string, number>) };
      next.usingSalesTax = true;
      setUpAutomatedTax(realm, rates as Record<string, number>, now);
    }
  }
  realm.prefs = next;
  realm.prefsSyncToken += 1;
  realm.prefsUpdatedAt = now;
  return next;
}

/** `[{ SourceCurrencyCode, AsOfDate, Rate }]`: the company's own exchange rates. */
function applyExchangeRates(realm: Realm, input: unknown): void {
  if (input === undefined) return;
  if (!Array.isArray(input)) throw new SeedError('exchangeRates must be an array');
  for (const r of input) {
    if (!isObject(r) || typeof r.SourceCurrencyCode !== 'string' || typeof r.AsOfDate !== 'string' || typeof r.Rate !== 'number' || r.Rate <= 0) {
      throw new SeedError('each exchange rate needs SourceCurrencyCode, AsOfDate (YYYY-MM-DD) and a positive Rate');
    }
    setExchangeRate(realm, r.SourceCurrencyCode, r.AsOfDate, r.Rate);
  }
}

export interface SeedResult {
  realmId: string;
  counts: Record<string, number>;
}

export function seedRealms(state: QboState, body: unknown): SeedResult[] {
  if (!isObject(body) || !Array.isArray(body.realms)) throw new SeedError('body must be { realms: [...] }');
  const results: SeedResult[] = [];
  for (const spec of body.realms) {
    if (!isObject(spec) || typeof spec.realmId !== 'string' || spec.realmId === '') throw new SeedError('each realm needs a realmId string');
    const realm = state.ensureRealm(spec.realmId);
    if (spec.companyInfo !== undefined) {
      if (!isObject(spec.companyInfo)) throw new SeedError('companyInfo must be an object');
      realm.companyInfo = { ...realm.companyInfo, ...spec.companyInfo };
    }
    if (spec.preferences !== undefined) applyPreferences(realm, spec.preferences, state.now());
    applyExchangeRates(realm, spec.exchangeRates);
    const entities = spec.entities ?? {};
    if (!isObject(entities)) throw new SeedError('entities must be an object');
    const byName = new Map<EntityName, unknown[]>();
    for (const [key, list] of Object.entries(entities)) {
      const name = entityName(key);
      if (!name) throw new SeedError(`unknown entity type ${key}`);
      if (!Array.isArray(list)) throw new SeedError(`entities.${key} must be an array`);
      byName.set(name, list);
    }
    const ctx: WriteContext = { state, realm, now: state.now(), allowDuplicateDocNum: true, seeding: true };
    for (const name of SEED_ORDER) {
      const list = byName.get(name) ?? [];
      list.forEach((entry, index) => {
        try {
          seedEntity(ctx, name, entry);
        } catch (e) {
          const fault = e && typeof e === 'object' && 'fault' in e && typeof e.fault === 'function' ? e.fault() : undefined;
          throw new SeedError(`seeding ${name}[${index}] in realm ${realm.realmId} failed: ${(e as Error).message}`, { entity: name, index, fault });
        }
      });
    }
    const counts: Record<string, number> = {};
    for (const [name, table] of realm.entities) if (table.size > 0) counts[name] = table.size;
    results.push({ realmId: realm.realmId, counts });
  }
  return results;
}
