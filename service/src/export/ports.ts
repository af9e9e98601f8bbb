// The engine's other ports: where source records come from, where their links are written back, and where the
// Process Log goes. Salesforce implements all three (salesforce/source.ts, writeBack.ts, processLog.ts).
import type { JournalEntry } from '../store/types';
import type { LogEntry, RunCounts, RunStatus, Subject } from './entries';
import type {
  CompanyModel,
  ExportOptions,
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
  customers(company: CompanyModel): AsyncIterable<SourceCustomer[]>;
  products(company: CompanyModel): AsyncIterable<SourceProduct[]>;
  /** Every invoice with every line (however many pages its lines take). */
  invoices(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'>): AsyncIterable<SourceInvoice[]>;
  /** Payments whose invoice is in the accounting system and which are not yet. */
  payments(company: CompanyModel): AsyncIterable<SourcePayment[]>;
  /** Credit memos in the accounting system that name an invoice to apply to, not yet applied. */
  creditApplications(company: CompanyModel): AsyncIterable<SourceCreditApplication[]>;
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
  readonly registered: number;
  readonly committed: number;
}

export interface ProcessLogPort {
  open(run: { runId: string; companyId: string; dryRun: boolean; start: Date }): Promise<string>;
  /** Appends entries; `firstSequence` numbers them in order across calls. */
  append(logId: string, entries: LogEntry[], firstSequence: number): Promise<void>;
  close(logId: string, end: { status: RunStatus; summary: string; at: Date; counts: RunCounts }): Promise<void>;
}
