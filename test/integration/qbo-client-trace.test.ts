// The QuickBooks client leaves a trace of everything it hides from its caller: each token refresh after a 401,
// each pause after a 429 (with its wait, also announced through onThrottle), each time-out and each retry is one log
// line with the realm, the call and the intuit_tid — and never a token. Real HTTP to the QuickBooks emulator's
// scripted faults; the tokens come from the real QuickBooksAuthorization.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startQboEmulator } from '../../emulators/qbo';
import { quickBooksEndpoints, loadConfig } from '../../service/src/config';
import { DEMO_CREDENTIALS } from '../../service/src/container';
import { createLogger } from '../../service/src/log';
import { QuickBooksAuthorization } from '../../service/src/quickbooks/online/authorization';
import { QboClient, type ThrottlePause } from '../../service/src/quickbooks/online/client';
import { QboFault } from '../../service/src/quickbooks/online/errors';
import { createQuickBooksOAuth } from '../../service/src/quickbooks/online/oauth';
import { QboScheduler } from '../../service/src/quickbooks/online/scheduler';
import { openStore, type Store } from '../../service/src/store';
import { admin as adminCall } from '../support/stack';

const REALM = '9130350000000077';
const COMPANY = 'a0A000000000077AAA';

describe('when the QuickBooks client retries, refreshes or pauses', () => {
  let qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  let store: Store;
  let authorization: QuickBooksAuthorization;
  let scheduler: QboScheduler;
  let lines: any[] = [];
  let pauses: ThrottlePause[] = [];
  /** Every token the emulator issued to this test: none may appear in a log line. */
  const issued = new Set<string>();

  const admin = <T = any>(method: string, path: string, body?: unknown) => adminCall<T>(qbo.url, method, path, body);

  const client = (opts: { timeoutMs?: number; maxAttempts?: number } = {}) => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return authorization.tokenSource(COMPANY).then(
      (tokens) =>
        new QboClient({
          baseUrl: qbo.url,
          realmId: REALM,
          minorVersion: 75,
          tokens,
          scheduler,
          retryBaseMs: 10,
          timeoutMs: opts.timeoutMs,
          maxAttempts: opts.maxAttempts,
          logger: createLogger({ level: 'debug' }, sink),
          onThrottle: (pause) => pauses.push(pause),
        }),
    );
  };

  const rememberTokens = async () => {
    const saved = await store.tokens.get(COMPANY);
    if (saved) {
      issued.add(saved.accessToken);
      issued.add(saved.refreshToken);
    }
  };

  beforeAll(async () => {
    // The store first: opening it can take seconds, longer than an idle keep-alive connection to the emulator lives.
    store = await openStore({ dataDir: 'memory://', encryptionKey: randomBytes(32) });
    qbo = await startQboEmulator({ port: 0 });
    await admin('POST', '/seed', { realms: [{ realmId: REALM, companyInfo: { CompanyName: 'Trace Test Co' } }] });
    const oauth = createQuickBooksOAuth({
      endpoints: quickBooksEndpoints(loadConfig({}).quickbooks, qbo.url),
      ...DEMO_CREDENTIALS.quickbooks,
      redirectUri: 'http://127.0.0.1:1/quickbooks/callback',
      environment: 'sandbox',
    });
    authorization = new QuickBooksAuthorization({ store, oauth, instanceId: 'trace-test' });
    const t = await admin('POST', '/tokens', { realmId: REALM });
    await authorization.connect(COMPANY, {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresIn: t.expires_in,
      refreshTokenExpiresIn: t.x_refresh_token_expires_in,
      realmId: REALM,
    });
    // A short rate "minute": the 429 pause is one window long.
    scheduler = new QboScheduler({ requestsPerMinute: 500, batchesPerMinute: 40, maxConcurrent: 10, windowMs: 150 });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await store?.close();
    await qbo?.close();
  });
  beforeEach(async () => {
    lines = [];
    pauses = [];
    await admin('DELETE', '/faults');
    await rememberTokens();
  });
  afterEach(async () => {
    await rememberTokens();
    const text = JSON.stringify(lines);
    for (const token of issued) expect(text).not.toContain(token);
  });

  it('when QuickBooks answers 401, then the refresh and the retry are logged with the realm, the call and the intuit_tid of the 401', async () => {
    await admin('POST', '/faults', { kind: 'http401', count: 1, match: { entity: 'companyinfo' } });
    const info = await (await client()).companyInfo();
    expect(info.CompanyName).toBe('Trace Test Co');
    const refresh = lines.find((l) => l.msg === 'QuickBooks answered 401: refreshing the access token, then trying again');
    expect(refresh).toMatchObject({ realmId: REALM, call: `GET /companyinfo/${REALM}`, status: 401, attempt: 1 });
    expect(refresh.intuitTid).toMatch(/\S{8,}/);
    expect(lines.map((l) => l.msg)).toContain('QuickBooks access token refreshed after 401');
  });

  it('when QuickBooks answers 429 twice, then each pause is logged with its wait and intuit_tid, and onThrottle is told before each', async () => {
    await admin('POST', '/faults', { kind: 'http429', count: 2, match: { entity: 'query' } });
    const c = await client();
    const page = await c.queryPage('SELECT * FROM Customer');
    expect(page).toBeDefined();
    const throttled = lines.filter((l) => l.msg === 'QuickBooks rate limit (429): pausing before trying again');
    expect(throttled).toHaveLength(2);
    for (const [i, line] of throttled.entries()) {
      expect(line).toMatchObject({ realmId: REALM, call: 'GET /query', status: 429, waitMs: 150, attempt: i + 1 });
      expect(line.intuitTid).toMatch(/\S{8,}/);
      expect(line.level).toBe(40);
    }
    expect(pauses).toEqual([
      expect.objectContaining({ realmId: REALM, path: '/query', waitMs: 150, attempt: 1, intuitTid: throttled[0].intuitTid }),
      expect.objectContaining({ realmId: REALM, path: '/query', waitMs: 150, attempt: 2, intuitTid: throttled[1].intuitTid }),
    ]);
    expect(pauses[0]!.until).toBeInstanceOf(Date);
    expect(c.counts.retries).toBe(2);
  });

  it('when a call outlives the time-out, then the time-out is logged and the call is tried again', async () => {
    await admin('POST', '/faults', { kind: 'delay', delayMs: 3000, count: 1, match: { entity: 'companyinfo' } });
    const info = await (await client({ timeoutMs: 400 })).companyInfo();
    expect(info.CompanyName).toBe('Trace Test Co');
    const timedOut = lines.find((l) => l.msg === 'QuickBooks call timed out; trying again');
    expect(timedOut).toMatchObject({ realmId: REALM, call: `GET /companyinfo/${REALM}`, timeoutMs: 400, attempt: 1, code: 'NETWORK' });
  });

  it('when QuickBooks keeps failing with 500, then every retry is logged and so is giving up', async () => {
    await admin('POST', '/faults', { kind: 'http500', count: 10, match: { entity: 'companyinfo' } });
    const err = await (await client({ maxAttempts: 3 })).companyInfo().catch((e) => e);
    expect(err).toBeInstanceOf(QboFault);
    const retries = lines.filter((l) => l.msg === 'QuickBooks call failed (HTTP 500); trying again');
    expect(retries.map((l) => [l.attempt, l.waitMs, l.code])).toEqual([
      [1, 10, '10000'],
      [2, 20, '10000'],
    ]);
    for (const l of retries) expect(l.intuitTid).toMatch(/\S{8,}/);
    expect(lines.find((l) => l.msg === 'QuickBooks call failed 3 times; giving up')).toMatchObject({ level: 50, attempt: 3, status: 500 });
  });
});
