// Entries about one record: matched, created, changed to fit, refused or failed.
import type { RecordKind } from '../model';
import type { Capability, CreatedRecord, FaultClass, TargetFault } from '../target';
import { aboutRecord, faultFacts, recordType, TARGET_NOUN, type LogEntry, type Subject } from './entry';

/** How a record was matched to one the accounting system already holds. */
export type MatchHow =
  | { by: 'email' | 'name' | 'companyCity' | 'sku' | 'itemName'; ambiguous?: boolean }
  | { by: 'earlierExport' }
  | { by: 'marker' }
  | { by: 'reference' }
  | { by: 'receipt' }
  | { by: 'sameRun'; firstName: string };

const MATCH_WORDS: Record<string, string> = {
  email: 'by email',
  name: 'by display name',
  companyCity: 'by company name and city',
  sku: 'by SKU',
  itemName: 'by item name',
  earlierExport: 'created by an earlier export',
  marker: 'found in QuickBooks by its Ledgerline marker after an interrupted export',
  reference: 'by its reference, customer, invoice, amount and date (created by an earlier export)',
  receipt: 'as the sales receipt its invoice went to QuickBooks as',
};

export function matchWords(how: MatchHow): string {
  if (how.by === 'sameRun') return `as the ${how.firstName === '' ? 'record' : `record "${how.firstName}"`} created in this export`;
  const ambiguous = 'ambiguous' in how && how.ambiguous ? ' (several fitted; the oldest was used)' : '';
  return `${MATCH_WORDS[how.by]}${ambiguous}`;
}

export function matched(kind: RecordKind, subject: Subject, targetId: string, how: MatchHow): LogEntry {
  const type = recordType(kind);
  return aboutRecord(kind, subject, {
    level: 'INFO',
    outcome: 'Matched',
    targetId,
    message: `${type} ${subject.name} matched QuickBooks ${TARGET_NOUN[kind]} ${targetId} ${matchWords(how)}.`,
  });
}

/** `detail` adds a clause before the full stop (e.g. the home-currency amount). */
export function created(kind: RecordKind, subject: Subject, record: CreatedRecord, noun = TARGET_NOUN[kind], detail = ''): LogEntry {
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
  return aboutRecord(kind, subject, {
    level: 'INFO',
    outcome: 'Created',
    targetId: record.id,
    message: `${type} ${subject.name} created in QuickBooks (Id ${record.id})${how}${detail}.`,
  });
}

/** A payment taken at the till: it went to QuickBooks inside its invoice's sales receipt. */
export function paidByReceipt(subject: Subject, receiptId: string): LogEntry {
  return aboutRecord('payment', subject, {
    level: 'INFO',
    outcome: 'Matched',
    targetId: receiptId,
    message: `Payment ${subject.name} is in QuickBooks as part of sales receipt ${receiptId}: its invoice was paid in full at the sale.`,
  });
}

// ------------------------------------------------------------------ changed to fit

export type RenameReason = 'reserved' | 'emailDiffers';

/** A customer created (or, in a dry run, to be created) under another name. */
export function renamed(subject: Subject, from: string, to: string, reason: RenameReason, targetId?: string): LogEntry {
  const why =
    reason === 'reserved'
      ? `a QuickBooks vendor, employee or customer already uses "${from}"`
      : `a QuickBooks customer already named "${from}" has another email, and this Company never matches customers across different emails`;
  return aboutRecord('customer', subject, {
    level: 'WARN',
    outcome: 'Renamed',
    targetId,
    message: targetId
      ? `Customer "${from}" was created in QuickBooks as "${to}" because ${why}.`
      : `Customer "${from}" would be created in QuickBooks as "${to}" because ${why}.`,
    fix: targetId ? 'No action needed. To use another name, rename the customer in QuickBooks; Ledgerline keeps the link by Id.' : undefined,
  });
}

