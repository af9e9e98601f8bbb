// Keys and bookkeeping for exactly-once creation: each record gets a stable request key derived from its
// content, recorded in the store before the call goes out.
import { createHash } from 'node:crypto';
import type { JournalEntry, JournalRecordType, Store } from '../store/types';

export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** The requestid for one record's create: the same record with the same content always gets the same key. */
export async function itemRequestKey(store: Store, realmId: string, type: JournalRecordType, recordId: string, payload: unknown): Promise<string> {
  const print = fingerprint(type, recordId, payload);
  return store.idempotency.getOrCreate(`qbo:${realmId}:${type}`, print, `${type[0]}-${print.slice(0, 40)}`);
}

/**
 * The requestid of a batch call: unique to this run's attempt at exactly these items. QuickBooks keeps 50
 * characters of requestid + bId per item, so 42 leave room for bIds up to 8 characters.
 */
export function batchRequestKey(runId: string, itemKeys: string[]): string {
  return `b-${fingerprint(runId, itemKeys).slice(0, 40)}`;
}

export function entry(
  companyId: string,
  runId: string,
  recordType: JournalRecordType,
  recordId: string,
  state: JournalEntry['state'],
  extra: Partial<Pick<JournalEntry, 'requestId' | 'qboId' | 'detail' | 'error'>> = {},
): JournalEntry {
  return {
    companyId,
    runId,
    recordType,
    recordId,
    state,
    requestId: extra.requestId ?? null,
    qboId: extra.qboId ?? null,
    detail: extra.detail ?? {},
    error: extra.error ?? null,
  };
}
