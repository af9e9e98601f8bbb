// Schema migrations: plain SQL files in ./migrations (NNN_name.sql), applied in order, each recorded
// in `schema_migrations` with a checksum. Everything runs in one transaction that first takes a
// transaction-scoped advisory lock, so two processes starting together on one PostgreSQL schema
// apply each migration exactly once (the second waits, then finds nothing to do).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from './driver';
import { quoteSchema } from './driver';

export interface Migration {
  /** File name without `.sql`, e.g. `001_init`; ordering key. */
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => /^\d{3,}_[A-Za-z0-9_-]+\.sql$/.test(file))
    .sort();
  return files.map((file) => {
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Applies the missing migrations; returns the names applied now (empty when up to date). */
export async function migrate(driver: Driver, schema: string, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  const quoted = quoteSchema(schema);
  return driver.transaction(async (tx) => {
    // Serialise migrators of this schema (released at COMMIT/ROLLBACK). Taken before CREATE SCHEMA,
    // which itself races on a fresh database.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledgerline:migrate:${schema}`]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoted};
       SET LOCAL search_path TO ${quoted};
       CREATE TABLE IF NOT EXISTS schema_migrations (
         name       text PRIMARY KEY,
         checksum   text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       );`,
    );
    const applied = new Map(
      (await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).map((row) => [row.name, row.checksum]),
    );
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied to schema "${schema}": add a new migration instead of editing an applied one`,
          );
        }
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (err) {
        throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
      done.push(migration.name);
    }
    return done;
  });
}
