// Payments, credit memos and sales receipts on the QuickBooks emulator, shaped and balanced like the recorded
// sandbox traffic (NangoHQ/integration-templates integrations/quickbooks/tests/list-payments.test.json,
// list-credit-memos.test.json; minimul/qbo_api spec/vcr/all/sales_receipts.yml).
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000031';

const seedRealm = {
  realmId: REALM,
  entities: {
    Account: [
      { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds' },
      { Id: '35', Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking' },
      { Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' },
      { Id: '90', Name: 'Closed Bank', AccountType: 'Bank', Active: false },
    ],
    Customer: [
      { Id: '1', DisplayName: "Amy's Bird Sanctuary" },
      { Id: '2', DisplayName: 'Cool Cars' },
    ],
    Item: [{ Id: '5', Name: 'Rock Fountain', Type: 'Service', UnitPrice: 100, IncomeAccountRef: { value: '79' } }],
  },
};

function line(amount: number) {
  return { DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: amount / 100, UnitPrice: 100 } };
}

const toInvoice = (id: string, amount: number) => ({ Amount: amount, LinkedTxn: [{ TxnId: id, TxnType: 'Invoice' }] });
const toCredit = (id: string, amount: number) => ({ Amount: amount, LinkedTxn: [{ TxnId: id, TxnType: 'CreditMemo' }] });

/** The recorded LineEx: `txnId`, `txnOpenBalance`, `txnReferenceNumber` name/value pairs. */
function lineEx(entry: any): Record<string, string> {
  return Object.fromEntries(entry.LineEx.any.map((nv: any) => [nv.value.Name, nv.value.Value]));
}

describe('QBO emulator: payments, credit memos and sales receipts', () => {
  const { admin, connect } = useQboEmulator([seedRealm]);
  const api = connect(REALM);
  const fault = (body: any) => body.Fault.Error[0];

  const invoice = async (amount: number, customer = '1', DocNumber?: string) =>
    (await api.post('/invoice', { CustomerRef: { value: customer }, DocNumber, Line: [line(amount)] })).body.Invoice;
  const customerBalance = async (id: string) => (await admin.entities(REALM, 'Customer')).find((c) => c.Id === id).Balance;

  describe('payments', () => {
    it('when an unapplied payment is created, then it matches the recorded shape: Line [], UnappliedAmt = TotalAmt, Undeposited Funds', async () => {
      const r = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 100 });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.Payment)).toEqual([
        'CustomerRef',
        'DepositToAccountRef',
        'TotalAmt',
        'UnappliedAmt',
        'ProcessPayment',
        'domain',
        'sparse',
        'Id',
        'SyncToken',
        'MetaData',
        'TxnDate',
        'CurrencyRef',
        'Line',
      ]);
      expect(r.body.Payment).toMatchObject({
        CustomerRef: { value: '1', name: "Amy's Bird Sanctuary" },
        DepositToAccountRef: { value: '4' },
        TotalAmt: 100,
        UnappliedAmt: 100,
        ProcessPayment: false,
        Line: [],
        CurrencyRef: { value: 'USD', name: 'United States Dollar' },
      });
      expect(await customerBalance('1')).toBe(-100);
    });

    it('when two partial payments pay an invoice, then its Balance falls to 0, it links both, and each line carries the recorded LineEx', async () => {
      const inv = await invoice(100, '1', 'INV-7');
      const first = (
        await api.post('/payment', {
          CustomerRef: { value: '1' },
          TotalAmt: 25,
          PaymentRefNum: 'TXN-25',
          PaymentMethodRef: { value: '2' },
          DepositToAccountRef: { value: '35' },
          TxnDate: '2026-03-16',
          Line: [toInvoice(inv.Id, 25)],
        })
      ).body.Payment;
      expect(first).toMatchObject({
        TotalAmt: 25,
        UnappliedAmt: 0,
        PaymentRefNum: 'TXN-25',
        PaymentMethodRef: { value: '2' },
        DepositToAccountRef: { value: '35' },
        TxnDate: '2026-03-16',
      });
      expect(lineEx(first.Line[0])).toEqual({ txnId: inv.Id, txnOpenBalance: '100.00', txnReferenceNumber: 'INV-7' });
      expect((await api.get(`/invoice/${inv.Id}`)).body.Invoice).toMatchObject({ Balance: 75, LinkedTxn: [{ TxnId: first.Id, TxnType: 'Payment' }] });

      const second = (await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 75, Line: [toInvoice(inv.Id, 75)] })).body.Payment;
      const after = (await api.get(`/invoice/${inv.Id}`)).body.Invoice;
      expect(after).toMatchObject({ Balance: 0, TotalAmt: 100, SyncToken: '2' });
      expect(after.LinkedTxn).toEqual([
        { TxnId: first.Id, TxnType: 'Payment' },
        { TxnId: second.Id, TxnType: 'Payment' },
      ]);
      // As recorded: the open balance shown on each line is the document's balance now plus that line's amount.
      expect(lineEx(second.Line[0]).txnOpenBalance).toBe('75.00');
      expect(lineEx((await api.get(`/payment/${first.Id}`)).body.Payment.Line[0]).txnOpenBalance).toBe('25.00');
      expect(await customerBalance('1')).toBe(0);
    });

    it('when a payment line is more than the open balance (or the invoice is paid), then it is the 6000 "payments you entered add up to more" fault and nothing moves', async () => {
      const inv = await invoice(100);
      const over = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 150, Line: [toInvoice(inv.Id, 150)] });
      expect(over.status).toBe(400);
      expect(fault(over.body)).toMatchObject({ code: '6000', Message: 'A business validation error has occurred while processing your request' });
      expect(fault(over.body).Detail).toMatch(/^Business Validation Error: The payments you entered add up to more/);
      await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 100, Line: [toInvoice(inv.Id, 100)] });
      const zero = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 1, Line: [toInvoice(inv.Id, 1)] });
      expect(fault(zero.body).Detail).toMatch(/add up to more/);
      expect((await admin.entities(REALM, 'Payment')).map((p) => p.TotalAmt)).toEqual([100]);
    });

    it("when a payment links another customer's invoice, then it is refused and the invoice keeps its balance", async () => {
      const inv = await invoice(100, '2');
      const r = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 100, Line: [toInvoice(inv.Id, 100)] });
      expect(fault(r.body).code).toBe('6000');
      expect((await api.get(`/invoice/${inv.Id}`)).body.Invoice.Balance).toBe(100);
    });

    it('when a payment links an invoice id that does not exist, then it is 610 Object Not Found as recorded', async () => {
      const r = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [toInvoice('99999', 10)] });
      expect(fault(r.body)).toMatchObject({ code: '610', Message: 'Object Not Found' });
    });

    it('when PaymentRefNum is longer than 21 characters, then it is 2050', async () => {
      const r = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 10, PaymentRefNum: 'R'.repeat(22) });
      expect(fault(r.body)).toMatchObject({ code: '2050', element: 'PaymentRefNum' });
      expect(fault(r.body).Detail).toContain('Max:21 supported. Supplied length:22');
    });

    it('when the deposit account does not exist or is inactive, then it is 2500 or 610', async () => {
      expect(fault((await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 10, DepositToAccountRef: { value: '777' } })).body).code).toBe('2500');
      expect(fault((await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 10, DepositToAccountRef: { value: '90' } })).body).code).toBe('610');
    });

    it('when a payment is deleted, then the invoice gets its balance back and drops the link', async () => {
      const inv = await invoice(100);
      const pay = (await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 40, Line: [toInvoice(inv.Id, 40)] })).body.Payment;
      const del = await api.post('/payment?operation=delete', { Id: pay.Id, SyncToken: pay.SyncToken });
      expect(del.body.Payment).toEqual({ status: 'Deleted', domain: 'QBO', Id: pay.Id });
      expect((await api.get(`/invoice/${inv.Id}`)).body.Invoice).toMatchObject({ Balance: 100, LinkedTxn: [] });
      expect(await customerBalance('1')).toBe(100);
    });

    it('when payments are queried by PaymentRefNum, CustomerRef and MetaData.CreateTime, then the filters apply and the page has no totalCount', async () => {
      const inv = await invoice(300);
      await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 100, PaymentRefNum: 'REF-A', Line: [toInvoice(inv.Id, 100)] });
      await api.post('/payment', { CustomerRef: { value: '2' }, TotalAmt: 50, PaymentRefNum: 'REF-A' });
      await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 20, PaymentRefNum: 'REF-B' });
      const byRef = await api.query("SELECT * FROM Payment WHERE PaymentRefNum = 'REF-A' AND CustomerRef = '1'");
      expect(byRef.body.QueryResponse.Payment.map((p: any) => p.TotalAmt)).toEqual([100]);
      expect(byRef.body.QueryResponse).not.toHaveProperty('totalCount');
      const since = await api.query("SELECT * FROM Payment WHERE MetaData.CreateTime >= '2000-01-01T00:00:00-08:00'");
      expect(since.body.QueryResponse.maxResults).toBe(3);
      expect((await api.query("SELECT COUNT(*) FROM Payment WHERE PaymentRefNum = 'REF-A'")).body.QueryResponse).toEqual({ totalCount: 2 });
    });
  });

  describe('credit memos', () => {
    it('when a credit memo is created, then RemainingCredit and Balance are its total and the customer owes that much less', async () => {
      await invoice(200);
      const r = await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(100)] });
      expect(r.body.CreditMemo).toMatchObject({ RemainingCredit: 100, Balance: 100, TotalAmt: 100, CustomerRef: { value: '1' } });
      expect(Object.keys(r.body.CreditMemo)[0]).toBe('RemainingCredit');
      expect(await customerBalance('1')).toBe(100);
    });

    it('when a payment links an invoice and a credit memo for the same amount, then TotalAmt 0 applies the credit: both balances fall, the customer balance is unchanged', async () => {
      const inv = await invoice(205, '1', 'INV-71');
      const memo = (await api.post('/creditmemo', { CustomerRef: { value: '1' }, DocNumber: 'CM-73', Line: [line(100)] })).body.CreditMemo;
      expect(await customerBalance('1')).toBe(105);
      const pay = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [toInvoice(inv.Id, 100), toCredit(memo.Id, 100)] });
      expect(pay.status).toBe(200);
      expect(pay.body.Payment).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0 });
      expect(lineEx(pay.body.Payment.Line[1])).toEqual({ txnId: memo.Id, txnOpenBalance: '100.00', txnReferenceNumber: 'CM-73' });
      expect((await api.get(`/invoice/${inv.Id}`)).body.Invoice).toMatchObject({
        Balance: 105,
        LinkedTxn: [{ TxnId: pay.body.Payment.Id, TxnType: 'Payment' }],
      });
      // As recorded for the applied credit memo 73: Balance and RemainingCredit 0, no LinkedTxn on the memo.
      const applied = (await api.get(`/creditmemo/${memo.Id}`)).body.CreditMemo;
      expect(applied).toMatchObject({ Balance: 0, RemainingCredit: 0, SyncToken: '1' });
      expect(applied).not.toHaveProperty('LinkedTxn');
      expect(await customerBalance('1')).toBe(105);
    });

    it('when more credit is applied than the memo has left, then it is the 6000 over-application fault', async () => {
      const inv = await invoice(300);
      const memo = (await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(100)] })).body.CreditMemo;
      const r = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [toInvoice(inv.Id, 150), toCredit(memo.Id, 150)] });
      expect(fault(r.body).Detail).toMatch(/add up to more/);
    });

    it('when an applied credit memo is deleted, then it is refused; unapplied it can go', async () => {
      const inv = await invoice(100);
      const memo = (await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(100)] })).body.CreditMemo;
      await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [toInvoice(inv.Id, 100), toCredit(memo.Id, 100)] });
      const current = (await api.get(`/creditmemo/${memo.Id}`)).body.CreditMemo;
      expect(fault((await api.post('/creditmemo?operation=delete', { Id: memo.Id, SyncToken: current.SyncToken })).body).code).toBe('6000');
      const unapplied = (await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(50)] })).body.CreditMemo;
      const del = await api.post('/creditmemo?operation=delete', { Id: unapplied.Id, SyncToken: unapplied.SyncToken });
      expect(del.body.CreditMemo).toEqual({ status: 'Deleted', domain: 'QBO', Id: unapplied.Id });
      expect(await customerBalance('1')).toBe(0);
    });

    it('when credit memos are queried and batched, then they answer like invoices but without totalCount', async () => {
      await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(100)] });
      const batch = await api.batch([
        { bId: 'cm', operation: 'create', CreditMemo: { CustomerRef: { value: '2' }, Line: [line(200)] } },
        { bId: 'q', Query: "SELECT * FROM CreditMemo WHERE CustomerRef = '1'" },
      ]);
      const [created, query] = batch.body.BatchItemResponse;
      expect(created).toMatchObject({ bId: 'cm', CreditMemo: { TotalAmt: 200, RemainingCredit: 200 } });
      expect(query.QueryResponse).toMatchObject({ CreditMemo: [{ TotalAmt: 100 }], startPosition: 1, maxResults: 1 });
      expect(query.QueryResponse).not.toHaveProperty('totalCount');
    });
  });

  describe('sales receipts', () => {
    it('when a sales receipt is created, then it is paid at once (Balance 0), keeps PaymentRefNum and names its deposit account, like the recording', async () => {
      const r = await api.post('/salesreceipt', {
        CustomerRef: { value: '1' },
        PaymentRefNum: '10264',
        PaymentMethodRef: { value: '2', name: 'Check' },
        DepositToAccountRef: { value: '35' },
        Line: [line(337.5)],
      });
      expect(r.status).toBe(200);
      expect(r.body.SalesReceipt).toMatchObject({
        TotalAmt: 337.5,
        Balance: 0,
        PaymentRefNum: '10264',
        PaymentMethodRef: { value: '2', name: 'Check' },
        DepositToAccountRef: { value: '35', name: 'Checking' },
        Line: [
          { Id: '1', LineNum: 1, Amount: 337.5, DetailType: 'SalesItemLineDetail' },
          { Amount: 337.5, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
        ],
        TxnTaxDetail: { TotalTax: 0 },
      });
      const keys = Object.keys(r.body.SalesReceipt);
      expect(keys.slice(0, 5)).toEqual(['domain', 'sparse', 'Id', 'SyncToken', 'MetaData']);
      expect(keys.slice(-4)).toEqual(['Balance', 'PaymentMethodRef', 'PaymentRefNum', 'DepositToAccountRef']);
      expect(await customerBalance('1')).toBe(0);
      const read = await api.get(`/salesreceipt/${r.body.SalesReceipt.Id}`);
      expect(read.body.SalesReceipt).toEqual(r.body.SalesReceipt);
    });

    it('when no deposit account is sent, then it goes to Undeposited Funds; a long PaymentRefNum is 2050', async () => {
      const r = await api.post('/salesreceipt', { CustomerRef: { value: '1' }, Line: [line(100)] });
      expect(r.body.SalesReceipt.DepositToAccountRef).toEqual({ value: '4', name: 'Undeposited Funds' });
      const long = await api.post('/salesreceipt', { CustomerRef: { value: '1' }, PaymentRefNum: 'x'.repeat(22), Line: [line(100)] });
      expect(fault(long.body)).toMatchObject({ code: '2050', element: 'PaymentRefNum' });
    });

    it('when sales receipts are queried, batched and listed by the admin API, then each answers', async () => {
      await api.post('/salesreceipt', { CustomerRef: { value: '1' }, PaymentRefNum: 'SR-1', Line: [line(100)] });
      const batch = await api.batch([
        { bId: 's', operation: 'create', SalesReceipt: { CustomerRef: { value: '2' }, PaymentRefNum: 'SR-2', Line: [line(200)] } },
      ]);
      expect(batch.body.BatchItemResponse[0]).toMatchObject({ bId: 's', SalesReceipt: { TotalAmt: 200, Balance: 0 } });
      const q = await api.query("SELECT * FROM SalesReceipt WHERE PaymentRefNum = 'SR-2'");
      expect(q.body.QueryResponse).toEqual({ SalesReceipt: [expect.objectContaining({ PaymentRefNum: 'SR-2' })], startPosition: 1, maxResults: 1 });
      expect((await admin.entities(REALM, 'SalesReceipt')).map((s) => s.PaymentRefNum)).toEqual(['SR-1', 'SR-2']);
      expect((await admin.entities(REALM, 'Payment')).length).toBe(0);
    });
  });
});
