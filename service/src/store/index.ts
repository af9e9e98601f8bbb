// The durable store: one schema, two backends (embedded PGlite by default, PostgreSQL when
// `databaseUrl` is set). `openStore` connects, applies pending migrations and wires the repositories.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Driver, DriverTx } from './driver';
import { openPglite, openPostgres, quoteSchema } from './driver';
import { migrate } from './migrate';
import { createAdminSessionRepository } from './adminSessions';
import { createIdempotencyRepository } from './idempotency';
import { createJournalRepository } from './journal';
import { createLockRepository } from './locks';
import { createOAuthStateRepository } from './oauthStates';
import { createRunRepository } from './runs';
import { createTokenRepository } from './tokens';
import { createScheduleRepository } from './schedules';
import { createSentAlertRepository } from './sentAlerts';
import { createReadCounterRepository } from './reads';
import { createOwedLogEntryRepository } from './owedLogEntries';
import { createWebConnectorUserRepository } from './webConnectorUsers';
import { createStatusSyncRepository } from './statusSyncs';
import { createSyncedRecordsRepository } from './syncedRecords';
import { createWebConnectorQueueRepository } from './webConnectorQueue';
import type {
  OwedLogEntryRepository,
  SentAlertRepository,
  AdminSessionRepository,
  IdempotencyRepository,
  JournalRepository,
  LockRepository,
  OAuthStateRepository,
  Queryable,
  ReadCounterRepository,
  RunRepository,
  ScheduleRepository,
  StatusSyncRepository,
  Store,
  SyncedRecordsRepository,
  StoreOptions,
  TokenRepository,
  WebConnectorQueueRepository,
  WebConnectorUserRepository,
} from './types';

export * from './types';
export { DecryptionError, decryptSecret, encryptSecret, generateEncryptionKey, parseEncryptionKey } from './crypto';
export { loadMigrations, migrate } from './migrate';
export { INITIAL_RUN_PHASE } from './runs';

export const DEFAULT_SCHEMA = 'ledgerline';

interface TxContext {
  tx: DriverTx;
  closed: boolean;
  savepoints: number;
}

/**
 * Opens the store and brings its schema up to date.
 *
 * Transactions: inside `store.transaction(fn)`, every call made from `fn`'s async context — on
 * `tx`, on `store.query` or on any repository (`store.journal.upsertMany`, …) — runs in that
 * transaction. So repositories compose into one atomic unit, and (on single-connection PGlite)
 * a repository call inside a transaction cannot deadlock. A nested `store.transaction` becomes a
 * SAVEPOINT. Calls from other async contexts are not affected: on PostgreSQL they use another
 * pooled connection; on PGlite they wait until the open transaction ends.
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (!Buffer.isBuffer(opts.encryptionKey) || opts.encryptionKey.length !== 32) {
    throw new Error('openStore: encryptionKey must be a 32-byte Buffer (see parseEncryptionKey / generateEncryptionKey)');
  }
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  quoteSchema(schema); // validates before anything is opened
  const now = opts.now ?? (() => new Date());
  let driver: Driver;
  if (opts.databaseUrl) {
    driver = await openPostgres(opts.databaseUrl, schema);
  } else {
    if (!opts.dataDir) throw new Error('openStore: dataDir is required when databaseUrl is not set');
    driver = await openPglite(opts.dataDir, schema);
  }
  try {
    await migrate(driver, schema);
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
  return new SqlStore(driver, opts.encryptionKey, now);
}

class SqlStore implements Store {
  readonly kind: Store['kind'];
  readonly tokens: TokenRepository;
  readonly oauthStates: OAuthStateRepository;
  readonly adminSessions: AdminSessionRepository;
  readonly runs: RunRepository;
  readonly journal: JournalRepository;
  readonly idempotency: IdempotencyRepository;
  readonly locks: LockRepository;
  readonly webConnectorUsers: WebConnectorUserRepository;
  readonly webConnectorQueue: WebConnectorQueueRepository;
  readonly schedules: ScheduleRepository;
  readonly reads: ReadCounterRepository;
  readonly statusSyncs: StatusSyncRepository;
  readonly synced: SyncedRecordsRepository;
  readonly owedLogEntries: OwedLogEntryRepository;
  readonly sentAlerts: SentAlertRepository;
  private readonly context = new AsyncLocalStorage<TxContext>();

  constructor(
    private readonly driver: Driver,
    encryptionKey: Buffer,
    now: () => Date,
  ) {
    this.kind = driver.kind;
    const key = Buffer.from(encryptionKey); // private copy: the caller may wipe theirs
    // Repositories query through the store, so they join the caller's transaction when in one.
    const db: Queryable = { query: (sql, params) => this.query(sql, params) };
    this.tokens = createTokenRepository(db, key, now);
    this.oauthStates = createOAuthStateRepository(db, now);
    this.adminSessions = createAdminSessionRepository(db, now);
    this.runs = createRunRepository(db, now);
    this.journal = createJournalRepository(db, now, () => this.current() !== undefined);
    this.idempotency = createIdempotencyRepository(db, now);
    this.locks = createLockRepository(db, now);
    this.webConnectorUsers = createWebConnectorUserRepository(db, now);
    this.webConnectorQueue = createWebConnectorQueueRepository(db, now, (fn) => this.transaction(fn));
    this.schedules = createScheduleRepository(db, now);
    this.reads = createReadCounterRepository(db, now);
    this.statusSyncs = createStatusSyncRepository(db, now);
    this.synced = createSyncedRecordsRepository(db, now);
    this.owedLogEntries = createOwedLogEntryRepository(db, now);
    this.sentAlerts = createSentAlertRepository(db, now);
  }

  private current(): TxContext | undefined {
    const ctx = this.context.getStore();
    return ctx && !ctx.closed ? ctx : undefined;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const ctx = this.current();
    return ctx ? ctx.tx.query<T>(sql, params) : this.driver.query<T>(sql, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const outer = this.current();
    if (outer) return this.savepoint(outer, fn);
    return this.driver.transaction(async (tx) => {
      const ctx: TxContext = { tx, closed: false, savepoints: 0 };
      const facade: Queryable = { query: (sql, params) => tx.query(sql, params) };
      try {
        return await this.context.run(ctx, () => fn(facade));
      } finally {
        ctx.closed = true;
      }
    });
  }

  private async savepoint<T>(ctx: TxContext, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const name = `ledgerline_sp_${++ctx.savepoints}`;
    await ctx.tx.query(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = await fn({ query: (sql, params) => ctx.tx.query(sql, params) });
    } catch (err) {
      await ctx.tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await ctx.tx.query(`RELEASE SAVEPOINT ${name}`);
      throw err;
    }
    await ctx.tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
