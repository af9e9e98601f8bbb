// Payments, credit memos and sales receipts through the pipeline, over in-memory ports.
import type { SourcePayment } from '../../service/src/export/model';
import { Harness } from '../support/fakes';
import { companyModel, sourceCustomer, sourceInvoice, sourceLine, sourceProduct } from '../support/model';

const invoiceId = 'a03000000000001AAA';

function harness(over: Parameters<typeof companyModel>[0] = {}): Harness {
  const h = new Harness();
  h.source.company = companyModel({ exportsPayments: true, depositAccount: '35', paymentMethod: '2', ...over });
  h.source.customers = [sourceCustomer()];
  h.source.products = [sourceProduct()];
  // 4 x 25.00 = 100.00
  h.source.invoices = [sourceInvoice({ id: invoiceId, total: 100, lines: [sourceLine({ quantity: 4, unitPrice: 25 })] })];
  return h;
}

function payment(n: number, over: Partial<SourcePayment> = {}): SourcePayment {
  return {
    id: `a05000000000${String(n).padStart(3, '0')}AAA`,
    name: `PAY-${n}`,
    invoiceId,
    invoiceNumber: 'SI-000001',
    invoiceTargetId: null,
    customerId: 'a01000000000001AAA',
    customerTargetId: null,
    amount: 25,
    date: '2026-10-02',
    paidAt: null,
    method: 'Card',
    reference: `TXN-${n}`,
    ...over,
  };
}

const payments = (h: Harness) => h.target.ofKind('payment').map((p) => p.doc as any);

describe('payments', () => {
  it('when an invoice is paid $25 and then $75, then two payments link to it, each with its reference, and its balance is zero', async () => {
    const h = harness();
    h.source.payments = [payment(1, { amount: 25 }), payment(2, { amount: 75, reference: 'TXN-2' })];
    const { outcome, applied } = await h.run();
    expect(outcome.status).toBe('succeeded');
    const [inv] = h.target.ofKind('invoice');
    expect(payments(h).map((p) => [p.amount, p.reference, p.links])).toEqual([
      [25, 'TXN-1', [{ txnId: inv!.id, form: 'invoice', amount: 25 }]],
      [75, 'TXN-2', [{ txnId: inv!.id, form: 'invoice', amount: 75 }]],
    ]);
    expect(payments(h)[0]).toMatchObject({ depositAccount: '35', paymentMethod: '2', txnDate: '2026-10-02', customerId: h.target.ofKind('customer')[0]!.id });
    expect(h.target.balanceOf(inv!.id)).toBe(0);
    const held = h.target.ofKind('payment');
    expect(applied.get(payment(1).id)).toEqual({ kind: 'payment', subject: { id: payment(1).id, name: 'PAY-1' }, targetId: held[0]!.id });
  });

  it('when the export runs again, then no payment is sent twice (the journal, then the reference, know them)', async () => {
    const h = harness();
    h.source.payments = [payment(1), payment(2)];
    await h.run();
    const again = await h.run();
    expect(again.outcome.status).toBe('succeeded');
    expect(payments(h)).toHaveLength(2);
    // Without the journal (another store), the reference on this customer's payment of this invoice still finds them.
    h.journal.rows.clear();
    const third = await h.run();
    expect(payments(h)).toHaveLength(2);
    expect(third.entries.filter((e) => e.recordType === 'Payment' && e.outcome === 'Matched')).toHaveLength(2);
  });

  it('when another customer’s payment in QuickBooks has the same reference, then it is not mistaken for this one', async () => {
    const h = harness();
    h.target.created.push({
      kind: 'payment',
      id: '9001',
      doc: { sourceId: 'x', customerId: '999', amount: 25, privateNote: '', reference: 'TXN-1', links: [{ txnId: '8001', form: 'invoice', amount: 25 }] },
    });
    h.source.payments = [payment(1)];
    await h.run();
    expect(payments(h).map((p) => [p.customerId, p.reference])).toEqual([
      ['999', 'TXN-1'],
      [h.target.ofKind('customer')[0]!.id, 'TXN-1'],
    ]);
  });

  it('when a payment is larger than what is open, or the invoice is paid already, then it is an entry with the amounts and the fix — not a failed batch', async () => {
    const h = harness();
    h.source.payments = [payment(1, { amount: 80 }), payment(2, { amount: 30 }), payment(3, { amount: 20 }), payment(4, { amount: 5 })];
    const { outcome, entries } = await h.run();
    expect(outcome.status).toBe('completed_with_errors');
    expect(payments(h).map((p) => p.amount)).toEqual([80, 20]);
    expect(entries.find((e) => e.recordName === 'PAY-2')).toMatchObject({
      level: 'ERROR',
      message: 'Payment PAY-2 (TXN-2) on invoice SI-000001 was not exported: it is 30.00 but invoice SI-000001 has only 20.00 open in QuickBooks.',
    });
    expect(entries.find((e) => e.recordName === 'PAY-4')!.message).toBe(
      'Payment PAY-4 (TXN-4) on invoice SI-000001 was not exported: invoice SI-000001 has a 0.00 balance in QuickBooks, so QuickBooks cannot take a payment of 5.00 on it.',
    );
  });

  it('when an invoice was exported by an earlier run, then its payment goes on it, by its QuickBooks balance', async () => {
    const h = harness();
    await h.run();
    const [inv] = h.target.ofKind('invoice');
    h.source.invoices = [];
    h.source.payments = [payment(1, { invoiceTargetId: inv!.id, customerTargetId: h.target.ofKind('customer')[0]!.id, amount: 100 })];
    const { outcome } = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(payments(h)[0].links).toEqual([{ txnId: inv!.id, form: 'invoice', amount: 100 }]);
  });

  it('when a reference is longer than QuickBooks keeps, then the payment is refused before sending', async () => {
    const h = harness();
    h.source.payments = [payment(1, { reference: 'ch_3Q8WxYZ2eZvKYlo2C0abcdefg' })];
    const { entries } = await h.run();
    expect(payments(h)).toEqual([]);
    expect(entries.find((e) => e.recordName === 'PAY-1')!.fix).toContain('at most 21 characters');
  });

  it('when the company exports invoices only, then payments are left alone', async () => {
    const h = harness({ exportsPayments: false });
    h.source.payments = [payment(1)];
    await h.run();
    expect(payments(h)).toEqual([]);
  });
});

