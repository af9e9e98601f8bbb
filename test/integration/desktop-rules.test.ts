// QuickBooks Desktop's status codes, un-pending and the lock, and the .qwc file, over the real endpoint with an
// independent Web Connector client and the QuickBooks Desktop stand-in.
import { XMLParser } from 'fast-xml-parser';
import { api, sfRecords } from '../support/stack';
import { sfWrite } from '../support/sf';
import { customerLinks, desktopInvoices, drain, exportQueued, processLog, session, startDesktopStack, type DesktopStack } from '../support/desktop';

const plain = (name: unknown) => typeof name === 'string' && /^[A-Za-z .'-]{3,40}$/.test(name);

describe('when QuickBooks Desktop answers with status codes', () => {
  let d: DesktopStack;
  let run: any;
  let log: any;
  let invoices: any[];
  let tooLong: any;
  let clash: any;
  let unsure: string;
  let missing: string;

  beforeAll(async () => {
    d = await startDesktopStack();
    const demo = d.stack.webConnector!.demo;
    const customers = d.stack.data.salesforce.records.Customer__c!.filter(
      (c) =>
        plain(c.Name) &&
        c.Id !== demo.vendorClashCustomerId &&
        c.Id !== demo.knownCustomerId &&
        !d.stack.data.salesforce.records.Sales_Invoice__c!.some((i) => i.Customer__c === c.Id && i.Company__c === d.companyId),
    );
    [tooLong, clash] = customers;
    // Customers no invoice of the company names go only when it sends every customer without its id.
    await sfWrite(d.stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: d.companyId, Customer_Export__c: "Every customer without this company's id" }]);
    [unsure, missing] = demo.invoiceIds;
    d.file.faults.push(
      {
        rq: 'CustomerAddRq',
        statusCode: 3070,
        statusMessage: `The string "${tooLong.Name}" in the field "Name" is too long.`,
        when: (c) => c.CustomerAdd?.Name === tooLong.Name,
      },
      // Not predicted by the name lists (say an inactive vendor the query did not show): the rename rule and one retry.
      {
        rq: 'CustomerAddRq',
        statusCode: 3100,
        statusMessage: `The name "${clash.Name}" of the list element is already in use.`,
        when: (c) => c.CustomerAdd?.Name === clash.Name,
      },
      {
        rq: 'InvoiceAddRq',
        statusCode: 3200,
        statusMessage: 'The provided edit sequence "1731312000" is out-of-date.',
        when: (c) => String(c.InvoiceAdd?.Memo).includes(unsure),
      },
      {
        rq: 'InvoiceAddRq',
        statusCode: 500,
        statusMessage:
          'The query request has not been fully completed. There was a required element ("80000099-1731312000") that could not be found in QuickBooks.',
        when: (c) => String(c.InvoiceAdd?.Memo).includes(missing),
        times: 5,
      },
    );
    const runId = await exportQueued(d);
    ({ run } = await drain(d, runId));
    log = await processLog(d, run.processLogId);
    invoices = await desktopInvoices(d);
  });
  afterAll(() => d?.stack.close());

  const entriesOf = (id: string) => log.entries.filter((e: any) => e.recordId === id);

  it('then 3070 fails that customer with an entry naming the field and QuickBooks’ own message', () => {
    const [e] = entriesOf(tooLong.Id).filter((x: any) => x.level === 'ERROR');
    expect(e.message).toBe(
      `Customer ${tooLong.Name} could not be created in QuickBooks: the field Name is too long for QuickBooks Desktop (QuickBooks 3070: The string "${tooLong.Name}" in the field "Name" is too long.).`,
    );
    expect(e.fix).toContain('longer than QuickBooks allows');
    expect([...d.file.customers.values()].some((c) => c.Name === tooLong.Name)).toBe(false);
  });

  it('then 3100 renames the customer by the rule and sends it once more, and the entry carries its new ListID', async () => {
    const renamed = [...d.file.customers.values()].filter((c) => c.Name.startsWith(clash.Name));
    expect(renamed.map((c) => c.Name)).toEqual([`${clash.Name} (C)`]);
    expect((await customerLinks(d)).get(clash.Id)).toBe(renamed[0]!.ListID);
    // The secondary id field is the Online secondary company's (created first): the Desktop company leaves it alone.
    const record = (await sfRecords(d.stack, 'Customer__c')).find((c) => c.Id === clash.Id);
    expect(record.Secondary_Customer_Id__c).toBeNull();
    expect(entriesOf(clash.Id).find((e: any) => e.outcome === 'Renamed')).toMatchObject({ quickBooksId: renamed[0]!.ListID });
  });

  it('then 3200 is looked up again before resending, and the invoice exists once', () => {
    expect(d.file.invoicesBySource().get(unsure)).toBe(1);
    expect(invoices.find((i) => i.Id === unsure)).toMatchObject({ Export_Status__c: 'Exported', Transferred__c: true });
    // The look-up went out between the two adds of that invoice.
    const adds = d.file.messages.map((m, i) => [m, i] as const).filter(([m]) => m.includes('InvoiceAddRq') && m.includes(unsure));
    expect(adds).toHaveLength(2);
    expect(d.file.messages.slice(adds[0]![1] + 1, adds[1]![1]).some((m) => m.includes('<InvoiceQueryRq') && m.includes('ModifiedDateRangeFilter'))).toBe(true);
  });

  it('then any other status is an entry with QuickBooks’ own message, and the invoice shows the error in Salesforce', () => {
    const name = invoices.find((i) => i.Id === missing).Name;
    const [e] = entriesOf(missing).filter((x: any) => x.level === 'ERROR');
    expect(e.message).toBe(
      `Invoice ${name} was not exported: QuickBooks 500: The query request has not been fully completed. There was a required element ("80000099-1731312000") that could not be found in QuickBooks.`,
    );
    expect(invoices.find((i) => i.Id === missing)).toMatchObject({
      Export_Status__c: 'Error',
      Transferred__c: false,
      Last_Export_Error__c: expect.stringContaining('QuickBooks 500'),
    });
    expect(d.file.invoicesBySource().get(missing)).toBeUndefined();
  });

  it('then "no match" (1) on the name lists is an empty list, not a failure, and the run completes with its errors', () => {
    expect(d.file.processed.get('OtherNameQueryRq')).toBeGreaterThan(0);
    expect(d.file.otherNames.size).toBe(0);
    expect(run.status).toBe('completed_with_errors');
    expect(log.status).toBe('Completed With Errors');
  });
});

