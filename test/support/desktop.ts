// A stack with the QuickBooks Desktop company, its company file (the stand-in) seeded, and helpers that play the
// Web Connector against it over SOAP and read where its invoices stand in Salesforce.
import type { DemoStack } from '../../scripts/demo-stack';
import { seedDesktopCompanyFile, type DesktopDemo } from '../../scripts/demo/desktop';
import { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { readMarker } from '../../service/src/export/marker';
import { runWebConnectorSession, type SessionOptions, type SessionResult } from '../../emulators/qbd/webConnector';
import { api, sfRecords, startTestStack, waitForRun } from './stack';

export interface DesktopStack {
  stack: DemoStack;
  companyId: string;
  file: QuickBooksDesktopCompany;
}

export async function startDesktopStack(env: Record<string, string> = {}): Promise<DesktopStack> {
  const stack = await startTestStack({ desktop: true, env: { QBWC_WAIT_MS: '200', QBWC_BATCH_SIZE: '4', ...env } });
  const file = new QuickBooksDesktopCompany();
  seedDesktopCompanyFile(file, stack.webConnector!.demo);
  return { stack, companyId: stack.webConnector!.demo.companyId, file };
}

/** One Web Connector session against the stack, with the company file of the stack (or another). */
export function session(d: DesktopStack, opts: Partial<SessionOptions> = {}): Promise<SessionResult> {
  const wc = d.stack.webConnector!;
  return runWebConnectorSession({
    url: `${d.stack.serviceUrl}/qbwc`,
    username: wc.username,
    password: wc.password,
    company: d.file,
    noOpPauseMs: 50,
    maxRounds: 500,
    ...opts,
  });
}

export async function desktopInvoices(d: DesktopStack): Promise<any[]> {
  return (await sfRecords(d.stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === d.companyId);
}

/** Polls until `check` holds (a deadline, never a fixed sleep). */
export async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts an export of the Desktop company and waits until its invoices show Pending Sync. */
export async function exportQueued(d: DesktopStack, body: Record<string, unknown> = {}): Promise<string> {
  const started = await api<{ runId: string }>(d.stack, 'POST', `/api/companies/${d.companyId}/exports`, body);
  if (started.status !== 202) throw new Error(`export did not start: ${started.status} ${JSON.stringify(started.body)}`);
  await until(
    'invoices pending',
    () => desktopInvoices(d),
    (list) => list.some((i) => i.Export_Status__c === 'Pending Sync'),
  );
  return started.body.runId;
}

/** Runs Web Connector sessions until the run has finished (each session as the Web Connector's schedule would). */
export async function drain(
  d: DesktopStack,
  runId: string,
  opts: Partial<SessionOptions> = {},
  maxSessions = 5,
): Promise<{ run: any; sessions: SessionResult[] }> {
  const sessions: SessionResult[] = [];
  for (let i = 0; i < maxSessions; i++) {
    const one = await session(d, opts);
    sessions.push(one);
    const { body } = await api(d.stack, 'GET', `/api/runs/${runId}`);
    // A session that ended at 100 % delivered the run's last answer: the run finishes its write-back by itself.
    if (body.finished || one.percents[one.percents.length - 1] === 100) return { run: await waitForRun(d.stack, runId), sessions };
  }
  return { run: await waitForRun(d.stack, runId, 30_000), sessions };
}

export async function processLog(d: DesktopStack, logId: string): Promise<any> {
  const { body } = await api<any[]>(d.stack, 'GET', `/api/companies/${d.companyId}/process-logs?limit=20`);
  return body.find((l) => l.id === logId);
}

/**
 * Salesforce customer id -> its ListID in the company file. The demo's Online secondary company came first and keeps
 * the secondary customer id field, so the Desktop company's links are kept in the service's journal.
 */
export async function customerLinks(d: DesktopStack): Promise<Map<string, string>> {
  const journaled = await d.stack.container.store.journal.listByState(d.companyId, 'customer', ['created', 'written_back']);
  return new Map(journaled.filter((e) => e.targetId).map((e) => [e.recordId, e.targetId!]));
}

/** Nothing twice: customers and items by name, invoices by their marker, and every invoice of the run exported. */
export async function expectEachOnce(d: DesktopStack): Promise<void> {
  await expectOrgAndFile(d.file, d.stack.webConnector!.demo, d.stack.sfUrl);
  // Every customer and item in QuickBooks (but what it held before) is the one a Salesforce record links to:
  // a second copy under another name (say renamed after "name in use") would be linked by nobody.
  const linkedCustomers = new Set((await customerLinks(d)).values());
  const orphanCustomers = [...d.file.customers.values()].filter((c) => c.Name !== 'Existing Desktop Customer' && !linkedCustomers.has(c.ListID));
  expect(orphanCustomers.map((c) => c.Name)).toEqual([]);
  const linkedItems = new Set((await sfRecords(d.stack, 'Product__c')).map((p) => p.Financial_System_Product_Id__c).filter(Boolean));
  const seeded = new Set(['Freight', 'Handling', 'Packaging', 'Order Discount']);
  expect([...d.file.items.values()].filter((i) => !seeded.has(i.Name) && !linkedItems.has(i.ListID)).map((i) => i.Name)).toEqual([]);
}

/**
 * What QuickBooks Desktop's company file and the org hold once a Desktop export finished: each customer and item
 * name once; each invoice, the credit memo and the sales receipt once (by their marker) and Exported; each payment
 * and the credit memo's application once, their ids written back.
 */
export async function expectOrgAndFile(file: QuickBooksDesktopCompany, demo: DesktopDemo, sfUrl: string): Promise<void> {
  const records = async (object: string) => (await (await fetch(`${sfUrl}/__admin/records/${object}`)).json()) as any[];
  const names = (list: Iterable<{ Name: string }>) => [...list].map((r) => r.Name.toLowerCase());
  const customers = names(file.customers.values());
  expect(customers.length).toBe(new Set(customers).size);
  const items = names(file.items.values());
  expect(items.length).toBe(new Set(items).size);
  // Invoices, the credit memo and the sales receipt: each in QuickBooks once, of its own type.
  const ids = [...demo.invoiceIds, demo.creditMemoId];
  const copies = file.salesBySource();
  expect(ids.map((id) => copies.get(id) ?? 0)).toEqual(ids.map(() => 1));
  expect(bySource(file.creditMemos.values())).toEqual(new Map([[demo.creditMemoId, 1]]));
  expect(bySource(file.salesReceipts.values())).toEqual(new Map([[demo.receiptInvoiceId, 1]]));
  const invoices = (await records('Sales_Invoice__c')).filter((i) => ids.includes(i.Id));
  expect(invoices.map((i) => [i.Name, i.Export_Status__c, i.Transferred__c])).toEqual(invoices.map((i) => [i.Name, 'Exported', true]));
  expect(invoices).toHaveLength(ids.length);
  // Each payment once, and the credit memo applied once (a payment of 0 taking its credit).
  const paid = file.paymentsBySource();
  const payments = [...demo.paymentIds, demo.creditMemoId];
  expect(payments.map((id) => paid.get(id) ?? 0)).toEqual(payments.map(() => 1));
  expect(paid.size).toBe(payments.length);
  const sfPayments = (await records('Payment__c')).filter((p) => demo.invoiceIds.includes(p.Sales_Invoice__c));
  expect(sfPayments.every((p) => typeof p.Financial_System_Payment_Id__c === 'string')).toBe(true);
  const credit = invoices.find((i) => i.Id === demo.creditMemoId)!;
  expect(file.payments.get(credit.Financial_System_Application_Id__c)).toBeDefined();
}
function bySource(records: Iterable<{ Memo?: string }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) {
    const id = readMarker(r.Memo);
    if (id) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
