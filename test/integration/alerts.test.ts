// Never stop silently: a run that ends with errors and an authorization entering its warning window each reach the
// company's Ledgerline admins once — a Salesforce custom notification and an email, as the Salesforce emulator
// received them — however many checks (and instances) look.
import type { DemoStack } from '../../scripts/demo-stack';
import { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { seedDesktopCompanyFile } from '../../scripts/demo/desktop';
import { session, type DesktopStack } from '../support/desktop';
import { sfWrite } from '../support/sf';
import { admin, exportAndWait, startTestStack } from '../support/stack';

jest.setTimeout(180_000);

const DAY = 86_400_000;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('alerts to the company’s admins', () => {
  let stack: DemoStack;
  let skewMs = 0;
  let noraId: string;
  const notifications = () => admin<any[]>(stack.sfUrl, 'GET', '/notifications');
  const emails = () => admin<any[]>(stack.sfUrl, 'GET', '/emails');

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4, now: () => new Date(Date.now() + skewMs) });
    const users = await admin<any[]>(stack.sfUrl, 'GET', '/records/User');
    noraId = users.find((u) => u.Username === 'nora.whitfield@ledgerline.demo').Id;
  });
  afterAll(() => stack?.close());

  it('when an export ends with an error, then its admin gets one Ledgerline Alert opening its Process Log and one email, and later checks send nothing more', async () => {
    const types = await admin<any[]>(stack.sfUrl, 'GET', '/records/CustomNotificationType');
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    // The demo's invoice whose number QuickBooks already holds.
    expect(run.status).toBe('completed_with_errors');
    const [sent] = await until(notifications, (n) => n.length >= 1, 'the run’s notification');
    expect(sent).toMatchObject({
      customNotifTypeId: types.find((t) => t.DeveloperName === 'Ledgerline_Alert').Id,
      recipientIds: [noraId],
      title: 'Ledgerline: the export of Northwind Trading Co. ended with 1 error',
      targetId: run.processLogId,
    });
    const [mail] = await until(emails, (e) => e.length >= 1, 'the run’s email');
    expect(mail).toMatchObject({ to: ['nora.whitfield@ledgerline.demo'], subject: sent.title });
    expect(mail.body).toContain('Retry');
    await Promise.all([stack.container.alerts.watch(), stack.container.alerts.watch()]);
    expect(await notifications()).toHaveLength(1);
    expect(await emails()).toHaveLength(1);
  });

  it('when an export fails, then its admin gets one alert saying it failed and why', async () => {
    const before = (await notifications()).length;
    await sfWrite(stack, 'POST', [{ attributes: { type: 'Customer__c' }, Name: 'Late Customer', First_Name__c: 'Lee', Last_Name__c: 'Late' }]);
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'http500', count: 1000 });
    try {
      const run = await exportAndWait(stack, stack.primaryCompanyId);
      expect(run.status).toBe('failed');
      const added = (await until(notifications, (n) => n.length > before, 'the failed run’s notification')).slice(before);
      expect(added.map((n) => [n.title, n.targetId])).toEqual([['Ledgerline: the export of Northwind Trading Co. failed', run.processLogId]]);
      expect(added[0].body).toContain(run.error.message);
    } finally {
      await admin(stack.qboUrl, 'DELETE', '/faults');
    }
  });

  it('when Salesforce does not take a run’s alert, then the next check sends it, once', async () => {
    const before = (await notifications()).length;
    await admin(stack.sfUrl, 'POST', '/faults', { kind: 'http503', count: 1, match: { path: '/actions/standard/customNotificationAction' } });
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.status).toBe('completed_with_errors');
    await until(
      () => admin<any>(stack.sfUrl, 'GET', '/faults'),
      (f) => f.pending.calls === 0,
      'the refused alert',
    );
    // The refused alert is given back: its event is not recorded as sent.
    await until(
      () => stack.container.store.sentAlerts.list(stack.primaryCompanyId),
      (sent) => !sent.some((a) => a.eventKey === `run:${run.runId}`),
      'the alert given back',
    );
    expect(await notifications()).toHaveLength(before);
    await Promise.all([stack.container.alerts.watch(), stack.container.alerts.watch()]);
    await stack.container.alerts.watch();
    const added = (await notifications()).slice(before);
    expect(added.map((n) => n.targetId)).toEqual([run.processLogId]);
  });

  it('when the authorization enters the company’s warning window, then one alert goes out, once, whatever the number of checks', async () => {
    const companyId = stack.primaryCompanyId;
    const before = (await notifications()).length;
    // 90 days on, 10 of the refresh token's 100 days are left: outside a 5-day window, inside the default 14.
    skewMs = 90 * DAY;
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: companyId, Authorization_Warning_Days__c: 5 }]);
    await stack.container.alerts.watch();
    expect(await notifications()).toHaveLength(before);
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: companyId, Authorization_Warning_Days__c: null }]);
    // Two instances' checks at once, then another: the store lets one of them send.
    await Promise.all([stack.container.alerts.watch(), stack.container.alerts.watch()]);
    await stack.container.alerts.watch();
    const added = (await notifications()).slice(before);
    expect(added.map((n) => [n.title, n.recipientIds, n.targetId])).toEqual([
      ['Ledgerline: the QuickBooks authorization of Northwind Trading Co. ends in 10 days', [noraId], companyId],
    ]);
    expect((await emails()).filter((e) => e.subject === added[0].title)).toHaveLength(1);
    const keys = (await stack.container.store.sentAlerts.list(companyId)).map((a) => a.eventKey);
    expect(keys.filter((k) => k.startsWith('authorization:'))).toEqual([
      expect.stringMatching(new RegExp(`^authorization:${companyId}:refresh:\\d{4}-\\d{2}-\\d{2}$`)),
    ]);
  });
});

describe('alerts of a QuickBooks Desktop company’s Web Connector', () => {
  let d: DesktopStack;
  let skewMs = 0;

  beforeAll(async () => {
    const stack = await startTestStack({ desktop: true, now: () => new Date(Date.now() + skewMs), env: { QBWC_WAIT_MS: '200', QBWC_BATCH_SIZE: '4' } });
    const file = new QuickBooksDesktopCompany();
    seedDesktopCompanyFile(file, stack.webConnector!.demo);
    d = { stack, companyId: stack.webConnector!.demo.companyId, file };
  });
  afterAll(() => d?.stack.close());

  it('when it has not called for more than two of its intervals, then the admin hears it once per silence', async () => {
    const quiet = async () => (await admin<any[]>(d.stack.sfUrl, 'GET', '/notifications')).filter((n) => n.title.includes('Web Connector'));
    await session(d);
    await d.stack.container.alerts.watch();
    expect(await quiet()).toEqual([]);
    const every = (await d.stack.container.store.webConnectorUsers.get(d.companyId))!.runEveryMinutes;
    skewMs = (2 * every + 1) * 60_000;
    await Promise.all([d.stack.container.alerts.watch(), d.stack.container.alerts.watch()]);
    await d.stack.container.alerts.watch();
    const users = await admin<any[]>(d.stack.sfUrl, 'GET', '/records/User');
    const dana = users.find((u) => u.Username === 'dana.reyes@ledgerline.demo').Id;
    expect((await quiet()).map((n) => [n.recipientIds, n.targetId])).toEqual([[[dana], d.companyId]]);
    // It calls again, then goes quiet again: a new silence, a new alert.
    await session(d);
    skewMs += (2 * every + 1) * 60_000;
    await d.stack.container.alerts.watch();
    expect(await quiet()).toHaveLength(2);
  });
});
