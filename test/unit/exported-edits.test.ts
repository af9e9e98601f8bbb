// What an exported invoice held when it was sent, how it differs now, and what an export then does: pure decisions.
import { coversPayments, editStep, paidOn } from '../../service/src/export/edits/decide';
import { differenceWords, fingerprintDiff, invoiceFingerprint, keptFingerprint } from '../../service/src/export/edits/fingerprint';
import { keptPaymentFingerprint, paymentDiff, paymentFingerprint } from '../../service/src/export/edits/paymentFingerprint';
import type { SourceInvoice, SourcePayment } from '../../service/src/export/model';

const line = (id: string, n: number, quantity: number, unitPrice: number) => ({
  id,
  productId: `p${n}`,
  productName: `Widget ${n}`,
  productTargetId: null,
  lineNumber: n,
  quantity,
  unitPrice,
  description: null,
  taxable: false,
});

const invoice = (over: Partial<SourceInvoice> = {}): SourceInvoice => ({
  id: 'a03000000000001',
  number: 'SI-000001',
  customerId: 'c1',
  customerName: 'Ada Lovelace',
  customerTargetId: '58',
  date: '2026-10-01',
  dueDate: '2026-10-31',
  currency: 'USD',
  charges: { freight: 10, handling: null, packaging: null },
  discount: null,
  tax: 0,
  total: 50,
  memo: null,
  exportStatus: 'Exported',
  credit: false,
  lines: [line('l1', 1, 2, 10), line('l2', 2, 1, 20)],
  payments: [],
  ...over,
});

describe('an exported invoice’s fingerprint', () => {
  it('when nothing that was sent changed (a memo, a blank charge for a zero), then there is no difference', () => {
    const sent = invoiceFingerprint(invoice());
    const now = invoiceFingerprint(invoice({ memo: 'thanks', charges: { freight: 10, handling: 0, packaging: 0 } }));
    expect(fingerprintDiff(sent, now)).toEqual([]);
  });

  it('when a line’s quantity changes, then the difference names the line, with the Salesforce and QuickBooks values', () => {
    const sent = invoiceFingerprint(invoice());
    const now = invoiceFingerprint(invoice({ lines: [line('l1', 1, 3, 10), line('l2', 2, 1, 20)] }));
    expect(fingerprintDiff(sent, now)).toEqual([{ field: 'Line 1 quantity', salesforce: '3', quickBooks: '2' }]);
    expect(differenceWords(fingerprintDiff(sent, now))).toBe('Line 1 quantity: Salesforce 3, QuickBooks 2');
  });

  it('when the customer, the date, a charge and the lines change, then each field is named in the order an invoice reads', () => {
    const sent = invoiceFingerprint(invoice());
    const now = invoiceFingerprint(
      invoice({
        customerId: 'c2',
        customerName: 'Grace Hopper',
        date: '2026-10-02',
        charges: { freight: 12.5, handling: null, packaging: null },
        lines: [line('l2', 2, 1, 25), line('l3', 3, 4, 1)],
      }),
    );
    expect(fingerprintDiff(sent, now)).toEqual([
      { field: 'Customer', salesforce: 'Grace Hopper', quickBooks: 'Ada Lovelace' },
      { field: 'Invoice Date', salesforce: '2026-10-02', quickBooks: '2026-10-01' },
      { field: 'Freight', salesforce: '12.50', quickBooks: '10.00' },
      { field: 'Line 1 unit price', salesforce: '25.00', quickBooks: '20.00' },
      { field: 'Line 2', salesforce: 'Widget 3, 4 at 1.00', quickBooks: '(no such line)' },
      { field: 'Line 1', salesforce: '(deleted)', quickBooks: 'Widget 1, 2 at 10.00' },
    ]);
  });

  it('when it is kept in a journal entry, then it is read back as it was; a missing or foreign one is none', () => {
    const sent = invoiceFingerprint(invoice());
    expect(keptFingerprint(JSON.parse(JSON.stringify({ form: 'invoice', sent })))).toEqual(sent);
    expect(keptFingerprint({ form: 'invoice' })).toBeNull();
    expect(keptFingerprint({ sent: { lines: 'x' } })).toBeNull();
  });
});

describe('what an export does with an edited invoice', () => {
  it('when the company warns (its default), then it warns; when it updates, an invoice is updated but a credit memo only warned about', () => {
    expect(editStep(undefined, 'invoice', true)).toBe('warn');
    expect(editStep('warn', 'invoice', true)).toBe('warn');
    expect(editStep('update', 'invoice', true)).toBe('update');
    expect(editStep('update', 'creditMemo', true)).toBe('warn');
  });

  it('when the accounting system cannot change what it accepted (QuickBooks Desktop), then it is locked whatever the setting', () => {
    expect(editStep('update', 'invoice', false)).toBe('locked');
    expect(editStep('warn', 'invoice', false)).toBe('locked');
  });

  it('when payments are applied, then a new total is sent only if it still covers them', () => {
    expect(paidOn({ total: 110, balance: 30 })).toBe(80);
    expect(paidOn({ total: 110, balance: 110 })).toBe(0);
    expect(coversPayments(80, 80)).toBe(true);
    expect(coversPayments(79.99, 80)).toBe(false);
    expect(coversPayments(0.1 + 0.2, 0.3)).toBe(true);
  });
});

describe('an exported payment’s fingerprint', () => {
  const payment = (over: Partial<SourcePayment> = {}): SourcePayment => ({
    id: 'p1',
    name: 'PAY-0001',
    invoiceId: 'a03000000000001',
    invoiceNumber: 'SI-000001',
    invoiceTargetId: '130',
    customerId: 'c1',
    customerTargetId: '58',
    amount: 40,
    date: '2026-10-05',
    paidAt: null,
    method: 'Check',
    reference: 'CHK-1',
    ...over,
  });

  it('when its amount and reference change, then both are named with their Salesforce and QuickBooks values; its invoice’s link is not its own', () => {
    const sent = paymentFingerprint(payment());
    expect(paymentDiff(sent, paymentFingerprint(payment({ invoiceTargetId: '131' })))).toEqual([]);
    expect(paymentDiff(sent, paymentFingerprint(payment({ amount: 45.5, reference: ' CHK-2 ' })))).toEqual([
      { field: 'Amount', salesforce: '45.50', quickBooks: '40.00' },
      { field: 'Reference', salesforce: 'CHK-2', quickBooks: 'CHK-1' },
    ]);
    expect(keptPaymentFingerprint(JSON.parse(JSON.stringify(sent)))).toEqual(sent);
    expect(keptPaymentFingerprint(undefined)).toBeNull();
  });
});
