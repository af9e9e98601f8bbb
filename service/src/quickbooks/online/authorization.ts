// QuickBooks authorization per Company: the connection state the page shows, access tokens for the engine,
// and refresh with rotation. Rules that keep a company connected:
// - the newest refresh token is saved (atomically, encrypted) BEFORE the new access token is used, because
//   QuickBooks may rotate it and the old one then dies;
// - only one refresh happens at a time per company, in this process (a shared promise) and across processes
//   (a store lock), and a waiter re-reads the tokens instead of refreshing again.
// The tokens are read (and decrypted) once and held in memory for their company: every QuickBooks call needs one,
// and a store read per call was a large share of an export's CPU. The held copy is replaced by this process's
// refreshes and dropped on disconnect and on a refusal; the store is read again when a run takes a token source,
// when the held access token nears its expiry (so another instance's refresh is picked up) and after a 401.
import { QuickBooksUnauthorizedError } from '../../errors';
import type { StoredTokens, Store } from '../../store/types';
import { registerSecret } from '../../log';
import type { Notifications } from '../../notifications';
import type { AccessTokenSource } from './client';
import { OAuthGrantError, type QuickBooksOAuth, type TokenSet } from './oauth';

export type ConnectionState = 'not_connected' | 'connected' | 'expiring' | 'reauthorization_required';

export interface ConnectionSummary {
  state: ConnectionState;
  realmId: string | null;
  /** When the authorization ends: the earlier of the refresh token's 100 rolling days and its hard expiry. */
  refreshTokenExpiresAt: Date | null;
  /** The hard expiry (five years from consent): QuickBooks' word for it, else counted from the first connect. */
  hardExpiresAt: Date | null;
  daysLeft: number | null;
  lastRefreshedAt: Date | null;
  connectedAt: Date | null;
  reason: string | null;
  /** Not connected because an admin disconnected it (then), not because nobody connected it yet. */
  disconnectedAt?: Date | null;
}

const DAY_MS = 86_400_000;
export const EXPIRING_WITHIN_DAYS = 14;
/** Intuit's hard maximum for a refresh-token chain, counted from the first authorization. */
export const MAX_AUTHORIZATION_MS = 5 * 365 * DAY_MS;

/** Pure: the state of a company's connection at `now`. */
export function connectionSummary(tokens: StoredTokens | null, now: Date): ConnectionSummary {
  if (!tokens) {
    return {
      state: 'not_connected',
      realmId: null,
      refreshTokenExpiresAt: null,
      hardExpiresAt: null,
      daysLeft: null,
      lastRefreshedAt: null,
      connectedAt: null,
      reason: null,
    };
  }
  const hardEnd = tokens.refreshTokenHardExpiresAt ?? new Date(tokens.connectedAt.getTime() + MAX_AUTHORIZATION_MS);
  // The page and its warnings go by whichever comes first: 100 days without a refresh, or the five-year end.
  const byHardEnd = hardEnd.getTime() <= tokens.refreshTokenExpiresAt.getTime();
  const end = byHardEnd ? hardEnd : tokens.refreshTokenExpiresAt;
  const base = {
    realmId: tokens.realmId,
    refreshTokenExpiresAt: end,
    hardExpiresAt: hardEnd,
    lastRefreshedAt: tokens.lastRefreshedAt,
    connectedAt: tokens.connectedAt,
  };
  const msLeft = end.getTime() - now.getTime();
  const daysLeft = Math.max(0, Math.floor(msLeft / DAY_MS));
  if (tokens.status === 'reauthorization_required') {
    return { ...base, state: 'reauthorization_required', daysLeft: 0, reason: tokens.statusReason ?? 'QuickBooks refused the saved authorization' };
  }
  if (msLeft <= 0) {
    const reason = byHardEnd ? 'The authorization reached QuickBooks’ five-year maximum' : 'The QuickBooks refresh token has expired';
    return { ...base, state: 'reauthorization_required', daysLeft: 0, reason };
  }
  if (daysLeft > EXPIRING_WITHIN_DAYS) return { ...base, state: 'connected', daysLeft, reason: null };
  // Refreshing does not help against the five-year end: only a new Connect does, so the warning says so.
  const reason = byHardEnd
    ? `QuickBooks ends this authorization on ${end.toISOString().slice(0, 10)}, five years after it was given, whatever its use. Connect again before then.`
    : null;
  return { ...base, state: 'expiring', daysLeft, reason };
}

/** The hard expiry QuickBooks stated, as a date (null when the answer did not carry it). */
function hardExpiry(now: Date, seconds: number | undefined): Date | null {
  return seconds === undefined ? null : new Date(now.getTime() + seconds * 1000);
}