describe('when invoices are un-pended and locked', () => {
  let d: DesktopStack;
  let early: string;
  let queued: string;
  let run: any;
  let unpendEarly: any;
  let unpendQueued: any;

  beforeAll(async () => {
    d = await startDesktopStack();
    const ids = d.stack.webConnector!.demo.invoiceIds;
    early = ids[0]!;
    // The run's last invoice batch: still in the Web Connector's queue when it is un-pended.
    queued = ids[ids.length - 1]!;
    const runId = await exportQueued(d);
    unpendEarly = await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${early}/unpend`);
    const queue = d.stack.container.store.webConnectorQueue;
    // One session that stops once invoice adds are queued (the first batch not yet taken).
    await session(d, {
      stopWhen: async () =>
        (await queue.counts(d.companyId)).requests > 0 && d.file.messages.some((m) => m.includes('<ItemQueryRq')) && (await hasInvoiceAddQueued(d)),
    });
    unpendQueued = await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${queued}/unpend`);
    ({ run } = await drain(d, runId));
  });
  afterAll(() => d?.stack.close());

  it('then an invoice un-pended before QuickBooks took it goes back to Not Exported and is never sent', async () => {
    expect(unpendEarly).toMatchObject({ status: 200, body: { invoiceId: early, exportStatus: 'Not Exported' } });
    expect(unpendQueued).toMatchObject({ status: 200, body: { invoiceId: queued, exportStatus: 'Not Exported', takenOffQueue: true } });
    const copies = d.file.invoicesBySource();
    expect([copies.get(early), copies.get(queued)]).toEqual([undefined, undefined]);
    const all = await desktopInvoices(d);
    for (const id of [early, queued]) expect(all.find((i) => i.Id === id)).toMatchObject({ Export_Status__c: 'Not Exported', Transferred__c: false });
    const log = await processLog(d, run.processLogId);
    for (const id of [early, queued])
      expect(log.entries.find((e: any) => e.recordId === id)).toMatchObject({ outcome: 'Skipped', message: expect.stringContaining('un-pended') });
    expect(run.status).toBe('succeeded');
  });

  it('then an invoice QuickBooks accepted is locked: no unpend, with the fix', async () => {
    const accepted = d.stack.webConnector!.demo.invoiceIds[1]!;
    const res = await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${accepted}/unpend`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVOICE_LOCKED', fix: 'Make any change to this invoice in QuickBooks Desktop.' });
    expect(res.body.error.message).toMatch(/was accepted by QuickBooks \(transaction [0-9A-F]+-\d+\) and is locked/);
  });

  it('then an invoice not pending, another company’s, an Online company’s, or a caller without the key is refused', async () => {
    const notPending = await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${early}/unpend`);
    expect(notPending).toMatchObject({ status: 409, body: { error: { code: 'NOT_PENDING' } } });
    const online = d.stack.data.salesforce.records.Sales_Invoice__c!.find((i) => i.Company__c === d.stack.primaryCompanyId)!;
    expect((await api(d.stack, 'POST', `/api/companies/${d.stack.primaryCompanyId}/invoices/${online.Id}/unpend`)).status).toBe(400);
    expect((await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${online.Id}/unpend`)).status).toBe(404);
    expect((await api(d.stack, 'POST', `/api/companies/${d.companyId}/invoices/${early}/unpend`, undefined, 'wrong-key')).status).toBe(401);
  });
});

async function hasInvoiceAddQueued(d: DesktopStack): Promise<boolean> {
  const rows = await d.stack.container.store.query<{ n: number }>(
    `SELECT COUNT(*)::int AS n FROM qbwc_messages WHERE company_id = $1 AND state = 'queued' AND requests::jsonb @> '[{"rq":"InvoiceAddRq"}]'::jsonb`,
    [d.companyId],
  );
  return Number(rows[0]?.n) > 0;
}

describe('when an admin sets up the Web Connector and downloads the .qwc file', () => {
  let d: DesktopStack;
  beforeAll(async () => {
    d = await startDesktopStack();
  });
  afterAll(() => d?.stack.close());

  const adminFetch = (path: string, init: RequestInit = {}, key = d.stack.adminKey) =>
    fetch(`${d.stack.serviceUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', ...(init.headers ?? {}) } });

  it('then the file has every field the Web Connector documents, in its order, with braced GUIDs, QBFS and a 10-minute schedule', async () => {
    const res = await adminFetch(`/quickbooks/webconnector/qwc?companyId=${d.companyId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Ledgerline-Cedar-Ridge-Supply.qwc"');
    const text = await res.text();
    const doc = new XMLParser({ parseTagValue: false, preserveOrder: true }).parse(text);
    const root = doc.find((n: any) => n.QBWCXML).QBWCXML;
    expect(root.map((n: any) => Object.keys(n)[0])).toEqual([
      'AppName',
      'AppID',
      'AppURL',
      'AppDescription',
      'AppSupport',
      'UserName',
      'OwnerID',
      'FileID',
      'QBType',
      'Scheduler',
      'IsReadOnly',
    ]);
    const qwc = new XMLParser({ parseTagValue: false }).parse(text).QBWCXML;
    expect(qwc.AppURL).toBe(`${d.stack.container.config.publicUrl}/qbwc`);
    expect(qwc.UserName).toBe('ledgerline-demo-desktop');
    expect(qwc.OwnerID).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(qwc.FileID).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(qwc.OwnerID).not.toBe(qwc.FileID);
    expect({ type: qwc.QBType, every: qwc.Scheduler.RunEveryNMinutes, readOnly: qwc.IsReadOnly }).toEqual({ type: 'QBFS', every: '10', readOnly: 'false' });
    expect(qwc.AppSupport).toMatch(/^http:\/\/localhost:\d+\/quickbooks\/webconnector\?companyId=/);
  });

  it('then a new password works at once, the old one answers "nvu", and the GUIDs stay the same', async () => {
    const before = await (await adminFetch(`/quickbooks/webconnector/qwc?companyId=${d.companyId}`)).text();
    const res = await adminFetch('/quickbooks/webconnector/setup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ companyId: d.companyId, runEveryMinutes: 15 }),
    });
    expect(res.status).toBe(200);
    const set = (await res.json()) as any;
    expect(set).toMatchObject({ username: 'ledgerline-demo-desktop', runEveryMinutes: 15 });
    expect((await session(d)).auth[1]).toBe('nvu');
    expect((await session(d, { password: set.password })).auth[1]).toBe('none');
    const after = await (await adminFetch(`/quickbooks/webconnector/qwc?companyId=${d.companyId}`)).text();
    const guids = (s: string) => s.match(/\{[0-9A-F-]{36}\}/g);
    expect(guids(after)).toEqual(guids(before));
    expect(after).toContain('<RunEveryNMinutes>15</RunEveryNMinutes>');
  });

  it('then the export key cannot download it, and an Online company has no Web Connector', async () => {
    expect((await adminFetch(`/quickbooks/webconnector/qwc?companyId=${d.companyId}`, {}, d.stack.apiKey)).status).toBe(403);
    expect((await adminFetch(`/quickbooks/webconnector/qwc?companyId=${d.stack.primaryCompanyId}`)).status).toBe(409);
    const page = await fetch(`${d.stack.serviceUrl}/quickbooks/webconnector?companyId=${d.companyId}`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Admin key');
  });
});
