// The two SQL backends behind the store: PGlite (embedded, single connection) and PostgreSQL (pg pool).
// Both speak the same SQL and return rows parsed the same way (timestamptz -> Date, jsonb -> object,
// integer -> number, text[] -> string[]). Avoid bigint columns in results: the drivers differ there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import type { Queryable } from './types';

/** An open transaction as the driver sees it. */
export interface DriverTx extends Queryable {
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Driver {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in BEGIN … COMMIT on one connection; ROLLBACK when `fn` throws. */
  transaction<T>(fn: (tx: DriverTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Validates a schema name (it is interpolated into SQL) and returns it double-quoted. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name "${schema}": use letters, digits and underscores (max 63, not starting with a digit)`);
  }
  return `"${schema}"`;
}

class ClosedTransactionError extends Error {
  constructor() {
    super('the transaction is already finished: queries must complete before the transaction callback returns');
    this.name = 'ClosedTransactionError';
  }
}

function rolledBackError(): Error {
  return new Error('transaction was rolled back: a statement inside it failed (the error was caught inside the transaction)');
}

// ---------------------------------------------------------------------------------------------
// PGlite

type PgliteModule = typeof import('@electric-sql/pglite');

/**
 * Loads PGlite with Node's own `require`. PGlite's CommonJS build calls `import()` internally
 * (electric-sql/pglite#224); under Jest, modules run as vm scripts where `import()` fails unless
 * Node runs with --experimental-vm-modules. Node's real loader sidesteps that. Outside Jest this is
 * the same as a plain require. Side effect under Jest only: PGlite lives in the outer realm, so
 * its Dates/Arrays are not `instanceof` the test's — hence the realm-neutral conversions below.
 */
function loadPglite(): PgliteModule {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const nodeModule = getBuiltin?.call(process, 'node:module') as typeof import('node:module') | undefined;
  const load = nodeModule ? nodeModule.createRequire(__filename) : require;
  return load('@electric-sql/pglite') as PgliteModule;
}

/** PGlite folders open in this process (the lock file alone cannot tell two of ours apart). */
const openDataDirs = new Set<string>();

/**
 * Guards a PGlite folder against a second opener: PGlite does not, and two instances writing one
 * folder (say the service and `npm run export`) corrupt it. A lock file `<dataDir>.lock` holds the owner's pid;
 * a lock left by a crashed process (pid gone) is taken over. Returns the release function.
 */
function lockDataDir(dir: string): () => void {
  // Next to the folder, not in it: PGlite's initdb needs the folder empty on first use.
  const lockFile = `${dir}.lock`;
  if (openDataDirs.has(dir)) throw new Error(`PGlite data folder ${dir} is already open in this process: close the other store first`);
  const content = `${process.pid}@${os.hostname()}`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockFile, content, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = readFileSync(lockFile, 'utf8').trim();
      const [pidText, host] = holder.split('@');
      const pid = Number(pidText);
      const sameHost = host === os.hostname();
      if (!sameHost || (pid !== process.pid && isAlive(pid))) {
        throw new Error(
          `PGlite data folder ${dir} is in use by process ${holder} (${lockFile}). Only one process may open it: ` +
            'stop the other one, or use a PostgreSQL server (databaseUrl) to share the store. ' +
            'If that process is gone, delete the lock file.',
        );
      }
      rmSync(lockFile, { force: true }); // stale: its owner crashed (or is this process, not holding it)
    }
  }
  openDataDirs.add(dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    openDataDirs.delete(dir);
    rmSync(lockFile, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** Dates as ISO text: PGlite's serializer checks `instanceof Date`, which fails across realms. */
function pgliteParams(params?: unknown[]): unknown[] | undefined {
  return params?.map((value) => (isDate(value) ? value.toISOString() : value));
}

/**
 * Opens PGlite in `dataDir` (created if missing) or in memory for `memory://…`.
 * PGlite is one connection: its own mutex queues a query issued outside a transaction until the
 * open transaction ends (no interleaving). Queries *inside* `fn` must go through `tx`, which the
 * store arranges (see index.ts) so repository calls inside a transaction don't deadlock.
 */
export async function openPglite(dataDir: string, schema: string): Promise<Driver> {
  const quoted = quoteSchema(schema);
  const { PGlite: PGliteClass } = loadPglite();
  let location: string;
  let unlock: () => void = () => undefined;
  if (dataDir.startsWith('memory://')) {
    location = dataDir;
  } else {
    const dir = path.resolve(dataDir.startsWith('file://') ? dataDir.slice('file://'.length) : dataDir);
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
    location = dir;
  }
  let db: PGlite | undefined;
  try {
    db = await PGliteClass.create(location);
    // Session-wide (PGlite is one session). The schema itself is created by the migrations.
    await db.exec(`SET search_path TO ${quoted}`);
  } catch (err) {
    await db?.close().catch(() => undefined);
    unlock();
    // e.g. "Program terminated with exit(1)" when the folder holds something other than a database.
    throw new Error(`cannot open the PGlite database in ${location}: ${(err as Error).message}`, { cause: err });
  }
  return new PgliteDriver(db, unlock);
}

class PgliteDriver implements Driver {
  readonly kind = 'pglite' as const;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly db: PGlite,
    private readonly unlock: () => void,
  ) {}

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('store is closed');
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    this.assertOpen();
    const result = await this.track(this.db.query<T>(sql, pgliteParams(params)));
    return result.rows;
  }

  async transaction<T>(fn: (tx: DriverTx) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.track(
      this.db.transaction(async (raw) => {
        let finished = false;
        const tx: DriverTx = {
          query: async <R>(sql: string, params?: unknown[]) => {
            if (finished) throw new ClosedTransactionError();
            return (await raw.query<R>(sql, pgliteParams(params))).rows;
          },
          exec: async (sql: string) => {
            if (finished) throw new ClosedTransactionError();
            await raw.exec(sql);
          },
        };
        try {
          const result = await fn(tx);
          // PGlite turns COMMIT of an aborted transaction into a silent ROLLBACK: probe first, so a
          // statement error swallowed inside `fn` fails the transaction instead of losing writes.
          try {
            await raw.query('SELECT 1');
          } catch {
            throw rolledBackError();
          }
          return result;
        } finally {
          finished = true;
        }
      }),
    );
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        await Promise.allSettled([...this.inFlight]);
        try {
          if (!this.db.closed) await this.db.close();
        } finally {
          this.unlock();
        }
      })();
    }
    return this.closing;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Connects a pool to `databaseUrl`; every connection gets `search_path` = `schema` at startup. */
export async function openPostgres(databaseUrl: string, schema: string): Promise<Driver> {
  const quoted = quoteSchema(schema);
  const { Pool: PoolClass } = await import('pg');
  const pool: Pool = new PoolClass({
    connectionString: databaseUrl,
    // Sent in the startup packet: applies to every pooled connection before any query runs.
    options: `-c search_path=${quoted}`,
    application_name: 'ledgerline',
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that errors (server restart, network drop) is removed by the pool; without a
  // listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${(err as Error).message}`);
  }
  return new PostgresDriver(pool);
}

/** The URL without its password, for error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

class PostgresDriver implements Driver {
  readonly kind = 'postgres' as const;
  private closing: Promise<void> | null = null;

  constructor(private readonly pool: Pool) {}

  private assertOpen(): void {
    if (this.closing) throw new Error('store is closed');
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    this.assertOpen();
    const result = await this.pool.query(sql, params);
    return result.rows as T[];
  }

  async transaction<T>(fn: (tx: DriverTx) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client: PoolClient = await this.pool.connect();
    let finished = false;
    const tx: DriverTx = {
      query: async <R>(sql: string, params?: unknown[]) => {
        if (finished) throw new ClosedTransactionError();
        return (await client.query(sql, params)).rows as R[];
      },
      exec: async (sql: string) => {
        if (finished) throw new ClosedTransactionError();
        await client.query(sql);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      finished = true;
      const commit = await client.query('COMMIT');
      // COMMIT of an aborted transaction "succeeds" with the tag ROLLBACK: surface it.
      if (commit.command === 'ROLLBACK') throw rolledBackError();
      client.release();
      return result;
    } catch (err) {
      finished = true;
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackErr) {
        client.release(rollbackErr as Error); // destroy the connection: its state is unknown
      }
      throw err;
    }
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.pool.end();
    return this.closing;
  }
}
