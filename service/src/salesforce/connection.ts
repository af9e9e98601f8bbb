// Opens a jsforce connection to the org: OAuth 2.0 client credentials for a service, or the username-password
// flow for a developer org. Two things differ from jsforce's defaults, on purpose:
// - no hidden retries: jsforce retries a GET five times on 5xx or a reset (0.5 + 1 + 2 + 4 + 8 s), so a Salesforce
//   outage answered the page only after ~15 s. The repository decides what to retry, once and logged; the engine
//   retries the rest under its journal. Every call has a time-out (jsforce's own is 30 minutes).
// - an expired session (INVALID_SESSION_ID) signs in again ONCE: when Salesforce rejects the session it has just
//   handed out, that is an outage to report, not a reason to sign in again in a loop.
import { backOff } from 'exponential-backoff';
import { Connection } from 'jsforce';
import Transport from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions } from 'jsforce/lib/types';
import type { Logger } from 'pino';
import { classifySalesforceFailure } from './faults';

export interface SalesforceConnectionOptions {
  loginUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
  /** A call unanswered after this long fails as a time-out. Default 60 s. */
  timeoutMs?: number;
  logger?: Logger;
}

/** A renewed session rejected within this time of being issued is not renewed again. */
export const MIN_SESSION_RENEWAL_GAP_MS = 10_000;
export const DEFAULT_SALESFORCE_TIMEOUT_MS = 60_000;

/** jsforce's HTTP transport without its automatic retries, and with a time-out of our choosing. */
class SingleAttemptTransport extends Transport {
  /** The HTTP status of the last answer (jsforce's error for a sign-in answered with an HTML 503 page is blank). */
  lastStatus: number | null = null;

  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    this.lastStatus = null;
    const answer = super.httpRequest(req, { ...options, timeout: this.timeoutMs, retry: { ...options.retry, maxRetries: 0 } });
    answer.then(
      (res) => (this.lastStatus = res.statusCode),
      () => undefined,
    );
    return answer;
  }
}

/** A sign-in that failed, said in words: the status Salesforce answered when jsforce's error says nothing. */
function signInError(err: unknown, status: number | null): unknown {
  const said = err instanceof Error && (err.message || (err.name && err.name !== 'Error'));
  if (said || status === null) return err;
  return Object.assign(new Error(`Salesforce answered the sign-in with HTTP ${status}`, { cause: err }), { errorCode: `ERROR_HTTP_${status}` });
}

/** An outage's sentence without its "Try again in …" (start-up does the trying). */
function withoutRetryTime(message: string): string {
  return message.replace(/ Try again in [^.]*\.$/, '');
}

export interface StartupRetry {
  /** Sign-in attempts before the service gives up. Default 8. */
  attempts?: number;
  /** The first wait; each next one doubles, up to 30 s. Default 1 s. */
  baseMs?: number;
}

/**
 * Signs in at start-up. Salesforce briefly down (5xx, a reset connection, a time-out) is waited out with back-off,
 * each failure logged with its reason; credentials Salesforce refuses, or an outage that outlasts the attempts,
 * end in an error that says why and what to check.
 */
export async function connectSalesforceAtStart(opts: SalesforceConnectionOptions, retry: StartupRetry = {}): Promise<Connection> {
  const attempts = retry.attempts ?? 8;
  const started = Date.now();
  let last: unknown;
  try {
    return await backOff(() => connectSalesforce(opts), {
      numOfAttempts: attempts,
      startingDelay: retry.baseMs ?? 1000,
      maxDelay: 30_000,
      retry: (err: unknown, next: number) => {
        last = err;
        const outage = classifySalesforceFailure(err);
        if (!outage || outage.reason === 'session') return false;
        opts.logger?.warn({ attempt: next - 1, of: attempts, reason: withoutRetryTime(outage.message) }, 'Salesforce sign-in failed at start-up; trying again');
        return true;
      },
    });
  } catch (err) {
    last = err;
  }
  const outage = classifySalesforceFailure(last);
  if (outage && outage.reason !== 'session') {
    const seconds = Math.round((Date.now() - started) / 1000);
    throw new Error(
      `Salesforce sign-in failed ${attempts === 1 ? 'once' : `${attempts} times`} over ${seconds} s: ${withoutRetryTime(outage.message)} ${outage.fix ?? ''}`.trim(),
      {
        cause: last,
      },
    );
  }
  const e = last as { name?: string; message?: string };
  const said = [e?.message, e?.name && e.name !== 'Error' ? `(${e.name})` : ''].filter(Boolean).join(' ') || String(last);
  throw new Error(
    `Salesforce refused the sign-in: ${said}. Check SF_LOGIN_URL, SF_CLIENT_ID and SF_CLIENT_SECRET (and SF_USERNAME / SF_PASSWORD for the password flow), and that the connected app allows the flow.`,
    { cause: last },
  );
}

export async function connectSalesforce(opts: SalesforceConnectionOptions): Promise<Connection> {
  const oauth2 = { loginUrl: opts.loginUrl, clientId: opts.clientId, clientSecret: opts.clientSecret };
  const log = opts.logger;
  const usePassword = Boolean(opts.username && opts.password);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SALESFORCE_TIMEOUT_MS;
  const oauthTransport = new SingleAttemptTransport(timeoutMs);
  const signIn = async (c: Connection) => {
    try {
      if (usePassword) await c.login(opts.username!, opts.password!);
      else await c.authorize({ grant_type: 'client_credentials' });
    } catch (err) {
      throw signInError(err, oauthTransport.lastStatus);
    }
  };

  let lastRenewal = 0;
  const conn: Connection = new Connection({
    oauth2,
    version: opts.apiVersion,
    refreshFn: async (c, callback) => {
      const sinceLast = Date.now() - lastRenewal;
      if (lastRenewal && sinceLast < MIN_SESSION_RENEWAL_GAP_MS) {
        log?.warn({ msSinceRenewal: sinceLast }, 'Salesforce rejected a session it had just issued; not signing in again');
        callback(new Error('Salesforce rejected the session it had just issued (INVALID_SESSION_ID right after signing in again)'));
        return;
      }
      try {
        await signIn(c);
        lastRenewal = Date.now();
        log?.info({ flow: usePassword ? 'password' : 'client_credentials' }, 'Salesforce session expired (INVALID_SESSION_ID): signed in again');
        callback(null, c.accessToken ?? undefined);
      } catch (err) {
        log?.warn({ err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'Salesforce session expired and signing in again failed');
        callback(err as Error);
      }
    },
  });
  conn._transport = new SingleAttemptTransport(timeoutMs);
  conn.oauth2._transport = oauthTransport;
  await signIn(conn);
  lastRenewal = 0; // the first sign-in is not a renewal
  return conn;
}
