// Payments, credit memos, sales receipts and the peer connectors' options, end to end against both emulators.
// Every QuickBooks balance is checked against the Salesforce amounts.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { logOf, qboApi, sf, sfWrite } from '../support/sf';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

const PAYMENTS = 'Invoices and Payments When Paid';
let serial = 0;

interface Scenario {
  stack: DemoStack;
  companyId: string;
  realmId: string;
  customerId: string;
  productId: string;
}

async function scenario(stack: DemoStack, companyFields: Record<string, unknown> = {}): Promise<Scenario> {
  const companyId = stack.primaryCompanyId;
  await sfWrite(stack, 'PATCH', [sf('Company__c', { Id: companyId, Export_Mode__c: PAYMENTS, Deposit_Account_Id__c: '35', ...companyFields })]);
  const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId && p.Product_Type__c === 'Service')!;
  const [customerId] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: `Payer ${++serial}`, Email__c: `payer${serial}@example.com` })]);
  return { stack, companyId, realmId: stack.data.facts.realmIds.primary, customerId: customerId!, productId: String(product.Id) };
}

/** One approved invoice of `lines` (quantity × price), with its payments. */
async function invoice(s: Scenario, lines: [number, number][], extra: Record<string, unknown> = {}, payments: Record<string, unknown>[] = []) {
  const total = lines.reduce((sum, [q, p]) => sum + Math.round(q * p * 100), 0) / 100;
  const name = `SI-P${String(++serial).padStart(5, '0')}`;
  const [id] = await sfWrite(s.stack, 'POST', [
    sf('Sales_Invoice__c', {
      Name: name,
      Company__c: s.companyId,
      Customer__c: s.customerId,
      Approved__c: true,
      Invoice_Date__c: '2026-11-02',
      Total_Amount__c: total,
      ...extra,
    }),
  ]);
  await sfWrite(
    s.stack,
    'POST',
    lines.map(([q, p], i) =>
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Product__c: s.productId, Line_Number__c: i + 1, Quantity__c: q, Unit_Price__c: p }),
    ),
  );
  const paymentIds = payments.length
    ? await sfWrite(
        s.stack,
        'POST',
        payments.map((p, i) => sf('Payment__c', { Sales_Invoice__c: id, Reference__c: `${name}-R${i + 1}`, ...p })),
      )
    : [];
  return { id: id!, name, total, paymentIds };
}

const byMarker = async (s: Scenario, entity: string, sourceId: string) =>
  (await qboEntities(s.stack, s.realmId, entity)).filter((e) => readMarker(e.PrivateNote) === sourceId);

