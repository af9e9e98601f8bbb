// Turns JSON input into stored field values the way the platform does, with its error codes and
// messages; also formats stored values for responses.
import { isIdLike, keyPrefixOf } from './ids';
import type { FieldDef, Schema } from './schema';

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type Coerced = { ok: true; value: unknown } | { ok: false; error: SaveError };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Salesforce's datetime wire format: 2026-01-31T10:00:00.000+0000 (always UTC). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Parses an ISO-8601 datetime (offset or Z; none means UTC) to epoch ms. */
export function parseDateTime(s: string): number | null {
  const m = DATETIME_RE.exec(s);
  if (!m || !isValidDate(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, ms);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

function err(statusCode: string, message: string, fields: string[]): Coerced {
  return { ok: false, error: { statusCode, message, fields } };
}

function wrongType(field: FieldDef, raw: unknown): Coerced {
  return err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`, [
    field.name,
  ]);
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function roundTo(value: number, scale: number): number {
  const f = 10 ** scale;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * f) / f;
}

/**
 * Coerces one input value. Reference existence is checked by the caller (it needs the store);
 * here only the id's shape and key prefix are.
 */
export function coerceValue(field: FieldDef, raw: unknown, schema: Schema): Coerced {
  if (raw === undefined || raw === null || raw === '') {
    return { ok: true, value: field.type === 'boolean' ? false : null };
  }
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist': {
      if (typeof raw === 'object') return wrongType(field, raw);
      const value = String(raw);
      if (field.length > 0 && value.length > field.length) {
        return err('STRING_TOO_LONG', `${field.label}: data value too large: ${value} (max length=${field.length})`, [field.name]);
      }
      if (field.type === 'email' && !EMAIL_RE.test(value)) {
        return err('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
      }
      if (field.type === 'picklist' && field.restrictedPicklist && !field.picklistValues.some((p) => p.value === value)) {
        return err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${value}`, [field.name]);
      }
      return { ok: true, value };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return { ok: true, value: raw.toLowerCase() === 'true' };
      return wrongType(field, raw);
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return wrongType(field, raw);
      const value = roundTo(n, field.scale);
      if (Math.abs(value) >= 10 ** (field.precision - field.scale)) {
        return err('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${n}`, [field.name]);
      }
      return { ok: true, value };
    }
    case 'date': {
      if (typeof raw !== 'string') return wrongType(field, raw);
      const day = raw.length > 10 && parseDateTime(raw) !== null ? raw.slice(0, 10) : raw;
      return isValidDate(day) ? { ok: true, value: day } : wrongType(field, raw);
    }
    case 'datetime': {
      if (typeof raw === 'number') return { ok: true, value: formatDateTime(raw) };
      if (typeof raw !== 'string') return wrongType(field, raw);
      const t = isValidDate(raw) ? Date.parse(`${raw}T00:00:00Z`) : parseDateTime(raw);
      return t === null ? wrongType(field, raw) : { ok: true, value: formatDateTime(t) };
    }
    case 'reference':
    case 'id': {
      const value = String(raw);
      if (typeof raw !== 'string' || !isIdLike(value)) {
        return err('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
      }
      const target = field.referenceTo ? schema.get(field.referenceTo) : undefined;
      if (target && keyPrefixOf(value) !== target.keyPrefix) {
        return err('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
      }
      return { ok: true, value };
    }
  }
}
