// Defects found when the export was tried, each reproduced end to end over HTTP against both emulators.
import type { DemoStack } from '../../scripts/demo-stack';
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { readMarker } from '../../service/src/export/marker';
import { exportCli } from '../support/cli';
import { logOf, sfWrite } from '../support/sf';
import { admin, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

describe('when two new products of one export have the same name', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
  });
  afterAll(() => stack?.close());

  it('then both end linked to the one real QuickBooks item, each with its entry, and no placeholder reaches Salesforce', async () => {
    const companyId = stack.primaryCompanyId;
    const [a, b] = await sfWrite(stack, 'POST', [
      { attributes: { type: 'Product__c' }, Name: 'Copper Flange 12mm', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 4 },
      { attributes: { type: 'Product__c' }, Name: 'Copper Flange 12mm', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 4 },
    ]);
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    const items = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Item')).filter((i) => i.Name === 'Copper Flange 12mm');
    expect(items).toHaveLength(1);
    const products = new Map((await sfRecords(stack, 'Product__c')).map((p) => [p.Id, p]));
    expect(products.get(a!)!.Financial_System_Product_Id__c).toBe(items[0].Id);
    expect(products.get(b!)!.Financial_System_Product_Id__c).toBe(items[0].Id);
    expect([...products.values()].filter((p) => String(p.Financial_System_Product_Id__c ?? '').includes('planned'))).toEqual([]);
    const log = await logOf(stack, companyId, run.processLogId);
    expect(log.entries.filter((e: any) => e.recordId === a).map((e: any) => [e.outcome, e.quickBooksId])).toEqual([['Created', items[0].Id]]);
    expect(log.entries.filter((e: any) => e.recordId === b).map((e: any) => [e.outcome, e.quickBooksId])).toEqual([['Matched', items[0].Id]]);
  });
});

describe('when a run stops on the third invoice batch with a 401 that survives the refresh', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 120 });
  });
  afterAll(() => stack?.close());

  it('then every invoice QuickBooks confirmed before is written back and logged before the run closes', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    // Customers and items first (one invoice brings them all when the company sends every customer), so the next
    // batch calls are invoice batches.
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: companyId, Customer_Export__c: "Every customer without this company's id" }]);
    const one = stack.data.salesforce.records.Sales_Invoice__c!.find((i) => i.Company__c === companyId && i.Approved__c === true)!;
    expect((await exportAndWait(stack, companyId, { invoiceNumbers: String(one.Name) })).error).toBeNull();
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'http401', count: 1000, skip: 2, match: { entity: 'batch' } });
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toEqual({ code: 'QBO_UNAUTHORIZED', message: UNAUTHORIZED_SENTENCE });
    const inQuickBooks = new Map<string, string>();
    for (const inv of await qboEntities(stack, realmId, 'Invoice')) {
      const id = readMarker(inv.PrivateNote);
      if (id) inQuickBooks.set(id, inv.Id);
    }
    inQuickBooks.delete(String(one.Id));
    // Two batches, in invoice-number order: the first n invoices, each batch no larger than the service sends (the first
    // may be shorter, sized to fill the window the reads left); the seeded number collision is refused if among them.
    const size = stack.container.config.quickbooks.batchSize;
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!.invoiceId;
    const sent = stack.data.salesforce.records
      .Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true && i.Id !== one.Id)
      .sort((x, y) => String(x.Name).localeCompare(String(y.Name)))
      .map((i) => i.Id);
    const reached = Math.max(...[...inQuickBooks.keys()].map((id) => sent.indexOf(id))) + 1;
    expect(reached).toBeGreaterThan(size);
    expect(reached).toBeLessThanOrEqual(2 * size);
    expect([...inQuickBooks.keys()].sort()).toEqual(
      sent
        .slice(0, reached)
        .filter((id) => id !== collision)
        .sort(),
    );
    const invoices = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((i) => [i.Id, i]));
    for (const [sfId, qboId] of inQuickBooks) {
      expect({ sfId, transferred: invoices.get(sfId)!.Transferred__c, linked: invoices.get(sfId)!.Financial_System_Invoice_Id__c }).toEqual({
        sfId,
        transferred: true,
        linked: qboId,
      });
    }
    const log = await logOf(stack, companyId, run.processLogId);
    expect(log.status).toBe('Failed');
    const created = log.entries.filter((e: any) => e.recordType === 'Invoice' && e.outcome === 'Created');
    expect(new Map(created.map((e: any) => [e.recordId, e.quickBooksId]))).toEqual(inQuickBooks);
    expect(log.summary).toContain(`Created ${inQuickBooks.size},`);
  });
});

