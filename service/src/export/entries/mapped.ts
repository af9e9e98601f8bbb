// Entries about what peers map: currencies and home amounts, sales tax QuickBooks computed, classes and locations,
// and the admin field mappings a run checks when it starts.
import type { CreatedRecord } from '../target';
import { aboutRecord, type LogEntry, type Subject } from './entry';

/** The field mappings cannot be used: the run sends nothing (one entry naming every problem). */
export function mappingsInvalid(companyName: string, problems: string[]): LogEntry {
  return {
    level: 'ERROR',
    outcome: 'Error',
    recordType: 'Run',
    recordName: companyName,
    message: `The export did not start: ${problems.length === 1 ? 'a field mapping cannot be used' : `${problems.length} field mappings cannot be used`}, so nothing was sent to QuickBooks. ${problems.join(' ')}`,
    fix: 'Correct the Ledgerline Field Mapping records named above (Setup > Custom Metadata Types > Ledgerline Field Mapping > Manage Records), or make them inactive, then export again.',
  };
}

/** ", EUR 1,200.00 at 1.08 = USD 1,296.00" for a transaction in a foreign currency; '' otherwise. */
export function homeAmounts(record: CreatedRecord, home: string): string {
  if (!record.currency || record.currency === home || typeof record.total !== 'number') return '';
  const rate = typeof record.exchangeRate === 'number' ? ` at ${record.exchangeRate}` : '';
  const homeTotal = typeof record.homeTotal === 'number' ? ` = ${home} ${record.homeTotal.toFixed(2)}` : '';
  return `; ${record.currency} ${record.total.toFixed(2)}${rate}${homeTotal}`;
}

/** US automated sales tax came out at another amount than Salesforce's. */
export function taxDiffers(subject: Subject, targetId: string, difference: string, companyName: string): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Invoice ${subject.name}: ${difference}.`,
    fix:
      `Check the ship-to address and the taxable lines. To keep Salesforce's tax in QuickBooks, turn on Override QuickBooks Sales Tax on Company "${companyName}" ` +
      'and export the next invoices; for this one, correct the tax in QuickBooks or in Salesforce.',
  });
}

/** A class or location the invoice names that the QuickBooks company does not track. */
export function untracked(subject: Subject, names: string[]): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    message: `Invoice ${subject.name} names ${names.join(' and ')}, but the QuickBooks company does not track ${names.length > 1 ? 'them' : 'it'}, so it was left off.`,
    fix: 'Turn on class or location tracking in QuickBooks (Account and Settings > Advanced > Categories) to carry it, then export the next invoices.',
  });
}

/** Classes or locations created in QuickBooks for invoices of this run. */
export function trackingCreated(list: 'class' | 'location', names: string[], dryRun: boolean): LogEntry {
  return {
    level: 'INFO',
    // A dry run creates nothing: its plan says so without counting it.
    outcome: dryRun ? 'Summary' : 'Created',
    recordType: 'Run',
    recordName: names.join(', '),
    message: `${dryRun ? 'Would create' : 'Created'} QuickBooks ${list === 'class' ? 'class' : 'location'}${names.length > 1 ? (list === 'class' ? 'es' : 's') : ''} ${names.map((n) => `"${n}"`).join(', ')} for the invoices that name ${names.length > 1 ? 'them' : 'it'}.`,
  };
}

/** A second QuickBooks customer for another currency (the documented "Name (EUR)"). */
export function secondCustomer(subject: Subject, name: string, currency: string, targetId: string | null): LogEntry {
  return aboutRecord('customer', subject, {
    level: 'INFO',
    outcome: targetId ? 'Created' : 'Summary',
    targetId: targetId ?? undefined,
    message: targetId
      ? `Customer ${subject.name} got a second QuickBooks customer "${name}" (Id ${targetId}) for its invoices in ${currency}.`
      : `Customer ${subject.name} would get a second QuickBooks customer "${name}" for its invoices in ${currency}.`,
  });
}
