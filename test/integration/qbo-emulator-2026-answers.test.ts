// What the emulator answers since Intuit's 2025–2026 changes: the refresh token's hard expiry when the token request
// asks for it, company addresses with ISO-3 countries and no Lat/Long, and minor version 75 whatever was asked.
import { qboApi, type TokenSet } from '../../emulators/qbo/testkit';
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000041';
const CLIENT = 'ledgerline-demo-client';
const SECRET = 'ledgerline-demo-secret';
const DAY_S = 86_400;

const basic = `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}`;

describe('QBO emulator: answers as of 2026', () => {
  const { emu, admin } = useQboEmulator([
    {
      realmId: REALM,
      companyInfo: {
        CompanyName: 'Harbour Lights Ltd',
        LegalAddr: { Id: '2', Line1: '1 Quay St', City: 'Toronto', Country: 'Canada', Lat: '43.64', Long: '-79.38' },
      },
    },
  ]);

  async function refresh(refreshToken: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${emu.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    return { status: res.status, body: (await res.json()) as TokenSet };
  }

  it('when a refresh asks for the hard expiry, then the answer carries x_refresh_token_hard_expires_in to the five-year end; without the header it does not', async () => {
    const now = new Date((await admin.clock()).now);
    const consent = new Date(now);
    consent.setUTCFullYear(consent.getUTCFullYear() - 5);
    consent.setTime(consent.getTime() + 3 * DAY_S * 1000);
    const issued = await admin.tokens(REALM, undefined, consent.toISOString());
    expect(issued.x_refresh_token_hard_expires_in).toBeGreaterThan(3 * DAY_S - 60);
    expect(issued.x_refresh_token_hard_expires_in).toBeLessThanOrEqual(3 * DAY_S);

    const plain = await refresh(issued.refresh_token);
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.body)).toEqual(['x_refresh_token_expires_in', 'refresh_token', 'access_token', 'token_type', 'expires_in']);

    const asked = await refresh(plain.body.refresh_token, { 'x-include-refresh-token-hard-expires-in': 'true' });
    expect(asked.status).toBe(200);
    expect(Object.keys(asked.body)).toEqual([
      'x_refresh_token_expires_in',
      'refresh_token',
      'access_token',
      'token_type',
      'expires_in',
      'x_refresh_token_hard_expires_in',
    ]);
    expect(asked.body.x_refresh_token_hard_expires_in).toBeGreaterThan(3 * DAY_S - 60);
    expect(asked.body.x_refresh_token_hard_expires_in).toBeLessThanOrEqual(3 * DAY_S);
  });

  it('when a fresh consent asks for the hard expiry, then it is five years away', async () => {
    const issued = await admin.tokens(REALM);
    const asked = await refresh(issued.refresh_token, { 'X-Include-Refresh-Token-Hard-Expires-In': 'true' });
    expect(asked.body.x_refresh_token_hard_expires_in).toBeGreaterThan(5 * 365 * DAY_S - 60);
    expect(asked.body.x_refresh_token_hard_expires_in).toBeLessThanOrEqual(5 * 366 * DAY_S);
  });

  it('when CompanyInfo is read, then its addresses carry ISO-3 countries and no Lat/Long, whatever was written', async () => {
    const api = qboApi(emu.url, REALM, (await admin.tokens(REALM)).access_token);
    const info = (await api.get(`/companyinfo/${REALM}?minorversion=75`)).body.CompanyInfo;
    for (const key of ['CompanyAddr', 'CustomerCommunicationAddr']) expect(info[key]).toMatchObject({ Country: 'USA', City: 'San Pablo' });
    expect(info.LegalAddr).toEqual({ Id: '2', Line1: '1 Quay St', City: 'Toronto', Country: 'CAN' });
    for (const key of ['CompanyAddr', 'CustomerCommunicationAddr', 'LegalAddr']) {
      expect(info[key]).not.toHaveProperty('Lat');
      expect(info[key]).not.toHaveProperty('Long');
    }
  });

  it('when the minor version is missing, below 75 or one QuickBooks does not know, then the answer is minor version 75’s, never a fault', async () => {
    const api = qboApi(emu.url, REALM, (await admin.tokens(REALM)).access_token);
    const answers = await Promise.all(
      ['', '?minorversion=4', '?minorversion=74', '?minorversion=75', '?minorversion=999'].map((q) => api.get(`/companyinfo/${REALM}${q}`)),
    );
    for (const a of answers) expect(a.status).toBe(200);
    const shape = (a: (typeof answers)[number]) => JSON.stringify({ ...a.body.CompanyInfo, MetaData: undefined });
    expect(new Set(answers.map(shape)).size).toBe(1);
  });
});