describe('when an invoice is paid in two parts and exported with its payments', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterAll(() => stack?.close());

  it('then QuickBooks holds the invoice and both payments linked to it, the balance is zero, and a re-run pays nothing twice', async () => {
    const s = await scenario(stack);
    const inv = await invoice(s, [[4, 25]], {}, [
      { Amount__c: 25, Payment_Date__c: '2026-11-03' },
      { Amount__c: 75, Payment_Date__c: '2026-11-04' },
    ]);
    const run = await exportAndWait(stack, s.companyId);
    expect(run.error).toBeNull();
    const [qboInvoice] = await byMarker(s, 'Invoice', inv.id);
    expect(qboInvoice.TotalAmt).toBe(inv.total);
    const payments = await Promise.all(inv.paymentIds.map((id) => byMarker(s, 'Payment', id)));
    expect(payments.map((p) => p.length)).toEqual([1, 1]);
    expect(payments.map(([p]) => [p.TotalAmt, p.PaymentRefNum, p.TxnDate, p.Line[0].LinkedTxn[0], p.DepositToAccountRef.value])).toEqual([
      [25, `${inv.name}-R1`, '2026-11-03', { TxnId: qboInvoice.Id, TxnType: 'Invoice' }, '35'],
      [75, `${inv.name}-R2`, '2026-11-04', { TxnId: qboInvoice.Id, TxnType: 'Invoice' }, '35'],
    ]);
    const [after] = (await qboEntities(stack, s.realmId, 'Invoice')).filter((i) => i.Id === qboInvoice.Id);
    expect(after.Balance).toBe(0);
    const sfPayments = (await sfRecords(stack, 'Payment__c')).filter((p) => inv.paymentIds.includes(p.Id));
    expect(sfPayments.map((p) => p.Financial_System_Payment_Id__c).sort()).toEqual(payments.map(([p]) => p.Id).sort());

    const before = (await qboEntities(stack, s.realmId, 'Payment')).length;
    const again = await exportAndWait(stack, s.companyId);
    expect(again.error).toBeNull();
    expect((await qboEntities(stack, s.realmId, 'Payment')).length).toBe(before);
  });

  it('then a payment added later goes on the invoice an earlier run exported, by its QuickBooks balance', async () => {
    const s = await scenario(stack);
    const inv = await invoice(s, [[2, 50]]);
    expect((await exportAndWait(stack, s.companyId)).error).toBeNull();
    const [paymentId] = await sfWrite(stack, 'POST', [
      sf('Payment__c', { Sales_Invoice__c: inv.id, Amount__c: 60, Reference__c: `${inv.name}-LATE`, Payment_Date__c: '2026-11-20' }),
    ]);
    const run = await exportAndWait(stack, s.companyId);
    expect(run.error).toBeNull();
    const [qboInvoice] = await byMarker(s, 'Invoice', inv.id);
    const [payment] = await byMarker(s, 'Payment', paymentId!);
    expect(payment.Line[0].LinkedTxn[0].TxnId).toBe(qboInvoice.Id);
    expect(qboInvoice.Balance).toBe(40);
  });

  it('then a payment over the open balance and one on a paid invoice are entries naming the invoice and amounts, and the rest go', async () => {
    const s = await scenario(stack);
    const inv = await invoice(s, [[1, 100]], {}, [
      { Amount__c: 80, Payment_Date__c: '2026-11-03' },
      { Amount__c: 30, Payment_Date__c: '2026-11-04' },
      { Amount__c: 20, Payment_Date__c: '2026-11-05' },
      { Amount__c: 5, Payment_Date__c: '2026-11-06' },
    ]);
    const run = await exportAndWait(stack, s.companyId);
    expect(run.status).toBe('completed_with_errors');
    const [qboInvoice] = await byMarker(s, 'Invoice', inv.id);
    expect(qboInvoice.Balance).toBe(0);
    const sent = await Promise.all(inv.paymentIds.map((id) => byMarker(s, 'Payment', id)));
    expect(sent.map((p) => p.length)).toEqual([1, 0, 1, 0]);
    const log = await logOf(stack, s.companyId, run.processLogId);
    const byRecord = (id: string) => log.entries.find((e: any) => e.recordId === id && e.level === 'ERROR');
    expect(byRecord(inv.paymentIds[1]!).message).toMatch(new RegExp(`it is 30\\.00 but invoice ${inv.name} has only 20\\.00 open in QuickBooks`));
    expect(byRecord(inv.paymentIds[3]!).message).toContain(
      `invoice ${inv.name} has a 0.00 balance in QuickBooks, so QuickBooks cannot take a payment of 5.00 on it`,
    );
  });
});

describe('when payments are taken just after midnight in the company’s time zone', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterAll(() => stack?.close());

  it.each([
    ['America/Los_Angeles', '2026-11-05T08:30:00Z', '2026-11-05'], // 00:30 PST
    ['UTC', '2026-11-05T00:30:00Z', '2026-11-05'],
    ['Australia/Brisbane', '2026-11-04T14:30:00Z', '2026-11-05'], // 00:30 AEST, the day before in UTC
    ['America/Los_Angeles', '2026-03-08T08:30:00Z', '2026-03-08'], // 00:30 on the night the clocks go forward
  ])('then a payment in %s at %s is dated %s in QuickBooks', async (zone, paidAt, day) => {
    const s = await scenario(stack, { Time_Zone__c: zone });
    const inv = await invoice(s, [[1, 10]], {}, [{ Amount__c: 10, Paid_At__c: paidAt }]);
    expect((await exportAndWait(stack, s.companyId)).error).toBeNull();
    const [payment] = await byMarker(s, 'Payment', inv.paymentIds[0]!);
    expect(payment.TxnDate).toBe(day);
  });
});

