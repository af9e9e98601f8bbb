// CompanyInfo and Preferences: single, read-only objects per company, shaped
// like the sandbox's (only the settings the emulator acts on are variable).
// Since Intuit's 2025 address change, CompanyAddr, CustomerCommunicationAddr and
// LegalAddr come back with Country as an ISO 3-letter code ("USA") and without
// Lat/Long, whatever was written.

import { qboDate } from './clock';
import { customFieldPreferences } from './customFields';
import { metaData } from './rules';
import type { Entity, Realm } from './state';

export function companyInfoOf(realm: Realm): Entity {
  const seeded = realm.companyInfo;
  const name = typeof seeded.CompanyName === 'string' ? seeded.CompanyName : `Sandbox Company ${realm.realmId}`;
  const country = typeof seeded.Country === 'string' ? seeded.Country : 'US';
  const address = { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo', Country: 'USA', CountrySubDivisionCode: 'CA', PostalCode: '87999' };
  const info: Entity = {
    CompanyName: name,
    LegalName: name,
    CompanyAddr: address,
    CustomerCommunicationAddr: address,
    LegalAddr: address,
    PrimaryPhone: {},
    CompanyStartDate: qboDate(realm.createdAt),
    FiscalYearStartMonth: 'January',
    Country: country,
    Email: { Address: 'noreply@quickbooks.com' },
    WebAddr: {},
    SupportedLanguages: 'en',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' },
      { Name: 'IndustryType', Value: 'Professional, Scientific and Technical Services' },
      { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' },
      { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      { Name: 'PayrollFeature', Value: 'false' },
      { Name: 'AccountantFeature', Value: 'false' },
      { Name: 'IsQbdtMigrated', Value: 'false' },
      { Name: 'ItemCategoriesFeature', Value: 'true' },
    ],
    ...seeded,
    domain: 'QBO',
    sparse: false,
    Id: '1',
    SyncToken: '0',
    MetaData: metaData(realm.createdAt, realm.createdAt),
  };
  for (const key of COMPANY_ADDRESSES) if (info[key] && typeof info[key] === 'object') info[key] = answeredAddress(info[key] as Entity);
  return info;
}

const COMPANY_ADDRESSES = ['CompanyAddr', 'CustomerCommunicationAddr', 'LegalAddr'] as const;

/** ISO 3166-1 alpha-3 codes of the countries QuickBooks Online is sold in (and their usual names and 2-letter codes). */
const ISO3: Record<string, string> = {
  US: 'USA',
  USA: 'USA',
  'UNITED STATES': 'USA',
  'UNITED STATES OF AMERICA': 'USA',
  CA: 'CAN',
  CAN: 'CAN',
  CANADA: 'CAN',
  GB: 'GBR',
  UK: 'GBR',
  GBR: 'GBR',
  'UNITED KINGDOM': 'GBR',
  AU: 'AUS',
  AUS: 'AUS',
  AUSTRALIA: 'AUS',
  IN: 'IND',
  IND: 'IND',
  INDIA: 'IND',
  FR: 'FRA',
  FRA: 'FRA',
  FRANCE: 'FRA',
  MX: 'MEX',
  MEX: 'MEX',
  MEXICO: 'MEX',
  BR: 'BRA',
  BRA: 'BRA',
  BRAZIL: 'BRA',
  ZA: 'ZAF',
  ZAF: 'ZAF',
  'SOUTH AFRICA': 'ZAF',
};

/** A company address as Intuit answers it since 2025: ISO-3 Country, no Lat/Long. */
export function answeredAddress(addr: Entity): Entity {
  const { Lat: _lat, Long: _long, ...rest } = addr;
  if (typeof rest.Country === 'string') rest.Country = ISO3[rest.Country.trim().toUpperCase()] ?? rest.Country;
  return rest;
}

export function preferencesOf(realm: Realm): Entity {
  const p = realm.prefs;
  return {
    EmailMessagesPrefs: {
      InvoiceMessage: {
        Subject: 'Invoice from {CompanyName}',
        Message: 'Your invoice is attached.  Please remit payment at your earliest convenience.',
      },
    },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
    AccountingInfoPrefs: {
      FirstMonthOfFiscalYear: 'January',
      UseAccountNumbers: false,
      TaxYearMonth: 'January',
      ClassTrackingPerTxn: p.classTracking === 'transaction',
      TrackDepartments: p.trackLocations,
      ...(p.trackLocations ? { DepartmentTerminology: 'Location' } : {}),
      CustomerTerminology: 'Customers',
      ClassTrackingPerTxnLine: p.classTracking === 'line',
    },
    SalesFormsPrefs: {
      CustomField: customFieldPreferences(realm),
      ETransactionPaymentEnabled: false,
      CustomTxnNumbers: p.customTxnNumbers,
      AllowShipping: false,
      AllowServiceDate: false,
      ETransactionEnabledStatus: 'NotApplicable',
      EmailCopyToCompany: false,
      AllowEstimates: true,
      DefaultTerms: { value: '3' },
      AllowDiscount: true,
      AllowDeposit: false,
      AutoApplyPayments: true,
      IPNSupportEnabled: false,
      AutoApplyCredit: true,
      UsingPriceLevels: false,
      ETransactionAttachPDF: false,
    },
    VendorAndPurchasesPrefs: { BillableExpenseTracking: false, TrackingByCustomer: false },
    TaxPrefs: { UsingSalesTax: p.usingSalesTax, ...(p.automatedSalesTax !== null ? { PartnerTaxEnabled: true } : {}) },
    OtherPrefs: {
      NameValue: [
        { Name: 'SalesFormsPrefs.DefaultItem', Value: '1' },
        { Name: 'DTXCopyMemo', Value: 'false' },
        { Name: 'DateFormat', Value: 'Month Date Year separated by a slash' },
        { Name: 'DateFormatMnemonic', Value: 'MMDDYYYY_SEP_SLASH' },
        { Name: 'NumberFormat', Value: 'US Number Format' },
        { Name: 'NumberFormatMnemonic', Value: 'US_NB' },
        { Name: 'WarnDuplicateCheckNumber', Value: 'true' },
        { Name: 'WarnDuplicateBillNumber', Value: 'false' },
        { Name: 'SignoutInactiveMinutes', Value: '60' },
      ],
    },
    TimeTrackingPrefs: { UseServices: true, BillCustomers: false, ShowBillRateToAll: false, WorkWeekStartDate: 'Monday', MarkTimeEntriesBillable: false },
    CurrencyPrefs: { MultiCurrencyEnabled: p.multiCurrency, HomeCurrency: { value: p.homeCurrency } },
    domain: 'QBO',
    sparse: false,
    Id: '1',
    SyncToken: String(realm.prefsSyncToken),
    MetaData: metaData(realm.createdAt, realm.prefsUpdatedAt),
  };
}
