// The export engine end to end: the service, the QuickBooks Online emulator and the Salesforce emulator over real
// HTTP, with the demo data.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack, waitForRun } from '../support/stack';

/** QuickBooks invoices per Salesforce invoice id, read from the Ledgerline marker. */
async function invoicesByMarker(stack: DemoStack, realmId: string): Promise<Map<string, any[]>> {
  const map = new Map<string, any[]>();
  for (const inv of await qboEntities(stack, realmId, 'Invoice')) {
    const id = readMarker(inv.PrivateNote);
    if (id) map.set(id, [...(map.get(id) ?? []), inv]);
  }
  return map;
}

/** Approved invoices (not credit memos, which become QuickBooks credit memos). */
function approvedInvoiceIds(stack: DemoStack, companyId: string): string[] {
  return stack.data.salesforce.records
    .Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true && i.Transferred__c !== true && i.Invoice_Type__c !== 'Credit Memo')
    .map((i) => i.Id);
}

const isInvoice = (i: any) => i.Approved__c && i.Invoice_Type__c !== 'Credit Memo';

function expectEachOnce(byMarker: Map<string, any[]>, ids: string[], except: string[] = []): void {
  for (const id of ids) {
    const found = byMarker.get(id) ?? [];
    expect({ id, copies: found.length }).toEqual({ id, copies: except.includes(id) ? 0 : 1 });
  }
}

async function latestLogOf(stack: DemoStack, companyId: string, logId: string) {
  const { body } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=50`);
  return body.find((l) => l.id === logId);
}

async function latestLog(stack: DemoStack, companyId: string) {
  const { body } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=1`);
  return body[0];
}

