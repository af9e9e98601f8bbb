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
      const existing = await db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE scope = $1 AND fingerprint = $2', [
        scope,
        fingerprint,
      ]);
      if (!existing.length) throw new Error(`idempotency key for scope "${scope}" vanished while being read`);
      return existing[0].key;
    },
  };
}
