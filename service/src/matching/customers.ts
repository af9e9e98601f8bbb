// The customer match cascade (the peers' proven order): email, then display name (first + last), then company
// name + city. Pure: an index built once from the accounting system's customers, looked up per source customer.
import type { SourceCustomer } from '../export/model';
import type { TargetCustomer } from '../export/target';
import { emailKey, nameKey } from './names';

export type CustomerMatchRule = 'email' | 'name' | 'companyCity';

export interface CustomerMatch {
  targetId: string;
  displayName: string;
  /** The matched customer's email (to tell the user when it differs). */
  email: string | null;
  by: CustomerMatchRule;
  /** More than one customer fitted; the oldest (lowest Id) was taken. */
  ambiguous: boolean;
  /** Matched by email, while another customer has the source customer's name. */
  nameElsewhere?: { targetId: string; displayName: string };
}

/**
 * What the index keeps of a customer: the fields a match answers with. The others (given and family name, company,
 * city) only make keys, so a run that creates tens of thousands of customers keeps three fields of each, not eight.
 */
export interface IndexedCustomer {
  id: string;
  displayName: string;
  email: string | null;
}

export class CustomerIndex {
  // A key most customers have alone holds the customer itself, a list only once a second one shares it: a run that
  // creates tens of thousands of customers keeps no one-element array per key.
  private readonly byEmail = new Map<string, Indexed>();
  private readonly byName = new Map<string, Indexed>();
  private readonly byCompanyCity = new Map<string, Indexed>();
  private readonly ids = new Map<string, IndexedCustomer>();
  /** A customer whose display name makes no key (the index keeps no empty key). */
  private blankName = false;

  add(customers: Iterable<TargetCustomer>): void {
    for (const c of customers) {
      if (!c.id) continue;
      const kept: IndexedCustomer = { id: c.id, displayName: c.displayName, email: c.email ?? null };
      this.ids.set(c.id, kept);
      const name = nameKey(c.displayName);
      if (!name) this.blankName = true;
      push(this.byEmail, emailKey(c.email), kept);
      push(this.byName, name, kept);
      const given = nameKey(`${c.givenName ?? ''} ${c.familyName ?? ''}`);
      if (given !== name) push(this.byName, given, kept);
      push(this.byCompanyCity, companyCityKey(c.companyName, c.city), kept);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get(id: string): IndexedCustomer | undefined {
    return this.ids.get(id);
  }

  /** A customer already has this display name (display names are unique). */
  hasName(displayName: string): boolean {
    // byName also holds first + last names: a display name is taken when a customer under the key is named so.
    const key = nameKey(displayName);
    if (!key) return this.blankName;
    return listOf(this.byName.get(key))?.some((c) => nameKey(c.displayName) === key) ?? false;
  }

  get size(): number {
    return this.ids.size;
  }

  /**
   * Finds the accounting system's customer for a source customer. `plannedName` is the display name Ledgerline
   * would create it under: finding it means an earlier, interrupted export already created this customer.
   */
  match(customer: SourceCustomer, plannedName?: string): CustomerMatch | null {
    const email = emailKey(customer.email);
    const fullName = nameKey(`${customer.firstName ?? ''} ${customer.lastName ?? ''}`);
    const candidates: [CustomerMatchRule, IndexedCustomer[] | undefined][] = [
      ['email', email ? listOf(this.byEmail.get(email)) : undefined],
      ['name', fullName ? listOf(this.byName.get(fullName)) : undefined],
      ['name', plannedName ? listOf(this.byName.get(nameKey(plannedName))) : undefined],
      ['companyCity', listOf(this.byCompanyCity.get(companyCityKey(customer.companyName, customer.billing.city)))],
    ];
    for (const [by, found] of candidates) {
      if (!found?.length) continue;
      const sorted = [...found].sort(byIdAscending);
      const first = sorted[0]!;
      const match: CustomerMatch = { targetId: first.id, displayName: first.displayName, email: first.email, by, ambiguous: sorted.length > 1 };
      if (by === 'email') {
        // The name rules would have taken another customer: both are candidates, and the user is told.
        const named = candidates
          .filter(([rule]) => rule === 'name')
          .flatMap(([, list]) => list ?? [])
          .filter((c) => !found.includes(c))
          .sort(byIdAscending)[0];
        if (named) match.nameElsewhere = { targetId: named.id, displayName: named.displayName };
      }
      return match;
    }
    return null;
  }
}

function companyCityKey(company: string | null | undefined, city: string | null | undefined): string {
  const a = nameKey(company);
  const b = nameKey(city);
  return a && b ? `${a}\u0000${b}` : '';
}

/** What one key of the index holds: the customer, or the customers that share the key. */
type Indexed = IndexedCustomer | IndexedCustomer[];

function push(map: Map<string, Indexed>, key: string, value: IndexedCustomer): void {
  if (!key) return;
  const held = map.get(key);
  if (held === undefined) map.set(key, value);
  else if (Array.isArray(held)) held.push(value);
  else map.set(key, [held, value]);
}

function listOf(held: Indexed | undefined): IndexedCustomer[] | undefined {
  return held === undefined || Array.isArray(held) ? held : [held];
}

function byIdAscending(a: IndexedCustomer, b: IndexedCustomer): number {
  return Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
}

/** Names the accounting system will refuse for a new customer: every vendor's and employee's name. */
export class ReservedNames {
  private readonly names = new Set<string>();

  add(names: Iterable<string>): void {
    for (const name of names) this.names.add(nameKey(name));
  }

  addName(name: string): void {
    this.names.add(nameKey(name));
  }

  has(name: string): boolean {
    return this.names.has(nameKey(name));
  }
}
