// Idempotency keys (QuickBooks `requestid`s): issued once per (scope, fingerprint), then reused.
import type { IdempotencyRepository, Queryable } from './types';

export function createIdempotencyRepository(db: Queryable, now: () => Date): IdempotencyRepository {
  return {
    async getOrCreate(scope, fingerprint, candidate) {
      // Conflict target named explicitly: only "already issued" is expected, any other error surfaces.
      const inserted = await db.query<{ key: string }>(
        `INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ($1, $2, $3, $4::timestamptz)
         ON CONFLICT (scope, fingerprint) DO NOTHING
         RETURNING key`,
        [scope, fingerprint, candidate, now()],
      );
      if (inserted.length) return inserted[0].key;
      // A separate statement (fresh snapshot under READ COMMITTED) sees a concurrent winner's row.
      const existing = await db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE scope = $1 AND fingerprint = $2', [scope, fingerprint]);
      if (!existing.length) throw new Error(`idempotency key for scope "${scope}" vanished while being read`);
      return existing[0].key;
    },

    async getOrCreateMany(scope, items) {
      const keys = new Map<string, string>();
      if (!items.length) return keys;
      const unique = [...new Map(items.map((i) => [i.fingerprint, i])).values()];
      const issued = await db.query<{ fingerprint: string; key: string }>(
        `INSERT INTO idempotency_keys (scope, fingerprint, key, created_at)
         SELECT $1, r.fingerprint, r.candidate, $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS r(fingerprint text, candidate text)
         ON CONFLICT (scope, fingerprint) DO NOTHING
         RETURNING fingerprint, key`,
        [scope, JSON.stringify(unique), now()],
      );
      for (const row of issued) keys.set(row.fingerprint, row.key);
      // Only keys issued before are read back: a first export's records all get theirs from the insert alone. A
      // separate statement (fresh snapshot under READ COMMITTED) sees a concurrent winner's row.
      const before = unique.filter((i) => !keys.has(i.fingerprint));
      if (before.length) {
        const rows = await db.query<{ fingerprint: string; key: string }>(
          'SELECT fingerprint, key FROM idempotency_keys WHERE scope = $1 AND fingerprint = ANY($2::text[])',
          [scope, before.map((i) => i.fingerprint)],
        );
        for (const row of rows) keys.set(row.fingerprint, row.key);
      }
      if (keys.size !== unique.length) throw new Error(`idempotency keys for scope "${scope}" vanished while being read`);
      return keys;
    },
  };
}
