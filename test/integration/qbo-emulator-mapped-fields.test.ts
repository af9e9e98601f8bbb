// What peers map, on the QuickBooks emulator: multicurrency (rates per date, home amounts, the currency rules of
// customers and accounts), sales tax (US automated sales tax by ship-to state; a Canadian company's tax codes per
// line), classes and locations, and the three sales-form custom fields — shaped like the recorded answers
// (NangoHQ/integration-templates integrations/quickbooks/tests/get-invoice.test.json for TxnTaxDetail;
// quickbooks-ruby spec/fixtures/exchange_rate_by_currency.xml, class.xml, department.xml).
import { useQboEmulator } from '../support/qbo';

const US = '9341450000000071';
const CA = '9341450000000072';

const accounts = [
  { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds' },
  { Id: '35', Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking' },
  { Id: '36', Name: 'Checking GBP', AccountType: 'Bank', AccountSubType: 'Checking', CurrencyRef: { value: 'GBP' } },
  { Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' },
];
const item = { Id: '5', Name: 'Rock Fountain', Type: 'Service', UnitPrice: 10.1, IncomeAccountRef: { value: '79' } };

const realms = [
  {
    realmId: US,
    preferences: { multiCurrency: true },
    exchangeRates: [
      { SourceCurrencyCode: 'EUR', AsOfDate: '2026-10-01', Rate: 1.1 },
      { SourceCurrencyCode: 'EUR', AsOfDate: '2026-10-15', Rate: 1.125 },
    ],
    entities: {
      Account: accounts,
      Customer: [
        { Id: '1', DisplayName: "Amy's Bird Sanctuary" },
        { Id: '2', DisplayName: 'Euro GmbH', CurrencyRef: { value: 'EUR' } },
      ],
      Item: [item],
    },
  },
  {
    realmId: CA,
    companyInfo: { CompanyName: 'Maple Supply Ltd.', Country: 'CA', CompanyAddr: { Line1: '1 Front St', City: 'Toronto', CountrySubDivisionCode: 'ON' } },
    preferences: { homeCurrency: 'CAD', usingSalesTax: true },
    entities: {
      Account: accounts.slice(0, 2).concat(accounts[3]!),
      TaxRate: [
        { Id: '7', Name: 'HST ON', RateValue: 13, AgencyRef: { value: '1' } },
        { Id: '8', Name: 'GST', RateValue: 5, AgencyRef: { value: '1' } },
      ],
      TaxCode: [
        {
          Id: '3',
          Name: 'HST ON',
          SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '7', name: 'HST ON' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] },
        },
        {
          Id: '4',
          Name: 'GST',
          SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '8', name: 'GST' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] },
        },
        { Id: '5', Name: 'Exempt', Taxable: false },
      ],
      Customer: [{ Id: '1', DisplayName: 'Lakeshore Cafe' }],
      Item: [item],
    },
  },
];

const line = (amount: number, qty: number, extra: Record<string, unknown> = {}) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: qty, UnitPrice: amount / qty, ...extra },
});
const fault = (body: any) => body.Fault.Error[0];

