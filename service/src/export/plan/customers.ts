// Pure decisions for customers: match one the accounting system holds (or one this export creates), or build the
// one to create — name cleaned, trimmed to the target's limits and, when taken, renamed deterministically.
import { PLANNED_PREFIX, ReservedNames, type CustomerMatch, type CustomerMatcher, type CustomerMatchRule } from '../../matching/customers';
import { cleanName, cleanText, emailKey, length, truncate } from '../../matching/names';
import type { CustomerMatchPolicy, SourceCustomer } from '../model';
import type { CustomerDoc, TargetLimits } from '../target';
import type { RenameReason } from '../entries';

export interface CustomerPlanContext {
  /** Customers the accounting system holds (and those this export has created so far). */
  index: CustomerMatcher;
  /** Customers this export will create, under ids `planned:<source id>`. */
  planned: CustomerMatcher;
  /** Names of vendors, employees and other names a customer cannot take. */
  reserved: ReservedNames;
  limits: TargetLimits;
  clashSuffix: string;
  policy: CustomerMatchPolicy;
}

export interface EmailDifference {
  source: string;
  other: string;
}

export type CustomerDecision =
  | {
      kind: 'match';
      targetId: string;
      name: string;
      by: CustomerMatchRule;
      ambiguous: boolean;
      emailDiffers?: EmailDifference;
      /** Matched by email while another customer has its name: both are named to the user. */
      nameElsewhere?: { targetId: string; name: string };
    }
  /** The same customer as one this export creates: it gets that customer's id once created. */
  | { kind: 'twin'; of: string; name: string; by: CustomerMatchRule; emailDiffers?: EmailDifference }
  | { kind: 'create'; doc: CustomerDoc; renamed?: { from: string; to: string; reason: RenameReason }; shortened: string[] }
  | { kind: 'fail'; message: string; fix: string };

export { PLANNED_PREFIX };

function baseName(customer: SourceCustomer): string {
  return customer.name?.trim() || `${customer.firstName ?? ''} ${customer.lastName ?? ''}`.trim() || customer.companyName?.trim() || '';
}

/** `name` + suffix (then the suffix numbered 2, 3, ...) until the name is free. Deterministic. */
export function renameForClash(name: string, suffix: string, taken: (candidate: string) => boolean, max = 500): string {
  for (let n = 1; n < 100; n++) {
    const tail = n === 1 ? suffix : `${suffix} ${n}`;
    const candidate = `${truncate(name, max - length(tail))}${tail}`;
    if (!taken(candidate)) return candidate;
  }
  throw new Error(`No free name for "${name}"`);
}

function emailDifference(customer: SourceCustomer, match: CustomerMatch): EmailDifference | undefined {
  const source = emailKey(customer.email);
  const other = emailKey(match.email);
  return source && other && source !== other ? { source: customer.email!.trim(), other: match.email!.trim() } : undefined;
}

