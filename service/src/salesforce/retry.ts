// Writes to Salesforce (write-backs, Process Log entries) are retried with back-off when Salesforce is briefly
// unavailable: a 5xx, a dropped connection, a session being renewed. A spent daily API allowance is not retried
// here — it lasts hours; the journal keeps what is owed until a later run or a background retry.
import { backOff } from 'exponential-backoff';
import type { Logger } from 'pino';
import { SalesforceUnavailableError } from '../errors';

export interface WriteRetry {
  attempts: number;
  /** First wait; doubles each time. */
  baseMs: number;
}

export const DEFAULT_WRITE_RETRY: WriteRetry = { attempts: 5, baseMs: 1000 };

export function withSalesforceRetry<T>(what: string, send: () => Promise<T>, retry: WriteRetry, logger?: Logger): Promise<T> {
  return backOff(send, {
    numOfAttempts: retry.attempts,
    startingDelay: retry.baseMs,
    timeMultiple: 2,
    jitter: 'full',
    retry: (err: unknown, attempt: number) => {
      const again = err instanceof SalesforceUnavailableError && err.reason !== 'limit';
      if (again) logger?.warn({ what, attempt, reason: (err as SalesforceUnavailableError).reason }, `Salesforce unavailable for ${what}; trying again`);
      return again;
    },
  });
}
