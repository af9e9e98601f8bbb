// Ledgerline's Web Connector envelopes and qbXML checked against messages public projects recorded
// (test/fixtures/qbwc/README.md names each source), and the Desktop target's pure parts: element order, status
// codes, the .qwc file, and the pull queue's bookkeeping.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { classify, isQueryOk } from '../../service/src/quickbooks/desktop/faults';
import { customerAdd, invoiceAdd, itemAdd, MappingError, toCreated, toTargetCustomer } from '../../service/src/quickbooks/desktop/mapping';
import { buildMessage, parseResponse, type QbRequest } from '../../service/src/quickbooks/desktop/qbxml';
import { ORDER } from '../../service/src/quickbooks/desktop/schema';
import { checkAppUrl, qwcFile } from '../../service/src/quickbooks/desktop/qwc';
import { parseCall, resultEnvelope } from '../../service/src/quickbooks/desktop/soap';
import { AnswerLost, DesktopTransport, WITHDRAWN } from '../../service/src/quickbooks/desktop/transport';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'qbwc', name), 'utf8');
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: true });
const plain = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false });

/** Child element names of the first element `name` found, in document order. */
function childOrder(xml: string, name: string): string[] {
  const find = (nodes: any[]): any[] | null => {
    for (const n of nodes) {
      const key = Object.keys(n).find((k) => k !== ':@');
      if (!key || key === '#text') continue;
      if (key === name) return n[key];
      const deeper = find(n[key]);
      if (deeper) return deeper;
    }
    return null;
  };
  const children = find(ordered.parse(xml)) ?? [];
  return children.map((c: any) => Object.keys(c).find((k) => k !== ':@')!).filter((k: string) => k !== '#text');
}

/** Every pair of elements both lists name comes in the same order in both. */
function expectSameRelativeOrder(ours: string[], theirs: string[]): void {
  const common = ours.filter((e) => theirs.includes(e));
  expect(common.length).toBeGreaterThan(1);
  expect(common).toEqual([...common].sort((a, b) => theirs.indexOf(a) - theirs.indexOf(b)));
}

const built = (r: QbRequest) => buildMessage([r]);

describe('the Web Connector envelopes, against recorded ones', () => {
  it('when the Web Connector’s recorded requests arrive, then each operation and its parameters are read', () => {
    expect(parseCall(fixture('mreiden-serverversion-rq.xml'))).toEqual({ operation: 'serverVersion', params: {} });
    expect(parseCall(fixture('mreiden-clientversion-rq.xml'))).toEqual({ operation: 'clientVersion', params: { strVersion: '2.2.0.71' } });
    expect(parseCall(fixture('mreiden-authenticate-rq.xml'))).toEqual({
      operation: 'authenticate',
      params: { strUserName: 'webconnector', strPassword: 'password' },
    });
    const send = parseCall(fixture('mreiden-sendrequestxml-rq.xml'));
    expect(send).toMatchObject({
      operation: 'sendRequestXML',
      params: {
        ticket: '01234567-89ab-cdef-0123-456789abcdef',
        strHCPResponse: '',
        strCompanyFileName: 'C:\\Directory\\File.qbw',
        qbXMLCountry: 'US',
        qbXMLMajorVers: '13',
        qbXMLMinorVers: '0',
      },
    });
    const receive = parseCall(fixture('mreiden-receiveresponsexml-rq.xml'));
    expect(receive.operation).toBe('receiveResponseXML');
    expect(receive.params.hresult).toBe('');
    const [answer] = parseResponse(receive.params.response!);
    expect(answer).toMatchObject({ rs: 'CustomerAddRs', requestID: '1', statusCode: 0 });
    expect(answer!.rets[0]!.value.ListID).toBe('8000020D-1561739164');
    expect(parseCall(fixture('mreiden-closeconnection-rq.xml'))).toEqual({
      operation: 'closeConnection',
      params: { ticket: '01234567-89ab-cdef-0123-456789abcdef' },
    });
  });

  it('when Ledgerline answers, then its envelopes have the recorded responses’ structure under the Intuit namespace', () => {
    const body = (xml: string) => plain.parse(xml).Envelope.Body;
    const ours = body(resultEnvelope('authenticate', ['01234567-89ab-cdef-0123-456789abcdef', 'none']));
    const theirs = body(fixture('mreiden-authenticate-rs.xml'));
    expect(ours.authenticateResponse.authenticateResult).toEqual(theirs.authenticateResponse.authenticateResult);
    expect(resultEnvelope('authenticate', ['t', 'none'])).toContain(
      '<soap:Body><authenticateResponse xmlns="http://developer.intuit.com/"><authenticateResult><string>t</string><string>none</string></authenticateResult>',
    );
    expect(body(resultEnvelope('receiveResponseXML', 33)).receiveResponseXMLResponse.receiveResponseXMLResult).toBe(
      body(fixture('mreiden-receiveresponsexml-rs.xml')).receiveResponseXMLResponse.receiveResponseXMLResult,
    );
    // The qbXML travels escaped inside sendRequestXMLResult, as in the recording.
    const request = buildMessage([customerAdd({ displayName: 'Ada & Co <Ltd>' }, '7')]);
    const carried = body(resultEnvelope('sendRequestXML', request)).sendRequestXMLResponse.sendRequestXMLResult;
    expect(carried).toBe(request);
    expect(resultEnvelope('sendRequestXML', request)).toContain('&lt;CustomerAdd&gt;&lt;Name&gt;Ada &amp;amp; Co &amp;lt;Ltd&amp;gt;&lt;/Name&gt;');
    const recorded = body(fixture('mreiden-sendrequestxml-rs.xml')).sendRequestXMLResponse.sendRequestXMLResult as string;
    expect(recorded).toContain('<QBXMLMsgsRq onError="continueOnError">');
    expect(request).toContain('<QBXMLMsgsRq onError="continueOnError">');
  });
});