export function decideCustomer(customer: SourceCustomer, ctx: CustomerPlanContext): CustomerDecision {
  const max = ctx.limits.displayName;
  const cleaned = cleanName(baseName(customer), max);
  if (!cleaned.value) {
    return {
      kind: 'fail',
      message: `Customer ${customer.id} was not exported: its Name is blank (Salesforce shows the record id in its place) and it has no First Name, Last Name or Company Name, so QuickBooks cannot name it.`,
      fix: 'Enter the Name (or First and Last Name, or Company Name) on the Customer record in Salesforce, then export again.',
    };
  }
  const reservedName = ctx.reserved.has(cleaned.value);
  const renamedCandidate = reservedName ? renameForClash(cleaned.value, ctx.clashSuffix, (c) => ctx.reserved.has(c), max) : undefined;

  // An earlier export may have created the customer under its clean or its renamed name: both count as a match.
  const found = ctx.index.match(customer, cleaned.value) ?? (renamedCandidate ? ctx.index.match(customer, renamedCandidate) : null);
  let refusedByEmail = false;
  if (found) {
    const emailDiffers = emailDifference(customer, found);
    if (!emailDiffers || ctx.policy === 'cascade') {
      const elsewhere = found.nameElsewhere ? { nameElsewhere: { targetId: found.nameElsewhere.targetId, name: found.nameElsewhere.displayName } } : {};
      return { kind: 'match', targetId: found.targetId, name: found.displayName, by: found.by, ambiguous: found.ambiguous, emailDiffers, ...elsewhere };
    }
    refusedByEmail = true;
  }
  const twin = ctx.planned.match(customer, renamedCandidate ?? cleaned.value);
  if (twin) {
    const emailDiffers = emailDifference(customer, twin);
    if (!emailDiffers || ctx.policy === 'cascade') {
      return { kind: 'twin', of: twin.targetId.slice(PLANNED_PREFIX.length), name: twin.displayName, by: twin.by, emailDiffers };
    }
    refusedByEmail = true;
  }

  let displayName = renamedCandidate ?? cleaned.value;
  let renamed: { from: string; to: string; reason: RenameReason } | undefined = renamedCandidate
    ? { from: cleaned.value, to: renamedCandidate, reason: 'reserved' }
    : undefined;
  const nameTaken = (n: string) => ctx.reserved.has(n) || ctx.index.hasName(n) || ctx.planned.hasName(n);
  if (refusedByEmail && nameTaken(displayName)) {
    // "Never match across different emails": the same name for another person, told apart by the email.
    displayName = renameForClash(displayName, ` (${customer.email!.trim()})`, nameTaken, max);
    renamed = { from: cleaned.value, to: displayName, reason: 'emailDiffers' };
  }
  const { doc, changes } = customerDoc(customer, displayName, ctx.limits);
  const shortened = [...cleaned.changes.map((c) => `name ${c} (sent as "${cleaned.value}")`), ...changes];
  return { kind: 'create', doc, renamed, shortened };
}

/** The customer to create in the accounting system, every field within the target's limits. */
export function customerDoc(customer: SourceCustomer, displayName: string, limits: TargetLimits): { doc: CustomerDoc; changes: string[] } {
  const changes: string[] = [];
  const field = (label: string, value: string | null, max: number, name = false) => {
    if (!value) return undefined;
    const c = name ? cleanName(value, max) : cleanText(value, max);
    for (const change of c.changes) changes.push(`${label} ${change}`);
    return c.value || undefined;
  };
  const doc: CustomerDoc = { displayName };
  const given = field('first name', customer.firstName, limits.givenName, true);
  const family = field('last name', customer.lastName, limits.familyName, true);
  const company = field('company name', customer.companyName, limits.companyName);
  const email = field('email', customer.email, limits.email);
  const phone = field('phone', customer.phone, limits.phone);
  if (given) doc.givenName = given;
  if (family) doc.familyName = family;
  if (company) doc.companyName = company;
  if (email) doc.email = email;
  if (phone) doc.phone = phone;
  const b = customer.billing;
  const billing = {
    line1: field('street', b.street, limits.addressLine),
    city: field('city', b.city, limits.city),
    state: field('state', b.state, limits.state),
    postalCode: field('postal code', b.postalCode, limits.postalCode),
    country: field('country', b.country, limits.country),
  };
  const present = Object.fromEntries(Object.entries(billing).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length) doc.billing = present;
  return { doc, changes };
}

/** The planned customer, as the in-run index sees it (so later records can match it). */
export function plannedCustomer(sourceId: string, doc: CustomerDoc) {
  return {
    id: `${PLANNED_PREFIX}${sourceId}`,
    displayName: doc.displayName,
    givenName: doc.givenName,
    familyName: doc.familyName,
    companyName: doc.companyName,
    email: doc.email,
    city: doc.billing?.city,
  };
}
