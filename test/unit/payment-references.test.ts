// A payment's reference: which QuickBooks payment is this payment, and which reference a reused one is sent under.
import type { SourcePayment } from '../../service/src/export/model';
import { chooseReference, isFormOf, type PaymentFacts, type ReferenceContext } from '../../service/src/export/plan/paymentReferences';
import { decidePayment } from '../../service/src/export/plan/payments';
import type { HeldPayment } from '../../service/src/export/target';
import { Harness } from '../support/fakes';
import { companyModel, limits, sourceCustomer, sourceInvoice, sourceLine, sourceProduct } from '../support/model';

const mine: PaymentFacts = { id: 'a05000000000002AAA', reference: 'BANK-7731', cents: 7500, day: '2026-11-04', customerId: '58', invoiceId: '143' };

function held(over: Partial<HeldPayment> = {}): HeldPayment {
  return { id: '201', reference: 'BANK-7731', customerId: '58', amount: 25, date: '2026-11-03', sourceId: null, links: ['143'], ...over };
}

const ctx = (over: Partial<ReferenceContext> = {}): ReferenceContext => ({ held: [], claimed: new Map(), planned: [], maxLength: 21, ...over });

describe('a payment’s reference', () => {
  it('when QuickBooks holds a payment of the reference on the invoice for the same amount and day, owned by nobody, then it is this payment', () => {
    expect(chooseReference(mine, ctx({ held: [held({ amount: 75, date: '2026-11-04' })] }))).toEqual({ kind: 'match', targetId: '201' });
  });

  it('when the held payment has another amount, then this payment goes under the numbered reference, naming the other', () => {
    expect(chooseReference(mine, ctx({ held: [held()] }))).toEqual({
      kind: 'send',
      reference: 'BANK-7731-2',
      reusedFrom: { reference: 'BANK-7731', targetId: '201', cents: 2500, day: '2026-11-03', owner: undefined },
    });
  });

  it('when the held payment fits but another Salesforce payment owns it (its marker, or a link this run made), then it is not taken', () => {
    const twin = held({ amount: 75, date: '2026-11-04', sourceId: 'a05000000000001AAA' });
    expect(chooseReference(mine, ctx({ held: [twin] }))).toMatchObject({
      kind: 'send',
      reference: 'BANK-7731-2',
      reusedFrom: { owner: 'Salesforce payment a05000000000001AAA' },
    });
    const entered = held({ amount: 75, date: '2026-11-04' });
    expect(chooseReference(mine, ctx({ held: [entered], claimed: new Map([['201', 'Salesforce payment PAY-1']]) }))).toMatchObject({
      kind: 'send',
      reference: 'BANK-7731-2',
      reusedFrom: { owner: 'Salesforce payment PAY-1' },
    });
  });

  it('when the held payment is on another day, then it is not this payment', () => {
    expect(chooseReference(mine, ctx({ held: [held({ amount: 75, date: '2026-11-05' })] }))).toMatchObject({ kind: 'send', reference: 'BANK-7731-2' });
  });

  it('when the numbered forms 2 and 3 are taken, then the next payment is 4, and a later run finds it again by its marker', () => {
    const taken = [held(), held({ id: '202', reference: 'BANK-7731-2', sourceId: 'x' }), held({ id: '203', reference: 'BANK-7731-3', sourceId: 'y' })];
    expect(chooseReference(mine, ctx({ held: taken }))).toMatchObject({ kind: 'send', reference: 'BANK-7731-4' });
    const sent = held({ id: '204', reference: 'BANK-7731-4', amount: 75, sourceId: mine.id });
    expect(chooseReference(mine, ctx({ held: [...taken, sent] }))).toEqual({ kind: 'match', targetId: '204' });
  });

  it('when another payment of this run sends the reference on the same invoice, then this one is numbered', () => {
    const planned = [{ reference: 'BANK-7731', owner: 'Salesforce payment PAY-1', cents: 2500, day: '2026-11-03' }];
    expect(chooseReference(mine, ctx({ planned }))).toMatchObject({
      kind: 'send',
      reference: 'BANK-7731-2',
      reusedFrom: { owner: 'Salesforce payment PAY-1' },
    });
  });

  it('when the reference is another customer’s or another invoice’s, then it is sent as it is', () => {
    expect(chooseReference(mine, ctx({ held: [held({ customerId: '99' }), held({ id: '202', links: ['777'] })] }))).toEqual({
      kind: 'send',
      reference: 'BANK-7731',
    });
  });

  it('numbered forms are the reference, a dash and a number from 2', () => {
    expect(['BANK-7731', 'BANK-7731-2', 'BANK-7731-12', 'BANK-7731-1', 'BANK-7731-x', 'BANK-77312', 'BANK'].map((r) => isFormOf(r, 'BANK-7731'))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('a payment whose reference another payment of the invoice has', () => {
  const payment: SourcePayment = {
    id: mine.id,
    name: 'PAY-2',
    invoiceId: 'a03000000000001AAA',
    invoiceNumber: 'SI-000001',
    invoiceTargetId: '143',
    customerId: null,
    customerTargetId: '58',
    amount: 75,
    date: '2026-11-04',
    paidAt: null,
    method: null,
    reference: 'BANK-7731',
  };
  const context = { company: companyModel(), limits, invoiceTargetId: '143', customerTargetId: '58', openCents: 7500 };

  it('when the numbered form fits, then it is created under it, with the words naming both payments', () => {
    const d = decidePayment(payment, { ...context, sameReference: [held({ sourceId: 'a05000000000001AAA' })] });
    expect(d).toMatchObject({
      kind: 'create',
      doc: { reference: 'BANK-7731-2', amount: 75 },
      reused: {
        reference: 'BANK-7731',
        sentAs: 'BANK-7731-2',
        invoiceNumber: 'SI-000001',
        other: 'QuickBooks payment 201 (25.00 on 2026-11-03, Salesforce payment a05000000000001AAA)',
      },
    });
  });

  it('when the numbered form is longer than QuickBooks keeps, then it is refused naming both payments and the fix', () => {
    const long = 'TR-00000000000000007';
    const d = decidePayment({ ...payment, reference: long }, { ...context, sameReference: [held({ reference: long })] });
    expect(d).toEqual({
      kind: 'fail',
      message: `Payment PAY-2 (${long}) on invoice SI-000001 was not exported: QuickBooks payment 201 (25.00 on 2026-11-03) has the same reference, and the numbered form ${long}-2 that would tell them apart is longer than the 21 characters QuickBooks keeps.`,
      fix: "Give payment PAY-2 its own Reference (the bank's transaction id for this payment, at most 18 characters), then export again.",
    });
  });
});

describe('payments of one run that share a reference', () => {
  it('when two payments of one invoice have one reference, then each is a QuickBooks payment of its own, and a run without the journal finds both again', async () => {
    const h = new Harness();
    h.source.company = companyModel({ exportsPayments: true, depositAccount: '35' });
    h.source.customers = [sourceCustomer()];
    h.source.products = [sourceProduct()];
    h.source.invoices = [sourceInvoice({ id: 'a03000000000001AAA', total: 100, lines: [sourceLine({ quantity: 4, unitPrice: 25 })] })];
    const base = { ...{ invoiceTargetId: null, customerTargetId: null, customerId: 'a01000000000001AAA', paidAt: null, method: null } };
    h.source.payments = [
      {
        ...base,
        id: 'a05000000000001AAA',
        name: 'PAY-1',
        invoiceId: 'a03000000000001AAA',
        invoiceNumber: 'SI-000001',
        amount: 25,
        date: '2026-10-02',
        reference: 'BANK-7731',
      },
      {
        ...base,
        id: 'a05000000000002AAA',
        name: 'PAY-2',
        invoiceId: 'a03000000000001AAA',
        invoiceNumber: 'SI-000001',
        amount: 75,
        date: '2026-10-03',
        reference: 'BANK-7731',
      },
    ];
    const { entries } = await h.run();
    expect(h.target.ofKind('payment').map((p) => [(p.doc as any).amount, (p.doc as any).reference])).toEqual([
      [25, 'BANK-7731'],
      [75, 'BANK-7731-2'],
    ]);
    expect(entries.filter((e) => e.recordName === 'PAY-2' && e.level === 'WARN').map((e) => e.message)).toEqual([
      'Payment PAY-2 (BANK-7731) on invoice SI-000001 has the reference of Salesforce payment PAY-1 of this export (25.00 on 2026-10-02), so it goes to QuickBooks as BANK-7731-2: each Salesforce payment has its own QuickBooks payment.',
    ]);
    h.journal.rows.clear();
    const again = await h.run();
    expect(h.target.ofKind('payment')).toHaveLength(2);
    expect(new Set(again.entries.filter((e) => e.recordType === 'Payment' && e.outcome === 'Matched').map((e) => e.targetId)).size).toBe(2);
  });
});
