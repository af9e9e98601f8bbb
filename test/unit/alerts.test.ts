// Which events an admin hears about, and the key that makes each one go out once.
import { authorizationAlert, runAlert, webConnectorAlert } from '../../service/src/alerts/decide';

const DAY = 86_400_000;
const company = { id: 'a01', name: 'Northwind Trading Co.', warningDays: null };

describe('alerts of a finished run', () => {
  const run = { runId: 'r1', companyId: 'a01', companyName: 'Northwind', errors: 2, message: null, processLogId: 'L1' } as const;

  it('when a run succeeded, then there is none; when it failed or ended with errors, then one keyed by the run that opens its Process Log', () => {
    expect(runAlert({ ...run, status: 'succeeded' })).toBeNull();
    expect(runAlert({ ...run, status: 'completed_with_errors' })).toMatchObject({
      eventKey: 'run:r1',
      kind: 'runCompletedWithErrors',
      title: 'Ledgerline: the export of Northwind ended with 2 errors',
      targetId: 'L1',
    });
    expect(runAlert({ ...run, status: 'failed', message: 'The export stopped: QuickBooks is down.' })).toMatchObject({
      eventKey: 'run:r1',
      kind: 'runFailed',
      body: expect.stringContaining('The export stopped: QuickBooks is down.'),
    });
  });
});

describe('alerts of an authorization near its end', () => {
  const at = (days: number, hard = false) => {
    const endsAt = new Date(Date.UTC(2027, 0, 1) + days * DAY);
    return { state: days <= 14 ? 'expiring' : 'connected', daysLeft: days, endsAt, hardEndsAt: hard ? endsAt : new Date(Date.UTC(2031, 0, 1)) };
  };

  it('when days left reach the default 14, then one alert keyed by the day it ends; at 15, none', () => {
    expect(authorizationAlert(company, at(15))).toBeNull();
    const alert = authorizationAlert(company, at(14));
    expect(alert).toMatchObject({ eventKey: 'authorization:a01:refresh:2027-01-15', kind: 'authorizationExpiring', targetId: 'a01' });
    // A later poll inside the same window names the same event.
    expect(authorizationAlert(company, { ...at(14), daysLeft: 9 })!.eventKey).toBe(alert!.eventKey);
  });

  it('when the company sets its own window, then it rules; the five-year end has a key and a fix of its own', () => {
    expect(authorizationAlert({ ...company, warningDays: 30 }, at(25))).not.toBeNull();
    expect(authorizationAlert({ ...company, warningDays: 5 }, at(10))).toBeNull();
    const hard = authorizationAlert(company, at(3, true))!;
    expect(hard.eventKey).toBe('authorization:a01:hard:2027-01-04');
    expect(hard.body).toContain('five years');
  });

  it('when the authorization is already dead or not there, then this alert is not the one that tells', () => {
    expect(authorizationAlert(company, { ...at(0), state: 'reauthorization_required' })).toBeNull();
    expect(authorizationAlert(company, { state: 'not_connected', daysLeft: null, endsAt: null, hardEndsAt: null })).toBeNull();
  });
});

describe('alerts of a Web Connector gone quiet', () => {
  const last = new Date('2026-12-07T10:00:00Z');
  it('when it has not called for more than two of its intervals, then one alert keyed by its last call; within them, none', () => {
    expect(webConnectorAlert(company, { lastContactAt: last, runEveryMinutes: 10 }, new Date('2026-12-07T10:20:00Z'))).toBeNull();
    const alert = webConnectorAlert(company, { lastContactAt: last, runEveryMinutes: 10 }, new Date('2026-12-07T10:21:00Z'));
    expect(alert).toMatchObject({ eventKey: 'webConnector:a01:2026-12-07T10:00:00.000Z', kind: 'webConnectorSilent' });
    expect(webConnectorAlert(company, { lastContactAt: last, runEveryMinutes: 10 }, new Date('2026-12-08T10:00:00Z'))!.eventKey).toBe(alert!.eventKey);
    expect(webConnectorAlert(company, { lastContactAt: null, runEveryMinutes: 10 }, new Date())).toBeNull();
  });
});
