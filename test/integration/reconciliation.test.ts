// Reconciliation end to end against both emulators: right after an export it lists the demo's one deliberate
// difference (the invoice whose number QuickBooks already held); then, with differences planted the way people make
// them — an invoice deleted and one voided in QuickBooks, an amount changed there, an invoice keyed in QuickBooks only,
// an approved invoice Salesforce has that was never exported — it lists exactly those, and counts its QuickBooks reads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DemoStack } from '../../scripts/demo-stack';
import { reconcileCli } from '../support/cli';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

jest.setTimeout(240_000);

const PERIOD = 'from=2026-08-01&to=2026-10-31';

describe('when a company is reconciled with QuickBooks Online for a period', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let exported: { id: string; name: string; qboId: string }[];
  const reconcile = (query = PERIOD) => api(stack, 'GET', `/api/companies/${companyId}/reconciliation?${query}`);
  const listed = (body: any) =>
    body.differences.map((d: any) => [d.kind, d.salesforce?.name ?? null, d.quickbooks?.id ?? null]) as [string, string | null, string | null][];

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 30, desktop: true });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    await exportAndWait(stack, companyId);
    const qboInvoices = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [i.Id, i]));
    const paidInSalesforce = new Set((await sfRecords(stack, 'Payment__c')).map((p) => p.Sales_Invoice__c));
    exported = (await sfRecords(stack, 'Sales_Invoice__c'))
      .filter((r) => r.Company__c === companyId && r.Transferred__c && qboInvoices.has(r.Financial_System_Invoice_Id__c) && !paidInSalesforce.has(r.Id))
      .map((r) => ({ id: r.Id, name: r.Name, qboId: r.Financial_System_Invoice_Id__c }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(exported.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => stack?.close());

  it('then right after the export it shows the one invoice QuickBooks refused, naming both records, the cause and the fix, and nothing else', async () => {
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!;
    await admin(stack.qboUrl, 'POST', '/stats/reset');

    const { status, body } = await reconcile();

    expect(status).toBe(200);
    expect(listed(body)).toEqual([['missing_in_quickbooks', collision.invoiceName, collision.quickBooksInvoiceId]]);
    expect(body.differences[0].cause).toContain(`QuickBooks already has an invoice numbered ${collision.docNumber}`);
    expect(body.differences[0].fix).toMatch(/Prefix or Suffix/);
    // Both sides agree but for that invoice.
    const { salesforce, quickbooks } = body.totals;
    expect(salesforce.invoices.count).toBe(quickbooks.invoices.count);
    expect(salesforce.creditMemos).toEqual(quickbooks.creditMemos);
    expect(salesforce.payments).toEqual(quickbooks.payments);
    const missing = Number(body.differences[0].salesforceValue);
    const held = (await qboEntities(stack, realmId, 'Invoice')).find((i) => i.Id === collision.quickBooksInvoiceId)!.TotalAmt;
    expect(salesforce.invoices.total - missing + held).toBeCloseTo(quickbooks.invoices.total, 2);
    // One query page of invoices and one of credit memos, counted on the company's reads.
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(body.reads.quickbooks).toBe(2);
    expect(stats.byKind.query).toBe(2);
    expect(stats.byKind.read ?? 0).toBe(0);
  });

  it('then npm run reconcile prints the totals and that difference with its fix, writes it to --csv, and exits 2', async () => {
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-reconcile-'));
    try {
      const csv = path.join(dir, 'differences.csv');
      const { code, stdout } = await reconcileCli(stack, ['--company', companyId, '--from', '2026-08-01', '--to', '2026-10-31', '--csv', csv]);
      expect(code).toBe(2);
      expect(stdout).toMatch(/Invoices\s+\d+ \/ [\d.]+\s+\d+ \/ [\d.]+/);
      expect(stdout).toContain(
        `Missing in QuickBooks: Sales Invoice ${collision.invoiceName} / QuickBooks invoice ${collision.docNumber} (Id ${collision.quickBooksInvoiceId})`,
      );
      expect(stdout).toMatch(/Fix: .*Prefix or Suffix/);
      expect(stdout).toMatch(/QuickBooks reads: 2 /);
      const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/^"Difference","Sales Invoice",/);
      expect(rows[1]).toMatch(new RegExp(`^"missing_in_quickbooks","${collision.invoiceName}",`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const refused = await reconcileCli(stack, ['--company', companyId, '--from', '2026-08-01']);
    expect(refused.code).toBe(1);
  });

  it('then with differences planted in both books, it lists exactly those, and reads by id only the deleted invoice', async () => {
    const [deleted, voided, changed] = exported;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${deleted!.qboId}/delete`);
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${voided!.qboId}/void`);
    // A QuickBooks user adds a line to an exported invoice.
    const original = (await qboEntities(stack, realmId, 'Invoice')).find((i) => i.Id === changed!.qboId)!;
    const sales = original.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    const extra = {
      DetailType: 'SalesItemLineDetail',
      Amount: 25,
      SalesItemLineDetail: { ItemRef: sales[0].SalesItemLineDetail.ItemRef, Qty: 1, UnitPrice: 25 },
    };
    const edited = await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${changed!.qboId}/update`, { Line: [...sales, extra] });
    expect(edited.TotalAmt).not.toBe(original.TotalAmt);
    // An invoice keyed in QuickBooks only, dated in the period.
    const keyed = await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice`, {
      CustomerRef: original.CustomerRef,
      TxnDate: '2026-10-15',
      Line: [extra],
    });
    // An approved invoice Salesforce has that was never exported.
    const template = (await sfRecords(stack, 'Sales_Invoice__c')).find((r) => r.Id === changed!.id)!;
    const seeded = await admin(stack.sfUrl, 'POST', '/seed', {
      records: {
        Sales_Invoice__c: [
          {
            Name: 'SI-900001',
            Company__c: companyId,
            Customer__c: template.Customer__c,
            Approved__c: true,
            Transferred__c: false,
            Invoice_Date__c: '2026-10-20',
            Total_Amount__c: 42,
            Currency_Code__c: template.Currency_Code__c,
            Export_Status__c: 'Not Exported',
            Status__c: 'Open',
          },
        ],
      },
    });
    expect(seeded.errors).toEqual([]);
    const collision = stack.data.facts.expected[companyId]!.docNumberCollision!;
    await admin(stack.qboUrl, 'POST', '/stats/reset');

    const { status, body } = await reconcile();

    expect(status).toBe(200);
    const expected: [string, string | null, string | null][] = [
      ['missing_in_salesforce', null, keyed.Id],
      ['missing_in_quickbooks', collision.invoiceName, collision.quickBooksInvoiceId],
      ['deleted_in_quickbooks', deleted!.name, deleted!.qboId],
      ['voided_in_quickbooks', voided!.name, voided!.qboId],
      ['amount_different', changed!.name, changed!.qboId],
      ['missing_in_quickbooks', 'SI-900001', null],
    ];
    expect(new Set(listed(body).map((d) => JSON.stringify(d)))).toEqual(new Set(expected.map((d) => JSON.stringify(d))));
    expect(listed(body)).toHaveLength(expected.length);
    const amount = body.differences.find((d: any) => d.kind === 'amount_different');
    expect(Number(amount.quickbooksValue)).toBeCloseTo(edited.TotalAmt, 2);
    expect(Number(amount.salesforceValue)).toBeCloseTo(original.TotalAmt, 2);
    expect(body.differences.find((d: any) => d.salesforce?.name === 'SI-900001').cause).toMatch(/has not been exported yet/);
    // Two period pages and one query by id (the deleted invoice, which the period no longer brings).
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(body.reads.quickbooks).toBe(3);
    expect(stats.byKind.query).toBe(3);
  });

  it('then a period that ends before it starts, or lacks an end, is refused naming the parameter', async () => {
    const bad = await reconcile('from=2026-10-31&to=2026-08-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/from must not be after to/);
    expect((await reconcile('from=2026-08-01')).status).toBe(400);
  });

  it('then a company not connected, or on QuickBooks Desktop, is refused saying why and what to do instead', async () => {
    const other = (id: string) => api(stack, 'GET', `/api/companies/${id}/reconciliation?${PERIOD}`);
    const notConnected = await other(stack.secondaryCompanyId);
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error.code).toBe('QBO_NOT_CONNECTED');
    const desktop = await other(stack.webConnector!.demo.companyId);
    expect(desktop.status).toBe(409);
    expect(desktop.body.error).toMatchObject({
      code: 'RECONCILIATION_UNAVAILABLE',
      message: expect.stringMatching(/QuickBooks Desktop.*Web Connector.*cannot be read on demand/),
      fix: expect.stringMatching(/status sync/),
    });
  });
});
