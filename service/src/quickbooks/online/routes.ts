// The QuickBooks Authentication pages and the OAuth Connect flow, mounted at /quickbooks.
//   GET  /auth?companyId=      the page (admins; others get the sign-in form or a refusal)
//   POST /session              admin sign-in (urlencoded adminKey) → session cookie
//   POST /signout
//   GET  /connect?companyId=   single-use state → Intuit's consent page
//   GET  /callback             state check → code exchange → tokens saved → back to the page
//   POST /refresh              Refresh Token now (CSRF)
//   POST /disconnect           revoke + delete (CSRF)
//   GET  /status?companyId=    JSON connection summary (export key is enough)
// Tokens and authorization codes never reach a page, a log line or an error message. Forms are strict (urlencoded,
// known fields only, small), sign-in failures are rate-limited per address, and nothing here answers a bare 500
// for a client's mistake.
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerlineError, QuickBooksUnauthorizedError, SalesforceUnavailableError, errorMessage, retryText } from '../../errors';
import type { ExportService } from '../../export/service';
import { adminReturnPath, sendAdminPage, sldsAssets } from '../../http/adminPage';
import { createAdminSessions, type Caller } from '../../http/adminSession';
import { roleFor, SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS, type Credentials } from '../../http/auth';
import { clientError, describeIssues, requireBodyType } from '../../http/validation';
import { scrubSecrets } from '../../log';
import type { CompanyModel as Company } from '../../export/model';
import type { Store } from '../../store/types';
import { renderAuthPage, renderMessagePage, renderSignInPage, stateText, type Banner, type PageChrome, type QuickBooksCompanyView } from './authPage';
import type { ConnectionSummary, QuickBooksAuthorization } from './authorization';
import { OAuthGrantError, type QuickBooksOAuth } from './oauth';

export interface QuickBooksRouterDeps {
  authorization: QuickBooksAuthorization;
  oauth: QuickBooksOAuth;
  store: Store;
  exports: ExportService;
  credentials: Credentials;
  logger: Logger;
  secureCookies: boolean;
  now?: () => Date;
  /** QuickBooks API base URL, to show the QuickBooks company name (CompanyInfo). Default: `oauth.apiBaseUrl`. */
  qboApiBaseUrl?: string;
  minorVersion?: number;
  /** The redirect URI registered with Intuit. Default: the one `oauth.authorizeUri` sends. */
  redirectUri?: string;
}

/** Where app.ts mounts the router. */
export const QUICKBOOKS_BASE = '/quickbooks';
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
/** Failed admin sign-ins allowed per address and window; then every sign-in from there waits for the window. */
export { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS } from '../../http/auth';
const FORM_LIMIT = '10kb';
const COMPANY_INFO_TTL_MS = 6 * 60 * 60 * 1000;

const CompanyParam = z
  .string()
  .trim()
  .min(1, 'companyId is required')
  .max(80)
  .refine((v) => !/[<>]/.test(v) && [...v].every((c) => c.charCodeAt(0) >= 0x20), 'not a valid company id');

const formText = z.string().max(512);
const SignInForm = z.strictObject({ adminKey: formText.optional(), companyId: formText.optional(), next: formText.optional() });
const SignOutForm = z.strictObject({ csrf: formText.optional() });
const CompanyForm = z.strictObject({ companyId: formText.optional(), csrf: formText.optional() });

const CallbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(256).optional(),
  realmId: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  error: z.string().max(100).optional(),
});

