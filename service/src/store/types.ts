// The durable store's contract. One schema for both backends (PGlite file, PostgreSQL server).

/** Anything SQL can be sent to: the store itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export type ConnectionStatus = 'connected' | 'reauthorization_required';

/** QuickBooks OAuth tokens for one Company, decrypted. Only the token repository sees ciphertext. */
export interface StoredTokens {
  companyId: string;
  realmId: string;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  /** When the admin first connected; the 5-year hard maximum counts from here. */
  connectedAt: Date;
  lastRefreshedAt: Date | null;
  status: ConnectionStatus;
  statusReason: string | null;
  /** Incremented on every save: lets a refresher detect that someone else already refreshed. */
  version: number;
}

export interface TokenRepository {
  get(companyId: string): Promise<StoredTokens | null>;
  /** Upsert; encrypts both tokens. Returns the stored row (with its new version). */
  save(tokens: Omit<StoredTokens, 'version'>): Promise<StoredTokens>;
  markReauthorizationRequired(companyId: string, reason: string): Promise<void>;
  delete(companyId: string): Promise<void>;
}

export interface OAuthStateRepository {
  /** Stores a single-use state for the Connect flow. */
  create(state: string, companyId: string, expiresAt: Date): Promise<void>;
  /** The state's company if it exists and has not expired, without using it up (checks that must come first). */
  peek(state: string, now: Date): Promise<{ companyId: string } | null>;
  /** Deletes and returns the state's company if it existed and had not expired; null otherwise (unknown, reused, expired). */
  consume(state: string, now: Date): Promise<{ companyId: string } | null>;
}

export interface AdminSessionRepository {
  /** Records a new admin session (by the hash of its id) until expiresAt. */
  create(idHash: string, expiresAt: Date): Promise<void>;
  /** True while the session exists and has not expired. */
  isLive(idHash: string, at: Date): Promise<boolean>;
  /** Ends the session now (sign-out); unknown ids are ignored. */
  revoke(idHash: string): Promise<void>;
}

export type RunStatus = 'running' | 'succeeded' | 'completed_with_errors' | 'failed';

export interface RunRecord {
  id: string;
  companyId: string;
  status: RunStatus;
  phase: string;
  dryRun: boolean;
  /** The export request (invoice numbers, dates, ...), as given. */
  options: Record<string, unknown>;
  /** Per-phase progress: { customers: {done,total}, ... } */
  progress: Record<string, { done: number; total: number }>;
  counts: Record<string, number>;
  /** Final result (plan for a dry run, summary for a real one). */
  result: Record<string, unknown> | null;
  processLogId: string | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date;
  /** The instance executing the run. */
  instanceId: string | null;
  /** The interrupted run this one continues. */
  resumedFrom: string | null;
}

export interface RunRepository {
  create(run: { id: string; companyId: string; dryRun: boolean; options: Record<string, unknown>; resumedFrom?: string | null }): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | null>;
  update(
    id: string,
    patch: Partial<Pick<RunRecord, 'status' | 'phase' | 'progress' | 'counts' | 'result' | 'processLogId' | 'error' | 'finishedAt'>>,
  ): Promise<void>;
  /** Bumps heartbeatAt; a running run with an old heartbeat was abandoned by a crashed process. */
  heartbeat(id: string): Promise<void>;
  latestForCompany(companyId: string): Promise<RunRecord | null>;
  /** Ends a run that is still marked running (one caller wins when several try): true if this call ended it. */
  finishIfRunning(id: string, patch: { status: RunStatus; error: string; finishedAt: Date }): Promise<boolean>;
  listRunning(): Promise<RunRecord[]>;
  /** Records which instance executes the run (and, for a resumed run, which run it continues). */
  claim(id: string, instanceId: string): Promise<void>;
}

/** Durable per-record state of the export, keyed by company + record: survives across runs and crashes. */
export type JournalState =
  | 'pending' // about to be sent; requestId fixed
  | 'sent' // request sent, outcome unknown (crash / timeout window)
  | 'created' // exists in the accounting system (targetId known), not yet written back to Salesforce
  | 'written_back' // Salesforce holds the QuickBooks id
  | 'failed'; // a permanent, per-record error (message kept)

