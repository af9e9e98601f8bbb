// The entry that stands for many records when a Company logs successes per batch (Company "Log Successes"): one
// per record kind and outcome for each batch of entries the run writes, instead of one per record.
import type { LogEntry, Outcome, RecordType } from './entry';

const PLURAL: Record<RecordType, string> = {
  Customer: 'customers',
  Product: 'products',
  Invoice: 'invoices',
  Payment: 'payments',
  'Credit Memo': 'credit memos',
  'Sales Receipt': 'sales receipts',
  Run: 'runs',
};

const DONE: Partial<Record<Outcome, string>> = {
  Created: 'created in QuickBooks',
  Matched: 'matched to records QuickBooks already had',
};

/** Outcomes a per-batch log sums up; warnings, errors and skips keep an entry each. */
export function summedOutcome(entry: LogEntry): boolean {
  return entry.level === 'INFO' && entry.recordType !== 'Run' && DONE[entry.outcome] !== undefined;
}

export function batchSummary(recordType: RecordType, outcome: Outcome, count: number, first: string, last: string): LogEntry {
  const what = count === 1 ? recordType.toLowerCase() : PLURAL[recordType];
  const range = count === 1 ? first : `${first} to ${last}, in the order exported`;
  return {
    level: 'INFO',
    outcome,
    recordType,
    recordName: count === 1 ? first : `${first} … ${last}`.slice(0, 255),
    message:
      `${count.toLocaleString('en-US')} ${what} ${DONE[outcome] ?? outcome.toLowerCase()} (${range}). ` +
      'This Company logs successes as one entry per batch; each record carries its QuickBooks Id.',
    recordCount: count,
  };
}
