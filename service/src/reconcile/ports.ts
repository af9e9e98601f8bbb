// The reconciliation's ports: each book read by a thin reader (Salesforce in salesforce/reconcileSource.ts,
// QuickBooks Online in quickbooks/online/reconcileReader.ts). Only the period's documents are read, page by page;
// a document outside it only when the other side names it.
import type { CompanyModel } from '../export/model';
import type { Period, SourceDocument, TargetDocument, TargetForm } from './model';

export interface ReconcileSourcePort {
  /** The company's approved documents dated in the period (those the export would send, or sent), with what is paid on them. */
  documentsIn(company: CompanyModel, period: Period): Promise<SourceDocument[]>;
  /** Documents by id, of any company (a QuickBooks document's marker names them); `inPeriod` false. */
  documentsById(company: CompanyModel, ids: string[]): Promise<SourceDocument[]>;
}

export interface ReconcileTargetPort {
  /** The forms the company's documents take there (sales receipts only where the company sends them). */
  documentsIn(period: Period, forms: TargetForm[]): Promise<TargetDocument[]>;
  /** Documents by id, of one form; `inPeriod` false. Ids the accounting system no longer holds are absent. */
  documentsById(form: TargetForm, ids: string[]): Promise<TargetDocument[]>;
  /** This reconciliation's reads, and the month's (the accounting system meters reads). */
  reads(): { reconciliation: number; company: number; used: number; budget: number; month: string };
}
