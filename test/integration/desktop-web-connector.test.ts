// QuickBooks Desktop through the Web Connector, end to end: the service, the Salesforce emulator, and an
// independent Web Connector (the `soap` package reading the service's WSDL) relaying qbXML to a QuickBooks
// Desktop company file stand-in.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { loadCompanyFile, saveCompanyFile } from '../../scripts/demo/companyFile';
import * as soap from 'soap';
import { readMarker } from '../../service/src/export/marker';
import { connectWithEmulator } from '../../scripts/demo-stack';
import { api, exportAndWait, sfRecords } from '../support/stack';
import {
  customerLinks,
  desktopInvoices,
  drain,
  expectEachOnce,
  exportQueued,
  processLog,
  session,
  startDesktopStack,
  until,
  type DesktopStack,
} from '../support/desktop';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

describe('when the Web Connector talks to the service', () => {
  let d: DesktopStack;
  beforeAll(async () => {
    d = await startDesktopStack();
  });
  afterAll(() => d?.stack.close());

  it('when the org’s users are listed (View as), then one of them works for the QuickBooks Desktop company', () => {
    expect(d.stack.users.find((u) => u.companyName === 'Cedar Ridge Supply')).toMatchObject({ name: 'Dana Reyes' });
  });

  it('when the WSDL is read, then it names every Web Connector operation with the documented SOAP actions', async () => {
    const res = await fetch(`${d.stack.serviceUrl}/qbwc?wsdl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    const doc = xml.parse(await res.text());
    const ops = [doc['wsdl:definitions']['wsdl:binding']['wsdl:operation']].flat().map((o: any) => [o['@_name'], o['soap:operation']['@_soapAction']]);
    expect(ops).toEqual(
      ['serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML', 'receiveResponseXML', 'connectionError', 'getLastError', 'closeConnection'].map(
        (op) => [op, `http://developer.intuit.com/${op}`],
      ),
    );
    const client: any = await soap.createClientAsync(`${d.stack.serviceUrl}/qbwc?wsdl`, { endpoint: `${d.stack.serviceUrl}/qbwc` });
    const [version] = await client.serverVersionAsync({});
    expect(version.serverVersionResult).toMatch(/^Ledgerline/);
    const [accepted] = await client.clientVersionAsync({ strVersion: '2.3.0.215' });
    expect(accepted.clientVersionResult ?? '').toBe('');
  });

  it('when the password is wrong or the user unknown, then authenticate answers "nvu"; with nothing queued, "none"', async () => {
    const wrong = await session(d, { password: 'not-the-password' });
    expect(wrong.auth).toEqual(['', 'nvu']);
    const unknown = await session(d, { username: 'someone-else' });
    expect(unknown.auth[1]).toBe('nvu');
    const idle = await session(d);
    expect(idle.auth[1]).toBe('none');
    expect(idle.auth[0]).toMatch(/^[0-9a-f]{40}$/);
    expect(idle.rounds).toBe(0);
  });

  it('when an unknown operation or a malformed envelope arrives, then the answer is a SOAP fault, not a crash', async () => {
    const post = (body: string) => fetch(`${d.stack.serviceUrl}/qbwc`, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body });
    const bad = await post(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><dropTables xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>',
    );
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('<faultstring>Unknown operation: dropTables.</faultstring>');
    const notXml = await post('<soap:Envelope');
    expect(notXml.status).toBe(500);
  });

  it('when an envelope declares a document type or entities, then it is a SOAP Fault and nothing is expanded', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><authenticate xmlns="http://developer.intuit.com/">' +
      '<strUserName>&lol2;</strUserName><strPassword>x</strPassword></authenticate></soap:Body></soap:Envelope>';
    const res = await fetch(`${d.stack.serviceUrl}/qbwc`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: bomb });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('<faultcode>soap:Client</faultcode>');
    expect(text).toContain('document type (DTD) or entities');
    expect(text).not.toContain('lollol');
  });

  it('when wrong passwords are tried for a user from one address, then after ten even the right one is refused there, and malformed calls count for nothing', async () => {
    const wc = d.stack.webConnector!;
    const envelope = (user: string, password: string) =>
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><authenticate xmlns="http://developer.intuit.com/">' +
      `<strUserName>${user}</strUserName><strPassword>${password}</strPassword></authenticate></soap:Body></soap:Envelope>`;
    const call = async (body: string) => (await fetch(`${d.stack.serviceUrl}/qbwc`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body })).text();
    // Malformed sign-ins are faults, not guesses.
    for (let i = 0; i < 12; i++) expect(await call(envelope(wc.username, 'x').replace('</authenticate>', ''))).toContain('<soap:Fault>');
    expect(await call(envelope(wc.username, wc.password))).not.toContain('>nvu<');
    for (let i = 0; i < 10; i++) expect(await call(envelope(wc.username, `guess-${i}`))).toContain('>nvu<');
    expect(await call(envelope(wc.username, wc.password))).toContain('>nvu<');
    // Another user name from the same address is not locked by them.
    expect(await call(envelope('someone-else', 'x'))).toContain('>nvu<');
  });
});

