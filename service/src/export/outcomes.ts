// What an export says about each record: one entry per outcome, later written as Process_Log_Entry__c.

export type Level = 'INFO' | 'WARN' | 'ERROR';
export type Outcome = 'Created' | 'Matched' | 'Renamed' | 'Shortened' | 'Skipped' | 'Warning' | 'Error' | 'Summary';
export type RecordType = 'Customer' | 'Product' | 'Invoice' | 'Payment' | 'Run';

export interface LogEntry {
  level: Level;
  outcome: Outcome;
  recordType: RecordType;
  recordId?: string;
  recordName?: string;
  message: string;
  fix?: string;
  quickBooksId?: string;
  intuitTid?: string | null;
  httpStatus?: number;
}

export interface RunCounts {
  created: number;
  matched: number;
  renamed: number;
  skipped: number;
  warnings: number;
  errors: number;
}

/** A warning that Ledgerline changed a record's values to fit QuickBooks (what changed is in the message). */
export function shortened(recordType: RecordType, record: { Id: string; Name: string }, message: string): LogEntry {
  return { level: 'WARN', outcome: 'Shortened', recordType, recordId: record.Id, recordName: record.Name, message };
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

/** Fixes for QuickBooks validation codes, in words an accountant can act on. */
export function fixForQuickBooksCode(code: string, what: string): string {
  switch (code) {
    case '6240':
      return `Another QuickBooks customer, vendor or employee already uses this name. Rename the ${what} in Salesforce (or the other record in QuickBooks) and export again.`;
    case '6140':
      return 'Change the Company’s Invoice Number Prefix or Suffix so Salesforce numbers cannot collide with QuickBooks numbers (or renumber the existing QuickBooks invoice), then export again.';
    case '610':
      return `A record this ${what} refers to is inactive or deleted in QuickBooks. Make it active in QuickBooks (Lists) or point the Company settings at an active one, then export again.`;
    case '2500':
      return `A record this ${what} refers to does not exist in QuickBooks. Check the Company's QuickBooks account and item settings, then export again.`;
    case '2050':
      return `A value of this ${what} is longer than QuickBooks allows. Shorten it in Salesforce and export again.`;
    case '2020':
      return `A field QuickBooks requires is empty on this ${what}. Fill it in Salesforce and export again.`;
    case '6070':
      return 'A line amount does not equal quantity × unit price. Correct the line in Salesforce and export again.';
    case '6000':
      return `QuickBooks rejected this ${what} for a business rule (see the message). Correct the data and export again.`;
    default:
      return `Correct the ${what} as the QuickBooks message says and export again.`;
  }
}