describe('when a credit memo names the invoice it applies to', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterAll(() => stack?.close());

  it('then QuickBooks holds a credit memo with positive lines, applied to the invoice, whose balance drops by the credit', async () => {
    const s = await scenario(stack);
    const inv = await invoice(s, [[3, 40]]);
    const credit = await invoice(s, [[-1, 30]], { Invoice_Type__c: 'Credit Memo', Applies_To_Invoice__c: inv.id });
    const run = await exportAndWait(stack, s.companyId);
    expect(run.error).toBeNull();
    const [memo] = await byMarker(s, 'CreditMemo', credit.id);
    expect(memo.TotalAmt).toBe(30);
    expect(memo.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail').map((l: any) => [l.SalesItemLineDetail.Qty, l.Amount])).toEqual([[1, 30]]);
    const [qboInvoice] = await byMarker(s, 'Invoice', inv.id);
    expect(qboInvoice.Balance).toBe(120 - 30);
    const records = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((i) => [i.Id, i]));
    expect(records.get(credit.id)).toMatchObject({ Transferred__c: true, Financial_System_Invoice_Id__c: memo.Id });
    const application = (await qboEntities(stack, s.realmId, 'Payment')).find((p) => p.Id === records.get(credit.id)!.Financial_System_Application_Id__c);
    expect(application.TotalAmt).toBe(0);
    expect(application.Line.map((l: any) => [l.Amount, l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId]).sort()).toEqual(
      [
        [30, 'CreditMemo', memo.Id],
        [30, 'Invoice', qboInvoice.Id],
      ].sort(),
    );
  });
});

describe('when the company exports paid-at-sale invoices as sales receipts', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterAll(() => stack?.close());

  it('then an invoice paid in full on its day is one sales receipt with the payment’s reference, and nothing more', async () => {
    const s = await scenario(stack, { Sales_Receipts__c: true, Time_Zone__c: 'America/Los_Angeles' });
    // 2 November, 18:00 in Oakland.
    const inv = await invoice(s, [[2, 12.5]], {}, [{ Amount__c: 25, Paid_At__c: '2026-11-03T02:00:00Z' }]);
    const later = await invoice(s, [[1, 10]], {}, [{ Amount__c: 10, Payment_Date__c: '2026-11-09' }]);
    const run = await exportAndWait(stack, s.companyId);
    expect(run.error).toBeNull();
    const [receipt] = await byMarker(s, 'SalesReceipt', inv.id);
    expect(receipt).toMatchObject({ TotalAmt: 25, Balance: 0, PaymentRefNum: `${inv.name}-R1`, DepositToAccountRef: { value: '35' } });
    expect(await byMarker(s, 'Invoice', inv.id)).toEqual([]);
    expect(await byMarker(s, 'Payment', inv.paymentIds[0]!)).toEqual([]);
    const [payment] = (await sfRecords(stack, 'Payment__c')).filter((p) => p.Id === inv.paymentIds[0]);
    expect(payment.Financial_System_Payment_Id__c).toBe(receipt.Id);
    // Paid a week later: an invoice and a payment.
    expect(await byMarker(s, 'Invoice', later.id)).toHaveLength(1);
    expect(await byMarker(s, 'Payment', later.paymentIds[0]!)).toHaveLength(1);
  });

  it('then a run cut off after QuickBooks saved the receipt but before anything was written back is finished by the next export: its payment is the receipt, without an error', async () => {
    const s = await scenario(stack, { Sales_Receipts__c: true });
    const collision = stack.data.facts.expected[s.companyId]!.docNumberCollision!.invoiceId;
    // Customers and items first (an earlier invoice of the same customer and product), so the next batch call is the receipt's.
    await invoice(s, [[1, 7]]);
    expect((await exportAndWait(stack, s.companyId)).error).toBeNull();
    const inv = await invoice(s, [[3, 7]], {}, [{ Amount__c: 21, Payment_Date__c: '2026-11-02' }]);
    // QuickBooks saves the receipt but the answer is lost, and neither a look-up nor a resend gets through: the run stops.
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'resetAfterCommit', count: 1, match: { entity: 'batch' } });
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'http401', count: 1000, match: { entity: 'batch' } });
    await admin(stack.qboUrl, 'POST', '/faults', { kind: 'http401', count: 1000, match: { entity: 'query', path: 'SalesReceipt' } });
    const cut = await exportAndWait(stack, s.companyId);
    await admin(stack.qboUrl, 'DELETE', '/faults');
    expect(cut.status).toBe('failed');
    const [receipt] = await byMarker(s, 'SalesReceipt', inv.id);
    expect(receipt).toMatchObject({ TotalAmt: 21 });
    const linkOf = async (sobject: string, id: string, field: string) => (await sfRecords(stack, sobject)).find((r) => r.Id === id)![field];
    expect(await linkOf('Payment__c', inv.paymentIds[0]!, 'Financial_System_Payment_Id__c')).toBeFalsy();

    for (const attempt of [1, 2]) {
      const run = await exportAndWait(stack, s.companyId);
      expect(run.error).toBeNull();
      const log = await logOf(stack, s.companyId, run.processLogId);
      // The seeded invoice whose number QuickBooks already holds is the only error.
      expect({ attempt, errors: log.entries.filter((e: any) => e.level === 'ERROR' && e.recordId !== collision).map((e: any) => e.message) }).toEqual({
        attempt,
        errors: [],
      });
      expect(await linkOf('Sales_Invoice__c', inv.id, 'Financial_System_Invoice_Id__c')).toBe(receipt.Id);
      expect(await linkOf('Payment__c', inv.paymentIds[0]!, 'Financial_System_Payment_Id__c')).toBe(receipt.Id);
    }
    expect(await byMarker(s, 'SalesReceipt', inv.id)).toHaveLength(1);
    expect(await byMarker(s, 'Payment', inv.paymentIds[0]!)).toEqual([]);
  });
});

