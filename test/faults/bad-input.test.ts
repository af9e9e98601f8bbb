// The bad-input matrix: requests the API must refuse before anything starts (each with the status and a message
// naming the problem), and Salesforce data an export must refuse or flag (each with an entry naming the record),
// with nothing half-done in QuickBooks.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { sf, sfWrite } from '../support/sf';
import { admin, api, exportAndWait, qboEntities, startTestStack } from '../support/stack';

let stack: DemoStack;
beforeAll(async () => {
  stack = await startTestStack({ invoices: 20 });
});
afterAll(() => stack?.close());

const raw = (method: string, route: string, body: string | Buffer | undefined, type?: string) =>
  fetch(`${stack.serviceUrl}${route}`, {
    method,
    headers: { Authorization: `Bearer ${stack.apiKey}`, ...(type ? { 'Content-Type': type } : {}) },
    body,
  }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('bad requests', () => {
  const exports = () => `/api/companies/${stack.primaryCompanyId}/exports`;
  const cases: [string, () => Promise<{ status: number; body: string }>, number, RegExp][] = [
    ['a misspelt field', () => raw('POST', exports(), JSON.stringify({ dryrun: true }), 'application/json'), 400, /Unknown field dryrun/],
    ['a text/plain body', () => raw('POST', exports(), '{"dryRun":true}', 'text/plain'), 415, /application\/json/],
    ['a 2 MB body', () => raw('POST', exports(), JSON.stringify({ dryRun: true, pad: 'x'.repeat(2_000_000) }), 'application/json'), 413, /too large/],
    ['a date not on the calendar', () => raw('POST', exports(), JSON.stringify({ fromDate: '2026-02-30' }), 'application/json'), 400, /fromDate/],
    ['a month that does not exist', () => raw('POST', exports(), JSON.stringify({ toDate: '2026-13-01' }), 'application/json'), 400, /toDate/],
    [
      'an invoice number of 200,000 characters',
      () => raw('POST', exports(), JSON.stringify({ invoiceNumbers: ['x'.repeat(200_000)] }), 'application/json'),
      400,
      /80 characters/,
    ],
    [
      '5,000 invoice numbers',
      () => raw('POST', exports(), JSON.stringify({ invoiceNumbers: Array.from({ length: 5000 }, (_, i) => `SI-${i}`) }), 'application/json'),
      400,
      /1,?000/,
    ],
    ['a wrong type', () => raw('POST', exports(), JSON.stringify({ dryRun: 'yes' }), 'application/json'), 400, /dryRun/],
    ['a body that is not JSON', () => raw('POST', exports(), '{dryRun:', 'application/json'), 400, /JSON/],
    ['an unknown query parameter', () => raw('GET', `/api/companies/${stack.primaryCompanyId}/summary?foo=1`, undefined), 400, /foo/],
    ['a path that climbs out of the assets', () => raw('GET', '/quickbooks/assets/..%2F..%2Fpackage.json', undefined), 404, /./],
    ['an id with a slash', () => raw('GET', '/api/runs/..%2Fetc', undefined), 400, /./],
  ];

  it.each(cases)('when the API gets %s, then it answers with the status naming it and starts nothing', async (_name, send, status, message) => {
    const before = await admin(stack.qboUrl, 'GET', '/stats');
    const answer = await send();
    expect({ status: answer.status, message: message.test(answer.body) }).toEqual({ status, message: true });
    expect(answer.status).not.toBe(500);
    const { body: summary } = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/summary`);
    expect(summary.activeRunId).toBeNull();
    const after = await admin(stack.qboUrl, 'GET', '/stats');
    expect(after.byKind.batch + after.byKind.write).toBe(before.byKind.batch + before.byKind.write);
  });
});

describe('bad Salesforce data', () => {
  it('when invoices carry a negative quantity, a zero price, a zero total, an empty customer, a discount over the total or no product, then each is refused or flagged with its entry', async () => {
    const companyId = stack.primaryCompanyId;
    const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId)!;
    const customer = stack.data.salesforce.records.Customer__c![0]!;
    const [nameless] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: ' ' })]);
    // (An invoice whose total is negative is a credit: it becomes a QuickBooks credit memo, tested with payments.)
    const kinds: [string, Record<string, unknown>, [number, number, string | null][], 'refused' | 'flagged', RegExp][] = [
      [
        'negative',
        {},
        [
          [3, 10, String(product.Id)],
          [-2, 10, String(product.Id)],
        ],
        'refused',
        /line 2 has a negative quantity \(-2\)/,
      ],
      ['zero-price', {}, [[1, 0, String(product.Id)]], 'flagged', /unit price of 0\.00/],
      ['zero-total', { Total_Amount__c: 0 }, [[0, 10, String(product.Id)]], 'flagged', /totals 0\.00|quantity 0/],
      ['nameless', { Customer__c: nameless }, [[1, 10, String(product.Id)]], 'refused', /has no QuickBooks customer/],
      ['discount', { Order_Discount__c: 50 }, [[1, 10, String(product.Id)]], 'refused', /discount is larger than its lines/],
      ['no-product', {}, [[1, 10, null]], 'refused', /line 1 \(no product\) has no QuickBooks item/],
    ];
    const ids: Record<string, string> = {};
    for (const [name, extra, lines] of kinds) {
      const total = lines.reduce((s, [q, p]) => s + q * p, 0);
      const [id] = await sfWrite(stack, 'POST', [
        sf('Sales_Invoice__c', {
          Name: `BAD-${name}`,
          Company__c: companyId,
          Customer__c: customer.Id,
          Approved__c: true,
          Invoice_Date__c: '2026-11-02',
          Total_Amount__c: total,
          ...extra,
        }),
      ]);
      await sfWrite(
        stack,
        'POST',
        lines.map(([q, p, prod], i) =>
          sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Line_Number__c: i + 1, Quantity__c: q, Unit_Price__c: p, ...(prod ? { Product__c: prod } : {}) }),
        ),
      );
      ids[name] = id!;
    }
    const run = await exportAndWait(stack, companyId, { invoiceNumbers: kinds.map(([n]) => `BAD-${n}`) });
    const inQuickBooks = new Set((await qboEntities(stack, stack.data.facts.realmIds.primary, 'Invoice')).map((i) => readMarker(i.PrivateNote)));
    for (const [name, , , outcome, message] of kinds) {
      const entry = run.entries.find((e: any) => e.recordId === ids[name] && e.level !== 'INFO');
      expect({ name, entry: entry && message.test(entry.message), level: entry?.level }).toEqual({
        name,
        entry: true,
        level: outcome === 'refused' ? 'ERROR' : 'WARN',
      });
      expect({ name, inQuickBooks: inQuickBooks.has(ids[name]!) }).toEqual({ name, inQuickBooks: outcome === 'flagged' });
    }
    // The nameless customer itself is refused with its fix, never created in QuickBooks without a name.
    expect(run.entries.find((e: any) => e.recordId === nameless && e.level === 'ERROR').fix).toBe(
      'Enter the Name (or First and Last Name, or Company Name) on the Customer record in Salesforce, then export again.',
    );
  });
});
