// One error type for everything the service reports: a code, an HTTP status, a user-facing message and,
// where the user can act, the fix. Messages never carry secrets (see log.scrubSecrets).

export const UNAUTHORIZED_SENTENCE =
  'QuickBooks export API call encountered UNAUTHORIZED status code and could not be completed. Please reset your QuickBooks authorization token and try again.';

export class LedgerlineError extends Error {
  constructor(
    readonly code: string,
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
