// QuickBooks Desktop status codes in the engine's terms. The code and QuickBooks' own message always reach the
// Process Log; the class decides what the engine does (rename on 3100, name the field on 3070, ...).
import type { FaultClass, TargetFault } from '../../export/target';
import { UNANSWERED_STATUS, UNREADABLE_STATUS } from './answers';
import type { QbResponse } from './qbxml';

const CODE_CLASS: Record<number, FaultClass> = {
  3100: 'duplicateName', // the name is already in use (customers, vendors, employees and other names share one list)
  3070: 'tooLong',
  3140: 'invalidReference',
  3120: 'invalidReference', // object specified in the request cannot be found
  500: 'invalidReference', // (on an add) something it refers to was not found
  3200: 'staleObject', // edit sequence out of date
  3170: 'staleObject',
  3175: 'transient', // the record is in use by another user
  3176: 'transient',
  3180: 'transient', // error saving
  3231: 'transient', // not processed because of an earlier error
  3250: 'businessRule', // feature not enabled in this company file
  3260: 'unauthorized', // the application is not permitted to do this
  [UNREADABLE_STATUS]: 'transient', // an answer Ledgerline cannot read (an add without its record's id)
  [UNANSWERED_STATUS]: 'transient', // a request the answer left out
};

/** Statuses after which Ledgerline cannot know whether QuickBooks saved the record: look it up, then resend. */
export const UNSURE = new Set([3200, 3170, 3175, 3176, 3180, 3231, UNREADABLE_STATUS, UNANSWERED_STATUS]);

/** The field QuickBooks names in a 3070 message: The string "..." in the field "Name" is too long. */
export function fieldOf(message: string): string | undefined {
  return /field\s+"([^"]+)"/i.exec(message)?.[1] ?? undefined;
}

export function classify(response: Pick<QbResponse, 'statusCode' | 'statusMessage' | 'statusSeverity'>): TargetFault {
  const code = response.statusCode;
  const field = code === 3070 ? fieldOf(response.statusMessage) : undefined;
  const own = response.statusMessage || `QuickBooks status ${code}`;
  return {
    class: CODE_CLASS[code] ?? 'rejected',
    message: field ? `the field ${field} is too long for QuickBooks Desktop (QuickBooks ${code}: ${own})` : `QuickBooks ${code}: ${own}`,
    code: String(code),
    field,
  };
}

/** 0 is success; 1 (no match) and 500 (partly found) are how queries answer "nothing" or "some". */
export function isQueryOk(code: number): boolean {
  return code === 0 || code === 1 || code === 500;
}
