// Admin sessions for the browser pages (QuickBooks Authentication). A browser cannot send the admin key as a
// bearer header, so the admin signs in once with the key and gets a session cookie:
//   ledgerline_admin = v1.<expires, epoch s>.<session id>.<HMAC-SHA256 of the three, base64url>
// signed with a key DERIVED from the admin key (HMAC(adminKey, label)) — the cookie never holds the key itself,
// and rotating the admin key ends every session. HttpOnly, SameSite=Lax, Path=/quickbooks, Secure behind https.
// The session also lives in the store (a hash of its id): signing out deletes it, so a copied cookie stops working
// at once, on every instance sharing the store. The signature is checked first, so a forged cookie costs no query.
// Forms carry a CSRF token derived from the session id with the same key.
// An `Authorization: Bearer <key>` header also identifies the caller (API clients, tests); it needs no CSRF
// token because a browser never attaches it on its own.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AdminSessionRepository } from '../store/types';
import { bearer, roleFor, type Credentials, type Role } from './auth';

export const SESSION_COOKIE = 'ledgerline_admin';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const COOKIE_PATH = '/quickbooks';
const BINDING_PREFIX = 'ledgerline_qbo_';

export type Caller =
  | { kind: 'none' }
  /** A recognised key that is not the admin key (the ERP users' export key). */
  | { kind: 'forbidden'; role: Role }
  | { kind: 'admin'; via: 'bearer'; sessionId: null }
  | { kind: 'admin'; via: 'cookie'; sessionId: string; expiresAt: Date };

export interface AdminSessionOptions {
  credentials: Credentials;
  /** Where live sessions are kept (shared by every instance on the same store). */
  store: AdminSessionRepository;
  secureCookies: boolean;
  now?: () => Date;
  ttlMs?: number;
}

export interface AdminSessions {
  /** Who is calling: admin (bearer or cookie of a live session), a non-admin key, or nobody. */
  caller(req: Request): Promise<Caller>;
  /** Starts a session: records it and sets the signed cookie. */
  signIn(res: Response): Promise<{ sessionId: string; expiresAt: Date }>;
  /** Ends the caller's session in the store (the cookie no longer works anywhere) and clears the cookie. */
  signOut(res: Response, caller: Caller): Promise<void>;
  /** The CSRF token for forms of this caller ('' for bearer callers, who need none). */
  csrfToken(caller: Caller): string;
  /** True when the request may change state: bearer admin, or cookie admin with the right CSRF token. */
  csrfValid(caller: Caller, presented: unknown): boolean;
  /** Ties an OAuth `state` to this browser session and company (a short-lived cookie on the callback path). */
  bindState(res: Response, caller: Caller, state: string, callbackPath: string): void;
  /**
   * Checks (and clears) the binding made by bindState. Bearer callers are not bound and always pass. Needs only the
   * state, so it runs BEFORE the state is consumed: another session's callback cannot spend this one's state.
   */
  checkStateBinding(req: Request, res: Response, caller: Caller, state: string, callbackPath: string): boolean;
}

