// OAuth, sessions, API limits, scripted faults, statistics, the admin API, and metadata-driven schema.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, startEmulator, type Emulator } from './sf-helpers';

const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app', 'main', 'default');

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function token(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return http(`${url}/services/oauth2/token`, 'POST', form(fields), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

describe('Salesforce emulator: OAuth and sessions', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ sessionTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('when the password grant succeeds, then the token answer has the recorded fields and instance_url is this server', async () => {
    const res = await token(emu.url, {
      grant_type: 'password',
      client_id: 'ledgerline-sf-client',
      client_secret: 'ledgerline-sf-secret',
      username: 'admin@ledgerline.demo',
      password: 'demo-password',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    expect(res.body).toMatchObject({
      instance_url: emu.url,
      token_type: 'Bearer',
      id: expect.stringMatching(new RegExp(`^${emu.url}/id/00D\\w{15}/005\\w{15}$`)),
      issued_at: expect.stringMatching(/^\d{13}$/),
    });
    const data = await http(`${emu.url}/services/data/v62.0/limits`, 'GET', undefined, { authorization: `Bearer ${res.body.access_token}` });
    expect(data.status).toBe(200);
  });

  it('when userinfo is read, then it has the keys a recorded org answer has (photo and profile links aside)', async () => {
    const res = await http(`${emu.url}/services/oauth2/userinfo`, 'GET', undefined, { authorization: `Bearer ${emu.token}` });
    expect(res.status).toBe(200);
    // NangoHQ/integration-templates integrations/salesforce/tests/get-current-user.test.json, less photos/picture/profile.
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'sub',
        'user_id',
        'organization_id',
        'preferred_username',
        'nickname',
        'name',
        'email',
        'email_verified',
        'given_name',
        'family_name',
        'zoneinfo',
        'address',
        'is_salesforce_integration_user',
        'urls',
        'active',
        'user_type',
        'language',
        'locale',
        'utcOffset',
        'updated_at',
      ].sort(),
    );
    expect(res.body).toMatchObject({
      email_verified: true,
      user_type: 'STANDARD',
      address: {},
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(res.body.sub).toBe(`${emu.url}/id/${res.body.organization_id}/${res.body.user_id}`);
  });

  it('when client credentials come in a Basic header, then a token is issued', async () => {
    const basic = Buffer.from('ledgerline-sf-client:ledgerline-sf-secret').toString('base64');
    const res = await token(emu.url, { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^00D/);
  });

  it('when credentials are wrong, then the OAuth errors match the platform', async () => {
    const base = { grant_type: 'password', client_id: 'ledgerline-sf-client', client_secret: 'ledgerline-sf-secret', username: 'admin@ledgerline.demo' };
    expect((await token(emu.url, { ...base, password: 'x' })).body).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    expect((await token(emu.url, { ...base, password: 'demo-password', client_secret: 'x' })).body).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    expect((await token(emu.url, { ...base, password: 'demo-password', client_id: 'x' })).body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    const grant = await token(emu.url, { grant_type: 'refresh_token' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('when the bearer token is missing or unknown, then 401 INVALID_SESSION_ID', async () => {
    const expected = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    const none = await http(`${emu.url}/services/data/v62.0/sobjects`, 'GET');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(expected);
    const bogus = await http(`${emu.url}/services/data/v62.0/sobjects`, 'GET', undefined, { authorization: 'Bearer 00Dnope!AQ' });
    expect(bogus.body).toEqual(expected);
  });

  it('when a session sits idle past the timeout, then it expires', async () => {
    const tok = await emu.refreshToken();
    expect((await emu.api('GET', '/limits')).status).toBe(200);
    await emu.admin('POST', '/clock', { advanceMs: 61_000 });
    const res = await emu.api('GET', '/limits');
    expect(res.status).toBe(401);
    expect(res.body[0].errorCode).toBe('INVALID_SESSION_ID');
    expect(tok).toBe(emu.token);
    await emu.refreshToken();
  });
});

describe('Salesforce emulator: limits, faults and statistics', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ dailyApiLimit: 5 });
  });
  beforeEach(async () => {
    await emu.admin('POST', '/reset');
  });
  afterAll(async () => {
    await emu.close();
  });

  it('when data calls are made, then each carries Sforce-Limit-Info and the daily limit ends with 403', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await emu.api('GET', '/sobjects');
      expect(res.headers['sforce-limit-info']).toBe(`api-usage=${i}/5`);
    }
    const over = await emu.api('GET', '/sobjects');
    expect(over.status).toBe(403);
    expect(over.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await emu.admin('POST', '/reset');
    expect((await emu.api('GET', '/limits')).body.DailyApiRequests).toEqual({ Max: 5, Remaining: 4 });
  });

  it('when faults are scripted, then the next matching calls fail in order and others pass', async () => {
    await emu.admin('POST', '/faults', { kind: 'http503', match: { kind: 'query' } });
    await emu.admin('POST', '/faults', { kind: 'INVALID_SESSION_ID', count: 1, match: { method: 'GET', path: '/limits' } });
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
    const q = await emu.query('SELECT Id FROM Company__c');
    expect(q.status).toBe(503);
    expect(q.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await emu.query('SELECT Id FROM Company__c')).status).toBe(200);
    expect((await emu.api('GET', '/limits')).status).toBe(401);
    expect((await emu.api('GET', '/limits')).status).toBe(200);
  });

  it('when http500, REQUEST_LIMIT_EXCEEDED and delay faults fire, then each has its effect', async () => {
    await emu.admin('POST', '/faults', { kind: 'http500', match: { kind: 'composite' } });
    const c = await emu.api('POST', '/composite/sobjects', { records: [{ attributes: { type: 'Customer__c' }, Name: 'x' }] });
    expect(c.status).toBe(500);
    expect(c.body[0].errorCode).toBe('UNKNOWN_EXCEPTION');
    await emu.admin('POST', '/faults', { kind: 'REQUEST_LIMIT_EXCEEDED' });
    expect((await emu.api('GET', '/sobjects')).status).toBe(403);
    await emu.admin('POST', '/faults', { kind: 'delay', delayMs: 150 });
    const started = Date.now();
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when a reset fault fires, then the connection drops without an answer', async () => {
    await emu.admin('POST', '/faults', { kind: 'reset', match: { kind: 'describe' } });
    await expect(emu.api('GET', '/sobjects/Company__c/describe')).rejects.toThrow();
    expect((await emu.api('GET', '/sobjects/Company__c/describe')).status).toBe(200);
  });

  it('when a fault skips matching calls, then those calls are answered and the next one fails', async () => {
    await emu.admin('POST', '/faults', { kind: 'http503', skip: 2, match: { kind: 'describe' } });
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
    expect((await emu.api('GET', '/sobjects')).status).toBe(503);
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
  });

  it('when faults are cleared, then nothing pending fires', async () => {
    await emu.admin('POST', '/faults', { kind: 'http500', count: 3 });
    await emu.admin('DELETE', '/faults');
    expect((await emu.api('GET', '/sobjects')).status).toBe(200);
  });

  it('when a fault kind is unknown, then the admin API refuses it', async () => {
    const res = await emu.admin('POST', '/faults', { kind: 'meteor' });
    expect(res.status).toBe(400);
  });

  it('when calls are made, then stats count them by kind and endpoint, composite records included', async () => {
    const admin = await startEmulator();
    try {
      await admin.refreshToken();
      await admin.admin('POST', '/stats/reset');
      await admin.query('SELECT Id FROM Company__c');
      await admin.api('GET', '/sobjects/Company__c/describe');
      await admin.api('POST', '/sobjects/Customer__c', { Name: 'a' });
      await admin.api('POST', '/composite/sobjects', { records: [1, 2, 3].map((n) => ({ attributes: { type: 'Customer__c' }, Name: `c${n}` })) });
      const stats = (await admin.admin('GET', '/stats')).body;
      expect(stats).toMatchObject({
        total: 4,
        byKind: { auth: 0, query: 1, queryMore: 0, sobject: 1, composite: 1, describe: 1, other: 0 },
        compositeRecords: 3,
        byEndpoint: {
          'GET /query': 1,
          'GET /sobjects/Company__c/describe': 1,
          'POST /sobjects/Customer__c': 1,
          'POST /composite/sobjects': 1,
        },
      });
      await token(admin.url, { grant_type: 'client_credentials', client_id: 'ledgerline-sf-client', client_secret: 'ledgerline-sf-secret' });
      expect((await admin.admin('GET', '/stats')).body.byKind.auth).toBe(1);
    } finally {
      await admin.close();
    }
  });
});

describe('Salesforce emulator: discovery resources and admin API', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('when versions and resources are listed, then v62.0 is there and any vXX.0 path works', async () => {
    const versions = await http(`${emu.url}/services/data`, 'GET');
    expect(versions.body).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const resources = await emu.api('GET', '');
    // Only what the emulator serves is listed: a client following a listed link must find it.
    expect(resources.body).toEqual({
      queryAll: '/services/data/v62.0/queryAll',
      composite: '/services/data/v62.0/composite',
      query: '/services/data/v62.0/query',
      sobjects: '/services/data/v62.0/sobjects',
      jobs: '/services/data/v62.0/jobs',
      limits: '/services/data/v62.0/limits',
      identity: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/id\/00D\w{15}\/005\w{15}$/),
    });
    for (const link of Object.values(resources.body as Record<string, string>).filter(
      (l) => l.startsWith('/services/data/v62.0/') && !l.endsWith('/composite'),
    )) {
      const target = link.endsWith('/jobs')
        ? `${link}/ingest`
        : link.endsWith('query') || link.endsWith('queryAll')
          ? `${link}?q=SELECT+Id+FROM+Organization`
          : link;
      expect([link, (await http(`${emu.url}${target}`, 'GET', undefined, { authorization: `Bearer ${emu.token}` })).status]).toEqual([link, 200]);
    }
    expect((await http(resources.body.identity, 'GET', undefined, { authorization: `Bearer ${emu.token}` })).status).toBe(200);
    const older = await http(`${emu.url}/services/data/v59.0/query?q=${encodeURIComponent('SELECT COUNT() FROM Company__c')}`, 'GET', undefined, {
      authorization: `Bearer ${emu.token}`,
    });
    expect(older.status).toBe(200);
    const unknown = await emu.api('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('when a client keeps the instance URL with a trailing slash, then "//services/data/..." is answered as "/services/data/..."', async () => {
    const versions = await http(`${emu.url}//services/data`, 'GET');
    expect(versions.status).toBe(200);
    const q = await http(`${emu.url}//services/data/v62.0//query?q=${encodeURIComponent('SELECT Id FROM Organization')}`, 'GET', undefined, {
      authorization: `Bearer ${emu.token}`,
    });
    expect(q.status).toBe(200);
    expect(q.body.totalSize).toBe(1);
  });

  it('when the Organization is queried and described, then the one org row answers what the Salesforce CLI reads', async () => {
    const q = await emu.query('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization');
    expect(q.body.records).toEqual([
      {
        attributes: { type: 'Organization', url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Organization\/00D\w{15}$/) },
        Name: 'Ledgerline Demo',
        InstanceName: 'EMU1',
        IsSandbox: false,
        TrialExpirationDate: null,
        NamespacePrefix: null,
        OrganizationType: 'Developer Edition',
      },
    ]);
    const id = (await emu.query('SELECT Id FROM Organization')).body.records[0].Id;
    const identity = (await emu.api('GET', '')).body.identity as string;
    expect(identity).toContain(`/id/${id}/`);
    const described = await emu.api('GET', '/sobjects/Organization/describe');
    expect(described.body).toMatchObject({ name: 'Organization', keyPrefix: '00D', createable: false, updateable: false, deletable: false });
    const write = await emu.api('PATCH', `/sobjects/Organization/${id}`, { Name: 'Renamed' });
    expect(write.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] });
    expect((await emu.query('SELECT Id FROM ScratchOrgInfo')).body[0].errorCode).toBe('INVALID_TYPE');
  });

  it('when a deleted record is deleted or updated again, then 404 ENTITY_IS_DELETED comes back, as recorded from an org', async () => {
    const created = await emu.api('POST', '/sobjects/Customer__c', { Name: 'Gone Co' });
    expect((await emu.api('DELETE', `/sobjects/Customer__c/${created.body.id}`)).status).toBe(204);
    const again = await emu.api('DELETE', `/sobjects/Customer__c/${created.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
    const update = await emu.api('PATCH', `/sobjects/Customer__c/${created.body.id}`, { Name: 'Back Co' });
    expect(update.status).toBe(404);
    expect(update.body[0].errorCode).toBe('ENTITY_IS_DELETED');
    const never = await emu.api('DELETE', `/sobjects/Customer__c/${created.body.id.slice(0, 10)}99999`);
    expect(never.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('when an object is described, then fields, picklists and relationships come from metadata', async () => {
    const res = await emu.api('GET', '/sobjects/Sales_Invoice_Line__c/describe');
    const byName = Object.fromEntries(res.body.fields.map((f: { name: string }) => [f.name, f]));
    expect(byName.Sales_Invoice__c).toMatchObject({
      type: 'reference',
      referenceTo: ['Sales_Invoice__c'],
      relationshipName: 'Sales_Invoice__r',
      nillable: false,
      updateable: false,
      cascadeDelete: true,
      relationshipOrder: 0,
    });
    expect(byName.Quantity__c).toMatchObject({ type: 'double', precision: 12, scale: 4 });
    expect(byName.Description__c).toMatchObject({ type: 'textarea', length: 4000, filterable: false, extraTypeInfo: 'plaintextarea' });
    expect(byName.OwnerId).toBeUndefined();
    const company = await emu.api('GET', '/sobjects/Company__c/describe');
    expect(company.body.childRelationships.map((r: { relationshipName: string }) => r.relationshipName).sort()).toEqual([
      'Process_Logs__r',
      'Products__r',
      'Sales_Invoices__r',
      'Users__r',
    ]);
    expect(company.body.keyPrefix).toMatch(/^a\w\w$/);
    const user = await emu.api('GET', '/sobjects/User/describe');
    expect(user.body.fields.map((f: { name: string }) => f.name)).toContain('Ledgerline_Company__c');
    expect((await emu.api('GET', '/sobjects/Nope__c/describe')).status).toBe(404);
  });

  it('when the current user gets a company through seeding, then SOQL on User can read it', async () => {
    await emu.seed({ Company__c: [{ Name: 'Acme US' }] });
    const companyId = (await emu.records('Company__c'))[0].Id;
    const userId = (await emu.records('User'))[0].Id;
    const seeded = await emu.seed({ User: [{ Id: userId, Ledgerline_Company__c: companyId }] });
    expect(seeded).toEqual({ counts: { User: 1 }, errors: [] });
    const res = await emu.query(`SELECT Username, Ledgerline_Company__r.Name FROM User WHERE Id = '${userId}'`);
    expect(res.body.records[0]).toMatchObject({ Username: 'admin@ledgerline.demo', Ledgerline_Company__r: { Name: 'Acme US' } });
  });

  it('when seeding has bad rows, then good rows load and errors name the object and index', async () => {
    const res = await emu.seed({
      Customer__c: [{ Name: 'Fine' }, { Name: 'Bad', Email__c: 'nope' }],
      Widget__c: [{ Name: 'x' }],
    });
    expect(res.counts).toEqual({ Customer__c: 1 });
    expect(res.errors).toEqual([
      { sobject: 'Widget__c', index: -1, errors: [expect.objectContaining({ statusCode: 'INVALID_TYPE' })] },
      {
        sobject: 'Customer__c',
        index: 1,
        errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: nope', fields: ['Email__c'] }],
      },
    ]);
  });

  it('when seeded rows carry their own ids and dates, then those are kept', async () => {
    await emu.admin('POST', '/reset');
    const prefix = (await emu.api('GET', '/sobjects/Customer__c/describe')).body.keyPrefix;
    const res = await emu.seed({ Customer__c: [{ Id: `${prefix}5g00000ZZZZZ`, Name: 'Given', CreatedDate: '2025-06-01T08:00:00.000Z' }] });
    expect(res.errors).toEqual([]);
    const [row] = await emu.records('Customer__c');
    expect(row.Id).toBe(`${prefix}5g00000ZZZZZ`);
    expect(row.CreatedDate).toBe('2025-06-01T08:00:00.000+0000');
  });

  it('when 50,000 records are seeded, then it finishes quickly', async () => {
    await emu.admin('POST', '/reset');
    const rows = Array.from({ length: 50000 }, (_, i) => ({ Name: `C${i}`, Email__c: `c${i}@example.com` }));
    const started = Date.now();
    const res = await emu.seed({ Customer__c: rows });
    expect(res.counts.Customer__c).toBe(50000);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('Salesforce emulator: schema read from force-app', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a field is added to a copy of the metadata, then it is queryable and validated', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-meta-'));
    fs.cpSync(FORCE_APP, dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'objects', 'Customer__c', 'fields', 'Loyalty_Tier__c.field-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Loyalty_Tier__c</fullName>
    <label>Loyalty Tier</label>
    <length>5</length>
    <type>Text</type>
</CustomField>
`,
    );
    const custom = await startEmulator({ forceAppDir: dir });
    const stock = await startEmulator();
    try {
      expect((await custom.api('POST', '/sobjects/Customer__c', { Name: 'Gold Co', Loyalty_Tier__c: 'Gold' })).status).toBe(201);
      const res = await custom.query("SELECT Name, Loyalty_Tier__c FROM Customer__c WHERE Loyalty_Tier__c = 'gold'");
      expect(res.body.records[0]).toMatchObject({ Name: 'Gold Co', Loyalty_Tier__c: 'Gold' });
      expect((await custom.api('POST', '/sobjects/Customer__c', { Loyalty_Tier__c: 'Platinum' })).body[0].errorCode).toBe('STRING_TOO_LONG');
      expect((await stock.query('SELECT Loyalty_Tier__c FROM Customer__c')).body[0].errorCode).toBe('INVALID_FIELD');
    } finally {
      await custom.close();
      await stock.close();
    }
  });
});
