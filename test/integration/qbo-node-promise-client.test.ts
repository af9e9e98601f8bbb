// A QuickBooks client we did not write, quickbooks-node-promise, against the emulator with nothing changed but its
// base URL. Where the client meets a fault, the same call is also made against a real recorded answer replayed
// verbatim, and the client must end up in the same place both times.

import { Quickbooks } from 'quickbooks-node-promise';
import { startQboEmulator } from '../../emulators/qbo';
import { qboAdmin } from '../../emulators/qbo/testkit';
import { RECORDED, replay, type Recording } from '../support/qbo-recordings';

const REALM = '9341450000000021';
const OTHER = '9341450000000022';
const CLIENT = 'ledgerline-demo-client';
const SECRET = 'ledgerline-demo-secret';

const customers = Array.from({ length: 25 }, (_, i) => ({ DisplayName: `Paging Customer ${String(i + 1).padStart(2, '0')}` }));

const SEED = [
  {
    realmId: REALM,
    entities: {
      Account: [{ Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' }],
      Item: [{ Id: '5', Name: 'Rock Fountain', Type: 'Service', UnitPrice: 275, IncomeAccountRef: { value: '79' } }],
      Customer: customers,
    },
  },
  { realmId: OTHER, entities: {} },
];

interface Outcome {
  threw: boolean;
  name?: string;
  message?: string;
  status?: number;
  fetchErrorType?: string;
  fault?: { type: string; codes: string[] };
}

/** What the client gives back or throws, reduced to what a caller of the library can tell apart. */
async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { threw: false };
  } catch (e: any) {
    const fault = e.errorResponse?.Fault;
    return {
      threw: true,
      name: e.constructor?.name,
      // node-fetch names the URL in its message; the URL is the only thing that may differ.
      message: String(e.message)
        .replace(/ at http:\/\/\S+/, ' at <url>')
        .replace(/ reason: .*$/s, ''),
      status: e.response?.status,
      fetchErrorType: e.type,
      fault: fault ? { type: fault.type, codes: fault.Error.map((x: any) => x.code) } : undefined,
    };
  }
}