describe('when two new customers share a name but not their email or city', () => {
  let stack: DemoStack;
  let ids: string[];
  const jane = (email: string, city: string) => ({
    attributes: { type: 'Customer__c' },
    Name: 'Jane Q. Sample',
    First_Name__c: 'Jane',
    Last_Name__c: 'Sample',
    Email__c: email,
    Billing_City__c: city,
  });

  beforeEach(async () => {
    stack = await startTestStack({ invoices: 4 });
    ids = await sfWrite(stack, 'POST', [jane('jane@north.example', 'Leeds'), jane('jane@south.example', 'Exeter')]);
    // Each has an invoice of the company: a company sends the customers its invoices need.
    const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === stack.primaryCompanyId)!;
    const invoices = await sfWrite(
      stack,
      'POST',
      ids.map((customerId, n) => ({
        attributes: { type: 'Sales_Invoice__c' },
        Name: `SI-JANE-${n + 1}`,
        Company__c: stack.primaryCompanyId,
        Customer__c: customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 10,
      })),
    );
    await sfWrite(
      stack,
      'POST',
      invoices.map((invoiceId) => ({
        attributes: { type: 'Sales_Invoice_Line__c' },
        Sales_Invoice__c: invoiceId,
        Product__c: product.Id,
        Line_Number__c: 1,
        Quantity__c: 1,
        Unit_Price__c: 10,
      })),
    );
  });
  afterEach(() => stack?.close());

  it('then by default both link to one customer, and the second has its entry and a warning naming both emails', async () => {
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.error).toBeNull();
    const created = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Customer')).filter((c) => c.DisplayName.startsWith('Jane Q. Sample'));
    expect(created.map((c) => c.DisplayName)).toEqual(['Jane Q. Sample']);
    const customers = new Map((await sfRecords(stack, 'Customer__c')).map((c) => [c.Id, c]));
    expect(ids.map((id) => customers.get(id)!.Financial_System_Customer_Id__c)).toEqual([created[0].Id, created[0].Id]);
    const log = await logOf(stack, stack.primaryCompanyId, run.processLogId);
    const second = log.entries.filter((e: any) => e.recordId === ids[1]);
    expect(second.map((e: any) => e.outcome).sort()).toEqual(['Matched', 'Warning']);
    expect(second.find((e: any) => e.outcome === 'Warning').message).toBe(
      'Customer Jane Q. Sample (jane@south.example) was matched by name to "Jane Q. Sample", whose email is jane@north.example: check that they are the same customer.',
    );
  });

  it('then with "Never match across different emails" the second is a customer of its own, named by its email', async () => {
    await sfWrite(stack, 'PATCH', [
      { attributes: { type: 'Company__c' }, Id: stack.primaryCompanyId, Customer_Matching__c: 'Never match across different emails' },
    ]);
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.error).toBeNull();
    const created = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Customer')).filter((c) => c.DisplayName.startsWith('Jane Q. Sample'));
    expect(Object.fromEntries(created.map((c) => [c.DisplayName, c.PrimaryEmailAddr.Address]))).toEqual({
      'Jane Q. Sample': 'jane@north.example',
      'Jane Q. Sample (jane@south.example)': 'jane@south.example',
    });
    const customers = new Map((await sfRecords(stack, 'Customer__c')).map((c) => [c.Id, c]));
    const byName = new Map(created.map((c) => [c.DisplayName, c.Id]));
    expect(ids.map((id) => customers.get(id)!.Financial_System_Customer_Id__c)).toEqual([
      byName.get('Jane Q. Sample'),
      byName.get('Jane Q. Sample (jane@south.example)'),
    ]);
  });

  it('then doing what the warning says — the setting, the second’s link cleared, export again — gives the second a customer of its own', async () => {
    expect((await exportAndWait(stack, stack.primaryCompanyId)).error).toBeNull();
    const realmId = stack.data.facts.realmIds.primary;
    const first = (await qboEntities(stack, realmId, 'Customer')).find((c) => c.DisplayName === 'Jane Q. Sample')!;
    const linkOf = async (id: string) => (await sfRecords(stack, 'Customer__c')).find((c) => c.Id === id)!.Financial_System_Customer_Id__c;
    expect(await linkOf(ids[1]!)).toBe(first.Id);

    await sfWrite(stack, 'PATCH', [
      { attributes: { type: 'Company__c' }, Id: stack.primaryCompanyId, Customer_Matching__c: 'Never match across different emails' },
      { attributes: { type: 'Customer__c' }, Id: ids[1], Financial_System_Customer_Id__c: null },
    ]);
    const run = await exportAndWait(stack, stack.primaryCompanyId);
    expect(run.error).toBeNull();

    const created = (await qboEntities(stack, realmId, 'Customer')).filter((c) => c.DisplayName.startsWith('Jane Q. Sample'));
    const own = created.find((c) => c.DisplayName === 'Jane Q. Sample (jane@south.example)');
    expect(own?.PrimaryEmailAddr.Address).toBe('jane@south.example');
    expect(created).toHaveLength(2);
    expect(await linkOf(ids[0]!)).toBe(first.Id);
    expect(await linkOf(ids[1]!)).toBe(own!.Id);
    const log = await logOf(stack, stack.primaryCompanyId, run.processLogId);
    expect(log.entries.filter((e: any) => e.recordId === ids[1]).map((e: any) => [e.outcome, e.quickBooksId])).toEqual([
      ['Renamed', own!.Id],
      ['Created', own!.Id],
    ]);
  });
});

