// The durable store's contract. One schema for both backends (PGlite file, PostgreSQL server).
import type { LogEntry } from '../export/entries';

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
  /** When the admin first connected; the 5-year hard maximum counts from here when QuickBooks has not said. */
  connectedAt: Date;
  /** When the refresh token dies whatever its use: QuickBooks' x_refresh_token_hard_expires_in, once it has said. */
  refreshTokenHardExpiresAt: Date | null;
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
  /** Deletes the tokens of an admin's Disconnect, and keeps when it happened. */
  delete(companyId: string): Promise<void>;
  /** When an admin last disconnected the company, or null. */
  disconnectedAt(companyId: string): Promise<Date | null>;
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
  /** When the company's latest export other than `runId` (dry runs aside) started: exported invoices changed after it are looked at. */
  previousExportStart(companyId: string, runId: string): Promise<Date | null>;
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
  /**
   * Only the row's key and link are at hand (a write-back waiting to be committed holds no copy of the stored detail):
   * marking it written back keeps the detail the store holds.
   */
  detailStored?: boolean;
}

export interface JournalRepository {
  /** Upserts on (companyId, recordType, recordId), in one statement or transaction. */
  upsertMany(entries: JournalEntry[]): Promise<void>;
  /**
   * The entries, written back: as upsertMany with state written_back, but a row this run stored as created with the
   * same target id only has its state changed (its detail, the bulk of a row, is not sent again).
   */
  markWrittenBack(entries: JournalEntry[]): Promise<void>;
  getMany(companyId: string, recordType: JournalRecordType, recordIds: string[]): Promise<Map<string, JournalEntry>>;
  listByState(companyId: string, recordType: JournalRecordType, states: JournalState[]): Promise<JournalEntry[]>;
  countByState(companyId: string, recordType: JournalRecordType, states: JournalState[]): Promise<number>;
  /** Entries whose detail holds `key` (an exported invoice whose change is still owed to the accounting system, say). */
  withDetail?(companyId: string, recordType: JournalRecordType, key: string): Promise<JournalEntry[]>;
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

/** A qbXML round of QuickBooks Desktop's Web Connector queue. */
export type QbwcMessageState = 'queued' | 'out' | 'answered' | 'refused' | 'lost' | 'withdrawn' | 'closed';

export interface QbwcMessage {
  id: number;
  companyId: string;
  runId: string | null;
  /** The requests as queued (their requestIDs are set from the message id when handed out). */
  requests: unknown[];
  /** Per request: the source record it is for, or null. */
  tags: (string | null)[];
  /** Indexes of requests taken back (un-pended) before the message was handed out. */
  withdrawn: number[];
  state: QbwcMessageState;
  ticket: string | null;
  handedOutAt: Date | null;
  response: string | null;
  hresult: string | null;
  /** QuickBooks' or the Web Connector's words when it was refused, or why it was lost. */
  message: string | null;
}

export interface QbwcSession {
  ticket: string;
  companyId: string;
  qbxmlVersion: string;
  lastError: string | null;
  /** The requestID of a keep-alive request handed out and not yet answered. */
  keepAlive: string | null;
  /** What QuickBooks took in this session: adds by kind, and statuses that were errors. */
  tally: { sent?: Record<string, number>; errors?: number };
  createdAt: Date;
  lastSeenAt: Date;
}

export interface QbwcCompanyState {
  lastContactAt: Date | null;
  connectionError: { at: Date; message: string } | null;
  /** The run that has queued everything it will send. */
  finishedRunId: string | null;
}

export interface WebConnectorQueueRepository {
  /** Queues a message (its requests taken back already are withdrawn); null when every request was taken back. */
  enqueue(m: { companyId: string; runId: string | null; requests: unknown[]; tags: (string | null)[]; priority: boolean }): Promise<QbwcMessage | null>;
  get(id: number): Promise<QbwcMessage | null>;
  /** Marks the company's message handed out earlier as lost (its answer never came), then hands out the next one. */
  takeNext(companyId: string, ticket: string, lostReason: string): Promise<{ message: QbwcMessage | null; lost: number }>;
  /** The company's message handed out on this ticket, if any. */
  out(companyId: string): Promise<QbwcMessage | null>;
  /** Settles a message from one state to another (false when it was no longer in `from`). */
  settle(id: number, from: QbwcMessageState[], to: QbwcMessageState, fields?: { response?: string; hresult?: string; message?: string }): Promise<boolean>;
  /** The message handed out goes back to the front of the queue (QuickBooks never saw it). */
  requeueOut(companyId: string): Promise<void>;
  /** Messages handed out that will get no answer: marked lost with the reason. */
  loseOut(companyId: string, reason: string): Promise<number>;
  /** Queued messages that must never be handed out (their run stopped, or another run of the company started). */
  closeQueued(companyId: string, exceptRunId: string | null): Promise<number>;
  closeMessages(ids: number[]): Promise<void>;
  /** Queued and handed-out messages, and the requests waiting in the queued ones. */
  counts(companyId: string): Promise<{ queued: number; out: number; requests: number }>;
  /** Takes a source record's request back: off a queued message, or 'handedOut' when one is out. */
  withdraw(companyId: string, sourceId: string): Promise<'withdrawn' | 'handedOut' | 'notQueued'>;
  clearTakenBack(companyId: string): Promise<void>;
  /** Opens the company's session; any other session of the company ends (its ticket is no longer known). */
  openSession(s: { ticket: string; companyId: string; qbxmlVersion: string }): Promise<void>;
  session(ticket: string): Promise<QbwcSession | null>;
  updateSession(ticket: string, patch: Partial<Pick<QbwcSession, 'qbxmlVersion' | 'lastError' | 'keepAlive' | 'tally'>>): Promise<void>;
  closeSession(ticket: string): Promise<void>;
  expireSessions(before: Date): Promise<void>;
  companyState(companyId: string): Promise<QbwcCompanyState>;
  touch(companyId: string): Promise<void>;
  connectionError(companyId: string, message: string): Promise<void>;
  runFinished(companyId: string, runId: string): Promise<void>;
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

/** A Process Log entry a run could not write to Salesforce, with its place in its log. */
export interface OwedLogEntry {
  logId: string;
  sequence: number;
  entry: LogEntry;
}

export interface OwedLogEntryRepository {
  add(companyId: string, logId: string, entries: { sequence: number; entry: LogEntry }[]): Promise<void>;
  /** The company's owed entries, by log and in order. */
  list(companyId: string): Promise<OwedLogEntry[]>;
  remove(logId: string, sequences: number[]): Promise<void>;
}

/** QuickBooks reads in one calendar month: the company's, and every company's together (what Intuit meters). */
export interface ReadCounts {
  company: number;
  total: number;
}

export interface ReadCounterRepository {
  /** Adds `n` (negative gives back) to the company's reads of `month` ('YYYY-MM', UTC); answers the counts after it. */
  add(companyId: string, month: string, n: number): Promise<ReadCounts>;
  get(companyId: string, month: string): Promise<ReadCounts>;
}

/** What started a QuickBooks status sync. */
export type StatusSyncTrigger = 'manual' | 'schedule' | 'webhook';
export type StatusSyncStatus = 'queued' | 'running' | 'succeeded' | 'completed_with_errors' | 'failed';

/** A record a status sync could not bring into Salesforce: named, with its fix. */
export interface StatusSyncProblem {
  recordId: string | null;
  recordName: string | null;
  quickBooksId: string | null;
  message: string;
  fix: string;
}

/** One QuickBooks status sync of a Company: what it asked QuickBooks for, what it read and what it did. */
export interface StatusSyncRecord {
  id: string;
  companyId: string;
  trigger: StatusSyncTrigger;
  status: StatusSyncStatus;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date;
  instanceId: string | null;
  /** Changes since this time were asked for (null: not yet, or a catch-up). */
  changedSince: Date | null;
  /** Everything was read, not the changes: the last sync was further back than QuickBooks keeps changes. */
  catchUp: boolean;
  /** QuickBooks' changes up to this time are in the store (the next sync's changedSince). */
  upTo: Date | null;
  /** QuickBooks reads this sync used. */
  reads: number;
  /** The month's reads after the sync (company, every company, budget, month). */
  usage: Record<string, unknown> | null;
  counts: Record<string, number>;
  problems: StatusSyncProblem[];
  /** JSON {code, message, fix} of a sync that failed. */
  error: string | null;
}

/** A Company's status sync settings and how far QuickBooks' changes are synced. */
export interface StatusSyncCompany {
  companyId: string;
  /** null: the service's default interval; 0: no scheduled syncs. */
  everyMinutes: number | null;
  nextAt: Date | null;
  syncedUpTo: Date | null;
}

export interface StatusSyncRepository {
  /** A new queued sync, or the company's sync already queued (`joined`): one waits per company at a time. */
  request(sync: { id: string; companyId: string; trigger: StatusSyncTrigger }): Promise<{ record: StatusSyncRecord; joined: boolean }>;
  get(id: string): Promise<StatusSyncRecord | null>;
  /** The company's latest sync (finished only, or any). */
  latest(companyId: string, finished: boolean): Promise<StatusSyncRecord | null>;
  /** A queued sync starts on this instance. */
  start(id: string, instanceId: string): Promise<void>;
  /** A sync taken by this instance, still waiting for its company: it is alive. */
  claim(id: string, instanceId: string): Promise<void>;
  heartbeat(id: string): Promise<void>;
  update(id: string, patch: Partial<Pick<StatusSyncRecord, 'changedSince' | 'catchUp' | 'upTo' | 'reads' | 'usage' | 'counts' | 'problems'>>): Promise<void>;
  /** Ends a sync that is still queued or running; false when it had ended already. */
  finish(id: string, patch: { status: StatusSyncStatus; error?: string | null }): Promise<boolean>;
  /** Syncs queued or running, oldest first. */
  listOpen(): Promise<StatusSyncRecord[]>;
  company(companyId: string): Promise<StatusSyncCompany | null>;
  /** Sets a company's interval (null: the default; 0: off) and its next sync. */
  setSchedule(companyId: string, everyMinutes: number | null, nextAt: Date | null): Promise<StatusSyncCompany>;
  /**
   * Every Company connected to QuickBooks Online, or with a Web Connector user, gets a schedule on the default interval (its first sync one interval
   * from now); then the schedules due now are claimed — each moved on to its next time — for this caller alone.
   */
  claimDue(defaultEveryMinutes: number): Promise<StatusSyncCompany[]>;
  /** The company's settings, created on the default interval (its first sync one interval from now) when it has none. */
  ensureCompany(companyId: string, defaultEveryMinutes: number): Promise<StatusSyncCompany>;
  setSyncedUpTo(companyId: string, at: Date): Promise<void>;
  /** When the company's first real export started here (its exported records are no older). */
  firstExportAt(companyId: string): Promise<Date | null>;
  /** The Companies connected to this QuickBooks company (realm). */
  companiesOfRealm(realmId: string): Promise<string[]>;
  /** The webhook events not received before (by event id); each is recorded as received. */
  newEvents(events: { id: string; realmId: string; type: string }[]): Promise<Set<string>>;
}

export type SyncedState = 'owed' | 'written' | 'foreign';
export type SyncedDocumentKind = 'invoice' | 'creditMemo';

/** A sales document as QuickBooks holds it, as the status syncs last saw it, and whether Salesforce has it yet. */
export interface SyncedDocument {
  qboId: string;
  kind: SyncedDocumentKind;
  number: string | null;
  txnDate: string | null;
  customerId: string | null;
  total: number | null;
  balance: number | null;
  voided: boolean;
  deleted: boolean;
  /** The Salesforce id in the document's private marker (Ledgerline created it). */
  sourceId: string | null;
  salesforceId: string | null;
  state: SyncedState;
  qboUpdatedAt: Date;
}

export interface SyncedPaymentLink {
  documentId: string;
  kind: SyncedDocumentKind;
  amount: number;
}

/** A QuickBooks payment as the status syncs last saw it, with the documents it pays. */
export interface SyncedPayment {
  qboId: string;
  total: number | null;
  txnDate: string | null;
  reference: string | null;
  customerId: string | null;
  deleted: boolean;
  sourceId: string | null;
  /** 'salesforce': exported by Ledgerline; 'quickbooks': received in QuickBooks; null: not decided yet. */
  origin: 'salesforce' | 'quickbooks' | null;
  state: SyncedState;
  qboUpdatedAt: Date;
  links: SyncedPaymentLink[];
}

/** What QuickBooks holds of a company's documents and payments, as its status syncs saw it. */
export interface SyncedRecordsRepository {
  /**
   * Saves what QuickBooks answered. A record already seen in a newer version is left alone; one whose balance,
   * total, void, deletion or payments changed becomes owed to Salesforce. Answers how many became owed.
   */
  saveDocuments(companyId: string, documents: Omit<SyncedDocument, 'salesforceId' | 'state'>[]): Promise<number>;
  savePayments(companyId: string, payments: Omit<SyncedPayment, 'origin' | 'state'>[]): Promise<number>;
  /** Owed records by id, `limit` at a time after `afterId`. */
  owedDocuments(companyId: string, limit: number, afterId?: string): Promise<SyncedDocument[]>;
  owedPayments(companyId: string, limit: number, afterId?: string): Promise<SyncedPayment[]>;
  documents(companyId: string, qboIds: string[]): Promise<Map<string, SyncedDocument>>;
  /** The payments (not deleted) applied to these documents, by document. */
  paymentsOf(companyId: string, documentIds: string[]): Promise<Map<string, { payment: SyncedPayment; amount: number }[]>>;
  /** Records Salesforce's answer; a record seen in a newer version since (`qboUpdatedAt`) stays owed. */
  markDocuments(companyId: string, marks: { qboId: string; qboUpdatedAt: Date; state: SyncedState; salesforceId: string | null }[]): Promise<void>;
  markPayments(companyId: string, marks: { qboId: string; qboUpdatedAt: Date; state: SyncedState; origin: SyncedPayment['origin'] }[]): Promise<void>;
  /** Documents whose payments changed: owed again (those written), so their last payment date is written anew. */
  reopenDocuments(companyId: string, qboIds: string[]): Promise<void>;
  /** How many records still wait for Salesforce. */
  owedCount(companyId: string): Promise<number>;
}

/** An alert sent to a company's admins, by the event it was about. */
export interface SentAlert {
  eventKey: string;
  companyId: string;
  kind: string;
  title: string;
  sentAt: Date;
}

export interface SentAlertRepository {
  /** True for the one caller that records the event first: it sends the alert; every other caller does not. */
  claim(alert: Omit<SentAlert, 'sentAt'>): Promise<boolean>;
  /** The alert could not be sent: the next check may claim the event again. */
  release(eventKey: string): Promise<void>;
  list(companyId: string): Promise<SentAlert[]>;
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
  webConnectorQueue: WebConnectorQueueRepository;
  schedules: ScheduleRepository;
  reads: ReadCounterRepository;
  statusSyncs: StatusSyncRepository;
  synced: SyncedRecordsRepository;
  owedLogEntries: OwedLogEntryRepository;
  sentAlerts: SentAlertRepository;
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