export type JournalRecordType = 'customer' | 'product' | 'invoice' | 'payment' | 'credit_memo' | 'sales_receipt';

export interface JournalEntry {
  companyId: string;
  recordType: JournalRecordType;
  /** Salesforce record id. */
  recordId: string;
  state: JournalState;
  runId: string;
  requestId: string | null;
  /** The accounting system's id of the record, once it exists there. */
  targetId: string | null;
  /** Extra facts, e.g. the DocNumber sent, the name used after a rename. */
  detail: Record<string, unknown>;
  error: string | null;
  updatedAt?: Date;
}

export interface JournalRepository {
  /** Upserts on (companyId, recordType, recordId), in one statement or transaction. */
  upsertMany(entries: JournalEntry[]): Promise<void>;
  getMany(companyId: string, recordType: JournalRecordType, recordIds: string[]): Promise<Map<string, JournalEntry>>;
  listByState(companyId: string, recordType: JournalRecordType, states: JournalState[]): Promise<JournalEntry[]>;
}

export interface IdempotencyRepository {
  /**
   * Returns the key already issued for (scope, fingerprint), or stores and returns `candidate`.
   * The same Salesforce record with the same content always gets the same QuickBooks requestid.
   */
  getOrCreate(scope: string, fingerprint: string, candidate: string): Promise<string>;
  /** The same for many fingerprints at once (one round trip): fingerprint -> key. */
  getOrCreateMany(scope: string, items: { fingerprint: string; candidate: string }[]): Promise<Map<string, string>>;
}

export interface LockRepository {
  /** Takes the lock if free or its lease has expired. Returns true when `owner` now holds it. */
  acquire(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Extends the lease; false when `owner` no longer holds it. */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
  /** Current holder (if the lease is live). */
  holder(key: string): Promise<{ owner: string; expiresAt: Date } | null>;
}

/** A Company's Web Connector user (QuickBooks Desktop). */
export interface WebConnectorUser {
  companyId: string;
  username: string;
  /** scrypt$N$r$p$salt$hash; the password itself is never stored. */
  passwordHash: string;
  /** GUIDs in braces for the .qwc file; fixed once issued. */
  ownerId: string;
  fileId: string;
  runEveryMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebConnectorUserRepository {
  get(companyId: string): Promise<WebConnectorUser | null>;
  byUsername(username: string): Promise<WebConnectorUser | null>;
  /** Creates the user (new GUIDs) or sets a new username / password / schedule (GUIDs kept). */
  save(user: { companyId: string; username: string; password: string; runEveryMinutes: number }): Promise<WebConnectorUser>;
  setRunEvery(companyId: string, minutes: number): Promise<void>;
}

/** An export that starts by itself every `everyMinutes`. */
export interface Schedule {
  companyId: string;
  everyMinutes: number;
  nextAt: Date;
}

export interface ScheduleRepository {
  /** Sets (or replaces) a company's schedule; the first export starts at `firstAt`. */
  set(companyId: string, everyMinutes: number, firstAt: Date): Promise<Schedule>;
  get(companyId: string): Promise<Schedule | null>;
  remove(companyId: string): Promise<void>;
  /** The schedules due now, each moved on to its next time: the caller (and no other) starts their exports. */
  claimDue(): Promise<Schedule[]>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  tokens: TokenRepository;
  oauthStates: OAuthStateRepository;
  adminSessions: AdminSessionRepository;
  runs: RunRepository;
  journal: JournalRepository;
  idempotency: IdempotencyRepository;
  locks: LockRepository;
  webConnectorUsers: WebConnectorUserRepository;
  schedules: ScheduleRepository;
}

export interface StoreOptions {
  /** postgres://… : use a PostgreSQL server; unset: PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Folder for the PGlite data; `memory://` for an in-memory database (tests). */
  dataDir: string;
  /** 32-byte key for AES-256-GCM encryption of tokens at rest. */
  encryptionKey: Buffer;
  /** PostgreSQL schema to use (tests isolate themselves with a fresh schema). Default `ledgerline`. */
  schema?: string;
  /** The clock lease and expiry checks use (tests drive it). Default: real time. */
  now?: () => Date;
}
