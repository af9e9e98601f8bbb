// Opens a jsforce connection to the org: OAuth 2.0 client credentials for a service, or the username-password
// flow for a developer org. Two things differ from jsforce's defaults, on purpose:
// - no hidden retries: jsforce retries a GET five times on 5xx or a reset (0.5 + 1 + 2 + 4 + 8 s), so a Salesforce
//   outage answered the page only after ~15 s. The repository decides what to retry, once and logged; the engine
//   retries the rest under its journal. Every call has a time-out (jsforce's own is 30 minutes).
// - an expired session (INVALID_SESSION_ID) signs in again ONCE: when Salesforce rejects the session it has just
//   handed out, that is an outage to report, not a reason to sign in again in a loop.
import { Connection } from 'jsforce';
import Transport from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions } from 'jsforce/lib/types';
import type { Logger } from 'pino';

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
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    return super.httpRequest(req, { ...options, timeout: this.timeoutMs, retry: { ...options.retry, maxRetries: 0 } });
  }
}

export async function connectSalesforce(opts: SalesforceConnectionOptions): Promise<Connection> {
  const oauth2 = { loginUrl: opts.loginUrl, clientId: opts.clientId, clientSecret: opts.clientSecret };
  const log = opts.logger;
  const usePassword = Boolean(opts.username && opts.password);
  const signIn = async (c: Connection) => {
    if (usePassword) await c.login(opts.username!, opts.password!);
    else await c.authorize({ grant_type: 'client_credentials' });
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
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SALESFORCE_TIMEOUT_MS;
  conn._transport = new SingleAttemptTransport(timeoutMs);
  conn.oauth2._transport = new SingleAttemptTransport(timeoutMs);
  await signIn(conn);
  lastRenewal = 0; // the first sign-in is not a renewal
  return conn;
}
