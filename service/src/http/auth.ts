// Service API credentials: the export credential (what the Salesforce Named Credential sends for ERP users) and
// the admin credential (connect / disconnect QuickBooks). The admin credential can do everything.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { LedgerlineError, retryText } from '../errors';

/** Refused keys an address may send in a window before every request of it with a key waits (sign-in alike). */
export const SIGN_IN_MAX_FAILURES = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export type Role = 'export' | 'admin';

export interface Credentials {
  apiKey: string;
  adminKey: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function roleFor(credentials: Credentials, presented: string | undefined): Role | null {
  if (!presented) return null;
  if (same(presented, credentials.adminKey)) return 'admin';
  if (same(presented, credentials.apiKey)) return 'export';
  return null;
}

export function bearer(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

/** Express guard: 401 without a known bearer credential, 403 when the role is not enough. */
export function requireRole(credentials: Credentials, needed: Role) {
  return (req: Request, res: Response, next: NextFunction) => {
    const role = roleFor(credentials, bearer(req));
    if (!role) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="Ledgerline"');
      return next(new LedgerlineError('UNAUTHENTICATED', 'A valid Ledgerline API key is required (Authorization: Bearer <key>).', { status: 401 }));
    }
    if (needed === 'admin' && role !== 'admin') {
      return next(new LedgerlineError('FORBIDDEN', 'Only a Ledgerline administrator can do this.', { status: 403 }));
    }
    res.locals.role = role;
    next();
  };
}

/**
 * Guessing keys through the Authorization header is rate-limited as sign-in is: once an address has sent
 * SIGN_IN_MAX_FAILURES refused keys in the window, every request of it that carries a key (the right one too) gets
 * 429 until the window passes. Requests without a key, and accepted ones, are not counted.
 */
export function keyGuessLimit(onLocked?: (req: Request) => void) {
  return rateLimit({
    windowMs: SIGN_IN_WINDOW_MS,
    limit: SIGN_IN_MAX_FAILURES,
    skip: (req) => !req.get('authorization'),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + SIGN_IN_WINDOW_MS) - Date.now()) / 1000));
      onLocked?.(req);
      next(
        new LedgerlineError(
          'TOO_MANY_REQUESTS',
          `After ${SIGN_IN_MAX_FAILURES} refused keys from this address, keys from it are refused for ${retryText(seconds)}.`,
          {
            status: 429,
            fix: 'Wait, then send the right LEDGERLINE_API_KEY or LEDGERLINE_ADMIN_KEY.',
            details: { retryAfterSeconds: seconds },
          },
        ),
      );
      void res;
    },
  });
}
