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
    return matchIn(
      (rule, key) => listOf(this.keys[rule].get(key)),
      (c) => c.id,
      customer,
      plannedName,
    );
  }

  private get keys(): Record<CustomerMatchRule, Map<string, Indexed>> {
    return { email: this.byEmail, name: this.byName, companyCity: this.byCompanyCity };
  }
}

/** What decisions ask of customers: a match by the cascade, and whether a display name is taken. */
export interface CustomerMatcher {
  match(customer: SourceCustomer, plannedName?: string): CustomerMatch | null;
  hasName(displayName: string): boolean;
}

/**
 * The cascade over any customers: `listed` gives the customers under a rule's key, `idOf` the id a match answers
 * with (ambiguous candidates are ordered by it).
 */
function matchIn<C extends { displayName: string; email: string | null }>(
  listed: (rule: CustomerMatchRule, key: string) => C[] | undefined,
  idOf: (c: C) => string,
  customer: SourceCustomer,
  plannedName?: string,
): CustomerMatch | null {
  const email = emailKey(customer.email);
  const fullName = nameKey(`${customer.firstName ?? ''} ${customer.lastName ?? ''}`);
  const candidates: [CustomerMatchRule, C[] | undefined][] = [
    ['email', email ? listed('email', email) : undefined],
    ['name', fullName ? listed('name', fullName) : undefined],
    ['name', plannedName ? listed('name', nameKey(plannedName)) : undefined],
    ['companyCity', listed('companyCity', companyCityKey(customer.companyName, customer.billing.city))],
  ];
  const byId = (a: C, b: C) => byIdAscending(idOf(a), idOf(b));
  for (const [by, found] of candidates) {
    if (!found?.length) continue;
    const sorted = [...found].sort(byId);
    const first = sorted[0]!;
    const match: CustomerMatch = { targetId: idOf(first), displayName: first.displayName, email: first.email, by, ambiguous: sorted.length > 1 };
    if (by === 'email') {
      // The name rules would have taken another customer: both are candidates, and the user is told.
      const named = candidates
        .filter(([rule]) => rule === 'name')
        .flatMap(([, list]) => list ?? [])
        .filter((c) => !found.includes(c))
        .sort(byId)[0];
      if (named) match.nameElsewhere = { targetId: idOf(named), displayName: named.displayName };
    }
    return match;
  }
  return null;
}

function companyCityKey(company: string | null | undefined, city: string | null | undefined): string {
  const a = nameKey(company);
  const b = nameKey(city);
  return a && b ? `${a}\u0000${b}` : '';
}

/** What one key of the index holds: the customer, or the customers that share the key. */
type Indexed<E = IndexedCustomer> = E | E[];

function push<E>(map: Map<string, Indexed<E>>, key: string, value: E): void {
  if (!key) return;
  const held = map.get(key);
  if (held === undefined) map.set(key, value);
  else if (Array.isArray(held)) held.push(value);
  else map.set(key, [held, value]);
}

function listOf<E>(held: Indexed<E> | undefined): E[] | undefined {
  return held === undefined || Array.isArray(held) ? (held as E[] | undefined) : [held];
}

/** The id a planned customer answers with: `planned:<source id>`. */
export const PLANNED_PREFIX = 'planned:';

/**
 * A customer a run knows: one the accounting system holds (`id`), one the run plans to create (`planned`, its
 * source id), or both once the planned one is created under the name it was planned with.
 */
interface RunCustomer {
  id: string | null;
  planned: string | null;
  displayName: string;
  email: string | null;
}

/**
 * The accounting system's customers and the customers a run plans to create, under one set of keys: a planned
 * customer, once created, is the same entry with its id filled in, not a second copy of its keys. Two views answer
 * as two separate indexes would — `index` the customers the system holds (created ones included), `planned` every
 * customer planned in this run (created or not) under `planned:<source id>` — so matching and twins decide as before.
 */
export class RunCustomers {
  private readonly byEmail = new Map<string, Indexed<RunCustomer>>();
  private readonly byName = new Map<string, Indexed<RunCustomer>>();
  private readonly byCompanyCity = new Map<string, Indexed<RunCustomer>>();
  /** The system's customers by id. */
  private readonly ids = new Map<string, RunCustomer>();
  /** Planned customers by source id, until they are created. */
  private readonly open = new Map<string, RunCustomer>();
  /** A customer of either view whose display name makes no key. */
  private readonly blankName = { held: false, planned: false };

  readonly index: CustomerMatcher = this.view('held');
  readonly planned: CustomerMatcher = this.view('planned');

  /** Customers the accounting system holds. */
  add(customers: Iterable<TargetCustomer>): void {
    for (const c of customers) {
      if (!c.id) continue;
      const kept: RunCustomer = { id: c.id, planned: null, displayName: c.displayName, email: c.email ?? null };
      this.ids.set(c.id, kept);
      this.keyed(kept, c);
    }
  }

  /** A customer this run will create for the source customer `sourceId`. */
  plan(sourceId: string, c: Omit<TargetCustomer, 'id'>): void {
    const kept: RunCustomer = { id: null, planned: sourceId, displayName: c.displayName, email: c.email ?? null };
    this.open.set(sourceId, kept);
    this.keyed(kept, c);
  }

  /** The planned customer of `sourceId` was created as `c` (its name may differ after a rename). */
  created(sourceId: string, c: TargetCustomer): void {
    const planned = this.open.get(sourceId);
    this.open.delete(sourceId);
    if (!planned || planned.id !== null || planned.displayName !== c.displayName || (planned.email ?? null) !== (c.email ?? null)) {
      this.add([c]);
      return;
    }
    // The same name, email and other fields as planned: the same keys, so the entry itself joins the held view.
    planned.id = c.id;
    this.ids.set(c.id, planned);
    if (!nameKey(c.displayName)) this.blankName.held = true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get(id: string): IndexedCustomer | undefined {
    const c = this.ids.get(id);
    return c ? { id, displayName: c.displayName, email: c.email } : undefined;
  }

  private keyed(kept: RunCustomer, c: Omit<TargetCustomer, 'id'>): void {
    const name = nameKey(c.displayName);
    if (!name) this.blankName[kept.id === null ? 'planned' : 'held'] = true;
    push(this.byEmail, emailKey(c.email), kept);
    push(this.byName, name, kept);
    const given = nameKey(`${c.givenName ?? ''} ${c.familyName ?? ''}`);
    if (given !== name) push(this.byName, given, kept);
    push(this.byCompanyCity, companyCityKey(c.companyName, c.city), kept);
  }

  private view(side: 'held' | 'planned'): CustomerMatcher {
    const inView = side === 'held' ? (c: RunCustomer) => c.id !== null : (c: RunCustomer) => c.planned !== null;
    const idOf = side === 'held' ? (c: RunCustomer) => c.id! : (c: RunCustomer) => `${PLANNED_PREFIX}${c.planned!}`;
    const keys: Record<CustomerMatchRule, Map<string, Indexed<RunCustomer>>> = { email: this.byEmail, name: this.byName, companyCity: this.byCompanyCity };
    const listed = (rule: CustomerMatchRule, key: string) => listOf(keys[rule].get(key))?.filter(inView);
    return {
      match: (customer, plannedName) => matchIn(listed, idOf, customer, plannedName),
      hasName: (displayName) => {
        const key = nameKey(displayName);
        if (!key) return this.blankName[side];
        return listed('name', key)?.some((c) => nameKey(c.displayName) === key) ?? false;
      },
    };
  }
}

function byIdAscending(a: string, b: string): number {
  return Number(a) - Number(b) || a.localeCompare(b);
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
