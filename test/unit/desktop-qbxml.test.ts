// Ledgerline's Web Connector envelopes and qbXML checked against messages public projects recorded
// (test/fixtures/qbwc/README.md names each source), and the Desktop target's pure parts: element order, status
// codes, the .qwc file, and the pull queue's bookkeeping.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { classify, isQueryOk } from '../../service/src/quickbooks/desktop/faults';
import {
  customerAdd,
  itemAdd,
  MappingError,
  paymentAdd,
  salesAdd,
  toCreated,
  toHeldPayment,
  toOpenBalance,
  toTargetCustomer,
} from '../../service/src/quickbooks/desktop/mapping';
import { buildMessage, parseResponse, type QbRequest } from '../../service/src/quickbooks/desktop/qbxml';
import { ORDER } from '../../service/src/quickbooks/desktop/schema';
import { checkAppUrl, qwcFile } from '../../service/src/quickbooks/desktop/qwc';
import { parseCall, resultEnvelope } from '../../service/src/quickbooks/desktop/soap';
import { closingWords, tallyAnswer } from '../../service/src/quickbooks/desktop/tally';

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
    const request = salesAdd(
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
      salesAdd(
        { ...(request as any), sourceId: 'x', sourceNumber: 'x', customerId: 'c', docNumber: null, privateNote: '', lines: [], discount: { amount: 1 } },
        '3',
      ),
    ).toThrow(MappingError);
  });

  it('when a credit memo and a sales receipt are added, then each has its own add and line elements in schema order, the receipt its check number, method and deposit account', () => {
    const base = {
      sourceId: 'a03000000000002AAA',
      sourceNumber: 'SI-2',
      customerId: '80000001-1700000000',
      docNumber: 'SI-2',
      txnDate: '2026-10-01',
      dueDate: '2026-10-31',
      privateNote: 'Salesforce credit memo SI-2 [ledgerline:a03000000000002AAA]',
      lines: [{ itemId: '80000002-1700000000', quantity: 1, unitPrice: 40, amount: 40, taxable: false }],
    };
    const memo = built(salesAdd({ ...base, form: 'creditMemo' }, '4'));
    expect(childOrder(memo, 'CreditMemoAdd')).toEqual(['CustomerRef', 'TxnDate', 'RefNumber', 'Memo', 'CreditMemoLineAdd']);
    expect(memo).toContain('<CreditMemoAddRq requestID="4"><CreditMemoAdd>');
    expect(childOrder(memo, 'CreditMemoLineAdd')).toEqual(['ItemRef', 'Quantity', 'Rate', 'Amount', 'SalesTaxCodeRef']);
    const receipt = built(
      salesAdd({ ...base, form: 'salesReceipt', receipt: { reference: 'TXN-77', paymentMethod: '80000010-1', depositAccount: '80000011-1' } }, '5'),
    );
    expect(childOrder(receipt, 'SalesReceiptAdd')).toEqual([
      'CustomerRef',
      'TxnDate',
      'RefNumber',
      'CheckNumber',
      'PaymentMethodRef',
      'Memo',
      'DepositToAccountRef',
      'SalesReceiptLineAdd',
    ]);
    expect(receipt).toContain('<CheckNumber>TXN-77</CheckNumber><PaymentMethodRef><ListID>80000010-1</ListID></PaymentMethodRef>');
    // Only an invoice has a due date.
    expect(receipt).not.toContain('DueDate');
  });

  it('when a payment is added, then it is applied to its invoice; a credit memo’s application is a payment of 0 whose invoice takes the credit', () => {
    const payment = built(
      paymentAdd(
        {
          sourceId: 'a05000000000001AAA',
          customerId: '80000001-1',
          amount: 25,
          txnDate: '2026-10-02',
          reference: 'CHK-900001',
          paymentMethod: '80000010-1',
          depositAccount: '80000011-1',
          privateNote: 'Salesforce payment PAY-1 on invoice SI-1 [ledgerline:a05000000000001AAA]',
          links: [{ txnId: '1A-1', form: 'invoice', amount: 25 }],
        },
        '6',
      ),
    );
    expect(childOrder(payment, 'ReceivePaymentAdd')).toEqual([
      'CustomerRef',
      'TxnDate',
      'RefNumber',
      'TotalAmount',
      'PaymentMethodRef',
      'Memo',
      'DepositToAccountRef',
      'AppliedToTxnAdd',
    ]);
    expect(payment).toContain('<AppliedToTxnAdd><TxnID>1A-1</TxnID><PaymentAmount>25.00</PaymentAmount></AppliedToTxnAdd>');
    const credit = built(
      paymentAdd(
        {
          sourceId: 'a03000000000002AAA',
          customerId: '80000001-1',
          amount: 0,
          privateNote: 'Salesforce credit memo SI-2 applied to invoice SI-1 [ledgerline:a03000000000002AAA]',
          links: [
            { txnId: '1A-1', form: 'invoice', amount: 40 },
            { txnId: '2B-1', form: 'creditMemo', amount: 40 },
          ],
        },
        '7',
      ),
    );
    expect(credit).toContain(
      '<TotalAmount>0.00</TotalAmount><Memo>Salesforce credit memo SI-2 applied to invoice SI-1 [ledgerline:a03000000000002AAA]</Memo><AppliedToTxnAdd><TxnID>1A-1</TxnID><PaymentAmount>0.00</PaymentAmount><SetCredit><CreditTxnID>2B-1</CreditTxnID><AppliedAmount>40.00</AppliedAmount></SetCredit></AppliedToTxnAdd>',
    );
  });

  it('when QuickBooks answers balances and payments, then the invoice’s BalanceRemaining and a payment’s applied transactions are read', () => {
    const [inv, pay] = parseResponse(
      '<QBXML><QBXMLMsgsRs><InvoiceQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><InvoiceRet><TxnID>1A-1</TxnID><CustomerRef><ListID>80000001-1</ListID></CustomerRef><Subtotal>100.00</Subtotal><SalesTaxTotal>0.00</SalesTaxTotal><BalanceRemaining>60.00</BalanceRemaining></InvoiceRet></InvoiceQueryRs>' +
        '<ReceivePaymentQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><ReceivePaymentRet><TxnID>3C-1</TxnID><CustomerRef><ListID>80000001-1</ListID></CustomerRef><TxnDate>2026-11-03</TxnDate><RefNumber>CHK-1</RefNumber><TotalAmount>40.00</TotalAmount><Memo>Salesforce payment PAY-1 on invoice SI-1 [ledgerline:a05000000000001AAA]</Memo><AppliedToTxnRet><TxnID>1A-1</TxnID><TxnType>Invoice</TxnType><Amount>40.00</Amount></AppliedToTxnRet></ReceivePaymentRet></ReceivePaymentQueryRs></QBXMLMsgsRs></QBXML>',
    );
    expect(toOpenBalance(inv!.rets[0]!.value)).toEqual({ balance: 60, customerId: '80000001-1', total: 100 });
    expect(toHeldPayment(pay!.rets[0]!.value)).toEqual({
      id: '3C-1',
      reference: 'CHK-1',
      customerId: '80000001-1',
      amount: 40,
      date: '2026-11-03',
      sourceId: 'a05000000000001AAA',
      links: ['1A-1'],
    });
    expect(toCreated('ReceivePaymentRet', pay!.rets[0]!.value)).toEqual({ id: '3C-1', number: 'CHK-1', total: 40 });
  });

  it('when an invoice names a class, a PO number, a ship-to address and a ship date, then qbXML carries each where the schema puts it', () => {
    const xml = built(
      salesAdd(
        {
          form: 'invoice',
          sourceId: 'a03000000000001AAA',
          sourceNumber: 'SI-2',
          customerId: '80000001-1700000000',
          docNumber: 'SI-2',
          txnDate: '2026-10-01',
          privateNote: 'Salesforce invoice SI-2',
          lines: [{ itemId: '80000002-1700000000', quantity: 1, unitPrice: 10, amount: 10, taxable: false }],
          className: 'Europe:Germany',
          poNumber: 'PO-4471',
          shipTo: { line1: 'Hafenstrasse 12', city: 'Hamburg', postalCode: '20457', country: 'Germany' },
          shipDate: '2026-10-03',
        },
        '4',
      ),
    );
    expect(childOrder(xml, 'InvoiceAdd')).toEqual([
      'CustomerRef',
      'ClassRef',
      'TxnDate',
      'RefNumber',
      'ShipAddress',
      'PONumber',
      'ShipDate',
      'Memo',
      'InvoiceLineAdd',
    ]);
    expect(xml).toContain('<ClassRef><FullName>Europe:Germany</FullName></ClassRef>');
    expect(xml).toContain(
      '<ShipAddress><Addr1>Hafenstrasse 12</Addr1><City>Hamburg</City><PostalCode>20457</PostalCode><Country>Germany</Country></ShipAddress>',
    );
    expect(xml).toContain('<PONumber>PO-4471</PONumber>');
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

describe('a Web Connector session’s closing words', () => {
  // An add QuickBooks saved answers with the record it saved (an answer without it is one Ledgerline cannot read).
  const saved = (rs: string) => {
    const ret = rs.replace(/AddRs$/, 'Ret');
    return /^(Customer|Item)/.test(ret) ? `<${ret}><ListID>80000001-1</ListID></${ret}>` : `<${ret}><TxnID>1-1</TxnID></${ret}>`;
  };
  const answer = (rs: string, code = 0) =>
    `<${rs} requestID="1.0" statusCode="${code}" statusSeverity="${code ? 'Error' : 'Info'}" statusMessage="x">${code === 0 && /AddRs$/.test(rs) ? saved(rs) : ''}</${rs}>`;
  const message = (...answers: string[]) => ({ xml: `<QBXML><QBXMLMsgsRs>${answers.join('')}</QBXMLMsgsRs></QBXML>` });

  it('when invoices, a credit memo and payments were saved and one record refused, then the sentence counts each and the error, and names what waits', () => {
    let tally = tallyAnswer({}, message(answer('InvoiceAddRs'), answer('InvoiceAddRs'), answer('CreditMemoAddRs')));
    tally = tallyAnswer(tally, message(answer('ReceivePaymentAddRs'), answer('InvoiceAddRs', 3070), answer('CustomerQueryRs', 1)));
    // A name in use is renamed and sent again, an unsure status looked up: neither is an error of the session.
    tally = tallyAnswer(tally, message(answer('CustomerAddRs', 3100), answer('InvoiceAddRs', 3180)));
    expect(closingWords(tally, 0)).toBe(
      'Sent 2 invoices, 1 credit memo and 1 payment to QuickBooks; 1 error. The Process Log in Salesforce names each record and the fix.',
    );
    expect(closingWords({}, 3)).toBe('Nothing new for QuickBooks; 0 errors. 3 requests wait for the next run.');
    expect(closingWords(tallyAnswer({}, { refused: true }), 0)).toMatch(/^Nothing new for QuickBooks; 1 error\./);
  });
});