describe('when the primary company is exported with the demo data', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let expected: any;
  let first: any;
  let summaryBefore: any;

  beforeAll(async () => {
    stack = await startTestStack();
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    expected = stack.data.facts.expected[companyId];
    summaryBefore = await api(stack, 'GET', `/api/companies/${companyId}/summary`);
    first = await exportAndWait(stack, companyId);
  });
  afterAll(() => stack?.close());

  /** The QuickBooks id each record's own Process Log entry names (Created or Matched). */
  async function loggedIds(): Promise<Map<string, string>> {
    const log = await latestLogOf(stack, companyId, first.processLogId);
    return new Map(log.entries.filter((e: any) => e.outcome === 'Created' || e.outcome === 'Matched').map((e: any) => [e.recordId, e.quickBooksId]));
  }

  it('then the summary before it showed the three export counts and a connected QuickBooks', async () => {
    const { status, body } = summaryBefore;
    expect(status).toBe(200);
    expect(body.counts).toEqual({
      products: expected.productsToExport,
      customers: expected.customersToExport,
      invoices: expected.approvedInvoices,
      creditMemos: expected.creditMemos.length,
      payments: expected.paymentsOnApprovedInvoices,
    });
    expect(body.connection.state).toBe('connected');
    expect(body.connection.daysLeft).toBe(100);
  });

  it('then the first export creates what is missing and every approved invoice exactly once', async () => {
    expect(first.error).toBeNull();
    expect(first.status).toBe('completed_with_errors'); // the seeded document-number collision
    const byMarker = await invoicesByMarker(stack, realmId);
    const collision = expected.docNumberCollision;
    expectEachOnce(byMarker, approvedInvoiceIds(stack, companyId), [collision.invoiceId]);
    // Unapproved invoices never go.
    const unapproved = stack.data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c !== true);
    for (const inv of unapproved) expect(byMarker.has(inv.Id)).toBe(false);
    // Customers, items, invoices (all but the collision), their payments (not the collision's: its invoice is not in
    // QuickBooks), and the credit memo's application.
    const collisionPayments = stack.data.salesforce.records.Payment__c!.filter((p) => p.Sales_Invoice__c === collision.invoiceId).length;
    const payments = expected.paymentsOnApprovedInvoices - collisionPayments + expected.creditMemos.length;
    expect(first.counts.created).toBe(expected.customersToCreate + expected.productsToCreate + expected.approvedInvoices - 1 + payments);
    expect(first.counts.matched).toBe(expected.customersToExport - expected.customersToCreate + expected.productsToExport - expected.productsToCreate);
  });

  it('then customers are matched by email, name and company + city to the right QuickBooks ids, and the ids are written back', async () => {
    // The customers the company's invoices name are the ones it sends; no other gains a link.
    const customers = new Map((await sfRecords(stack, 'Customer__c')).map((c) => [c.Id, c]));
    const invoiced = new Set<string>(expected.customersInvoiced);
    for (const [sfId, qboId] of Object.entries(expected.customerMatchQboIds as Record<string, string>)) {
      expect({ sfId, id: customers.get(sfId)?.Financial_System_Customer_Id__c }).toEqual({ sfId, id: invoiced.has(sfId) ? qboId : null });
    }
    for (const c of customers.values()) if (!invoiced.has(c.Id)) expect({ id: c.Id, qbo: c.Financial_System_Customer_Id__c }).toEqual({ id: c.Id, qbo: null });
    // Every record carries exactly the id its own log entry names, and QuickBooks holds a record with that id.
    const logged = await loggedIds();
    const qboCustomers = new Set((await qboEntities(stack, realmId, 'Customer')).map((c) => c.Id));
    for (const c of [...customers.values()].filter((c) => invoiced.has(c.Id))) {
      expect({ id: c.Id, qbo: c.Financial_System_Customer_Id__c }).toEqual({ id: c.Id, qbo: logged.get(c.Id) });
      expect(qboCustomers.has(c.Financial_System_Customer_Id__c)).toBe(true);
    }
    const products = (await sfRecords(stack, 'Product__c')).filter((p) => p.Company__c === companyId);
    const qboItems = new Set((await qboEntities(stack, realmId, 'Item')).map((i) => i.Id));
    for (const p of products) {
      expect({ id: p.Id, qbo: p.Financial_System_Product_Id__c }).toEqual({ id: p.Id, qbo: logged.get(p.Id) });
      expect(qboItems.has(p.Financial_System_Product_Id__c)).toBe(true);
    }
    for (const [sfId, qboId] of Object.entries(expected.productMatchQboIds as Record<string, string>)) {
      expect(products.find((p) => p.Id === sfId)?.Financial_System_Product_Id__c).toBe(qboId);
    }
  });

  it('then invoices carry header charges as lines, QuickBooks totals equal Salesforce totals, and Salesforce holds the ids', async () => {
    const qbo = await qboEntities(stack, realmId, 'Invoice');
    const byId = new Map(qbo.map((i) => [i.Id, i]));
    const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === companyId && isInvoice(i));
    const collision = expected.docNumberCollision.invoiceId;
    let withFreight = 0;
    for (const inv of invoices) {
      if (inv.Id === collision) {
        expect(inv.Transferred__c).toBe(false);
        expect(inv.Export_Status__c).toBe('Error');
        expect(inv.Last_Export_Error__c).toContain(expected.docNumberCollision.docNumber);
        continue;
      }
      expect(inv.Transferred__c).toBe(true);
      expect(inv.Export_Status__c).toBe('Exported');
      const created = byId.get(inv.Financial_System_Invoice_Id__c);
      expect(created).toBeDefined();
      expect(created.TotalAmt).toBeCloseTo(inv.Total_Amount__c, 2);
      expect(created.DocNumber).toBe(`NW-${inv.Name}`);
      expect(inv.Financial_System_Invoice_Number__c).toBe(created.DocNumber);
      if (inv.Freight__c > 0) {
        withFreight++;
        expect(created.Line.some((l: any) => l.Description === 'Freight' && l.Amount === inv.Freight__c)).toBe(true);
      }
    }
    expect(withFreight).toBeGreaterThan(0);
  });

  it('then the Process Log names the renamed vendor clash, shortened names, the number collision with its fix, and a summary', async () => {
    const log = await latestLogOf(stack, companyId, first.processLogId);
    expect(log.name).toBe('Sales Invoice Exporter');
    expect(log.status).toBe('Completed With Errors');
    expect(log.id).toBe(first.processLogId);
    const entries: any[] = log.entries;
    const renamed = entries.find((e) => e.outcome === 'Renamed' && e.recordId === expected.vendorClashCustomerId);
    expect(renamed?.message).toMatch(/\(C\)/);
    expect(entries.filter((e) => e.outcome === 'Shortened').length).toBeGreaterThan(0);
    const collision = entries.find((e) => e.outcome === 'Error' && e.recordId === expected.docNumberCollision.invoiceId);
    expect(collision.message).toContain(expected.docNumberCollision.docNumber);
    expect(collision.fix).toMatch(/Prefix or Suffix/);
    expect(
      entries
        .filter((e) => e.outcome === 'Matched' && e.recordType === 'Customer')
        .map((e) => e.recordId)
        .sort(),
    ).toEqual(
      Object.keys(expected.customerMatchQboIds)
        .filter((id) => expected.customersInvoiced.includes(id))
        .sort(),
    );
    expect(entries.filter((e) => e.outcome === 'Summary')).toHaveLength(1);
    expect(entries[entries.length - 1].outcome).toBe('Summary');
    expect(log.counts.errors).toBe(1);
  });

  it('then the counts go to zero but for the invoice whose number collides (and its payments)', async () => {
    const { body } = await api(stack, 'GET', `/api/companies/${companyId}/summary`);
    const collisionPayments = stack.data.salesforce.records.Payment__c!.filter((p) => p.Sales_Invoice__c === expected.docNumberCollision.invoiceId).length;
    expect(body.counts).toEqual({ products: 0, customers: 0, invoices: 1, creditMemos: 0, payments: collisionPayments });
  });

  it('then every payment and the credit memo are in QuickBooks, and each invoice’s balance is its total less what Salesforce says was paid and credited', async () => {
    const records = stack.data.salesforce.records;
    const sfInvoices = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((i) => [i.Id, i]));
    const qboInvoices = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [i.Id, i]));
    const qboPayments = new Map((await qboEntities(stack, realmId, 'Payment')).map((p) => [p.Id, p]));
    const [credit] = expected.creditMemos;
    const memo = (await qboEntities(stack, realmId, 'CreditMemo')).find((m) => m.Id === sfInvoices.get(credit.invoiceId)!.Financial_System_Invoice_Id__c);
    expect(memo.TotalAmt).toBe(credit.amount);
    const paid = new Map<string, number>();
    for (const p of (await sfRecords(stack, 'Payment__c')).filter((p) => sfInvoices.get(p.Sales_Invoice__c)?.Company__c === companyId)) {
      if (p.Sales_Invoice__c === expected.docNumberCollision.invoiceId) {
        expect(p.Financial_System_Payment_Id__c).toBeNull();
        continue;
      }
      const held = qboPayments.get(p.Financial_System_Payment_Id__c);
      expect({ payment: p.Name, amount: held?.TotalAmt, reference: held?.PaymentRefNum, date: held?.TxnDate }).toEqual({
        payment: p.Name,
        amount: p.Amount__c,
        reference: p.Reference__c,
        date: p.Payment_Date__c,
      });
      paid.set(p.Sales_Invoice__c, Math.round(((paid.get(p.Sales_Invoice__c) ?? 0) + p.Amount__c) * 100) / 100);
    }
    for (const id of approvedInvoiceIds(stack, companyId).filter((i) => i !== expected.docNumberCollision.invoiceId)) {
      const inv = sfInvoices.get(id)!;
      const credited = id === credit.appliesToInvoiceId ? credit.amount : 0;
      const balance = Math.round((inv.Total_Amount__c - (paid.get(id) ?? 0) - credited) * 100) / 100;
      expect({ invoice: inv.Name, balance: qboInvoices.get(inv.Financial_System_Invoice_Id__c).Balance }).toEqual({ invoice: inv.Name, balance });
    }
    expect(records.Payment__c!.length).toBeGreaterThan(3);
  });

  it('then a second export creates nothing in QuickBooks', async () => {
    const before = await Promise.all(['Customer', 'Item', 'Invoice'].map((e) => qboEntities(stack, realmId, e)));
    const second = await exportAndWait(stack, companyId);
    const after = await Promise.all(['Customer', 'Item', 'Invoice'].map((e) => qboEntities(stack, realmId, e)));
    expect(after.map((l) => l.length)).toEqual(before.map((l) => l.length));
    expect(second.counts.created).toBe(0);
    expect(second.counts.errors).toBe(1);
  });

  it('then a second Export while one runs answers 409 with the running run id', async () => {
    const a = await api(stack, 'POST', `/api/companies/${companyId}/exports`, {});
    const b = await api(stack, 'POST', `/api/companies/${companyId}/exports`, {});
    expect(a.status).toBe(202);
    expect(b.status).toBe(409);
    expect(b.body.error).toMatchObject({ code: 'EXPORT_RUNNING', runId: a.body.runId });
    const { body } = await api(stack, 'GET', `/api/runs/${a.body.runId}`);
    expect(body.runId).toBe(a.body.runId);
    // Let it finish before the stack closes.
    await new Promise<void>((resolve) => {
      const poll = async () => ((await api(stack, 'GET', `/api/runs/${a.body.runId}`)).body.finished ? resolve() : setTimeout(poll, 50));
      void poll();
    });
  });
  it('then status polls of a run going on here are answered without reading its row from the store, and its end is read from the store', async () => {
    const runs = stack.container.store.runs;
    const get = runs.get.bind(runs);
    let reads = 0;
    runs.get = (id) => (reads++, get(id));
    try {
      // One QuickBooks call answered 1.5 s late: the run is surely going on while it is held.
      await admin(stack.qboUrl, 'POST', '/faults', { kind: 'delay', count: 1, delayMs: 1500 });
      const started = await api(stack, 'POST', `/api/companies/${companyId}/exports`, {});
      expect(started.status).toBe(202);
      const runId = started.body.runId as string;
      const deadline = Date.now() + 30_000;
      while ((await admin(stack.qboUrl, 'GET', '/stats')).held === 0) {
        if (Date.now() > deadline) throw new Error('the run made no QuickBooks call');
        await new Promise((r) => setTimeout(r, 20));
      }
      const before = reads;
      for (let poll = 0; poll < 10; poll++) {
        const { status, body } = await api(stack, 'GET', `/api/runs/${runId}`);
        expect(status).toBe(200);
        expect(body).toMatchObject({ runId, status: 'running', finished: false, instanceId: stack.container.instanceId });
      }
      expect(reads - before).toBe(0);
      const done = await waitForRun(stack, runId);
      expect(done.finished).toBe(true);
      expect(done.finishedAt).not.toBeNull();
      expect(reads - before).toBeGreaterThan(0);
    } finally {
      runs.get = get;
    }
  });
});

