// One error type for everything the service reports: a code, an HTTP status, a user-facing message and,
// where the user can act, the fix. Messages never carry secrets (see log.scrubSecrets). Codes come from one list.
import type { ErrorCode } from './contract/errorCodes';

export const UNAUTHORIZED_SENTENCE =
  'QuickBooks export API call encountered UNAUTHORIZED status code and could not be completed. Please reset your QuickBooks authorization token and try again.';

export class LedgerlineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { status?: number; fix?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LedgerlineError';
  }

  get status(): number {
    return this.options.status ?? 500;
  }

  get fix(): string | undefined {
    return this.options.fix;
  }
}

/** QuickBooks refused our authorization (HTTP 401 after a refresh, or invalid_grant): the admin must reconnect. */
export class QuickBooksUnauthorizedError extends LedgerlineError {
  constructor(reason: string, cause?: unknown) {
    super('QBO_UNAUTHORIZED', UNAUTHORIZED_SENTENCE, {
      status: 401,
      fix: 'Open QuickBooks Authentication and click Refresh Token (or Connect), then export again.',
      cause,
      details: { reason },
    });
    this.name = 'QuickBooksUnauthorizedError';
  }
}

export type SalesforceUnavailableReason = 'server' | 'limit' | 'network' | 'session';

/**
 * Salesforce cannot serve the call right now: a 5xx, an API limit (REQUEST_LIMIT_EXCEEDED), a dropped or timed-out
 * connection, or a session that could not be renewed. Transient by nature: answered 503 with the time to retry,
 * and the export engine treats it as "try again later", never as a fault of one record.
 */
export class SalesforceUnavailableError extends LedgerlineError {
  readonly reason: SalesforceUnavailableReason;
  /** When a retry makes sense, in seconds (also sent as the Retry-After header). */
  readonly retryAfterSeconds: number;
  /** What Salesforce said (error code such as SERVER_UNAVAILABLE, or the network error's code). */
  readonly salesforceCode: string;

  constructor(opts: { reason: SalesforceUnavailableReason; salesforceCode: string; detail: string; retryAfterSeconds: number; cause?: unknown }) {
    super('SALESFORCE_UNAVAILABLE', `Salesforce is not available right now: ${opts.detail}. Try again in ${retryText(opts.retryAfterSeconds)}.`, {
      status: 503,
      fix: FIXES[opts.reason],
      cause: opts.cause,
      details: { reason: opts.reason, salesforceCode: opts.salesforceCode, retryAfterSeconds: opts.retryAfterSeconds },
    });
    this.name = 'SalesforceUnavailableError';
    this.reason = opts.reason;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.salesforceCode = opts.salesforceCode;
  }
}

const FIXES: Record<SalesforceUnavailableReason, string> = {
  server: 'Nothing to change: wait and try again. If it lasts, check trust.salesforce.com for your instance.',
  limit: "Wait for the org's API allowance to recover (Setup → System Overview shows API requests in the last 24 hours), or ask Salesforce for a higher limit.",
  network: 'Check that the service can reach your Salesforce instance (network, proxy, My Domain URL), then try again.',
  session: 'Check SF_CLIENT_ID / SF_CLIENT_SECRET and that the connected app still allows the client credentials flow.',
};

/** "30 seconds", "1 minute", "15 minutes", "1 hour". */
export function retryText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 3600) {
    const m = Math.round(seconds / 60);
    return `${m} minute${m === 1 ? '' : 's'}`;
  }
  const h = Math.round(seconds / 3600);
  return `${h} hour${h === 1 ? '' : 's'}`;
}

export function notFound(what: string): LedgerlineError {
  return new LedgerlineError('NOT_FOUND', `${what} was not found.`, { status: 404 });
}

export function badRequest(message: string, details?: Record<string, unknown>): LedgerlineError {
  return new LedgerlineError('BAD_REQUEST', message, { status: 400, details });
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
