// The status sync's pure decisions: paid status, the fields a Sales Invoice should show, what changes, where a
// payment came from, the Payment__c records a QuickBooks payment needs, what a sync reads, and when its gathered writes go.
import {
  documentStatus,
  paidStatus,
  paymentOrigin,
  paymentWrites,
  readPlan,
  statusChanges,
  OVERLAP_MS,
  WINDOW_MARGIN_MS,
} from '../../service/src/status/decide';
import { dueCount } from '../../service/src/status/gather';
import { CDC_WINDOW_MS, parseCdcAnswer, toChangedDocument, toChangedPayment } from '../../service/src/quickbooks/online/changes';
import { QboFault } from '../../service/src/quickbooks/online/errors';

const doc = (total: number | null, balance: number | null, extra: Partial<{ voided: boolean; deleted: boolean }> = {}) => ({
  total,
  balance,
  voided: false,
  deleted: false,
  ...extra,
});

describe('paid status', () => {
  it.each([
    [doc(100, 100), 'Open'],
    [doc(100, 40), 'Partially Paid'],
    [doc(100, 0), 'Paid'],
    [doc(100, 0.004), 'Paid'],
    [doc(0, 0), 'Paid'],
    [doc(0, 0, { voided: true }), 'Voided'],
    [doc(null, null, { deleted: true }), 'Deleted in QuickBooks'],
  ])('when the document is %j, then it is %s', (d, status) => {
    expect(paidStatus(d)).toBe(status);
  });
});

describe('the status fields of a Sales Invoice', () => {
  const shown = { lastPaymentDate: '2026-01-05' };

  it('when payments are known, then the last payment date is the latest of them (zero-amount credit applications do not count)', () => {
    const status = documentStatus(
      doc(100, 0),
      [
        { date: '2026-03-01', amount: 40 },
        { date: '2026-03-09', amount: 60 },
        { date: '2026-04-01', amount: 0 },
      ],
      shown,
    );
    expect(status).toEqual({ balance: 0, total: 100, paidStatus: 'Paid', lastPaymentDate: '2026-03-09' });
  });

  it('when something is paid but no payment is known (paid before anything was synced), then the date shown is kept', () => {
    expect(documentStatus(doc(100, 50), [], shown).lastPaymentDate).toBe('2026-01-05');
  });

  it('when nothing is paid or the invoice is voided, then there is no last payment date', () => {
    expect(documentStatus(doc(100, 100), [{ date: '2026-03-01', amount: 10 }], shown).lastPaymentDate).toBeNull();
    expect(documentStatus(doc(0, 0, { voided: true }), [], shown)).toEqual({ balance: 0, total: 0, paidStatus: 'Voided', lastPaymentDate: null });
  });

  it('when the invoice was deleted in QuickBooks, then balance and total are blank and the date shown is kept', () => {
    expect(documentStatus(doc(null, null, { deleted: true }), [], shown)).toEqual({
      balance: null,
      total: null,
      paidStatus: 'Deleted in QuickBooks',
      lastPaymentDate: '2026-01-05',
    });
  });

  it('when only some fields differ, then only those change; nothing differs, then nothing is written', () => {
    const current = { id: 'a', name: 'SI-1', targetId: '7', balance: 100, paidStatus: 'Open', lastPaymentDate: null, total: 100 };
    expect(statusChanges(current, { balance: 100.001, total: 100, paidStatus: 'Open', lastPaymentDate: null })).toBeNull();
    expect(statusChanges(current, { balance: 0, total: 100, paidStatus: 'Paid', lastPaymentDate: '2026-03-09' })).toEqual({
      balance: 0,
      paidStatus: 'Paid',
      lastPaymentDate: '2026-03-09',
    });
    expect(statusChanges({ ...current, balance: null }, { balance: 0, total: 100, paidStatus: 'Open', lastPaymentDate: null })).toEqual({ balance: 0 });
  });
});

