// The proof of fidelity: the unmodified client libraries the service is
// built on (node-quickbooks 2.0.50, intuit-oauth) run against the emulator
// with nothing changed but their base URLs.

import { startQboEmulator } from '../../emulators/qbo';
import { qboAdmin } from '../../emulators/qbo/testkit';

const OAuthClient = require('intuit-oauth');
const QuickBooks = require('node-quickbooks');

const REALM = '9341450000000007';
const CLIENT = 'ledgerline-demo-client';
const SECRET = 'ledgerline-demo-secret';
const REDIRECT = 'http://localhost:3000/oauth/callback';

type Callback = (err: any, result?: any) => void;

/** node-quickbooks is callback based; this turns one call into a promise of [err, result]. */
function settle(fn: (cb: Callback) => void): Promise<[any, any]> {
  return new Promise((resolve) => fn((err, result) => resolve([err, result])));
}

/** Follows the consent page the way a browser would: read the form, keep its fields, press Connect. */
async function pressConnect(authorizeUri: string): Promise<string> {
  const page = await fetch(authorizeUri);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error('no consent form');
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input ([^>]+)>/g)) {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(input[1])?.[1];
    if (attr('type') === 'radio' && !/\schecked/.test(input[1])) continue;
    fields.append(
      attr('name')!,
      (attr('value') ?? '')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    );
  }
  const connect = /<button type="submit"[^>]*name="([^"]+)" value="([^"]+)"[^>]*>Connect<\/button>/.exec(form[2]);
  if (!connect) throw new Error('no Connect button');
  fields.append(connect[1], connect[2]);
  const res = await fetch(new URL(form[1], authorizeUri), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

describe('QBO fidelity: node-quickbooks and intuit-oauth against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startQboEmulator>>;
  let admin: ReturnType<typeof qboAdmin>;
  const saved = {
    v3: QuickBooks.V3_ENDPOINT_BASE_URL,
    token: QuickBooks.TOKEN_URL,
    revoke: QuickBooks.REVOKE_URL,
    authorize: OAuthClient.authorizeEndpoint,
    oauthToken: OAuthClient.tokenEndpoint,
    oauthRevoke: OAuthClient.revokeEndpoint,
  };

  beforeAll(async () => {
    emu = await startQboEmulator({ port: 0 });
    admin = qboAdmin(emu.url);
    QuickBooks.V3_ENDPOINT_BASE_URL = `${emu.url}/v3/company/`;
    QuickBooks.TOKEN_URL = `${emu.url}/oauth2/v1/tokens/bearer`;
    QuickBooks.REVOKE_URL = `${emu.url}/v2/oauth2/tokens/revoke`;
    OAuthClient.authorizeEndpoint = `${emu.url}/connect/oauth2`;
    OAuthClient.tokenEndpoint = `${emu.url}/oauth2/v1/tokens/bearer`;
    OAuthClient.revokeEndpoint = `${emu.url}/v2/oauth2/tokens/revoke`;
  });

  afterAll(async () => {
    QuickBooks.V3_ENDPOINT_BASE_URL = saved.v3;
    QuickBooks.TOKEN_URL = saved.token;
    QuickBooks.REVOKE_URL = saved.revoke;
    OAuthClient.authorizeEndpoint = saved.authorize;
    OAuthClient.tokenEndpoint = saved.oauthToken;
    OAuthClient.revokeEndpoint = saved.oauthRevoke;
    await emu.close();
  });

  beforeEach(async () => {
    await admin.reset();
    await admin.seed([
      {
        realmId: REALM,
        companyInfo: { CompanyName: 'Fidelity Test Co' },
        entities: {
          Account: [{ Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' }],
          Vendor: [{ DisplayName: 'Existing Vendor' }],
          Item: [{ Id: '20', Name: 'Design', Type: 'Service', IncomeAccountRef: { value: '79' }, UnitPrice: 75 }],
        },
      },
    ]);
  });

  function newOAuthClient() {
    return new OAuthClient({ clientId: CLIENT, clientSecret: SECRET, environment: 'sandbox', redirectUri: REDIRECT, logging: false });
  }

  it('when intuit-oauth runs the whole consent, token, refresh and revoke flow, then every step works unmodified', async () => {
    const oauth = newOAuthClient();
    const authorizeUri: string = oauth.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 'csrf-fidelity' });
    expect(authorizeUri.startsWith(`${emu.url}/connect/oauth2?`)).toBe(true);

    const callback = await pressConnect(authorizeUri);
    const params = new URL(callback).searchParams;
    expect(params.get('state')).toBe('csrf-fidelity');
    expect(params.get('realmId')).toBe(REALM);

    const created = await oauth.createToken(callback);
    const json = created.getJson();
    expect(Object.keys(json)).toEqual(['x_refresh_token_expires_in', 'refresh_token', 'access_token', 'token_type', 'expires_in']);
    expect(oauth.getToken().realmId).toBe(REALM);
    expect(created.get_intuit_tid()).toMatch(/^1-/);
    expect(oauth.isAccessTokenValid()).toBe(true);

    const firstRefresh = oauth.getToken().refresh_token;
    const refreshed = await oauth.refresh();
    expect(refreshed.getJson().refresh_token).not.toBe(firstRefresh);
    expect(oauth.getToken().refresh_token).toBe(refreshed.getJson().refresh_token);

    const stale = newOAuthClient();
    // axios rejects the 400 before intuit-oauth reads the body, so the body is on the axios response.
    const rejected = await stale.refreshUsingToken(firstRefresh).then(
      () => undefined,
      (e: any) => e,
    );
    expect(rejected.response.status).toBe(400);
    expect(rejected.response.data).toEqual({ error_description: 'Token invalid', error: 'invalid_grant' });

    const access = oauth.getToken().access_token;
    const call = await oauth.makeApiCall({ url: `${emu.url}/v3/company/${REALM}/companyinfo/${REALM}?minorversion=75` });
    expect(call.json.CompanyInfo.CompanyName).toBe('Fidelity Test Co');

    const revoked = await oauth.revoke();
    expect(revoked.status()).toBe(200);
    const after = await fetch(`${emu.url}/v3/company/${REALM}/preferences`, { headers: { authorization: `Bearer ${access}` } });
    expect(after.status).toBe(401);
  });

  it('when node-quickbooks creates, reads, finds, invoices and batches, then it gets the shapes it expects', async () => {
    const tokens = await admin.tokens(REALM);
    const qbo = new QuickBooks(CLIENT, SECRET, tokens.access_token, false, REALM, true, false, 75, '2.0', tokens.refresh_token);

    const [createErr, customer] = await settle((cb) =>
      qbo.createCustomer({ DisplayName: "O'Brien & Sons", GivenName: 'Pat', PrimaryEmailAddr: { Address: 'pat@obrien.example' } }, cb),
    );
    expect(createErr).toBeNull();
    expect(customer).toMatchObject({ DisplayName: "O'Brien & Sons", SyncToken: '0', Active: true });

    const [, read] = await settle((cb) => qbo.getCustomer(customer.Id, cb));
    expect(read).toEqual(customer);

    const [findErr, found] = await settle((cb) => qbo.findCustomers({ DisplayName: "O'Brien & Sons" }, cb));
    expect(findErr).toBeNull();
    expect(found.QueryResponse.Customer.map((c: any) => c.Id)).toEqual([customer.Id]);

    const [, liked] = await settle((cb) => qbo.findCustomers([{ field: 'DisplayName', value: '%brien%', operator: 'LIKE' }], cb));
    expect(liked.QueryResponse.Customer).toHaveLength(1);

    const [, updated] = await settle((cb) => qbo.updateCustomer({ Id: customer.Id, SyncToken: customer.SyncToken, Notes: 'VIP' }, cb));
    expect(updated).toMatchObject({ Notes: 'VIP', SyncToken: '1', GivenName: 'Pat' });

    const [invErr, invoice] = await settle((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: customer.Id },
          DocNumber: 'SF-0001',
          Line: [{ DetailType: 'SalesItemLineDetail', Amount: 150, SalesItemLineDetail: { ItemRef: { value: '20' }, Qty: 2, UnitPrice: 75 } }],
        },
        cb,
      ),
    );
    expect(invErr).toBeNull();
    expect(invoice).toMatchObject({ DocNumber: 'SF-0001', TotalAmt: 150, Balance: 150, CustomerRef: { value: customer.Id, name: "O'Brien & Sons" } });

    const [batchErr, batch] = await settle((cb) =>
      qbo.batch(
        [
          { bId: '1', operation: 'create', Customer: { DisplayName: 'Batch One' } },
          { bId: '2', operation: 'create', Customer: { DisplayName: 'Existing Vendor' } },
          { bId: '3', Query: "select * from Invoice where DocNumber = 'SF-0001'" },
        ],
        cb,
      ),
    );
    expect(batchErr).toBeNull();
    expect(batch.BatchItemResponse[0].Customer.DisplayName).toBe('Batch One');
    expect(batch.BatchItemResponse[1].Fault.Error[0].code).toBe('6240');
    expect(batch.BatchItemResponse[2].QueryResponse.Invoice[0].Id).toBe(invoice.Id);

    const [dupErr, dup] = await settle((cb) => qbo.createCustomer({ DisplayName: 'existing vendor' }, cb));
    expect(dup).toBeFalsy();
    expect(dupErr.response.status).toBe(400);
    expect(dupErr.response.data.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '6240', Message: 'Duplicate Name Exists Error' }] });

    const [dupInvErr] = await settle((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: customer.Id },
          DocNumber: 'SF-0001',
          Line: [{ DetailType: 'SalesItemLineDetail', Amount: 75, SalesItemLineDetail: { ItemRef: { value: '20' } } }],
        },
        cb,
      ),
    );
    expect(dupInvErr.response.data.Fault.Error[0].code).toBe('6140');

    const [allowErr] = await settle((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: customer.Id },
          DocNumber: 'SF-0001',
          allowDuplicateDocNum: true,
          requestId: 'sf-0001-dup',
          Line: [{ DetailType: 'SalesItemLineDetail', Amount: 75, SalesItemLineDetail: { ItemRef: { value: '20' } } }],
        },
        cb,
      ),
    );
    expect(allowErr).toBeNull();
  });

  it('when node-quickbooks fetches every customer, then it pages through 1000-row pages', async () => {
    await admin.seed([{ realmId: REALM, entities: { Customer: Array.from({ length: 1500 }, (_, i) => ({ DisplayName: `Paged ${i}` })) } }]);
    const tokens = await admin.tokens(REALM);
    const qbo = new QuickBooks(CLIENT, SECRET, tokens.access_token, false, REALM, true, false, 75, '2.0', tokens.refresh_token);
    await admin.resetStats();
    const [err, all] = await settle((cb) => qbo.findCustomers({ fetchAll: true }, cb));
    expect(err).toBeNull();
    expect(all.QueryResponse.Customer).toHaveLength(1500);
    expect((await admin.stats()).byEndpoint['GET /query']).toBe(2);
  });

  it('when node-quickbooks refreshes and revokes, then its token calls work against the emulator', async () => {
    const tokens = await admin.tokens(REALM);
    const qbo = new QuickBooks(CLIENT, SECRET, tokens.access_token, false, REALM, true, false, 75, '2.0', tokens.refresh_token);
    const [refreshErr, refreshed] = await settle((cb) => qbo.refreshAccessToken(cb));
    expect(refreshErr).toBeNull();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(qbo.token).toBe(refreshed.access_token);

    const [, info] = await settle((cb) => qbo.getCompanyInfo(REALM, cb));
    expect(info.CompanyName).toBe('Fidelity Test Co');

    const [revokeErr] = await settle((cb) => qbo.revokeAccess(true, cb));
    expect(revokeErr).toBeNull();
    const retry = new QuickBooks(CLIENT, SECRET, refreshed.access_token, false, REALM, true, false, 75, '2.0', refreshed.refresh_token);
    const [authErr] = await settle((cb) => retry.getCompanyInfo(REALM, cb));
    expect(authErr.response.status).toBe(401);
    expect(authErr.response.data.fault.error[0].code).toBe('3200');
  });
});
