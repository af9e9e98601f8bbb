// Intuit OAuth 2.0 on the emulator host: the consent page, the token endpoint
// (authorization_code and refresh_token grants) and revocation. Lifetimes
// follow Intuit: access 1 h, refresh 100 days rolling, never past 5 years
// from the user's consent; every refresh rotates the refresh token.

import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { deliver, deliverJson, escapeHtml, HTML_TYPE } from './http';
import type { Grant, OAuthClientCredentials, QboState } from './state';

export const ACCESS_TOKEN_TTL_S = 3600;
/** Intuit reports 8726400 s (101 days) for a fresh refresh token; "about 100 days" in its docs. */
export const REFRESH_TOKEN_TTL_MS = 8726400 * 1000;
export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_GRANT_YEARS = 5;

const TOKEN_JSON_TYPE = 'application/json;charset=UTF-8';
const NO_STORE = { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' };

export interface TokenResponse {
  x_refresh_token_expires_in: number;
  refresh_token: string;
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  /** Seconds to the grant's five-year end; only when the request asked for it (see HARD_EXPIRY_HEADER). */
  x_refresh_token_hard_expires_in?: number;
}

/** The request header that makes the token endpoint add `x_refresh_token_hard_expires_in` (Intuit, 2026). */
export const HARD_EXPIRY_HEADER = 'x-include-refresh-token-hard-expires-in';

function b64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function alnum(length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[bytes[i] % chars.length];
  return out;
}

/** Access tokens are opaque JWEs at Intuit; the shape is kept so log redaction sees the real thing. */
function newAccessToken(): string {
  return `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..${b64url(16)}.${b64url(180)}.${b64url(16)}`;
}

/** Every access token the emulator issues has this length; a bearer of another length is "malformed" to the gateway. */
export const ACCESS_TOKEN_LENGTH = newAccessToken().length;

/** Refresh tokens and codes: `AB11` + expiry (epoch seconds) + random, 50 characters. */
function newRefreshToken(expiresAt: number): string {
  return `AB11${Math.floor(expiresAt / 1000)}${alnum(36)}`;
}

export function grantDeadline(grant: Grant): number {
  const d = new Date(grant.authorizedAt);
  d.setUTCFullYear(d.getUTCFullYear() + MAX_GRANT_YEARS);
  return d.getTime();
}

/** Mints an access token and a fresh refresh token for a grant; `hardExpiry` adds the grant's five-year end. */
export function issueTokens(state: QboState, grant: Grant, hardExpiry = false): TokenResponse {
  const now = state.now();
  const refreshExpiresAt = Math.min(now + REFRESH_TOKEN_TTL_MS, grantDeadline(grant));
  const access = newAccessToken();
  const refresh = newRefreshToken(refreshExpiresAt);
  state.tokens.access.set(access, { grantId: grant.id, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
  state.tokens.refresh.set(refresh, { grantId: grant.id, expiresAt: refreshExpiresAt });
  return {
    x_refresh_token_expires_in: Math.floor((refreshExpiresAt - now) / 1000),
    refresh_token: refresh,
    access_token: access,
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    ...(hardExpiry ? { x_refresh_token_hard_expires_in: Math.floor((grantDeadline(grant) - now) / 1000) } : {}),
  };
}

function wantsHardExpiry(req: Request): boolean {
  return (req.get(HARD_EXPIRY_HEADER) ?? '').trim().toLowerCase() === 'true';
}

function basicClient(state: QboState, req: Request): OAuthClientCredentials | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) return undefined;
  const client = state.client(decoded.slice(0, sep));
  return client && client.clientSecret === decoded.slice(sep + 1) ? client : undefined;
}

function field(req: Request, name: string): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const v = body && typeof body === 'object' ? body[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function tokenError(res: Response, status: number, body: Record<string, string>): void {
  deliverJson(res, status, body, TOKEN_JSON_TYPE, NO_STORE);
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function validRedirect(uri: string | undefined): uri is string {
  if (!uri) return false;
  try {
    new URL(uri);
    return true;
  } catch {
    return false;
  }
}

const PAGE_STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Avenir Next", "Segoe UI", Helvetica, Arial, sans-serif; background: #f4f5f8; color: #393a3d; }
  header { background: #fff; border-bottom: 1px solid #dcdee3; padding: 14px 32px; font-weight: 600; color: #2ca01c; font-size: 18px; }
  main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.08); padding: 32px; }
  h1 { font-size: 22px; margin: 0 0 8px; }
  p { color: #6b6c72; line-height: 1.5; margin: 0 0 20px; }
  fieldset { border: none; margin: 0 0 24px; padding: 0; }
  legend { font-weight: 600; margin-bottom: 10px; }
  label.company { display: flex; align-items: center; gap: 12px; padding: 12px 14px; border: 1px solid #dcdee3; border-radius: 6px; margin-bottom: 8px; cursor: pointer; }
  label.company:hover { border-color: #2ca01c; }
  .realm { color: #8d9096; font-size: 12px; }
  .actions { display: flex; justify-content: flex-end; gap: 12px; flex-direction: row-reverse; }
  button { font: inherit; font-weight: 600; border-radius: 4px; padding: 10px 22px; cursor: pointer; border: 2px solid #2ca01c; }
  button.primary { background: #2ca01c; color: #fff; }
  button.primary:disabled { background: #babec5; border-color: #babec5; cursor: not-allowed; }
  button.secondary { background: #fff; color: #393a3d; border-color: #8d9096; }
  .scope { font-size: 13px; color: #6b6c72; margin-bottom: 20px; }
  .error { color: #d52b1e; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>intuit quickbooks</header>
<main>
${body}
</main>
</body>
</html>`;
}

function errorPage(res: Response, status: number, message: string): void {
  deliver(res, status, page('Authorization error', `<h1>Something went wrong</h1><p class="error">${escapeHtml(message)}</p>`), HTML_TYPE);
}

function consentPage(state: QboState, params: Record<string, string>): string {
  const realms = [...state.realms.values()];
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n    ');
  const options = realms.length
    ? realms
        .map((r, i) => {
          const name = typeof r.companyInfo.CompanyName === 'string' ? r.companyInfo.CompanyName : `Sandbox Company ${r.realmId}`;
          return `<label class="company"><input type="radio" name="realmId" value="${escapeHtml(r.realmId)}"${i === 0 ? ' checked' : ''} required>
        <span><strong>${escapeHtml(name)}</strong><br><span class="realm">Company ID ${escapeHtml(r.realmId)}</span></span></label>`;
        })
        .join('\n      ')
    : '<p class="error">There are no companies to connect.</p>';
  return page(
    'Connect Ledgerline to QuickBooks',
    `<h1>Connect Ledgerline to QuickBooks</h1>
  <p>Ledgerline wants to access your QuickBooks company to create customers, products and invoices.</p>
  <div class="scope">Requested access: ${escapeHtml(params.scope ?? '')}</div>
  <form method="post" action="/connect/oauth2/approve">
    ${hidden}
    <fieldset>
      <legend>Choose a company</legend>
      ${options}
    </fieldset>
    <div class="actions">
      <button type="submit" class="primary" name="decision" value="connect"${realms.length ? '' : ' disabled'}>Connect</button>
      <button type="submit" class="secondary" name="decision" value="cancel" formnovalidate>Cancel</button>
    </div>
  </form>`,
  );
}

export function oauthRouter(state: QboState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false });
  const json = express.json({ type: ['application/json', '*/json'] });

  router.get('/connect/oauth2', (req, res) => {
    const clientId = query(req, 'client_id');
    const redirectUri = query(req, 'redirect_uri');
    if (!clientId || !state.client(clientId)) return errorPage(res, 400, 'The app (client_id) is not recognised.');
    if (!validRedirect(redirectUri)) return errorPage(res, 400, 'The redirect_uri is missing or invalid.');
    if (query(req, 'response_type') !== 'code') return errorPage(res, 400, 'The response_type must be "code".');
    const params: Record<string, string> = { client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: query(req, 'scope') ?? '' };
    const st = query(req, 'state');
    if (st !== undefined) params.state = st;
    deliver(res, 200, consentPage(state, params), HTML_TYPE);
  });

  router.post('/connect/oauth2/approve', form, (req, res) => {
    const clientId = field(req, 'client_id');
    const redirectUri = field(req, 'redirect_uri');
    const st = field(req, 'state');
    if (!clientId || !state.client(clientId)) return errorPage(res, 400, 'The app (client_id) is not recognised.');
    if (!validRedirect(redirectUri)) return errorPage(res, 400, 'The redirect_uri is missing or invalid.');
    if (field(req, 'decision') === 'cancel') {
      res.redirect(302, withParams(redirectUri, { error: 'access_denied', state: st }));
      return;
    }
    const realmId = field(req, 'realmId');
    if (!realmId || !state.realm(realmId)) return errorPage(res, 400, 'Choose a company to connect.');
    const expiresAt = state.now() + AUTH_CODE_TTL_MS;
    const code = newRefreshToken(expiresAt);
    state.tokens.codes.set(code, { clientId, redirectUri, realmId, expiresAt, used: false });
    res.redirect(302, withParams(redirectUri, { code, state: st, realmId }));
  });

  router.post('/oauth2/v1/tokens/bearer', form, json, (req, res) => {
    const client = basicClient(state, req);
    if (!client) return tokenError(res, 401, { error: 'invalid_client' });
    const grantType = field(req, 'grant_type');
    const now = state.now();
    if (grantType === 'authorization_code') {
      const code = field(req, 'code');
      const record = code ? state.tokens.codes.get(code) : undefined;
      if (!code || !field(req, 'redirect_uri')) return tokenError(res, 400, { error: 'invalid_request' });
      if (!record || record.used || now >= record.expiresAt || record.clientId !== client.clientId || record.redirectUri !== field(req, 'redirect_uri')) {
        return tokenError(res, 400, { error: 'invalid_grant' });
      }
      record.used = true;
      const grant = state.tokens.newGrant(client.clientId, record.realmId, now);
      return deliverJson(res, 200, issueTokens(state, grant, wantsHardExpiry(req)), TOKEN_JSON_TYPE, NO_STORE);
    }
    if (grantType === 'refresh_token') {
      const token = field(req, 'refresh_token');
      if (!token) return tokenError(res, 400, { error: 'invalid_request' });
      const record = state.tokens.refresh.get(token);
      const grant = record ? state.tokens.grants.get(record.grantId) : undefined;
      const graceOver = record?.rotatedAt !== undefined && now >= record.rotatedAt + state.settings.refreshTokenGraceMs;
      if (!record || !grant || grant.revoked || grant.clientId !== client.clientId || now >= record.expiresAt || graceOver) {
        return tokenError(res, 400, { error_description: 'Token invalid', error: 'invalid_grant' });
      }
      record.rotatedAt ??= now;
      return deliverJson(res, 200, issueTokens(state, grant, wantsHardExpiry(req)), TOKEN_JSON_TYPE, NO_STORE);
    }
    return tokenError(res, 400, { error: 'unsupported_grant_type' });
  });

  router.post('/v2/oauth2/tokens/revoke', form, json, (req, res) => {
    const client = basicClient(state, req);
    if (!client) return tokenError(res, 401, { error: 'invalid_client' });
    const token = field(req, 'token');
    if (!token) return tokenError(res, 400, { error: 'invalid_request' });
    const record = state.tokens.refresh.get(token) ?? state.tokens.access.get(token);
    const grant = record ? state.tokens.grants.get(record.grantId) : undefined;
    if (grant && grant.clientId === client.clientId) grant.revoked = true;
    deliver(res, 200, '', TOKEN_JSON_TYPE, NO_STORE);
  });

  return router;
}
