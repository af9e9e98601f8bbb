// Everything the emulated org holds: schema, records, users and sessions, API usage, scripted
// faults, open query cursors and call statistics.
import path from 'node:path';
import type { BulkJob } from './bulk2';
import { type DmlContext, insertRecord, rollback, updateRecord } from './dml';
import { customMetadataRecords } from './customMetadata';
import { notificationTypeRecords, type SentEmail, type SentNotification } from './actions';
import { type CallKind, Faults } from './faults';
import { makeId, ORG_KEY_PREFIX, randomBase62, to18, USER_KEY_PREFIX } from './ids';
import { loadSchema, type ObjectDef, type Schema } from './schema';
import { type Row, Store } from './store';
import { formatDateTime, type SaveError } from './values';
import type { OutRecord } from './soql/evaluate';

export interface SalesforceEmulatorOptions {
  /** Object/field definitions are read from here at start. Default <repo>/force-app/main/default. */
  forceAppDir?: string;
  clients?: { clientId: string; clientSecret: string }[];
  users?: { username: string; password: string }[];
  /** Query page size. Default 2000. */
  pageSize?: number;
  /** Calls allowed per day before REQUEST_LIMIT_EXCEEDED. Default 15000. */
  dailyApiLimit?: number;
  /** Added to every call. Default 0. */
  latencyMs?: number;
  /** Idle time after which a session is invalid. Default 2 hours. */
  sessionTimeoutMs?: number;
  /** Organization.Name. Default "Ledgerline Demo". */
  orgName?: string;
}

export interface ResolvedOptions {
  forceAppDir: string;
  clients: { clientId: string; clientSecret: string }[];
  users: { username: string; password: string }[];
  pageSize: number;
  dailyApiLimit: number;
  latencyMs: number;
  sessionTimeoutMs: number;
  orgName: string;
}

export interface Session {
  accessToken: string;
  userId: string;
  clientId: string;
  issuedAt: number;
  lastUsed: number;
}

export interface Cursor {
  records: OutRecord[];
  totalSize: number;
  /** Rows a page may hold, child rows included. */
  batchSize: number;
  /** Child relationship names whose lists count toward a page and are cut when they do not fit. */
  childKeys: string[];
  lastUsed: number;
}

/** The writes of one all-or-none composite call. */
export interface Transaction {
  contexts: DmlContext[];
  rollback(): void;
}

export interface Stats {
  total: number;
  byKind: Record<CallKind, number>;
  compositeRecords: number;
  /** Subrequests that /composite calls carried (each call counts once in `total`). */
  compositeSubrequests: number;
  /** Rows Bulk API 2.0 ingest jobs processed. */
  bulkRecords: number;
  byEndpoint: Record<string, number>;
  /** API calls counted against the org's daily allowance, by the signed-in user's username (Setup's API usage by user). */
  byUser: Record<string, number>;
}

export interface SeedError {
  sobject: string;
  index: number;
  errors: SaveError[];
}

export interface SeedResult {
  counts: Record<string, number>;
  errors: SeedError[];
}

const emptyStats = (): Stats => ({
  total: 0,
  byKind: { auth: 0, query: 0, queryMore: 0, sobject: 0, composite: 0, describe: 0, bulk: 0, other: 0 },
  compositeRecords: 0,
  compositeSubrequests: 0,
  bulkRecords: 0,
  byEndpoint: {},
  byUser: {},
});

export function resolveOptions(opts: SalesforceEmulatorOptions = {}): ResolvedOptions {
  return {
    forceAppDir: opts.forceAppDir ?? path.resolve(__dirname, '..', '..', 'force-app', 'main', 'default'),
    clients: opts.clients ?? [{ clientId: 'ledgerline-sf-client', clientSecret: 'ledgerline-sf-secret' }],
    users: opts.users ?? [{ username: 'admin@ledgerline.demo', password: 'demo-password' }],
    pageSize: opts.pageSize ?? 2000,
    dailyApiLimit: opts.dailyApiLimit ?? 15000,
    latencyMs: opts.latencyMs ?? 0,
    sessionTimeoutMs: opts.sessionTimeoutMs ?? 2 * 60 * 60 * 1000,
    orgName: opts.orgName ?? 'Ledgerline Demo',
  };
}

