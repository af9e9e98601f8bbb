// What a Process Log entry is, and how entries add up to a run's counts.
import type { RecordKind } from '../model';
import type { TargetFault } from '../target';

export type Level = 'INFO' | 'WARN' | 'ERROR';
export type Outcome = 'Created' | 'Matched' | 'Renamed' | 'Shortened' | 'Skipped' | 'Warning' | 'Error' | 'Summary';
export type RecordType = 'Customer' | 'Product' | 'Invoice' | 'Payment' | 'Credit Memo' | 'Sales Receipt' | 'Run';

export interface LogEntry {
  level: Level;
  outcome: Outcome;
  recordType: RecordType;
  recordId?: string;
  recordName?: string;
  message: string;
  fix?: string;
  /** The accounting system's id of the record the entry is about. */
  targetId?: string;
  /** The accounting system's trace id of the call (QuickBooks' intuit_tid). */
  traceId?: string | null;
  httpStatus?: number;
  /** How many records the entry stands for (a summary entry of a run that logs successes per batch); 1 when unset. */
  recordCount?: number;
}

export interface RunCounts {
  created: number;
  matched: number;
  renamed: number;
  skipped: number;
  warnings: number;
  errors: number;
}

/** The record an entry is about. */
export interface Subject {
  id: string;
  name: string;
}

const RECORD_TYPE: Record<RecordKind, RecordType> = {
  customer: 'Customer',
  product: 'Product',
  invoice: 'Invoice',
  payment: 'Payment',
  credit_memo: 'Credit Memo',
  sales_receipt: 'Sales Receipt',
};

/** What the accounting system calls a record of this kind. */
export const TARGET_NOUN: Record<RecordKind, string> = {
  customer: 'customer',
  product: 'item',
  invoice: 'invoice',
  payment: 'payment',
  credit_memo: 'credit memo',
  sales_receipt: 'sales receipt',
};

export function recordType(kind: RecordKind): RecordType {
  return RECORD_TYPE[kind];
}

export function emptyCounts(): RunCounts {
  return { created: 0, matched: 0, renamed: 0, skipped: 0, warnings: 0, errors: 0 };
}

/** Adds an entry's weight to the run's counts. */
export function count(counts: RunCounts, entry: LogEntry): void {
  switch (entry.outcome) {
    case 'Created':
      counts.created++;
      break;
    case 'Matched':
      counts.matched++;
      break;
    case 'Renamed':
      counts.renamed++;
      break;
    case 'Skipped':
      counts.skipped++;
      break;
    case 'Error':
      counts.errors++;
      break;
    case 'Warning':
    case 'Shortened':
      counts.warnings++;
      break;
    case 'Summary':
      break;
  }
}

/** The trace id and HTTP status an entry carries from the fault behind it. */
export function faultFacts(fault: TargetFault | undefined): Pick<LogEntry, 'traceId' | 'httpStatus'> {
  return { traceId: fault?.traceId ?? undefined, httpStatus: fault?.httpStatus || undefined };
}

/** Ends a sentence once: a name that ends in a period ("Northwind Trading Co.") is not followed by another. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** An entry about one record of `kind`, with its type, id and name filled in. */
export function aboutRecord(kind: RecordKind, subject: Subject, entry: Omit<LogEntry, 'recordType' | 'recordId' | 'recordName'>): LogEntry {
  return { recordType: recordType(kind), recordId: subject.id, recordName: subject.name, ...entry };
}
