// The Salesforce emulator's standard invocable actions over REST: customNotificationAction and emailSimple, answered
// per input as the org answers them, refused whole when malformed, and what was sent kept for tests.
import { startEmulator, type Emulator } from './sf-helpers';

describe('Salesforce emulator: custom notifications and simple emails', () => {
  let emu: Emulator;
  let typeId: string;
  let userId: string;
  beforeAll(async () => {
    emu = await startEmulator();
    const types = await emu.query("SELECT Id, DeveloperName, MasterLabel FROM CustomNotificationType WHERE DeveloperName = 'Ledgerline_Alert'");
    expect(types.status).toBe(200);
    typeId = types.body.records[0].Id;
    userId = (await emu.query("SELECT Id FROM User WHERE Username = 'admin@ledgerline.demo'")).body.records[0].Id;
  });
  afterAll(() => emu.close());

  it('when the notification type deployed from force-app is read, then SOQL finds it by DeveloperName with its 0ML id and label', async () => {
    const { body } = await emu.query(
      "SELECT Id, DeveloperName, MasterLabel, CustomNotifTypeName FROM CustomNotificationType WHERE DeveloperName = 'Ledgerline_Alert'",
    );
    expect(body.records).toEqual([
      expect.objectContaining({
        Id: expect.stringMatching(/^0ML\w{15}$/),
        DeveloperName: 'Ledgerline_Alert',
        MasterLabel: 'Ledgerline Alert',
        CustomNotifTypeName: 'Ledgerline Alert',
      }),
    ]);
  });

  it('when a custom notification is sent to an active user, then the answer is one success per input and the org keeps what was sent', async () => {
    const input = { customNotifTypeId: typeId, recipientIds: [userId], title: 'Export failed', body: 'The export of Northwind stopped.', targetId: userId };
    const res = await emu.api('POST', '/actions/standard/customNotificationAction', { inputs: [input] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        actionName: 'customNotificationAction',
        errors: null,
        isSuccess: true,
        outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' },
      },
    ]);
    const sent = (await emu.admin('GET', '/notifications')).body;
    expect(sent.at(-1)).toMatchObject({
      customNotifTypeId: typeId,
      recipientIds: [userId],
      title: 'Export failed',
      body: 'The export of Northwind stopped.',
      targetId: userId,
    });
  });

  it('when an input lacks a required parameter or names an unknown one, then the whole request is refused with 400 and nothing is sent', async () => {
    const before = (await emu.admin('GET', '/notifications')).body.length;
    const missing = await emu.api('POST', '/actions/standard/customNotificationAction', {
      inputs: [{ customNotifTypeId: typeId, recipientIds: [userId], body: 'b', targetId: userId }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual([{ message: 'Missing required input parameter: title', errorCode: 'REQUIRED_FIELD_MISSING' }]);
    const unknown = await emu.api('POST', '/actions/standard/customNotificationAction', {
      inputs: [{ customNotifTypeId: typeId, recipientIds: [userId], title: 't', body: 'b', targetId: userId, colour: 'red' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body[0].errorCode).toBe('INVALID_FIELD');
    expect((await emu.api('POST', '/actions/standard/customNotificationAction', {})).status).toBe(400);
    expect((await emu.admin('GET', '/notifications')).body.length).toBe(before);
  });

  it('when an input names an unknown type, a recipient who is not a user, or no target, then that input fails with its reason', async () => {
    const ok = { customNotifTypeId: typeId, recipientIds: [userId], title: 't', body: 'b', targetId: userId };
    const res = await emu.api('POST', '/actions/standard/customNotificationAction', {
      inputs: [{ ...ok, customNotifTypeId: '0MLxx0000000001AAA' }, { ...ok, recipientIds: ['005000000000000AAA'] }, { ...ok, targetId: undefined }, ok],
    });
    expect(res.status).toBe(400);
    expect(res.body.map((r: any) => [r.isSuccess, r.errors?.[0]?.statusCode ?? null])).toEqual([
      [false, 'INVALID_ID_FIELD'],
      [false, 'INVALID_ID_FIELD'],
      [false, 'REQUIRED_FIELD_MISSING'],
      [true, null],
    ]);
    expect(res.body[0]).toEqual({
      actionName: 'customNotificationAction',
      errors: [expect.objectContaining({ fields: ['customNotifTypeId'] })],
      isSuccess: false,
      outputValues: null,
    });
  });

  it('when a simple email is sent, then it is answered with success and kept with its recipients, subject and body; a bad address fails that input', async () => {
    const res = await emu.api('POST', '/actions/standard/emailSimple', {
      inputs: [{ emailAddresses: 'ops@example.com, admin@example.com', emailSubject: 'Export failed', emailBody: 'It stopped.', senderType: 'CurrentUser' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null }]);
    expect((await emu.admin('GET', '/emails')).body.at(-1)).toMatchObject({
      to: ['ops@example.com', 'admin@example.com'],
      subject: 'Export failed',
      body: 'It stopped.',
    });
    const bad = await emu.api('POST', '/actions/standard/emailSimple', { inputs: [{ emailAddresses: 'not an address', emailSubject: 's', emailBody: 'b' }] });
    expect(bad.status).toBe(400);
    expect(bad.body[0]).toMatchObject({
      actionName: 'emailSimple',
      isSuccess: false,
      errors: [expect.objectContaining({ statusCode: 'INVALID_EMAIL_ADDRESS' })],
    });
  });

  it('when the org is reset, then what was sent is forgotten and the notification type stays deployed', async () => {
    await emu.admin('POST', '/reset');
    expect((await emu.admin('GET', '/notifications')).body).toEqual([]);
    expect((await emu.admin('GET', '/emails')).body).toEqual([]);
    expect((await emu.query("SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Ledgerline_Alert'")).body.totalSize).toBe(1);
  });
});
