// Every sentence a status sync shows (the page, the API): each names the record or the company, and the fix.
import type { ErrorCode } from '../contract/errorCodes';
import { LedgerlineError, QuickBooksUnauthorizedError, SalesforceUnavailableError, UNAUTHORIZED_SENTENCE } from '../errors';
import { TargetError } from '../export/target';
import type { StatusSyncProblem } from '../store/types';

export interface SyncErrorView {
  code: ErrorCode;
  message: string;
  fix: string | null;
}

/** Why a sync stopped, as the page shows it. Nothing a sync saved is lost: the next one goes on from there. */
export function syncError(err: unknown, companyName: string): SyncErrorView {
  if (err instanceof SalesforceUnavailableError) {
    return {
      code: err.code,
      message: `${err.message} The QuickBooks changes already read for ${companyName} are kept and written at the next sync; QuickBooks is not read again for them.`,
      fix: err.fix ?? null,
    };
  }
  if (err instanceof QuickBooksUnauthorizedError) return { code: err.code, message: UNAUTHORIZED_SENTENCE, fix: err.fix ?? null };
  if (err instanceof LedgerlineError) return { code: err.code, message: err.message, fix: err.fix ?? null };
  if (err instanceof TargetError) {
    const again = `The next sync of ${companyName} asks QuickBooks for the same changes again; nothing is lost.`;
    switch (err.fault.class) {
      case 'unauthorized':
        return {
          code: 'QBO_UNAUTHORIZED',
          message: UNAUTHORIZED_SENTENCE,
          fix: 'Open QuickBooks Authentication and click Refresh Token (or Connect), then sync again.',
        };
      case 'throttled':
        return {
          code: 'QBO_THROTTLED',
          message: `QuickBooks kept refusing reads for ${companyName} (rate limit, HTTP 429). ${again}`,
          fix: 'Nothing to change: sync again in a minute.',
        };
      case 'transient':
        if (err.fault.code === 'UNREADABLE_ANSWER') {
          return {
            code: 'QBO_UNAVAILABLE',
            message: `${err.fault.message} (the changes of ${companyName}). ${again}`,
            fix: 'Sync again; if it lasts, contact support with this message.',
          };
        }
        return {
          code: 'QBO_UNAVAILABLE',
          message: `QuickBooks was not available while reading the changes of ${companyName} (${err.fault.httpStatus ? `HTTP ${err.fault.httpStatus}` : 'no answer'}). ${again}`,
          fix: 'Nothing to change: sync again in a few minutes. If it lasts, check status.developer.intuit.com.',
        };
      default:
        return {
          code: 'QBO_REFUSED',
          message: `QuickBooks refused to give the changes of ${companyName}: ${err.fault.message}. ${again}`,
          fix: 'Sync again; if it lasts, contact support with this message.',
        };
    }
  }
  return {
    code: 'STATUS_SYNC_FAILED',
    message: `The QuickBooks status sync of ${companyName} stopped: ${err instanceof Error ? err.message : String(err)}.`,
    fix: 'Sync again; the error was logged.',
  };
}

export function interrupted(): SyncErrorView {
  return {
    code: 'STATUS_SYNC_INTERRUPTED',
    message: 'The status sync was interrupted (the service stopped while it ran). What it had read is kept; the next sync goes on from there.',
    fix: 'Nothing to change: sync again, or wait for the next scheduled sync.',
  };
}

/** The sync's company lock ran out while it ran (the service stalled): another sync may hold it now. */
export function lockLost(companyName: string): string {
  return `The status sync of ${companyName} stopped: it lost its hold on the company (the service was stalled longer than its lease), so it leaves the rest to the next sync. What it saved is kept.`;
}

/** A source invoice Salesforce refused to take the QuickBooks status of. */
export function statusRefused(record: { id: string; name: string }, quickBooksId: string, reason: string): StatusSyncProblem {
  return {
    recordId: record.id,
    recordName: record.name,
    quickBooksId,
    message: `Salesforce did not take the QuickBooks status of invoice ${record.name}: ${reason}.`,
    fix: `Correct what Salesforce names on ${record.name} (a validation rule, a locked record); the next sync writes the status again.`,
  };
}

/** A payment received in QuickBooks Salesforce refused to take. */
export function paymentRefused(invoiceName: string, quickBooksId: string, reason: string): StatusSyncProblem {
  return {
    recordId: null,
    recordName: invoiceName,
    quickBooksId,
    message: `Salesforce did not take QuickBooks payment ${quickBooksId} of invoice ${invoiceName}: ${reason}.`,
    fix: `Correct what Salesforce names (a validation rule on Payment, a locked invoice); the next sync adds the payment again, once.`,
  };
}

export const NOT_CONNECTED = (company: { name: string; accountingSystem: string }) =>
  company.accountingSystem === 'Desktop'
    ? new LedgerlineError(
        'QBO_NOT_CONNECTED',
        `${company.name} has no Web Connector user set up, so its invoices' status cannot be read from QuickBooks Desktop.`,
        {
          status: 409,
          fix: 'An admin opens the Web Connector page, clicks Set up and adds the .qwc file to the Web Connector; then sync again.',
        },
      )
    : new LedgerlineError('QBO_NOT_CONNECTED', `${company.name} is not connected to QuickBooks Online, so its invoices' status cannot be read.`, {
        status: 409,
        fix: 'An admin opens QuickBooks Authentication and clicks Connect; then sync again.',
      });
