// QuickBooks OAuth tokens, encrypted at rest. The only module that sees ciphertext.
import { DecryptionError, decryptSecret, encryptSecret } from './crypto';
import { dateParam, toDate, toDateOrNull } from './rows';
import type { ConnectionStatus, Queryable, StoredTokens, TokenRepository } from './types';

interface TokenRow {
  company_id: string;
  realm_id: string;
  access_token_ciphertext: string;
  refresh_token_ciphertext: string;
  access_token_expires_at: Date;
  refresh_token_expires_at: Date;
  connected_at: Date;
  refresh_token_hard_expires_at: Date | null;
  last_refreshed_at: Date | null;
  status: ConnectionStatus;
  status_reason: string | null;
  version: number;
}

/** Associated data binding a ciphertext to its row and field: a token copied elsewhere won't decrypt. */
function aad(companyId: string, field: 'access' | 'refresh'): string {
  return `ledgerline:qbo_tokens:${field}:${companyId}`;
}

export function createTokenRepository(db: Queryable, key: Buffer, now: () => Date): TokenRepository {
  function decrypt(row: TokenRow, field: 'access' | 'refresh'): string {
    const text = field === 'access' ? row.access_token_ciphertext : row.refresh_token_ciphertext;
    try {
      return decryptSecret(text, key, aad(row.company_id, field));
    } catch (err) {
      if (err instanceof DecryptionError) {
        throw new DecryptionError(
          `cannot decrypt the stored QuickBooks ${field} token of company ${row.company_id}: ` +
            'the encryption key differs from the one the tokens were saved with, or the stored value was tampered with',
        );
      }
      throw err;
    }
  }

  function map(row: TokenRow, plain?: { accessToken: string; refreshToken: string }): StoredTokens {
    return {
      companyId: row.company_id,
      realmId: row.realm_id,
      accessToken: plain ? plain.accessToken : decrypt(row, 'access'),
      refreshToken: plain ? plain.refreshToken : decrypt(row, 'refresh'),
      accessTokenExpiresAt: toDate(row.access_token_expires_at),
      refreshTokenExpiresAt: toDate(row.refresh_token_expires_at),
      connectedAt: toDate(row.connected_at),
      refreshTokenHardExpiresAt: toDateOrNull(row.refresh_token_hard_expires_at),
      lastRefreshedAt: toDateOrNull(row.last_refreshed_at),
      status: row.status,
      statusReason: row.status_reason,
      version: Number(row.version),
    };
  }

  return {
    async get(companyId) {
      const rows = await db.query<TokenRow>('SELECT * FROM qbo_tokens WHERE company_id = $1', [companyId]);
      return rows.length ? map(rows[0]) : null;
    },

    async save(tokens) {
      const rows = await db.query<TokenRow>(
        `INSERT INTO qbo_tokens (company_id, realm_id, access_token_ciphertext, refresh_token_ciphertext,
           access_token_expires_at, refresh_token_expires_at, connected_at, last_refreshed_at,
           status, status_reason, version, updated_at, refresh_token_hard_expires_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9, $10, 1, $11::timestamptz, $12::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET
           realm_id = EXCLUDED.realm_id,
           access_token_ciphertext = EXCLUDED.access_token_ciphertext,
           refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext,
           access_token_expires_at = EXCLUDED.access_token_expires_at,
           refresh_token_expires_at = EXCLUDED.refresh_token_expires_at,
           connected_at = EXCLUDED.connected_at,
           last_refreshed_at = EXCLUDED.last_refreshed_at,
           status = EXCLUDED.status,
           status_reason = EXCLUDED.status_reason,
           version = qbo_tokens.version + 1,
           updated_at = EXCLUDED.updated_at,
           refresh_token_hard_expires_at = EXCLUDED.refresh_token_hard_expires_at
         RETURNING *`,
        [
          tokens.companyId,
          tokens.realmId,
          encryptSecret(tokens.accessToken, key, aad(tokens.companyId, 'access')),
          encryptSecret(tokens.refreshToken, key, aad(tokens.companyId, 'refresh')),
          dateParam(tokens.accessTokenExpiresAt, 'accessTokenExpiresAt'),
          dateParam(tokens.refreshTokenExpiresAt, 'refreshTokenExpiresAt'),
          dateParam(tokens.connectedAt, 'connectedAt'),
          tokens.lastRefreshedAt === null ? null : dateParam(tokens.lastRefreshedAt, 'lastRefreshedAt'),
          tokens.status,
          tokens.statusReason,
          now(),
          tokens.refreshTokenHardExpiresAt === null ? null : dateParam(tokens.refreshTokenHardExpiresAt, 'refreshTokenHardExpiresAt'),
        ],
      );
      return map(rows[0], tokens);
    },

    async markReauthorizationRequired(companyId, reason) {
      await db.query(
        `UPDATE qbo_tokens
            SET status = 'reauthorization_required', status_reason = $2, version = version + 1, updated_at = $3::timestamptz
          WHERE company_id = $1`,
        [companyId, reason, now()],
      );
    },

    async delete(companyId) {
      await db.query('DELETE FROM qbo_tokens WHERE company_id = $1', [companyId]);
      await db.query(
        `INSERT INTO qbo_disconnections (company_id, disconnected_at) VALUES ($1, $2::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET disconnected_at = EXCLUDED.disconnected_at`,
        [companyId, now()],
      );
    },

    async disconnectedAt(companyId) {
      const rows = await db.query<{ disconnected_at: Date }>('SELECT disconnected_at FROM qbo_disconnections WHERE company_id = $1', [companyId]);
      return rows.length ? toDate(rows[0]!.disconnected_at) : null;
    },
  };
}
