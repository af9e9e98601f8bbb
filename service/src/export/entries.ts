// Every Process Log entry an export writes, worded in one place. Each constructor takes typed facts and returns
// the entry; nothing else in the engine writes a sentence for the log.
import type { RecordKind } from './model';
import type { KindTotals, PlanTotals } from './plan/decision';
import type { CreatedRecord, FaultClass, TargetFault } from './target';

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
const TARGET_NOUN: Record<RecordKind, string> = {
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

// ------------------------------------------------------------------ matched and created

/** How a record was matched to one the accounting system already holds. */
export type MatchHow =
  | { by: 'email' | 'name' | 'companyCity' | 'sku' | 'itemName'; ambiguous?: boolean }
  | { by: 'earlierExport' }
  | { by: 'marker' }
  | { by: 'reference' }
  | { by: 'sameRun'; firstName: string };

const MATCH_WORDS: Record<string, string> = {
  email: 'by email',
  name: 'by display name',
  companyCity: 'by company name and city',
  sku: 'by SKU',
  itemName: 'by item name',
  earlierExport: 'an earlier export created it',
  marker: 'found in QuickBooks by its Ledgerline marker after an interrupted export',
  reference: 'by its reference, customer and invoice (an earlier export created it)',
};

export function matchWords(how: MatchHow): string {
  if (how.by === 'sameRun') return `as the ${how.firstName === '' ? 'record' : `record "${how.firstName}"`} created in this export`;
  const ambiguous = 'ambiguous' in how && how.ambiguous ? ' (several fitted; the oldest was used)' : '';
  return `${MATCH_WORDS[how.by]}${ambiguous}`;
}

export function matched(kind: RecordKind, subject: Subject, targetId: string, how: MatchHow): LogEntry {
  const type = recordType(kind);
  return {
    level: 'INFO',
    outcome: 'Matched',
    recordType: type,
    recordId: subject.id,
    recordName: subject.name,
    targetId,
    message: `${type} ${subject.name} matched QuickBooks ${TARGET_NOUN[kind]} ${targetId} ${matchWords(how)}.`,
  };
}

export function created(kind: RecordKind, subject: Subject, record: CreatedRecord, noun = TARGET_NOUN[kind]): LogEntry {
  const type = recordType(kind);
  const how =
    kind === 'customer'
      ? ` as "${record.name ?? subject.name}"`
      : kind === 'product'
        ? ` as ${record.type ? `${record.type} ` : ''}item "${record.name ?? subject.name}"`
        : record.number
          ? ` as QuickBooks ${noun} ${record.number}`
          : noun !== TARGET_NOUN[kind]
            ? ` as a QuickBooks ${noun}`
            : '';
  return {
    level: 'INFO',
    outcome: 'Created',
    recordType: type,
    recordId: subject.id,
    recordName: subject.name,
    targetId: record.id,
    message: `${type} ${subject.name} created in QuickBooks (Id ${record.id})${how}.`,
  };
}

// ------------------------------------------------------------------ changed to fit

export type RenameReason = 'reserved' | 'emailDiffers';

/** A customer created (or, in a dry run, to be created) under another name. */
export function renamed(subject: Subject, from: string, to: string, reason: RenameReason, targetId?: string): LogEntry {
  const why =
    reason === 'reserved'
      ? `a QuickBooks vendor, employee or customer already uses "${from}"`
      : `a QuickBooks customer already named "${from}" has another email, and this Company never matches customers across different emails`;
  return {
    level: 'WARN',
    outcome: 'Renamed',
    recordType: 'Customer',
    recordId: subject.id,
    recordName: subject.name,
    targetId,
    message: targetId
      ? `Customer "${from}" was created in QuickBooks as "${to}" because ${why}.`
      : `Customer "${from}" would be created in QuickBooks as "${to}" because ${why}.`,
    fix: targetId ? 'No action needed. To use another name, rename the customer in QuickBooks; Ledgerline keeps the link by Id.' : undefined,
  };
}

/** Values Ledgerline changed to fit the accounting system (each change named). */
export function shortened(kind: RecordKind, subject: Subject, changes: string[]): LogEntry {
  const type = recordType(kind);
  return {
    level: 'WARN',
    outcome: 'Shortened',
    recordType: type,
    recordId: subject.id,
    recordName: subject.name,
    message: `${type} ${subject.name} adjusted for QuickBooks: ${changes.join('; ')}.`,
  };
}

/** Values that are legal but unusual (a zero price, a zero total): exported, and said. */
export function dataWarning(kind: RecordKind, subject: Subject, warnings: string[]): LogEntry {
  const type = recordType(kind);
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: type,
    recordId: subject.id,
    recordName: subject.name,
    message: `${type} ${subject.name} goes to QuickBooks as it is, but check it: ${warnings.join('; ')}.`,
    fix: 'If that is not intended, correct it in QuickBooks (or void it there and export a corrected invoice).',
  };
}

