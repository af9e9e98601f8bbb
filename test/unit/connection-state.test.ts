// connectionSummary: the state the QuickBooks Authentication page and the export page show, at its thresholds.
import { EXPIRING_WITHIN_DAYS, MAX_AUTHORIZATION_MS, connectionSummary } from '../../service/src/quickbooks/online/authorization';
import { stateText } from '../../service/src/quickbooks/online/authPage';
import type { StoredTokens } from '../../service/src/store/types';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T12:00:00.000Z');

function tokens(overrides: Partial<StoredTokens> = {}): StoredTokens {
  return {
    companyId: 'a00000000000001AAA',
    realmId: '9130350000000001',
    accessToken: 'access-token-value',
    refreshToken: 'refresh-token-value',
    accessTokenExpiresAt: new Date(NOW.getTime() + 3_600_000),
    refreshTokenExpiresAt: new Date(NOW.getTime() + 100 * DAY),
    connectedAt: new Date(NOW.getTime() - DAY),
    refreshTokenHardExpiresAt: null,
    lastRefreshedAt: new Date(NOW.getTime() - 60_000),
    status: 'connected',
    statusReason: null,
    version: 1,
    ...overrides,
  };
}

describe('connectionSummary', () => {
  it('when there are no tokens, then the company is not connected', () => {
    const s = connectionSummary(null, NOW);
    expect(s).toEqual({
      state: 'not_connected',
      realmId: null,
      refreshTokenExpiresAt: null,
      hardExpiresAt: null,
      daysLeft: null,
      lastRefreshedAt: null,
      connectedAt: null,
      reason: null,
    });
    expect(stateText(s)).toBe('Not connected');
  });

  it('when the refresh token has 100 days left, then it is connected for 100 more days, with no tokens in the summary', () => {
    const s = connectionSummary(tokens(), NOW);
    expect(s.state).toBe('connected');
    expect(s.daysLeft).toBe(100);
    expect(s.realmId).toBe('9130350000000001');
    expect(JSON.stringify(s)).not.toMatch(/token-value/);
    expect(stateText(s)).toBe('Connected — refresh token valid for 100 more days');
  });

  it('when 15 days are left, then it is still connected; at 14 days and less it is expiring', () => {
    expect(connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() + 15 * DAY) }), NOW).state).toBe('connected');
    const at14 = connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() + EXPIRING_WITHIN_DAYS * DAY) }), NOW);
    expect(at14).toMatchObject({ state: 'expiring', daysLeft: 14 });
    expect(stateText(at14)).toBe('Expiring in 14 days');
    // 14 days and 23 hours: whole days left is 14, so expiring.
    expect(connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() + 15 * DAY - 3_600_000) }), NOW).state).toBe('expiring');
    const lastHour = connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() + 3_600_000) }), NOW);
    expect(lastHour).toMatchObject({ state: 'expiring', daysLeft: 0 });
    expect(stateText({ ...at14, daysLeft: 1 })).toBe('Expiring in 1 day');
  });

  it('when the refresh token has expired (to the millisecond), then reauthorization is required, saying why', () => {
    const atExpiry = connectionSummary(tokens({ refreshTokenExpiresAt: NOW }), NOW);
    expect(atExpiry).toMatchObject({ state: 'reauthorization_required', daysLeft: 0, reason: 'The QuickBooks refresh token has expired' });
    expect(connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() - DAY) }), NOW).state).toBe('reauthorization_required');
    expect(connectionSummary(tokens({ refreshTokenExpiresAt: new Date(NOW.getTime() + 1) }), NOW).state).toBe('expiring');
    expect(stateText(atExpiry)).toBe('Reauthorization required (The QuickBooks refresh token has expired)');
  });

  it('when QuickBooks answered invalid_grant, then reauthorization is required even with days left on the clock', () => {
    const s = connectionSummary(tokens({ status: 'reauthorization_required', statusReason: 'QuickBooks rejected the refresh token (invalid_grant)' }), NOW);
    expect(s).toMatchObject({ state: 'reauthorization_required', daysLeft: 0, reason: 'QuickBooks rejected the refresh token (invalid_grant)' });
    expect(connectionSummary(tokens({ status: 'reauthorization_required', statusReason: null }), NOW).reason).toBe(
      'QuickBooks refused the saved authorization',
    );
  });

  it('when the authorization is five years old, then reauthorization is required whatever the refresh token says', () => {
    const fiveYears = connectionSummary(tokens({ connectedAt: new Date(NOW.getTime() - MAX_AUTHORIZATION_MS) }), NOW);
    expect(fiveYears.state).toBe('reauthorization_required');
    expect(fiveYears.reason).toMatch(/five-year maximum/);
    // A day before the five-year end the page warns (refreshing cannot push that end back).
    const justUnder = connectionSummary(tokens({ connectedAt: new Date(NOW.getTime() - MAX_AUTHORIZATION_MS + DAY) }), NOW);
    expect(justUnder).toMatchObject({ state: 'expiring', daysLeft: 1 });
    expect(justUnder.reason).toMatch(/five years after it was given/);
    const wellUnder = connectionSummary(tokens({ connectedAt: new Date(NOW.getTime() - MAX_AUTHORIZATION_MS + 30 * DAY) }), NOW);
    expect(wellUnder.state).toBe('connected');
  });

  it('when QuickBooks said the refresh token dies for good in 3 days, then the page warns with that date though 100 rolling days are left', () => {
    const hard = new Date(NOW.getTime() + 3 * DAY + 3_600_000);
    const s = connectionSummary(tokens({ refreshTokenHardExpiresAt: hard }), NOW);
    expect(s).toMatchObject({ state: 'expiring', daysLeft: 3, refreshTokenExpiresAt: hard, hardExpiresAt: hard });
    expect(s.reason).toBe(
      `QuickBooks ends this authorization on ${hard.toISOString().slice(0, 10)}, five years after it was given, whatever its use. Connect again before then.`,
    );
    expect(stateText(s)).toBe('Expiring in 3 days');
    // Past it, reauthorization is required, saying which end it was.
    const after = connectionSummary(tokens({ refreshTokenHardExpiresAt: new Date(NOW.getTime() - 1) }), NOW);
    expect(after).toMatchObject({ state: 'reauthorization_required', reason: 'The authorization reached QuickBooks’ five-year maximum' });
  });

  it('when the hard expiry is years away, then the 100 rolling days rule the page', () => {
    const s = connectionSummary(tokens({ refreshTokenHardExpiresAt: new Date(NOW.getTime() + 1000 * DAY) }), NOW);
    expect(s).toMatchObject({ state: 'connected', daysLeft: 100, reason: null });
    expect(s.refreshTokenExpiresAt).toEqual(new Date(NOW.getTime() + 100 * DAY));
  });
});