describe('payments', () => {
  it('when a payment carries the export marker or Salesforce exported it, then it came from Salesforce; otherwise from QuickBooks', () => {
    expect(paymentOrigin({ qboId: '9', sourceId: 'a0P000000000001AAA' }, new Set())).toBe('salesforce');
    expect(paymentOrigin({ qboId: '9', sourceId: null }, new Set(['9']))).toBe('salesforce');
    expect(paymentOrigin({ qboId: '9', sourceId: null }, new Set(['8']))).toBe('quickbooks');
  });

  const sourceOf = (id: string) => ({ '10': 'INV-A', '11': 'INV-B' })[id];
  const payment = {
    qboId: '57',
    deleted: false,
    txnDate: '2026-03-09',
    reference: 'CHK-1',
    links: [
      { documentId: '10', kind: 'invoice' as const, amount: 60 },
      { documentId: '11', kind: 'invoice' as const, amount: 40 },
      { documentId: '12', kind: 'invoice' as const, amount: 5 },
      { documentId: '30', kind: 'creditMemo' as const, amount: 5 },
    ],
  };
  const held = (documentId: string, amount: number, id = `P-${documentId}`) => ({
    id,
    documentId,
    targetId: '57',
    amount,
    date: '2026-03-09',
    reference: 'CHK-1',
  });

  it('when a payment received in QuickBooks pays two Salesforce invoices, then one Payment__c each is created (other invoices and credits are not ours)', () => {
    expect(paymentWrites(payment, sourceOf, [])).toEqual({
      create: [
        { documentId: 'INV-A', targetId: '57', amount: 60, date: '2026-03-09', reference: 'CHK-1' },
        { documentId: 'INV-B', targetId: '57', amount: 40, date: '2026-03-09', reference: 'CHK-1' },
      ],
      update: [],
      remove: [],
    });
  });

  it('when Salesforce holds them already, then nothing is created again; a changed amount is updated; a second copy is removed', () => {
    expect(paymentWrites(payment, sourceOf, [held('INV-A', 60), held('INV-B', 40)])).toEqual({ create: [], update: [], remove: [] });
    const writes = paymentWrites(payment, sourceOf, [held('INV-A', 50), held('INV-A', 60, 'P-copy'), held('INV-B', 40)]);
    expect(writes.create).toEqual([]);
    expect(writes.update).toEqual([{ ...held('INV-A', 50), amount: 60 }]);
    expect(writes.remove).toEqual([held('INV-A', 60, 'P-copy')]);
  });

  it('when the payment was deleted in QuickBooks, then its Payment__c records are removed', () => {
    expect(paymentWrites({ ...payment, deleted: true }, sourceOf, [held('INV-A', 60)])).toEqual({ create: [], update: [], remove: [held('INV-A', 60)] });
  });
});

describe('what a sync reads', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('when the last sync ended recently, then the changes since then (less a minute) are asked for', () => {
    expect(readPlan(ago(15 * 60_000), null, now, CDC_WINDOW_MS)).toEqual({ mode: 'changes', since: ago(15 * 60_000 + OVERLAP_MS) });
  });

  it('when the company never synced, then from its first export here, or the window when it has not exported', () => {
    expect(readPlan(null, ago(3 * 86_400_000), now, CDC_WINDOW_MS)).toEqual({ mode: 'changes', since: ago(3 * 86_400_000 + OVERLAP_MS) });
    expect(readPlan(null, null, now, CDC_WINDOW_MS)).toEqual({ mode: 'changes', since: ago(CDC_WINDOW_MS - WINDOW_MARGIN_MS) });
  });

  it('when what is needed is older than QuickBooks keeps changes, then everything is read', () => {
    expect(readPlan(ago(40 * 86_400_000), null, now, CDC_WINDOW_MS)).toEqual({ mode: 'everything' });
    expect(readPlan(null, ago(31 * 86_400_000), now, CDC_WINDOW_MS)).toEqual({ mode: 'everything' });
  });
});