describe('when a line’s product has no QuickBooks item', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterEach(() => stack?.close());

  async function withoutProduct(s: Scenario) {
    const name = `SI-U${++serial}`;
    const [id] = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', {
        Name: name,
        Company__c: s.companyId,
        Customer__c: s.customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 7,
      }),
    ]);
    await sfWrite(stack, 'POST', [
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 7, Description__c: 'Gift wrap' }),
    ]);
    return { id: id!, name };
  }

  it('then by default the invoice fails with an entry naming the line', async () => {
    const s = await scenario(stack);
    const inv = await withoutProduct(s);
    const run = await exportAndWait(stack, s.companyId, { invoiceNumbers: inv.name });
    expect(run.status).toBe('completed_with_errors');
    expect(run.entries.find((e: any) => e.recordId === inv.id).message).toBe(
      `Invoice ${inv.name} was not exported: line 1 (no product) has no QuickBooks item.`,
    );
    expect(await byMarker(s, 'Invoice', inv.id)).toEqual([]);
  });

  it('then with the fallback item on, the line goes on that item with a warning naming the line', async () => {
    const freight = String(stack.data.salesforce.records.Company__c!.find((c) => c.Id === stack.primaryCompanyId)!.Freight_Item_Id__c);
    const s = await scenario(stack, { Unknown_Products__c: 'Use the fallback item', Fallback_Item_Id__c: freight });
    const inv = await withoutProduct(s);
    const run = await exportAndWait(stack, s.companyId, { invoiceNumbers: inv.name });
    expect(run.status).toBe('succeeded');
    const [qbo] = await byMarker(s, 'Invoice', inv.id);
    expect(qbo.Line[0].SalesItemLineDetail.ItemRef.value).toBe(freight);
    expect(qbo.TotalAmt).toBe(7);
    expect(run.entries.find((e: any) => e.recordId === inv.id && e.outcome === 'Warning').message).toContain(
      `line 1 (no product) has no QuickBooks item, so it goes on the fallback item ${freight}`,
    );
  });
});

