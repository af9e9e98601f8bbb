// nforce 1.13, a Salesforce client written by others, against the emulator: it must read the emulator's
// answers and faults as it reads a real org's (errorCode and statusCode on its errors, its own 401 refresh).
import nforce, { type Connection, type NforceError } from 'nforce';
import { seedInvoices, startEmulator, type Emulator } from './sf-helpers';

const USERNAME = 'admin@ledgerline.demo';
const PASSWORD = 'demo-password';

let emu: Emulator;

function connect(extra: Record<string, unknown> = {}): Connection {
  return nforce.createConnection({
    clientId: 'ledgerline-sf-client',
    clientSecret: 'ledgerline-sf-secret',
    redirectUri: 'http://localhost/callback',
    loginUri: `${emu.url}/services/oauth2/token`,
    apiVersion: 'v62.0',
    mode: 'single',
    ...extra,
  });
}

async function rejection(p: Promise<unknown>): Promise<NforceError> {
  try {
    await p;
  } catch (e) {
    return e as NforceError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emu = await startEmulator();
  await seedInvoices(emu, 4100);
});

afterAll(async () => {
  await emu.close();
});

describe('nforce 1.13 against the Salesforce emulator', () => {
  it('when nforce logs in with a password, then it holds this instance and can read its identity and limits', async () => {
    const org = connect();
    const oauth = await org.authenticate({ username: USERNAME, password: PASSWORD });
    expect(oauth.instance_url).toBe(emu.url);
    const identity = await org.getIdentity();
    expect(identity).toMatchObject({ username: USERNAME, organization_id: expect.stringMatching(/^00D/) });
    const limits = await org.getLimits({});
    expect(limits.DailyApiRequests.Max).toBe(15000);
  });

  it('when nforce fetches all pages of 4,100 invoices, then it follows nextRecordsUrl to the end', async () => {
    const org = connect();
    await org.authenticate({ username: USERNAME, password: PASSWORD });
    await emu.admin('POST', '/stats/reset');
    const res = await org.query({ query: 'SELECT Id, Name, Customer__r.Name FROM Sales_Invoice__c ORDER BY Name', fetchAll: true });
    expect(res.records).toHaveLength(4100);
    expect(res.records[0].get('name')).toBe('SI-000001');
    expect(res.records[4099].get('name')).toBe('SI-004100');
    const stats = (await emu.admin('GET', '/stats')).body;
    expect(stats.byKind).toMatchObject({ query: 1, queryMore: 2 });
  });

  it('when nforce inserts, updates and re-reads a record, then the changes are stored', async () => {
    const org = connect();
    await org.authenticate({ username: USERNAME, password: PASSWORD });
    const customer = nforce.createSObject('Customer__c', { Name: 'Delta Dairy', Email__c: 'ap@delta.example' });
    const created = await org.insert({ sobject: customer });
    expect(created).toEqual({ id: expect.stringMatching(/^\w{18}$/), success: true, errors: [] });
    expect(customer.getId()).toBe(created.id);
    customer.set('Phone__c', '555-0100');
    await org.update({ sobject: customer });
    const read = await org.getRecord({ type: 'Customer__c', id: created.id, fields: ['Name', 'Phone__c'] });
    expect(read.get('phone__c')).toBe('555-0100');
  });

  it('when an update is refused or its record is gone, then nforce raises the errorCode and statusCode the org sends', async () => {
    const org = connect();
    await org.authenticate({ username: USERNAME, password: PASSWORD });
    const customer = nforce.createSObject('Customer__c', { Name: 'Echo Eats' });
    await org.insert({ sobject: customer });
    customer.set('Email__c', 'not-an-email');
    const invalid = await rejection(org.update({ sobject: customer }));
    expect(invalid).toMatchObject({ errorCode: 'INVALID_EMAIL_ADDRESS', statusCode: 400, message: 'Email: invalid email address: not-an-email' });
    const badId = nforce.createSObject('Customer__c', { Name: 'Nobody' });
    badId.setId(`${customer.getId().slice(0, 9)}999999`); // this object's key prefix, never created
    expect(await rejection(org.update({ sobject: badId }))).toMatchObject({ errorCode: 'NOT_FOUND', statusCode: 404 });
    await org.delete({ sobject: customer });
    // A stale update: the record was deleted after it was read.
    customer.set('Phone__c', '555-0199');
    expect(await rejection(org.update({ sobject: customer }))).toMatchObject({ errorCode: 'ENTITY_IS_DELETED', statusCode: 404, message: 'entity is deleted' });
  });

  it('when nforce posts a batch through its generic postUrl (it has no composite call), then per-record faults come back in order', async () => {
    const org = connect();
    await org.authenticate({ username: USERNAME, password: PASSWORD });
    const res = (await org.postUrl({
      url: '/services/data/v62.0/composite/sobjects',
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Customer__c' }, Name: 'Foxtrot Foods' },
          { attributes: { type: 'Customer__c' }, Name: 'Bad Mail', Email__c: 'nope' },
        ],
      },
    })) as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(res.map((r) => r.success)).toEqual([true, false]);
    expect(res[1].errors[0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
    const tooMany = await rejection(
      org.postUrl({
        url: '/services/data/v62.0/composite/sobjects',
        body: { records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Customer__c' }, Name: 'x' })) },
      }),
    );
    expect(tooMany).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT', statusCode: 400 });
  });

  it('when the session ends, then nforce sees 401 INVALID_SESSION_ID and, with autoRefresh, logs in again and retries', async () => {
    const plain = connect();
    await plain.authenticate({ username: USERNAME, password: PASSWORD });
    const refreshing = connect({ autoRefresh: true });
    await refreshing.authenticate({ username: USERNAME, password: PASSWORD });
    const before = refreshing.oauth.access_token;
    await emu.admin('POST', '/expire-sessions');
    expect(await rejection(plain.query({ query: 'SELECT Id FROM Company__c' }))).toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
      message: 'Session expired or invalid',
    });
    await emu.admin('POST', '/stats/reset');
    const res = await refreshing.query({ query: 'SELECT Id FROM Company__c' });
    expect(res.totalSize).toBe(1);
    expect(refreshing.oauth.access_token).not.toBe(before);
    expect((await emu.admin('GET', '/stats')).body.byKind.auth).toBe(1);
  });

  it('when the daily API limit is used up, then nforce raises 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const org = connect();
    await org.authenticate({ username: USERNAME, password: PASSWORD });
    await emu.admin('POST', '/faults', { kind: 'REQUEST_LIMIT_EXCEEDED', count: 1 });
    expect(await rejection(org.query({ query: 'SELECT Id FROM Company__c' }))).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      statusCode: 403,
      message: 'TotalRequests Limit exceeded.',
    });
  });
});
