// The page's summary names the connected QuickBooks company and the days left on the refresh token, without
// refreshing the authorization to read the name (that would reset the 100 days and hide the expiry warning).
import { api, startTestStack } from '../support/stack';
import type { DemoStack } from '../../scripts/demo-stack';

jest.setTimeout(120_000);

describe('company summary: the QuickBooks connection', () => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6, seed: 21 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when the company is connected, then the summary names the QuickBooks company and the days left, and refreshes nothing', async () => {
    const refreshesBefore = stack.container.authorization.refreshCalls;

    const { status, body } = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/summary`);
    const again = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/summary`);

    expect(status).toBe(200);
    const realm = stack.data.quickbooks.realms.find((r) => r.realmId === stack.data.facts.realmIds.primary)!;
    expect(body.connection.quickBooksCompanyName).toBe(realm.companyInfo.CompanyName);
    expect(body.connection.daysLeft).toBeGreaterThanOrEqual(100);
    expect(again.body.connection.quickBooksCompanyName).toBe(body.connection.quickBooksCompanyName);
    expect(stack.container.authorization.refreshCalls).toBe(refreshesBefore);
  });

  it('when the company is not connected, then there is no QuickBooks company name', async () => {
    const { body } = await api(stack, 'GET', `/api/companies/${stack.secondaryCompanyId}/summary`);

    expect(body.connection.state).toBe('not_connected');
    expect(body.connection.quickBooksCompanyName).toBeNull();
  });
});