describe('qbXML requests, against recorded ones', () => {
  const customer = customerAdd(
    {
      displayName: 'Joe Customer',
      givenName: 'Joe',
      familyName: 'Customer',
      companyName: 'Joes Garage',
      email: 'joe@example.com',
      phone: '555-0100',
      billing: { line1: '123 Main St.', city: 'Mountain View', state: 'CA', postalCode: '94566', country: 'US' },
    },
    '1',
  );

  it('when a customer is added, then its elements come in the order both recorded CustomerAdds and the schema table use', () => {
    const ours = childOrder(built(customer), 'CustomerAdd');
    expect(ours).toEqual(['Name', 'CompanyName', 'FirstName', 'LastName', 'BillAddress', 'Phone', 'Email']);
    expectSameRelativeOrder(ours, childOrder(fixture('qbwc-gem-customer-add-rq-long.xml'), 'CustomerAdd'));
    expectSameRelativeOrder(ours, childOrder(fixture('mreiden-customeradd-rq.xml'), 'CustomerAdd'));
    expectSameRelativeOrder(childOrder(built(customer), 'BillAddress'), childOrder(fixture('mreiden-customeradd-rq.xml'), 'BillAddress'));
    expectSameRelativeOrder(ORDER.CustomerAdd as string[], childOrder(fixture('qbwc-gem-customer-add-rq-long.xml'), 'CustomerAdd'));
  });

  it('when an invoice is added, then header and line elements come in the recorded InvoiceAdd’s order', () => {
    const request = invoiceAdd(
      {
        form: 'invoice',
        sourceId: 'a03000000000001AAA',
        sourceNumber: 'SI-1',
        customerId: '80000001-1700000000',
        docNumber: 'SI-1',
        txnDate: '2026-10-01',
        dueDate: '2026-10-31',
        privateNote: 'Salesforce invoice SI-1 [ledgerline:a03000000000001AAA]',
        lines: [{ itemId: '80000002-1700000000', quantity: 2, unitPrice: 12.5, amount: 25, description: 'Gears', taxable: true }],
        discount: { amount: 5, account: '80000003-1700000000' },
      },
      '2',
    );
    const xml = built(request);
    const theirs = plain.parse(fixture('mreiden-sendrequestxml-rs.xml')).Envelope.Body.sendRequestXMLResponse.sendRequestXMLResult as string;
    expectSameRelativeOrder(childOrder(xml, 'InvoiceAdd'), childOrder(theirs, 'InvoiceAdd'));
    expectSameRelativeOrder(childOrder(xml, 'InvoiceLineAdd'), childOrder(theirs, 'InvoiceLineAdd'));
    expect(childOrder(xml, 'InvoiceAdd')).toEqual(['CustomerRef', 'TxnDate', 'RefNumber', 'DueDate', 'Memo', 'InvoiceLineAdd', 'InvoiceLineAdd']);
    expect(xml).toContain(
      '<InvoiceLineAdd><ItemRef><ListID>80000002-1700000000</ListID></ItemRef><Desc>Gears</Desc><Quantity>2.00</Quantity><Rate>12.50</Rate><Amount>25.00</Amount><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef></InvoiceLineAdd>',
    );
    // Desktop has no discount line of its own: a line on the discount item, negative.
    expect(xml).toContain(
      '<InvoiceLineAdd><ItemRef><ListID>80000003-1700000000</ListID></ItemRef><Desc>Order discount</Desc><Amount>-5.00</Amount></InvoiceLineAdd>',
    );
    expect(() =>
      invoiceAdd(
        { ...(request as any), sourceId: 'x', sourceNumber: 'x', customerId: 'c', docNumber: null, privateNote: '', lines: [], discount: { amount: 1 } },
        '3',
      ),
    ).toThrow(MappingError);
  });

  it('when items are added, then each type has its own add with the account by ListID and the SKU as part number', () => {
    const doc = {
      name: 'Brass Gear',
      sku: 'G-40',
      description: 'A gear',
      unitPrice: 12.5,
      incomeAccount: '80000004-1',
      expenseAccount: '80000005-1',
      assetAccount: '80000006-1',
      inventoryStartDate: '2026-11-01',
    };
    expect(built(itemAdd({ ...doc, type: 'NonInventory' }, '1'))).toContain(
      '<ItemNonInventoryAddRq requestID="1"><ItemNonInventoryAdd><Name>Brass Gear</Name><ManufacturerPartNumber>G-40</ManufacturerPartNumber><SalesOrPurchase><Desc>A gear</Desc><Price>12.50</Price><AccountRef><ListID>80000004-1</ListID></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
    );
    expect(built(itemAdd({ ...doc, type: 'Service' }, '2'))).toContain('<ItemServiceAdd><Name>Brass Gear</Name><SalesOrPurchase>');
    expect(childOrder(built(itemAdd({ ...doc, type: 'Inventory' }, '3')), 'ItemInventoryAdd')).toEqual([
      'Name',
      'ManufacturerPartNumber',
      'SalesDesc',
      'SalesPrice',
      'IncomeAccountRef',
      'COGSAccountRef',
      'AssetAccountRef',
      'InventoryDate',
    ]);
  });
});