describe('when a Desktop company is exported and the Web Connector runs', () => {
  let d: DesktopStack;
  let run: any;
  let sessions: any[];
  let pendingBefore: any[];
  let summaryWhilePending: any;
  let waitingWhilePending: any;

  beforeAll(async () => {
    d = await startDesktopStack();
    const runId = await exportQueued(d);
    pendingBefore = await desktopInvoices(d);
    summaryWhilePending = (await api(d.stack, 'GET', `/api/companies/${d.companyId}/summary`)).body;
    // Nothing takes the run's first request until the Web Connector calls: the run says so.
    waitingWhilePending = await until(
      'the run to say it waits for the Web Connector',
      async () => (await api(d.stack, 'GET', `/api/runs/${runId}`)).body.waiting,
      (w: any) => Boolean(w),
    );
    ({ run, sessions } = await drain(d, runId));
  });
  afterAll(() => d?.stack.close());

  it('then every approved invoice showed Pending Sync until the Web Connector took it, and the summary said so', () => {
    const demo = d.stack.webConnector!.demo;
    const approved = [...demo.invoiceIds, demo.creditMemoId];
    expect(pendingBefore.filter((i) => approved.includes(i.Id)).map((i) => i.Export_Status__c)).toEqual(approved.map(() => 'Pending Sync'));
    expect(summaryWhilePending).toMatchObject({ accountingSystem: 'Desktop', pendingSync: approved.length, activeRunId: expect.any(String) });
    expect(summaryWhilePending.webConnector).toMatchObject({ setUp: true, username: 'ledgerline-demo-desktop', runEveryMinutes: 10 });
    expect(waitingWhilePending.reason).toBe('the Web Connector (it has not called yet: add the .qwc file to the Web Connector on the QuickBooks PC)');
    expect(Date.parse(waitingWhilePending.until)).toBeGreaterThan(Date.now());
  });

  it('then each invoice is in QuickBooks once, and Salesforce holds its TxnID, its RefNumber, Transferred and Exported', async () => {
    expect(run.status).toBe('succeeded');
    const copies = d.file.invoicesBySource();
    const demo = d.stack.webConnector!.demo;
    const approved = demo.invoiceIds.filter((id) => id !== demo.receiptInvoiceId);
    expect(approved.map((id) => copies.get(id) ?? 0)).toEqual(approved.map(() => 1));
    const byId = new Map([...d.file.invoices.values()].map((i) => [readMarker(i.Memo), i]));
    for (const inv of (await desktopInvoices(d)).filter((i) => approved.includes(i.Id))) {
      const qb = byId.get(inv.Id)!;
      expect({
        id: inv.Id,
        status: inv.Export_Status__c,
        transferred: inv.Transferred__c,
        txn: inv.Financial_System_Invoice_Id__c,
        ref: inv.Financial_System_Invoice_Number__c,
      }).toEqual({
        id: inv.Id,
        status: 'Exported',
        transferred: true,
        txn: qb.TxnID,
        ref: inv.Name,
      });
      expect(Number(qb.Subtotal)).toBe(inv.Total_Amount__c);
    }
  });

  it('then the payments are applied to their invoices, the credit memo’s credit is set against the invoice it names, and the sale paid at the till is a sales receipt — each once', async () => {
    await expectEachOnce(d);
    const demo = d.stack.webConnector!.demo;
    const sf = new Map((await desktopInvoices(d)).map((i) => [i.Id, i]));
    const txn = (id: string) => sf.get(id)!.Financial_System_Invoice_Id__c as string;
    const openOf = (id: string) => Number(d.file.invoices.get(txn(id))!.openCents) / 100;
    const paidIn = (id: string) =>
      [...d.file.payments.values()].flatMap((p) => p.applied.filter((a) => a.TxnID === txn(id))).reduce((n, a) => n + a.cents, 0) / 100;
    // Paid in full in two parts; the fourth invoice in part; the credited one less its credit.
    expect(openOf(demo.invoiceIds[0]!)).toBe(0);
    expect(paidIn(demo.invoiceIds[3]!)).toBeGreaterThan(0);
    expect(openOf(demo.invoiceIds[3]!)).toBeCloseTo(sf.get(demo.invoiceIds[3]!)!.Total_Amount__c - paidIn(demo.invoiceIds[3]!), 2);
    const credit = sf.get(demo.creditMemoId)!;
    expect(openOf(demo.creditedInvoiceId)).toBeCloseTo(sf.get(demo.creditedInvoiceId)!.Total_Amount__c - credit.Total_Amount__c, 2);
    const application = d.file.payments.get(credit.Financial_System_Application_Id__c)!;
    expect(application).toMatchObject({
      TotalAmount: '0.00',
      applied: [{ TxnID: txn(demo.creditedInvoiceId), cents: 0, credits: [{ CreditTxnID: txn(demo.creditMemoId) }] }],
    });
    expect(d.file.salesReceipts.get(txn(demo.receiptInvoiceId))).toMatchObject({ CheckNumber: 'TILL-0008' });
    const log = await processLog(d, run.processLogId);
    expect(log.entries.filter((e: any) => e.recordType === 'Payment' && e.outcome === 'Created')).toHaveLength(demo.paymentIds.length + 1);
  });

  it('then customers and items carry their ListIDs, the vendor-named customer was renamed and the long item name shortened, each with an entry', async () => {
    const demo = d.stack.webConnector!.demo;
    const customers = await sfRecords(d.stack, 'Customer__c');
    const links = await customerLinks(d);
    const renamed = d.file.customers.get(links.get(demo.vendorClashCustomerId)!)!;
    expect(renamed.Name).toBe(`${demo.vendorClashName} (C)`);
    expect(d.file.customers.get(links.get(demo.knownCustomerId)!)!.Name).toBe('Existing Desktop Customer');
    // The secondary id field belongs to the Online secondary company (created first): nothing of this file is in it.
    expect(customers.map((c) => c.Secondary_Customer_Id__c).filter(Boolean)).toEqual([]);
    const products = (await sfRecords(d.stack, 'Product__c')).filter((p) => p.Company__c === d.companyId);
    for (const p of products) expect(d.file.items.get(p.Financial_System_Product_Id__c)).toBeDefined();
    const log = await processLog(d, run.processLogId);
    const long = products.find((p) => p.Name.startsWith('Deck Stain'))!;
    expect(d.file.items.get(long.Financial_System_Product_Id__c)!.Name).toHaveLength(31);
    expect(log.entries.find((e: any) => e.recordId === long.Id && e.outcome === 'Shortened').message).toContain('shortened from 42 to 31 characters');
    expect(log.entries.find((e: any) => e.recordId === demo.vendorClashCustomerId && e.outcome === 'Renamed').message).toContain(
      `"${demo.vendorClashName} (C)"`,
    );
  });

  it('then one Web Connector session drained the whole export: it ended at 100 % once the last answer was in, never got an empty request, and closed in an admin’s words', () => {
    expect(sessions).toHaveLength(1);
    const [only] = sessions;
    expect(only.percents[only.percents.length - 1]).toBe(100);
    expect(only.percents.slice(0, -1).every((p: number) => p < 100)).toBe(true);
    expect(only.emptyRequests).toBe(0);
    expect(only.closeMessage).toMatch(
      /^Ledgerline: Sent 7 invoices, 1 credit memo, 1 sales receipt, 4 payments, \d+ customers and 5 items to QuickBooks; 0 errors\.$/,
    );
  });

  it('then the page’s counts say what the next run would send: no customer, product or invoice is left (customers the company links in its journal included)', async () => {
    const summary = await until(
      'counts',
      async () => (await api(d.stack, 'GET', `/api/companies/${d.companyId}/summary`)).body,
      (s: any) => s.counts.invoices === 0,
    );
    expect(summary.counts).toMatchObject({ customers: 0, products: 0, invoices: 0 });
  });

  it('then every SOAP round carried a modest batch with requestIDs and continueOnError, and the percentages were integers to 100', () => {
    const adds = d.file.messages.filter((m) => m.includes('AddRq'));
    expect(adds.length).toBeGreaterThan(3);
    for (const m of d.file.messages.filter((x) => !x.includes('<HostQueryRq '))) {
      expect(m).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<\?qbxml version="13.0"\?>\n<QBXML><QBXMLMsgsRq onError="continueOnError">/);
      const requests = m.match(/<\w+Rq requestID="[^"]+"/g) ?? [];
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.length).toBeLessThanOrEqual(4);
    }
    const percents = sessions.flatMap((s) => s.percents);
    expect(percents.every((p: number) => Number.isInteger(p) && p >= 0 && p <= 100)).toBe(true);
    expect(new Set(percents).size).toBeGreaterThan(1);
  });

  it('then the one Process Log of the run says what was created, and a second run finds everything and sends no add', async () => {
    const log = await processLog(d, run.processLogId);
    expect(log.status).toBe('Succeeded');
    // Seven invoices, the sale paid at the till as a sales receipt, and the credit memo.
    expect(log.entries.filter((e: any) => e.recordType === 'Invoice' && e.outcome === 'Created')).toHaveLength(9);
    const adds = d.file.messages.filter((m) => m.includes('AddRq')).length;
    const again = await api<{ runId: string }>(d.stack, 'POST', `/api/companies/${d.companyId}/exports`, {});
    expect(again.status).toBe(202);
    const second = await drain(d, again.body.runId);
    expect(second.run.status).toBe('succeeded');
    expect(d.file.messages.filter((m) => m.includes('AddRq')).length).toBe(adds);
    await until(
      'summary',
      async () => (await api(d.stack, 'GET', `/api/companies/${d.companyId}/summary`)).body,
      (s: any) => s.pendingSync === 0,
    );
  });
});

