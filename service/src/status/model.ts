// The status sync's own view of what the accounting system reports and what the source system shows: neutral
// shapes, so nothing under status/ names a QuickBooks entity or a Salesforce field.
import type { SyncedDocument, SyncedPayment } from '../store/types';

export type PaidStatus = 'Open' | 'Partially Paid' | 'Paid' | 'Voided' | 'Deleted in QuickBooks';

/** A changed document as the accounting system reports it (a deleted one has only its id and time). */
export type ChangedDocument = Omit<SyncedDocument, 'salesforceId' | 'state'>;
/** A changed payment as the accounting system reports it, with what it applies to which document. */
export type ChangedPayment = Omit<SyncedPayment, 'origin' | 'state'>;

/** One answer's worth of changes. */
export interface ChangePage {
  documents: ChangedDocument[];
  payments: ChangedPayment[];
}

/** What the accounting system's change feed offers (QuickBooks Online: Change Data Capture). */
export interface ChangeFeed {
  /** How far back it keeps changes (QuickBooks: 30 days). */
  readonly windowMs: number;
  /**
   * Every change since `since`, an answer at a time (each handed to onPage before the next is asked for). Resolves to
   * the time the changes are complete up to, by the accounting system's clock.
   */
  changesSince(since: Date, onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }>;
  /** Every document and payment as they stand (when the changes are older than the window). */
  everything(onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }>;
  /** Reads this feed used, and the month's (the accounting system meters reads). */
  usage(): { reads: { run: number; company: number; used: number; budget: number; month: string } };
}

/** A source invoice (or credit memo) as the status write-back sees it: its accounting id and the status fields it shows. */
export interface SourceDocumentStatus {
  id: string;
  name: string;
  /** Its id in the accounting system, once written back (the export's own field). */
  targetId: string | null;
  balance: number | null;
  paidStatus: string | null;
  lastPaymentDate: string | null;
  total: number | null;
}

/** The status fields of one source document, as they should be. */
export interface DocumentStatus {
  balance: number | null;
  paidStatus: PaidStatus;
  lastPaymentDate: string | null;
  total: number | null;
}

/** A payment that the source system holds because it was received in the accounting system. */
export interface SourcePaymentFromTarget {
  id: string;
  /** The source document it pays. */
  documentId: string;
  /** The accounting system's payment id. */
  targetId: string;
  amount: number | null;
  date: string | null;
  reference: string | null;
}

/** What the source system holds of these accounting payments: the ones it exported itself, and the ones it copied. */
export interface SourcePaymentsOf {
  /** Accounting payment ids the source system exported (its own payments). */
  exported: Set<string>;
  fromTarget: SourcePaymentFromTarget[];
}

export const cents = (amount: number): number => Math.round(amount * 100);
