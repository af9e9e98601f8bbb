// The QuickBooks Authentication pages and the Connect flow over real HTTP: the service (with its QuickBooks router),
// the QuickBooks Online emulator's consent page and token endpoint, the Salesforce emulator with demo data.
// The tests run in order on one stack; its clock and the emulator's move forward together.
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { SESSION_COOKIE } from '../../service/src/http/adminSession';
import { DAY, CookieBrowser, approveConsent, consentForm, hiddenValue, signIn, startAuthStack, type AuthStack } from './quickbooks-auth-stack';

describe('QuickBooks Authentication', () => {
  let stack: AuthStack;
  let admin: CookieBrowser;
  /** Every browser and API client of this file: their answers are searched for secrets at the end. */
  const clients: CookieBrowser[] = [];
  const browser = (headers: Record<string, string> = {}) => {
    const b = new CookieBrowser(headers);
    clients.push(b);
    return b;
  };
  const auth = (companyId = stack.companyId) => `${stack.serviceUrl}/quickbooks/auth?companyId=${companyId}`;
  const api = () => browser({ Authorization: `Bearer ${stack.apiKey}` });
  const adminApi = () => browser({ Authorization: `Bearer ${stack.adminKey}` });
  const oauthCalls = async () => (await stack.qboAdmin('GET', '/stats')).byKind.oauth as number;
  const status = async () => JSON.parse((await api().request('GET', `${stack.serviceUrl}/quickbooks/status?companyId=${stack.companyId}`)).text);

  /** Connect → consent page → Connect button → callback → page, as a browser does it. */
  async function connectRoundTrip(b: CookieBrowser, realmId = stack.realmId, companyId = stack.companyId) {
    const consent = await b.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${companyId}`);
    expect(consent.status).toBe(200);
    expect(consent.url.startsWith(`${stack.qboUrl}/connect/oauth2?`)).toBe(true);
    return { consent, final: await approveConsent(b, consent, realmId) };
  }

  beforeAll(async () => {
    stack = await startAuthStack();
    admin = browser();
  });
  afterAll(() => stack?.close());

  describe('signing in', () => {
    it('when nobody is signed in, then the page is the admin sign-in form and shows nothing of the company', async () => {
      const page = await browser().request('GET', auth());
      expect(page.status).toBe(401);
      expect(page.text).toContain('name="adminKey"');
      expect(page.text).toContain('action="/quickbooks/session"');
      expect(page.text).not.toContain('QuickBooks Online connection');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });

    it('when an ERP user signs in with the export key, then it is refused with 403: ERP users can export but not connect', async () => {
      const b = browser();
      const answer = await signIn(b, stack, stack.apiKey);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('ERP users can export but not connect QuickBooks.');
      expect(answer.headers.getSetCookie()).toEqual([]);
    });

    it('when a wrong key is given, then 401 and the form again', async () => {
      const answer = await signIn(browser(), stack, 'not-the-admin-key-at-all');
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('That key is not valid.');
    });

    it('when the admin signs in, then the session cookie is HttpOnly, SameSite=Lax, 8 hours, signed, and not the admin key', async () => {
      const answer = await signIn(admin, stack, stack.adminKey);
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(auth());
      const [cookie] = answer.headers.getSetCookie();
      expect(cookie).toMatch(
        new RegExp(`^${SESSION_COOKIE}=v1\\.\\d+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+; Path=/quickbooks; Max-Age=28800; HttpOnly; SameSite=Lax$`),
      );
      expect(cookie).not.toContain(stack.adminKey);
      const value = admin.cookie(stack.serviceUrl, SESSION_COOKIE)!;
      const expires = Number(value.split('.')[1]) * 1000;
      expect(Math.abs(expires - stack.clock.now().getTime() - 8 * 3_600_000)).toBeLessThan(5000);
    });

    it('when the cookie is tampered with or expired, then it is not a session', async () => {
      const value = admin.cookie(stack.serviceUrl, SESSION_COOKIE)!;
      const [v, exp, sid, sig] = value.split('.');
      const forged = browser();
      forged.setCookie(stack.serviceUrl, SESSION_COOKIE, `${v}.${Number(exp) + 3600}.${sid}.${sig}`);
      expect((await forged.request('GET', auth())).status).toBe(401);
      const otherSid = browser();
      otherSid.setCookie(stack.serviceUrl, SESSION_COOKIE, `${v}.${exp}.${sid.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${sig}`);
      expect((await otherSid.request('GET', auth())).status).toBe(401);
      const copy = browser();
      copy.setCookie(stack.serviceUrl, SESSION_COOKIE, value);
      expect((await copy.request('GET', auth())).status).toBe(200);
      stack.clock.offsetMs += 8 * 3_600_000 + 1000; // the service's clock only
      try {
        expect((await copy.request('GET', auth())).status).toBe(401);
      } finally {
        stack.clock.offsetMs -= 8 * 3_600_000 + 1000;
      }
    });

    it('when the company is unknown, then a 404 page says so', async () => {
      const page = await admin.request('GET', `${stack.serviceUrl}/quickbooks/auth?companyId=a0X000000000099AAA`);
      expect(page.status).toBe(404);
      expect(page.text).toContain('Company not found');
    });
  });

  describe('the ERP user (export key) and the admin (bearer)', () => {
    it('when the export key is sent as a bearer, then connect, refresh and disconnect are refused with 403 and status works', async () => {
      const erp = api();
      expect((await erp.request('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.companyId}`)).status).toBe(403);
      expect((await erp.request('POST', `${stack.serviceUrl}/quickbooks/disconnect`, { companyId: stack.companyId })).status).toBe(403);
      expect((await erp.request('POST', `${stack.serviceUrl}/quickbooks/refresh`, { companyId: stack.companyId })).status).toBe(403);
      const page = await erp.request('GET', auth());
      expect(page.status).toBe(403);
      expect(page.text).toContain('ERP users can export but not connect QuickBooks.');
      const s = await erp.request('GET', `${stack.serviceUrl}/quickbooks/status?companyId=${stack.companyId}`);
      expect(s.status).toBe(200);
      expect(JSON.parse(s.text)).toMatchObject({ companyId: stack.companyId, state: 'not_connected', stateText: 'Not connected', realmId: null });
    });

    it('when no key is sent to the JSON status, then 401 JSON', async () => {
      const s = await browser().request('GET', `${stack.serviceUrl}/quickbooks/status?companyId=${stack.companyId}`);
      expect(s.status).toBe(401);
      expect(JSON.parse(s.text).error.code).toBe('UNAUTHENTICATED');
    });

    it('when the admin key is sent as a bearer, then connect redirects to QuickBooks with a fresh single-use state', async () => {
      const a = adminApi();
      const first = await a.request('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.companyId}`);
      const second = await a.request('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.companyId}`);
      expect(first.status).toBe(302);
      const url = new URL(first.location!);
      expect(`${url.origin}${url.pathname}`).toBe(`${stack.qboUrl}/connect/oauth2`);
      expect(url.searchParams.get('client_id')).toBe('ledgerline-demo-client');
      expect(url.searchParams.get('redirect_uri')).toBe(`${stack.serviceUrl}/quickbooks/callback`);
      expect(url.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
      const state = url.searchParams.get('state')!;
      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
      expect(new URL(second.location!).searchParams.get('state')).not.toBe(state);
    });
  });

  describe('Connect', () => {
    it('when the admin clicks Connect and then Connect on the QuickBooks page, then the company is connected and the page says so', async () => {
      const before = await admin.request('GET', auth());
      expect(before.status).toBe(200);
      expect(before.text).toContain('QuickBooks Authentication');
      expect(before.text).toContain('Not connected');
      expect(before.text).toContain(`href="/quickbooks/connect?companyId=${stack.companyId}"`);
      const companyName = stack.data.salesforce.records.Company__c!.find((c: any) => c.Id === stack.companyId)!.Name as string;
      expect(before.text).toContain(companyName.replace(/&/g, '&amp;'));

      const { consent, final } = await connectRoundTrip(admin);
      expect(consent.text).toContain('Connect Ledgerline to QuickBooks');
      expect(final.trail.map((u) => new URL(u).pathname)).toEqual(['/connect/oauth2/approve', '/quickbooks/callback', '/quickbooks/auth']);
      expect(final.url).toBe(`${auth()}&connected=1`);
      expect(final.status).toBe(200);
      expect(final.text).toContain('Connected to QuickBooks.');
      expect(final.text).toMatch(/Connected — refresh token valid for 10\d more days/);
      expect(final.text).toContain(stack.realmId);
      const qbName = stack.data.quickbooks.realms.find((r: any) => r.realmId === stack.realmId)?.companyInfo?.CompanyName;
      if (qbName) expect(final.text).toContain(String(qbName).replace(/&/g, '&amp;'));
      expect(final.text).toContain('Refresh Token');
      expect(final.text).toContain('Disconnect');

      expect(await status()).toMatchObject({ state: 'connected', realmId: stack.realmId, reason: null });
      // At rest the tokens are ciphertext; the values are the ones QuickBooks issued last.
      const saved = await stack.container.store.tokens.get(stack.companyId);
      expect(stack.qbo.state.tokens.refresh.has(saved!.refreshToken)).toBe(true);
      expect(stack.qbo.state.tokens.access.has(saved!.accessToken)).toBe(true);
      const [row] = await stack.container.store.query<Record<string, string>>('SELECT * FROM qbo_tokens WHERE company_id = $1', [stack.companyId]);
      const raw = JSON.stringify(row);
      expect(raw).not.toContain(saved!.refreshToken);
      expect(raw).not.toContain(saved!.accessToken);
      expect(row.realm_id).toBe(stack.realmId);
    });

    it('when the same callback comes again (reused state), then it is refused with a page saying to click Connect again', async () => {
      const { final } = await connectRoundTrip(admin);
      const callback = final.trail.find((u) => u.includes('/quickbooks/callback'))!;
      const again = await admin.request('GET', callback);
      expect(again.status).toBe(400);
      expect(again.text).toContain('This Connect link is no longer valid');
      expect(again.text).toContain('click Connect again');
    });

    it('when the callback has no state or an unknown one, then it is refused and nothing is exchanged', async () => {
      const calls = await oauthCalls();
      const missing = await admin.request('GET', `${stack.serviceUrl}/quickbooks/callback?code=AB11abc&realmId=${stack.realmId}`);
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('did not carry the state');
      const unknown = await admin.request('GET', `${stack.serviceUrl}/quickbooks/callback?code=AB11abc&realmId=${stack.realmId}&state=${'x'.repeat(43)}`);
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('no longer valid');
      expect(await oauthCalls()).toBe(calls);
    });

    it('when the admin takes longer than 10 minutes (service clock), then the state has expired and the callback is refused', async () => {
      const consent = await admin.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.companyId}`);
      stack.clock.offsetMs += 10 * 60_000 + 1000; // the service's clock only: the emulator's code is still good
      const final = await approveConsent(admin, consent, stack.realmId);
      expect(final.status).toBe(400);
      expect(final.text).toContain('has expired (after 10 minutes)');
    });

    it('when another signed-in browser uses a state this browser started, then it is refused', async () => {
      const consent = await admin.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.otherCompanyId}`);
      const form = consentForm(consent, stack.otherRealmId);
      const approved = await admin.request('POST', form.action, form.fields);
      const other = browser();
      await signIn(other, stack, stack.adminKey, stack.companyId);
      const stolen = await other.request('GET', approved.location!);
      expect(stolen.status).toBe(400);
      expect(stolen.text).toContain('started in another browser session');
      expect((await stack.container.authorization.summary(stack.otherCompanyId)).state).toBe('not_connected');
    });

    it('when nobody is signed in at the callback, then it is refused with 401', async () => {
      const consent = await admin.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.companyId}`);
      const form = consentForm(consent, stack.realmId);
      const approved = await admin.request('POST', form.action, form.fields);
      const anonymous = await browser().request('GET', approved.location!);
      expect(anonymous.status).toBe(401);
    });

    it('when the admin clicks Cancel on the QuickBooks page, then access_denied gives a page and nothing changes', async () => {
      const consent = await admin.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.otherCompanyId}`);
      const final = await approveConsent(admin, consent, stack.otherRealmId, 'cancel');
      expect(final.status).toBe(400);
      expect(final.text).toContain('Connect cancelled');
      expect(final.text).toContain('access_denied');
      expect((await stack.container.authorization.summary(stack.otherCompanyId)).state).toBe('not_connected');
    });

    it('when the admin picks a QuickBooks company other than the Company’s realm, then it is refused naming the right one', async () => {
      const { final } = await connectRoundTrip(admin, stack.otherRealmId, stack.companyId);
      expect(final.status).toBe(409);
      expect(final.text).toContain('Wrong QuickBooks company');
      expect(final.text).toContain(stack.realmId);
      expect((await status()).realmId).toBe(stack.realmId);
    });

    it('when the authorization code is refused by QuickBooks, then the page names the fix and shows no code', async () => {
      const consent = await admin.follow('GET', `${stack.serviceUrl}/quickbooks/connect?companyId=${stack.otherCompanyId}`);
      const state = hiddenValue(consent.text, 'state');
      // A code QuickBooks never issued, with a state this session really started.
      const page = await admin.request(
        'GET',
        `${stack.serviceUrl}/quickbooks/callback?code=AB11forgedcodeforgedcodeforgedcode&state=${state}&realmId=${stack.otherRealmId}`,
      );
      expect(page.status).toBe(400);
      expect(page.text).toContain('did not accept the authorization (invalid_grant)');
      expect(page.text).toContain('Click Connect again');
      expect(page.text).not.toContain('AB11forgedcode');
    });
  });

  describe('Refresh Token and Disconnect', () => {
    it('when the admin clicks Refresh Token, then one refresh happens now and the page shows the new state', async () => {
      const page = await admin.request('GET', auth());
      const csrf = hiddenValue(page.text, 'csrf');
      const before = await stack.container.store.tokens.get(stack.companyId);
      const calls = await oauthCalls();
      const answer = await admin.follow('POST', `${stack.serviceUrl}/quickbooks/refresh`, { companyId: stack.companyId, csrf });
      expect(answer.trail[1]).toBe(`${auth()}&refreshed=1`);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('Token refreshed.');
      expect(await oauthCalls()).toBe(calls + 1);
      const after = await stack.container.store.tokens.get(stack.companyId);
      expect(after!.refreshToken).not.toBe(before!.refreshToken);
    });

    it('when the form has no or a foreign CSRF token, then Refresh Token and Disconnect are refused with 403', async () => {
      const other = browser();
      await signIn(other, stack, stack.adminKey);
      const foreign = hiddenValue((await other.request('GET', auth())).text, 'csrf');
      for (const action of ['refresh', 'disconnect']) {
        expect((await admin.request('POST', `${stack.serviceUrl}/quickbooks/${action}`, { companyId: stack.companyId })).status).toBe(403);
        const wrong = await admin.request('POST', `${stack.serviceUrl}/quickbooks/${action}`, { companyId: stack.companyId, csrf: foreign });
        expect(wrong.status).toBe(403);
        expect(wrong.text).toContain('Form expired');
      }
      expect((await status()).state).toBe('connected');
    });

    it('when 90 days pass without a refresh, then the page says Expiring in N days', async () => {
      await stack.advance(90 * DAY);
      await signIn(admin, stack, stack.adminKey); // the 8-hour session ended long ago
      const page = await admin.request('GET', auth());
      expect(page.text).toMatch(/Expiring in (10|11) days/);
      expect((await status()).state).toBe('expiring');
    });

    it('when the admin disconnects, then QuickBooks revokes the authorization and the tokens are gone', async () => {
      const saved = await stack.container.store.tokens.get(stack.companyId);
      const csrf = hiddenValue((await admin.request('GET', auth())).text, 'csrf');
      const answer = await admin.follow('POST', `${stack.serviceUrl}/quickbooks/disconnect`, { companyId: stack.companyId, csrf });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('Disconnected from QuickBooks.');
      expect(answer.text).toContain('Not connected');
      expect(await stack.container.store.tokens.get(stack.companyId)).toBeNull();
      const grantId = stack.qbo.state.tokens.refresh.get(saved!.refreshToken)!.grantId;
      expect(stack.qbo.state.tokens.grants.get(grantId)!.revoked).toBe(true);
      expect((await status()).state).toBe('not_connected');
    });

    it('when the admin connects again with a bearer admin key (API client), then it works without cookies', async () => {
      const a = adminApi();
      const { final } = await connectRoundTrip(a);
      expect(final.status).toBe(200);
      expect(final.text).toContain('Connected to QuickBooks.');
      expect((await status()).state).toBe('connected');
    });
  });

  describe('when QuickBooks stops accepting the authorization', () => {
    it('when the app was removed in QuickBooks, then Refresh Token shows Reauthorization required with the seed sentence and a Reconnect button', async () => {
      const saved = await stack.container.store.tokens.get(stack.companyId);
      const grantId = stack.qbo.state.tokens.refresh.get(saved!.refreshToken)!.grantId;
      stack.qbo.state.tokens.grants.get(grantId)!.revoked = true;
      const csrf = hiddenValue((await admin.request('GET', auth())).text, 'csrf');
      const page = await admin.request('POST', `${stack.serviceUrl}/quickbooks/refresh`, { companyId: stack.companyId, csrf });
      expect(page.status).toBe(409);
      expect(page.text).toContain('QuickBooks refused the refresh.');
      expect(page.text).toContain('Reauthorization required (QuickBooks rejected the refresh token (invalid_grant))');
      expect(page.text).toContain(UNAUTHORIZED_SENTENCE);
      expect(page.text).toContain('>Reconnect</a>');
      expect(await status()).toMatchObject({ state: 'reauthorization_required' });
    });

    it('when the admin reconnects, then the company works again', async () => {
      const { final } = await connectRoundTrip(admin);
      expect(final.text).toContain('Connected to QuickBooks.');
      expect((await status()).state).toBe('connected');
    });

    it('when 102 days pass without a refresh, then the state is reauthorization required and an export fails with exactly the seed sentence, in the Process Log too', async () => {
      await stack.advance(102 * DAY);
      await signIn(admin, stack, stack.adminKey);
      expect((await status()).state).toBe('reauthorization_required');
      const erp = api();
      const started = await erp.request('POST', `${stack.serviceUrl}/api/companies/${stack.companyId}/exports`);
      expect(started.status).toBe(202);
      const { runId } = JSON.parse(started.text);
      let run: any;
      for (let i = 0; i < 400; i++) {
        run = JSON.parse((await erp.request('GET', `${stack.serviceUrl}/api/runs/${runId}`)).text);
        if (run.finished) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(run.status).toBe('failed');
      expect(run.error.message).toBe(UNAUTHORIZED_SENTENCE);
      const logs = JSON.parse((await erp.request('GET', `${stack.serviceUrl}/api/companies/${stack.companyId}/process-logs?limit=1`)).text);
      expect(logs[0].runId).toBe(runId);
      expect(logs[0].entries.map((e: any) => e.message)).toContain(UNAUTHORIZED_SENTENCE);
      const page = await admin.request('GET', auth());
      expect(page.text).toContain('Reauthorization required');
      expect(page.text).toContain('>Reconnect</a>');
    });
  });

  it('when everything above has happened, then no token, code or key appears in any log line, page or API answer', async () => {
    const secrets = [
      ...stack.qbo.state.tokens.access.keys(),
      ...stack.qbo.state.tokens.refresh.keys(),
      ...stack.qbo.state.tokens.codes.keys(),
      stack.adminKey,
      stack.apiKey,
      'ledgerline-demo-secret',
    ];
    expect(stack.qbo.state.tokens.refresh.size).toBeGreaterThanOrEqual(5);
    expect(stack.qbo.state.tokens.codes.size).toBeGreaterThanOrEqual(5);
    const logText = stack.logLines.join('\n');
    expect(logText).toContain('QuickBooks connected');
    expect(logText).toContain('QuickBooks code exchange failed');
    // What the service answered (headers and bodies); the emulator's own answers carry codes by design.
    const serviceAnswers = clients.flatMap((c) => c.seen).filter((s) => s.url.startsWith(stack.serviceUrl));
    expect(serviceAnswers.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    for (const secret of secrets) {
      if (logText.includes(secret)) leaks.push(`log: ${secret.slice(0, 12)}…`);
      for (const s of serviceAnswers) if (s.answer.includes(secret)) leaks.push(`answer to ${s.url.split('?')[0]}: ${secret.slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
  });
});