describe('when the API is called without the right credential or with bad input', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 12 });
  });
  afterAll(() => stack?.close());

  it('then no key gives 401, a wrong key 401, and health needs none', async () => {
    const none = await fetch(`${stack.serviceUrl}/api/companies`);
    expect(none.status).toBe(401);
    expect((await api(stack, 'GET', '/api/companies', undefined, 'wrong-key-wrong-key')).status).toBe(401);
    expect((await fetch(`${stack.serviceUrl}/api/health`)).status).toBe(200);
  });

  it('then a bad body is a 400 naming the field, an unknown company 404 and an unknown run 404', async () => {
    const bad = await api(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, { fromDate: '01/02/2026' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/fromDate/);
    expect((await api(stack, 'GET', '/api/companies/a00000000000099ZZZ/summary')).status).toBe(404);
    expect((await api(stack, 'GET', '/api/runs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});

describe('when a dry run or a subset is asked for', () => {
  let stack: DemoStack;
  // Each case starts from the same untouched data, whatever ran before it.
  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(() => stack?.close());

  it('then a dry run returns the whole plan — every match, rename, shortening and refusal named with its record — and writes nothing', async () => {
    const id = stack.primaryCompanyId;
    const expected = stack.data.facts.expected[id]!;
    const statsBefore = await admin(stack.qboUrl, 'GET', '/stats');
    const run = await exportAndWait(stack, id, { dryRun: true });
    const statsAfter = await admin(stack.qboUrl, 'GET', '/stats');
    expect(run.status).not.toBe('failed');
    const { totals, decisions, truncated } = run.plan;
    expect(truncated).toBe(false);
    expect(totals.customers).toEqual({
      match: expected.customersToExport - expected.customersToCreate,
      create: expected.customersToCreate,
      rename: 1,
      fail: 0,
    });
    expect(totals.products).toEqual({
      match: expected.productsToExport - expected.productsToCreate,
      create: expected.productsToCreate,
      rename: expected.productsRenamedBySku.length,
      fail: 0,
    });
    expect(totals.invoices).toEqual({ match: 0, create: expected.approvedInvoices - 1, rename: 0, fail: 1 });
    // One decision per record, each named — payments too: each goes on the invoice the run would create, but those of
    // the invoice whose number collides, which wait for it (as the export does).
    const payments = decisions.filter((d: any) => d.recordType === 'Payment');
    expect(payments).toHaveLength(expected.paymentsOnApprovedInvoices);
    const waiting = new Set(
      stack.data.salesforce.records.Payment__c!.filter((p) => p.Sales_Invoice__c === expected.docNumberCollision!.invoiceId).map((p) => p.Id),
    );
    for (const p of payments) {
      if (waiting.has(p.recordId))
        expect(p).toMatchObject({ action: 'skip', message: expect.stringMatching(/waits: its invoice is not in QuickBooks yet\.$/) });
      else expect(p).toMatchObject({ action: 'create' });
    }
    expect(decisions).toHaveLength(expected.customersToExport + expected.productsToExport + expected.approvedInvoices + expected.paymentsOnApprovedInvoices);
    expect(new Set(decisions.map((d: any) => d.recordId)).size).toBe(decisions.length);
    const byId = new Map<string, any>(decisions.map((d: any) => [d.recordId, d]));
    for (const [sfId, qboId] of Object.entries(expected.customerMatchQboIds))
      if (expected.customersInvoiced.includes(sfId)) expect(byId.get(sfId)).toMatchObject({ recordType: 'Customer', action: 'match', quickBooksId: qboId });
    for (const [sfId, qboId] of Object.entries(expected.productMatchQboIds))
      expect(byId.get(sfId)).toMatchObject({ recordType: 'Product', action: 'match', quickBooksId: qboId });
    for (const clash of [expected.vendorClashCustomerId, expected.employeeClashCustomerId].filter((c): c is string => !!c)) {
      const d = byId.get(clash);
      expect(d).toMatchObject({ action: 'create', renamed: { reason: expect.stringContaining('vendor, employee or customer') } });
      expect(d.renamed.to).toBe(`${d.renamed.from} (C)`);
      expect(d.quickBooksName).toBe(d.renamed.to);
    }
    // Company names over QuickBooks' 100 characters and names with ':' are changed, and the plan says how.
    const customers = stack.data.salesforce.records.Customer__c!.filter((c) => expected.customersInvoiced.includes(c.Id));
    const longCompany = customers.filter((c) => expected.overLongNames.customers.includes(c.Id) && String(c.Company_Name__c ?? '').length > 100);
    expect(longCompany.length).toBeGreaterThan(0);
    for (const c of longCompany)
      expect(byId.get(c.Id).shortened).toContain(`company name shortened from ${String(c.Company_Name__c).length} to 100 characters`);
    for (const sfId of expected.colonNames.customers.filter((id) => expected.customersInvoiced.includes(id)))
      expect(byId.get(sfId).shortened).toEqual([expect.stringContaining("removed ':'")]);
    const collision = expected.docNumberCollision!;
    expect(byId.get(collision.invoiceId)).toMatchObject({
      recordType: 'Invoice',
      recordName: collision.invoiceName,
      action: 'fail',
      message: expect.stringContaining(collision.docNumber),
    });
    expect(run.entries).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'Renamed', recordId: expected.vendorClashCustomerId })]));
    expect(statsAfter.byKind.write - statsBefore.byKind.write).toBe(0);
    expect(statsAfter.byKind.batch - statsBefore.byKind.batch).toBe(0);
    expect(await api(stack, 'GET', `/api/companies/${id}/process-logs`).then((r) => r.body)).toEqual([]);
    const { body } = await api(stack, 'GET', `/api/companies/${id}/summary`);
    expect(body.counts.invoices).toBe(expected.approvedInvoices);
  });

  it('then only the given invoice numbers are exported', async () => {
    const id = stack.primaryCompanyId;
    const approved = stack.data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === id && i.Approved__c === true);
    const chosen = approved.slice(0, 2).map((i) => String(i.Name));
    const run = await exportAndWait(stack, id, { invoiceNumbers: chosen.join(', ') });
    expect(run.status).toBe('succeeded');
    const byMarker = await invoicesByMarker(stack, stack.data.facts.realmIds.primary);
    expect([...byMarker.keys()].sort()).toEqual(
      approved
        .slice(0, 2)
        .map((i) => i.Id)
        .sort(),
    );
  });

  it('then an invoice whose QuickBooks total differs from the Salesforce total gets a warning naming both figures', async () => {
    const id = stack.primaryCompanyId;
    const collision = stack.data.facts.expected[id]!.docNumberCollision!.invoiceId;
    const pending = (await sfRecords(stack, 'Sales_Invoice__c')).find((i) => i.Company__c === id && i.Approved__c && !i.Transferred__c && i.Id !== collision);
    // Someone edits the Salesforce total so it no longer matches the lines.
    const { access_token, instance_url } = await admin(stack.sfUrl, 'POST', '/token', {});
    const wrongTotal = Number(pending.Total_Amount__c) + 10;
    const res = await fetch(`${instance_url}/services/data/v62.0/sobjects/Sales_Invoice__c/${pending.Id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Total_Amount__c: wrongTotal }),
    });
    expect(res.status).toBe(204);
    const run = await exportAndWait(stack, id, { invoiceNumbers: pending.Name });
    expect(run.counts.warnings).toBeGreaterThanOrEqual(1);
    const log = await latestLog(stack, id);
    const warning = log.entries.find((e: any) => e.recordId === pending.Id && e.outcome === 'Warning');
    expect(warning.message).toContain(wrongTotal.toFixed(2));
    expect(warning.message).toContain(Number(pending.Total_Amount__c).toFixed(2));
  });

  it('then only invoices dated within the range are exported', async () => {
    const id = stack.primaryCompanyId;
    const collision = stack.data.facts.expected[id]!.docNumberCollision!.invoiceId;
    const before = new Set((await invoicesByMarker(stack, stack.data.facts.realmIds.primary)).keys());
    const run = await exportAndWait(stack, id, { fromDate: '2026-09-01', toDate: '2026-09-30' });
    expect(run.error).toBeNull();
    const after = await invoicesByMarker(stack, stack.data.facts.realmIds.primary);
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    const inRange = stack.data.salesforce.records
      .Sales_Invoice__c!.filter((i) => i.Company__c === id && i.Approved__c === true && !before.has(i.Id) && i.Id !== collision)
      .filter((i) => String(i.Invoice_Date__c) >= '2026-09-01' && String(i.Invoice_Date__c) <= '2026-09-30')
      .map((i) => i.Id)
      .sort();
    expect(inRange.length).toBeGreaterThan(0);
    expect(added).toEqual(inRange);
  });
});

describe('when the secondary company numbers invoices in QuickBooks', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(() => stack?.close());

  it('then an unconnected company fails fast with the UNAUTHORIZED sentence', async () => {
    const run = await exportAndWait(stack, stack.secondaryCompanyId);
    expect(run.status).toBe('failed');
    expect(run.error.message).toBe(UNAUTHORIZED_SENTENCE);
    const log = await latestLog(stack, stack.secondaryCompanyId);
    expect(log.entries.some((e: any) => e.message === UNAUTHORIZED_SENTENCE)).toBe(true);
  });

  it('then once connected, QuickBooks assigns the numbers, the Salesforce number is in the memo, and the secondary id field is used', async () => {
    const { connectWithEmulator } = await import('../../scripts/demo-stack');
    const id = stack.secondaryCompanyId;
    const realmId = stack.data.facts.realmIds.secondary;
    await connectWithEmulator(stack.container, stack.qboUrl, id, realmId);
    const run = await exportAndWait(stack, id);
    expect(run.error).toBeNull();
    const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === id && isInvoice(i));
    const qbo = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [i.Id, i]));
    for (const inv of invoices) {
      const created = qbo.get(inv.Financial_System_Invoice_Id__c);
      expect(created.PrivateNote).toContain(`Salesforce invoice ${inv.Name}`);
      expect(created.DocNumber).toMatch(/^\d+$/);
      expect(inv.Financial_System_Invoice_Number__c).toBe(created.DocNumber);
    }
    const log = await latestLog(stack, id);
    const employeeClash = stack.data.facts.expected[id]!.employeeClashCustomerId;
    expect(log.entries.find((e: any) => e.outcome === 'Renamed' && e.recordId === employeeClash)?.message).toMatch(/\(C\)/);
    const invoiced = new Set(stack.data.facts.expected[id]!.customersInvoiced);
    const customers = await sfRecords(stack, 'Customer__c');
    expect(customers.filter((c) => c.Secondary_Customer_Id__c).map((c) => c.Id)).toEqual(customers.filter((c) => invoiced.has(c.Id)).map((c) => c.Id));
    expect(customers.every((c) => !c.Financial_System_Customer_Id__c)).toBe(true);
  });
});

describe('when QuickBooks has custom transaction numbers turned off for a company that sends its own numbers', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it('then QuickBooks numbers the invoices, the Salesforce number stays in the memo, and the log warns with the fix', async () => {
    const id = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/preferences`, { customTxnNumbers: false });
    const run = await exportAndWait(stack, id);
    expect(run.error).toBeNull();
    const log = await latestLog(stack, id);
    const warning = log.entries.find((e: any) => e.recordType === 'Run' && e.outcome === 'Warning');
    expect(warning.message).toMatch(/Custom transaction numbers turned off/);
    expect(warning.fix).toMatch(/turn on Custom transaction numbers/);
    const qbo = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [i.Id, i]));
    const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === id && isInvoice(i));
    expect(invoices.every((i) => i.Transferred__c)).toBe(true); // no number can collide now
    for (const inv of invoices) {
      const created = qbo.get(inv.Financial_System_Invoice_Id__c);
      expect(created.DocNumber).not.toBe(`NW-${inv.Name}`);
      expect(created.PrivateNote).toContain(`Salesforce invoice ${inv.Name}`);
      expect(inv.Financial_System_Invoice_Number__c).toBe(created.DocNumber);
    }
  });
});
