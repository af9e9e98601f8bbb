// A thousand-invoice export in the suite: it must finish exactly once, and its QuickBooks and Salesforce call
// counts must stay at what batching allows (they are written to test-artifacts/export-volume.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { admin, exportAndWait, qboEntities, startTestStack } from '../support/stack';

describe('when a company with a thousand approved invoices is exported', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 2150, seed: 11 });
  });
  afterAll(() => stack?.close());

  it('then every invoice is created once, in full batches, with write-backs of 200 records a call', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const expected = stack.data.facts.expected[companyId]!;
    expect(expected.approvedInvoices).toBeGreaterThanOrEqual(1000);
    await admin(stack.qboUrl, 'POST', '/stats/reset');
    await admin(stack.sfUrl, 'POST', '/stats/reset');
    const started = Date.now();
    const run = await exportAndWait(stack, companyId);
    const ms = Date.now() - started;
    const qbo = await admin(stack.qboUrl, 'GET', '/stats');
    const sf = await admin(stack.sfUrl, 'GET', '/stats');

    const created = { customers: expected.customersToCreate, products: expected.productsToCreate, invoices: expected.approvedInvoices };
    const report = {
      invoices: expected.approvedInvoices,
      customersCreated: created.customers,
      productsCreated: created.products,
      quickBooks: { total: qbo.total, byKind: qbo.byKind, batchItems: qbo.batchItems, throttled: qbo.throttled },
      salesforce: { total: sf.total, byKind: sf.byKind, compositeRecords: sf.compositeRecords },
      runCounts: run.counts,
      ms,
    };
    mkdirSync(path.join(__dirname, '../../test-artifacts'), { recursive: true });
    writeFileSync(path.join(__dirname, '../../test-artifacts/export-volume.json'), JSON.stringify(report, null, 2));
    process.stdout.write(`export of ${expected.approvedInvoices} invoices: ${JSON.stringify(report)}\n`);
    process.stdout.write(JSON.stringify(run.entries.filter((e: any) => e.recordType === 'Payment').slice(0, 5)) + ' ' + JSON.stringify(run.counts) + '\n');
    expect(run.error).toBeNull();
    const copies = new Map<string, number>();
    for (const inv of await qboEntities(stack, realmId, 'Invoice')) {
      const id = readMarker(inv.PrivateNote);
      if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    // All but the seeded number collision and the credit memo (a QuickBooks credit memo, not an invoice).
    expect(copies.size).toBe(expected.approvedInvoices - 1 - expected.creditMemos.length);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);

    // Payments of every exported invoice (not of the collision's, whose invoice is not in QuickBooks), then the credit
    // memo's application.
    const collision = expected.docNumberCollision!.invoiceId;
    const companyOf = new Map(stack.data.salesforce.records.Sales_Invoice__c!.map((i) => [i.Id, i.Company__c]));
    const payments = stack.data.salesforce.records.Payment__c!.filter(
      (p) => p.Sales_Invoice__c !== collision && companyOf.get(String(p.Sales_Invoice__c)) === companyId,
    ).length;
    const paymentsSent = payments + expected.creditMemos.length;
    // Batches as large as the service sends them (the size that fills a window of operations).
    const size = stack.container.config.quickbooks.batchSize;
    const minBatches =
      Math.ceil(created.customers / size) +
      Math.ceil(created.products / size) +
      Math.ceil(created.invoices / size) +
      Math.ceil(payments / size) +
      expected.creditMemos.length;
    // Each further query page can end a batch early: invoices come with their lines, and a page of a parent-child
    // query holds 500 rows, lines included, as an org's does. (A call refused with 429 on a loaded machine is
    // counted by the emulator but carried nothing.)
    // A batch after a read is sized to fill the window the read left, so each read can shorten one batch too.
    const reads = (qbo.byKind.read ?? 0) + (qbo.byKind.query ?? 0);
    expect(qbo.byKind.batch - qbo.throttled).toBeLessThanOrEqual(minBatches + sf.byKind.queryMore + reads + 2);
    expect(qbo.batchItems).toBe(created.customers + created.products + created.invoices + paymentsSent);
    const writeBacks = expected.customersToExport + expected.productsToExport + expected.approvedInvoices + paymentsSent;
    expect(sf.compositeRecords).toBeGreaterThanOrEqual(writeBacks);
  });
});
