// Small HTTP helpers for the Salesforce emulator tests: real requests, no mocks.
import { startSalesforceEmulator, type SalesforceEmulatorOptions } from '../../emulators/salesforce';

export interface HttpResult<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export async function http<T = any>(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), body: parsed as T };
}

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Starts an emulator on a random port with a bearer token ready for data calls. */
export async function startEmulator(opts: SalesforceEmulatorOptions = {}) {
  const emu = await startSalesforceEmulator({ port: 0, ...opts });
  const admin = <T = any>(method: string, path: string, body?: unknown) => http<T>(`${emu.url}/__admin${path}`, method, body);
  let token = (await admin('POST', '/token', {})).body.access_token as string;
  const api = <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http<T>(`${emu.url}/services/data/v62.0${path}`, method, body, { authorization: `Bearer ${token}`, ...headers });
  const query = <T = any>(soql: string, headers: Record<string, string> = {}) => api<T>('GET', `/query?q=${encodeURIComponent(soql)}`, undefined, headers);
  const seed = async (records: Record<string, Record<string, unknown>[]>) => {
    const r = await admin('POST', '/seed', { records });
    if (r.status !== 200) throw new Error(`seed failed: ${JSON.stringify(r.body)}`);
    return r.body as { counts: Record<string, number>; errors: unknown[] };
  };
  const records = async (sobject: string) => (await admin('GET', `/records/${sobject}`)).body as Record<string, any>[];
  return {
    ...emu,
    admin,
    api,
    query,
    seed,
    records,
    get token() {
      return token;
    },
    async refreshToken() {
      token = (await admin('POST', '/token', {})).body.access_token;
      return token;
    },
  };
}

/** A company, two customers, products and `count` approved invoices (two lines each). */
export async function seedInvoices(emu: Emulator, count: number): Promise<{ companyId: string; invoiceIds: string[] }> {
  await emu.seed({ Company__c: [{ Name: 'Acme US', QuickBooks_Realm_Id__c: '9130', Accounting_System__c: 'Online' }] });
  const companyId = (await emu.records('Company__c'))[0].Id as string;
  await emu.seed({
    Customer__c: [{ Name: 'Bolt Hardware', Email__c: 'ap@bolt.example' }, { Name: 'Cobalt Cafe' }],
    Product__c: [{ Name: 'Widget', Company__c: companyId, Unit_Price__c: 12.5, Product_Type__c: 'Inventory' }],
  });
  const [c1, c2] = (await emu.records('Customer__c')).map((c) => c.Id as string);
  const productId = (await emu.records('Product__c'))[0].Id as string;
  const invoices = Array.from({ length: count }, (_, i) => ({
    Name: `SI-${String(i + 1).padStart(6, '0')}`,
    Company__c: companyId,
    Customer__c: i % 2 === 0 ? c1 : c2,
    Approved__c: true,
    Invoice_Date__c: '2026-01-31',
    Total_Amount__c: 25,
    Export_Status__c: 'Not Exported',
  }));
  await emu.seed({ Sales_Invoice__c: invoices });
  const invoiceIds = (await emu.records('Sales_Invoice__c')).map((r) => r.Id as string);
  await emu.seed({
    Sales_Invoice_Line__c: invoiceIds.flatMap((id) => [
      { Sales_Invoice__c: id, Product__c: productId, Line_Number__c: 2, Quantity__c: 1, Unit_Price__c: 12.5 },
      { Sales_Invoice__c: id, Product__c: productId, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 12.5 },
    ]),
  });
  return { companyId, invoiceIds };
}
