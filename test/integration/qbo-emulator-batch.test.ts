import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000002';

const seedRealm = {
  realmId: REALM,
  entities: {
    Account: [{ Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' }],
    Vendor: [{ Id: '10', DisplayName: 'Smith Family Store' }],
    Customer: [{ Id: '1', DisplayName: 'Dylan Sollfrank' }],
    Item: [{ Id: '20', Name: 'Design', Type: 'Service', IncomeAccountRef: { value: '79' } }],
  },
};

describe('QBO emulator: batch and requestid', () => {
  const { admin, connect } = useQboEmulator([seedRealm]);
  const api = connect(REALM);

  it('when a batch mixes good and bad items, then each answers on its own and the call is 200', async () => {
    const r = await api.batch([
      { bId: 'bid1', operation: 'create', Vendor: { DisplayName: 'Smith Family Store' } },
      { bId: 'bid2', operation: 'delete', Invoice: { SyncToken: '0', Id: '129' } },
      { bId: 'bid3', operation: 'update', Customer: { Id: '1', SyncToken: '7', sparse: true, Notes: 'x' } },
      { bId: 'bid4', Query: "select * from Customer where DisplayName = 'Dylan Sollfrank'" },
      { bId: 'bid5', operation: 'create', Customer: { DisplayName: 'Batch Customer' } },
    ]);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['BatchItemResponse', 'time']);
    const [dup, missing, stale, query, created] = r.body.BatchItemResponse;
    expect(dup).toEqual({
      Fault: {
        Error: [
          {
            Message: 'Duplicate Name Exists Error',
            Detail: 'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
            code: '6240',
            element: '',
          },
        ],
        type: 'ValidationFault',
      },
      bId: 'bid1',
    });
    expect(missing.Fault.Error[0].code).toBe('610');
    expect(stale.Fault.Error[0].code).toBe('5010');
    expect(query).toMatchObject({ bId: 'bid4', QueryResponse: { Customer: [{ Id: '1' }], startPosition: 1, maxResults: 1 } });
    expect(created).toMatchObject({ bId: 'bid5', Customer: { DisplayName: 'Batch Customer', SyncToken: '0' } });
    expect((await admin.entities(REALM, 'Customer')).map((c) => c.DisplayName)).toContain('Batch Customer');
  });

  it('when an item refers to a customer created earlier in the same batch, then it cannot see it (2500)', async () => {
    const r = await api.batch([
      { bId: 'a', operation: 'create', Customer: { DisplayName: 'Fresh' } },
      {
        bId: 'b',
        operation: 'create',
        Invoice: { CustomerRef: { value: '2' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1, SalesItemLineDetail: { ItemRef: { value: '20' } } }] },
      },
    ]);
    // Customers are numbered on their own and the seed's highest is 1, so the new customer is 2.
    expect(r.body.BatchItemResponse[0].Customer.Id).toBe('2');
    expect(r.body.BatchItemResponse[1].Fault.Error[0].code).toBe('2500');
  });

  it('when two items in one batch create the same name, then the second collides (items run in order)', async () => {
    const r = await api.batch([
      { bId: 'a', operation: 'create', Customer: { DisplayName: 'Twin' } },
      { bId: 'b', operation: 'create', Customer: { DisplayName: 'Twin' } },
    ]);
    expect(r.body.BatchItemResponse.map((i: any) => (i.Fault ? i.Fault.Error[0].code : 'ok'))).toEqual(['ok', '6240']);
  });

  it('when a batch has more than 30 items, then the whole call is a 400 ValidationFault and nothing is written', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `b${i}`, operation: 'create', Customer: { DisplayName: `Bulk ${i}` } }));
    const r = await api.batch(items);
    expect(r.status).toBe(400);
    expect(r.body.Fault.type).toBe('ValidationFault');
    expect(await admin.entities(REALM, 'Customer')).toHaveLength(1);
    const ok = await api.batch(items.slice(0, 30));
    expect(ok.status).toBe(200);
    expect((await admin.stats()).batchItems).toBe(30);
  });

  it('when batchMax is lowered at run time, then the new maximum applies', async () => {
    await admin.settings({ batchMax: 2 });
    const r = await api.batch([1, 2, 3].map((i) => ({ bId: `${i}`, Query: 'select * from Item' })));
    expect(r.status).toBe(400);
  });

  it('when a write repeats its requestid, then the first answer comes back and nothing is written twice', async () => {
    const first = await api.post('/customer?requestid=sf-001-attempt-1', { DisplayName: 'Once Only' });
    const again = await api.post('/customer?requestid=sf-001-attempt-1', { DisplayName: 'Once Only' });
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect((await admin.entities(REALM, 'Customer')).filter((c) => c.DisplayName === 'Once Only')).toHaveLength(1);
    const fresh = await api.post('/customer?requestid=sf-001-attempt-2', { DisplayName: 'Once Only' });
    expect(fresh.body.Fault.Error[0].code).toBe('6240');
  });

  it('when a faulted write repeats its requestid, then the same fault comes back even after the cause is gone', async () => {
    const first = await api.post('/invoice?requestid=r-9', { CustomerRef: { value: '1' }, Line: [] });
    expect(first.status).toBe(400);
    const again = await api.post('/invoice?requestid=r-9', {
      CustomerRef: { value: '1' },
      Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1, SalesItemLineDetail: { ItemRef: { value: '20' } } }],
    });
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
  });

  it('when a batch repeats its requestid, then the stored batch answer comes back', async () => {
    const items = [{ bId: '1', operation: 'create', Customer: { DisplayName: 'From Batch' } }];
    const first = await api.batch(items, 'batch-7');
    const again = await api.batch(items, 'batch-7');
    expect(again.text).toBe(first.text);
    expect((await admin.entities(REALM, 'Customer')).filter((c) => c.DisplayName === 'From Batch')).toHaveLength(1);
  });

  it('when the company ignores requestid (as reported of QuickBooks), then a repeated write is saved again (per company, or everywhere)', async () => {
    const items = [{ bId: '1', operation: 'create', Payment: { CustomerRef: { value: '1' }, TotalAmt: 25 } }];
    await admin.realmSettings(REALM, { ignoreRequestId: true });
    await api.batch(items, 'pay-1');
    await api.batch(items, 'pay-1');
    await api.post('/payment?requestid=pay-2', { CustomerRef: { value: '1' }, TotalAmt: 25 });
    await api.post('/payment?requestid=pay-2', { CustomerRef: { value: '1' }, TotalAmt: 25 });
    expect(await admin.entities(REALM, 'Payment')).toHaveLength(4);
    // null: the company follows the emulator-wide setting again (honour by default; ignore when set).
    await admin.realmSettings(REALM, { ignoreRequestId: null });
    await api.batch(items, 'pay-3');
    await api.batch(items, 'pay-3');
    expect(await admin.entities(REALM, 'Payment')).toHaveLength(5);
    await admin.settings({ ignoreRequestId: true });
    try {
      await api.batch(items, 'pay-4');
      await api.batch(items, 'pay-4');
      expect(await admin.entities(REALM, 'Payment')).toHaveLength(7);
    } finally {
      await admin.settings({ ignoreRequestId: false });
    }
  });

  it('when a withoutEntity or withoutId fault is queued, then the write is saved and only the answer misses the record or its Id', async () => {
    await admin.fault({ kind: 'withoutEntity', match: { entity: 'batch' } });
    const first = await api.batch(
      [
        { bId: '1', operation: 'create', Customer: { DisplayName: 'Saved Unseen' } },
        { bId: '2', operation: 'create', Customer: { DisplayName: 'Saved Seen' } },
      ],
      'damaged-1',
    );
    expect(first.status).toBe(200);
    expect(first.body.BatchItemResponse[0]).toEqual({ bId: '1' });
    expect(first.body.BatchItemResponse[1].Customer.DisplayName).toBe('Saved Seen');
    // What QuickBooks stored for the requestid is the whole answer.
    const replay = await api.batch([], 'damaged-1');
    expect(replay.body.BatchItemResponse[0].Customer.DisplayName).toBe('Saved Unseen');
    await admin.fault({ kind: 'withoutId', match: { entity: 'customer' } });
    const single = await api.post('/customer', { DisplayName: 'No Id Shown' });
    expect(single.body.Customer.DisplayName).toBe('No Id Shown');
    expect(single.body.Customer.Id).toBeUndefined();
    const names = (await admin.entities(REALM, 'Customer')).map((c) => c.DisplayName);
    expect(names).toEqual(expect.arrayContaining(['Saved Unseen', 'Saved Seen', 'No Id Shown']));
  });

  it('when a requestid is longer than 50 characters, then it is the recorded 6000 fault', async () => {
    const long = 'x'.repeat(51);
    const r = await api.post(`/customer?requestid=${long}`, { DisplayName: 'Long Id' });
    expect(r.body.Fault.Error[0]).toMatchObject({
      code: '6000',
      Detail:
        'Business Validation Error: You cannot enter more than 50 characters in the request_id field. You tried entering xxxxxxxxxx..., which is 51 characters.',
    });
  });

  it('when a batch requestid plus a bId exceed 50 characters, then that item faults with 6000', async () => {
    const rid = 'r'.repeat(32);
    const r = await api.batch(
      [
        { bId: 'short', Query: 'select * from Item' },
        { bId: 'b'.repeat(36), Query: 'select * from Item' },
      ],
      rid,
    );
    expect(r.body.BatchItemResponse[0].QueryResponse).toBeDefined();
    expect(r.body.BatchItemResponse[1].Fault.Error[0].Detail).toContain('which is 68 characters');
  });

  it('when batch calls are counted, then each call and each item shows in the stats', async () => {
    await admin.resetStats();
    await api.batch([
      { bId: '1', Query: 'select * from Item' },
      { bId: '2', Query: 'select * from Customer' },
      { bId: '3', operation: 'create', Customer: { DisplayName: 'Counted Customer' } },
    ]);
    const stats = await admin.stats();
    expect(stats).toMatchObject({ total: 1, byKind: { batch: 1, query: 0 }, batchItems: 3, byEndpoint: { 'POST /batch': 1 } });
    expect(stats.batchItemsByEntity).toEqual({ Query: 2, Customer: 1 });
  });
});
