// Gaps between the QuickBooks emulator and recorded real answers, each closed and held here. Sources:
// NangoHQ/integration-templates integrations/quickbooks/tests/{list-invoices,list-payments,list-credit-memos,
// list-customers,list-items}.test.json and minimul/qbo_api spec/vcr/all/sales_receipts.yml.
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000041';

const seedRealm = {
  realmId: REALM,
  entities: {
    Account: [{ Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' }],
    Customer: [
      { Id: '1', DisplayName: 'Zephyr Cafe' },
      { Id: '2', DisplayName: 'Freeman Sporting Goods' },
      { Id: '3', DisplayName: '55 Twin Lane', ParentRef: { value: '2' } },
      { Id: '4', DisplayName: 'cool cars' },
      { Id: '5', DisplayName: 'Bill Windsurf Shop' },
    ],
    Item: [
      { Id: '11', Name: 'Pump', Type: 'Service', IncomeAccountRef: { value: '79' }, UnitPrice: 15 },
      { Id: '12', Name: 'Concrete', Type: 'Service', IncomeAccountRef: { value: '79' } },
    ],
  },
};

const line = (amount: number) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '11' } } });

describe('QBO emulator: conformance to recorded query answers', () => {
  // Answers' shapes, not limits, are held here: Intuit's 10 requests a second would refuse some of these bursts.
  const { admin, connect } = useQboEmulator([seedRealm], { limits: { perSecond: 1000 } });
  const api = connect(REALM);

  it('when invoices are queried, then the page carries totalCount; payment, credit memo, sales receipt, customer and item pages do not', async () => {
    for (const amount of [10, 20]) await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(amount)] });
    await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 5 });
    await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(5)] });
    await api.post('/salesreceipt', { CustomerRef: { value: '1' }, Line: [line(5)] });
    const invoices = await api.query('SELECT * FROM Invoice STARTPOSITION 1 MAXRESULTS 100');
    expect(Object.keys(invoices.body.QueryResponse)).toEqual(['Invoice', 'startPosition', 'maxResults', 'totalCount']);
    expect(invoices.body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 2, totalCount: 2 });
    for (const entity of ['Payment', 'CreditMemo', 'SalesReceipt', 'Customer', 'Item']) {
      const r = await api.query(`SELECT * FROM ${entity} STARTPOSITION 1 MAXRESULTS 100`);
      expect(Object.keys(r.body.QueryResponse)).toEqual([entity, 'startPosition', 'maxResults']);
    }
  });

  it('when items are queried, then the rows carry no DeferredRevenue, while a read and a create do', async () => {
    const rows = (await api.query('SELECT * FROM Item')).body.QueryResponse.Item;
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).not.toHaveProperty('DeferredRevenue');
    expect((await api.get('/item/11')).body.Item.DeferredRevenue).toBe(false);
    const created = await api.post('/item', { Name: 'Sod', Type: 'Service', IncomeAccountRef: { value: '79' } });
    expect(created.body.Item.DeferredRevenue).toBe(false);
    const batched = await api.batch([{ bId: 'q', Query: "SELECT * FROM Item WHERE Name = 'Sod'" }]);
    expect(batched.body.BatchItemResponse[0].QueryResponse.Item[0]).not.toHaveProperty('DeferredRevenue');
  });

  it('when customers and items are queried without ORDERBY, then they come by FullyQualifiedName, a sub-customer under its parent', async () => {
    const customers = (await api.query('SELECT * FROM Customer')).body.QueryResponse.Customer;
    expect(customers.map((c: any) => c.FullyQualifiedName)).toEqual([
      'Bill Windsurf Shop',
      'cool cars',
      'Freeman Sporting Goods',
      'Freeman Sporting Goods:55 Twin Lane',
      'Zephyr Cafe',
    ]);
    const items = (await api.query('SELECT * FROM Item')).body.QueryResponse.Item;
    expect(items.map((i: any) => i.Name)).toEqual(['Concrete', 'Pump']);
  });

  it('when transactions are queried without ORDERBY, then the most recently changed come first; ORDERBY Id still wins', async () => {
    const ids: string[] = [];
    for (const amount of [10, 20, 30]) ids.push((await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(amount)] })).body.Invoice.Id);
    await admin.advanceClock(5000);
    // A payment touches the first invoice, which makes it the most recently changed.
    await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: ids[0], TxnType: 'Invoice' }] }] });
    const byDefault = (await api.query('SELECT * FROM Invoice')).body.QueryResponse.Invoice.map((i: any) => i.Id);
    expect(byDefault).toEqual([ids[0], ids[2], ids[1]]);
    const byId = (await api.query('SELECT * FROM Invoice ORDERBY Id')).body.QueryResponse.Invoice.map((i: any) => i.Id);
    expect(byId).toEqual(ids);
  });

  it('when an entity is read by an id that is not a number, then it is the recorded 2030 Invalid ID (no time); an extra path segment is 500 Unsupported Operation', async () => {
    const r = await api.get('/customer/1.5');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      Fault: {
        Error: [{ Message: 'Invalid ID', Detail: 'Id should be a valid number. Supplied value:1.5', code: '2030', element: 'Id' }],
        type: 'ValidationFault',
      },
    });
    const extra = await api.get('/customer/1/5');
    expect(extra.status).toBe(400);
    expect(extra.body.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ Message: 'Unsupported Operation', code: '500' }] });
    expect(extra.body.Fault.Error[0].Detail).toMatch(
      /^Operation Could not find resource for relative : \/v3\/company\/\d+\/customer\/1\/5 of full path: .* is not supported\.$/,
    );
  });

  it('when a required field is left out, then it is 2020 naming the field', async () => {
    const r = await api.post('/invoice', { Line: [line(10)] });
    expect(r.status).toBe(400);
    expect(r.body.Fault.Error[0]).toMatchObject({
      code: '2020',
      Message: 'Required param missing, need to supply the required value for the API',
      element: 'CustomerRef',
    });
  });

  it('when records of several kinds are created, then each name list counts on its own and all transactions share one sequence', async () => {
    const customer = (await api.post('/customer', { DisplayName: 'Numbered Customer' })).body.Customer;
    const item = (await api.post('/item', { Name: 'Numbered Item', Type: 'Service', IncomeAccountRef: { value: '79' } })).body.Item;
    expect([customer.Id, item.Id]).toEqual(['6', '13']);
    const invoice = (await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(10)] })).body.Invoice;
    const payment = (await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 5 })).body.Payment;
    const memo = (await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(5)] })).body.CreditMemo;
    const receipt = (await api.post('/salesreceipt', { CustomerRef: { value: '1' }, Line: [line(5)] })).body.SalesReceipt;
    expect([invoice.Id, payment.Id, memo.Id, receipt.Id]).toEqual(['1', '2', '3', '4']);
    // A payment created in a batch (transaction 5) does not hide customer 5 from a later item of the same batch.
    const batch = await api.batch([
      { bId: 'p', operation: 'create', Payment: { CustomerRef: { value: '1' }, TotalAmt: 1 } },
      { bId: 'inv', operation: 'create', Invoice: { CustomerRef: { value: '5' }, Line: [line(10)] } },
    ]);
    expect(batch.body.BatchItemResponse[0].Payment.Id).toBe('5');
    expect(batch.body.BatchItemResponse[1].Invoice).toMatchObject({ Id: '6', CustomerRef: { value: '5', name: 'Bill Windsurf Shop' } });
  });
});
