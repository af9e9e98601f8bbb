// Single-use OAuth `state` values for the QuickBooks Connect flow.
import { dateParam, toDate } from './rows';
import type { OAuthStateRepository, Queryable } from './types';

export function createOAuthStateRepository(db: Queryable, now: () => Date): OAuthStateRepository {
  return {
    async create(state, companyId, expiresAt) {
      const at = now();
      // Housekeeping: abandoned Connect attempts would otherwise accumulate forever.
      await db.query('DELETE FROM oauth_states WHERE expires_at <= $1::timestamptz', [at]);
      await db.query('INSERT INTO oauth_states (state, company_id, expires_at, created_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz)', [
        state,
        companyId,
        dateParam(expiresAt, 'expiresAt'),
        at,
      ]);
    },

    async peek(state, at) {
      const rows = await db.query<{ company_id: string; expires_at: Date }>('SELECT company_id, expires_at FROM oauth_states WHERE state = $1', [state]);
      if (rows.length === 0 || toDate(rows[0].expires_at).getTime() <= dateParam(at, 'now').getTime()) return null;
      return { companyId: rows[0].company_id };
    },

    async consume(state, at) {
      const nowMs = dateParam(at, 'now').getTime();
      // One statement: of two concurrent callbacks with the same state, exactly one gets the row.
      const rows = await db.query<{ company_id: string; expires_at: Date }>('DELETE FROM oauth_states WHERE state = $1 RETURNING company_id, expires_at', [
        state,
      ]);
      if (rows.length === 0) return null;
      // An expired state is consumed too (never usable again) but yields nothing.
      if (toDate(rows[0].expires_at).getTime() <= nowMs) return null;
      return { companyId: rows[0].company_id };
    },
  };
}
