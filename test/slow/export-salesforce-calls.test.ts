// The Salesforce calls of a large export: reads split by ids (each page's invoice lines) go five queries a /composite
// call, so the whole run stays within invoices/150 + 20 calls (issue #24), every invoice read with its lines.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { admin, exportAndWait, qboEntities, startTestStack } from '../support/stack';

describe('when a company with 3,000 approved invoices is exported', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6000, seed: 24 });
  });
  afterAll(() => stack?.close());

  it('then its invoice lines are read through /composite and the run makes at most invoices/150 + 20 Salesforce calls', async () => {
    const companyId = stack.primaryCompanyId;
    const expected = stack.data.facts.expected[companyId]!;
    await admin(stack.sfUrl, 'POST', '/stats/reset');
    const run = await exportAndWait(stack, companyId);
    const sf = await admin(stack.sfUrl, 'GET', '/stats');
    process.stdout.write(`export of ${expected.approvedInvoices} invoices: Salesforce ${JSON.stringify(sf)}\n`);

    expect(run.error).toBeNull();
    expect(expected.approvedInvoices).toBeGreaterThanOrEqual(2500);
    // Every invoice in QuickBooks once, with as many lines as Salesforce holds (header charges come as lines of their own).
    const linesOf = new Map<string, number>();
    for (const line of stack.data.salesforce.records.Sales_Invoice_Line__c!)
      linesOf.set(String(line.Sales_Invoice__c), (linesOf.get(String(line.Sales_Invoice__c)) ?? 0) + 1);
    const invoices = await qboEntities(stack, stack.data.facts.realmIds.primary, 'Invoice');
    const sent = invoices
      .filter((inv) => readMarker(inv.PrivateNote))
      .map((inv) => ({ id: readMarker(inv.PrivateNote)!, itemLines: inv.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail').length }));
    expect(sent.length).toBeGreaterThanOrEqual(expected.approvedInvoices - 1 - expected.creditMemos.length);
    expect(sent.filter((inv) => inv.itemLines < (linesOf.get(inv.id) ?? 0))).toEqual([]);

    // Lines: about five queries a page of 2,000 invoices, one /composite call for them where each was a call before;
    // the run's counts one call too.
    expect(sf.compositeSubrequests).toBeGreaterThanOrEqual(2 * Math.floor(expected.approvedInvoices / 2000) + 1);
    expect(sf.byEndpoint['POST /composite']).toBeLessThanOrEqual(Math.ceil(sf.compositeSubrequests / 5) + 2);
    expect(sf.total).toBeLessThanOrEqual(expected.approvedInvoices / 150 + 20);
  });
});