describe('when an invoice has a thousand lines', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
  });
  afterAll(() => stack?.close());

  it('then every line is read, however many pages its lines take, and QuickBooks holds every one with the right total', async () => {
    const companyId = stack.primaryCompanyId;
    const records = stack.data.salesforce.records;
    const customer = records.Customer__c![0]!;
    const product = records.Product__c!.find((p) => p.Company__c === companyId)!;
    const [invoiceId] = await sfWrite(stack, 'POST', [
      {
        attributes: { type: 'Sales_Invoice__c' },
        Name: 'SI-LONG-1000',
        Company__c: companyId,
        Customer__c: customer.Id,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 1000 * 1.25,
      },
    ]);
    await sfWrite(
      stack,
      'POST',
      Array.from({ length: 1000 }, (_, i) => ({
        attributes: { type: 'Sales_Invoice_Line__c' },
        Sales_Invoice__c: invoiceId,
        Product__c: product.Id,
        Line_Number__c: i + 1,
        Quantity__c: 1,
        Unit_Price__c: 1.25,
        Taxable__c: false,
      })),
    );
    const run = await exportAndWait(stack, companyId, { invoiceNumbers: 'SI-LONG-1000' });
    expect(run.error).toBeNull();
    const sf = (await sfRecords(stack, 'Sales_Invoice__c')).find((i) => i.Id === invoiceId);
    expect(sf.Transferred__c).toBe(true);
    const qbo = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Invoice')).find((i) => i.Id === sf.Financial_System_Invoice_Id__c);
    const lines = qbo.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(lines).toHaveLength(1000);
    expect(qbo.TotalAmt).toBe(1250);
  });
});