/** A credit memo of 40.00 that names the invoice, and its application as the source reads it (no customer id in it). */
function creditFor(h: Harness) {
  const credit = sourceInvoice({
    id: 'a03000000000002AAA',
    number: 'SI-000002',
    credit: true,
    total: -40,
    lines: [sourceLine({ quantity: -2, unitPrice: 20 })],
  });
  h.source.invoices.push(credit);
  h.source.applications = [
    {
      id: credit.id,
      number: 'SI-000002',
      creditTargetId: null,
      customerId: 'a01000000000001AAA',
      customerTargetId: null,
      total: -40,
      invoiceId,
      invoiceNumber: 'SI-000001',
      invoiceCustomerId: 'a01000000000001AAA',
      invoiceTargetId: null,
    },
  ];
  return credit;
}

describe('credit memos and sales receipts', () => {
  it('when a Sales Invoice is a credit (negative total), then it becomes a credit memo with positive amounts, applied to the invoice it names', async () => {
    const h = harness();
    const credit = creditFor(h);
    const { outcome, applied } = await h.run();
    expect(outcome.status).toBe('succeeded');
    const docs = h.target.ofKind('invoice').map((c) => [(c.doc as any).form, c.id, (c.doc as any).lines.map((l: any) => [l.quantity, l.unitPrice, l.amount])]);
    const inv = docs.find((d) => d[0] === 'invoice')!;
    const memo = docs.find((d) => d[0] === 'creditMemo')!;
    expect(memo[2]).toEqual([[2, 20, 40]]);
    expect(payments(h)).toEqual([
      expect.objectContaining({
        amount: 0,
        links: [
          { txnId: inv[1], form: 'invoice', amount: 40 },
          { txnId: memo[1], form: 'creditMemo', amount: 40 },
        ],
      }),
    ]);
    expect(h.target.balanceOf(inv[1] as string)).toBe(60);
    expect(applied.get(credit.id)).toMatchObject({ kind: 'creditApplied', targetId: h.target.ofKind('payment')[0]!.id });
  });

  it('when a credit memo was saved but its answer lost, then the next run finds it by its marker and applies it with its customer', async () => {
    const h = harness();
    const credit = creditFor(h);
    h.target.failCall = { kind: 'invoice', n: 1, fault: { class: 'transient', message: 'socket hang up' }, afterCommit: true };
    expect((await h.run()).outcome.status).toBe('failed');
    h.target.failCall = null;
    const { outcome, applied } = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(h.target.ofKind('invoice')).toHaveLength(2);
    const memo = h.target.ofKind('invoice').find((c) => (c.doc as any).form === 'creditMemo')!;
    expect(payments(h)).toEqual([expect.objectContaining({ amount: 0, customerId: (memo.doc as any).customerId })]);
    expect(applied.get(credit.id)).toMatchObject({ kind: 'creditApplied' });
  });

  it('when sales receipts are on, then an invoice paid in full on its day is one sales receipt, and its payment is not sent again', async () => {
    const h = harness({ salesReceipts: true });
    h.source.invoices[0] = {
      ...h.source.invoices[0]!,
      payments: [{ id: payment(1).id, amount: 100, date: null, paidAt: '2026-10-01T07:30:00Z', reference: 'TXN-1' }],
    };
    h.source.payments = [payment(1, { amount: 100 })];
    const { outcome, applied } = await h.run();
    expect(outcome.status).toBe('succeeded');
    const [receipt] = h.target.ofKind('invoice');
    expect(receipt!.doc).toMatchObject({ form: 'salesReceipt', receipt: { reference: 'TXN-1', depositAccount: '35', paymentMethod: '2' } });
    expect(payments(h)).toEqual([]);
    expect(applied.get(payment(1).id)).toMatchObject({ kind: 'payment', targetId: receipt!.id });
  });

  it('when the payment was taken the next local day, then it is an invoice and a payment, dated in the company’s zone', async () => {
    const h = harness({ salesReceipts: true, timeZone: 'America/Los_Angeles' });
    // 2026-10-02 07:30 UTC is 00:30 on 2 October in Los Angeles: not the invoice's day (1 October).
    h.source.invoices[0] = {
      ...h.source.invoices[0]!,
      payments: [{ id: payment(1).id, amount: 100, date: null, paidAt: '2026-10-02T07:30:00Z', reference: 'TXN-1' }],
    };
    h.source.payments = [payment(1, { amount: 100, date: null, paidAt: '2026-10-02T07:30:00Z' })];
    await h.run();
    expect(h.target.ofKind('invoice')[0]!.doc).toMatchObject({ form: 'invoice' });
    expect(payments(h)[0].txnDate).toBe('2026-10-02');
  });
});

