// Server-side admin sessions: a session is live while its row exists and has not expired.
import { dateParam } from './rows';
import type { AdminSessionRepository, Queryable } from './types';

export function createAdminSessionRepository(db: Queryable, now: () => Date): AdminSessionRepository {
  return {
    async create(idHash, expiresAt) {
      const at = now();
      // Housekeeping: ended sessions would otherwise accumulate forever.
      await db.query('DELETE FROM admin_sessions WHERE expires_at <= $1::timestamptz', [at]);
      await db.query('INSERT INTO admin_sessions (id_hash, expires_at, created_at) VALUES ($1, $2::timestamptz, $3::timestamptz)', [
        idHash,
        dateParam(expiresAt, 'expiresAt'),
        at,
      ]);
    },

    async isLive(idHash, at) {
      const rows = await db.query('SELECT 1 AS live FROM admin_sessions WHERE id_hash = $1 AND expires_at > $2::timestamptz', [idHash, dateParam(at, 'at')]);
      return rows.length === 1;
    },

    async revoke(idHash) {
      await db.query('DELETE FROM admin_sessions WHERE id_hash = $1', [idHash]);
    },
  };
}
