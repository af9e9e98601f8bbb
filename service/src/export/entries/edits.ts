// Entries about an exported invoice changed in Salesforce after its export: what differs, and what was done.
import type { TargetFault } from '../target';
import { aboutRecord, faultFacts, type LogEntry, type Subject } from './entry';

/** Left as it is (the company's setting is to warn): names every field that differs, with both values. */
export function editedAfterExport(subject: Subject, targetId: string, differences: string, dryRun = false): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Invoice ${subject.name} changed in Salesforce after it was exported; QuickBooks invoice ${targetId} still holds what was sent (${differences}).${dryRun ? ' An export would warn and leave QuickBooks as it is.' : ''}`,
    fix: 'Make the same change in QuickBooks, or set the Company’s "When an exported invoice changes" to "Update QuickBooks" and export again.',
  });
}

/** Sent to QuickBooks (the company's setting is to update it). */
export function updatedInQuickBooks(subject: Subject, targetId: string, differences: string, dryRun = false): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: dryRun
      ? `Invoice ${subject.name} changed in Salesforce after it was exported; an export would update QuickBooks invoice ${targetId} to match (${differences}).`
      : `Invoice ${subject.name} changed in Salesforce after it was exported; QuickBooks invoice ${targetId} was updated to match (${differences}).`,
  });
}

/** QuickBooks Desktop accepted it: it is locked there and never changed by an export. */
export function lockedInDesktop(subject: Subject, targetId: string, differences: string): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Invoice ${subject.name} differs from what QuickBooks Desktop accepted (${differences}); an invoice QuickBooks Desktop accepted is locked and is never updated by an export.`,
    fix: 'Make the change in QuickBooks Desktop, then put the Salesforce invoice back as it was sent.',
  });
}

/** The new total would fall below what is already paid on the QuickBooks invoice. */
export function editBelowPayments(subject: Subject, targetId: string, newTotal: number, paid: number, differences: string): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'ERROR',
    outcome: 'Error',
    targetId,
    message: `Invoice ${subject.name} changed in Salesforce after it was exported (${differences}), but its new total ${newTotal.toFixed(2)} is less than the ${paid.toFixed(2)} already paid on QuickBooks invoice ${targetId}; QuickBooks was not changed.`,
    fix: 'Remove or reduce the payment applied in QuickBooks (or issue a credit memo there), or correct the Salesforce invoice so its total covers what was paid; then export again.',
  });
}

/** QuickBooks refused the update (or the invoice changed there again while it was sent). */
export function editRefused(subject: Subject, targetId: string, differences: string, fault: TargetFault): LogEntry {
  const again = fault.class === 'staleObject';
  return aboutRecord('invoice', subject, {
    level: 'ERROR',
    outcome: 'Error',
    targetId,
    ...faultFacts(fault),
    message: `Invoice ${subject.name} changed in Salesforce after it was exported (${differences}), but QuickBooks did not take the update of invoice ${targetId}: ${fault.message}${fault.code ? ` (code ${fault.code})` : ''}.`,
    fix: again
      ? 'Someone changed the invoice in QuickBooks at the same moment. Export again: the change is sent once more.'
      : 'Correct what QuickBooks names (in Salesforce or QuickBooks) and export again.',
  });
}

/** An exported payment changed in the source: only warned about (QuickBooks may have deposited or reconciled it). */
export function paymentEditedAfterExport(subject: Subject, targetId: string, differences: string): LogEntry {
  return aboutRecord('payment', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Payment ${subject.name} changed in Salesforce after it was exported; QuickBooks payment ${targetId} still holds what was sent (${differences}).`,
    fix: 'Make the same change to the payment in QuickBooks (an export never changes a payment QuickBooks holds), or put the Salesforce payment back as it was sent.',
  });
}
