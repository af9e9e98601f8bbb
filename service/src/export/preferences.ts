// The accounting company's preferences a run depends on, checked from the one read the run makes of them (at its
// start) and from what each created invoice comes back with — nothing is read back. QuickBooks' "Custom transaction
// numbers" has been seen to switch itself on or off after QuickBooks updates its layouts: when the numbering the run
// planned no longer holds, the invoice phase stops instead of creating invoices with wrong or empty numbers.
import { LedgerlineError } from '../errors';
import * as entry from './entries';
import type { CompanyModel } from './model';
import type { CreatedRecord, TargetSettings } from './target';

/** How a created invoice's number departs from the plan: replaced by another, or left empty. */
export type NumberingChange = 'replaced' | 'missing';

/** Pure: whether the number the target gave fits the number sent (null: the target was to number it itself). */
export function numberingChange(sent: string | null, record: Pick<CreatedRecord, 'number'>): NumberingChange | null {
  if (record.number === undefined) return null; // the target did not say
  if (sent !== null) return record.number === sent ? null : 'replaced';
  return record.number ? null : 'missing';
}

/** The invoice phase stops: the company's numbering preference changed during the run. */
export class NumberingChanged extends LedgerlineError {
  constructor(readonly change: NumberingChange) {
    super('NUMBERING_CHANGED', 'QuickBooks no longer numbers invoices the way this export planned.', { status: 409 });
    this.name = 'NumberingChanged';
  }
}

/** Watches the invoices a run creates for a numbering change; once one is seen, the phase stops at its next step. */
export class NumberingWatch {
  change: NumberingChange | null = null;

  /** Entries about this invoice's number, and remembers a change. */
  check(subject: entry.Subject, sent: string | null, record: CreatedRecord): entry.LogEntry[] {
    const change = numberingChange(sent, record);
    if (!change) return [];
    this.change ??= change;
    return [entry.numberNotKept(subject, record, sent)];
  }

  /** Throws once a change was seen (the pipeline's checkpoint: nothing more is sent). */
  assertHeld(): void {
    if (this.change) throw new NumberingChanged(this.change);
  }
}

/** What the preferences read at the start of a run mean for it, said once in its Process Log. */
export function preferenceNotes(company: CompanyModel, settings: TargetSettings): entry.LogEntry[] {
  const name = settings.companyName ?? company.name;
  const notes: entry.LogEntry[] = [];
  if (!settings.customNumbers && company.numbering === 'source') notes.push(entry.customNumbersOff(name));
  if (settings.automatedSalesTax) notes.push(entry.automatedSalesTax(name, company.salesTaxOverride === true));
  return notes;
}
