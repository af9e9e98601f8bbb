// Process Log entries a run could not write to Salesforce: kept until they reach their log.
import type { LogEntry } from '../export/entries';
import type { OwedLogEntry, OwedLogEntryRepository, Queryable } from './types';

export function createOwedLogEntryRepository(db: Queryable, now: () => Date): OwedLogEntryRepository {
  return {
    async add(companyId, logId, entries) {
      for (const { sequence, entry } of entries) {
        await db.query(
          `INSERT INTO owed_log_entries (log_id, sequence, company_id, entry, created_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
           ON CONFLICT (log_id, sequence) DO NOTHING`,
          [logId, sequence, companyId, JSON.stringify(entry), now()],
        );
      }
    },

    async list(companyId) {
      const rows = await db.query<{ log_id: string; sequence: number; entry: string }>(
        'SELECT log_id, sequence, entry FROM owed_log_entries WHERE company_id = $1 ORDER BY log_id, sequence',
        [companyId],
      );
      return rows.map((r): OwedLogEntry => ({ logId: r.log_id, sequence: Number(r.sequence), entry: JSON.parse(r.entry) as LogEntry }));
    },

    async remove(logId, sequences) {
      if (!sequences.length) return;
      await db.query('DELETE FROM owed_log_entries WHERE log_id = $1 AND sequence = ANY($2::int[])', [logId, sequences]);
    },
  };
}
