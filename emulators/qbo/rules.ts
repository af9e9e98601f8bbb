// Validation and shaping helpers shared by every entity.

import { qboDateTime } from './clock';
import { faults } from './faults';
import type { Entity, EntityName, QboState, Realm } from './state';

/** Everything one write needs to know about where and when it happens. */
export interface WriteContext {
  state: QboState;
  realm: Realm;
  now: number;
  /** `include=allowduplicatedocnum` was on the request. */
  allowDuplicateDocNum: boolean;
  /** Seed data is stored as given: historical documents may point at inactive records. */
  seeding?: boolean;
  /** "Type:Id" of records created earlier in the same batch: batch items cannot reference each other. */
  createdInBatch?: Set<string>;
}

const CURRENCY_NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  CAD: 'Canadian Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  AUD: 'Australian Dollar',
  NZD: 'New Zealand Dollar',
  MXN: 'Mexican Peso',
  JPY: 'Japanese Yen',
  CHF: 'Swiss Franc',
  INR: 'Indian Rupee',
  ZAR: 'South African Rand',
  SGD: 'Singapore Dollar',
  HKD: 'Hong Kong Dollar',
  SEK: 'Swedish Krona',
  NOK: 'Norwegian Krone',
  DKK: 'Danish Krone',
  PLN: 'Polish Zloty',
  BRL: 'Brazilian Real',
  CNY: 'Chinese Yuan Renminbi',
};

export function currencyRef(code: string): { value: string; name: string } {
  return { value: code, name: CURRENCY_NAMES[code] ?? code };
}

export function metaData(createdAt: number, updatedAt: number): { CreateTime: string; LastUpdatedTime: string } {
  return { CreateTime: qboDateTime(createdAt), LastUpdatedTime: qboDateTime(updatedAt) };
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** 2050 when a string is longer than QBO stores. */
export function checkLength(value: unknown, element: string, max: number): void {
  if (typeof value === 'string' && value.length > max) throw faults.stringLength(element, max, value.length);
}

/** Names may not hold the sub-customer separator, tabs or line breaks. */
export function checkNameChars(value: unknown, element: string): void {
  if (typeof value === 'string' && /[:\t\r\n]/.test(value)) throw faults.invalidChars(element, value);
}

/** 2010 for a top-level property the entity does not have. */
export function checkKnownProps(body: Record<string, unknown>, entity: EntityName, known: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) {
    if (!known.has(key)) throw faults.unsupportedProperty(key, entity);
  }
}

/** The `value` of a reference object (`{ value, name }`), or undefined. */
export function refValue(ref: unknown): string | undefined {
  if (isObject(ref)) return str(ref.value);
  return str(ref);
}

/**
 * Resolves a reference to another entity: 2500 when it does not exist,
 * 610 when it has been made inactive.
 */
export function resolveRef(ctx: WriteContext, type: EntityName, ref: unknown, what: string): Entity {
  const id = refValue(ref);
  const target = id === undefined || ctx.createdInBatch?.has(`${type}:${id}`) ? undefined : ctx.realm.table(type).get(id);
  if (!target) throw faults.invalidReference(`${what} element id ${id ?? ''} not found`);
  if (target.Active === false && !ctx.seeding) throw faults.objectNotFound();
  return target;
}

/** Rebuilds an object with the given keys first (in order), then any others. */
export function ordered(obj: Record<string, any>, order: readonly string[]): Entity {
  const out: Entity = {};
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** The suffix QBO appends to a list entry's name when it is made inactive. */
export const DELETED_SUFFIX = ' (deleted)';

export function withDeletedSuffix(name: string): string {
  return name.endsWith(DELETED_SUFFIX) ? name : `${name}${DELETED_SUFFIX}`;
}

export function withoutDeletedSuffix(name: string): string {
  return name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name;
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Fields the client may not set: identity and bookkeeping. */
export const SYSTEM_FIELDS = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse'];

export function stripSystem(body: Record<string, any>, extra: readonly string[] = []): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, val] of Object.entries(body)) {
    if (!SYSTEM_FIELDS.includes(k) && !extra.includes(k)) out[k] = val;
  }
  return out;
}
