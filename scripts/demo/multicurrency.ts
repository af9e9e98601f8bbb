// The demo's multicurrency company: a US instruments maker that invoices in euros, pounds and dollars, with
// QuickBooks automated sales tax, classes per transaction, locations, and a "P.O. Number" custom field that the
// example field mapping (force-app customMetadata) fills from the Sales Invoice's PO Number. Added after the other
// companies are generated, so their data and facts stay exactly as they were.
import { KEY_PREFIXES, makeSalesforceId, type DemoObjectName } from './ids';
import type { DemoData, QboRealmSeed, SalesforceRecord } from './types';

export const MULTICURRENCY_COMPANY_NAME = 'Meridian Instruments Inc.';

export interface MulticurrencyDemo {
  companyId: string;
  realmId: string;
  customers: { euro: string; pound: string; dollar: string };
  invoices: { euro: string; pound: string; taxed: string };
  /** The euro invoice's payment. */
  paymentId: string;
  /** The org's EUR rate for October (units per US dollar), and the rate QuickBooks is sent for it. */
  euroRate: { salesforce: number; quickBooks: number };
}

const ACCOUNTS = {
  income: '1',
  undeposited: '4',
  checking: '35',
};

type Records = Record<string, SalesforceRecord[]>;

/** Adds the multicurrency company, its customers, products, invoices and QuickBooks company (a copy; the input is kept). */
export function withMulticurrencyCompany(
  data: DemoData,
  keyPrefixes: Partial<Record<DemoObjectName, string>> = {},
): { data: DemoData; multicurrency: MulticurrencyDemo } {
  const records = Object.fromEntries(Object.entries(data.salesforce.records).map(([k, v]) => [k, [...v]])) as Records;
  const prefixes = { ...KEY_PREFIXES, ...keyPrefixes };
  const issued = new Map<DemoObjectName, number>();
  const nextId = (object: DemoObjectName) => {
    // Far past what the generator and the Desktop company use, so adding both never collides.
    const n = (issued.get(object) ?? 9000) + 1;
    issued.set(object, n);
    return makeSalesforceId(prefixes[object], n);
  };
  const realmId = '9341456000000003';
  const company: SalesforceRecord = {
    Id: nextId('Company__c'),
    Name: MULTICURRENCY_COMPANY_NAME,
    QuickBooks_Primary_Company__c: false,
    QuickBooks_Realm_Id__c: realmId,
    Accounting_System__c: 'Online',
    Invoice_Numbering__c: 'Salesforce Number',
    Invoice_Number_Prefix__c: 'MI-',
    Invoice_Number_Suffix__c: null,
    Export_Mode__c: 'Invoices and Payments When Paid',
    Income_Account_Id__c: ACCOUNTS.income,
    Deposit_Account_Id__c: ACCOUNTS.checking,
    Currency_Code__c: 'USD',
    Vendor_Clash_Suffix__c: ' (C)',
    Time_Zone__c: 'America/New_York',
    Customer_Per_Currency__c: false,
    Sales_Tax_Override__c: false,
    Create_Classes_And_Locations__c: true,
  };
  const push = (object: DemoObjectName, record: Omit<SalesforceRecord, 'Id'>) => {
    const full = { Id: nextId(object), ...record } as SalesforceRecord;
    (records[object] ??= []).push(full);
    return full;
  };
  records.Company__c!.push(company);
  const customer = (name: string, currency: string, email: string, address: [string, string, string | null, string, string]) =>
    push('Customer__c', {
      Name: name,
      Company_Name__c: name,
      Email__c: email,
      Billing_Street__c: address[0],
      Billing_City__c: address[1],
      Billing_State__c: address[2],
      Billing_Postal_Code__c: address[3],
      Billing_Country__c: address[4],
      Currency_Code__c: currency,
    });
  const euro = customer('Brennan Optik GmbH', 'EUR', 'einkauf@brennan-optik.de', ['Hafenstrasse 12', 'Hamburg', null, '20457', 'Germany']);
  const pound = customer('Castle Labs Ltd', 'GBP', 'accounts@castlelabs.co.uk', ['4 Quay Street', 'Bristol', null, 'BS1 4DB', 'United Kingdom']);
  const dollar = customer('Tidewater Research LLC', 'USD', 'ap@tidewater-research.com', ['200 State St', 'Albany', 'NY', '12207', 'USA']);
  const product = (name: string, type: string, price: number) =>
    push('Product__c', {
      Name: name,
      Company__c: company.Id,
      SKU__c: null,
      Description__c: name,
      Unit_Price__c: price,
      Product_Type__c: type,
      Financial_System_Product_Id__c: null,
    });
  const spectrometer = product('Spectrometer SX-200', 'Non-Inventory', 1250);
  const calibration = product('Calibration Service', 'Service', 180);
  const probe = product('Probe Kit', 'Non-Inventory', 10.1);

  let number = 9000;
  const invoice = (
    who: SalesforceRecord,
    currency: string,
    date: string,
    lines: [SalesforceRecord, number, boolean][],
    extra: Record<string, unknown> = {},
    tax = 0,
  ) => {
    number += 1;
    const cents = lines.reduce((sum, [p, qty]) => sum + Math.round(qty * Number(p.Unit_Price__c) * 100), 0);
    const record = push('Sales_Invoice__c', {
      Name: `SI-${String(number).padStart(6, '0')}`,
      Company__c: company.Id,
      Customer__c: who.Id,
      Approved__c: true,
      Transferred__c: false,
      Export_Status__c: 'Not Exported',
      Invoice_Date__c: date,
      Due_Date__c: '2026-11-30',
      Terms__c: 'Net 30',
      Currency_Code__c: currency,
      Tax_Amount__c: tax,
      Total_Amount__c: (cents + Math.round(tax * 100)) / 100,
      ...extra,
    });
    lines.forEach(([p, qty, taxable], i) =>
      push('Sales_Invoice_Line__c', {
        Sales_Invoice__c: record.Id,
        Product__c: p.Id,
        Line_Number__c: i + 1,
        Quantity__c: qty,
        Unit_Price__c: p.Unit_Price__c,
        Description__c: p.Name,
        Taxable__c: taxable,
      }),
    );
    return record;
  };
  const euroInvoice = invoice(
    euro,
    'EUR',
    '2026-10-12',
    [
      [spectrometer, 2, false],
      [calibration, 1, false],
    ],
    { PO_Number__c: 'PO-4471', Class__c: 'Europe', Location__c: 'Boston HQ', Memo__c: 'Ship with the calibration certificates.' },
  );
  const poundInvoice = invoice(pound, 'GBP', '2026-10-14', [[probe, 3, false]], { PO_Number__c: 'CL-2026-118', Class__c: 'Europe' });
  // Each line's tax rounds up (0.896 → 0.90), where QuickBooks rounds the sum once (1.79): one cent apart.
  const taxedInvoice = invoice(
    dollar,
    'USD',
    '2026-10-15',
    [
      [probe, 1, true],
      [probe, 1, true],
    ],
    {
      Class__c: 'Domestic',
      Location__c: 'Boston HQ',
      Ship_To_Street__c: '200 State St',
      Ship_To_City__c: 'Albany',
      Ship_To_State__c: 'NY',
      Ship_To_Postal_Code__c: '12207',
    },
    1.8,
  );
  const payment = push('Payment__c', {
    Sales_Invoice__c: euroInvoice.Id,
    Amount__c: 1000,
    Payment_Date__c: '2026-10-20',
    Payment_Method__c: 'Wire',
    Reference__c: 'SEPA-77812',
    Financial_System_Payment_Id__c: null,
  });
  // The org keeps dated rates (advanced currency management): EUR per US dollar from 1 October.
  records.CurrencyType = [
    { IsoCode: 'USD', ConversionRate: 1, IsCorporate: true, IsActive: true },
    { IsoCode: 'EUR', ConversionRate: 0.925, IsCorporate: false, IsActive: true },
    { IsoCode: 'GBP', ConversionRate: 0.79, IsCorporate: false, IsActive: true },
  ] as unknown as SalesforceRecord[];
  records.DatedConversionRate = [
    { IsoCode: 'EUR', ConversionRate: 0.94, StartDate: '2026-09-01', NextStartDate: '2026-10-01' },
    { IsoCode: 'EUR', ConversionRate: 0.925, StartDate: '2026-10-01' },
  ] as unknown as SalesforceRecord[];

  const realm: QboRealmSeed = {
    realmId,
    companyInfo: {
      CompanyName: MULTICURRENCY_COMPANY_NAME,
      LegalName: 'Meridian Instruments Incorporated',
      Country: 'US',
      CompanyAddr: { Line1: '1 Federal St', City: 'Boston', CountrySubDivisionCode: 'MA', PostalCode: '02110' },
    },
    preferences: {
      customTxnNumbers: true,
      warnDuplicateDocNum: true,
      multiCurrency: true,
      homeCurrency: 'USD',
      automatedSalesTax: { MA: 6.25, NY: 8.875, CA: 8.25 },
      classTracking: 'transaction',
      trackLocations: true,
      customFields: ['P.O. Number'],
    },
    exchangeRates: [{ SourceCurrencyCode: 'GBP', AsOfDate: '2026-10-01', Rate: 1.265 }],
    entities: {
      Account: [
        { Id: ACCOUNTS.income, Name: 'Sales', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome' },
        { Id: ACCOUNTS.undeposited, Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds' },
        { Id: ACCOUNTS.checking, Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking' },
      ],
      Class: [{ Id: '1', Name: 'Europe' }],
    },
  };
  return {
    data: { ...data, salesforce: { records }, quickbooks: { realms: [...data.quickbooks.realms, realm] } },
    multicurrency: {
      companyId: company.Id,
      realmId,
      customers: { euro: euro.Id, pound: pound.Id, dollar: dollar.Id },
      invoices: { euro: euroInvoice.Id, pound: poundInvoice.Id, taxed: taxedInvoice.Id },
      paymentId: payment.Id,
      euroRate: { salesforce: 0.925, quickBooks: Math.round((1 / 0.925) * 1e6) / 1e6 },
    },
  };
}