/** A product created (or, in a dry run, to be created) under `Name (SKU)`: an item with another SKU has its name. */
export function productRenamed(subject: Subject, d: { from: string; to: string; sku: string; otherSku: string }, targetId?: string): LogEntry {
  const other = d.otherSku ? `SKU ${d.otherSku}` : 'no SKU';
  const why = `QuickBooks item "${d.from}" has ${other} and this product has SKU ${d.sku}: different SKUs are different products`;
  return aboutRecord('product', subject, {
    level: 'WARN',
    outcome: 'Renamed',
    targetId,
    message: targetId
      ? `Product "${d.from}" was created in QuickBooks as "${d.to}" because ${why}.`
      : `Product "${d.from}" would be created in QuickBooks as "${d.to}" because ${why}.`,
    fix: 'No action needed if they are different products. If they are one product, give both the same SKU in Salesforce (and make the QuickBooks items one).',
  });
}

/** Values Ledgerline changed to fit the accounting system (each change named). */
export function shortened(kind: RecordKind, subject: Subject, changes: string[]): LogEntry {
  const type = recordType(kind);
  return aboutRecord(kind, subject, {
    level: 'WARN',
    outcome: 'Shortened',
    message: `${type} ${subject.name} adjusted for QuickBooks: ${changes.join('; ')}.`,
  });
}

/** Values that are legal but unusual (a zero price, a zero total): exported, and said. */
export function dataWarning(kind: RecordKind, subject: Subject, warnings: string[]): LogEntry {
  const type = recordType(kind);
  return aboutRecord(kind, subject, {
    level: 'WARN',
    outcome: 'Warning',
    message: `${type} ${subject.name} goes to QuickBooks as it is, but check it: ${warnings.join('; ')}.`,
    fix: 'If that is not intended, correct it in QuickBooks (or void it there and export a corrected invoice).',
  });
}

/** A name match between two customers whose emails differ. */
export function emailsDiffer(subject: Subject, targetId: string | undefined, matchedName: string, sourceEmail: string, otherEmail: string): LogEntry {
  return aboutRecord('customer', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Customer ${subject.name} (${sourceEmail}) was matched by name to "${matchedName}", whose email is ${otherEmail}: check that they are the same customer.`,
    fix: 'If they are different customers, set the Company’s Customer Matching to "Never match across different emails", clear this customer’s QuickBooks link and export again.',
  });
}

/** A payment whose reference another payment of its invoice already has: it goes under a numbered form of it. */
export function referenceReused(subject: Subject, d: { reference: string; invoiceNumber: string; other: string; sentAs: string }): LogEntry {
  return aboutRecord('payment', subject, {
    level: 'WARN',
    outcome: 'Warning',
    message: `Payment ${subject.name} (${d.reference}) on invoice ${d.invoiceNumber} has the reference of ${d.other}, so it goes to QuickBooks as ${d.sentAs}: each Salesforce payment has its own QuickBooks payment.`,
    fix: 'No action needed if they are two payments. If one payment was entered twice in Salesforce, delete the duplicate there and void its QuickBooks payment.',
  });
}

/** A customer matched by email while another QuickBooks customer has its name: both candidates named. */
export function nameElsewhere(subject: Subject, d: { email: string; targetId: string; name: string; other: { targetId: string; name: string } }): LogEntry {
  return aboutRecord('customer', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId: d.targetId,
    message: `Customer ${subject.name} (${d.email}) was matched by email to QuickBooks customer ${d.targetId} "${d.name}", but QuickBooks customer ${d.other.targetId} "${d.other.name}" has its name: check that the right one was linked.`,
    fix: `If it is QuickBooks customer ${d.other.targetId}, correct the email in Salesforce or QuickBooks so they agree, clear this customer's QuickBooks link and export again.`,
  });
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

/** A customer, item, payment… QuickBooks refused to create. */
export function createRefused(kind: RecordKind, subject: Subject, fault: TargetFault | undefined): LogEntry {
  const type = recordType(kind);
  return aboutRecord(kind, subject, {
    level: 'ERROR',
    outcome: 'Error',
    message: `${type} ${subject.name} could not be created in QuickBooks: ${fault?.message ?? 'QuickBooks gave no answer for it'}.`,
    fix: fixFor(fault?.class, kind),
    ...faultFacts(fault),
  });
}

/** A record that cannot go for a reason Ledgerline found before sending (the fix says what to change). */
export function notExportable(kind: RecordKind, subject: Subject, message: string, fix: string): LogEntry {
  return aboutRecord(kind, subject, { level: 'ERROR', outcome: 'Error', message, fix });
}

