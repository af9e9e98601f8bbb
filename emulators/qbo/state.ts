// All emulator state lives in one object per process: companies (realms) and
// their entities, OAuth grants, queued faults, counters and settings.

import { Clock } from './clock';
import { LIMIT_NAMES, RateLimiter, type LimitName, type LimitSpec } from './limits';
import { WebhookOutbox } from './webhooks';

export type EntityName =
  | 'Customer'
  | 'Vendor'
  | 'Employee'
  | 'Item'
  | 'Account'
  | 'TaxCode'
  | 'TaxRate'
  | 'Class'
  | 'Department'
  | 'Invoice'
  | 'Payment'
  | 'CreditMemo'
  | 'SalesReceipt';

export const ENTITY_NAMES: EntityName[] = [
  'Customer',
  'Vendor',
  'Employee',
  'Item',
  'Account',
  'TaxCode',
  'TaxRate',
  'Class',
  'Department',
  'Invoice',
  'Payment',
  'CreditMemo',
  'SalesReceipt',
];

/** Where a company tracks classes: not at all, one per transaction, or one per line (AccountingInfoPrefs). */
export type ClassTracking = 'off' | 'transaction' | 'line';

export type Entity = Record<string, any>;

export interface CompanyPreferences {
  customTxnNumbers: boolean;
  warnDuplicateDocNum: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** Sales tax is set up (TaxPrefs.UsingSalesTax). */
  usingSalesTax: boolean;
  /**
   * US automated sales tax (TaxPrefs.PartnerTaxEnabled): the rate, in percent, per ship-to state. Null: the company
   * does not use it.
   */
  automatedSalesTax: Record<string, number> | null;
  classTracking: ClassTracking;
  /** Locations (the API's Department) are tracked (AccountingInfoPrefs.TrackDepartments). */
  trackLocations: boolean;
  /** The names of the three sales-form custom fields, by DefinitionId 1–3 ('' = not in use). */
  customFields: string[];
}

export const DEFAULT_PREFERENCES: CompanyPreferences = {
  customTxnNumbers: true,
  warnDuplicateDocNum: true,
  multiCurrency: false,
  homeCurrency: 'USD',
  usingSalesTax: false,
  automatedSalesTax: null,
  classTracking: 'off',
  trackLocations: false,
  customFields: [],
};

/** A deleted entity, kept for Change Data Capture (which returns it as `status: "Deleted"`). */
export interface Tombstone {
  Id: string;
  deletedAt: number;
}

/** A processed write answer, kept so a repeated `requestid` gets the same answer. */
export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

export class Realm {
  companyInfo: Record<string, any> = {};
  prefs: CompanyPreferences = { ...DEFAULT_PREFERENCES };
  prefsSyncToken = 0;
  prefsUpdatedAt: number;
  readonly createdAt: number;
  nextDocNumber = 1001;
  readonly entities = new Map<EntityName, Map<string, Entity>>(ENTITY_NAMES.map((n) => [n, new Map()]));
  /** Lower-cased DisplayName → owner, shared by Customer, Vendor and Employee. */
  readonly names = new Map<string, { type: EntityName; id: string }>();
  readonly itemNames = new Map<string, string>();
  readonly accountNames = new Map<string, string>();
  /** Lower-cased FullyQualifiedName → id, for classes and for departments (locations). */
  readonly classNames = new Map<string, string>();
  readonly departmentNames = new Map<string, string>();
  /** Currency code → AsOfDate (YYYY-MM-DD) → home-currency units per unit of that currency, as set in the company. */
  readonly exchangeRates = new Map<string, Map<string, number>>();
  /** Ship-to state → the tax code automated sales tax made for it. */
  readonly automatedTaxCodes = new Map<string, string>();
  /** Lower-cased invoice DocNumber → invoice ids using it. */
  readonly invoiceDocNumbers = new Map<string, Set<string>>();
  readonly idempotency = new Map<string, StoredResponse>();
  /** This company's own `ignoreRequestId` (undefined: the emulator-wide setting). */
  ignoreRequestId?: boolean;
  /** "Invoice:12" / "CreditMemo:73" → ids of the payments applied to that document. */
  readonly paymentsByTarget = new Map<string, Set<string>>();
  /** Deleted entities by type, oldest first (Change Data Capture reports them). */
  readonly tombstones = new Map<EntityName, Map<string, Tombstone>>();
  private readonly seqs = new Map<string, number>();
  private addrSeq = 0;

