// Which customers a company sends to its QuickBooks: by default the ones its own invoices need, so another company's
// customers never appear in its books; the Company's Customer Export setting keeps "every customer without this
// company's id" for those who want it. The page's Customer Export Qty counts by the same rule.
import type { DemoStack } from '../../scripts/demo-stack';
import { logOf, sfWrite } from '../support/sf';
import { api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

/** The customers of the company's approved invoices in the seed. */
function invoicedCustomers(stack: DemoStack, companyId: string, invoiceNames?: string[]): Set<string> {
  return new Set(
    stack.data.salesforce.records
      .Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true && (!invoiceNames || invoiceNames.includes(String(i.Name))))
      .map((i) => String(i.Customer__c)),
  );
}

async function linkedCustomers(stack: DemoStack): Promise<Set<string>> {
  return new Set((await sfRecords(stack, 'Customer__c')).filter((c) => c.Financial_System_Customer_Id__c).map((c) => String(c.Id)));
}

const customerCount = async (stack: DemoStack, companyId: string) =>
  (await api(stack, 'GET', `/api/companies/${companyId}/summary`)).body.counts.customers as number;

describe('when a company exports its invoices', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack({ invoices: 12 });
  });
  afterEach(() => stack?.close());

  it('then only the customers its own invoices need reach its QuickBooks, and the Customer Export Qty counts those and ends at 0', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const needed = invoicedCustomers(stack, companyId);
    const all = stack.data.salesforce.records.Customer__c!.map((c) => String(c.Id));
    // The seed has customers no invoice of this company names (another company's), or the test proves nothing.
    expect(all.filter((id) => !needed.has(id)).length).toBeGreaterThan(0);
    expect(await customerCount(stack, companyId)).toBe(needed.size);
    const before = (await qboEntities(stack, realmId, 'Customer')).length;

    const run = await exportAndWait(stack, companyId);

    expect(run.error).toBeNull();
    expect([...(await linkedCustomers(stack))].sort()).toEqual([...needed].sort());
    const log = await logOf(stack, companyId, run.processLogId);
    const logged = new Set(log.entries.filter((e: any) => e.recordType === 'Customer').map((e: any) => e.recordId));
    expect([...logged].sort()).toEqual([...needed].sort());
    const created = log.entries.filter((e: any) => e.recordType === 'Customer' && e.outcome === 'Created').length;
    expect((await qboEntities(stack, realmId, 'Customer')).length).toBe(before + created);
    expect(await customerCount(stack, companyId)).toBe(0);
  });

  it('then an export of one invoice sends that invoice’s customer and no other', async () => {
    const companyId = stack.primaryCompanyId;
    const one = stack.data.salesforce.records.Sales_Invoice__c!.find(
      (i) => i.Company__c === companyId && i.Approved__c === true && i.Id !== stack.data.facts.expected[companyId]!.docNumberCollision?.invoiceId,
    )!;

    const run = await exportAndWait(stack, companyId, { invoiceNumbers: String(one.Name) });

    expect(run.error).toBeNull();
    expect([...(await linkedCustomers(stack))]).toEqual([String(one.Customer__c)]);
    expect(run.progress.customers).toEqual({ done: 1, total: 1 });
  });

  it('then with Customer Export "Every customer without this company\'s id" every such customer goes, and the count says so first', async () => {
    const companyId = stack.primaryCompanyId;
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: companyId, Customer_Export__c: "Every customer without this company's id" }]);
    const all = stack.data.salesforce.records.Customer__c!.map((c) => String(c.Id));
    expect(await customerCount(stack, companyId)).toBe(all.length);

    const run = await exportAndWait(stack, companyId);

    expect(run.error).toBeNull();
    expect([...(await linkedCustomers(stack))].sort()).toEqual([...all].sort());
    expect(await customerCount(stack, companyId)).toBe(0);
  });
});