describe('QBO emulator: currencies, sales tax, classes, locations and custom fields', () => {
  const { admin, connect } = useQboEmulator(realms);
  const us = connect(US);
  const ca = connect(CA);

  describe('multicurrency', () => {
    it('when a rate is asked for a date, then it is the company rate set on or before it, else the market rate, in the recorded shape', async () => {
      const own = await us.get('/exchangerate?sourcecurrencycode=EUR&asofdate=2026-10-20');
      expect(own.status).toBe(200);
      expect(Object.keys(own.body.ExchangeRate)).toEqual([
        'domain',
        'sparse',
        'SyncToken',
        'MetaData',
        'SourceCurrencyCode',
        'TargetCurrencyCode',
        'Rate',
        'AsOfDate',
      ]);
      expect(own.body.ExchangeRate).toMatchObject({ SourceCurrencyCode: 'EUR', TargetCurrencyCode: 'USD', Rate: 1.125, AsOfDate: '2026-10-15' });
      expect((await us.get('/exchangerate?sourcecurrencycode=EUR&asofdate=2026-10-05')).body.ExchangeRate.Rate).toBe(1.1);
      expect((await us.get('/exchangerate?sourcecurrencycode=GBP&asofdate=2026-10-05')).body.ExchangeRate).toMatchObject({
        Rate: 1.27,
        AsOfDate: '2026-10-05',
      });
      const off = await ca.get('/exchangerate?sourcecurrencycode=USD&asofdate=2026-10-05');
      expect(fault(off.body)).toMatchObject({ code: '6000' });
    });

    it('when a EUR invoice is created without a rate, then it takes the rate of its date and reports home amounts that follow its balance', async () => {
      const inv = (await us.post('/invoice', { CustomerRef: { value: '2' }, TxnDate: '2026-10-16', Line: [line(200, 2)] })).body.Invoice;
      expect(inv).toMatchObject({
        CurrencyRef: { value: 'EUR', name: 'Euro' },
        ExchangeRate: 1.125,
        TotalAmt: 200,
        HomeTotalAmt: 225,
        Balance: 200,
        HomeBalance: 225,
      });
      const pay = await us.post('/payment', {
        CustomerRef: { value: '2' },
        TotalAmt: 80,
        TxnDate: '2026-10-16',
        Line: [{ Amount: 80, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
      });
      expect(pay.body.Payment).toMatchObject({ CurrencyRef: { value: 'EUR' }, ExchangeRate: 1.125, TotalAmt: 80 });
      expect((await us.get(`/invoice/${inv.Id}`)).body.Invoice).toMatchObject({ Balance: 120, HomeBalance: 135 });
    });

    it('when a customer with transactions is given another currency, then it is refused; one without transactions may change', async () => {
      const fresh = (await us.post('/customer', { DisplayName: 'Pound Ltd', CurrencyRef: { value: 'GBP' } })).body.Customer;
      const moved = await us.post('/customer', { Id: fresh.Id, SyncToken: fresh.SyncToken, sparse: true, CurrencyRef: { value: 'EUR' } });
      expect(moved.body.Customer.CurrencyRef).toEqual({ value: 'EUR', name: 'Euro' });
      await us.post('/invoice', { CustomerRef: { value: '2' }, Line: [line(20, 2)] });
      const euro = (await us.get('/customer/2')).body.Customer;
      const r = await us.post('/customer', { Id: '2', SyncToken: euro.SyncToken, sparse: true, CurrencyRef: { value: 'USD' } });
      expect(fault(r.body)).toMatchObject({ code: '6000' });
      expect(fault(r.body).Detail).toContain('EUR');
    });

    it('when a USD invoice is sent for a EUR customer, or money goes to an account in a third currency, then it is a 6000', async () => {
      const usd = await us.post('/invoice', { CustomerRef: { value: '2' }, CurrencyRef: { value: 'USD' }, Line: [line(20, 2)] });
      expect(fault(usd.body)).toMatchObject({ code: '6000' });
      const receipt = await us.post('/salesreceipt', { CustomerRef: { value: '2' }, DepositToAccountRef: { value: '36' }, Line: [line(20, 2)] });
      expect(fault(receipt.body)).toMatchObject({
        code: '6000',
        Detail: 'Business Validation Error: The currency of the account must be either in home currency or the transaction currency.',
      });
    });
  });

  describe('automated sales tax (US)', () => {
    beforeEach(async () => {
      await admin.preferences(US, { automatedSalesTax: { CA: 8.25, NY: 8.875 } });
    });

    it('when taxable lines ship to a state, then QuickBooks computes that state rate on their sum, in the recorded TxnTaxDetail shape', async () => {
      const body = {
        CustomerRef: { value: '1' },
        ShipAddr: { Line1: '1 Main St', City: 'Albany', CountrySubDivisionCode: 'NY', PostalCode: '12207' },
        Line: [line(10.1, 1, { TaxCodeRef: { value: 'TAX' } }), line(10.1, 1, { TaxCodeRef: { value: 'TAX' } }), line(5, 1, { TaxCodeRef: { value: 'NON' } })],
      };
      const inv = (await us.post('/invoice', body)).body.Invoice;
      const ny = (await us.query("select * from TaxCode where Name = 'New York'")).body.QueryResponse.TaxCode[0];
      // 20.20 × 8.875% = 1.79275 → 1.79 (rounded once, on the sum).
      expect(inv.TxnTaxDetail).toEqual({
        TxnTaxCodeRef: { value: ny.Id },
        TotalTax: 1.79,
        TaxLine: [
          {
            Amount: 1.79,
            DetailType: 'TaxLineDetail',
            TaxLineDetail: {
              TaxRateRef: { value: ny.SalesTaxRateList.TaxRateDetail[0].TaxRateRef.value },
              PercentBased: true,
              TaxPercent: 8.875,
              NetAmountTaxable: 20.2,
            },
          },
        ],
      });
      expect(inv.TotalAmt).toBe(26.99);
      const home = (await us.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(10.1, 1, { TaxCodeRef: { value: 'TAX' } })] })).body.Invoice;
      expect(home.TxnTaxDetail.TotalTax).toBe(0.83);
      const prefs = (await us.get('/preferences')).body.Preferences;
      expect(prefs.TaxPrefs).toEqual({ UsingSalesTax: true, PartnerTaxEnabled: true });
    });

    it('when a total tax is sent, then QuickBooks keeps that amount instead of its own', async () => {
      const inv = (
        await us.post('/invoice', { CustomerRef: { value: '1' }, TxnTaxDetail: { TotalTax: 1.66 }, Line: [line(20.2, 2, { TaxCodeRef: { value: 'TAX' } })] })
      ).body.Invoice;
      expect(inv.TxnTaxDetail).toMatchObject({ TotalTax: 1.66, TaxLine: [{ Amount: 1.66, TaxLineDetail: { NetAmountTaxable: 20.2 } }] });
      expect(inv.TotalAmt).toBe(21.86);
    });

    it('when a line names a tax code of its own, then it is refused: automated sales tax picks the rate', async () => {
      const code = (await us.query("select * from TaxCode where Name = 'California'")).body.QueryResponse.TaxCode[0];
      const r = await us.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(20, 2, { TaxCodeRef: { value: code.Id } })] });
      expect(fault(r.body)).toMatchObject({ code: '6000' });
    });
  });

  describe('tax codes per line (Canada)', () => {
    it('when a line has no tax code, then it is the 6000 integrators quote; with codes, each rate is applied to its lines', async () => {
      const missing = await ca.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(100, 1)] });
      expect(fault(missing.body)).toMatchObject({
        code: '6000',
        Detail: 'Business Validation Error: Make sure all your transactions have a GST/HST rate before you save',
      });
      const inv = (
        await ca.post('/invoice', {
          CustomerRef: { value: '1' },
          Line: [line(99.99, 1, { TaxCodeRef: { value: '3' } }), line(40.5, 3, { TaxCodeRef: { value: '4' } }), line(12, 1, { TaxCodeRef: { value: '5' } })],
        })
      ).body.Invoice;
      expect(inv.CurrencyRef).toEqual({ value: 'CAD', name: 'Canadian Dollar' });
      expect(inv.Line.slice(0, 3).map((l: any) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['3', '4', '5']);
      // 99.99 × 13% = 13.00 (12.9987); 40.50 × 5% = 2.03 (2.025).
      expect(inv.TxnTaxDetail.TaxLine.map((t: any) => [t.TaxLineDetail.TaxRateRef.value, t.Amount, t.TaxLineDetail.NetAmountTaxable])).toEqual([
        ['7', 13, 99.99],
        ['8', 2.03, 40.5],
      ]);
      expect(inv.TxnTaxDetail.TotalTax).toBe(15.03);
      expect(inv.TotalAmt).toBe(167.52);
    });
  });

  describe('classes and locations', () => {
    it('when classes and locations are created, then they are found by name and a second of one name is 6240', async () => {
      const cls = await us.post('/class', { Name: 'Retail' });
      expect(Object.keys(cls.body.Class)).toEqual(['Name', 'SubClass', 'FullyQualifiedName', 'Active', 'domain', 'sparse', 'Id', 'SyncToken', 'MetaData']);
      const dep = await us.post('/department', { Name: 'Boston' });
      expect(dep.body.Department).toMatchObject({ Name: 'Boston', SubDepartment: false, FullyQualifiedName: 'Boston', Active: true });
      expect((await us.query("select * from Class where Name = 'retail'")).body.QueryResponse.Class[0].Id).toBe(cls.body.Class.Id);
      expect(fault((await us.post('/class', { Name: 'Retail' })).body)).toMatchObject({ code: '6240' });
    });

    it('when the company tracks a class per transaction and locations, then the invoice keeps both with their names; per line, the line keeps it', async () => {
      const cls = (await us.post('/class', { Name: 'Retail' })).body.Class;
      const dep = (await us.post('/department', { Name: 'Boston' })).body.Department;
      const body = {
        CustomerRef: { value: '1' },
        ClassRef: { value: cls.Id },
        DepartmentRef: { value: dep.Id },
        Line: [line(20, 2, { ClassRef: { value: cls.Id } })],
      };
      const untracked = (await us.post('/invoice', body)).body.Invoice;
      expect(untracked.ClassRef).toBeUndefined();
      expect(untracked.DepartmentRef).toBeUndefined();
      await admin.preferences(US, { classTracking: 'transaction', trackLocations: true });
      const perTxn = (await us.post('/invoice', body)).body.Invoice;
      expect(perTxn).toMatchObject({ ClassRef: { value: cls.Id, name: 'Retail' }, DepartmentRef: { value: dep.Id, name: 'Boston' } });
      expect(perTxn.Line[0].SalesItemLineDetail.ClassRef).toBeUndefined();
      await admin.preferences(US, { classTracking: 'line' });
      const perLine = (await us.post('/invoice', body)).body.Invoice;
      expect(perLine.ClassRef).toBeUndefined();
      expect(perLine.Line[0].SalesItemLineDetail.ClassRef).toEqual({ value: cls.Id, name: 'Retail' });
      const prefs = (await us.get('/preferences')).body.Preferences.AccountingInfoPrefs;
      expect(prefs).toMatchObject({ ClassTrackingPerTxn: false, ClassTrackingPerTxnLine: true, TrackDepartments: true });
      const unknown = await us.post('/invoice', { ...body, Line: [line(20, 2, { ClassRef: { value: '999' } })] });
      expect(fault(unknown.body)).toMatchObject({ code: '2500' });
    });
  });

  describe('custom fields', () => {
    it('when a form sets a custom field, then it lists every field in use as recorded, and a value over 31 characters is 2050', async () => {
      await admin.preferences(US, { customFields: ['Crew #', 'P.O. Number'] });
      const prefs = (await us.get('/preferences')).body.Preferences.SalesFormsPrefs.CustomField;
      expect(prefs[1].CustomField).toEqual([
        { Name: 'SalesFormsPrefs.SalesCustomName1', Type: 'StringType', StringValue: 'Crew #' },
        { Name: 'SalesFormsPrefs.SalesCustomName2', Type: 'StringType', StringValue: 'P.O. Number' },
      ]);
      const inv = (
        await us.post('/invoice', {
          CustomerRef: { value: '1' },
          CustomField: [
            { DefinitionId: '2', Type: 'StringType', StringValue: 'PO-4471' },
            { DefinitionId: '3', Type: 'StringType', StringValue: 'not in use' },
          ],
          Line: [line(20, 2)],
        })
      ).body.Invoice;
      expect(inv.CustomField).toEqual([
        { DefinitionId: '1', Name: 'Crew #', Type: 'StringType' },
        { DefinitionId: '2', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4471' },
      ]);
      const long = await us.post('/invoice', {
        CustomerRef: { value: '1' },
        CustomField: [{ DefinitionId: '2', Type: 'StringType', StringValue: 'x'.repeat(32) }],
        Line: [line(20, 2)],
      });
      expect(fault(long.body)).toMatchObject({ code: '2050', element: 'CustomField.StringValue' });
    });
  });
});