/** A name match between two customers whose emails differ. */
export function emailsDiffer(subject: Subject, targetId: string | undefined, matchedName: string, sourceEmail: string, otherEmail: string): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Customer',
    recordId: subject.id,
    recordName: subject.name,
    targetId,
    message: `Customer ${subject.name} (${sourceEmail}) was matched by name to "${matchedName}", whose email is ${otherEmail}: check that they are the same customer.`,
    fix: 'If they are different customers, set the Company’s Customer Matching to "Never match across different emails", clear this customer’s QuickBooks link and export again.',
  };
}

// ------------------------------------------------------------------ refused and failed

export function fixFor(fault: FaultClass | undefined, kind: RecordKind): string {
  const what = recordType(kind).toLowerCase();
  switch (fault) {
    case 'duplicateName':
      return `Another QuickBooks customer, vendor or employee already uses this name. Rename the ${what} in Salesforce (or the other record in QuickBooks) and export again.`;
    case 'duplicateNumber':
      return 'Change the Company’s Invoice Number Prefix or Suffix so Salesforce numbers cannot collide with QuickBooks numbers (or renumber the existing QuickBooks invoice), then export again.';
    case 'inactiveReference':
      return `A record this ${what} refers to is inactive or deleted in QuickBooks. Make it active in QuickBooks (Lists) or point the Company settings at an active one, then export again.`;
    case 'invalidReference':
      return `A record this ${what} refers to does not exist in QuickBooks. Check the Company's QuickBooks account and item settings, then export again.`;
    case 'tooLong':
      return `A value of this ${what} is longer than QuickBooks allows. Shorten it in Salesforce and export again.`;
    case 'requiredMissing':
      return `A field QuickBooks requires is empty on this ${what}. Fill it in Salesforce and export again.`;
    case 'amountMismatch':
      return 'A line amount does not equal quantity × unit price. Correct the line in Salesforce and export again.';
    case 'businessRule':
      return `QuickBooks rejected this ${what} for a business rule (see the message). Correct the data and export again.`;
    case 'staleObject':
      return `Someone changed this ${what} in QuickBooks at the same time. Export again.`;
    case 'transient':
    case 'throttled':
      return 'QuickBooks did not answer in time. Export again: nothing is created twice.';
    default:
      return `Correct the ${what} as the QuickBooks message says and export again.`;
  }
}

function faultFacts(fault: TargetFault | undefined): Pick<LogEntry, 'traceId' | 'httpStatus'> {
  return { traceId: fault?.traceId ?? undefined, httpStatus: fault?.httpStatus || undefined };
}

/** A customer, item, payment… QuickBooks refused to create. */
export function createRefused(kind: RecordKind, subject: Subject, fault: TargetFault | undefined): LogEntry {
  const type = recordType(kind);
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: type,
    recordId: subject.id,
    recordName: subject.name,
    message: `${type} ${subject.name} could not be created in QuickBooks: ${fault?.message ?? 'QuickBooks gave no answer for it'}.`,
    fix: fixFor(fault?.class, kind),
    ...faultFacts(fault),
  };
}

