// intuit-oauth behind a small typed surface. Its errors carry the whole HTTP exchange (including the Basic
// header with our client secret), so only the OAuth error code, description and intuit_tid leave this module.
import OAuthClient from 'intuit-oauth';
import type { QuickBooksEndpoints } from '../../config';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds. */
  refreshTokenExpiresIn: number;
  /** Seconds to the refresh token's hard expiry (five years from consent), when QuickBooks said. */
  refreshTokenHardExpiresIn?: number;
  realmId?: string;
}

/**
 * Asks the token endpoint for `x_refresh_token_hard_expires_in`. intuit-oauth 4.2.0 does not send it (4.2.4 sent it
 * always but filed the answer under another name; 4.2.5 makes it opt-in): the raw answer is read here either way.
 */
export const HARD_EXPIRY_HEADER = 'x-include-refresh-token-hard-expires-in';

export class OAuthGrantError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly intuitTid: string | null,
  ) {
    super(`QuickBooks authorization failed: ${error}${description ? ` (${description})` : ''}`);
    this.name = 'OAuthGrantError';
  }

  /** The refresh token (or code) is dead: only a new Connect brings the company back. */
  get reauthorizationRequired(): boolean {
    return this.error === 'invalid_grant';
  }
}

export interface QuickBooksOAuth {
  /** The accounting API of the same QuickBooks target (the pages read CompanyInfo there). */
  readonly apiBaseUrl?: string;
  authorizeUri(state: string): string;
  exchangeCode(callbackUrl: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  revoke(token: string): Promise<void>;
}

export function createQuickBooksOAuth(opts: {
  endpoints: QuickBooksEndpoints;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  environment: 'sandbox' | 'production';
}): QuickBooksOAuth {
  // intuit-oauth keeps its endpoints as module-level statics; one QuickBooks target per process.
  const statics = OAuthClient as unknown as Record<string, string>;
  statics.authorizeEndpoint = opts.endpoints.authorizeUrl;
  statics.tokenEndpoint = opts.endpoints.tokenUrl;
  statics.revokeEndpoint = opts.endpoints.revokeUrl;

  const client = () => {
    const c = new OAuthClient({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      environment: opts.environment,
      redirectUri: opts.redirectUri,
      logging: false,
    });
    // Every token-endpoint request goes through loadResponse: the header is added there, nothing else changes.
    const load = c.loadResponse.bind(c);
    c.loadResponse = (request) =>
      load(request.url === statics.tokenEndpoint ? { ...request, headers: { ...request.headers, [HARD_EXPIRY_HEADER]: 'true' } } : request);
    return c;
  };

  return {
    apiBaseUrl: opts.endpoints.apiBaseUrl,
    authorizeUri(state) {
      return client().authorizeUri({ scope: [OAuthClient.scopes.Accounting], state });
    },
    async exchangeCode(callbackUrl) {
      try {
        const response = await client().createToken(callbackUrl);
        return toTokenSet(response.getJson(), new URL(callbackUrl).searchParams.get('realmId') ?? undefined);
      } catch (err) {
        throw grantError(err);
      }
    },
    async refresh(refreshToken) {
      try {
        const response = await client().refreshUsingToken(refreshToken);
        return toTokenSet(response.getJson());
      } catch (err) {
        throw grantError(err);
      }
    },
    async revoke(token) {
      try {
        await client().revoke({ refresh_token: token });
      } catch (err) {
        throw grantError(err);
      }
    },
  };
}

/** The token answer as QuickBooks sent it (getJson() is the raw body, whatever names the library's Token uses). */
export function toTokenSet(json: Record<string, any>, realmId?: string): TokenSet {
  const hard = Number(json.x_refresh_token_hard_expires_in);
  return {
    accessToken: String(json.access_token),
    refreshToken: String(json.refresh_token),
    expiresIn: Number(json.expires_in ?? 3600),
    refreshTokenExpiresIn: Number(json.x_refresh_token_expires_in ?? 8_726_400),
    ...(Number.isFinite(hard) && hard >= 0 && json.x_refresh_token_hard_expires_in !== null ? { refreshTokenHardExpiresIn: hard } : {}),
    realmId,
  };
}

/**
 * intuit-oauth 4.x rejects with axios's error for any non-2xx answer and never parses its body, so its own
 * `error` field says "Request failed with status code 400". The OAuth error code is in the HTTP answer:
 * read it from there, and otherwise tell "QuickBooks answered" from "QuickBooks could not be reached".
 */
function grantError(err: unknown): OAuthGrantError {
  const e = (err ?? {}) as {
    error?: unknown;
    error_description?: unknown;
    intuit_tid?: unknown;
    code?: unknown;
    response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  };
  const response = e.response;
  if (response && typeof response.status === 'number') {
    const body = typeof response.data === 'string' ? safeJson(response.data) : response.data;
    const fields = (body && typeof body === 'object' ? body : {}) as { error?: unknown; error_description?: unknown };
    const tid = response.headers?.intuit_tid;
    const intuitTid = typeof tid === 'string' && tid ? tid : null;
    if (typeof fields.error === 'string' && fields.error) {
      return new OAuthGrantError(fields.error, typeof fields.error_description === 'string' ? fields.error_description : '', intuitTid);
    }
    if (response.status === 401) return new OAuthGrantError('invalid_client', 'QuickBooks did not accept the app credentials', intuitTid);
    if (response.status >= 500) return new OAuthGrantError('server_error', `QuickBooks answered HTTP ${response.status}`, intuitTid);
    return new OAuthGrantError('http_error', `QuickBooks answered HTTP ${response.status}`, intuitTid);
  }
  if (typeof e.error === 'string' && /^[a-z_]+$/.test(e.error)) {
    return new OAuthGrantError(
      e.error,
      typeof e.error_description === 'string' ? e.error_description : '',
      typeof e.intuit_tid === 'string' ? e.intuit_tid : null,
    );
  }
  return new OAuthGrantError('connection_failed', typeof e.code === 'string' ? e.code : 'QuickBooks could not be reached', null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
