// Web Connector users (QuickBooks Desktop): one per Company, the password as a salted scrypt hash only.
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { toDate } from './rows';
import type { Queryable, WebConnectorUser, WebConnectorUserRepository } from './types';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A GUID in braces, as the .qwc file's OwnerID and FileID take them. */
export function braceGuid(): string {
  return `{${randomUUID().toUpperCase()}}`;
}

interface Row {
  company_id: string;
  username: string;
  password_hash: string;
  owner_id: string;
  file_id: string;
  run_every_minutes: number;
  created_at: Date;
  updated_at: Date;
}

function map(row: Row): WebConnectorUser {
  return {
    companyId: row.company_id,
    username: row.username,
    passwordHash: row.password_hash,
    ownerId: row.owner_id,
    fileId: row.file_id,
    runEveryMinutes: Number(row.run_every_minutes),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function createWebConnectorUserRepository(db: Queryable, now: () => Date): WebConnectorUserRepository {
  return {
    async get(companyId) {
      const rows = await db.query<Row>('SELECT * FROM web_connector_users WHERE company_id = $1', [companyId]);
      return rows[0] ? map(rows[0]) : null;
    },
    async byUsername(username) {
      const rows = await db.query<Row>('SELECT * FROM web_connector_users WHERE username = $1', [username]);
      return rows[0] ? map(rows[0]) : null;
    },
    async save(user) {
      const at = now();
      // OwnerID / FileID are kept once issued: the Web Connector knows the application by them.
      const rows = await db.query<Row>(
        `INSERT INTO web_connector_users (company_id, username, password_hash, owner_id, file_id, run_every_minutes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET
           username = EXCLUDED.username,
           password_hash = EXCLUDED.password_hash,
           run_every_minutes = EXCLUDED.run_every_minutes,
           updated_at = EXCLUDED.updated_at
         RETURNING *`,
        [user.companyId, user.username, await hashPassword(user.password), braceGuid(), braceGuid(), user.runEveryMinutes, at],
      );
      return map(rows[0]!);
    },
    async setRunEvery(companyId, minutes) {
      await db.query('UPDATE web_connector_users SET run_every_minutes = $2, updated_at = $3::timestamptz WHERE company_id = $1', [companyId, minutes, now()]);
    },
  };
}
