// QuickBooksAuthorization against the QuickBooks Online emulator over real HTTP: refresh with rotation over many
// hours of emulator time, single-flight refresh in one process and across two instances sharing one store, and
// invalid_grant turning into "reauthorization required" with the seed 004 sentence.
import { randomBytes } from 'node:crypto';
import { startQboEmulator } from '../../emulators/qbo';
import { DEMO_CREDENTIALS } from '../../service/src/container';
import { QuickBooksUnauthorizedError, UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { quickBooksEndpoints, loadConfig } from '../../service/src/config';
import { QuickBooksAuthorization } from '../../service/src/quickbooks/online/authorization';
import { OAuthGrantError, createQuickBooksOAuth, type QuickBooksOAuth } from '../../service/src/quickbooks/online/oauth';
import { openStore, type Store } from '../../service/src/store';
import { DAY, HOUR, TestClock } from './quickbooks-auth-stack';

let companySeq = 0;
const REALM = '9130350000000001';

describe('QuickBooks authorization against the emulator', () => {
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let store: Store;
  let oauth: QuickBooksOAuth;
  const clock = new TestClock();
  let COMPANY = '';
  const encryptionKey = randomBytes(32);
  const schema = `qbrefresh_${randomBytes(4).toString('hex')}`;

  const admin = async <T = any>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${qbo.url}/__admin${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const oauthCalls = async () => (await admin<{ byKind: { oauth: number } }>('GET', '/stats')).byKind.oauth;
  const advance = async (ms: number) => {
    await admin('POST', '/clock', { advanceMs: ms });
    clock.offsetMs += ms;
  };
  const authorization = (instanceId: string, s: Store = store) => new QuickBooksAuthorization({ store: s, oauth, now: clock.now, instanceId });

  async function connectFresh(auth: QuickBooksAuthorization) {
    const t = await admin('POST', '/tokens', { realmId: REALM });
    await auth.connect(COMPANY, {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresIn: t.expires_in,
      refreshTokenExpiresIn: t.x_refresh_token_expires_in,
      realmId: REALM,
    });
    return t as { access_token: string; refresh_token: string };
  }

  beforeAll(async () => {
    qbo = await startQboEmulator({ port: 0 });
    await admin('POST', '/seed', { realms: [{ realmId: REALM, companyInfo: { CompanyName: 'Refresh Test Co' } }] });
    const config = loadConfig({});
    oauth = createQuickBooksOAuth({
      endpoints: quickBooksEndpoints(config.quickbooks, qbo.url),
      ...DEMO_CREDENTIALS.quickbooks,
      redirectUri: 'http://127.0.0.1:1/quickbooks/callback',
      environment: 'sandbox',
    });
  });

  beforeAll(async () => {
    store = await openStore({
      dataDir: 'memory://',
      encryptionKey,
      now: clock.now,
      databaseUrl: process.env.DATABASE_URL,
      schema: process.env.DATABASE_URL ? schema : undefined,
    });
  });
  // Each test its own company, so they share one store.
  beforeEach(() => {
    COMPANY = `a0A00000000000${String(++companySeq).padStart(2, '0')}AAA`;
  });
  afterAll(async () => {
    await store?.close();
    await qbo?.close();
  });

  it('when the refresh token is dead, then the OAuth wrapper reports invalid_grant (not a generic HTTP failure)', async () => {
    const err = await oauth.refresh('AB11not-a-token-the-emulator-issued').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthGrantError);
    expect((err as OAuthGrantError).error).toBe('invalid_grant');
    expect((err as OAuthGrantError).reauthorizationRequired).toBe(true);
    expect((err as Error).message).not.toMatch(/Basic|ledgerline-demo-secret/);
  });

  it('when the token endpoint is unreachable, then the wrapper says connection_failed and reauthorization is not required', async () => {
    const config = loadConfig({});
    const offline = createQuickBooksOAuth({
      endpoints: quickBooksEndpoints(config.quickbooks, 'http://127.0.0.1:9'),
      ...DEMO_CREDENTIALS.quickbooks,
      redirectUri: 'http://127.0.0.1:1/quickbooks/callback',
      environment: 'sandbox',
    });
    const err = (await offline.refresh('AB11whatever').catch((e: unknown) => e)) as OAuthGrantError;
    // put the statics back for the other tests (intuit-oauth keeps one endpoint per process)
    createQuickBooksOAuth({
      endpoints: quickBooksEndpoints(config.quickbooks, qbo.url),
      ...DEMO_CREDENTIALS.quickbooks,
      redirectUri: 'http://127.0.0.1:1/quickbooks/callback',
      environment: 'sandbox',
    });
    expect(err).toBeInstanceOf(OAuthGrantError);
    expect(err.error).toBe('connection_failed');
    expect(err.reauthorizationRequired).toBe(false);
  });

  it('when it refreshes every hour for 48 hours, then every refresh rotates the token, is saved first, and each old refresh token is dead', async () => {
    const auth = authorization('solo');
    await connectFresh(auth);
    let previous = await store.tokens.get(COMPANY);
    const before = await oauthCalls();
    for (let hour = 1; hour <= 48; hour++) {
      await advance(HOUR);
      const used = await auth.usableTokens(COMPANY); // access token expired: refreshes first
      const saved = await store.tokens.get(COMPANY);
      expect(used.refreshToken).not.toBe(previous!.refreshToken);
      expect(used.accessToken).not.toBe(previous!.accessToken);
      expect(saved!.refreshToken).toBe(used.refreshToken); // persisted before use
      expect(saved!.version).toBe(previous!.version + 1);
      const oldRejected = await oauth.refresh(previous!.refreshToken).catch((e: unknown) => e);
      expect(oldRejected).toBeInstanceOf(OAuthGrantError);
      expect((oldRejected as OAuthGrantError).error).toBe('invalid_grant');
      previous = saved;
    }
    expect(auth.refreshCalls).toBe(48);
    expect((await oauthCalls()) - before).toBe(96); // 48 refreshes + 48 refused old tokens
    const summary = await auth.summary(COMPANY);
    expect(summary.state).toBe('connected');
    expect(summary.daysLeft).toBeGreaterThanOrEqual(100); // rolling: a refresh 48 h later gives ~101 days again
    // The tokens in the database are ciphertext.
    const rows = await store.query<{ access_token_ciphertext: string; refresh_token_ciphertext: string }>('SELECT * FROM qbo_tokens WHERE company_id = $1', [
      COMPANY,
    ]);
    expect(rows[0].refresh_token_ciphertext).not.toContain(previous!.refreshToken);
    expect(rows[0].access_token_ciphertext).not.toContain(previous!.accessToken);
  });

  it('when 10 callers need a token at once after it expired, then QuickBooks sees ONE refresh', async () => {
    const auth = authorization('one');
    await connectFresh(auth);
    await advance(2 * HOUR);
    await admin('POST', '/stats/reset');
    const results = await Promise.all(Array.from({ length: 10 }, () => auth.usableTokens(COMPANY)));
    expect((await admin('GET', '/stats')).byKind.oauth).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(auth.refreshCalls).toBe(1);
  });

  it('when two service instances share one store and both need a token at once, then QuickBooks sees ONE refresh', async () => {
    // Two instances: with DATABASE_URL each gets its own pool (two processes' worth); PGlite is one database per store.
    const second = process.env.DATABASE_URL
      ? await openStore({ dataDir: 'memory://', encryptionKey, now: clock.now, databaseUrl: process.env.DATABASE_URL, schema })
      : store;
    try {
      const a = authorization('instance-a');
      const b = authorization('instance-b', second);
      await connectFresh(a);
      await advance(2 * HOUR);
      await admin('POST', '/stats/reset');
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).usableTokens(COMPANY)));
      expect((await admin('GET', '/stats')).byKind.oauth).toBe(1);
      expect(a.refreshCalls + b.refreshCalls).toBe(1);
      expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
      // And the token they share is the one QuickBooks accepts now.
      const saved = await store.tokens.get(COMPANY);
      expect(saved!.accessToken).toBe(results[0].accessToken);
    } finally {
      if (second !== store) await second.close();
    }
  });

  it('when QuickBooks answers invalid_grant, then the state is reauthorization_required and the error is exactly the seed 004 sentence', async () => {
    const auth = authorization('grant');
    const issued = await connectFresh(auth);
    // The user removed the app in QuickBooks: the grant is revoked.
    const revoked = await fetch(`${qbo.url}/v2/oauth2/tokens/revoke`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('ledgerline-demo-client:ledgerline-demo-secret').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ token: issued.refresh_token }),
    });
    expect(revoked.status).toBe(200);
    await advance(2 * HOUR);
    const err = await auth.usableTokens(COMPANY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuickBooksUnauthorizedError);
    expect((err as Error).message).toBe(UNAUTHORIZED_SENTENCE);
    const summary = await auth.summary(COMPANY);
    expect(summary.state).toBe('reauthorization_required');
    expect(summary.reason).toMatch(/invalid_grant/);
    // No further token calls once QuickBooks said no.
    const calls = await oauthCalls();
    await expect(auth.usableTokens(COMPANY)).rejects.toThrow(UNAUTHORIZED_SENTENCE);
    expect(await oauthCalls()).toBe(calls);
  });

  it('when an API call got 401 and the token endpoint refuses the app (invalid_client), then the export meets the seed sentence but the connection is not marked dead', async () => {
    const wrongClient = createQuickBooksOAuth({
      endpoints: quickBooksEndpoints(loadConfig({}).quickbooks, qbo.url),
      clientId: DEMO_CREDENTIALS.quickbooks.clientId,
      clientSecret: 'not-the-client-secret',
      redirectUri: 'http://127.0.0.1:1/quickbooks/callback',
      environment: 'sandbox',
    });
    const auth = new QuickBooksAuthorization({ store, oauth: wrongClient, now: clock.now, instanceId: 'wrong-client' });
    const issued = await connectFresh(auth);
    const direct = (await wrongClient.refresh(issued.refresh_token).catch((e: unknown) => e)) as OAuthGrantError;
    expect(direct.error).toBe('invalid_client');
    const source = await auth.tokenSource(COMPANY);
    await expect(source.refreshAfterUnauthorized(issued.access_token)).rejects.toThrow(UNAUTHORIZED_SENTENCE);
    expect((await auth.summary(COMPANY)).state).toBe('connected');
  });

  it('when 102 days pass without a refresh, then the refresh token is dead on both clocks and the state says reauthorization required', async () => {
    const auth = authorization('idle');
    const issued = await connectFresh(auth);
    await advance(102 * DAY);
    expect((await auth.summary(COMPANY)).state).toBe('reauthorization_required');
    await expect(auth.usableTokens(COMPANY)).rejects.toThrow(UNAUTHORIZED_SENTENCE);
    const direct = await oauth.refresh(issued.refresh_token).catch((e: unknown) => e);
    expect((direct as OAuthGrantError).error).toBe('invalid_grant');
  });

  it('when the service clock lags and QuickBooks already considers the token dead, then the refresh attempt flags reauthorization', async () => {
    const auth = authorization('lag');
    await connectFresh(auth);
    await advance(102 * DAY);
    clock.offsetMs -= 2 * DAY; // service thinks 100 days have passed: one day of refresh token left
    expect((await auth.summary(COMPANY)).state).toBe('expiring');
    await expect(auth.usableTokens(COMPANY)).rejects.toThrow(UNAUTHORIZED_SENTENCE);
    const summary = await auth.summary(COMPANY);
    expect(summary).toMatchObject({ state: 'reauthorization_required' });
    expect(summary.reason).toMatch(/invalid_grant/);
  });

  /** The same store, counting how often the tokens are read from it. */
  function countingTokenReads(s: Store): { store: Store; reads: () => number } {
    let reads = 0;
    const tokens = { ...s.tokens, get: (companyId: string) => (reads++, s.tokens.get(companyId)) };
    return { store: Object.assign(Object.create(s) as Store, { tokens }), reads: () => reads };
  }

  it('when a run makes many QuickBooks calls, then the tokens are read from the store once, not per call', async () => {
    const counted = countingTokenReads(store);
    const auth = authorization('held', counted.store);
    await connectFresh(auth);
    const source = await auth.tokenSource(COMPANY); // a run starts from the store's word
    expect(counted.reads()).toBe(1);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => source.get()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBe((await store.tokens.get(COMPANY))!.accessToken);
    expect(counted.reads()).toBe(1);
  });

  it('when another instance refreshed, then this one uses its tokens once the held access token nears expiry, without refreshing again', async () => {
    const counted = countingTokenReads(store);
    const a = authorization('held-a', counted.store);
    const b = authorization('held-b');
    await connectFresh(a);
    const source = await a.tokenSource(COMPANY);
    const first = await source.get();
    await advance(HOUR / 2);
    const byB = await b.refresh(COMPANY);
    expect(byB.accessToken).not.toBe(first);
    // Still well before expiry: the held token serves (it stays valid at QuickBooks until it expires).
    expect(await source.get()).toBe(first);
    const reads = counted.reads();
    // Within the five-minute margin of the held token's expiry: the store is read again and holds B's token.
    await advance(HOUR / 2 - 4 * 60_000);
    expect(await source.get()).toBe(byB.accessToken);
    expect(counted.reads()).toBe(reads + 1);
    expect(a.refreshCalls).toBe(0);
    // And held again from then on.
    expect(await source.get()).toBe(byB.accessToken);
    expect(counted.reads()).toBe(reads + 1);
  });

  it('when a held access token is refused (401) after another instance refreshed, then this one takes the stored tokens without a refresh of its own', async () => {
    const a = authorization('401-a');
    const b = authorization('401-b');
    await connectFresh(a);
    const source = await a.tokenSource(COMPANY);
    const first = await source.get();
    const byB = await b.refresh(COMPANY);
    const calls = await oauthCalls();
    expect(await source.refreshAfterUnauthorized(first)).toBe(byB.accessToken);
    expect(await source.get()).toBe(byB.accessToken);
    expect(a.refreshCalls).toBe(0);
    expect(await oauthCalls()).toBe(calls);
  });

  it('when this instance refreshes or disconnects, then the held tokens are replaced or gone at once', async () => {
    const auth = authorization('held-own');
    await connectFresh(auth);
    const source = await auth.tokenSource(COMPANY);
    const first = await source.get();
    const refreshed = await auth.refresh(COMPANY);
    expect(refreshed.accessToken).not.toBe(first);
    expect(await source.get()).toBe(refreshed.accessToken);
    await auth.disconnect(COMPANY);
    await expect(source.get()).rejects.toThrow(QuickBooksUnauthorizedError);
  });
});