describe('when invoice numbers given to an export match nothing it can export', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 12 });
  });
  afterAll(() => stack?.close());

  it('then each is named in the run’s answer and the Process Log with its reason', async () => {
    const primary = stack.primaryCompanyId;
    const invoices = stack.data.salesforce.records.Sales_Invoice__c!;
    const good = invoices.find((i) => i.Company__c === primary && i.Approved__c === true)!;
    const unapproved = invoices.find((i) => i.Company__c === primary && i.Approved__c !== true)!;
    const other = invoices.find((i) => i.Company__c === stack.secondaryCompanyId)!;
    expect((await exportAndWait(stack, primary, { invoiceNumbers: String(good.Name) })).error).toBeNull();
    const asked = [String(good.Name), 'SI-NOPE-1', String(other.Name), String(unapproved.Name)];
    const run = await exportAndWait(stack, primary, { invoiceNumbers: asked });
    expect(run.status).toBe('completed_with_errors');
    const reasons = (entries: any[]) =>
      Object.fromEntries(entries.filter((e) => asked.includes(e.recordName) && e.recordType === 'Invoice').map((e) => [e.recordName, e.message]));
    const expected = {
      [String(good.Name)]: `Invoice ${good.Name} was not exported: it was already transferred to QuickBooks.`,
      'SI-NOPE-1': 'Invoice SI-NOPE-1 was not exported: no Sales Invoice has this number.',
      [String(other.Name)]: `Invoice ${other.Name} was not exported: it belongs to another Company than Northwind Trading Co.`,
      [String(unapproved.Name)]: `Invoice ${unapproved.Name} was not exported: it is not approved.`,
    };
    expect(reasons(run.entries)).toEqual(expected);
    expect(reasons((await logOf(stack, primary, run.processLogId)).entries)).toEqual(expected);
  });
});

describe('when the command line exports', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 12 });
  });
  afterAll(() => stack?.close());

  const cli = (args: string[]) => exportCli(stack, args);

  it('then a partial failure names every failed record with its reason and exits 2, and --json carries the entries as valid JSON', async () => {
    const collision = stack.data.facts.expected[stack.primaryCompanyId]!.docNumberCollision!;
    const text = await cli(['--company', 'Northwind Trading Co.', '--invoices', `${collision.invoiceName},SI-NOPE-7`]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(
      `${collision.invoiceName}: Invoice ${collision.invoiceName} was not exported: QuickBooks already has an invoice numbered ${collision.docNumber}`,
    );
    expect(text.stdout).toContain('SI-NOPE-7: Invoice SI-NOPE-7 was not exported: no Sales Invoice has this number.');
    expect(text.stdout).not.toMatch(/^a\w{17}$/m);
    const json = await cli(['--company', 'Northwind Trading Co.', '--invoices', 'SI-NOPE-8', '--json']);
    expect(json.code).toBe(2);
    const view = JSON.parse(json.stdout);
    expect(view.status).toBe('completed_with_errors');
    expect(view.entries).toEqual(expect.arrayContaining([expect.objectContaining({ recordName: 'SI-NOPE-8', level: 'ERROR' })]));
  });

  it('then a clean run exits 0 and a failed one exits 1', async () => {
    expect((await cli(['--company', 'Northwind Trading Co.', '--dry-run'])).code).toBe(2); // the collision would fail
    const good = stack.data.salesforce.records.Sales_Invoice__c!.filter(
      (i) =>
        i.Company__c === stack.primaryCompanyId &&
        i.Approved__c === true &&
        i.Id !== stack.data.facts.expected[stack.primaryCompanyId]!.docNumberCollision!.invoiceId,
    )[0]!;
    expect((await cli(['--company', 'Northwind Trading Co.', '--invoices', String(good.Name)])).code).toBe(0);
    // The secondary company is not connected to QuickBooks: the run fails.
    const failed = await cli(['--company', stack.secondaryCompanyId]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(UNAUTHORIZED_SENTENCE);
  });
});
