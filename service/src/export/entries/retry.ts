// Entries of a run limited to named records (a retry of Process Log errors).
import { sentence, type LogEntry } from './entry';

/** A named record the run found nothing to send for: it no longer waits for export, or is not this company's. */
export function retryNothingToSend(recordId: string, companyName: string): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Skipped',
    recordType: 'Run',
    recordId,
    message: sentence(
      `Record ${recordId} was not sent again: it does not wait for export in ${companyName} (already in QuickBooks, not approved, deleted, or of another Company)`,
    ),
    fix: 'Open the record: if it is in QuickBooks, nothing is left to do; otherwise approve it, or retry it from the Company it belongs to.',
  };
}
