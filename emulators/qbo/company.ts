// CompanyInfo and Preferences: single, read-only objects per company, shaped
// like the sandbox's (only the settings the emulator acts on are variable).

import { qboDate } from './clock';
import { metaData } from './rules';
import type { Entity, Realm } from './state';

export function companyInfoOf(realm: Realm): Entity {
  const seeded = realm.companyInfo;
  const name = typeof seeded.CompanyName === 'string' ? seeded.CompanyName : `Sandbox Company ${realm.realmId}`;
  const country = typeof seeded.Country === 'string' ? seeded.Country : 'US';
  const address = { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo', CountrySubDivisionCode: 'CA', PostalCode: '87999' };
  return {
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
      ClassTrackingPerTxn: false,
      TrackDepartments: false,
      CustomerTerminology: 'Customers',
      ClassTrackingPerTxnLine: false,
    },
    SalesFormsPrefs: {
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
    TaxPrefs: { UsingSalesTax: false },
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
