// What peers map, end to end over both emulators: a multicurrency company's euro customer, invoice and payment;
// the same customer invoiced in dollars; US automated sales tax a cent off Salesforce's; a Canadian company's tax
// codes; classes and locations by name; and admin field mappings (a PO number into a custom field, and a bad
// mapping that stops the run before anything is sent).
import { connectWithEmulator, type DemoStack } from '../../scripts/demo-stack';
import { MULTICURRENCY_COMPANY_NAME } from '../../scripts/demo/multicurrency';
import { logOf, sf, sfWrite } from '../support/sf';
import { admin, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

let stack: DemoStack;
let first: any;
/** The first run's Process Log: every entry, INFO included (a run's answer keeps only warnings and errors). */
let firstLog: any;

const CANADA_REALM = '9341456000000077';

beforeAll(async () => {
  stack = await startTestStack({ invoices: 4, multicurrency: true });
  first = await exportAndWait(stack, stack.multicurrency!.companyId);
  firstLog = await logOf(stack, stack.multicurrency!.companyId, first.processLogId);
});

afterAll(async () => {
  await stack?.close();
});

const mc = () => stack.multicurrency!;
const invoiceIn = async (sourceId: string) => {
  const record = (await sfRecords(stack, 'Sales_Invoice__c')).find((i) => i.Id === sourceId);
  const qbo = (await qboEntities(stack, mc().realmId, 'Invoice')).find((i) => i.Id === record.Financial_System_Invoice_Id__c);
  return { record, qbo };
};
const entriesOf = (run: any, recordId: string) => run.entries.filter((e: any) => e.recordId === recordId);

/** One approved one-line invoice of the multicurrency company, of one of its products. */
async function oneLineInvoice(name: string, customerId: string, currency: string, productName: string, date: string): Promise<string> {
  const product = (await sfRecords(stack, 'Product__c')).find((p) => p.Name === productName && p.Company__c === mc().companyId);
  const price = Number(product.Unit_Price__c);
  const [invoiceId] = await sfWrite(stack, 'POST', [
    sf('Sales_Invoice__c', {
      Name: name,
      Company__c: mc().companyId,
      Customer__c: customerId,
      Approved__c: true,
      Invoice_Date__c: date,
      Currency_Code__c: currency,
      Total_Amount__c: price,
    }),
  ]);
  await sfWrite(stack, 'POST', [
    sf('Sales_Invoice_Line__c', { Sales_Invoice__c: invoiceId, Product__c: product.Id, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: price }),
  ]);
  return invoiceId!;
}

describe('export: currencies, sales tax, classes, locations and mapped fields', () => {
  it('when a new EUR customer is exported with its EUR invoice and a payment, then all three are in EUR and the totals are exact', async () => {
    expect(first.status).toBe('succeeded');
    const customer = (await qboEntities(stack, mc().realmId, 'Customer')).find((c) => c.DisplayName === 'Brennan Optik GmbH');
    expect(customer.CurrencyRef).toEqual({ value: 'EUR', name: 'Euro' });
    const { record, qbo } = await invoiceIn(mc().invoices.euro);
    // Salesforce's dated rate for 12 October (0.925 EUR per USD) as USD per EUR.
    expect(qbo).toMatchObject({ CurrencyRef: { value: 'EUR' }, ExchangeRate: mc().euroRate.quickBooks, TotalAmt: 2680, HomeTotalAmt: 2897.3 });
    expect(qbo.TotalAmt).toBe(record.Total_Amount__c);
    expect(qbo.CustomerRef.value).toBe(customer.Id);
    const payment = (await qboEntities(stack, mc().realmId, 'Payment')).find((p) => p.PaymentRefNum === 'SEPA-77812');
    expect(payment).toMatchObject({ CurrencyRef: { value: 'EUR' }, ExchangeRate: mc().euroRate.quickBooks, TotalAmt: 1000 });
    expect((await invoiceIn(mc().invoices.euro)).qbo.Balance).toBe(1680);
    const created = entriesOf(firstLog, mc().invoices.euro).find((e: any) => e.outcome === 'Created');
    expect(created.message).toContain(`EUR 2680.00 at ${mc().euroRate.quickBooks} = USD 2897.30`);
    expect(entriesOf(first, mc().invoices.euro).filter((e: any) => e.level !== 'INFO')).toEqual([]);
  });

  it('when the org has no dated rate for a currency, then QuickBooks applies its own rate for the date', async () => {
    const { qbo } = await invoiceIn(mc().invoices.pound);
    expect(qbo).toMatchObject({ CurrencyRef: { value: 'GBP' }, ExchangeRate: 1.265, TotalAmt: 30.3 });
  });

  it('when a PO number is mapped to a custom field, and class and location are named, then they reach QuickBooks by name', async () => {
    const { qbo } = await invoiceIn(mc().invoices.euro);
    expect(qbo.CustomField).toEqual([{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4471' }]);
    expect(qbo.ClassRef).toEqual({ value: '1', name: 'Europe' });
    const location = (await qboEntities(stack, mc().realmId, 'Department')).find((d) => d.Name === 'Boston HQ');
    expect(qbo.DepartmentRef).toEqual({ value: location.Id, name: 'Boston HQ' });
    expect(firstLog.entries.filter((e: any) => e.recordType === 'Run' && e.message.includes('"Boston HQ"'))).toHaveLength(1);
  });

  it('when automated sales tax comes out one cent off Salesforce’s, then the invoice is a WARN naming both amounts and the override', async () => {
    const { qbo } = await invoiceIn(mc().invoices.taxed);
    expect(qbo.TxnTaxDetail.TotalTax).toBe(1.79);
    expect(qbo.ShipAddr).toMatchObject({ City: 'Albany', CountrySubDivisionCode: 'NY' });
    const warnings = entriesOf(first, mc().invoices.taxed).filter((e: any) => e.level === 'WARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('QuickBooks computed 1.79 tax where Salesforce has 1.80 (−0.01)');
    expect(warnings[0].fix).toContain('Override QuickBooks Sales Tax');
  });

  it('when the EUR customer gets a USD invoice, then it is an ERROR naming both currencies; with a second customer per currency it goes to "Name (USD)"', async () => {
    const invoiceId = await oneLineInvoice('SI-009101', mc().customers.euro, 'USD', 'Calibration Service', '2026-10-22');
    const refused = await exportAndWait(stack, mc().companyId);
    const error = entriesOf(refused, invoiceId).find((e: any) => e.level === 'ERROR');
    expect(error.message).toContain('is in USD but its QuickBooks customer "Brennan Optik GmbH"');
    expect(error.message).toContain('is in EUR');
    expect(error.fix).toContain('Second Customer Per Currency');

    await sfWrite(stack, 'PATCH', [sf('Company__c', { Id: mc().companyId, Customer_Per_Currency__c: true })]);
    const second = await exportAndWait(stack, mc().companyId);
    expect(second.status).toBe('succeeded');
    const usd = (await qboEntities(stack, mc().realmId, 'Customer')).find((c) => c.DisplayName === 'Brennan Optik GmbH (USD)');
    expect(usd.CurrencyRef.value).toBe('USD');
    const { qbo } = await invoiceIn(invoiceId);
    expect(qbo).toMatchObject({ CustomerRef: { value: usd.Id }, CurrencyRef: { value: 'USD' }, TotalAmt: 180 });
  });

  it('when a Canadian company exports, then each line carries its mapped tax code and the invoice matches Salesforce to the cent', async () => {
    await admin(stack.qboUrl, 'POST', '/seed', {
      realms: [
        {
          realmId: CANADA_REALM,
          companyInfo: { CompanyName: 'Maple Supply Ltd.', Country: 'CA', CompanyAddr: { City: 'Toronto', CountrySubDivisionCode: 'ON' } },
          preferences: { homeCurrency: 'CAD', usingSalesTax: true },
          entities: {
            Account: [{ Id: '1', Name: 'Sales', AccountType: 'Income' }],
            TaxRate: [
              { Id: '7', Name: 'HST ON', RateValue: 13 },
              { Id: '8', Name: 'GST', RateValue: 5 },
              { Id: '9', Name: 'Exempt', RateValue: 0 },
            ],
            TaxCode: [
              { Id: '3', Name: 'HST ON', SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '7' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] } },
              { Id: '4', Name: 'GST', SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '8' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] } },
              { Id: '5', Name: 'Exempt', SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '9' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] } },
            ],
          },
        },
      ],
    });
    const [companyId] = await sfWrite(stack, 'POST', [
      sf('Company__c', {
        Name: 'Maple Supply Ltd.',
        QuickBooks_Realm_Id__c: CANADA_REALM,
        Accounting_System__c: 'Online',
        Invoice_Numbering__c: 'Salesforce Number',
        Income_Account_Id__c: '1',
        Currency_Code__c: 'CAD',
        Tax_Code_Mapping__c: 'HST = HST ON\nGST = GST\nZero = Exempt',
        Default_Tax_Code__c: 'HST',
        Non_Taxable_Tax_Code__c: 'Zero',
      }),
    ]);
    const [customerId] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: 'Lakeshore Cafe', Email__c: 'owner@lakeshorecafe.ca', Tax_Code__c: 'GST' })]);
    const [kettle, beans, mugs] = await sfWrite(stack, 'POST', [
      sf('Product__c', { Name: 'Kettle', Company__c: companyId, Product_Type__c: 'Non-Inventory', Unit_Price__c: 99.99, Tax_Code__c: 'HST' }),
      sf('Product__c', { Name: 'Coffee Beans', Company__c: companyId, Product_Type__c: 'Non-Inventory', Unit_Price__c: 13.5 }),
      sf('Product__c', { Name: 'Mugs', Company__c: companyId, Product_Type__c: 'Non-Inventory', Unit_Price__c: 12 }),
    ]);
    // 99.99 × 13% = 13.00; 40.50 × 5% = 2.03 (customer code); mugs are not taxable: 0.
    const [invoiceId] = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', {
        Name: 'SI-CA0001',
        Company__c: companyId,
        Customer__c: customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-10-20',
        Currency_Code__c: 'CAD',
        Tax_Amount__c: 15.03,
        Total_Amount__c: 167.52,
      }),
    ]);
    await sfWrite(stack, 'POST', [
      sf('Sales_Invoice_Line__c', {
        Sales_Invoice__c: invoiceId,
        Product__c: kettle,
        Line_Number__c: 1,
        Quantity__c: 1,
        Unit_Price__c: 99.99,
        Taxable__c: true,
      }),
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: invoiceId, Product__c: beans, Line_Number__c: 2, Quantity__c: 3, Unit_Price__c: 13.5, Taxable__c: true }),
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: invoiceId, Product__c: mugs, Line_Number__c: 3, Quantity__c: 1, Unit_Price__c: 12, Taxable__c: false }),
    ]);
    await connectWithEmulator(stack.container, stack.qboUrl, companyId!, CANADA_REALM);
    const run = await exportAndWait(stack, companyId!);
    expect(run.status).toBe('succeeded');
    const invoice = (await qboEntities(stack, CANADA_REALM, 'Invoice'))[0];
    expect(invoice.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail').map((l: any) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual([
      '3',
      '4',
      '5',
    ]);
    expect(invoice).toMatchObject({ CurrencyRef: { value: 'CAD' }, TotalAmt: 167.52, TxnTaxDetail: { TotalTax: 15.03 } });
    expect(entriesOf(run, invoiceId!).filter((e: any) => e.level !== 'INFO')).toEqual([]);
  });

  it('when a field mapping names a field QuickBooks lacks, then the run stops with one ERROR before any call that writes, also in a dry run', async () => {
    await admin(stack.sfUrl, 'POST', '/seed', {
      records: {
        Ledgerline_Field_Mapping__mdt: [
          {
            DeveloperName: 'Tracking_To_Nowhere',
            MasterLabel: 'Tracking to nowhere',
            QualifiedApiName: 'Tracking_To_Nowhere',
            Object__c: 'Sales_Invoice__c',
            Salesforce_Field__c: 'Memo__c',
            QuickBooks_Field__c: 'CustomField:Tracking Code',
            Company__c: MULTICURRENCY_COMPANY_NAME,
            Active__c: true,
          },
        ],
      },
    });
    const invoiceId = await oneLineInvoice('SI-009102', mc().customers.pound, 'GBP', 'Probe Kit', '2026-10-23');
    await admin(stack.qboUrl, 'POST', '/stats/reset');
    const dry = await exportAndWait(stack, mc().companyId, { dryRun: true });
    const run = await exportAndWait(stack, mc().companyId);
    for (const r of [dry, run]) {
      expect(r.status).toBe('failed');
      const errors = r.entries.filter((e: any) => e.level === 'ERROR');
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toContain('Field mapping "Tracking_To_Nowhere" (Sales_Invoice__c.Memo__c → CustomField:Tracking Code)');
      expect(errors[0].message).toContain('no custom field "Tracking Code" in use (it has "P.O. Number")');
    }
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(stats.byKind.write + stats.byKind.batch).toBe(0);
    expect((await sfRecords(stack, 'Sales_Invoice__c')).find((i) => i.Id === invoiceId).Transferred__c).toBe(false);
  });

  it('when the mappings are good, then a dry run lists them', async () => {
    await admin(stack.sfUrl, 'POST', '/seed', {
      records: {
        Ledgerline_Field_Mapping__mdt: [
          { ...(await sfRecords(stack, 'Ledgerline_Field_Mapping__mdt')).find((m) => m.DeveloperName === 'Tracking_To_Nowhere'), Active__c: false },
        ],
      },
    });
    const dry = await exportAndWait(stack, mc().companyId, { dryRun: true });
    expect(dry.plan.fieldMappings).toEqual([
      { name: 'PO_Number_Custom_Field', salesforceField: 'Sales_Invoice__c.PO_Number__c', quickBooksField: 'CustomField:P.O. Number' },
    ]);
  });
});