/** A record that cannot go for a reason Ledgerline found before sending (the fix says what to change). */
export function notExportable(kind: RecordKind, subject: Subject, message: string, fix: string): LogEntry {
  return { level: 'ERROR', outcome: 'Error', recordType: recordType(kind), recordId: subject.id, recordName: subject.name, message, fix };
}

/** An invoice QuickBooks refused. */
export function invoiceRefused(subject: Subject, fault: TargetFault | undefined): LogEntry {
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Invoice',
    recordId: subject.id,
    recordName: subject.name,
    message: `Invoice ${subject.name} was not exported: ${fault?.message ?? 'QuickBooks gave no answer for it'}`,
    fix: fixFor(fault?.class, 'invoice'),
    ...faultFacts(fault),
  };
}

/** The invoice's number is already used by another QuickBooks invoice. */
export function numberTaken(subject: Subject, docNumber: string | null, otherId?: string, fault?: TargetFault): LogEntry {
  const other = otherId ? ` (QuickBooks invoice Id ${otherId})` : '';
  const detail = fault && fault.message ? ` ${fault.message}` : '';
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Invoice',
    recordId: subject.id,
    recordName: subject.name,
    message: `Invoice ${subject.name} was not exported: QuickBooks already has an invoice numbered ${docNumber ?? '(this number)'}${other}.${detail}`,
    fix: fixFor('duplicateNumber', 'invoice'),
    ...faultFacts(fault),
  };
}

export function writeBackRefused(kind: RecordKind, subject: Subject, targetId: string | undefined, reason: string): LogEntry {
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: recordType(kind),
    recordId: subject.id,
    recordName: subject.name,
    targetId,
    message: `Salesforce refused to save the QuickBooks link on ${subject.name}: ${reason}.`,
    fix: 'Correct the record so it can be saved (the message names the rule), then export again: QuickBooks already has it, so nothing will be created twice.',
  };
}

export function totalDiffers(subject: Subject, targetId: string, targetTotal: number, sourceTotal: number): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Invoice',
    recordId: subject.id,
    recordName: subject.name,
    targetId,
    message: `Invoice ${subject.name}: QuickBooks total ${targetTotal.toFixed(2)} differs from the Salesforce total ${sourceTotal.toFixed(2)}.`,
    fix: 'Compare the lines, charges, discount and tax of both invoices (QuickBooks may have calculated tax itself) and correct the one that is wrong.',
  };
}

// ------------------------------------------------------------------ the run

export function customNumbersOff(quickBooksCompany: string): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Run',
    recordName: quickBooksCompany,
    message:
      'QuickBooks has Custom transaction numbers turned off, so it assigns its own invoice numbers and ignores the Salesforce numbers. ' +
      'Each invoice keeps its Salesforce number in the QuickBooks memo, and the number QuickBooks gave is written back to Salesforce.',
    fix: 'To keep Salesforce numbers, turn on Custom transaction numbers in QuickBooks (Account and Settings > Sales > Sales form content), then export the next invoices.',
  };
}

export type NotSelectedReason = 'unknown' | 'otherCompany' | 'notApproved' | 'transferred' | 'outsideDates';

/** An invoice number the export was asked for that it could not export. */
export function requestedNotExported(
  number: string,
  reason: NotSelectedReason,
  companyName: string,
  recordId?: string,
  dates: { fromDate?: string; toDate?: string } = {},
): LogEntry {
  const range = `${dates.fromDate ?? '…'} to ${dates.toDate ?? '…'}`;
  const text: Record<NotSelectedReason, [string, string, Level, Outcome]> = {
    outsideDates: [`its invoice date is outside the requested dates (${range})`, 'Widen the date range, or export it by number alone.', 'WARN', 'Skipped'],
    unknown: [`no Sales Invoice has this number`, 'Check the number (and its prefix) and export again.', 'ERROR', 'Error'],
    otherCompany: [`it belongs to another Company than ${companyName}`, 'Export it from the Company it belongs to.', 'ERROR', 'Error'],
    notApproved: ['it is not approved', 'Approve the Sales Invoice, then export it again.', 'WARN', 'Skipped'],
    transferred: [
      'it was already transferred to QuickBooks',
      'No action needed: it is in QuickBooks. To send it again, clear Transferred and its QuickBooks link first.',
      'WARN',
      'Skipped',
    ],
  };
  const [why, fix, level, outcome] = text[reason];
  return { level, outcome, recordType: 'Invoice', recordId, recordName: number, message: `Invoice ${number} was not exported: ${why}.`, fix };
}

