// QuickBooks reads per Company and calendar month (UTC): one counter row each, changed by atomic increments so every
// instance sharing the store sees one count. The month's total over all companies is what Intuit meters (per app).
import type { Queryable, ReadCounterRepository, ReadCounts } from './types';

interface CountsRow {
  company: string | number | null;
  total: string | number | null;
}

const counts = (row: CountsRow | undefined): ReadCounts => ({ company: Number(row?.company ?? 0), total: Number(row?.total ?? 0) });

export function createReadCounterRepository(db: Queryable, now: () => Date): ReadCounterRepository {
  return {
    async add(companyId, month, n) {
      const rows = await db.query<CountsRow>(
        `WITH up AS (
           INSERT INTO qbo_reads (company_id, month, reads, updated_at) VALUES ($1, $2, $3, $4::timestamptz)
           ON CONFLICT (company_id, month) DO UPDATE SET reads = qbo_reads.reads + EXCLUDED.reads, updated_at = EXCLUDED.updated_at
           RETURNING reads
         )
         SELECT (SELECT reads FROM up) AS company,
                (SELECT reads FROM up) + (SELECT COALESCE(SUM(reads), 0) FROM qbo_reads WHERE month = $2 AND company_id <> $1) AS total`,
        [companyId, month, n, now()],
      );
      return counts(rows[0]);
    },

    async get(companyId, month) {
      const rows = await db.query<CountsRow>(
        `SELECT COALESCE(SUM(reads) FILTER (WHERE company_id = $1), 0) AS company, COALESCE(SUM(reads), 0) AS total FROM qbo_reads WHERE month = $2`,
        [companyId, month],
      );
      return counts(rows[0]);
    },
  };
}
