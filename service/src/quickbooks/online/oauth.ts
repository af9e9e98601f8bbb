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
  realmId?: string;
}

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

  const client = () =>
    new OAuthClient({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      environment: opts.environment,
      redirectUri: opts.redirectUri,
      logging: false,
    });

  return {
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

function toTokenSet(json: Record<string, any>, realmId?: string): TokenSet {
  return {
    accessToken: String(json.access_token),
    refreshToken: String(json.refresh_token),
    expiresIn: Number(json.expires_in ?? 3600),
    refreshTokenExpiresIn: Number(json.x_refresh_token_expires_in ?? 8_726_400),
    realmId,
  };
}

function grantError(err: unknown): OAuthGrantError {
  const e = err as { error?: string; error_description?: string; intuit_tid?: string; message?: string; code?: string };
  if (e && typeof e.error === 'string' && e.error) {
    return new OAuthGrantError(e.error, e.error_description ?? '', e.intuit_tid ?? null);
  }
  return new OAuthGrantError('connection_failed', e?.code ?? 'QuickBooks could not be reached', null);
}
