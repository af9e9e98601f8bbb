// Leased locks shared by every process using the same database. Lease times come from the
// injected clock (`opts.now`), never from the database clock, so all processes must have
// roughly synchronised clocks (NTP) and leases should be much longer than the expected skew.
import { toDate } from './rows';
import type { LockRepository, Queryable } from './types';

function leaseEnd(at: Date, leaseMs: number): Date {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new Error(`leaseMs must be a positive number (got ${leaseMs})`);
  return new Date(at.getTime() + leaseMs);
}

export function createLockRepository(db: Queryable, now: () => Date): LockRepository {
  return {
    async acquire(key, owner, leaseMs) {
      const at = now();
      // Atomic on PostgreSQL: concurrent inserters of one key serialise on the unique index, and the
      // DO UPDATE's WHERE sees the latest committed row. Re-acquiring one's own lock extends it.
      const rows = await db.query<{ owner: string }>(
        `INSERT INTO locks (key, owner, expires_at, acquired_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz)
         ON CONFLICT (key) DO UPDATE SET
           owner = EXCLUDED.owner,
           expires_at = EXCLUDED.expires_at,
           acquired_at = CASE WHEN locks.owner = EXCLUDED.owner AND locks.expires_at > EXCLUDED.acquired_at
                              THEN locks.acquired_at ELSE EXCLUDED.acquired_at END
         WHERE locks.expires_at <= EXCLUDED.acquired_at OR locks.owner = EXCLUDED.owner
         RETURNING owner`,
        [key, owner, leaseEnd(at, leaseMs), at],
      );
      return rows.length === 1 && rows[0].owner === owner;
    },

    async renew(key, owner, leaseMs) {
      const at = now();
      // Only a live lease is renewed: once it has expired another process may have taken over
      // (or may at any moment), so the former holder must stop and re-acquire.
      const rows = await db.query(
        `UPDATE locks SET expires_at = $3::timestamptz
          WHERE key = $1 AND owner = $2 AND expires_at > $4::timestamptz
          RETURNING key`,
        [key, owner, leaseEnd(at, leaseMs), at],
      );
      return rows.length === 1;
    },

    async release(key, owner) {
      await db.query('DELETE FROM locks WHERE key = $1 AND owner = $2', [key, owner]);
    },

    async holder(key) {
      const rows = await db.query<{ owner: string; expires_at: Date }>('SELECT owner, expires_at FROM locks WHERE key = $1 AND expires_at > $2::timestamptz', [
        key,
        now(),
      ]);
      return rows.length ? { owner: rows[0].owner, expiresAt: toDate(rows[0].expires_at) } : null;
    },
  };
}
