// The accounting-target port: what the engine needs from an accounting system, in the engine's own terms.
// QuickBooks Online implements it in quickbooks/online/target.ts. Documents here are neutral; each target maps
// them to its wire format, classifies its own faults, and decides how and when a batch is delivered
// (Online: now, over HTTP; a pull-based target: when its connector asks).

import type { LimitCause, LogEntry } from './entries';
import type { MappableField } from './plan/fieldMappings';
import type { TaxMode } from './plan/tax';
import type { ClassTracking } from './plan/tracking';
import type {
  Capability,
  CreatableKind,
  CreatedRecord,
  DocByKind,
  HeldPayment,
  InvoiceDoc,
  InvoiceStanding,
  InvoiceUpdateResult,
  NumberedRecord,
  OpenBalance,
  TargetCustomer,
  TargetItem,
} from './targetRecords';

export * from './targetRecords';

// ------------------------------------------------------------------ settings, limits, faults

export interface TargetSettings {
  companyName: string | null;
  /** The target keeps the document numbers it is sent (else it numbers documents itself). */
  customNumbers: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** The target refuses a second document with the same number itself. */
  rejectsDuplicateNumbers: boolean;
  /** The target computes sales tax itself (QuickBooks Online's Automated Sales Tax). */
  automatedSalesTax?: boolean;
  /** How sales tax is set (default 'total': the source's amount is sent). */
  salesTax?: TaxMode;
  /** Where the company tracks classes (default 'off'), and whether it tracks locations. */
  classTracking?: ClassTracking;
  trackLocations?: boolean;
  /** The company's custom fields in use on sales forms. */
  customFields?: { id: string; name: string }[];
}

/** What a target can carry, declared so the plan never finds out by failing. */
export interface TargetCapabilities {
  /** Currency and exchange rate on customers and transactions. */
  currencies: boolean;
  /** Classes and locations it can list and create (matched by name first). */
  trackingLists: boolean;
  /** QuickBooks fields an admin mapping can fill, by the name the mapping uses (`CustomField` for custom fields). */
  mappableFields: Record<string, MappableField>;
}

/** Field lengths the target accepts, in characters. */
export interface TargetLimits {
  displayName: number;
  givenName: number;
  familyName: number;
  companyName: number;
  phone: number;
  email: number;
  addressLine: number;
  city: number;
  state: number;
  postalCode: number;
  country: number;
  itemName: number;
  sku: number;
  description: number;
  lineDescription: number;
  docNumber: number;
  privateNote: number;
  customerMemo: number;
  paymentReference: number;
  /** The most lines one transaction may carry, when the target documents one. */
  linesPerTransaction?: number;
}

export type FaultClass =
  | 'duplicateName'
  | 'duplicateNumber'
  | 'staleObject'
  | 'invalidReference'
  | 'inactiveReference'
  | 'tooLong'
  | 'requiredMissing'
  | 'amountMismatch'
  | 'businessRule'
  | 'unauthorized'
  | 'throttled'
  | 'transient'
  | 'rejected'
  /** A pull-based target's queued record taken back (un-pended) before the target took it: not an error. */
  | 'withdrawn';

export interface TargetFault {
  class: FaultClass;
  /** The target's own words, for the Process Log. */
  message: string;
  /** The target's code, shown to the user (never branched on by the engine). */
  code?: string;
  field?: string;
  traceId?: string | null;
  httpStatus?: number;
}

/** A whole call failed (not one record in it): the run decides whether it can go on. */
export class TargetError extends Error {
  constructor(
    readonly fault: TargetFault,
    options?: { cause?: unknown },
  ) {
    super(fault.message, options);
    this.name = 'TargetError';
  }
}

export type DeliveryResult = { ok: true; created: CreatedRecord } | { ok: false; fault: TargetFault };

export interface DeliveryItem<K extends CreatableKind = CreatableKind> {
  /** Idempotency key of this record's create: the same record with the same content always has the same key. */
  key: string;
  doc: DocByKind[K];
}

// ------------------------------------------------------------------ the port