describe('unknown products', () => {
  it('when the company uses a fallback item, then a line without item goes on it with an entry naming the line; by default the invoice fails', async () => {
    const noItem = [sourceLine({ productId: null, productName: 'Gift wrap', lineNumber: 1 })];
    const fails = harness();
    fails.source.invoices = [sourceInvoice({ lines: noItem })];
    const refused = await fails.run();
    expect(refused.entries.find((e) => e.recordId === invoiceId)).toMatchObject({
      level: 'ERROR',
      message: expect.stringContaining('line 1 (Gift wrap) has no QuickBooks item'),
    });
    const falls = harness({ unknownProducts: 'fallback', fallbackItem: '999' });
    falls.source.invoices = [sourceInvoice({ lines: noItem })];
    const { entries } = await falls.run();
    expect((falls.target.ofKind('invoice')[0]!.doc as any).lines[0].itemId).toBe('999');
    expect(entries.find((e) => e.recordId === invoiceId && e.outcome === 'Warning')!.message).toContain(
      'line 1 (Gift wrap) has no QuickBooks item, so it goes on the fallback item 999',
    );
  });
});

describe('a target that declares what it does not create', () => {
  it('when payments, credit memos and sales receipts are not supported, then the dry run plans them as "not supported by" the system, and a real run sends none of them', async () => {
    const build = () => {
      const h = harness({ salesReceipts: true });
      h.target.unsupported = new Set(['payment', 'creditMemo', 'salesReceipt', 'creditApplication']);
      h.source.invoices[0] = {
        ...h.source.invoices[0]!,
        payments: [{ id: payment(1).id, amount: 100, date: null, paidAt: '2026-10-01T07:30:00Z', reference: 'TXN-1' }],
      };
      h.source.invoices.push(
        sourceInvoice({ id: 'a03000000000002AAA', number: 'SI-000002', credit: true, total: -40, lines: [sourceLine({ quantity: -2, unitPrice: 20 })] }),
      );
      h.source.payments = [payment(1, { amount: 100 })];
      return h;
    };
    const dry = build();
    const { run } = await dry.run({ dryRun: true });
    const decision = (recordId: string) => run.plan.decisions.find((d) => d.recordId === recordId);
    expect(decision('a03000000000002AAA')).toMatchObject({
      action: 'skip',
      message: 'Invoice SI-000002 was not exported: credit memos are not supported by QuickBooks Online.',
    });
    expect(decision(payment(1).id)).toMatchObject({ action: 'skip', message: expect.stringContaining('payments are not supported by') });
    // The sale paid at the till goes as an invoice (its payment then waits as a payment would).
    expect(decision(invoiceId)).toMatchObject({ action: 'create' });
    expect(run.plan.totals.invoices).toMatchObject({ create: 1, fail: 1 });

    const real = build();
    const { outcome, applied } = await real.run();
    expect(outcome.status).toBe('succeeded');
    expect(real.target.ofKind('invoice').map((c) => (c.doc as any).form)).toEqual(['invoice']);
    expect(payments(real)).toEqual([]);
    expect(applied.get('a03000000000002AAA')).toMatchObject({ kind: 'invoiceFailed', message: expect.stringContaining('not supported') });
  });
});
