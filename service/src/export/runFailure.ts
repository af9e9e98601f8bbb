// Why a run stopped, in the Process Log's words: the error code the API answers with, the sentence, and the entry
// that says it (with its fix). A pure decision over the error that ended the run.
import type { ErrorCode } from '../contract/errorCodes';
import { LedgerlineError, QuickBooksUnauthorizedError, errorMessage } from '../errors';
import * as entry from './entries';
import { WriteBackFailed } from './ports';
import { MappingsInvalid } from './runStart';
import { TargetError } from './target';

export interface RunFailure {
  code: ErrorCode;
  message: string;
  /** The Process Log entry that says why the run stopped. */
  entry: entry.LogEntry;
  /** Not one of the failures the product names itself: worth an error line in the service's own log. */
  unexpected: boolean;
}

export function runFailure(err: unknown, companyName: string): RunFailure {
  if (err instanceof MappingsInvalid) return { code: 'FIELD_MAPPING_INVALID', message: err.message, entry: err.entry, unexpected: false };
  if (err instanceof WriteBackFailed) {
    const message =
      `QuickBooks has what this export created, but Salesforce did not take ${err.owed} of the QuickBooks links back (${err.message}). ` +
      'They are kept, and written back by themselves once Salesforce answers again (or by the next export); nothing will be created twice.';
    return { code: 'WRITE_BACK_PENDING', message, entry: entry.runStopped(companyName, message), unexpected: false };
  }
  const fault = err instanceof TargetError ? err.fault : undefined;
  if (err instanceof QuickBooksUnauthorizedError || fault?.class === 'unauthorized') {
    const e = err instanceof QuickBooksUnauthorizedError ? err : new QuickBooksUnauthorizedError('401', err);
    return { code: e.code, message: e.message, entry: entry.unauthorized(companyName, e.message, e.fix!), unexpected: false };
  }
  const code: ErrorCode =
    err instanceof LedgerlineError
      ? err.code
      : fault
        ? fault.class === 'transient' || fault.class === 'throttled'
          ? 'QBO_UNAVAILABLE'
          : 'QBO_REFUSED'
        : 'EXPORT_FAILED';
  // An error that names its own fix (the month's QuickBooks reads are spent, say) is logged as it is.
  const own = err instanceof LedgerlineError && err.fix ? err : undefined;
  const message = own ? errorMessage(err) : `The export stopped: ${errorMessage(err)}`;
  return { code, message, entry: entry.runStopped(companyName, message, fault, own?.fix), unexpected: true };
}