/** Parses a Cookie header by hand (RFC 6265 pairs; the first of a repeated name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createAdminSessions(opts: AdminSessionOptions): AdminSessions {
  const now = opts.now ?? (() => new Date());
  const ttlMs = opts.ttlMs ?? SESSION_TTL_MS;
  // Derived, never the admin key itself; a new admin key invalidates every cookie and CSRF token.
  const key = createHmac('sha256', opts.credentials.adminKey).update('ledgerline/admin-session/v1').digest();
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');

  const cookie = (name: string, value: string, attrs: { path: string; maxAgeS: number }) =>
    [`${name}=${value}`, `Path=${attrs.path}`, `Max-Age=${attrs.maxAgeS}`, 'HttpOnly', 'SameSite=Lax', ...(opts.secureCookies ? ['Secure'] : [])].join('; ');

  const idHash = (sessionId: string) => createHash('sha256').update(`ledgerline/admin-session:${sessionId}`).digest('hex');

  /** A cookie with a valid signature and expiry (not yet checked against the store). */
  function signedCookie(req: Request): Extract<Caller, { via: 'cookie' }> | null {
    const raw = parseCookies(req.get('cookie')).get(SESSION_COOKIE);
    if (!raw) return null;
    const parts = raw.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return null;
    const [version, exp, sessionId, signature] = parts;
    if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{16,64}$/.test(sessionId)) return null;
    if (!sameText(signature, mac(`${version}.${exp}.${sessionId}`))) return null;
    const expiresAt = new Date(Number(exp) * 1000);
    if (expiresAt.getTime() <= now().getTime()) return null;
    return { kind: 'admin', via: 'cookie', sessionId, expiresAt };
  }

  function bindingName(state: string): string {
    // One cookie per Connect attempt: two tabs connecting two companies do not overwrite each other.
    return BINDING_PREFIX + mac(`binding-name:${state}`).slice(0, 16);
  }

  function bindingValue(caller: Caller, state: string): string {
    return mac(`binding:${caller.kind === 'admin' && caller.via === 'cookie' ? caller.sessionId : ''}:${state}`);
  }

  return {
    async caller(req) {
      const presented = bearer(req);
      if (presented) {
        const role = roleFor(opts.credentials, presented);
        if (role === 'admin') return { kind: 'admin', via: 'bearer', sessionId: null };
        if (role) return { kind: 'forbidden', role };
        // An unknown bearer does not fall back to the cookie: the caller said who they are, wrongly.
        return { kind: 'none' };
      }
      const signed = signedCookie(req);
      if (!signed) return { kind: 'none' };
      // Signed and unexpired, but signed out (or never recorded): not a session.
      return (await opts.store.isLive(idHash(signed.sessionId), now())) ? signed : { kind: 'none' };
    },

    async signIn(res) {
      const sessionId = randomBytes(18).toString('base64url');
      const expiresAt = new Date(now().getTime() + ttlMs);
      await opts.store.create(idHash(sessionId), expiresAt);
      const exp = Math.floor(expiresAt.getTime() / 1000);
      const body = `v1.${exp}.${sessionId}`;
      res.append('Set-Cookie', cookie(SESSION_COOKIE, `${body}.${mac(body)}`, { path: COOKIE_PATH, maxAgeS: Math.floor(ttlMs / 1000) }));
      return { sessionId, expiresAt };
    },

    async signOut(res, caller) {
      if (caller.kind === 'admin' && caller.via === 'cookie') await opts.store.revoke(idHash(caller.sessionId));
      res.append('Set-Cookie', cookie(SESSION_COOKIE, '', { path: COOKIE_PATH, maxAgeS: 0 }));
    },

    csrfToken(caller) {
      return caller.kind === 'admin' && caller.via === 'cookie' ? mac(`csrf:${caller.sessionId}`) : '';
    },

    csrfValid(caller, presented) {
      if (caller.kind !== 'admin') return false;
      if (caller.via === 'bearer') return true;
      return typeof presented === 'string' && presented.length > 0 && sameText(presented, mac(`csrf:${caller.sessionId}`));
    },

    bindState(res, caller, state, callbackPath) {
      if (caller.kind !== 'admin' || caller.via !== 'cookie') return;
      res.append('Set-Cookie', cookie(bindingName(state), bindingValue(caller, state), { path: callbackPath, maxAgeS: 600 }));
    },

    checkStateBinding(req, res, caller, state, callbackPath) {
      if (caller.kind !== 'admin') return false;
      if (caller.via === 'bearer') return true;
      const name = bindingName(state);
      const presented = parseCookies(req.get('cookie')).get(name);
      res.append('Set-Cookie', cookie(name, '', { path: callbackPath, maxAgeS: 0 }));
      return presented !== undefined && sameText(presented, bindingValue(caller, state));
    },
  };
}