export interface AuthorizationOptions {
  store: Store;
  oauth: QuickBooksOAuth;
  now?: () => Date;
  /** Refresh when the access token has less than this left. Default 5 minutes. */
  refreshAheadMs?: number;
  /** Identifies this process in the refresh lock. */
  instanceId: string;
  /** Told when QuickBooks ends an authorization (invalid_grant). */
  notifications?: Notifications;
}

export class QuickBooksAuthorization {
  private readonly inFlight = new Map<string, Promise<StoredTokens>>();
  /** Tokens read or saved by this process, per company: what QuickBooks calls use until they near expiry. */
  private readonly held = new Map<string, StoredTokens>();
  /** Bumped whenever the held copy is dropped, so a store read that began before cannot put an older one back. */
  private readonly generation = new Map<string, number>();
  private readonly now: () => Date;
  /** Refresh calls this process made (tests and the bench read it). */
  refreshCalls = 0;

  constructor(private readonly opts: AuthorizationOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  async summary(companyId: string): Promise<ConnectionSummary> {
    const tokens = await this.opts.store.tokens.get(companyId);
    const summary = connectionSummary(tokens, this.now());
    return tokens ? summary : { ...summary, disconnectedAt: await this.opts.store.tokens.disconnectedAt(companyId) };
  }

  /** Saves the tokens of a fresh Connect. */
  async connect(companyId: string, tokens: TokenSet & { realmId: string }): Promise<StoredTokens> {
    const now = this.now();
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
    this.drop(companyId);
    return this.hold(
      await this.opts.store.tokens.save({
        companyId,
        realmId: tokens.realmId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresIn * 1000),
        refreshTokenExpiresAt: this.capped(now, now, tokens.refreshTokenExpiresIn),
        refreshTokenHardExpiresAt: hardExpiry(now, tokens.refreshTokenHardExpiresIn),
        connectedAt: now,
        lastRefreshedAt: now,
        status: 'connected',
        statusReason: null,
      }),
    );
  }

  async disconnect(companyId: string): Promise<void> {
    this.drop(companyId);
    const tokens = await this.opts.store.tokens.get(companyId);
    if (!tokens) return;
    try {
      await this.opts.oauth.revoke(tokens.refreshToken);
    } finally {
      await this.opts.store.tokens.delete(companyId);
    }
  }

  /** A token source for the engine's QuickBooks client, bound to one company. */
  async tokenSource(companyId: string): Promise<AccessTokenSource & { realmId: string }> {
    // A run starts from the store's word: a Connect, refresh or disconnect elsewhere since the last run counts.
    const tokens = await this.usableTokens(companyId, { fresh: true });
    return {
      realmId: tokens.realmId,
      get: async () => (await this.usableTokens(companyId)).accessToken,
      refreshAfterUnauthorized: async (rejected) => {
        try {
          return (await this.refresh(companyId, rejected)).accessToken;
        } catch (err) {
          // QuickBooks answered the API call with 401 and the token endpoint refused to help (invalid_client, a 401
          // of its own, ...): the export met UNAUTHORIZED, and the Process Log must say so. Only a token endpoint
          // that could not be reached (or failed with 5xx) stays a retryable connection problem.
          if (err instanceof OAuthGrantError && err.error !== 'connection_failed' && err.error !== 'server_error') {
            throw new QuickBooksUnauthorizedError(`401, then the token refresh failed: ${err.error}`, err);
          }
          throw err;
        }
      },
    };
  }

  /**
   * Tokens whose access token is good for a while; refreshes first when needed. The held copy serves while it is
   * good; `fresh` reads the store whatever is held.
   */
  async usableTokens(companyId: string, options: { fresh?: boolean } = {}): Promise<StoredTokens> {
    const held = options.fresh ? undefined : this.held.get(companyId);
    if (held && this.goodForAWhile(held)) {
      // The clock still counts: a refresh token that ran out while held is as dead as a stored one.
      this.assertUsable(held);
      return held;
    }
    const generation = this.generation.get(companyId) ?? 0;
    const tokens = await this.opts.store.tokens.get(companyId);
    try {
      this.assertUsable(tokens);
    } catch (err) {
      this.drop(companyId);
      throw err;
    }
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
    if (!this.goodForAWhile(tokens)) return this.refresh(companyId, tokens.accessToken);
    // A refresh, connect or disconnect here while the store was read: its outcome is what stays held.
    if (generation === (this.generation.get(companyId) ?? 0)) this.hold(tokens);
    return tokens;
  }

