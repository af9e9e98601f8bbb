// The engine's other ports: where source records come from, where their links are written back, and where the
// Process Log goes. Salesforce implements all three (salesforce/source.ts, writeBack.ts, processLog.ts).
import type { JournalEntry } from '../store/types';
import type { LogEntry, RunCounts, RunStatus, Subject } from './entries';
import type { SourceRates } from './plan/currency';
import type { SourceFieldMapping } from './plan/fieldMappings';
import type {
  CompanyModel,
  ExportOptions,
  RecordScope,
  RequestedInvoiceState,
  SourceCreditApplication,
  SourceCustomer,
  SourceInvoice,
  SourcePayment,
  SourceProduct,
} from './model';

export interface ExportCounts {
  customers: number;
  products: number;
  /** Invoices of every form (credit memos included). */
  invoices: number;
  /** Of those, credit memos. */
  creditMemos?: number;
  /** Payments waiting, when the company exports them. */
  payments?: number;
}

export interface SourcePort {
  companies(): Promise<CompanyModel[]>;
  /** A company by id or exact name. */
  company(idOrName: string): Promise<CompanyModel | null>;
  /** What waits to be exported (Customer / Product / Invoice Export Qty). */
  counts(company: CompanyModel, options?: Omit<ExportOptions, 'dryRun'>): Promise<ExportCounts>;
  /**
   * The customers the run sends: by the company's Customer Export rule, of the run's invoices; with `options.scope`
   * (a run limited to named records), only the customers those records reach.
   */
  customers(company: CompanyModel, options?: Omit<ExportOptions, 'dryRun'>): AsyncIterable<SourceCustomer[]>;
  /** The ids of the customers the page's Customer Export Qty counts (where the count must be told by id). */
  customerIdsToExport?(company: CompanyModel): Promise<string[]>;
  products(company: CompanyModel, scope?: RecordScope): AsyncIterable<SourceProduct[]>;
  /** What a run limited to these records reaches: them, and the customers and products their invoices need. */
  recordScope?(company: CompanyModel, records: string[]): Promise<RecordScope>;
  /** Every invoice with every line (however many pages its lines take), and the values of `mappedFields`. */
  invoices(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'>, mappedFields?: string[]): AsyncIterable<SourceInvoice[]>;
  /** The admin field mappings that apply to the company, each with its source field's type. */
  fieldMappings?(company: CompanyModel): Promise<SourceFieldMapping[]>;
  /** The source's dated exchange rates of these currencies (null: it keeps none). */
  exchangeRates?(currencies: string[]): Promise<SourceRates | null>;
  /** Customer id -> the currency of its first invoice of the company, for customers that have none of their own. */
  firstInvoiceCurrencies?(company: CompanyModel, customerIds: string[]): Promise<Map<string, string>>;
  /** Payments whose invoice is in the accounting system and which are not yet. */
  payments(company: CompanyModel, scope?: RecordScope): AsyncIterable<SourcePayment[]>;
  /** Credit memos in the accounting system that name an invoice to apply to, not yet applied. */
  creditApplications(company: CompanyModel, scope?: RecordScope): AsyncIterable<SourceCreditApplication[]>;
  /** Exported invoices whose record or lines changed after `since` (and those of `alsoIds`), every line with them (payments left out). */
  editedInvoices?(company: CompanyModel, since: Date, alsoIds?: string[]): AsyncIterable<SourceInvoice[]>;
  /** Exported payments whose record changed after `since`. */
  editedPayments?(company: CompanyModel, since: Date): AsyncIterable<SourcePayment[]>;
  /** Invoices queued for a pull-based target and not yet taken (Export Status Pending Sync). */
  pendingCount?(company: CompanyModel): Promise<number>;
  /** Where invoices of these numbers stand, whichever company they belong to. */
  requestedInvoices(numbers: string[]): Promise<(RequestedInvoiceState & { id: string })[]>;
}

/** An update of a source record, in the engine's terms; the adapter knows the fields. */
export type WriteBackUpdate =
  | { kind: 'customer' | 'product'; subject: Subject; targetId: string }
  | { kind: 'invoice'; subject: Subject; targetId: string; number: string | null }
  | { kind: 'payment'; subject: Subject; targetId: string }
  /** A credit memo applied to the invoice it names (the applying payment's id). */
  | { kind: 'creditApplied'; subject: Subject; targetId: string }
  | { kind: 'invoiceFailed'; subject: Subject; message: string }
  /** Queued for a target that takes work when its connector asks (QuickBooks Desktop's Web Connector). */
  | { kind: 'invoicePending'; subject: Subject };

export interface WriteBackRefusal {
  update: WriteBackUpdate;
  reason: string;
}

/** The source system did not take registered updates (they stay owed in the journal). */
export class WriteBackFailed extends Error {
  constructor(
    readonly owed: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'WriteBackFailed';
  }
}

/** A unit of work: updates are registered, then committed in bulk together with their journal states. */
export interface WriteBackPort {
  /** `journal`: the record's journal entry, marked written back once the source system takes the update. */
  register(update: WriteBackUpdate, journal?: JournalEntry): void;
  /** Commits full chunks in the background (bounded); resolves when there is room for more. */
  flushIfDue(): Promise<void>;
  /** Commits everything registered and waits for it. */
  commit(): Promise<void>;
  /**
   * Commits what is registered now for these kinds (a phase ended), while the run goes on; resolves once it is
   * taken. Never throws: a failure is thrown by the next flushIfDue or commit.
   */
  commitKinds?(kinds: WriteBackUpdate['kind'][]): Promise<void>;
  readonly registered: number;
  readonly committed: number;
}

/** A dry run's write-back: nothing is written. */
export const NO_WRITE_BACK: WriteBackPort = {
  register: () => undefined,
  flushIfDue: async () => undefined,
  commit: async () => undefined,
  registered: 0,
  committed: 0,
};

export interface ProcessLogPort {
  /** `retainUntil`: the day from which the org's purge may delete the log. */
  open(run: { runId: string; companyId: string; dryRun: boolean; start: Date; retainUntil?: Date }): Promise<string>;
  /** Appends entries; `firstSequence` numbers them in order across calls. */
  append(logId: string, entries: LogEntry[], firstSequence: number): Promise<void>;
  close(logId: string, end: { status: RunStatus; summary: string; at: Date; counts: RunCounts }): Promise<void>;
  /** The log of a run that still says Running, by the run's id: a run killed before its log's id was saved. */
  findRunning?(runId: string): Promise<string | null>;
  /**
   * How often a run expecting this many records flushes its entries: by count, or after this long. A large run may
   * flush less often where each write costs the same calls whatever its size. Default: LOG_FLUSH_EVERY / LOG_FLUSH_MS.
   */
  flushPolicy?(expectedRecords: number): LogFlushPolicy;
}

export interface LogFlushPolicy {
  every: number;
  ms: number;
}