describe('QBO fidelity: quickbooks-node-promise against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startQboEmulator>>;
  let admin: ReturnType<typeof qboAdmin>;
  let qb: Quickbooks;
  let accessToken: string;
  const saved = { v3: Quickbooks.V3_ENDPOINT_BASE_URL, token: Quickbooks.TOKEN_URL };

  const clientFor = (token: string, realmId = REALM) =>
    new Quickbooks({ appKey: CLIENT, appSecret: SECRET, accessToken: token, autoRefresh: false, minorversion: 75 }, realmId);

  /** The same library call against a recorded real answer, replayed by a local server. */
  async function againstRecording(recording: Recording, call: (client: Quickbooks) => Promise<unknown>): Promise<Outcome> {
    const server = await replay(recording);
    Quickbooks.V3_ENDPOINT_BASE_URL = `${server.url}/v3/company/`;
    try {
      const result = await outcome(call(clientFor(accessToken)));
      expect(server.requests).toHaveLength(1);
      return result;
    } finally {
      Quickbooks.V3_ENDPOINT_BASE_URL = `${emu.url}/v3/company/`;
      await server.close();
    }
  }

  beforeAll(async () => {
    emu = await startQboEmulator({ port: 0 });
    admin = qboAdmin(emu.url);
    Quickbooks.V3_ENDPOINT_BASE_URL = `${emu.url}/v3/company/`;
    Quickbooks.TOKEN_URL = `${emu.url}/oauth2/v1/tokens/bearer`;
  });

  afterAll(async () => {
    Quickbooks.V3_ENDPOINT_BASE_URL = saved.v3;
    Quickbooks.TOKEN_URL = saved.token;
    await emu.close();
  });

  beforeEach(async () => {
    await admin.reset();
    await admin.seed(SEED);
    accessToken = (await admin.tokens(REALM)).access_token;
    qb = clientFor(accessToken);
  });

  it('when it fetches all customers 10 a page, then it pages with STARTPOSITION until a short page and gets every row once', async () => {
    await admin.resetStats();
    const all = await qb.query('Customer', { fetchAll: true, limit: 10, asc: 'DisplayName' });
    const names = (all.QueryResponse.Customer ?? []).map((c: any) => c.DisplayName);
    expect(names).toEqual(customers.map((c) => c.DisplayName));
    expect((await admin.stats()).byKind.query).toBe(3);
    const count = await qb.queryCount('Customer', {});
    expect(count.QueryResponse).toEqual({ totalCount: 25 });
  });

  it('when it creates and updates a customer, then the SyncToken moves on and a stale one is the 5010 fault the library decodes', async () => {
    const created: any = await qb.create('Customer', { DisplayName: 'Ada Lovelace', PrimaryEmailAddr: { Address: 'ada@example.com' } });
    expect(created.Customer).toMatchObject({ DisplayName: 'Ada Lovelace', SyncToken: '0', domain: 'QBO', sparse: false });
    expect(created.specialHeaders.intuitTid).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const updated: any = await qb.update('Customer', { Id: created.Customer.Id, SyncToken: '0', sparse: true, CompanyName: 'Analytical Engines' });
    expect(updated.Customer).toMatchObject({ Id: created.Customer.Id, SyncToken: '1', CompanyName: 'Analytical Engines', DisplayName: 'Ada Lovelace' });

    const stale = await outcome(qb.update('Customer', { Id: created.Customer.Id, SyncToken: '0', sparse: true, CompanyName: 'Too late' }));
    expect(stale).toMatchObject({
      threw: true,
      name: 'QBResponseError',
      message: 'Error of type ValidationFault',
      fault: { type: 'ValidationFault', codes: ['5010'] },
    });
    const read: any = await qb.read('Customer', created.Customer.Id);
    expect(read.Customer.CompanyName).toBe('Analytical Engines');
  });

  it('when a create collides with an existing name, then the library throws exactly what it throws for the recorded 6240', async () => {
    const fromEmulator = await outcome(qb.create('Customer', { DisplayName: customers[0].DisplayName }));
    const fromRecording = await againstRecording(RECORDED.duplicateName, (client) => client.create('Customer', { DisplayName: 'Weiskopf Consulting' }));
    expect(fromEmulator).toEqual(fromRecording);
    expect(fromEmulator).toMatchObject({ name: 'QBResponseError', fault: { type: 'ValidationFault', codes: ['6240'] } });
  });

  it('when it sends a batch with a create, a stale update and a query, then each item answers on its own', async () => {
    const first: any = await qb.create('Customer', { DisplayName: 'Batch Target' });
    await qb.update('Customer', { Id: first.Customer.Id, SyncToken: '0', sparse: true, Notes: 'moved on' });
    const answer: any = await qb.batch([
      { bId: 'c1', operation: 'create', Customer: { DisplayName: 'Batch Created' } },
      { bId: 'u1', operation: 'update', Customer: { Id: first.Customer.Id, SyncToken: '0', sparse: true, Notes: 'stale' } },
      { bId: 'q1', Query: "select * from Customer where DisplayName = 'Batch Target'" },
    ]);
    const byId = Object.fromEntries(answer.BatchItemResponse.map((r: any) => [r.bId, r]));
    expect(byId.c1.Customer).toMatchObject({ DisplayName: 'Batch Created', SyncToken: '0' });
    expect(byId.u1.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '5010', Message: 'Stale Object Error' }] });
    expect(byId.q1.QueryResponse).toMatchObject({ Customer: [{ Id: first.Customer.Id, Notes: 'moved on' }], startPosition: 1, maxResults: 1 });
  });

  it('when the access token has expired, then the library fails exactly as it does on the recorded expired-token 401', async () => {
    await admin.advanceClock(3601 * 1000);
    const fromEmulator = await outcome(qb.query('Customer', { limit: 1 }));
    const fromRecording = await againstRecording(RECORDED.expiredToken, (client) => client.query('Customer', { limit: 1 }));
    expect(fromEmulator).toEqual(fromRecording);
    // The library decodes only the upper-case `Fault` body; Intuit's gateway answers a bad token with the lower-case
    // one, so against the real service too the caller gets a bare HTTP 401.
    expect(fromEmulator).toMatchObject({ threw: true, name: 'QBFetchError', message: 'Unauthorized', status: 401, fault: undefined });
  });

  it('when a token is used with another company, then the library fails exactly as it does on the recorded XML 401 (code 100)', async () => {
    const fromEmulator = await outcome(clientFor(accessToken, OTHER).query('Customer', { limit: 1 }));
    const fromRecording = await againstRecording(RECORDED.tokenForAnotherCompany, (client) => client.query('Customer', { limit: 1 }));
    expect(fromEmulator).toEqual(fromRecording);
    expect(fromEmulator).toMatchObject({ threw: true, name: 'FetchError', fetchErrorType: 'invalid-json' });
  });
});