export interface AccountingTarget {
  /** Shown to users: "QuickBooks Online", "QuickBooks Desktop". */
  readonly system: string;
  /** Scope of idempotency keys: one per accounting company. */
  readonly scope: string;
  readonly limits: TargetLimits;
  /** Records per delivery (a batch). */
  readonly batchSize: number;
  /** Batches one kind keeps in flight or queued at the target's limits (default 10): a window's whole allowance. */
  readonly batchesInFlight?: number;
  /** Records the next batch should carry (at most batchSize) so that the target's limits are used whole. */
  fitBatch?(): number;
  /** The batch sized by fitBatch leaves with this many records fewer (a kind's last, partial one). */
  unfit?(records: number): void;
  /**
   * Pull-based: the target takes work when its connector asks (QuickBooks Desktop's Web Connector), so its calls
   * resolve later. The run marks the invoices it will send as pending before anything else.
   */
  readonly deliversLater?: boolean;
  /**
   * Whether the target creates this. What it does not is planned (and shown in a dry run) as "not supported by"
   * the system, never sent: a sales receipt becomes an invoice and its payments, the rest is left for a later run.
   */
  supports(capability: Capability): boolean;

  settings(): Promise<TargetSettings>;
  /** Every customer, a page at a time. */
  loadCustomers(onPage: (rows: TargetCustomer[]) => void): Promise<void>;
  /** Names a new customer cannot take (vendors, employees, other names). */
  loadReservedNames(onPage: (names: string[]) => void): Promise<void>;
  loadItems(onPage: (rows: TargetItem[]) => void): Promise<void>;
  /** Which of these ids still exist. */
  existing(kind: CreatableKind, ids: string[]): Promise<Set<string>>;
  /** Documents already holding these numbers: number -> its id and the source record its marker names (if any). */
  findByNumbers(kind: 'invoice', numbers: string[]): Promise<Map<string, NumberedRecord>>;
  /** Documents this product created for these source ids (by marker) since a time: source id -> record. */
  findByMarker(kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>>;
  /** Open balances of these invoices: id -> balance (missing: not found). */
  openBalances(invoiceIds: string[]): Promise<Map<string, OpenBalance>>;
  /** Payments holding these references (any customer). */
  paymentsByReference(references: string[]): Promise<HeldPayment[]>;
  readonly capabilities?: TargetCapabilities;
  /** The company's tax codes (non-US sales tax). */
  loadTaxCodes?(): Promise<{ id: string; name: string }[]>;
  /** Items made inactive (QuickBooks keeps them, but refuses new lines on them). */
  loadInactiveItems?(): Promise<TargetItem[]>;
  /** The company's classes and locations. */
  loadTrackingLists?(): Promise<{ classes: { id: string; name: string }[]; locations: { id: string; name: string }[] }>;
  /** Creates classes or locations (or finds them, when they appeared meanwhile): lower-cased name -> id. */
  createTrackingNames?(list: 'class' | 'location', names: string[], context: { runId: string }): Promise<Map<string, string>>;
  /** The currency of an account (null: the home currency or unknown). */
  accountCurrency?(accountId: string): Promise<string | null>;
  /** The run will send nothing more (a pull-based target's connector may end its session once the last answer is in). */
  finish?(): Promise<void>;
  /**
   * Delivers one batch (at most batchSize) and answers per record, in order. A fault of one record is a value;
   * a fault of the whole call throws TargetError.
   */
  create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[], context: { runId: string }): Promise<DeliveryResult[]>;
  /** What the run spent of the target's metered allowances so far, when it meters any. */
  usage?(): TargetUsage;
  /**
   * Replaces an exported invoice's customer, dates, lines and tax with `doc`'s, naming the version it was read at
   * (a stale version is refused as 'staleObject'). A target without it never changes what it accepted (QuickBooks
   * Desktop: an accepted invoice is locked).
   */
  updateInvoice?(id: string, version: string, doc: InvoiceDoc, context: { runId: string }): Promise<InvoiceUpdateResult>;
  /** An exported invoice's version, total and balance, read now (null: the target no longer holds it). */
  invoiceStanding?(id: string): Promise<InvoiceStanding | null>;
}

/** A pause the target takes (a rate limit), so the run can say what it waits for. */
export interface TargetWait {
  reason: string;
  until: Date;
  /** Pacing to the limits before any refusal, or whose limit the target was refused for (logged once a run). */
  cause?: 'pacing' | LimitCause;
}

/** What a run spent of the target's metered allowances (QuickBooks Online: reads, metered per month). */
export interface TargetUsage {
  reads: { run: number; company: number; used: number; budget: number; month: string };
}

/** Opens the target of a company (authorization included). */
export type TargetFactory = (
  company: { id: string; name: string; accountingSystem: string; currency?: string | null },
  hooks?: {
    onWait?(wait: TargetWait): void;
    /** A Process Log entry the target has for the run (its monthly allowance running low, say). */
    note?(entry: LogEntry): void;
    /** The run the target sends for (a pull-based target's queue keeps each run's work apart). */
    runId?: string;
  },
) => Promise<AccountingTarget>;
