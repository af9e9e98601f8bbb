// The reconciliation's own view of both books: neutral shapes, so the comparison names no Salesforce field and no
// QuickBooks entity beyond the three document forms it links to.

/** A calendar period, both ends included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

/** The forms a sales document takes in the accounting system. */
export type TargetForm = 'invoice' | 'creditMemo' | 'salesReceipt';

/** A Sales Invoice (or credit memo) as the source system holds it. */
export interface SourceDocument {
  id: string;
  number: string;
  companyId: string;
  kind: 'invoice' | 'creditMemo';
  date: string | null;
  /** Its total, as a positive amount (a credit memo's too). */
  total: number | null;
  /** Its customer's id in the accounting system (the company's customer-id field). */
  customerTargetId: string | null;
  /** The accounting system's id written back by the export, and the number it holds. */
  targetId: string | null;
  targetNumber: string | null;
  exportStatus: string | null;
  /** The export's last error on it ("message\nFix: fix"). */
  lastError: string | null;
  /** Paid in the source (its payments) and credited (credit memos applied to it). */
  paid: number;
  /** Whether its date lies in the period (one outside it was read because the accounting side links to it). */
  inPeriod: boolean;
}

/** A sales document as the accounting system holds it. */
export interface TargetDocument {
  id: string;
  form: TargetForm;
  number: string | null;
  date: string | null;
  customerId: string | null;
  total: number | null;
  balance: number | null;
  voided: boolean;
  /** The source record id in its private marker (Ledgerline created it). */
  sourceId: string | null;
  /** When it was created in the accounting system (ISO time). */
  createdAt: string | null;
  inPeriod: boolean;
}

/** What the export's journal knows of a source record. */
export interface JournalFact {
  recordId: string;
  state: 'pending' | 'sent' | 'created' | 'written_back' | 'failed';
  targetId: string | null;
  error: string | null;
}

export type DifferenceKind =
  | 'missing_in_quickbooks'
  | 'missing_in_salesforce'
  | 'amount_different'
  | 'date_different'
  | 'customer_different'
  | 'linked_twice'
  | 'voided_in_quickbooks'
  | 'deleted_in_quickbooks';

export interface SourceRef {
  id: string;
  /** The Sales Invoice's number (its Name). */
  name: string;
}

export interface TargetRef {
  id: string;
  form: TargetForm;
  docNumber: string | null;
}

/** One record that differs: both records (where each exists), the values that differ, the cause where known, the fix. */
export interface Difference {
  kind: DifferenceKind;
  salesforce: SourceRef | null;
  quickbooks: TargetRef | null;
  /** The second record of a link made twice (two accounting documents for one invoice, or two invoices on one document). */
  otherSalesforce: SourceRef | null;
  otherQuickbooks: TargetRef | null;
  salesforceValue: string | null;
  quickbooksValue: string | null;
  cause: string;
  fix: string;
}

export interface SideTotals {
  invoices: { count: number; total: number };
  creditMemos: { count: number; total: number };
  /** Paid or credited against the period's invoices. */
  payments: { total: number };
  openBalance: number;
}

export interface Comparison {
  totals: { salesforce: SideTotals; quickbooks: SideTotals };
  differences: Difference[];
  /** QuickBooks documents of the period created before Ledgerline's first export for the company, that no invoice links to: the books before Ledgerline, not compared. */
  notCompared: { count: number; total: number };
}

export const cents = (amount: number): number => Math.round(amount * 100);
export const money = (c: number): number => c / 100;