describe('qbXML answers, against recorded ones', () => {
  it('when a recorded CustomerAddRs is read, then the created customer carries its ListID and full name', () => {
    const [answer] = parseResponse(fixture('qbwc-gem-customer-add-rs.xml'));
    expect(answer).toMatchObject({ rs: 'CustomerAddRs', statusCode: 0, statusSeverity: 'Info' });
    expect(toCreated(answer!.rets[0]!.type, answer!.rets[0]!.value)).toEqual({ id: '8000001B-1405768916', name: 'Joseph Customer' });
    expect(toTargetCustomer(answer!.rets[0]!.value)).toMatchObject({
      givenName: 'Joe',
      familyName: 'Customer',
      email: 'joecustomer@gmail.com',
      city: 'Mountain View',
    });
  });

  it('when a query answers 500 (not all found) or 3120 (object not found), then the first is a partial answer and the second a fault with QuickBooks’ words', () => {
    const [warn] = parseResponse(fixture('qbwc-gem-customer-query-rs-warn.xml'));
    expect(warn).toMatchObject({ statusCode: 500, statusSeverity: 'Warn', rets: [] });
    expect(isQueryOk(warn!.statusCode)).toBe(true);
    const [error] = parseResponse(fixture('qbwc-gem-customer-query-rs-error.xml'));
    expect(isQueryOk(error!.statusCode)).toBe(false);
    expect(classify(error!)).toEqual({
      class: 'invalidReference',
      code: '3120',
      field: undefined,
      message:
        'QuickBooks 3120: Object "8000001B-1405768916" specified in the request cannot be found.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.',
    });
  });

  it('when statuses 3100, 3070, 3200 and others come back, then each has its class, 3070 names its field, and the message is QuickBooks’ own', () => {
    const status = (statusCode: number, statusMessage: string) => classify({ statusCode, statusMessage, statusSeverity: 'Error' });
    expect(status(3100, 'The name "abc" of the list element is already in use.').class).toBe('duplicateName');
    expect(status(3070, 'The string "a5ad6d73" in the field "AccountNumber" is too long.')).toMatchObject({ class: 'tooLong', field: 'AccountNumber' });
    expect(status(3200, 'The provided edit sequence "1" is out-of-date.').class).toBe('staleObject');
    expect(status(3180, 'There was an error when saving a Customer list, element "x".')).toMatchObject({
      class: 'transient',
      message: 'QuickBooks 3180: There was an error when saving a Customer list, element "x".',
    });
    expect(status(9999, 'Something new.')).toMatchObject({ class: 'rejected', code: '9999', message: 'QuickBooks 9999: Something new.' });
  });
});

