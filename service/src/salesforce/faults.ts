// Pure: which failures of a Salesforce call are "Salesforce is unavailable right now" (answered 503 with a retry
// time, retried by the engine later) and which are real errors of the request. Works on what jsforce throws:
// an HttpApiError named after the REST errorCode (ERROR_HTTP_<status> when the body was not JSON, e.g. an HTML
// maintenance page), a node-fetch FetchError with a system code, an AbortError after the time-out, or the
// session refresh delegate's "Unable to refresh session" error.
import { SalesforceUnavailableError, type SalesforceUnavailableReason } from '../errors';

/** Seconds to wait before trying again, by cause. */
export const RETRY_AFTER_SECONDS = {
  server: 30,
  network: 15,
  /** Concurrent-request limits clear as soon as long calls finish. */
  concurrentLimit: 30,
  /** The daily allowance is a rolling 24 hours: calls age out gradually. */
  dailyLimit: 3600,
  session: 60,
} as const;

const SERVER_CODES = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'SERVICE_UNAVAILABLE']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  errorCode?: unknown;
  code?: unknown;
  type?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The Salesforce REST error code of a failure (or the network code), '' when there is none. */
export function salesforceErrorCode(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const e = err as ErrorLike;
  return text(e.errorCode) || text(e.code) || (/^[A-Z][A-Z0-9_]+$/.test(text(e.name)) ? text(e.name) : '');
}

/** A SalesforceUnavailableError when the failure is transient, null when it is an error of the request itself. */
export function classifySalesforceFailure(err: unknown): SalesforceUnavailableError | null {
  if (err instanceof SalesforceUnavailableError) return err;
  if (!err || typeof err !== 'object') return null;
  const e = err as ErrorLike;
  const name = text(e.name);
  const message = text(e.message);
  const code = salesforceErrorCode(err);
  const make = (reason: SalesforceUnavailableReason, salesforceCode: string, detail: string, retryAfterSeconds: number) =>
    new SalesforceUnavailableError({ reason, salesforceCode, detail, retryAfterSeconds, cause: err });

  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // "TotalRequests Limit exceeded." is the daily allowance; "ConcurrentPerOrgLongTxn Limit exceeded." and the
    // like are concurrency limits.
    const daily = !/concurrent/i.test(message);
    return daily
      ? make('limit', code, "the org's daily API request allowance is used up (REQUEST_LIMIT_EXCEEDED)", RETRY_AFTER_SECONDS.dailyLimit)
      : make('limit', code, `Salesforce refused more concurrent requests (REQUEST_LIMIT_EXCEEDED: ${oneLine(message)})`, RETRY_AFTER_SECONDS.concurrentLimit);
  }
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(code)?.[1];
  if (SERVER_CODES.has(code) || (httpStatus && Number(httpStatus) >= 500)) {
    const what = httpStatus ? `HTTP ${httpStatus}` : code;
    return make('server', code, `Salesforce answered ${what}`, RETRY_AFTER_SECONDS.server);
  }
  if (NETWORK_CODES.has(code) || name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError' || message === 'Request Timeout') {
    const timedOut = name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed? ?out|timeout/i.test(message);
    const netCode = code || (timedOut ? 'TIMEOUT' : 'NETWORK');
    return make(
      'network',
      netCode,
      timedOut ? 'the call to Salesforce timed out' : `the connection to Salesforce failed (${netCode})`,
      RETRY_AFTER_SECONDS.network,
    );
  }
  const renewal = /^Unable to refresh session due to: (.*)$/s.exec(message);
  const renewalNet = renewal && /\b(ECONN\w+|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|timeout)\b/i.exec(renewal[1] ?? '');
  if (renewalNet) {
    // The session expired and the token endpoint could not be reached: a network outage, not a credentials problem.
    const netCode = /^E[A-Z_]+$/.test(renewalNet[1]!) ? renewalNet[1]! : 'NETWORK';
    return make('network', netCode, `signing in to Salesforce again failed (${renewalNet[1]})`, RETRY_AFTER_SECONDS.network);
  }
  if (code === 'INVALID_SESSION_ID' || renewal) {
    return make('session', code || 'INVALID_SESSION_ID', 'the Salesforce session ended and could not be renewed', RETRY_AFTER_SECONDS.session);
  }
  return null;
}

/** Worth one quick retry of a read: the server hiccupped or the connection dropped (never an API limit). */
export function isBriefOutage(err: SalesforceUnavailableError): boolean {
  return err.reason === 'server' || err.reason === 'network';
}

/** The org's daily allowance is gone (as opposed to a concurrency limit). */
export function isDailyLimit(err: SalesforceUnavailableError): boolean {
  return err.reason === 'limit' && err.retryAfterSeconds === RETRY_AFTER_SECONDS.dailyLimit;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 200);
}
