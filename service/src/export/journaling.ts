// The journal rows the pipeline writes for a record, and the facts it keeps in them.
import { createHash } from 'node:crypto';
import type { JournalEntry, JournalState } from '../store/types';
import type { WriteBackUpdate } from './ports';
import type { CreatableKind } from './target';

/**
 * What the source record is owed, kept in its journal entry until the source system takes it: a write-back that
 * failed is finished later from the journal alone, without a new export.
 */
export function owed(update: WriteBackUpdate): Record<string, unknown> {
  return { ...update, subject: { ...update.subject } };
}

/** The source records that went to the target inside this one (a sales receipt's payments), kept with its entry. */
export function carried(also: WriteBackUpdate[] | undefined): { also?: string[] } {
  return also?.length ? { also: also.map((u) => u.subject.id) } : {};
}

/** The same record with the same content always gets the same idempotency key. */
export function keyFingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/**
 * What a write-back waiting to be committed keeps of a row the journal already stores: its key and link, not its
 * detail (an invoice's sent fingerprint, what it is owed) — a large run holds tens of thousands of these at once.
 */
export function storedRow(row: JournalEntry): JournalEntry {
  const { companyId, recordType, recordId, state, runId, requestId, targetId, error } = row;
  return { companyId, recordType, recordId, state, runId, requestId, targetId, detail: {}, error, detailStored: true };
}

export function journalEntry(
  deps: { companyId: string; runId: string },
  kind: CreatableKind,
  recordId: string,
  state: JournalState,
  extra: Partial<Pick<JournalEntry, 'requestId' | 'targetId' | 'detail' | 'error'>> = {},
): JournalEntry {
  return {
    companyId: deps.companyId,
    runId: deps.runId,
    recordType: kind,
    recordId,
    state,
    requestId: extra.requestId ?? null,
    targetId: extra.targetId ?? null,
    detail: extra.detail ?? {},
    error: extra.error ?? null,
  };
}