describe('the Change Data Capture answer', () => {
  it('when QuickBooks answers as recorded, then invoices, voids, deletions and payments map to the sync’s shapes', () => {
    const answer = parseCdcAnswer({
      CDCResponse: [
        {
          QueryResponse: [
            {
              Invoice: [
                {
                  Id: '71',
                  MetaData: { LastUpdatedTime: '2026-11-20T10:00:00-08:00' },
                  DocNumber: 'NW-SI-1',
                  TotalAmt: 100,
                  Balance: 40,
                  PrivateNote: '[ledgerline:a0B000000000001AAA]',
                  CustomerRef: { value: '5' },
                },
                {
                  Id: '72',
                  MetaData: { LastUpdatedTime: '2026-11-20T10:00:01-08:00' },
                  TotalAmt: 0,
                  Balance: 0,
                  PrivateNote: 'Voided [ledgerline:a0B000000000002AAA]',
                },
                { status: 'Deleted', domain: 'QBO', Id: '73', MetaData: { LastUpdatedTime: '2026-11-20T10:00:02-08:00' } },
              ],
              startPosition: 1,
              maxResults: 3,
              SomethingNew: true,
            },
            {
              Payment: [
                {
                  Id: '74',
                  MetaData: { LastUpdatedTime: '2026-11-20T10:00:03-08:00' },
                  TxnDate: '2026-11-20',
                  TotalAmt: 60,
                  PaymentRefNum: 'CHK-9',
                  Line: [{ Amount: 60, LinkedTxn: [{ TxnId: '71', TxnType: 'Invoice' }] }],
                },
              ],
            },
            {},
          ],
        },
      ],
      time: '2026-11-20T10:00:04.123-08:00',
    });
    const [invoices, payments] = answer.CDCResponse[0]!.QueryResponse;
    const [open, voided, deleted] = invoices!.Invoice!.map((row) => toChangedDocument('Invoice', row as never));
    expect(open).toMatchObject({
      qboId: '71',
      kind: 'invoice',
      number: 'NW-SI-1',
      total: 100,
      balance: 40,
      voided: false,
      deleted: false,
      sourceId: 'a0B000000000001AAA',
      customerId: '5',
    });
    expect(voided).toMatchObject({ qboId: '72', voided: true, sourceId: 'a0B000000000002AAA' });
    expect(deleted).toMatchObject({ qboId: '73', deleted: true, total: null, qboUpdatedAt: new Date('2026-11-20T18:00:02Z') });
    expect(toChangedPayment(payments!.Payment![0] as never)).toMatchObject({
      qboId: '74',
      total: 60,
      txnDate: '2026-11-20',
      reference: 'CHK-9',
      links: [{ documentId: '71', kind: 'invoice', amount: 60 }],
    });
  });

  it('when QuickBooks answers with a Fault or a shape Ledgerline cannot read, then it is a QuickBooks fault naming it', () => {
    expect(() => parseCdcAnswer({ Fault: { Error: [{ Message: 'm', Detail: 'entities is required', code: '10000' }], type: 'SystemFault' } })).toThrow(
      QboFault,
    );
    expect(() => parseCdcAnswer({ CDCResponse: [] })).toThrow(/Change Data Capture\) in a shape Ledgerline cannot read/);
    expect(() => parseCdcAnswer({ CDCResponse: [{ QueryResponse: [{ Invoice: [{ Id: '7' }] }] }] })).toThrow(QboFault);
    expect(() => parseCdcAnswer({ CDCResponse: [{ QueryResponse: [{ Invoice: [{ Id: '', MetaData: { LastUpdatedTime: 'x' } }] }] }], time: 'x' })).toThrow(
      QboFault,
    );
  });
});

describe('when a status sync decides which gathered writes go now', () => {
  const batching = { threshold: 2000, chunk: 10_000 };
  const ones = (n: number) => Array.from({ length: n }, () => 1);

  it('when less than a chunk and the threshold wait, then nothing goes until the end, where everything goes', () => {
    expect(dueCount(ones(11_999), batching, false)).toBe(0);
    expect(dueCount(ones(11_999), batching, true)).toBe(11_999);
    expect(dueCount(ones(37), batching, true)).toBe(37);
  });

  it('when a chunk and the threshold wait, then the first whole writes reaching a chunk go', () => {
    expect(dueCount(ones(12_000), batching, false)).toBe(10_000);
    // A payment that pays three invoices is three records and is never split.
    expect(dueCount([...ones(9_999), 3, ...ones(2_000)], batching, false)).toBe(10_000);
  });

  it('when the source sets no batching, then every write goes at once (a page at a time)', () => {
    expect(dueCount(ones(12), undefined, false)).toBe(12);
    expect(dueCount([], undefined, true)).toBe(0);
  });
});