function first(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createQuickBooksRouter(deps: QuickBooksRouterDeps): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const sessions = createAdminSessions({ credentials: deps.credentials, secureCookies: deps.secureCookies, now, store: deps.store.adminSessions });
  const redirectUri = deps.redirectUri ?? new URL(deps.oauth.authorizeUri('redirect-probe')).searchParams.get('redirect_uri') ?? '';
  const redirect = new URL(redirectUri || 'http://localhost/quickbooks/callback');
  const callbackPath = redirect.pathname;
  const form: RequestHandler[] = [
    requireBodyType('application/x-www-form-urlencoded'),
    express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 }),
  ];
  const log = deps.logger;
  const apiBaseUrl = deps.qboApiBaseUrl ?? deps.oauth.apiBaseUrl;

  const chrome: PageChrome = {
    sldsHref: sldsAssets(router, QUICKBOOKS_BASE),
    base: QUICKBOOKS_BASE,
    product: 'QuickBooks Online',
    title: 'QuickBooks Authentication',
    subtitle: 'Connect QuickBooks Online',
  };

  const authUrl = (companyId: string, flags: Record<string, string> = {}) =>
    `${QUICKBOOKS_BASE}/auth?${new URLSearchParams({ companyId, ...flags }).toString()}`;

  const page = sendAdminPage;

  function message(res: Response, status: number, opts: Parameters<typeof renderMessagePage>[1]): void {
    page(res, status, renderMessagePage(chrome, opts));
  }

  /**
   * The OAuth redirect comes back to the configured redirect URI's host. On one machine, 127.0.0.1 and localhost
   * are different cookie hosts: keep the admin on the redirect URI's host so the session survives the round trip.
   */
  function canonicalLocation(req: Request): string | null {
    const host = req.get('host');
    if (!host || host === redirect.host) return null;
    const requested = new URL(`http://${host}`);
    if (!LOOPBACK.has(requested.hostname) || !LOOPBACK.has(redirect.hostname) || requested.port !== redirect.port) return null;
    return `${redirect.origin}${req.originalUrl}`;
  }

  function signIn(res: Response, status: number, companyId: string, problem?: { title: string; text: string }, next?: string | null): void {
    page(res, status, renderSignInPage(chrome, { companyId, problem, next }));
  }

  /** Sends the sign-in form or the refusal unless the caller is an admin. */
  async function requireAdminPage(req: Request, res: Response, companyId: string): Promise<Caller | null> {
    const caller = await sessions.caller(req);
    if (caller.kind === 'admin') return caller;
    if (caller.kind === 'forbidden') {
      signIn(res, 403, companyId, {
        title: 'ERP users can export but not connect QuickBooks.',
        text: 'Sign in with the Ledgerline admin key, or ask your Ledgerline administrator to connect QuickBooks.',
      });
    } else {
      signIn(res, 401, companyId);
    }
    return null;
  }

  function companyParam(res: Response, value: unknown): string | null {
    const parsed = CompanyParam.safeParse(first(value));
    if (parsed.success) return parsed.data;
    message(res, 400, {
      tone: 'error',
      title: 'Which company?',
      message: 'This page needs the Salesforce Company it is for (companyId).',
      fix: 'Open QuickBooks Authentication from the Sales Invoice Export page, which adds the company.',
    });
    return null;
  }

  /**
   * The common start of an admin GET page about one company: canonical host, a valid companyId, an admin
   * session, and the company itself. Answers the request itself (redirect / error page) and returns null otherwise.
   */
  async function adminCompanyPage(req: Request, res: Response): Promise<{ caller: Caller; company: Company } | null> {
    const canonical = canonicalLocation(req);
    if (canonical) {
      res.redirect(302, canonical);
      return null;
    }
    const companyId = companyParam(res, req.query.companyId);
    if (companyId === null) return null;
    const caller = await requireAdminPage(req, res, companyId);
    if (!caller) return null;
    const company = await loadCompany(res, companyId);
    return company ? { caller, company } : null;
  }

  /** The form's fields, or a 400 page naming what is wrong with it. */
  function formFields<S extends z.ZodType>(req: Request, res: Response, schema: S): z.infer<S> | null {
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) return parsed.data;
    message(res, 400, {
      tone: 'error',
      title: 'The form was not understood',
      message: `${describeIssues(parsed.error.issues)}.`,
      fix: 'Reload QuickBooks Authentication and use its buttons.',
    });
    return null;
  }

  /** The Salesforce Company, or a 404 / 503 page. */
  async function loadCompany(res: Response, idOrName: string): Promise<Company | null> {
    try {
      return await deps.exports.company(idOrName);
    } catch (err) {
      if (err instanceof LedgerlineError && err.status === 404) {
        message(res, 404, {
          tone: 'error',
          title: 'Company not found',
          message: `There is no Company ${idOrName} in Salesforce.`,
          fix: 'Open QuickBooks Authentication from the Sales Invoice Export page of the company you want to connect.',
        });
        return null;
      }
      log.error({ err: scrubSecrets(errorMessage(err)) }, 'QuickBooks Authentication: could not read the company from Salesforce');
      if (err instanceof SalesforceUnavailableError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        message(res, 503, {
          tone: 'error',
          title: 'Salesforce is not available right now',
          message: `The company could not be read from Salesforce: ${scrubSecrets(err.message)}`,
          fix: `Reload this page in ${retryText(err.retryAfterSeconds)}.`,
        });
        return null;
      }
      message(res, 502, {
        tone: 'error',
        title: 'Salesforce could not be reached',
        message: 'The company could not be read from Salesforce.',
        fix: 'Try again in a minute. If it keeps failing, check the service log.',
      });
      return null;
    }
  }

  // --- QuickBooks company name (CompanyInfo). Read only with an access token that is valid now: viewing the page
  // must not refresh the authorization (the page would never show "Expiring"). Cached per realm: reads are metered.
  const companyInfoCache = new Map<string, { name: string; at: number }>();

  async function quickBooksCompany(companyId: string, realmId: string): Promise<QuickBooksCompanyView> {
    if (!apiBaseUrl) return { name: null, problem: 'not available' };
    const cached = companyInfoCache.get(realmId);
    if (cached && Date.now() - cached.at < COMPANY_INFO_TTL_MS) return { name: cached.name, problem: null };
    const tokens = await deps.store.tokens.get(companyId);
    if (!tokens || tokens.realmId !== realmId || tokens.accessTokenExpiresAt.getTime() - now().getTime() < 60_000) {
      return cached ? { name: cached.name, problem: null } : { name: null, problem: 'shown after the next token refresh' };
    }
    const url = `${apiBaseUrl.replace(/\/$/, '')}/v3/company/${encodeURIComponent(realmId)}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${deps.minorVersion ?? 75}`;
    try {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${tokens.accessToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) {
        await res.body?.cancel();
        if (cached) return { name: cached.name, problem: null };
        return { name: null, problem: res.status === 401 ? 'QuickBooks refused the access token' : `QuickBooks answered HTTP ${res.status}` };
      }
      const body = (await res.json()) as { CompanyInfo?: { CompanyName?: unknown; LegalName?: unknown } };
      const name = body.CompanyInfo?.CompanyName ?? body.CompanyInfo?.LegalName;
      if (typeof name !== 'string' || !name) return { name: null, problem: 'QuickBooks did not say' };
      companyInfoCache.set(realmId, { name, at: Date.now() });
      return { name, problem: null };
    } catch (err) {
      log.warn({ companyId, realmId, err: scrubSecrets(errorMessage(err)) }, 'could not read the QuickBooks company name');
      return cached ? { name: cached.name, problem: null } : { name: null, problem: 'QuickBooks could not be reached' };
    }
  }

  async function renderPage(req: Request, res: Response, caller: Caller, company: Company, status: number, banner: Banner | null): Promise<void> {
    const summary = await deps.authorization.summary(company.id);
    const qbCompany =
      (summary.state === 'connected' || summary.state === 'expiring') && summary.realmId ? await quickBooksCompany(company.id, summary.realmId) : null;
    page(
      res,
      status,
      renderAuthPage(chrome, {
        companyId: company.id,
        companyName: company.name,
        companyRealmId: company.realmId,
        summary,
        quickBooksCompany: qbCompany,
        banner: banner ?? bannerFromQuery(req, summary, qbCompany),
        csrfToken: sessions.csrfToken(caller),
        browserSession: caller.kind === 'admin' && caller.via === 'cookie',
        confirmDisconnect: first(req.query.confirm) === 'disconnect',
        now: now(),
      }),
    );
  }

  function bannerFromQuery(req: Request, summary: ConnectionSummary, qbCompany: QuickBooksCompanyView | null): Banner | null {
    const live = summary.state === 'connected' || summary.state === 'expiring';
    if (first(req.query.connected) === '1' && live) {
      const who = qbCompany?.name ? `${qbCompany.name} (realm ${summary.realmId})` : `QuickBooks company ${summary.realmId}`;
      return { tone: 'success', title: 'Connected to QuickBooks.', text: `Ledgerline exports to ${who}.` };
    }
    const recently = summary.lastRefreshedAt !== null && now().getTime() - summary.lastRefreshedAt.getTime() < 10 * 60 * 1000;
    if (first(req.query.refreshed) === '1' && live && recently) {
      return { tone: 'success', title: 'Token refreshed.', text: `${stateText(summary)}.` };
    }
    if (first(req.query.disconnected) === '1' && summary.state === 'not_connected') {
      return first(req.query.revoke) === 'failed'
        ? {
            tone: 'warning',
            title: 'Disconnected, but QuickBooks could not be told.',
            text: 'Ledgerline deleted its tokens. To be sure, remove Ledgerline under Apps in QuickBooks.',
          }
        : { tone: 'success', title: 'Disconnected from QuickBooks.', text: 'Ledgerline deleted its tokens and QuickBooks revoked the authorization.' };
    }
    return null;
  }

  // --- Routes ---

  router.get('/auth', async (req, res) => {
    const page = await adminCompanyPage(req, res);
    if (!page) return;
    const { caller, company } = page;
    await renderPage(req, res, caller, company, 200, null);
  });

  // Counts only refused sign-ins; once an address has SIGN_IN_MAX_FAILURES of them, every sign-in from it (the right
  // key too) waits for the window to pass: guessing the key is not worth trying.
  const signInLimit = rateLimit({
    windowMs: SIGN_IN_WINDOW_MS,
    limit: SIGN_IN_MAX_FAILURES,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + SIGN_IN_WINDOW_MS) - Date.now()) / 1000));
      log.warn({ ip: req.ip }, 'QuickBooks Authentication: sign-in locked out after too many failures');
      res.setHeader('Retry-After', String(seconds));
      signIn(res, 429, '', {
        title: 'Too many failed sign-ins.',
        text: `After ${SIGN_IN_MAX_FAILURES} wrong keys from this address, sign-in is locked for ${retryText(seconds)}. Try again then with the LEDGERLINE_ADMIN_KEY of this service.`,
      });
    },
  });

  router.post('/session', signInLimit, ...form, async (req, res) => {
    const body = formFields(req, res, SignInForm);
    if (!body) return;
    const companyId = CompanyParam.safeParse(body.companyId).data ?? '';
    // Another admin page (the Web Connector's) sent the admin here: back there after signing in.
    const next = adminReturnPath(body.next);
    const key = body.adminKey ?? '';
    const role = roleFor(deps.credentials, key || undefined);
    if (role === 'admin') {
      await sessions.signIn(res);
      log.info('QuickBooks Authentication: admin signed in');
      return res.redirect(303, next ?? (companyId ? authUrl(companyId) : `${QUICKBOOKS_BASE}/auth`));
    }
    if (role === 'export') {
      log.warn('QuickBooks Authentication: sign-in refused for the export key');
      return signIn(
        res,
        403,
        companyId,
        {
          title: 'ERP users can export but not connect QuickBooks.',
          text: 'This is the export key. Sign in with the Ledgerline admin key, or ask your Ledgerline administrator.',
        },
        next,
      );
    }
    log.warn('QuickBooks Authentication: sign-in refused (unknown key)');
    signIn(res, 401, companyId, { title: 'That key is not valid.', text: 'Enter the LEDGERLINE_ADMIN_KEY of this service.' }, next);
  });

  router.post('/signout', ...form, async (req, res) => {
    const body = formFields(req, res, SignOutForm);
    if (!body) return;
    const caller = await sessions.caller(req);
    if (caller.kind === 'admin' && !sessions.csrfValid(caller, body.csrf)) {
      return message(res, 403, { tone: 'error', title: 'Form expired', message: 'This form is no longer valid.', fix: 'Reload the page and try again.' });
    }
    await sessions.signOut(res, caller);
    if (caller.kind === 'admin') log.info('QuickBooks Authentication: admin signed out (session ended)');
    message(res, 200, { tone: 'info', title: 'Signed out', message: 'You are signed out of QuickBooks Authentication.' });
  });

  router.get('/connect', async (req, res) => {
    const page = await adminCompanyPage(req, res);
    if (!page) return;
    const { caller, company } = page;
    const state = randomBytes(32).toString('base64url');
    await deps.store.oauthStates.create(state, company.id, new Date(now().getTime() + OAUTH_STATE_TTL_MS));
    sessions.bindState(res, caller, state, callbackPath);
    log.info({ companyId: company.id }, 'QuickBooks Connect started');
    res.redirect(302, deps.oauth.authorizeUri(state));
  });

  router.get('/callback', async (req, res) => {
    const parsed = CallbackQuery.safeParse({
      code: first(req.query.code),
      state: first(req.query.state),
      realmId: first(req.query.realmId),
      error: first(req.query.error),
    });
    const startAgain = 'Open QuickBooks Authentication from the Sales Invoice Export page and click Connect again.';
    if (!parsed.success) {
      return message(res, 400, { tone: 'error', title: 'Connect failed', message: 'The answer from QuickBooks was not understood.', fix: startAgain });
    }
    const q = parsed.data;
    if (!q.state) {
      log.warn('QuickBooks callback refused: no state');
      return message(res, 400, {
        tone: 'error',
        title: 'Connect failed',
        message: 'The answer from QuickBooks did not carry the state of a Connect started here, so it was refused.',
        fix: startAgain,
      });
    }
    const caller = await sessions.caller(req);
    if (caller.kind !== 'admin') {
      log.warn('QuickBooks callback refused: not signed in as admin');
      return message(res, caller.kind === 'forbidden' ? 403 : 401, {
        tone: 'error',
        title: 'Sign in first',
        message:
          caller.kind === 'forbidden'
            ? 'ERP users can export but not connect QuickBooks.'
            : 'Your administrator session has ended (or this browser did not start the Connect).',
        fix: `Sign in on QuickBooks Authentication and click Connect again.`,
      });
    }
    const expired = () => {
      log.warn('QuickBooks callback refused: unknown, used or expired state');
      return message(res, 400, {
        tone: 'error',
        title: 'This Connect link is no longer valid',
        message: 'It was already used, has expired (after 10 minutes), or was not started by this service.',
        fix: startAgain,
      });
    };
    // The session check comes BEFORE the state is used up: a callback from another session must not spend the
    // state of a Connect that its own admin is still finishing.
    const pending = await deps.store.oauthStates.peek(q.state, now());
    if (!pending) return expired();
    if (!sessions.checkStateBinding(req, res, caller, q.state, callbackPath)) {
      log.warn({ companyId: pending.companyId }, 'QuickBooks callback refused: state started in another session');
      return message(res, 400, {
        tone: 'error',
        title: 'Connect failed',
        message: 'This Connect was started in another browser session, so it was refused.',
        fix: 'Click Connect again in this browser.',
        backHref: authUrl(pending.companyId),
      });
    }
    const started = await deps.store.oauthStates.consume(q.state, now());
    if (!started) return expired();
    const companyId = started.companyId;
    const back = { backHref: authUrl(companyId) };
    if (q.error) {
      log.info({ companyId, error: q.error }, 'QuickBooks Connect cancelled');
      return message(res, 400, {
        tone: 'warning',
        title: q.error === 'access_denied' ? 'Connect cancelled' : 'Connect failed',
        message:
          q.error === 'access_denied'
            ? 'QuickBooks reports that access was not granted (access_denied). Nothing was changed.'
            : `QuickBooks refused the request (${q.error}). Nothing was changed.`,
        fix: 'Click Connect and choose Connect on the QuickBooks page.',
        ...back,
      });
    }
    if (!q.code || !q.realmId) {
      return message(res, 400, {
        tone: 'error',
        title: 'Connect failed',
        message: 'QuickBooks did not send an authorization code and company.',
        fix: 'Click Connect again.',
        ...back,
      });
    }
    const company = await loadCompany(res, companyId);
    if (!company) return;
    if (company.realmId && company.realmId !== q.realmId) {
      log.warn({ companyId, realmId: q.realmId, expected: company.realmId }, 'QuickBooks Connect refused: another QuickBooks company');
      return message(res, 409, {
        tone: 'error',
        title: 'Wrong QuickBooks company',
        message: `You chose QuickBooks company ${q.realmId}, but ${company.name} exports to QuickBooks company ${company.realmId} (its QuickBooks Realm Id in Salesforce).`,
        fix: `Click Connect again and choose company ${company.realmId} on the QuickBooks page, or correct the Company's QuickBooks Realm Id.`,
        ...back,
      });
    }
    // The URL the code was issued for: the configured redirect URI, never the Host header.
    const callbackUrl = `${redirectUri}?${new URLSearchParams({ code: q.code, state: q.state, realmId: q.realmId }).toString()}`;
    let tokens;
    try {
      tokens = await deps.oauth.exchangeCode(callbackUrl);
    } catch (err) {
      const grant = err instanceof OAuthGrantError ? err : null;
      log.warn({ companyId, error: grant?.error ?? 'unknown', intuitTid: grant?.intuitTid ?? null }, 'QuickBooks code exchange failed');
      const unreachable = !grant || grant.error === 'connection_failed';
      return message(res, unreachable ? 502 : 400, {
        tone: 'error',
        title: 'Connect failed',
        message: unreachable
          ? 'QuickBooks could not be reached to finish the connection.'
          : `QuickBooks did not accept the authorization (${grant.error}). Authorization codes work once and expire after a few minutes.`,
        fix: unreachable ? 'Wait a minute and click Connect again.' : 'Click Connect again and finish on the QuickBooks page without waiting.',
        ...back,
      });
    }
    await deps.authorization.connect(companyId, { ...tokens, realmId: q.realmId });
    companyInfoCache.delete(q.realmId);
    log.info({ companyId, realmId: q.realmId }, 'QuickBooks connected');
    res.redirect(303, authUrl(companyId, { connected: '1' }));
  });

  /** CSRF-checked admin form post; returns the company or has answered already. */
  async function adminPost(req: Request, res: Response): Promise<{ caller: Caller; company: Company } | null> {
    const body = formFields(req, res, CompanyForm);
    if (!body) return null;
    const companyId = companyParam(res, body.companyId ?? req.query.companyId);
    if (companyId === null) return null;
    const caller = await requireAdminPage(req, res, companyId);
    if (!caller) return null;
    if (!sessions.csrfValid(caller, body.csrf)) {
      log.warn({ companyId }, 'QuickBooks Authentication: form refused (CSRF token missing or wrong)');
      message(res, 403, {
        tone: 'error',
        title: 'Form expired',
        message: 'This form is no longer valid (it belongs to another or an ended session).',
        fix: 'Reload QuickBooks Authentication and click the button again.',
        backHref: authUrl(companyId),
      });
      return null;
    }
    const company = await loadCompany(res, companyId);
    return company ? { caller, company } : null;
  }

  router.post('/refresh', ...form, async (req, res) => {
    const ctx = await adminPost(req, res);
    if (!ctx) return;
    const { caller, company } = ctx;
    try {
      await deps.authorization.refresh(company.id);
      log.info({ companyId: company.id }, 'QuickBooks token refreshed from QuickBooks Authentication');
      res.redirect(303, authUrl(company.id, { refreshed: '1' }));
    } catch (err) {
      if (err instanceof QuickBooksUnauthorizedError) {
        const notConnected = err.options.details?.reason === 'not connected';
        log.warn({ companyId: company.id, reason: err.options.details?.reason }, 'QuickBooks token refresh refused');
        return renderPage(req, res, caller, company, 409, {
          tone: 'error',
          title: notConnected ? 'Not connected.' : 'QuickBooks refused the refresh.',
          text: notConnected ? 'Click Connect first.' : 'The saved authorization is no longer valid: click Reconnect and sign in to QuickBooks.',
        });
      }
      log.warn({ companyId: company.id, err: scrubSecrets(errorMessage(err)) }, 'QuickBooks token refresh failed');
      return renderPage(req, res, caller, company, 502, {
        tone: 'error',
        title: 'Refresh failed.',
        text: 'QuickBooks could not be reached. Nothing was changed; try again in a minute.',
      });
    }
  });

  router.post('/disconnect', ...form, async (req, res) => {
    const ctx = await adminPost(req, res);
    if (!ctx) return;
    const { company } = ctx;
    const realmId = (await deps.authorization.summary(company.id)).realmId;
    let revokeFailed = false;
    try {
      await deps.authorization.disconnect(company.id);
    } catch (err) {
      // disconnect() deletes the tokens even when the revoke call fails.
      revokeFailed = true;
      log.warn({ companyId: company.id, err: scrubSecrets(errorMessage(err)) }, 'QuickBooks revoke failed; tokens deleted anyway');
    }
    if (realmId) companyInfoCache.delete(realmId);
    log.info({ companyId: company.id }, 'QuickBooks disconnected');
    res.redirect(303, authUrl(company.id, revokeFailed ? { disconnected: '1', revoke: 'failed' } : { disconnected: '1' }));
  });

  router.get('/status', async (req, res) => {
    const caller = await sessions.caller(req);
    if (caller.kind === 'none') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="Ledgerline"');
      throw new LedgerlineError('UNAUTHENTICATED', 'A valid Ledgerline API key is required (Authorization: Bearer <key>).', { status: 401 });
    }
    const parsed = CompanyParam.safeParse(first(req.query.companyId));
    if (!parsed.success) throw new LedgerlineError('BAD_REQUEST', 'companyId is required.', { status: 400 });
    const company = await deps.exports.company(parsed.data);
    const s = await deps.authorization.summary(company.id);
    res.set('Cache-Control', 'no-store').json({
      companyId: company.id,
      companyName: company.name,
      state: s.state,
      stateText: stateText(s),
      realmId: s.realmId,
      daysLeft: s.daysLeft,
      refreshTokenExpiresAt: s.refreshTokenExpiresAt?.toISOString() ?? null,
      lastRefreshedAt: s.lastRefreshedAt?.toISOString() ?? null,
      connectedAt: s.connectedAt?.toISOString() ?? null,
      reason: s.reason,
      authenticationPath: authUrl(company.id),
    });
  });

  // Page routes answer failures with a page; /status keeps the service's JSON errors.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/status' || res.headersSent) return next(err);
    const refused = clientError(err);
    if (refused) {
      // The client's mistake (a form too large or of the wrong type, a file that is not there): a 4xx page.
      return message(res, refused.status, {
        tone: 'error',
        title: refused.status === 404 ? 'Not found' : 'The request was refused',
        message: refused.message,
        fix: 'Open QuickBooks Authentication from the Sales Invoice Export page and use its buttons.',
      });
    }
    if (err instanceof SalesforceUnavailableError) {
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return message(res, 503, {
        tone: 'error',
        title: 'Salesforce is not available right now',
        message: scrubSecrets(err.message),
        fix: `Reload this page in ${retryText(err.retryAfterSeconds)}.`,
      });
    }
    log.error(
      { path: req.path, err: scrubSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) },
      'QuickBooks Authentication page failed',
    );
    message(res, 500, {
      tone: 'error',
      title: 'Something went wrong',
      message: 'The QuickBooks Authentication page failed. The error was logged.',
      fix: 'Try again. If it keeps failing, check the service log.',
    });
  });

  return router;
}
