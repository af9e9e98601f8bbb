import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000001';

const META_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/;
const RESPONSE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$/;

const seedRealm = {
  realmId: REALM,
  companyInfo: { CompanyName: 'Brightwater Studio' },
  entities: {
    Account: [
      { Id: '79', Name: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome' },
      { Id: '80', Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold' },
      { Id: '81', Name: 'Inventory Asset', AccountType: 'Other Current Asset' },
      { Id: '82', Name: 'Old Income', AccountType: 'Income', Active: false },
    ],
    Vendor: [{ Id: '10', DisplayName: 'Paper Supplies Inc' }],
    Employee: [{ Id: '11', DisplayName: 'Emma Employee' }],
    Customer: [
      {
        Id: '1',
        DisplayName: "Amy's Bird Sanctuary",
        GivenName: 'Amy',
        FamilyName: 'Lauterbach',
        CompanyName: "Amy's Bird Sanctuary",
        BillAddr: { Line1: '4581 Finch St.', City: 'Bayshore' },
      },
      { Id: '2', DisplayName: 'Gone Customer', Active: false },
    ],
    Item: [
      { Id: '20', Name: 'Design', Type: 'Service', IncomeAccountRef: { value: '79' }, UnitPrice: 75 },
      { Id: '21', Name: 'Old Item', Type: 'Service', IncomeAccountRef: { value: '79' }, Active: false },
    ],
  },
};

function line(amount: number, qty?: number, unitPrice?: number, item = '20') {
  return { DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: item }, Qty: qty, UnitPrice: unitPrice } };
}

