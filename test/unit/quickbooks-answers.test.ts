// QuickBooks answers read with zod at the adapter's edge: fields Intuit adds are accepted, a record without a usable
// id is never one.
import { toCreated, toTargetCustomer } from '../../service/src/quickbooks/online/mapping';
import { QboFault, parseFault } from '../../service/src/quickbooks/online/errors';
import { UNREADABLE_STATUS } from '../../service/src/quickbooks/desktop/answers';
import { UNSURE } from '../../service/src/quickbooks/desktop/faults';
import { parseResponse } from '../../service/src/quickbooks/desktop/qbxml';

const qbxml = (rs: string) => `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>${rs}</QBXMLMsgsRs></QBXML>`;

describe('QuickBooks Online answers', () => {
  it('when a record carries fields Ledgerline does not know, then it is read as usual', () => {
    const created = toCreated({ Id: '130', DocNumber: 'SI-1', TotalAmt: 12.5, domain: 'QBO', NewField2026: { anything: true }, MetaData: {} });
    expect(created).toMatchObject({ id: '130', number: 'SI-1', total: 12.5 });
    expect(toTargetCustomer({ Id: 7, DisplayName: 'Ada', PrimaryEmailAddr: { Address: 'a@b.c', Verified: true } })).toMatchObject({ id: '7', email: 'a@b.c' });
  });

  it.each([
    ['a record without an Id', { DocNumber: 'SI-1' }],
    ['a record with an empty Id', { Id: ' ' }],
    ['a record whose total is not a number', { Id: '5', TotalAmt: 'twelve' }],
    ['no record at all', undefined],
  ])('when a create is answered with %s, then it is an unreadable answer (a system fault, never id "undefined")', (_what, entity) => {
    const err = (() => {
      try {
        toCreated(entity);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(QboFault);
    expect(err).toMatchObject({ kind: 'system', code: 'UNREADABLE_ANSWER' });
  });

  it('when a fault body comes as JSON, gateway JSON or XML with numbers, then each reads to its code and message', () => {
    expect(
      parseFault(400, '{"Fault":{"Error":[{"Message":"Duplicate","Detail":"d","code":"6240","element":""}],"type":"ValidationFault"}}', null),
    ).toMatchObject({
      kind: 'validation',
      code: '6240',
    });
    expect(
      parseFault(401, '{"fault":{"error":[{"message":"m","detail":"Token expired: abc","code":"3200","element":null}],"type":"AUTHENTICATION"}}', null),
    ).toMatchObject({
      kind: 'unauthorized',
      code: '3200',
    });
    const xml = '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>Throttle</Message><Detail>42</Detail></Error></Fault></IntuitResponse>';
    expect(parseFault(429, xml, null)).toMatchObject({ kind: 'throttled', code: '3001', errors: [{ detail: '42' }] });
  });
});

describe('QuickBooks Desktop answers', () => {
  it('when an add is answered Status OK without its TxnID, then its status reads as unreadable, one to look up', () => {
    const [answer] = parseResponse(
      qbxml(
        '<InvoiceAddRs requestID="1.0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><InvoiceRet><RefNumber>SI-1</RefNumber></InvoiceRet></InvoiceAddRs>',
      ),
    );
    expect(answer).toMatchObject({ statusCode: UNREADABLE_STATUS, statusMessage: expect.stringContaining('InvoiceRet without its TxnID') });
    expect(UNSURE.has(answer!.statusCode)).toBe(true);
  });

  it('when an add is answered with its record and elements Ledgerline does not know, then it is read as usual', () => {
    const [answer] = parseResponse(
      qbxml(
        '<CustomerAddRs requestID="1.0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CustomerRet><ListID>80000001-1</ListID><Name>Ada</Name><NewElement>x</NewElement></CustomerRet></CustomerAddRs>',
      ),
    );
    expect(answer).toMatchObject({ statusCode: 0, rets: [{ type: 'CustomerRet', value: { ListID: '80000001-1' } }] });
  });

  it('when an answer has no status code, then it is not taken for a success', () => {
    const [answer] = parseResponse(qbxml('<CustomerAddRs requestID="1.0"><CustomerRet><ListID>80000001-1</ListID></CustomerRet></CustomerAddRs>'));
    expect(answer!.statusCode).toBe(UNREADABLE_STATUS);
  });
});
