// What one Web Connector session did, in words an admin reads in the Web Connector: "Sent 8 invoices and
// 3 payments to QuickBooks; 0 errors." Pure: a tally folded from QuickBooks' answers, and its sentence.
import { isQueryOk, UNSURE } from './faults';
import { parseResponse } from './qbxml';

export interface Tally {
  /** Records QuickBooks saved, by the noun an admin knows. */
  sent?: Record<string, number>;
  /** Statuses that were errors, and whole messages QuickBooks could not read. */
  errors?: number;
}

const NAME_IN_USE = 3100;

/** Add answers by the noun of what they add (the order is the order of the sentence). */
const NOUNS: [RegExp, string, string][] = [
  [/^InvoiceAddRs$/, 'invoice', 'invoices'],
  [/^CreditMemoAddRs$/, 'credit memo', 'credit memos'],
  [/^SalesReceiptAddRs$/, 'sales receipt', 'sales receipts'],
  [/^ReceivePaymentAddRs$/, 'payment', 'payments'],
  [/^CustomerAddRs$/, 'customer', 'customers'],
  [/^Item\w*AddRs$/, 'item', 'items'],
];

/** The tally after one answer of the session. */
export function tallyAnswer(tally: Tally, answer: { xml: string } | { refused: true }): Tally {
  const sent = { ...(tally.sent ?? {}) };
  let errors = tally.errors ?? 0;
  if ('refused' in answer) return { sent, errors: errors + 1 };
  let answers: ReturnType<typeof parseResponse>;
  try {
    answers = parseResponse(answer.xml);
  } catch {
    return { sent, errors: errors + 1 };
  }
  for (const a of answers) {
    const noun = NOUNS.find(([rs]) => rs.test(a.rs));
    if (noun && a.statusCode === 0) sent[noun[1]] = (sent[noun[1]] ?? 0) + 1;
    // A name in use (renamed and sent again) and statuses Ledgerline looks up before resending are not errors here.
    else if (a.statusCode !== NAME_IN_USE && !UNSURE.has(a.statusCode) && (noun || !isQueryOk(a.statusCode))) errors++;
  }
  return { sent, errors };
}

/** "Sent 8 invoices, 1 credit memo and 4 payments to QuickBooks; 0 errors." (and what waits for the next run). */
export function closingWords(tally: Tally, waiting: number): string {
  const parts = NOUNS.flatMap(([, one, many]) => {
    const n = tally.sent?.[one] ?? 0;
    return n ? [`${n} ${n === 1 ? one : many}`] : [];
  });
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  const errors = tally.errors ?? 0;
  const sentence = `${list ? `Sent ${list} to QuickBooks` : 'Nothing new for QuickBooks'}; ${errors} error${errors === 1 ? '' : 's'}.`;
  const errorHint = errors ? ' The Process Log in Salesforce names each record and the fix.' : '';
  const waitingHint = waiting ? ` ${waiting} request${waiting === 1 ? '' : 's'} wait for the next run.` : '';
  return `${sentence}${errorHint}${waitingHint}`;
}