  constructor(
    readonly realmId: string,
    now: number,
  ) {
    this.createdAt = now;
    this.prefsUpdatedAt = now;
  }

  table(name: EntityName): Map<string, Entity> {
    return this.entities.get(name)!;
  }

  /**
   * Ids are strings, sequential per company as in the recorded sandboxes: each name list (Customer, Item,
   * Account, …) counts on its own, while all transactions share one sequence (invoice 71, payment 72,
   * credit memo 73 in NangoHQ/integration-templates integrations/quickbooks/tests/list-payments.test.json).
   */
  nextId(type: EntityName): string {
    const key = sequenceOf(type);
    const n = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, n);
    return String(n);
  }

  /** Keeps the sequence ahead of ids supplied by seed data. */
  noteId(type: EntityName, id: string): void {
    const n = Number(id);
    const key = sequenceOf(type);
    if (Number.isInteger(n) && n > (this.seqs.get(key) ?? 0)) this.seqs.set(key, n);
  }

  nextAddressId(): string {
    this.addrSeq += 1;
    return String(this.addrSeq);
  }
}

const TRANSACTION_TYPES: ReadonlySet<EntityName> = new Set(['Invoice', 'Payment', 'CreditMemo', 'SalesReceipt']);

function sequenceOf(type: EntityName): string {
  return TRANSACTION_TYPES.has(type) ? 'transaction' : type;
}

export type QboLimits = LimitSpec;

/** How a batch call counts against the per-minute limit: once per item (the safe reading) or once per call. */
export type BatchCounting = 'item' | 'call';

export const BATCH_COUNTINGS: BatchCounting[] = ['item', 'call'];

export interface QboSettings {
  latencyMs: number;
  timeScale: number;
  batchMax: number;
  limits: QboLimits;
  /** Default 'item'. */
  batchCounts?: BatchCounting;
  /** How long a rotated-out refresh token keeps working (0 = it dies at once). */
  refreshTokenGraceMs: number;
  /**
   * Process every write afresh whatever its `requestid`, as public reports show QuickBooks doing
   * (intuit/QuickBooks-V3-DotNET-SDK issue 352: two payments from one RequestId). Default false.
   */
  ignoreRequestId?: boolean;
}

export interface QboStats {
  total: number;
  byKind: { read: number; query: number; write: number; batch: number; oauth: number };
  batchItems: number;
  /** Batch items by the entity they carry (Invoice, Payment, …; queries as Query). */
  batchItemsByEntity: Record<string, number>;
  byEndpoint: Record<string, number>;
  throttled: number;
  /** The 429s by the limit that gave them (the answers themselves are alike, as at Intuit). */
  throttledBy: Record<LimitName, number>;
  /** What the rate limits let through: API calls, batch calls among them, and operations counted against perMinute. */
  admitted: { calls: number; batches: number; operations: number };
  faultsInjected: number;
  /** API calls a `delay` fault holds that QuickBooks has not yet processed. */
  held: number;
}

export function emptyStats(): QboStats {
  return {
    total: 0,
    byKind: { read: 0, query: 0, write: 0, batch: 0, oauth: 0 },
    batchItems: 0,
    batchItemsByEntity: {},
    byEndpoint: {},
    throttled: 0,
    throttledBy: Object.fromEntries(LIMIT_NAMES.map((n) => [n, 0])) as Record<LimitName, number>,
    admitted: { calls: 0, batches: 0, operations: 0 },
    faultsInjected: 0,
    held: 0,
  };
}