describe('the .qwc file, against the recorded one', () => {
  const user = {
    username: 'ledgerline-cedar',
    ownerId: '{90A44FB7-33D9-4815-AC85-AC86A7E7D1EB}',
    fileId: '{57F3B9B6-86F1-4FCC-B1FF-967DE1813D20}',
    runEveryMinutes: 10,
  };

  it('when built, then it has the recorded example’s elements in its order', () => {
    const ours = qwcFile({
      appUrl: 'https://ledgerline.example.com/qbwc',
      supportUrl: 'https://ledgerline.example.com/help',
      companyName: 'Cedar Ridge',
      user,
    });
    expect(childOrder(ours, 'QBWCXML')).toEqual(childOrder(fixture('consolibyte-example.qwc'), 'QBWCXML'));
    expect(childOrder(ours, 'Scheduler')).toEqual(['RunEveryNMinutes']);
    expect(ours).toContain('<AppURL>https://ledgerline.example.com/qbwc</AppURL>');
  });

  it('when the service is not on https, then the file is refused unless it is this machine', () => {
    expect(() => checkAppUrl('http://ledgerline.example.com/qbwc')).toThrow(/only https/);
    expect(checkAppUrl('http://localhost:3000/qbwc')).toBe('http://localhost:3000/qbwc');
    expect(checkAppUrl('http://127.0.0.1:3000/qbwc')).toBe('http://127.0.0.1:3000/qbwc');
    expect(() => checkAppUrl('ftp://x/qbwc')).toThrow();
  });
});

describe('the pull queue', () => {
  const request = (rq = 'CustomerQueryRq'): QbRequest => ({ rq, requestID: 'x', content: {} });

  it('when an answer comes for a message not handed out on that ticket, then it is ignored; a lost one rejects its sender', async () => {
    const t = new DesktopTransport({ answerTimeoutMs: 60_000 });
    const sent = t.send('c1', [request(), request()]);
    const xml = t.next('c1', 'ticket-a')!;
    expect(xml.match(/requestID="1\.\d"/g)).toEqual(['requestID="1.0"', 'requestID="1.1"']);
    expect(t.answer('c1', 'ticket-b', { xml: '<QBXML><QBXMLMsgsRs/></QBXML>' })).toBe(false);
    t.lose('c1', 'session ended');
    await expect(sent).rejects.toBeInstanceOf(AnswerLost);
    // A late answer to the lost message finds nothing to resolve.
    expect(t.answer('c1', 'ticket-a', { xml: '<QBXML><QBXMLMsgsRs/></QBXML>' })).toBe(false);
  });

  it('when an invoice is taken back, then a queued one is withdrawn, one handed out is not, and a later send of it is withdrawn at once', async () => {
    const t = new DesktopTransport({ answerTimeoutMs: 60_000 });
    const first = t.send('c1', [request('InvoiceAddRq')], { tags: ['inv-1'] });
    const second = t.send('c1', [request('InvoiceAddRq'), request('InvoiceAddRq')], { tags: ['inv-2', 'inv-3'] });
    t.next('c1', 'ticket');
    expect(t.withdraw('c1', 'inv-1')).toBe('handedOut');
    expect(t.withdraw('c1', 'inv-3')).toBe('withdrawn');
    t.answer('c1', 'ticket', {
      xml: '<QBXML><QBXMLMsgsRs><InvoiceAddRs requestID="1.0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"/></QBXMLMsgsRs></QBXML>',
    });
    await first;
    const xml = t.next('c1', 'ticket')!;
    expect(xml.match(/<InvoiceAddRq /g)).toHaveLength(1);
    t.answer('c1', 'ticket', {
      xml: '<QBXML><QBXMLMsgsRs><InvoiceAddRs requestID="2.0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"/></QBXMLMsgsRs></QBXML>',
    });
    expect((await second).map((a) => a.rs)).toEqual(['InvoiceAddRs', WITHDRAWN]);
    expect((await t.send('c1', [request('InvoiceAddRq')], { tags: ['inv-3'] }))[0]!.rs).toBe(WITHDRAWN);
    t.clearTakenBack('c1');
    const again = t.send('c1', [request('InvoiceAddRq')], { tags: ['inv-3'] });
    expect(t.pendingRequests('c1')).toBe(1);
    t.close();
    await expect(again).rejects.toThrow(/stopped while waiting for the Web Connector/);
  });
});