describe('when the Online secondary company has exported before the Desktop company, both keeping customer ids in the secondary field', () => {
  let d: DesktopStack;
  let online: any;
  let onlineIds: Map<string, string | null>;
  let desktop: any;
  let again: any;
  let sentBefore: number;

  beforeAll(async () => {
    d = await startDesktopStack();
    const { container, qboUrl, secondaryCompanyId, data } = d.stack;
    await connectWithEmulator(container, qboUrl, secondaryCompanyId, data.facts.realmIds.secondary);
    online = await exportAndWait(d.stack, secondaryCompanyId);
    onlineIds = new Map((await sfRecords(d.stack, 'Customer__c')).map((c) => [c.Id, c.Secondary_Customer_Id__c]));
    ({ run: desktop } = await drain(d, await exportQueued(d)));
    sentBefore = d.file.messages.length;
    // Nothing is left to export: the run has no Pending Sync to wait for.
    const next = await api<{ runId: string }>(d.stack, 'POST', `/api/companies/${d.companyId}/exports`, {});
    ({ run: again } = await drain(d, next.body.runId));
  });
  afterAll(() => d?.stack.close());

  it('then the field stays the Online company’s, which came first, and the Desktop company finds or creates its own customers', async () => {
    expect(online.status).toBe('succeeded');
    expect([...onlineIds.values()].filter(Boolean).length).toBeGreaterThan(0);
    // Online ids in that field name records of another file: the Desktop company never sends one as a customer.
    expect(desktop).toMatchObject({ status: 'succeeded', error: null });
    expect(desktop.counts.errors).toBe(0);
    const links = await customerLinks(d);
    const demo = d.stack.webConnector!.demo;
    const ids = demo.invoiceIds.filter((id) => id !== demo.receiptInvoiceId);
    const invoices = [...d.file.invoices.values()];
    expect(invoices.length).toBe(ids.length);
    for (const inv of invoices) expect(d.file.customers.get(inv.CustomerRef.ListID)?.Name).toBe(inv.CustomerRef.FullName);
    const sourceInvoices = (await desktopInvoices(d)).filter((i) => ids.includes(i.Id));
    for (const i of sourceInvoices) {
      const txn = invoices.find((inv) => inv.TxnID === i.Financial_System_Invoice_Id__c)!;
      expect({ invoice: i.Name, customer: txn.CustomerRef.ListID }).toEqual({ invoice: i.Name, customer: links.get(i.Customer__c) });
    }
    const after = await sfRecords(d.stack, 'Customer__c');
    expect(new Map(after.map((c) => [c.Id, c.Secondary_Customer_Id__c]))).toEqual(onlineIds);
    await expectEachOnce(d);
  });

  it('then the next Desktop run sends nothing again and its Process Log does not list every customer as matched', async () => {
    expect(again).toMatchObject({ status: 'succeeded', error: null });
    expect(again.counts).toMatchObject({ created: 0, errors: 0 });
    const log = await processLog(d, again.processLogId);
    expect(log.entries.filter((e: any) => e.recordType === 'Customer')).toEqual([]);
    expect(d.file.messages.slice(sentBefore).filter((m) => m.includes('AddRq'))).toEqual([]);
  });
});

describe('when the demo is started again and the Desktop company exported anew', () => {
  let dir: string;
  let again: DesktopStack;
  let run: any;
  let fresh: boolean;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-restart-'));
    const first = await startDesktopStack();
    await drain(first, await exportQueued(first));
    // `npm run webconnector` keeps the company file for the start it played against.
    saveCompanyFile(dir, 'first-start', first.stack.webConnector!.demo, first.file);
    await first.stack.close();
    // The new start: emulators and store afresh, the same seeded records, a new start identity.
    const second = await startDesktopStack();
    const loaded = loadCompanyFile(dir, 'second-start', second.stack.webConnector!.demo);
    fresh = loaded.fresh;
    again = { ...second, file: loaded.file };
    ({ run } = await drain(again, await exportQueued(again)));
  });
  afterAll(async () => {
    await again?.stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('then the company file of the first start is set aside, and the export ends with 0 errors, each record in QuickBooks once', async () => {
    expect(fresh).toBe(true);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.counts.errors).toBe(0);
    await expectEachOnce(again);
  });
});
