// Large runs write back and log through Bulk API 2.0 ingest jobs (a few calls a job) instead of composite calls of
// 200 records: here with the threshold lowered so a small data set crosses it.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

describe('when an export is larger than the bulk threshold', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 300, seed: 9, env: { SF_BULK_THRESHOLD: '100' } });
  });
  afterAll(() => stack?.close());

  it('then write-backs and Process Log entries go in bulk jobs, every record is linked, and a refused one is named', async () => {
    const companyId = stack.primaryCompanyId;
    const expected = stack.data.facts.expected[companyId]!;
    const victim = stack.data.salesforce.records.Sales_Invoice__c!.find(
      (i) => i.Company__c === companyId && i.Approved__c === true && i.Id !== expected.docNumberCollision!.invoiceId,
    )!;
    await admin(stack.sfUrl, 'POST', '/faults', {
      kind: 'recordError',
      recordId: victim.Id,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Period is closed',
    });
    await admin(stack.sfUrl, 'POST', '/stats/reset');
    const run = await exportAndWait(stack, companyId);
    const sf = await admin(stack.sfUrl, 'GET', '/stats');
    expect(run.error).toBeNull();
    expect(sf.byKind.bulk).toBeGreaterThan(0);
    // Composite calls carry only what no bulk job took (remainders of under 200 records).
    expect(sf.compositeRecords).toBeLessThan(200 * sf.byKind.composite + 1);
    expect(sf.bulkRecords).toBeGreaterThan(expected.approvedInvoices);
    const inQuickBooks = new Map<string, string>();
    for (const inv of await qboEntities(stack, stack.data.facts.realmIds.primary, 'Invoice')) {
      const id = readMarker(inv.PrivateNote);
      if (id) inQuickBooks.set(id, inv.Id);
    }
    const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter(
      (i) => i.Company__c === companyId && i.Approved__c && i.Invoice_Type__c !== 'Credit Memo',
    );
    for (const inv of invoices) {
      if (inv.Id === expected.docNumberCollision!.invoiceId) continue;
      const want = inv.Id === victim.Id ? { transferred: false, linked: null } : { transferred: true, linked: inQuickBooks.get(inv.Id) };
      expect({ invoice: inv.Name, transferred: inv.Transferred__c, linked: inv.Financial_System_Invoice_Id__c }).toEqual({ invoice: inv.Name, ...want });
    }
    const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=1`);
    expect(logs[0].entries.find((e: any) => e.recordId === victim.Id && e.level === 'ERROR').message).toContain('Period is closed');
    expect(logs[0].counts.created).toBe(run.counts.created);
  });
});
