// Pure decisions for customers: match an existing QuickBooks customer or build the one to create, with the name
// cleaned, trimmed and — when a vendor or employee already holds it — deterministically renamed.
import { CustomerIndex, ReservedNames, type CustomerMatch } from '../matching/customers';
import { QBO_LIMITS, cleanName, cleanText, length, truncate } from '../matching/names';
import type { Customer } from '../salesforce/records';
import { shortened, type LogEntry } from './outcomes';

export type CustomerDecision =
  | { kind: 'match'; customer: Customer; match: CustomerMatch }
  | { kind: 'create'; customer: Customer; displayName: string; payload: Record<string, unknown>; notes: LogEntry[]; renamedFrom?: string };

function baseName(customer: Customer): string {
  return customer.Name?.trim() || `${customer.First_Name__c ?? ''} ${customer.Last_Name__c ?? ''}`.trim() || customer.Company_Name__c || customer.Id;
}

/** `name` + suffix (then the suffix numbered 2, 3, ...) until QuickBooks will take it. Deterministic. */
export function renameForClash(name: string, suffix: string, taken: (candidate: string) => boolean): string {
  for (let n = 1; n < 100; n++) {
    const tail = n === 1 ? suffix : `${suffix} ${n}`;
    const candidate = `${truncate(name, QBO_LIMITS.displayName - length(tail))}${tail}`;
    if (!taken(candidate)) return candidate;
  }
  throw new Error(`No free name for "${name}"`);
}

export function decideCustomer(
  customer: Customer,
  index: CustomerIndex,
  reserved: ReservedNames,
  clashSuffix: string,
): CustomerDecision {
  const cleaned = cleanName(baseName(customer), QBO_LIMITS.displayName);
  const renamedCandidate = reserved.has(cleaned.value) ? renameForClash(cleaned.value, clashSuffix, (c) => reserved.has(c)) : undefined;
  // An earlier export may have created the customer under its clean or its renamed name: both count as a match.
  const match = index.match(customer, cleaned.value) ?? (renamedCandidate ? index.match(customer, renamedCandidate) : null);
  if (match) return { kind: 'match', customer, match };

  const displayName = renamedCandidate ?? cleaned.value;
  const { payload, changes } = customerPayload(customer, displayName);
  const notes: LogEntry[] = [];
  if (cleaned.changes.length) {
    notes.push(shortened('Customer', customer, `Customer name adjusted for QuickBooks: ${cleaned.changes.join('; ')}. Sent as "${cleaned.value}".`));
  }
  if (changes.length) notes.push(shortened('Customer', customer, `Customer fields adjusted for QuickBooks: ${changes.join('; ')}.`));
  return { kind: 'create', customer, displayName, payload, notes, renamedFrom: renamedCandidate ? cleaned.value : undefined };
}

/** The QuickBooks Customer body for a Salesforce customer. */
export function customerPayload(customer: Customer, displayName: string): { payload: Record<string, unknown>; changes: string[] } {
  const changes: string[] = [];
  const field = (label: string, value: string | null, max: number, name = false) => {
    if (!value) return undefined;
    const c = name ? cleanName(value, max) : cleanText(value, max);
    for (const change of c.changes) changes.push(`${label} ${change}`);
    return c.value || undefined;
  };
  const payload: Record<string, unknown> = { DisplayName: displayName };
  const given = field('first name', customer.First_Name__c, QBO_LIMITS.givenName, true);
  const family = field('last name', customer.Last_Name__c, QBO_LIMITS.familyName, true);
  const company = field('company name', customer.Company_Name__c, QBO_LIMITS.companyName);
  const email = field('email', customer.Email__c, QBO_LIMITS.email);
  const phone = field('phone', customer.Phone__c, QBO_LIMITS.phone);
  if (given) payload.GivenName = given;
  if (family) payload.FamilyName = family;
  if (company) payload.CompanyName = company;
  if (email) payload.PrimaryEmailAddr = { Address: email };
  if (phone) payload.PrimaryPhone = { FreeFormNumber: phone };
  const addr: Record<string, string> = {};
  const line1 = field('street', customer.Billing_Street__c, QBO_LIMITS.addressLine);
  const city = field('city', customer.Billing_City__c, QBO_LIMITS.city);
  const state = field('state', customer.Billing_State__c, QBO_LIMITS.countrySubDivisionCode);
  const postal = field('postal code', customer.Billing_Postal_Code__c, QBO_LIMITS.postalCode);
  const country = field('country', customer.Billing_Country__c, QBO_LIMITS.country);
  if (line1) addr.Line1 = line1;
  if (city) addr.City = city;
  if (state) addr.CountrySubDivisionCode = state;
  if (postal) addr.PostalCode = postal;
  if (country) addr.Country = country;
  if (Object.keys(addr).length) payload.BillAddr = addr;
  return { payload, changes };
}