export type FaultKind =
  | 'http401'
  | 'http401xml'
  | 'http403'
  | 'http429'
  | 'http500'
  | 'http503'
  | 'reset'
  | 'delay'
  | 'resetAfterCommit'
  | 'withoutEntity'
  | 'withoutId';

export const FAULT_KINDS: FaultKind[] = [
  'http401',
  'http401xml',
  'http403',
  'http429',
  'http500',
  'http503',
  'reset',
  'delay',
  'resetAfterCommit',
  'withoutEntity',
  'withoutId',
];

export interface FaultMatch {
  method?: string;
  path?: string;
  entity?: string;
}

export interface QueuedFault {
  id: number;
  kind: FaultKind;
  remaining: number;
  delayMs: number;
  match: FaultMatch;
  /** Matching requests to let through before the fault starts (e.g. fail the third batch call). */
  skip: number;
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** One user consent: every token minted from it dies when it is revoked. */
export interface Grant {
  id: number;
  clientId: string;
  realmId: string;
  authorizedAt: number;
  revoked: boolean;
}

export interface AccessTokenRecord {
  grantId: number;
  expiresAt: number;
}

export interface RefreshTokenRecord {
  grantId: number;
  expiresAt: number;
  /** Set when a refresh replaced this token. */
  rotatedAt?: number;
}

export interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  realmId: string;
  expiresAt: number;
  used: boolean;
}

export class TokenStore {
  readonly grants = new Map<number, Grant>();
  readonly access = new Map<string, AccessTokenRecord>();
  readonly refresh = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  private grantSeq = 0;

  newGrant(clientId: string, realmId: string, now: number): Grant {
    this.grantSeq += 1;
    const grant: Grant = { id: this.grantSeq, clientId, realmId, authorizedAt: now, revoked: false };
    this.grants.set(grant.id, grant);
    return grant;
  }
}

export class QboState {
  readonly clock = new Clock();
  readonly realms = new Map<string, Realm>();
  tokens = new TokenStore();
  faults: QueuedFault[] = [];
  stats: QboStats = emptyStats();
  settings: QboSettings;
  readonly limiter = new RateLimiter();
  /** CloudEvents waiting for the app's webhook endpoint, and where (and with which verifier token) to post them. */
  readonly webhooks = new WebhookOutbox();
  private faultSeq = 0;

  constructor(
    private readonly initialSettings: QboSettings,
    readonly clients: OAuthClientCredentials[],
  ) {
    this.settings = cloneSettings(initialSettings);
  }

  now(): number {
    return this.clock.now();
  }

  realm(realmId: string): Realm | undefined {
    return this.realms.get(realmId);
  }

  ensureRealm(realmId: string): Realm {
    let realm = this.realms.get(realmId);
    if (!realm) {
      realm = new Realm(realmId, this.now());
      this.realms.set(realmId, realm);
    }
    return realm;
  }

  client(clientId: string): OAuthClientCredentials | undefined {
    return this.clients.find((c) => c.clientId === clientId);
  }

  queueFault(kind: FaultKind, count: number, delayMs: number, match: FaultMatch, skip = 0): QueuedFault {
    this.faultSeq += 1;
    const fault: QueuedFault = { id: this.faultSeq, kind, remaining: count, delayMs, match, skip };
    this.faults.push(fault);
    return fault;
  }

  /** Everything back to empty: companies, tokens, faults, counters, clock and settings. */
  reset(): void {
    this.realms.clear();
    this.tokens = new TokenStore();
    this.faults = [];
    this.stats = emptyStats();
    this.clock.reset();
    this.settings = cloneSettings(this.initialSettings);
    this.limiter.reset();
    this.webhooks.reset();
  }
}

function cloneSettings(s: QboSettings): QboSettings {
  return { ...s, limits: { ...s.limits } };
}
