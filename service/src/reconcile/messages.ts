// Every sentence a reconciliation shows: the cause of a difference (where the journal or the export knows it) and
// the fix, each naming the records.
import type { JournalFact, SourceDocument, TargetDocument, TargetForm } from './model';

interface Said {
  cause: string;
  fix: string;
}

const FORM_WORDS: Record<TargetForm, string> = { invoice: 'invoice', creditMemo: 'credit memo', salesReceipt: 'sales receipt' };

const inQuickBooks = (t: Pick<TargetDocument, 'form' | 'id' | 'number'>) => `QuickBooks ${FORM_WORDS[t.form]} ${t.number ?? '(no number)'} (Id ${t.id})`;
const money = (v: number | null) => (v === null ? 'no total' : v.toFixed(2));
/** A message as a sentence, to put another after it. */
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** The export's last error on a record is kept as "message\nFix: fix". */
export function splitExportError(text: string): { message: string; fix: string | null } {
  const at = text.indexOf('\nFix:');
  if (at < 0) return { message: text.trim(), fix: null };
  return { message: text.slice(0, at).trim(), fix: text.slice(at + 5).trim() || null };
}

export function missingInQuickBooks(s: SourceDocument, fact: JournalFact | undefined, holder: TargetDocument | undefined): Said {
  const held = holder ? ` ${inQuickBooks(holder)} holds its number and is another document (it does not carry this invoice's marker).` : '';
  if (fact && (fact.state === 'pending' || fact.state === 'sent')) {
    return {
      cause: `An export was sending Sales Invoice ${s.number} when it stopped; QuickBooks' answer was never received.${held}`,
      fix: 'Export again: what QuickBooks saved is found, and nothing is created twice.',
    };
  }
  if (s.lastError) {
    const { message, fix } = splitExportError(s.lastError);
    return { cause: `${sentence(message)}${held}`, fix: fix ?? `Correct Sales Invoice ${s.number} as the message says, then export again.` };
  }
  if (fact?.error) return { cause: `${sentence(fact.error)}${held}`, fix: `Correct Sales Invoice ${s.number} as the message says, then export again.` };
  return {
    cause: `Sales Invoice ${s.number} is approved but has not been exported yet.${held}`,
    fix: holder
      ? `Change the company's Invoice Number Prefix or Suffix (or the invoice's number in QuickBooks), then export Sales Invoice ${s.number}.`
      : `Export it from the Sales Invoice Export page (or npm run export -- --invoices ${s.number}).`,
  };
}

export function missingInSalesforce(t: TargetDocument, deletedSource: string | null): Said {
  if (deletedSource) {
    return {
      cause: `${inQuickBooks(t)} was exported from Salesforce record ${deletedSource}, which Salesforce no longer holds (deleted there).`,
      fix: `Void ${FORM_WORDS[t.form]} ${t.number ?? t.id} in QuickBooks if the sale was cancelled; otherwise enter it again in the ERP.`,
    };
  }
  return {
    cause: `${inQuickBooks(t)} was entered in QuickBooks, not exported from Salesforce: no Sales Invoice links to it.`,
    fix: `Enter the sale in the ERP if it stands (it then reaches Salesforce), or void ${FORM_WORDS[t.form]} ${t.number ?? t.id} in QuickBooks if it was entered by mistake.`,
  };
}

export function deleted(s: SourceDocument, targetId: string): Said {
  return {
    cause: `Sales Invoice ${s.number} was exported as QuickBooks ${FORM_WORDS[s.kind === 'creditMemo' ? 'creditMemo' : 'invoice']} Id ${targetId}, which QuickBooks no longer holds: it was deleted in QuickBooks.`,
    fix: `If the sale stands, clear Transferred and Financial System Invoice Id on Sales Invoice ${s.number} and export it again; if it was cancelled, cancel it in the ERP too.`,
  };
}

export function voided(s: SourceDocument, t: TargetDocument): Said {
  return {
    cause: `${inQuickBooks(t)} was voided in QuickBooks; Sales Invoice ${s.number} still counts ${money(s.total)}.`,
    fix: `If the sale was cancelled, cancel Sales Invoice ${s.number} in the ERP (a credit memo); if not, enter it again in QuickBooks.`,
  };
}

export function amount(s: SourceDocument, t: TargetDocument): Said {
  return {
    cause: `${inQuickBooks(t)} totals ${money(t.total)}, Sales Invoice ${s.number} ${money(s.total)}: it was changed in QuickBooks after the export (or QuickBooks computed its tax otherwise).`,
    fix: `Correct the ${FORM_WORDS[t.form]} in QuickBooks to ${money(s.total)}, or, if QuickBooks is right, record the difference in the ERP (Sales Invoice ${s.number} is locked once exported).`,
  };
}

export function date(s: SourceDocument, t: TargetDocument): Said {
  return {
    cause: `${inQuickBooks(t)} is dated ${t.date}, Sales Invoice ${s.number} ${s.date}: the date was changed in QuickBooks after the export.`,
    fix: `Set the ${FORM_WORDS[t.form]}'s date in QuickBooks back to ${s.date} (the period it is booked in depends on it).`,
  };
}

export function customer(s: SourceDocument, t: TargetDocument): Said {
  return {
    cause: `${inQuickBooks(t)} is billed to QuickBooks customer ${t.customerId}; Sales Invoice ${s.number}'s customer is QuickBooks customer ${s.customerTargetId}.`,
    fix: `Change the ${FORM_WORDS[t.form]}'s customer in QuickBooks back to customer ${s.customerTargetId}, or correct the customer's link in Salesforce.`,
  };
}

export function twoDocuments(s: SourceDocument, first: TargetDocument, second: TargetDocument): Said {
  return {
    cause: `Sales Invoice ${s.number} is in QuickBooks twice: ${inQuickBooks(first)} and ${inQuickBooks(second)} both belong to it.`,
    fix: `Void or delete ${inQuickBooks(s.targetId === second.id ? first : second)} in QuickBooks (Salesforce links to the other).`,
  };
}

export function twoInvoices(first: SourceDocument, second: SourceDocument, t: TargetDocument): Said {
  return {
    cause: `Sales Invoices ${first.number} and ${second.number} both link to ${inQuickBooks(t)}.`,
    fix: `Clear Financial System Invoice Id and Transferred on the one that is not ${FORM_WORDS[t.form]} ${t.number ?? t.id}, then export it.`,
  };
}