  /** Pure: the access token has more than the refresh margin left. */
  private goodForAWhile(tokens: StoredTokens): boolean {
    return tokens.accessTokenExpiresAt.getTime() - this.now().getTime() > (this.opts.refreshAheadMs ?? 300_000);
  }

  private hold(tokens: StoredTokens): StoredTokens {
    this.held.set(tokens.companyId, tokens);
    return tokens;
  }

  private drop(companyId: string): void {
    this.held.delete(companyId);
    this.generation.set(companyId, (this.generation.get(companyId) ?? 0) + 1);
  }

  /**
   * Refreshes the company's tokens unless someone already replaced `staleAccessToken`.
   * Single-flight within the process and across processes sharing the store.
   */
  refresh(companyId: string, staleAccessToken?: string): Promise<StoredTokens> {
    const running = this.inFlight.get(companyId);
    if (running) return running;
    // Whatever comes of it, the held copy is no longer trusted: a success replaces it, a failure leaves none.
    this.drop(companyId);
    const generation = this.generation.get(companyId);
    const work = this.refreshUnderLock(companyId, staleAccessToken)
      .then((tokens) => (generation === this.generation.get(companyId) ? this.hold(tokens) : tokens))
      .finally(() => this.inFlight.delete(companyId));
    this.inFlight.set(companyId, work);
    return work;
  }

  private async refreshUnderLock(companyId: string, staleAccessToken?: string): Promise<StoredTokens> {
    const { store, instanceId } = this.opts;
    const lockKey = `qbo-token-refresh:${companyId}`;
    const deadline = Date.now() + 30_000;
    while (!(await store.locks.acquire(lockKey, instanceId, 30_000))) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for another QuickBooks token refresh to finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      const current = await store.tokens.get(companyId);
      this.assertUsable(current);
      // Another process (or an earlier call) already rotated the tokens: use theirs.
      const alreadyFresh =
        staleAccessToken !== undefined && current.accessToken !== staleAccessToken && current.accessTokenExpiresAt.getTime() - this.now().getTime() > 60_000;
      if (alreadyFresh) return current;
      let fresh: TokenSet;
      try {
        this.refreshCalls++;
        fresh = await this.opts.oauth.refresh(current.refreshToken);
      } catch (err) {
        if (err instanceof OAuthGrantError && err.reauthorizationRequired) {
          // Marked dead first: every later caller meets the UNAUTHORIZED sentence without asking QuickBooks again.
          const reason = 'QuickBooks rejected the refresh token (invalid_grant)';
          await store.tokens.markReauthorizationRequired(companyId, reason);
          this.opts.notifications?.emit({ type: 'quickbooks.reauthorizationRequired', companyId, reason });
          throw new QuickBooksUnauthorizedError('invalid_grant', err);
        }
        // Any other refusal of the token endpoint (invalid_client, a 401) is still an authorization failure.
        if (err instanceof OAuthGrantError && err.error !== 'connection_failed') throw new QuickBooksUnauthorizedError(err.error, err);
        throw err;
      }
      registerSecret(fresh.accessToken);
      registerSecret(fresh.refreshToken);
      const now = this.now();
      return await store.tokens.save({
        ...current,
        accessToken: fresh.accessToken,
        refreshToken: fresh.refreshToken,
        accessTokenExpiresAt: new Date(now.getTime() + fresh.expiresIn * 1000),
        refreshTokenExpiresAt: this.capped(now, current.connectedAt, fresh.refreshTokenExpiresIn),
        // QuickBooks' own word on the five-year end wins; a refresh that does not say keeps what was known.
        refreshTokenHardExpiresAt: hardExpiry(now, fresh.refreshTokenHardExpiresIn) ?? current.refreshTokenHardExpiresAt,
        lastRefreshedAt: now,
        status: 'connected',
        statusReason: null,
      });
    } finally {
      await store.locks.release(lockKey, instanceId);
    }
  }

  /** The rolling end, never past the five-year end counted from the first connect (the fallback for the hard expiry). */
  private capped(now: Date, connectedAt: Date, expiresInSeconds: number): Date {
    return new Date(Math.min(now.getTime() + expiresInSeconds * 1000, connectedAt.getTime() + MAX_AUTHORIZATION_MS));
  }

  private assertUsable(tokens: StoredTokens | null): asserts tokens is StoredTokens {
    const summary = connectionSummary(tokens, this.now());
    if (summary.state === 'not_connected') throw new QuickBooksUnauthorizedError('not connected');
    if (summary.state === 'reauthorization_required') throw new QuickBooksUnauthorizedError(summary.reason ?? 'reauthorization required');
  }
}
