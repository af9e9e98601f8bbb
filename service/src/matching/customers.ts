// The customer match cascade (the peers' proven order): email, then display name (first + last), then company
// name + city. Pure: an index built once from QuickBooks' customers, looked up per Salesforce customer.
import type { Customer } from '../salesforce/records';
import { emailKey, nameKey } from './names';

export interface QboCustomerLike {
  Id?: string;
  DisplayName?: string;
  GivenName?: string;
  FamilyName?: string;
  CompanyName?: string;
  PrimaryEmailAddr?: { Address?: string };
  BillAddr?: { City?: string };
  Active?: boolean;
}

export type CustomerMatchRule = 'email' | 'name' | 'companyCity';

export interface CustomerMatch {
  qboId: string;
  displayName: string;
  by: CustomerMatchRule;
  /** More than one QuickBooks customer fitted; the oldest (lowest Id) was taken. */
  ambiguous: boolean;
}

export class CustomerIndex {
  private readonly byEmail = new Map<string, QboCustomerLike[]>();
  private readonly byName = new Map<string, QboCustomerLike[]>();
  private readonly byCompanyCity = new Map<string, QboCustomerLike[]>();
  private readonly ids = new Set<string>();

  add(customers: Iterable<QboCustomerLike>): void {
    for (const c of customers) {
      if (!c.Id) continue;
      this.ids.add(c.Id);
      push(this.byEmail, emailKey(c.PrimaryEmailAddr?.Address), c);
      push(this.byName, nameKey(c.DisplayName), c);
      const given = `${c.GivenName ?? ''} ${c.FamilyName ?? ''}`;
      if (nameKey(given) !== nameKey(c.DisplayName)) push(this.byName, nameKey(given), c);
      push(this.byCompanyCity, companyCityKey(c.CompanyName, c.BillAddr?.City), c);
    }
  }

  has(qboId: string): boolean {
    return this.ids.has(qboId);
  }

  get size(): number {
    return this.ids.size;
  }

  /**
   * Finds the QuickBooks customer for a Salesforce customer. `plannedName` is the display name Ledgerline
   * would create it under: finding it means an earlier, interrupted export already created this customer.
   */
  match(customer: Customer, plannedName?: string): CustomerMatch | null {
    const email = emailKey(customer.Email__c);
    const fullName = nameKey(`${customer.First_Name__c ?? ''} ${customer.Last_Name__c ?? ''}`);
    const candidates: [CustomerMatchRule, QboCustomerLike[] | undefined][] = [
      ['email', email ? this.byEmail.get(email) : undefined],
      ['name', fullName ? this.byName.get(fullName) : undefined],
      ['name', plannedName ? this.byName.get(nameKey(plannedName)) : undefined],
      ['companyCity', this.byCompanyCity.get(companyCityKey(customer.Company_Name__c, customer.Billing_City__c))],
    ];
    for (const [by, found] of candidates) {
      if (!found?.length) continue;
      const sorted = [...found].sort(byIdAscending);
      const first = sorted[0]!;
      return { qboId: first.Id!, displayName: first.DisplayName ?? '', by, ambiguous: sorted.length > 1 };
    }
    return null;
  }
}

function companyCityKey(company: string | null | undefined, city: string | null | undefined): string {
  const a = nameKey(company);
  const b = nameKey(city);
  return a && b ? `${a}\u0000${b}` : '';
}

function push(map: Map<string, QboCustomerLike[]>, key: string, value: QboCustomerLike): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byIdAscending(a: QboCustomerLike, b: QboCustomerLike): number {
  return Number(a.Id) - Number(b.Id) || String(a.Id).localeCompare(String(b.Id));
}

/** Names QuickBooks will refuse for a new customer: every vendor's and employee's display name (6240). */
export class ReservedNames {
  private readonly names = new Set<string>();

  add(entities: Iterable<Record<string, unknown>>): void {
    for (const e of entities) if (typeof e.DisplayName === 'string') this.names.add(nameKey(e.DisplayName));
  }

  addName(name: string): void {
    this.names.add(nameKey(name));
  }

  has(name: string): boolean {
    return this.names.has(nameKey(name));
  }
}
