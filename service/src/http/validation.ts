// Strict input for every route: bodies and query strings are strict zod objects (an unknown field is a 400 naming
// it — a typo such as `dryrun` must never run a real export), a body must come in the media type the route reads
// (415 otherwise), and the body parser's own refusals keep their 4xx status (413 for too large) instead of
// becoming a 500.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { ErrorCode } from '../contract/errorCodes';
import { LedgerlineError, badRequest } from '../errors';

/** One sentence per problem: "Unknown field dryrun", "fromDate: 2026-02-30 is not a date on the calendar". */
export function describeIssues(issues: readonly z.core.$ZodIssue[], where: 'field' | 'query parameter' = 'field'): string {
  return issues
    .map((issue) => {
      const at = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k));
        return `Unknown ${where}${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
      }
      return at ? `${at}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses with a schema or throws a 400 naming every problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'field' | 'query parameter' = 'field'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues, where));
  return parsed.data;
}

/** True for a real day: 2026-02-28 yes, 2026-02-30 and 2026-13-01 no. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** YYYY-MM-DD naming a day that exists. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .superRefine((value, ctx) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !isCalendarDate(value)) ctx.addIssue({ code: 'custom', message: `${value} is not a date on the calendar` });
  });

/** Whether the request carries a body at all (a POST without one is fine: defaults apply). */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** 415 unless a request with a body sends it as one of `types` ('application/json', 'application/x-www-form-urlencoded'). */
export function requireBodyType(...types: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!hasBody(req) || req.is(types)) return next();
    const sent = req.get('content-type') || 'no Content-Type';
    next(new LedgerlineError('UNSUPPORTED_MEDIA_TYPE', `The request body must be sent as ${types.join(' or ')} (it came as ${sent}).`, { status: 415 }));
  };
}

const BODY_PARSER_MESSAGES: Record<string, (err: { limit?: number; length?: number }) => string> = {
  'entity.too.large': (e) => `The request body is too large${e.limit ? ` (the limit is ${formatBytes(e.limit)})` : ''}.`,
  'entity.parse.failed': () => 'The request body is not valid JSON.',
  'parameters.too.many': () => 'The form has too many fields.',
  'encoding.unsupported': () => 'The request body uses a Content-Encoding this service does not read.',
  'charset.unsupported': () => 'The request body uses a charset this service does not read (send UTF-8).',
  'request.aborted': () => 'The request body was cut off.',
  'request.size.invalid': () => 'The request body is shorter or longer than its Content-Length.',
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The body parser's and the router's own refusals (http-errors with a 4xx status: too large, bad JSON, a URL that
 * does not decode, a static file outside its folder) as LedgerlineErrors with the same status; null for anything else.
 */
export function clientError(err: unknown): LedgerlineError | null {
  if (err instanceof LedgerlineError) return err.status < 500 ? err : null;
  if (!err || typeof err !== 'object') return null;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; limit?: number; length?: number; expose?: unknown };
  const status = Number(e.status ?? e.statusCode);
  if (!Number.isInteger(status) || status < 400 || status > 499) return null;
  const describe = typeof e.type === 'string' ? BODY_PARSER_MESSAGES[e.type] : undefined;
  const message = describe
    ? describe(e)
    : status === 404 || status === 403
      ? 'Not found.'
      : status === 400
        ? 'The request is not valid (its URL or body could not be read).'
        : 'The request was refused.';
  // A static file outside its folder (403 from `send`) is answered like a missing one: nothing to learn from it.
  const finalStatus = status === 403 && !describe ? 404 : status;
  return new LedgerlineError(STATUS_CODES[finalStatus] ?? 'BAD_REQUEST', message, { status: finalStatus, cause: err });
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