describe('when the company exports only invoices of some statuses', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterAll(() => stack?.close());

  it('then only invoices whose status is in the filter go, and the summary counts only them', async () => {
    const s = await scenario(stack, { Invoice_Status_Filter__c: 'Paid' });
    const paid = await invoice(s, [[1, 10]], { Status__c: 'Paid' });
    const open = await invoice(s, [[1, 10]], { Status__c: 'Open' });
    const { body: summary } = await api(stack, 'GET', `/api/companies/${s.companyId}/summary`);
    const paidInDemo = stack.data.salesforce.records.Sales_Invoice__c!.filter(
      (i) => i.Company__c === s.companyId && i.Approved__c === true && i.Status__c === 'Paid',
    );
    expect(summary.counts.invoices).toBe(paidInDemo.length + 1);
    const run = await exportAndWait(stack, s.companyId);
    expect(run.error).toBeNull();
    expect(await byMarker(s, 'Invoice', paid.id)).toHaveLength(1);
    expect(await byMarker(s, 'Invoice', open.id)).toEqual([]);
    const records = new Map((await sfRecords(stack, 'Sales_Invoice__c')).map((i) => [i.Id, i]));
    expect(records.get(open.id)!.Transferred__c).toBe(false);
  });
});

describe('when Salesforce and QuickBooks numbers overlap (the John Smith story)', () => {
  let stack: DemoStack;
  beforeEach(async () => {
    stack = await startTestStack({ invoices: 6 });
  });
  afterEach(() => stack?.close());

  /** QuickBooks already has invoice "1" for John Smith: $100, unpaid. */
  async function johnSmith(s: Scenario): Promise<string> {
    const item = String(stack.data.salesforce.records.Company__c!.find((c) => c.Id === s.companyId)!.Freight_Item_Id__c);
    const { Customer: john } = await qboApi(stack, s.realmId, 'POST', '/customer', { DisplayName: 'John Smith (overlap)' });
    const { Invoice: one } = await qboApi(stack, s.realmId, 'POST', '/invoice', {
      DocNumber: '1',
      CustomerRef: { value: john.Id },
      Line: [{ DetailType: 'SalesItemLineDetail', Amount: 100, SalesItemLineDetail: { ItemRef: { value: item }, Qty: 1, UnitPrice: 100 } }],
    });
    return one.Id;
  }

  async function janeJones(s: Scenario) {
    const [id] = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', {
        Name: '1',
        Company__c: s.companyId,
        Customer__c: s.customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 100,
      }),
    ]);
    await sfWrite(stack, 'POST', [
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Product__c: s.productId, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 100 }),
    ]);
    const [paymentId] = await sfWrite(stack, 'POST', [
      sf('Payment__c', { Sales_Invoice__c: id, Amount__c: 100, Reference__c: 'JJ-PAY-1', Payment_Date__c: '2026-11-03' }),
    ]);
    return { id: id!, paymentId: paymentId! };
  }

  const balanceOf = async (s: Scenario, id: string) => (await qboEntities(stack, s.realmId, 'Invoice')).find((i) => i.Id === id).Balance;

  it('then without a prefix Jane’s order #1 is refused for its number and her payment never reaches John Smith’s invoice', async () => {
    const s = await scenario(stack, { Invoice_Number_Prefix__c: null });
    const johns = await johnSmith(s);
    const jane = await janeJones(s);
    for (let i = 0; i < 2; i++) await exportAndWait(stack, s.companyId);
    expect(await byMarker(s, 'Invoice', jane.id)).toEqual([]);
    expect(await byMarker(s, 'Payment', jane.paymentId)).toEqual([]);
    expect(await balanceOf(s, johns)).toBe(100);
  });

  it('then with QuickBooks numbering Jane’s order gets its own number (her number in the memo), her payment goes on it, and re-runs find it by marker', async () => {
    const s = await scenario(stack, { Invoice_Number_Prefix__c: null, Invoice_Numbering__c: 'QuickBooks Next Number' });
    const johns = await johnSmith(s);
    const jane = await janeJones(s);
    for (let i = 0; i < 2; i++) expect((await exportAndWait(stack, s.companyId)).error).toBeNull();
    const mine = await byMarker(s, 'Invoice', jane.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].DocNumber).not.toBe('1');
    expect(mine[0].CustomerMemo.value).toContain('Salesforce invoice 1');
    expect(mine[0].Balance).toBe(0);
    const [payment] = await byMarker(s, 'Payment', jane.paymentId);
    expect(payment.Line[0].LinkedTxn[0].TxnId).toBe(mine[0].Id);
    expect(await balanceOf(s, johns)).toBe(100);
  });
});