/** A payment whose invoice is not in the accounting system yet: the run after the invoice's sends it. */
export function paymentWaits(subject: Subject, message: string): LogEntry {
  return { level: 'INFO', outcome: 'Skipped', recordType: 'Payment', recordId: subject.id, recordName: subject.name, message };
}

/** An invoice taken back from the queue (un-pended) before the accounting system took it. */
export function unpended(subject: Subject): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Skipped',
    recordType: 'Invoice',
    recordId: subject.id,
    recordName: subject.name,
    message: `Invoice ${subject.name} was taken off the queue (un-pended) before QuickBooks took it, so it was not sent.`,
    fix: 'Export it again when it is ready.',
  };
}

/** What an export that was cut off (its process died) had done, and what to do. */
export function interruptedText(counts: Partial<RunCounts>): string {
  const c = { ...emptyCounts(), ...counts };
  return (
    `The export was interrupted (the service running it stopped) after it had created ${c.created}, matched ${c.matched} and ` +
    `refused ${c.errors} record${c.errors === 1 ? '' : 's'}. Export again to finish it: what QuickBooks already has is recognised and nothing is created twice.`
  );
}

export function runInterrupted(companyName: string, message: string): LogEntry {
  return { level: 'ERROR', outcome: 'Error', recordType: 'Run', recordName: companyName, message, fix: 'Export again.' };
}

/** A run paused because the org's daily API allowance is nearly spent. */
export function allowancePause(allowance: string): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Run',
    message: `The export paused: Salesforce's daily API allowance is nearly spent (${allowance}). It goes on by itself when more calls are available.`,
    fix: 'No action needed. To finish sooner, stop other integrations that call the org, or ask Salesforce for a higher limit.',
  };
}

export function runStopped(companyName: string, message: string, fault?: TargetFault): LogEntry {
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Run',
    recordName: companyName,
    message,
    fix: 'Export again: records already in QuickBooks are recognised and not created twice. If it keeps failing, send this log to your administrator.',
    ...faultFacts(fault),
  };
}

export function unauthorized(companyName: string, sentence: string, fix: string): LogEntry {
  return { level: 'ERROR', outcome: 'Error', recordType: 'Run', recordName: companyName, message: sentence, fix, httpStatus: 401 };
}

export type RunStatus = 'succeeded' | 'completed_with_errors' | 'failed';

export function summaryText(companyName: string, dryRun: boolean, status: RunStatus, counts: RunCounts, error: string | null, plan?: PlanTotals): string {
  const c = counts;
  let tally = `Created ${c.created}, matched ${c.matched}, renamed ${c.renamed}, skipped ${c.skipped}, warnings ${c.warnings}, errors ${c.errors}.`;
  if (dryRun && plan) {
    const sum = (k: keyof KindTotals) => plan.customers[k] + plan.products[k] + plan.invoices[k] + plan.payments[k];
    tally = `Would create ${sum('create')}, match ${sum('match')}, rename ${sum('rename')}, fail ${sum('fail')}; warnings ${c.warnings}.`;
  }
  return [`${dryRun ? 'Dry run' : 'Export'} for ${companyName}: ${status.replace(/_/g, ' ')}.`, tally, error ?? ''].filter(Boolean).join(' ');
}

export function summary(companyName: string, dryRun: boolean, status: RunStatus, counts: RunCounts, error: string | null, plan?: PlanTotals): LogEntry {
  return {
    level: status === 'failed' ? 'ERROR' : counts.errors ? 'WARN' : 'INFO',
    outcome: 'Summary',
    recordType: 'Run',
    recordName: companyName,
    message: summaryText(companyName, dryRun, status, counts, error, plan),
  };
}
