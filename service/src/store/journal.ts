// The export journal: durable per-record state keyed by (company, record type, Salesforce id).
import { fromJson, toDate } from './rows';
import type { JournalEntry, JournalRecordType, JournalRepository, JournalState, Queryable } from './types';

interface JournalRow {
  company_id: string;
  record_type: JournalRecordType;
  record_id: string;
  state: JournalState;
  run_id: string;
  request_id: string | null;
  target_id: string | null;
  detail: unknown;
  error: string | null;
  updated_at: Date;
}

/** Rows a journal statement writes at most. */
export const JOURNAL_CHUNK = 1000;

const COLUMNS = 'company_id, record_type, record_id, state, run_id, request_id, target_id, detail, error, updated_at';

function keyOf(companyId: string, recordType: string, recordId: string): string {
  return `${companyId}\u0000${recordType}\u0000${recordId}`;
}

function map(row: JournalRow): JournalEntry {
  return {
    companyId: row.company_id,
    recordType: row.record_type,
    recordId: row.record_id,
    state: row.state,
    runId: row.run_id,
    requestId: row.request_id,
    targetId: row.target_id,
    detail: fromJson(row.detail),
    error: row.error,
    updatedAt: toDate(row.updated_at),
  };
}

/** One caller's rows waiting for the next statement, and how to tell it the outcome. */
interface Waiting {
  /** upsert: the rows as they are; writtenBack: see markWrittenBack. */
  mode: 'upsert' | 'writtenBack';
  entries: JournalEntry[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * `inTransaction`: the caller runs inside a store transaction, whose statements must stay its own. Outside one,
 * rows upserted while a statement is being written wait and go together in the next one (group commit): a run's
 * concurrent batches journal their answers in a few larger statements instead of one small statement each, and
 * every caller is still answered only once its own rows are durable.
 */
export function createJournalRepository(db: Queryable, now: () => Date, inTransaction: () => boolean = () => false): JournalRepository {
  /**
   * Writes the rows, one statement a chunk of JOURNAL_CHUNK (each atomic; every row is a fact of its own).
   * `keepDetail`: a row already stored keeps its detail (only its state, run and link change).
   */
  async function write(entries: JournalEntry[], keepDetail = false): Promise<void> {
    // ON CONFLICT cannot touch one row twice in a statement: the last entry for a key wins.
    const byKey = new Map<string, JournalEntry>();
    for (const entry of entries) byKey.set(keyOf(entry.companyId, entry.recordType, entry.recordId), entry);
    const records = [...byKey.values()].map((entry) => ({
      company_id: entry.companyId,
      record_type: entry.recordType,
      record_id: entry.recordId,
      state: entry.state,
      run_id: entry.runId,
      request_id: entry.requestId ?? null,
      target_id: entry.targetId ?? null,
      detail: entry.detail ?? {},
      error: entry.error ?? null,
    }));
    // The embedded store sizes its memory to the largest statement it has run and never gives it back: 10,000 rows
    // in one statement grew it by ~100 MB for the rest of the process, in chunks of 1,000 by ~30 MB. updated_at is
    // the store's clock (entry.updatedAt is output only).
    const at = now();
    for (let i = 0; i < records.length; i += JOURNAL_CHUNK) {
      await db.query(
        `INSERT INTO journal_entries (${COLUMNS})
         SELECT r.company_id, r.record_type, r.record_id, r.state, r.run_id, r.request_id, r.target_id,
                COALESCE(r.detail, '{}'::jsonb), r.error, $2::timestamptz
           FROM jsonb_to_recordset($1::text::jsonb) AS r(
                company_id text, record_type text, record_id text, state text, run_id text,
                request_id text, target_id text, detail jsonb, error text)
         ON CONFLICT (company_id, record_type, record_id) DO UPDATE SET
           state = EXCLUDED.state,
           run_id = EXCLUDED.run_id,
           request_id = EXCLUDED.request_id,
           target_id = EXCLUDED.target_id,
           detail = ${keepDetail ? 'journal_entries.detail' : 'EXCLUDED.detail'},
           error = EXCLUDED.error,
           updated_at = EXCLUDED.updated_at`,
        [JSON.stringify(records.slice(i, i + JOURNAL_CHUNK)), at],
      );
    }
  }

  /** Written back: the state alone where this run's created row with the same target stands, in full elsewhere. */
  async function markWritten(entries: JournalEntry[]): Promise<void> {
    const rows = entries.map((e) => ({
      company_id: e.companyId,
      record_type: e.recordType,
      record_id: e.recordId,
      run_id: e.runId,
      target_id: e.targetId ?? null,
    }));
    const at = now();
    const updated = new Set<string>();
    // `(state = 'created') IS TRUE`, not `state = 'created'`: the embedded store keeps no statistics, and given the
    // plain comparison its planner may look each row up through the in-flight index (every created row of the
    // type, for each row) instead of the primary key.
    for (let i = 0; i < rows.length; i += JOURNAL_CHUNK) {
      const done = await db.query<{ company_id: string; record_type: string; record_id: string }>(
        `UPDATE journal_entries j SET state = 'written_back', updated_at = $2::timestamptz
           FROM jsonb_to_recordset($1::text::jsonb) AS r(company_id text, record_type text, record_id text, run_id text, target_id text)
          WHERE j.company_id = r.company_id AND j.record_type = r.record_type AND j.record_id = r.record_id
            AND j.run_id = r.run_id AND (j.state = 'created') IS TRUE AND j.target_id IS NOT DISTINCT FROM r.target_id
          RETURNING j.company_id, j.record_type, j.record_id`,
        [JSON.stringify(rows.slice(i, i + JOURNAL_CHUNK)), at],
      );
      for (const d of done) updated.add(keyOf(d.company_id, d.record_type, d.record_id));
    }
    const rest = entries.filter((e) => !updated.has(keyOf(e.companyId, e.recordType, e.recordId))).map((e) => ({ ...e, state: 'written_back' as const }));
    // A row whose detail the caller does not hold keeps the stored one.
    const full = rest.filter((e) => !e.detailStored);
    const keyed = rest.filter((e) => e.detailStored);
    if (full.length) await write(full);
    if (keyed.length) await write(keyed, true);
  }

  /** Consecutive callers of one mode go in one statement (per chunk); the order of the callers is kept. */
  async function writeGroup(group: Waiting[]): Promise<void> {
    for (let i = 0; i < group.length; ) {
      let j = i;
      while (j < group.length && group[j]!.mode === group[i]!.mode) j++;
      const entries = group.slice(i, j).flatMap((w) => w.entries);
      await (group[i]!.mode === 'upsert' ? write(entries) : markWritten(entries));
      i = j;
    }
  }

  let waiting: Waiting[] = [];
  let writing = false;

  /** Writes what waits, group by group, until nothing does. */
  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length) {
        const group = waiting;
        waiting = [];
        try {
          await writeGroup(group);
          group.forEach((w) => w.resolve());
        } catch (err) {
          if (group.length === 1) {
            group[0]!.reject(err);
            continue;
          }
          // One caller's bad row must not fail the others: each is written (and answered) on its own.
          for (const w of group) await writeGroup([w]).then(w.resolve, w.reject);
        }
      }
    } finally {
      writing = false;
    }
  }

  function enqueue(mode: Waiting['mode'], entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (inTransaction()) return mode === 'upsert' ? write(entries) : markWritten(entries);
    return new Promise<void>((resolve, reject) => {
      waiting.push({ mode, entries, resolve, reject });
      if (!writing) void drain();
    });
  }

  return {
    upsertMany: (entries) => enqueue('upsert', entries),
    markWrittenBack: (entries) => enqueue('writtenBack', entries),

    async getMany(companyId, recordType, recordIds) {
      const found = new Map<string, JournalEntry>();
      if (recordIds.length === 0) return found;
      const rows = await db.query<JournalRow>(
        `SELECT ${COLUMNS} FROM journal_entries
          WHERE company_id = $1 AND record_type = $2 AND record_id = ANY($3::text[])`,
        [companyId, recordType, [...new Set(recordIds)]],
      );
      for (const row of rows) found.set(row.record_id, map(row));
      return found;
    },

    async listByState(companyId, recordType, states) {
      if (states.length === 0) return [];
      const rows = await db.query<JournalRow>(
        `SELECT ${COLUMNS} FROM journal_entries
          WHERE company_id = $1 AND record_type = $2 AND state = ANY($3::text[])
          ORDER BY record_id`,
        [companyId, recordType, [...new Set(states)]],
      );
      return rows.map(map);
    },

    async withDetail(companyId, recordType, key) {
      const rows = await db.query<JournalRow>(
        `SELECT ${COLUMNS} FROM journal_entries WHERE company_id = $1 AND record_type = $2 AND detail->>$3 IS NOT NULL ORDER BY record_id`,
        [companyId, recordType, key],
      );
      return rows.map(map);
    },

    async countByState(companyId, recordType, states) {
      if (states.length === 0) return 0;
      const rows = await db.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM journal_entries WHERE company_id = $1 AND record_type = $2 AND state = ANY($3::text[])`,
        [companyId, recordType, [...new Set(states)]],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
