import { qboApi, type TokenSet } from '../../emulators/qbo/testkit';
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000005';
const OTHER = '9341450000000006';
const CLIENT = 'ledgerline-demo-client';
const SECRET = 'ledgerline-demo-secret';
const REDIRECT = 'http://localhost:3000/oauth/callback';
const DAY = 24 * 3600 * 1000;

const basic = (id = CLIENT, secret = SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('QBO emulator: OAuth and authentication', () => {
  const { emu, admin } = useQboEmulator([
    { realmId: REALM, companyInfo: { CompanyName: 'Brightwater Studio' } },
    { realmId: OTHER, companyInfo: { CompanyName: 'Other Books Ltd' } },
  ]);

  async function tokenCall(form: Record<string, string>, auth = basic()) {
    const res = await fetch(`${emu.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async function approve(fields: Record<string, string>) {
    const res = await fetch(`${emu.url}/connect/oauth2/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'com.intuit.quickbooks.accounting',
        ...fields,
      }).toString(),
    });
    return { status: res.status, location: new URL(res.headers.get('location') ?? 'http://none/') };
  }

  async function codeFor(realmId = REALM): Promise<string> {
    const { location } = await approve({ realmId, state: 's1' });
    return location.searchParams.get('code')!;
  }

  async function exchange(code: string): Promise<TokenSet> {
    const r = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(r.status).toBe(200);
    return JSON.parse(r.text) as TokenSet;
  }

  describe('consent', () => {
    it('when the authorize URL is opened, then a consent page lists the companies with a Connect button', async () => {
      const qs = new URLSearchParams({
        client_id: CLIENT,
        response_type: 'code',
        scope: 'com.intuit.quickbooks.accounting',
        redirect_uri: REDIRECT,
        state: 'csrf-1',
      });
      const res = await fetch(`${emu.url}/connect/oauth2?${qs}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('Connect Ledgerline to QuickBooks');
      expect(html).toContain('Brightwater Studio');
      expect(html).toContain('Other Books Ltd');
      expect(html).toMatch(/<button type="submit"[^>]*>Connect<\/button>/);
      expect(html).toMatch(/<form method="post" action="\/connect\/oauth2\/approve">/);
      expect(html).toContain('name="state" value="csrf-1"');
    });

    it('when the client is unknown, then the page refuses', async () => {
      const res = await fetch(`${emu.url}/connect/oauth2?client_id=nope&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`);
      expect(res.status).toBe(400);
    });

    it('when Connect is chosen, then the browser is sent back with code, state and realmId', async () => {
      const { status, location } = await approve({ realmId: OTHER, state: 'csrf-2' });
      expect(status).toBe(302);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('state')).toBe('csrf-2');
      expect(location.searchParams.get('realmId')).toBe(OTHER);
      expect(location.searchParams.get('code')).toMatch(/^AB11\d{10}[A-Za-z0-9]{36}$/);
    });

    it('when Cancel is chosen, then the browser is sent back with access_denied', async () => {
      const { location } = await approve({ realmId: REALM, state: 'csrf-3', decision: 'cancel' });
      expect(location.searchParams.get('error')).toBe('access_denied');
      expect(location.searchParams.get('state')).toBe('csrf-3');
      expect(location.searchParams.get('code')).toBeNull();
    });
  });

  describe('token endpoint', () => {
    it('when a code is exchanged, then the body matches the recorded token answer', async () => {
      const r = await tokenCall({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: REDIRECT });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(r.headers.get('intuit_tid')).toBeTruthy();
      const body = JSON.parse(r.text);
      expect(Object.keys(body)).toEqual(['x_refresh_token_expires_in', 'refresh_token', 'access_token', 'token_type', 'expires_in']);
      expect(body).toMatchObject({ x_refresh_token_expires_in: 8726400, token_type: 'bearer', expires_in: 3600 });
      const api = qboApi(emu.url, REALM, body.access_token);
      expect((await api.get(`/companyinfo/${REALM}`)).body.CompanyInfo.CompanyName).toBe('Brightwater Studio');
    });

    it('when a code is used twice, expires or comes with another redirect_uri, then it is invalid_grant', async () => {
      const code = await codeFor();
      await exchange(code);
      expect(JSON.parse((await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).text)).toEqual({ error: 'invalid_grant' });
      const other = await codeFor();
      expect((await tokenCall({ grant_type: 'authorization_code', code: other, redirect_uri: 'http://evil.example/cb' })).status).toBe(400);
      const late = await codeFor();
      await admin.advanceClock(10 * 60 * 1000 + 1);
      expect((await tokenCall({ grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT })).status).toBe(400);
    });

    it('when the client secret is wrong, then it is 401 invalid_client', async () => {
      const r = await tokenCall({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: REDIRECT }, basic(CLIENT, 'wrong'));
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text)).toEqual({ error: 'invalid_client' });
    });

    it('when a refresh token is used, then a new one is issued and the old one dies at once', async () => {
      const first = await exchange(await codeFor());
      const refreshed = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      const second = JSON.parse(refreshed.text) as TokenSet;
      expect(refreshed.status).toBe(200);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);
      const reused = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(reused.status).toBe(400);
      expect(reused.text).toBe('{"error_description":"Token invalid","error":"invalid_grant"}');
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: second.refresh_token })).status).toBe(200);
    });

    it('when a grace period is configured, then the replaced refresh token works until it ends', async () => {
      await admin.settings({ refreshTokenGraceMs: 60000 });
      const first = await exchange(await codeFor());
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(200);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(200);
      await admin.advanceClock(60001);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(400);
    });

    it('when the access token is older than an hour by the emulator clock, then the API answers the JSON 401', async () => {
      const tokens = await exchange(await codeFor());
      const api = qboApi(emu.url, REALM, tokens.access_token);
      await admin.advanceClock(3599 * 1000);
      expect((await api.get('/preferences')).status).toBe(200);
      await admin.advanceClock(2000);
      const r = await api.get('/preferences');
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="Intuit", error="invalid_token"');
      expect(r.body).toMatchObject({
        warnings: null,
        intuitObject: null,
        fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200', element: null }], type: 'AUTHENTICATION' },
      });
      expect(r.body.fault.error[0].detail).toMatch(/^Token expired: /);
    });

    it('when a refresh token is unused for longer than its lifetime, then it is invalid_grant; used in time it rolls on', async () => {
      const rolling = await exchange(await codeFor());
      const idle = await exchange(await codeFor());
      await admin.advanceClock(100 * DAY);
      const rolled = JSON.parse((await tokenCall({ grant_type: 'refresh_token', refresh_token: rolling.refresh_token })).text) as TokenSet;
      expect(rolled.x_refresh_token_expires_in).toBe(8726400);
      await admin.advanceClock(1 * DAY + 1000);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: idle.refresh_token })).text).toContain('invalid_grant');
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: rolled.refresh_token })).status).toBe(200);
    });

    it('when five years have passed since consent, then even a fresh refresh token is invalid_grant', async () => {
      let tokens = await exchange(await codeFor());
      let lastLifetime = tokens.x_refresh_token_expires_in;
      for (let i = 0; i < 18; i++) {
        await admin.advanceClock(100 * DAY);
        const r = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
        expect(r.status).toBe(200);
        tokens = JSON.parse(r.text) as TokenSet;
        lastLifetime = tokens.x_refresh_token_expires_in;
      }
      // 1800 days in: the grant ends at 5 years, so the last token lives only ~26 more days.
      expect(lastLifetime).toBeLessThan(30 * 24 * 3600);
      await admin.advanceClock(30 * DAY);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
    });

    it('when the refresh token is revoked, then it and its access tokens stop working', async () => {
      const tokens = await exchange(await codeFor());
      const api = qboApi(emu.url, REALM, tokens.access_token);
      const res = await fetch(`${emu.url}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: tokens.refresh_token }),
      });
      expect(res.status).toBe(200);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).text).toBe(
        '{"error_description":"Token invalid","error":"invalid_grant"}',
      );
      const refused = await api.get('/preferences');
      expect(refused.status).toBe(401);
      expect(refused.body.fault.error[0]).toMatchObject({ code: '3200', detail: 'Token invalid' });
    });

    it('when an access token is revoked with a form body, then the whole grant is revoked', async () => {
      const tokens = await exchange(await codeFor());
      const res = await fetch(`${emu.url}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.access_token }).toString(),
      });
      expect(res.status).toBe(200);
      expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
    });
  });

  describe('API authentication', () => {
    it('when no bearer token is sent, then it is the JSON 401', async () => {
      const res = await fetch(`${emu.url}/v3/company/${REALM}/preferences`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).fault.type).toBe('AUTHENTICATION');
    });

    it('when a token for one company is used on another, then it is the XML 401 General Authentication Error (code 100), even for a JSON caller', async () => {
      const tokens = await admin.tokens(REALM);
      const r = await qboApi(emu.url, OTHER, tokens.access_token).get('/preferences');
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toContain('application/xml');
      expect(r.text).toContain('<Fault type="AuthenticationFault"><Error code="100"><Message>General Authentication Error</Message>');
    });

    it('when the bearer is not the length of an Intuit access token, then the gateway JSON 401 says it is malformed', async () => {
      const r = await qboApi(emu.url, REALM, 'not-a-token').get('/preferences');
      expect(r.status).toBe(401);
      expect(r.body.fault.error[0]).toMatchObject({ code: '3200', detail: 'Malformed bearer token: too short or too long' });
    });

    it('when an http403 fault is queued, then the call gets the gateway JSON 403 ApplicationAuthorizationFailed (3100)', async () => {
      const tokens = await admin.tokens(REALM);
      await admin.fault({ kind: 'http403' });
      const r = await qboApi(emu.url, REALM, tokens.access_token).get('/preferences');
      expect(r.status).toBe(403);
      expect(r.body.fault).toMatchObject({
        type: 'SERVICE',
        error: [{ message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', code: '3100' }],
      });
    });

    it('when token calls are made, then they count as oauth in the stats', async () => {
      await exchange(await codeFor());
      expect((await admin.stats()).byKind.oauth).toBe(1);
      expect((await admin.stats()).byEndpoint['POST /oauth2/v1/tokens/bearer']).toBe(1);
    });
  });

  describe('admin clock', () => {
    it('when the clock is set or advanced, then the offset follows and reset puts it back', async () => {
      const set = await admin.setClock('2030-01-01T00:00:00.000Z');
      expect(Date.parse(set.now)).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:00.000Z'));
      const moved = await admin.advanceClock(DAY);
      expect(Date.parse(moved.now) - Date.parse(set.now)).toBeGreaterThanOrEqual(DAY);
      await admin.reset();
      expect((await admin.clock()).offsetMs).toBe(0);
    });
  });
});
