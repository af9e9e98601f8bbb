// Entries about the run as a whole: its settings, what was asked for and not exported, pauses, stops and the summary.
import type { KindTotals, PlanTotals } from '../plan/decision';
import type { TargetFault } from '../target';
import { aboutRecord, faultFacts, emptyCounts, sentence, type Level, type Outcome, type LogEntry, type RunCounts, type Subject } from './entry';

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

/**
 * QuickBooks computes sales tax itself (Automated Sales Tax): each invoice whose tax then differs is named, or — with
 * the Company's override — Salesforce's tax is sent and kept.
 */
export function automatedSalesTax(quickBooksCompany: string, override = false): LogEntry {
  return {
    level: override ? 'INFO' : 'WARN',
    outcome: override ? 'Summary' : 'Warning',
    recordType: 'Run',
    recordName: quickBooksCompany,
    message: override
      ? 'QuickBooks has Automated Sales Tax turned on; this Company overrides it, so each invoice is sent with its Salesforce tax, which QuickBooks keeps.'
      : 'QuickBooks has Automated Sales Tax turned on, so it calculates the tax of each invoice itself from the ship-to address instead of taking the tax from Salesforce. ' +
        'An invoice whose QuickBooks tax differs from Salesforce’s by a cent or more is named in this log.',
    fix: override
      ? undefined
      : 'No action needed if QuickBooks’ tax is the one you want. To keep Salesforce’s tax instead, turn on Override QuickBooks Sales Tax on the Company.',
  };
}

/** The invoice phase stopped: Custom transaction numbers changed in QuickBooks during the export. */
export function numberingChanged(quickBooksCompany: string, change: 'replaced' | 'missing'): LogEntry {
  const what =
    change === 'replaced'
      ? 'QuickBooks stopped keeping the invoice numbers sent from Salesforce and gave its own: Custom transaction numbers was turned off in QuickBooks during this export'
      : 'QuickBooks created an invoice without a number: Custom transaction numbers was turned on in QuickBooks during this export, and QuickBooks left the number empty';
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Run',
    recordName: quickBooksCompany,
    message: `The invoices stopped here: ${what}. No more invoices were sent, so none more get a wrong or empty number; the invoices already created are named in this log.`,
    fix:
      change === 'replaced'
        ? 'In QuickBooks, turn Custom transaction numbers back on (Account and Settings > Sales > Sales form content), correct the numbers of the invoices named above, then export again.'
        : 'In QuickBooks, turn Custom transaction numbers off (Account and Settings > Sales > Sales form content) or set the Company to Salesforce numbering, give the invoices named above a number, then export again.',
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
      // Re-sending would duplicate it: a change made since is what an export sends or warns about.
      'No action needed: it is in QuickBooks. A change made to it in Salesforce since its export is found by every export, which warns or updates QuickBooks as the Company\'s "When an exported invoice changes" says.',
      'WARN',
      'Skipped',
    ],
  };
  const [why, fix, level, outcome] = text[reason];
  return { level, outcome, recordType: 'Invoice', recordId, recordName: number, message: sentence(`Invoice ${number} was not exported: ${why}`), fix };
}

/** A payment whose invoice is not in the accounting system yet: the run after the invoice's sends it. */
export function paymentWaits(subject: Subject, message: string): LogEntry {
  return aboutRecord('payment', subject, {
    level: 'INFO',
    outcome: 'Skipped',
    message,
    fix: 'No action needed if the invoice is exported in this run or the next: the payment follows it. If the invoice failed, fix it (see its entry) and export again.',
  });
}

/** An invoice taken back from the queue (un-pended) before the accounting system took it. */
export function unpended(subject: Subject): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Skipped',
    message: `Invoice ${subject.name} was taken off the queue (un-pended) before QuickBooks took it, so it was not sent.`,
    fix: 'Export it again when it is ready.',
  });
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

export function runStopped(companyName: string, message: string, fault?: TargetFault, fix?: string): LogEntry {
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Run',
    recordName: companyName,
    message,
    fix: fix ?? 'Export again: records already in QuickBooks are recognised and not created twice. If it keeps failing, send this log to your administrator.',
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