/** An invoice QuickBooks refused. */
export function invoiceRefused(subject: Subject, fault: TargetFault | undefined): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'ERROR',
    outcome: 'Error',
    message: `Invoice ${subject.name} was not exported: ${fault?.message ?? 'QuickBooks gave no answer for it'}`,
    fix: fixFor(fault?.class, 'invoice'),
    ...faultFacts(fault),
  });
}

/** The invoice's number is already used by another QuickBooks invoice. */
export function numberTaken(subject: Subject, docNumber: string | null, otherId?: string, fault?: TargetFault): LogEntry {
  const other = otherId ? ` (QuickBooks invoice Id ${otherId})` : '';
  const detail = fault && fault.message ? ` ${fault.message}` : '';
  return aboutRecord('invoice', subject, {
    level: 'ERROR',
    outcome: 'Error',
    message: `Invoice ${subject.name} was not exported: QuickBooks already has an invoice numbered ${docNumber ?? '(this number)'}${other}.${detail}`,
    fix: fixFor('duplicateNumber', 'invoice'),
    ...faultFacts(fault),
  });
}

/** An invoice QuickBooks created with another number than planned (its numbering preference changed mid-run). */
export function numberNotKept(subject: Subject, record: CreatedRecord, sent: string | null): LogEntry {
  const got = record.number ? `number ${record.number}` : 'no number';
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId: record.id,
    message:
      sent !== null
        ? `Invoice ${subject.name} was created in QuickBooks (Id ${record.id}) with ${got} instead of ${sent}: QuickBooks no longer keeps the numbers it is sent.`
        : `Invoice ${subject.name} was created in QuickBooks (Id ${record.id}) with ${got}: QuickBooks no longer numbers the invoices it is sent.`,
    fix: `Open QuickBooks invoice Id ${record.id} and set its number${sent !== null ? ` to ${sent}` : ''}; it is linked to Salesforce already and is not sent again.`,
  });
}

export function writeBackRefused(kind: RecordKind, subject: Subject, targetId: string | undefined, reason: string): LogEntry {
  return aboutRecord(kind, subject, {
    level: 'ERROR',
    outcome: 'Error',
    targetId,
    message: `Salesforce refused to save the QuickBooks link on ${subject.name}: ${reason}.`,
    fix: 'Correct the record so it can be saved (the message names the rule), then export again: QuickBooks already has it, so nothing will be created twice.',
  });
}

export function totalDiffers(subject: Subject, targetId: string, targetTotal: number, sourceTotal: number): LogEntry {
  return aboutRecord('invoice', subject, {
    level: 'WARN',
    outcome: 'Warning',
    targetId,
    message: `Invoice ${subject.name}: QuickBooks total ${targetTotal.toFixed(2)} differs from the Salesforce total ${sourceTotal.toFixed(2)}.`,
    fix: 'Compare the lines, charges, discount and tax of both invoices (QuickBooks may have calculated tax itself) and correct the one that is wrong.',
  });
}

const CAPABILITY_WORDS: Record<Capability, { plural: string; fix: string }> = {
  payment: { plural: 'Payments', fix: 'Record the payment in QuickBooks by hand, or export it once Ledgerline supports payments there.' },
  creditMemo: { plural: 'Credit memos', fix: 'Enter the credit memo in QuickBooks by hand, or export it once Ledgerline supports credit memos there.' },
  salesReceipt: { plural: 'Sales receipts', fix: 'No action needed: it goes as an invoice and its payments.' },
  creditApplication: {
    plural: 'Applications of a credit memo to an invoice',
    fix: 'Apply the credit to the invoice in QuickBooks by hand (Receive Payments), or export it once Ledgerline supports it there.',
  },
};

/** A record the accounting system does not take (the target declares it), so it is not sent. */
export function notSupported(kind: RecordKind, subject: Subject, capability: Capability, system: string): LogEntry {
  const words = CAPABILITY_WORDS[capability];
  return aboutRecord(kind, subject, {
    level: 'WARN',
    outcome: 'Skipped',
    message: `${recordType(kind)} ${subject.name} was not exported: ${words.plural.toLowerCase()} are not supported by ${system}.`,
    fix: words.fix,
  });
}