/** Parents before children, so seeded lookups can be checked against rows already present. */
function seedOrder(schema: Schema): ObjectDef[] {
  const ordered: ObjectDef[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (obj: ObjectDef) => {
    if (done.has(obj.name) || visiting.has(obj.name)) return;
    visiting.add(obj.name);
    for (const f of obj.fields) {
      // Users exist from the start, so references to User never need ordering.
      if (f.type !== 'reference' || !f.referenceTo || f.referenceTo === 'User' || f.referenceTo === obj.name) continue;
      const parent = schema.get(f.referenceTo);
      if (parent) visit(parent);
    }
    visiting.delete(obj.name);
    done.add(obj.name);
    ordered.push(obj);
  };
  for (const obj of schema.objects) if (obj.name !== 'User') visit(obj);
  const user = schema.get('User');
  if (user) ordered.push(user);
  return ordered;
}

export class SalesforceState {
  readonly options: ResolvedOptions;
  readonly schema: Schema;
  readonly store: Store;
  readonly faults = new Faults();
  readonly orgId = to18(`${ORG_KEY_PREFIX}5g0000LEDGR1`);
  readonly sessions = new Map<string, Session>();
  readonly cursors = new Map<string, Cursor>();
  readonly bulkJobs = new Map<string, BulkJob>();
  /** Bulk API 2.0 query jobs created (the DailyBulkV2QueryJobs limit). */
  bulkQueryJobs = 0;
  apiUsage = 0;
  stats: Stats = emptyStats();
  /** Custom notifications and emails the org sent through its standard actions (what users would receive). */
  notifications: SentNotification[] = [];
  emails: SentEmail[] = [];
  /** Shifts the emulator's clock (session expiry, audit dates) without waiting. */
  clockOffsetMs = 0;
  private userIds = new Map<string, string>();
  private transactions: Transaction[] = [];

  constructor(opts: SalesforceEmulatorOptions = {}) {
    this.options = resolveOptions(opts);
    this.schema = loadSchema(this.options.forceAppDir);
    this.store = new Store(this.schema);
    this.createUsers();
    this.deployCustomMetadata();
  }

  /** Custom metadata records are deployed metadata: present from the start and kept across resets. */
  private deployCustomMetadata(): void {
    const result = this.seed({
      ...customMetadataRecords(this.options.forceAppDir, this.schema),
      CustomNotificationType: notificationTypeRecords(this.options.forceAppDir),
    });
    if (result.errors.length) throw new Error(`cannot load custom metadata records: ${JSON.stringify(result.errors)}`);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The org's one Organization row and its users: present from the start, kept across resets. */
  private createUsers(): void {
    const org = this.schema.get('Organization') as ObjectDef;
    this.store.put(org, {
      Id: this.orgId,
      Name: this.options.orgName,
      Division: null,
      Country: 'US',
      PrimaryContact: null,
      DefaultLocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      TimeZoneSidKey: 'GMT',
      OrganizationType: 'Developer Edition',
      InstanceName: 'EMU1',
      IsSandbox: false,
      TrialExpirationDate: null,
      NamespacePrefix: null,
      IsReadOnly: false,
      DefaultCurrencyIsoCode: 'USD',
      CreatedDate: formatDateTime(Date.UTC(2026, 0, 1)),
      CreatedById: makeId(USER_KEY_PREFIX, 1),
      LastModifiedDate: formatDateTime(Date.UTC(2026, 0, 1)),
      LastModifiedById: makeId(USER_KEY_PREFIX, 1),
      SystemModstamp: formatDateTime(Date.UTC(2026, 0, 1)),
    });
    const userObj = this.schema.get('User') as ObjectDef;
    const ctx = this.dmlContext('');
    this.options.users.forEach((u, i) => {
      const id = makeId(USER_KEY_PREFIX, i + 1);
      this.userIds.set(u.username.toLowerCase(), id);
      const local = u.username.split('@')[0];
      const result = insertRecord(
        this.store,
        userObj,
        {
          Id: id,
          Username: u.username,
          LastName: local.charAt(0).toUpperCase() + local.slice(1),
          Email: u.username,
          Alias: local.slice(0, 8),
          IsActive: true,
          CreatedById: id,
          LastModifiedById: id,
        },
        { ...ctx, userId: id, allowSystemFields: true },
      );
      if (!result.success) throw new Error(`cannot create user ${u.username}: ${JSON.stringify(result.errors)}`);
    });
  }

  /** The id of a configured user, or undefined. */
  userId(username: string): string | undefined {
    return this.userIds.get(username.toLowerCase());
  }

  get defaultUserId(): string {
    return makeId(USER_KEY_PREFIX, 1);
  }

  dmlContext(userId: string): DmlContext {
    const ctx: DmlContext = {
      userId: userId || this.defaultUserId,
      now: formatDateTime(this.now()),
      undo: [],
      recordFault: (id) => this.faults.takeRecordFault(id),
    };
    this.transactions.at(-1)?.contexts.push(ctx);
    return ctx;
  }

  /** From here on, every write's undo steps are kept until endTransaction, so the lot can be rolled back as one. */
  beginTransaction(): Transaction {
    const contexts: DmlContext[] = [];
    const transaction = { contexts, rollback: () => contexts.reverse().forEach(rollback) };
    this.transactions.push(transaction);
    return transaction;
  }

  endTransaction(transaction: Transaction): void {
    this.transactions = this.transactions.filter((t) => t !== transaction);
  }

  /** Empties the org: records, usage, faults, stats and cursors. Users and sessions stay valid. */
  reset(): void {
    this.store.clear();
    this.userIds.clear();
    this.createUsers();
    this.deployCustomMetadata();
    this.cursors.clear();
    this.bulkJobs.clear();
    this.bulkQueryJobs = 0;
    this.faults.clear();
    this.apiUsage = 0;
    this.stats = emptyStats();
    this.notifications = [];
    this.emails = [];
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  countCall(kind: CallKind, endpoint: string): void {
    if (kind === 'auth') {
      this.stats.byKind.auth += 1;
      return;
    }
    this.stats.total += 1;
    this.stats.byKind[kind] += 1;
    this.stats.byEndpoint[endpoint] = (this.stats.byEndpoint[endpoint] ?? 0) + 1;
  }

  /** One call of the daily allowance, made as this user. */
  countUserCall(userId: string): void {
    const username = [...this.userIds].find(([, id]) => id === userId)?.[0] ?? userId;
    this.stats.byUser[username] = (this.stats.byUser[username] ?? 0) + 1;
  }

  issueSession(userId: string, clientId: string): Session {
    const now = this.now();
    const session: Session = {
      accessToken: `${this.orgId.slice(0, 15)}!AQ${randomBase62(4)}.${randomBase62(86)}`,
      userId,
      clientId,
      issuedAt: now,
      lastUsed: now,
    };
    this.sessions.set(session.accessToken, session);
    return session;
  }

  /** The live session for a token; idle sessions expire like the org's session timeout. */
  session(token: string): Session | undefined {
    const s = this.sessions.get(token);
    if (!s) return undefined;
    const now = this.now();
    if (now - s.lastUsed > this.options.sessionTimeoutMs) {
      this.sessions.delete(token);
      return undefined;
    }
    s.lastUsed = now;
    return s;
  }

  expireSessions(): void {
    this.sessions.clear();
  }

  /**
   * Loads records without API calls. Rows may carry their own Id (kept) and audit fields; a row
   * whose Id already exists updates it. Invalid rows are skipped and reported.
   */
  seed(records: Record<string, Row[]>): SeedResult {
    const counts: Record<string, number> = {};
    const errors: SeedError[] = [];
    const wanted = new Map<string, [string, Row[]]>();
    for (const [name, rows] of Object.entries(records ?? {})) {
      const obj = this.schema.get(name);
      if (!obj) {
        errors.push({ sobject: name, index: -1, errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${name}' is not supported.`, fields: [] }] });
        continue;
      }
      wanted.set(obj.name, [name, Array.isArray(rows) ? rows : []]);
    }
    for (const obj of seedOrder(this.schema)) {
      const entry = wanted.get(obj.name);
      if (!entry) continue;
      const [name, rows] = entry;
      const ctx: DmlContext = { ...this.dmlContext(this.defaultUserId), allowSystemFields: true, recordFault: undefined };
      let n = 0;
      rows.forEach((row, index) => {
        const id = Object.entries(row).find(([k]) => k.toLowerCase() === 'id')?.[1];
        const existing = typeof id === 'string' && this.store.get(obj.name, id);
        const result = existing ? updateRecord(this.store, obj, id, row, ctx) : insertRecord(this.store, obj, row, ctx);
        if (result.success) n++;
        else errors.push({ sobject: name, index, errors: result.errors });
        // Seeds are never rolled back; dropping undo steps keeps 50k-row seeds light.
        ctx.undo.length = 0;
      });
      counts[obj.name] = n;
    }
    return { counts, errors };
  }

  /** All rows of an object with every field, as the REST API would format them. */
  records(sobject: string): Row[] | undefined {
    const obj = this.schema.get(sobject);
    if (!obj) return undefined;
    return [...this.store.table(obj.name).values()].map((r) => fullRecord(this.store, obj, r));
  }
}

/** Every field of a row as the API reads it (roll-up summaries computed). */
export function fullRecord(store: Store, obj: ObjectDef, row: Row): Row {
  const out: Row = {};
  for (const f of obj.fields) out[f.name] = store.read(row, f);
  return out;
}