describe('QBO emulator: entities over HTTP', () => {
  const { emu, admin, connect } = useQboEmulator([seedRealm]);
  const api = connect(REALM);

  const fault = (body: any) => body.Fault.Error[0];

  describe('customers', () => {
    it('when a customer is created, then the answer is wrapped and shaped like the recorded one', async () => {
      const r = await api.post('/customer?minorversion=75', {
        DisplayName: 'Test Customer',
        GivenName: 'Test',
        FamilyName: 'Customer',
        PrimaryEmailAddr: { Address: 'test@example.com' },
        PrimaryPhone: { FreeFormNumber: '(555) 555-1234' },
        BillAddr: { Line1: '123 Test Street', City: 'Mountain View' },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
      expect(r.headers.get('intuit_tid')).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(Object.keys(r.body)).toEqual(['Customer', 'time']);
      expect(r.body.time).toMatch(RESPONSE_TIME);
      const c = r.body.Customer;
      expect(c).toMatchObject({
        Taxable: false,
        BillAddr: { Id: expect.any(String), Line1: '123 Test Street', City: 'Mountain View' },
        Job: false,
        BillWithParent: false,
        Balance: 0,
        BalanceWithJobs: 0,
        CurrencyRef: { value: 'USD', name: 'United States Dollar' },
        PreferredDeliveryMethod: 'Print',
        IsProject: false,
        domain: 'QBO',
        sparse: false,
        // Customers are numbered on their own (seeded 1 and 2), as in the recordings.
        Id: '3',
        SyncToken: '0',
        GivenName: 'Test',
        FamilyName: 'Customer',
        FullyQualifiedName: 'Test Customer',
        DisplayName: 'Test Customer',
        PrintOnCheckName: 'Test Customer',
        Active: true,
      });
      expect(c.MetaData.CreateTime).toMatch(META_TIME);
      expect(c.MetaData.LastUpdatedTime).toBe(c.MetaData.CreateTime);

      const read = await api.get(`/customer/${c.Id}?minorversion=75`);
      expect(read.status).toBe(200);
      expect(read.body.Customer).toEqual(c);
    });

    it('when an unknown id is read, then it is a 610 Object Not Found fault', async () => {
      const r = await api.get('/customer/99999');
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.body.Fault.type).toBe('ValidationFault');
      expect(fault(r.body)).toEqual({
        Message: 'Object Not Found',
        Detail:
          "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
        code: '610',
        element: '',
      });
      expect(r.body.time).toMatch(RESPONSE_TIME);
    });

    it('when a sparse update carries the current SyncToken, then only the sent fields change and the token moves on', async () => {
      const r = await api.post('/customer', { Id: '1', SyncToken: '0', sparse: true, PrimaryEmailAddr: { Address: 'birds@intuit.com' } });
      expect(r.status).toBe(200);
      expect(r.body.Customer).toMatchObject({ Id: '1', SyncToken: '1', GivenName: 'Amy', PrimaryEmailAddr: { Address: 'birds@intuit.com' } });
      const again = await api.post('/customer?operation=update', { Id: '1', SyncToken: '1', sparse: true, Notes: 'n' });
      expect(again.body.Customer.SyncToken).toBe('2');
    });

    it('when an update carries a stale SyncToken, then it is a 5010 fault and nothing changes', async () => {
      await api.post('/customer', { Id: '1', SyncToken: '0', sparse: true, Notes: 'first' });
      const r = await api.post('/customer', { Id: '1', SyncToken: '0', sparse: true, Notes: 'second' });
      expect(r.status).toBe(400);
      expect(fault(r.body)).toMatchObject({ code: '5010', Message: 'Stale Object Error' });
      expect(fault(r.body).Detail).toMatch(/^Stale Object Error : You and root were working on this at the same time/);
      expect((await api.get('/customer/1')).body.Customer.Notes).toBe('first');
    });

    it('when a full update leaves fields out, then those fields are cleared', async () => {
      const r = await api.post('/customer', { Id: '1', SyncToken: '0', DisplayName: "Amy's Bird Sanctuary" });
      expect(r.body.Customer.GivenName).toBeUndefined();
      expect(r.body.Customer.CompanyName).toBeUndefined();
    });

    it('when a customer is made inactive, then QBO renames it "(deleted)" and its name is free again', async () => {
      const r = await api.post('/customer', { Id: '1', SyncToken: '0', sparse: true, Active: false });
      expect(r.body.Customer).toMatchObject({ Active: false, DisplayName: "Amy's Bird Sanctuary (deleted)" });
      const again = await api.post('/customer', { DisplayName: "Amy's Bird Sanctuary" });
      expect(again.status).toBe(200);
    });

    it.each([
      ['a vendor', 'paper supplies INC'],
      ['an employee', 'Emma Employee'],
      ['a customer', "amy's bird sanctuary"],
    ])('when the DisplayName is already used by %s (any case), then it is a 6240 fault', async (_who, name) => {
      const r = await api.post('/customer', { DisplayName: name });
      expect(r.status).toBe(400);
      expect(r.body.Fault).toEqual({
        Error: [
          {
            Message: 'Duplicate Name Exists Error',
            Detail: 'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
            code: '6240',
            element: '',
          },
        ],
        type: 'ValidationFault',
      });
    });

    it('when a vendor takes a customer name, then it is a 6240 fault too', async () => {
      const r = await api.post('/vendor', { DisplayName: "Amy's Bird Sanctuary" });
      expect(fault(r.body).code).toBe('6240');
      expect((await api.post('/vendor', { DisplayName: 'New Vendor' })).body.Vendor).toMatchObject({
        DisplayName: 'New Vendor',
        Vendor1099: false,
        Active: true,
      });
    });

    it.each([
      [{ DisplayName: 'x'.repeat(501) }, 'DisplayName', 500, 501],
      [{ DisplayName: 'ok', GivenName: 'g'.repeat(101) }, 'GivenName', 100, 101],
      [{ DisplayName: 'ok', FamilyName: 'f'.repeat(101) }, 'FamilyName', 100, 101],
      [{ DisplayName: 'ok', CompanyName: 'c'.repeat(101) }, 'CompanyName', 100, 101],
      [{ DisplayName: 'ok', PrimaryPhone: { FreeFormNumber: '5'.repeat(31) } }, 'PrimaryPhone.FreeFormNumber', 30, 31],
      [{ DisplayName: 'ok', PrimaryEmailAddr: { Address: `${'a'.repeat(89)}@example.com` } }, 'PrimaryEmailAddr.Address', 100, 101],
    ])('when a customer field is too long (%#), then it is a 2050 fault naming the element', async (body, element, max, supplied) => {
      const r = await api.post('/customer', body);
      expect(r.status).toBe(400);
      expect(fault(r.body)).toEqual({
        Message: 'String length is either shorter or longer than supported by specification',
        Detail: `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
        code: '2050',
        element,
      });
    });

    it('when the DisplayName is exactly 500 characters, then it is accepted', async () => {
      expect((await api.post('/customer', { DisplayName: 'y'.repeat(500) })).status).toBe(200);
    });

    it.each(['Parent:Child', 'Tab\there', 'Line\nbreak'])('when the DisplayName %j holds a separator, then it is a 2040 fault', async (name) => {
      const r = await api.post('/customer', { DisplayName: name });
      expect(fault(r.body)).toMatchObject({
        code: '2040',
        element: 'DisplayName',
        Message: 'Invalid String. The String may contain unsupported or illegal chars',
      });
    });

    it('when the body has a property the entity does not know, then it is a 2010 fault', async () => {
      const r = await api.post('/customer', { DisplayName: 'x', Nickname: 'y' });
      expect(fault(r.body)).toMatchObject({ code: '2010', Message: 'Request has invalid or unsupported property' });
      expect(fault(r.body).Detail).toContain('Unrecognized field "Nickname"');
    });

    it('when the body is not JSON, then it is a 400 fault', async () => {
      const res = await fetch(`${emu.url}/v3/company/${REALM}/customer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(await admin.tokens(REALM)).access_token}`, 'content-type': 'application/json' },
        body: '{"DisplayName":',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).Fault.type).toBe('ValidationFault');
    });
  });

  describe('items and accounts', () => {
    it('when a service item is created, then it is shaped like the recorded one', async () => {
      const r = await api.post('/item', { Name: 'Consulting', Type: 'Service', IncomeAccountRef: { value: '79' } });
      expect(r.body.Item).toMatchObject({
        Name: 'Consulting',
        Active: true,
        FullyQualifiedName: 'Consulting',
        Taxable: false,
        UnitPrice: 0,
        Type: 'Service',
        IncomeAccountRef: { value: '79', name: 'Sales of Product Income' },
        PurchaseCost: 0,
        TrackQtyOnHand: false,
        domain: 'QBO',
        sparse: false,
        SyncToken: '0',
      });
    });

    it('when an inventory item has all it needs, then it tracks quantity', async () => {
      const r = await api.post('/item', {
        Name: 'Widget',
        Type: 'Inventory',
        IncomeAccountRef: { value: '79' },
        ExpenseAccountRef: { value: '80' },
        AssetAccountRef: { value: '81' },
        QtyOnHand: 10,
        InvStartDate: '2024-01-01',
      });
      expect(r.body.Item).toMatchObject({ Type: 'Inventory', TrackQtyOnHand: true, QtyOnHand: 10, AssetAccountRef: { value: '81', name: 'Inventory Asset' } });
    });

    it.each([
      [{ Type: 'Service', IncomeAccountRef: { value: '79' } }, 'Name'],
      [{ Name: 'S', Type: 'Service' }, 'IncomeAccountRef'],
      [{ Name: 'N', Type: 'NonInventory' }, 'IncomeAccountRef'],
      [
        { Name: 'I', Type: 'Inventory', IncomeAccountRef: { value: '79' }, ExpenseAccountRef: { value: '80' }, QtyOnHand: 1, InvStartDate: '2024-01-01' },
        'AssetAccountRef',
      ],
      [
        {
          Name: 'I',
          Type: 'Inventory',
          IncomeAccountRef: { value: '79' },
          ExpenseAccountRef: { value: '80' },
          AssetAccountRef: { value: '81' },
          InvStartDate: '2024-01-01',
        },
        'QtyOnHand',
      ],
      [
        { Name: 'I', Type: 'Inventory', IncomeAccountRef: { value: '79' }, ExpenseAccountRef: { value: '80' }, AssetAccountRef: { value: '81' }, QtyOnHand: 1 },
        'InvStartDate',
      ],
    ])('when a required item field is missing (%#), then it is a 2020 fault', async (body, element) => {
      const r = await api.post('/item', body);
      expect(fault(r.body)).toEqual({
        Message: 'Required param missing, need to supply the required value for the API',
        Detail: `Required parameter ${element} is missing in the request`,
        code: '2020',
        element,
      });
    });

    it('when an item name is taken by another item (any case), then it is a 6240 fault', async () => {
      const r = await api.post('/item', { Name: 'DESIGN', Type: 'Service', IncomeAccountRef: { value: '79' } });
      expect(fault(r.body)).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' });
      expect(fault(r.body).Detail).toContain('Another product or service is already using this name');
    });

    it('when an item name matches a customer name, then it is accepted (names are per list)', async () => {
      expect((await api.post('/item', { Name: "Amy's Bird Sanctuary", Type: 'Service', IncomeAccountRef: { value: '79' } })).status).toBe(200);
    });

    it.each([
      [{ Name: 'n'.repeat(101), Type: 'Service', IncomeAccountRef: { value: '79' } }, 'Name', 100, 101],
      [{ Name: 'n', Sku: 's'.repeat(101), Type: 'Service', IncomeAccountRef: { value: '79' } }, 'Sku', 100, 101],
      [{ Name: 'n', Description: 'd'.repeat(4001), Type: 'Service', IncomeAccountRef: { value: '79' } }, 'Description', 4000, 4001],
    ])('when an item field is too long (%#), then it is a 2050 fault', async (body, element, max, supplied) => {
      expect(fault((await api.post('/item', body)).body)).toMatchObject({
        code: '2050',
        element,
        Detail: expect.stringContaining(`Max:${max} supported. Supplied length:${supplied}`),
      });
    });

    it('when an item name holds a colon, then it is a 2040 fault', async () => {
      expect(fault((await api.post('/item', { Name: 'A:B', Type: 'Service', IncomeAccountRef: { value: '79' } })).body).code).toBe('2040');
    });

    it('when an item points at an unknown or inactive account, then it is 2500 or 610', async () => {
      expect(fault((await api.post('/item', { Name: 'X', Type: 'Service', IncomeAccountRef: { value: '999' } })).body)).toMatchObject({
        code: '2500',
        Message: 'Invalid Reference Id',
      });
      expect(fault((await api.post('/item', { Name: 'X', Type: 'Service', IncomeAccountRef: { value: '82' } })).body).code).toBe('610');
    });

    it('when an account is created, then it is classified by type; tax codes cannot be created', async () => {
      expect((await api.post('/account', { Name: 'Consulting Income', AccountType: 'Income' })).body.Account).toMatchObject({
        Classification: 'Revenue',
        Active: true,
      });
      const tax = await api.post('/taxcode', { Name: 'TAX' });
      expect(fault(tax.body)).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
    });
  });

  describe('counts', () => {
    const counts = async (realmId: string) => (await fetch(`${emu.url}/__admin/realms/${realmId}/counts`)).json() as Promise<any>;
    const invoice = (path: string, DocNumber: string) => api.post(path, { CustomerRef: { value: '1' }, DocNumber, Line: [line(75, 1, 75)] });

    it('when invoices are added, one with a DocNumber already used, then the counts say how many of each and how many numbers are shared', async () => {
      expect(await counts(REALM)).toEqual({
        realmId: REALM,
        counts: expect.objectContaining({ Customer: 2, Item: 2, Account: 4, Vendor: 1, Employee: 1, Invoice: 0 }),
        sharedInvoiceDocNumbers: 0,
      });
      expect((await invoice('/invoice', 'C-1')).status).toBe(200);
      expect((await invoice('/invoice', 'C-2')).status).toBe(200);
      expect((await invoice('/invoice?include=allowduplicatedocnum', 'C-1')).status).toBe(200);
      const after = await counts(REALM);
      expect(after.counts.Invoice).toBe(3);
      expect(after.sharedInvoiceDocNumbers).toBe(1);
      expect((await fetch(`${emu.url}/__admin/realms/404/counts`)).status).toBe(404);
    });
  });

  describe('invoices', () => {
    it('when an invoice is created, then totals, the subtotal line and line ids are computed', async () => {
      const r = await api.post('/invoice', {
        CustomerRef: { value: '1' },
        TxnDate: '2024-01-15',
        PrivateNote: 'SF:a0B000000000001',
        CustomerMemo: { value: 'Thanks' },
        DocNumber: 'SO-1',
        Line: [
          { ...line(150, 2, 75), Description: 'Design work' },
          line(1861.08, 128.35, 14.5),
          { DetailType: 'DiscountLineDetail', Amount: 10, DiscountLineDetail: { PercentBased: false } },
        ],
        TxnTaxDetail: { TotalTax: 5.5 },
      });
      expect(r.status).toBe(200);
      const inv = r.body.Invoice;
      expect(inv).toMatchObject({
        DocNumber: 'SO-1',
        TxnDate: '2024-01-15',
        DueDate: '2024-02-14',
        PrivateNote: 'SF:a0B000000000001',
        CustomerMemo: { value: 'Thanks' },
        CurrencyRef: { value: 'USD', name: 'United States Dollar' },
        CustomerRef: { value: '1', name: "Amy's Bird Sanctuary" },
        BillAddr: { Line1: '4581 Finch St.' },
        TxnTaxDetail: { TotalTax: 5.5 },
        TotalAmt: 2006.58,
        Balance: 2006.58,
        LinkedTxn: [],
        SyncToken: '0',
        domain: 'QBO',
        sparse: false,
      });
      expect(inv.Line).toEqual([
        {
          Id: '1',
          LineNum: 1,
          Description: 'Design work',
          Amount: 150,
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: {
            ItemRef: { value: '20', name: 'Design' },
            UnitPrice: 75,
            Qty: 2,
            ItemAccountRef: { value: '79', name: 'Sales of Product Income' },
            TaxCodeRef: { value: 'NON' },
          },
        },
        expect.objectContaining({ Id: '2', LineNum: 2, Amount: 1861.08 }),
        { Amount: 2011.08, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
        { Amount: 10, DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: false } },
      ]);
      expect((await admin.entities(REALM, 'Customer')).find((c) => c.Id === '1').Balance).toBe(2006.58);
    });

    it('when a percent discount is given, then its amount comes from the subtotal', async () => {
      const r = await api.post('/invoice', {
        CustomerRef: { value: '1' },
        Line: [line(200, 1, 200), { DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: true, DiscountPercent: 7.5 } }],
      });
      expect(r.body.Invoice.TotalAmt).toBe(185);
      expect(r.body.Invoice.Line[2]).toMatchObject({ Amount: 15, DetailType: 'DiscountLineDetail' });
    });

    it('when Amount differs from Qty × UnitPrice, then it is a 6070 fault', async () => {
      const r = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(1000, 7, 225)] });
      expect(fault(r.body)).toEqual({
        Message: 'Amount calculation incorrect in the request.',
        Detail: 'Amount is not equal to UnitPrice * Qty. Supplied value:1,000',
        code: '6070',
        element: 'Line.Amount',
      });
      const halfCent = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(1861.07, 128.35, 14.5)] });
      expect(fault(halfCent.body).code).toBe('6070');
    });

    it.each([
      [{ Line: [line(75, 1, 75)] }, 'CustomerRef'],
      [{ CustomerRef: { value: '1' } }, 'Line'],
      [{ CustomerRef: { value: '1' }, Line: [] }, 'Line'],
    ])('when a required invoice field is missing (%#), then it is a 2020 fault', async (body, element) => {
      expect(fault((await api.post('/invoice', body)).body)).toMatchObject({ code: '2020', element });
    });

    it('when the customer or item does not exist, then it is a 2500 fault', async () => {
      const noCustomer = await api.post('/invoice', { CustomerRef: { value: '404' }, Line: [line(75, 1, 75)] });
      expect(fault(noCustomer.body)).toMatchObject({
        code: '2500',
        Message: 'Invalid Reference Id',
        Detail: 'Invalid Reference Id : Names element id 404 not found',
      });
      const noItem = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75, '404')] });
      expect(fault(noItem.body).code).toBe('2500');
    });

    it('when the customer or item is inactive, then it is a 610 fault', async () => {
      expect(fault((await api.post('/invoice', { CustomerRef: { value: '2' }, Line: [line(75, 1, 75)] })).body).code).toBe('610');
      expect(fault((await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75, '21')] })).body).code).toBe('610');
    });

    it.each([
      [{ DocNumber: 'D'.repeat(22) }, 'DocNumber', 21, 22],
      [{ PrivateNote: 'p'.repeat(4001) }, 'PrivateNote', 4000, 4001],
      [{ CustomerMemo: { value: 'm'.repeat(1001) } }, 'CustomerMemo', 1000, 1001],
    ])('when an invoice field is too long (%#), then it is a 2050 fault', async (extra, element, max, supplied) => {
      const r = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75)], ...extra });
      expect(fault(r.body)).toMatchObject({ code: '2050', element, Detail: expect.stringContaining(`Max:${max} supported. Supplied length:${supplied}`) });
    });

    it('when custom transaction numbers are on and DocNumber is left out, then the invoice has no number', async () => {
      const r = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75)] });
      expect(r.body.Invoice.DocNumber).toBeUndefined();
    });

    it('when custom transaction numbers are off, then a sent DocNumber is ignored and the sequence is used', async () => {
      await admin.preferences(REALM, { customTxnNumbers: false });
      const prefs = (await api.get('/preferences')).body.Preferences;
      expect(prefs.SalesFormsPrefs.CustomTxnNumbers).toBe(false);
      const first = await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: 'MINE-1', Line: [line(75, 1, 75)] });
      const second = await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75)] });
      expect([first.body.Invoice.DocNumber, second.body.Invoice.DocNumber]).toEqual(['1001', '1002']);
    });

    it('when a DocNumber is reused and the duplicate warning is on, then it is a 6140 fault unless allowduplicatedocnum is sent', async () => {
      const first = await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: '18696', Line: [line(75, 1, 75)] });
      const dup = await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: '18696', Line: [line(75, 1, 75)] });
      expect(dup.status).toBe(400);
      expect(fault(dup.body)).toEqual({
        Message: 'Duplicate Document Number Error',
        Detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=18696 is assigned to TxnType=Invoice with TxnId=${first.body.Invoice.Id}`,
        code: '6140',
        element: '',
      });
      const allowed = await api.post('/invoice?include=allowduplicatedocnum', { CustomerRef: { value: '1' }, DocNumber: '18696', Line: [line(75, 1, 75)] });
      expect(allowed.status).toBe(200);
    });

    it('when the duplicate warning is off, then a reused DocNumber is accepted', async () => {
      await admin.preferences(REALM, { warnDuplicateDocNum: false });
      await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: 'A-1', Line: [line(75, 1, 75)] });
      expect((await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: 'A-1', Line: [line(75, 1, 75)] })).status).toBe(200);
    });

    it('when a foreign currency is used without multicurrency, then it is a 6000 business validation fault', async () => {
      const r = await api.post('/invoice', { CustomerRef: { value: '1' }, CurrencyRef: { value: 'EUR' }, Line: [line(75, 1, 75)] });
      expect(fault(r.body)).toMatchObject({ code: '6000', Message: 'A business validation error has occurred while processing your request' });
    });

    it('when multicurrency is on and the customer bills in EUR, then a EUR invoice is accepted', async () => {
      await admin.preferences(REALM, { multiCurrency: true });
      const customer = await api.post('/customer', { DisplayName: 'Euro GmbH', CurrencyRef: { value: 'EUR' } });
      const r = await api.post('/invoice', {
        CustomerRef: { value: customer.body.Customer.Id },
        CurrencyRef: { value: 'EUR' },
        ExchangeRate: 1.08,
        Line: [line(75, 1, 75)],
      });
      expect(r.body.Invoice).toMatchObject({ CurrencyRef: { value: 'EUR', name: 'Euro' }, ExchangeRate: 1.08 });
    });

    it('when a payment is applied, then the invoice balance drops and the link is recorded', async () => {
      const inv = (await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(150, 2, 75)] })).body.Invoice;
      const pay = await api.post('/payment', {
        CustomerRef: { value: '1' },
        TotalAmt: 100,
        Line: [{ Amount: 100, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
      });
      expect(pay.body.Payment).toMatchObject({ TotalAmt: 100, UnappliedAmt: 0, CustomerRef: { value: '1', name: "Amy's Bird Sanctuary" } });
      const after = (await api.get(`/invoice/${inv.Id}`)).body.Invoice;
      expect(after).toMatchObject({ Balance: 50, TotalAmt: 150, SyncToken: '1', LinkedTxn: [{ TxnId: pay.body.Payment.Id, TxnType: 'Payment' }] });
      const over = await api.post('/payment', {
        CustomerRef: { value: '1' },
        TotalAmt: 60,
        Line: [{ Amount: 60, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
      });
      expect(fault(over.body).code).toBe('6000');
      const unapplied = await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 25 });
      expect(unapplied.body.Payment).toMatchObject({ UnappliedAmt: 25, Line: [] });
    });

    it('when an invoice is deleted, then the answer says Deleted and a read gives 610', async () => {
      const inv = (await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75)] })).body.Invoice;
      const del = await api.post('/invoice?operation=delete', { Id: inv.Id, SyncToken: inv.SyncToken });
      expect(del.body.Invoice).toEqual({ status: 'Deleted', domain: 'QBO', Id: inv.Id });
      expect(fault((await api.get(`/invoice/${inv.Id}`)).body).code).toBe('610');
    });

    it('when an invoice is updated, then sparse keeps the lines, a new Line list recomputes totals and payments stay applied', async () => {
      const inv = (await api.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(150, 2, 75)] })).body.Invoice;
      await api.post('/payment', { CustomerRef: { value: '1' }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
      const current = (await api.get(`/invoice/${inv.Id}`)).body.Invoice;
      const sparse = await api.post('/invoice', { Id: inv.Id, SyncToken: current.SyncToken, sparse: true, PrivateNote: 'updated' });
      expect(sparse.body.Invoice).toMatchObject({ PrivateNote: 'updated', TotalAmt: 150, Balance: 100, SyncToken: String(Number(current.SyncToken) + 1) });
      expect(sparse.body.Invoice.Line).toHaveLength(2);
      const relined = await api.post('/invoice', { Id: inv.Id, SyncToken: sparse.body.Invoice.SyncToken, sparse: true, Line: [line(300, 4, 75)] });
      expect(relined.body.Invoice).toMatchObject({ TotalAmt: 300, Balance: 250 });
      expect((await admin.entities(REALM, 'Customer')).find((c) => c.Id === '1').Balance).toBe(250);
    });

    it('when a seeded invoice holds a DocNumber, then an API invoice reusing it gets 6140', async () => {
      await admin.seed([{ realmId: REALM, entities: { Invoice: [{ Id: '500', DocNumber: 'HIST-1', CustomerRef: { value: '1' }, Line: [line(75, 1, 75)] }] } }]);
      const r = await api.post('/invoice', { CustomerRef: { value: '1' }, DocNumber: 'hist-1', Line: [line(75, 1, 75)] });
      expect(fault(r.body).Detail).toContain('DocNumber=hist-1 is assigned to TxnType=Invoice with TxnId=500');
    });

    it('when invoices are queried by customer, date and note, then the filters apply', async () => {
      await api.post('/invoice', { CustomerRef: { value: '1' }, TxnDate: '2024-03-01', PrivateNote: 'SF:a0B1', Line: [line(75, 1, 75)] });
      await api.post('/invoice', { CustomerRef: { value: '1' }, TxnDate: '2024-05-01', PrivateNote: 'SF:a0B2', Line: [line(75, 1, 75)] });
      const byCustomer = await api.query("SELECT * FROM Invoice WHERE CustomerRef = '1' AND TxnDate >= '2024-04-01'");
      expect(byCustomer.body.QueryResponse.Invoice.map((i: any) => i.PrivateNote)).toEqual(['SF:a0B2']);
      const byNote = await api.query("SELECT COUNT(*) FROM Invoice WHERE PrivateNote LIKE 'SF:a0B%'");
      expect(byNote.body.QueryResponse.totalCount).toBe(2);
    });

    it('when a sub-customer is created, then it is a job under its parent', async () => {
      const r = await api.post('/customer', { DisplayName: 'Aviary Project', ParentRef: { value: '1' }, BillWithParent: true });
      expect(r.body.Customer).toMatchObject({
        Job: true,
        Level: 1,
        BillWithParent: true,
        ParentRef: { value: '1' },
        FullyQualifiedName: "Amy's Bird Sanctuary:Aviary Project",
      });
    });

    it('when a credit memo is created, then its remaining credit is its total', async () => {
      const r = await api.post('/creditmemo', { CustomerRef: { value: '1' }, Line: [line(75, 1, 75)] });
      expect(r.body.CreditMemo).toMatchObject({ TotalAmt: 75, RemainingCredit: 75, Balance: 75 });
    });
  });

  describe('company, preferences, queries and admin views', () => {
    it('when company info and preferences are read, then they reflect the seed and the defaults', async () => {
      const info = await api.get(`/companyinfo/${REALM}`);
      expect(info.body.CompanyInfo).toMatchObject({ CompanyName: 'Brightwater Studio', Country: 'US', domain: 'QBO', Id: '1' });
      const prefs = (await api.get('/preferences?minorversion=75')).body.Preferences;
      expect(prefs.SalesFormsPrefs.CustomTxnNumbers).toBe(true);
      expect(prefs.CurrencyPrefs).toEqual({ MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } });
    });

    it('when a query is sent by GET or by POST, then the same rows come back under the entity name', async () => {
      const byGet = await api.query("select * from customer where DisplayName = 'Amy\\'s Bird Sanctuary'");
      expect(byGet.body.QueryResponse).toMatchObject({ Customer: [{ Id: '1' }], startPosition: 1, maxResults: 1 });
      expect(byGet.body.time).toMatch(RESPONSE_TIME);
      const res = await fetch(`${emu.url}/v3/company/${REALM}/query?minorversion=75`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(await admin.tokens(REALM)).access_token}`, 'content-type': 'application/text' },
        body: 'SELECT COUNT(*) FROM Item',
      });
      expect(((await res.json()) as any).QueryResponse).toEqual({ totalCount: 1 });
    });

    it('when a query is malformed, then it is an HTTP 400 with code 4000', async () => {
      const r = await api.query('SELECT * FROM Customer WHERE');
      expect(r.status).toBe(400);
      expect(fault(r.body)).toMatchObject({ code: '4000', Message: 'Error parsing query' });
    });

    it('when the admin lists entities, then inactive ones are included', async () => {
      const customers = await admin.entities(REALM, 'customer');
      expect(customers.map((c) => c.DisplayName)).toEqual(["Amy's Bird Sanctuary", 'Gone Customer (deleted)']);
    });
  });

  describe('scale', () => {
    it('when the company has 10k customers, then duplicate checks and a 1000-row page stay fast', async () => {
      const customers = Array.from({ length: 10000 }, (_, i) => ({ DisplayName: `Customer ${i}`, PrimaryEmailAddr: { Address: `c${i}@example.com` } }));
      const t0 = Date.now();
      const seeded = await admin.seed([{ realmId: REALM, entities: { Customer: customers } }]);
      expect(seeded.realms[0].counts.Customer).toBe(10002);
      const dup = await api.post('/customer', { DisplayName: 'customer 9999' });
      expect(fault(dup.body).code).toBe('6240');
      const page = await api.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Customer%' STARTPOSITION 9001 MAXRESULTS 1000");
      expect(page.body.QueryResponse.maxResults).toBe(1000);
      expect(Date.now() - t0).toBeLessThan(5000);
    });
  });
});
