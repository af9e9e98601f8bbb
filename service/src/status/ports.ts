// The status sync's port to the source system (Salesforce implements it in salesforce/statusWriteBack.ts): read
// the documents and payments a sync concerns, and write their status and the payments received in the accounting
// system. The accounting side is the ChangeFeed (model.ts).
import type { CompanyModel } from '../export/model';
import type { DocumentStatus, SourceDocumentStatus, SourcePaymentFromTarget, SourcePaymentsOf } from './model';

/** One record's write, in the order given. */
export interface WriteOutcome {
  ok: boolean;
  /** The record's id (a created record's new id). */
  id: string | null;
  /** Why the source system refused it. */
  message?: string;
}

/** How the source system takes many writes best: from `threshold` records in one write on, in jobs of `chunk` records. */
export interface WriteBatching {
  threshold: number;
  chunk: number;
}

export interface StatusSourcePort {
  /** Unset: every write goes as it comes (a page at a time). */
  readonly batching?: WriteBatching;
  /** The company's documents whose accounting id is one of `targetIds`, or whose own id is one of `ids`. */
  documents(company: CompanyModel, targetIds: string[], ids: string[]): Promise<SourceDocumentStatus[]>;
  /** What the source holds of these accounting payments: its own exported ones, and the ones copied from the accounting system. */
  paymentsOf(company: CompanyModel, targetPaymentIds: string[]): Promise<SourcePaymentsOf>;
  updateDocuments(updates: { id: string; changes: Partial<DocumentStatus>; syncedAt: Date }[]): Promise<WriteOutcome[]>;
  createPayments(payments: Omit<SourcePaymentFromTarget, 'id'>[]): Promise<WriteOutcome[]>;
  updatePayments(payments: SourcePaymentFromTarget[]): Promise<WriteOutcome[]>;
  deletePayments(ids: string[]): Promise<WriteOutcome[]>;
}
