// Salesforce record ids for the demo org: 18-character ids built the way Salesforce builds them, so code that
// validates, compares or converts ids (15 <-> 18) sees the same thing it would see in a real org.
import { checksumSuffix } from '../../emulators/salesforce/ids';

/** Key prefixes (first three characters of an id) the demo org uses, one per object. */
export const KEY_PREFIXES = {
  Company__c: 'a00',
  Customer__c: 'a01',
  Product__c: 'a02',
  Sales_Invoice__c: 'a03',
  Sales_Invoice_Line__c: 'a04',
  Payment__c: 'a05',
  Process_Log__c: 'a06',
  Process_Log_Entry__c: 'a07',
} as const;

export type DemoObjectName = keyof typeof KEY_PREFIXES;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Characters 4-6 of a real id: a two-character pod (instance) code and a reserved character.
const POD_AND_RESERVED = '5g0';
const SEQUENCE_LENGTH = 9;

/** The 3-character suffix that turns a case-sensitive 15-character id into the case-insensitive 18-character one. */
export function salesforceIdChecksum(id15: string): string {
  if (!/^[0-9A-Za-z]{15}$/.test(id15)) throw new Error(`Not a 15-character Salesforce id: ${JSON.stringify(id15)}`);
  return checksumSuffix(id15);
}

/** The 18-character form of a 15- or 18-character id. */
export function toId18(id: string): string {
  const id15 = id.length === 18 ? id.slice(0, 15) : id;
  return id15 + salesforceIdChecksum(id15);
}

/** True when `id` is an 18-character id whose suffix matches its first 15 characters. */
export function isValidSalesforceId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9A-Za-z]{15}[A-Z0-5]{3}$/.test(id) && salesforceIdChecksum(id.slice(0, 15)) === id.slice(15);
}

/**
 * The n-th id of an object: key prefix + pod + reserved character + n in base 62 over 9 characters (room for any safe integer) + checksum.
 * Ids grow with n, as record ids in one org do.
 */
export function makeSalesforceId(keyPrefix: string, n: number): string {
  if (!/^[0-9A-Za-z]{3}$/.test(keyPrefix)) throw new Error(`Key prefix must be 3 alphanumerics: ${keyPrefix}`);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Record number must be a non-negative integer: ${n}`);
  let sequence = '';
  let rest = n;
  for (let i = 0; i < SEQUENCE_LENGTH; i++) {
    sequence = BASE62[rest % 62] + sequence;
    rest = Math.floor(rest / 62);
  }
  const id15 = keyPrefix + POD_AND_RESERVED + sequence;
  return id15 + salesforceIdChecksum(id15);
}

/** Ids for one object, numbered from 1 in creation order. */
export function idSequence(keyPrefix: string): () => string {
  makeSalesforceId(keyPrefix, 0); // fail now on a malformed prefix, not at the first record
  let n = 0;
  return () => makeSalesforceId(keyPrefix, ++n);
}
