// Service API credentials: the export credential (what the Salesforce Named Credential sends for ERP users) and
// the admin credential (connect / disconnect QuickBooks). The admin credential can do everything.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { LedgerlineError } from '../errors';

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
