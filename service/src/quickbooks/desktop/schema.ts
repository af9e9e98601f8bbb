// The element order qbXML requires inside each request (QuickBooks refuses misordered XML), for the requests
// Ledgerline sends. Taken from the qbXML SDK's OSR (US, 13.0). `ordered` builds an element's children in this
// order and refuses a child the schema does not list, so a mapping cannot send misordered XML.

// The element orders read as the qbXML reference lists them, a few to a line.
// prettier-ignore
export const ORDER: Record<string, readonly string[]> = {
  // ----------------------------------------------------------------- adds
  CustomerAdd: [
    'Name', 'IsActive', 'ClassRef', 'ParentRef', 'CompanyName', 'Salutation', 'FirstName', 'MiddleName', 'LastName',
    'JobTitle', 'BillAddress', 'ShipAddress', 'ShipToAddress', 'PrintAs', 'Phone', 'AltPhone', 'Fax', 'Email', 'Cc',
    'Contact', 'AltContact', 'AdditionalContactRef', 'Contacts', 'CustomerTypeRef', 'TermsRef', 'SalesRepRef',
    'OpenBalance', 'OpenBalanceDate', 'SalesTaxCodeRef', 'ItemSalesTaxRef', 'SalesTaxCountry', 'ResaleNumber',
    'AccountNumber', 'CreditLimit', 'PreferredPaymentMethodRef', 'CreditCardInfo', 'JobStatus', 'JobStartDate',
    'JobProjectedEndDate', 'JobEndDate', 'JobDesc', 'JobTypeRef', 'Notes', 'AdditionalNotes', 'PreferredDeliveryMethod',
    'PriceLevelRef', 'ExternalGUID', 'TaxRegistrationNumber', 'CurrencyRef',
  ],
  BillAddress: ['Addr1', 'Addr2', 'Addr3', 'Addr4', 'Addr5', 'City', 'State', 'PostalCode', 'Country', 'Note'],
  ShipAddress: ['Addr1', 'Addr2', 'Addr3', 'Addr4', 'Addr5', 'City', 'State', 'PostalCode', 'Country', 'Note'],
  ItemServiceAdd: [
    'Name', 'BarCode', 'IsActive', 'ClassRef', 'ParentRef', 'UnitOfMeasureSetRef', 'IsTaxIncluded', 'SalesTaxCodeRef',
    'SalesOrPurchase', 'SalesAndPurchase', 'ExternalGUID',
  ],
  ItemNonInventoryAdd: [
    'Name', 'BarCode', 'IsActive', 'ClassRef', 'ParentRef', 'ManufacturerPartNumber', 'UnitOfMeasureSetRef',
    'IsTaxIncluded', 'SalesTaxCodeRef', 'SalesOrPurchase', 'SalesAndPurchase', 'ExternalGUID',
  ],
  SalesOrPurchase: ['Desc', 'Price', 'PricePercent', 'AccountRef'],
  ItemInventoryAdd: [
    'Name', 'BarCode', 'IsActive', 'ClassRef', 'ParentRef', 'ManufacturerPartNumber', 'UnitOfMeasureSetRef',
    'IsTaxIncluded', 'SalesTaxCodeRef', 'SalesDesc', 'SalesPrice', 'IncomeAccountRef', 'PurchaseDesc', 'PurchaseCost',
    'PurchaseTaxCodeRef', 'COGSAccountRef', 'PrefVendorRef', 'AssetAccountRef', 'ReorderPoint', 'Max',
    'QuantityOnHand', 'TotalValue', 'InventoryDate', 'ExternalGUID',
  ],
  InvoiceAdd: [
    'CustomerRef', 'ClassRef', 'ARAccountRef', 'TemplateRef', 'TxnDate', 'RefNumber', 'BillAddress', 'ShipAddress',
    'IsPending', 'IsFinanceCharge', 'PONumber', 'TermsRef', 'DueDate', 'SalesRepRef', 'FOB', 'ShipDate',
    'ShipMethodRef', 'ItemSalesTaxRef', 'Memo', 'CustomerMsgRef', 'IsToBePrinted', 'IsToBeEmailed', 'IsTaxIncluded',
    'CustomerSalesTaxCodeRef', 'Other', 'ExchangeRate', 'ExternalGUID', 'LinkToTxnID', 'SetCredit', 'InvoiceLineAdd',
    'InvoiceLineGroupAdd',
  ],
  InvoiceLineAdd: [
    'ItemRef', 'Desc', 'Quantity', 'UnitOfMeasure', 'Rate', 'RatePercent', 'PriceLevelRef', 'ClassRef', 'Amount',
    'OptionForPriceRuleConflict', 'InventorySiteRef', 'InventorySiteLocationRef', 'SerialNumber', 'LotNumber',
    'ServiceDate', 'SalesTaxCodeRef', 'OverrideItemAccountRef', 'Other1', 'Other2', 'LinkToTxn', 'DataExt',
  ],
  CreditMemoAdd: [
    'CustomerRef', 'ClassRef', 'ARAccountRef', 'TemplateRef', 'TxnDate', 'RefNumber', 'BillAddress', 'ShipAddress',
    'IsPending', 'PONumber', 'TermsRef', 'DueDate', 'SalesRepRef', 'FOB', 'ShipDate', 'ShipMethodRef', 'ItemSalesTaxRef',
    'Memo', 'CustomerMsgRef', 'IsToBePrinted', 'IsToBeEmailed', 'IsTaxIncluded', 'CustomerSalesTaxCodeRef', 'Other',
    'ExchangeRate', 'ExternalGUID', 'CreditMemoLineAdd', 'CreditMemoLineGroupAdd',
  ],
  CreditMemoLineAdd: [
    'ItemRef', 'Desc', 'Quantity', 'UnitOfMeasure', 'Rate', 'RatePercent', 'PriceLevelRef', 'ClassRef', 'Amount',
    'InventorySiteRef', 'InventorySiteLocationRef', 'SerialNumber', 'LotNumber', 'ServiceDate', 'SalesTaxCodeRef',
    'IsTaxable', 'OverrideItemAccountRef', 'Other1', 'Other2', 'CreditCardTxnInfo', 'DataExt',
  ],
  SalesReceiptAdd: [
    'CustomerRef', 'ClassRef', 'TemplateRef', 'TxnDate', 'RefNumber', 'BillAddress', 'ShipAddress', 'IsPending',
    'CheckNumber', 'PaymentMethodRef', 'DueDate', 'SalesRepRef', 'ShipDate', 'ShipMethodRef', 'FOB', 'ItemSalesTaxRef',
    'Memo', 'CustomerMsgRef', 'IsToBePrinted', 'IsToBeEmailed', 'IsTaxIncluded', 'CustomerSalesTaxCodeRef',
    'DepositToAccountRef', 'CreditCardTxnInfo', 'Other', 'ExchangeRate', 'ExternalGUID', 'SalesReceiptLineAdd',
    'SalesReceiptLineGroupAdd',
  ],
  SalesReceiptLineAdd: [
    'ItemRef', 'Desc', 'Quantity', 'UnitOfMeasure', 'Rate', 'RatePercent', 'PriceLevelRef', 'ClassRef', 'Amount',
    'OptionForPriceRuleConflict', 'InventorySiteRef', 'InventorySiteLocationRef', 'SerialNumber', 'LotNumber',
    'ServiceDate', 'SalesTaxCodeRef', 'IsTaxable', 'OverrideItemAccountRef', 'Other1', 'Other2', 'CreditCardTxnInfo',
    'DataExt',
  ],
  ReceivePaymentAdd: [
    'CustomerRef', 'ARAccountRef', 'TxnDate', 'RefNumber', 'TotalAmount', 'ExchangeRate', 'PaymentMethodRef', 'Memo',
    'DepositToAccountRef', 'CreditCardTxnInfo', 'ExternalGUID', 'IsAutoApply', 'AppliedToTxnAdd',
  ],
  AppliedToTxnAdd: ['TxnID', 'PaymentAmount', 'TxnLineDetail', 'SetCredit', 'DiscountAmount', 'DiscountAccountRef', 'DiscountClassRef'],
  SetCredit: ['CreditTxnID', 'TxnLineID', 'AppliedAmount', 'Override'],
  // ----------------------------------------------------------------- queries (the filters Ledgerline uses)
  CustomerQueryRq: [
    'ListID', 'FullName', 'MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'ToModifiedDate', 'NameFilter',
    'NameRangeFilter', 'TotalBalanceFilter', 'CurrencyFilter', 'ClassFilter', 'IncludeRetElement', 'OwnerID',
  ],
  ItemQueryRq: [
    'ListID', 'FullName', 'MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'ToModifiedDate', 'NameFilter',
    'NameRangeFilter', 'IncludeRetElement', 'OwnerID',
  ],
  VendorQueryRq: [
    'ListID', 'FullName', 'MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'ToModifiedDate', 'NameFilter',
    'NameRangeFilter', 'TotalBalanceFilter', 'CurrencyFilter', 'ClassFilter', 'IncludeRetElement', 'OwnerID',
  ],
  EmployeeQueryRq: [
    'ListID', 'FullName', 'MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'ToModifiedDate', 'NameFilter',
    'NameRangeFilter', 'IncludeRetElement', 'OwnerID',
  ],
  OtherNameQueryRq: [
    'ListID', 'FullName', 'MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'ToModifiedDate', 'NameFilter',
    'NameRangeFilter', 'IncludeRetElement', 'OwnerID',
  ],
  InvoiceQueryRq: [
    'TxnID', 'RefNumber', 'RefNumberCaseSensitive', 'MaxReturned', 'ModifiedDateRangeFilter', 'TxnDateRangeFilter',
    'EntityFilter', 'AccountFilter', 'RefNumberFilter', 'RefNumberRangeFilter', 'CurrencyFilter', 'PaidStatus',
    'IncludeLineItems', 'IncludeLinkedTxns', 'IncludeRetElement', 'OwnerID',
  ],
  CreditMemoQueryRq: [
    'TxnID', 'RefNumber', 'RefNumberCaseSensitive', 'MaxReturned', 'ModifiedDateRangeFilter', 'TxnDateRangeFilter',
    'EntityFilter', 'AccountFilter', 'RefNumberFilter', 'RefNumberRangeFilter', 'CurrencyFilter', 'IncludeLineItems',
    'IncludeLinkedTxns', 'IncludeRetElement', 'OwnerID',
  ],
  SalesReceiptQueryRq: [
    'TxnID', 'RefNumber', 'RefNumberCaseSensitive', 'MaxReturned', 'ModifiedDateRangeFilter', 'TxnDateRangeFilter',
    'EntityFilter', 'AccountFilter', 'RefNumberFilter', 'RefNumberRangeFilter', 'CurrencyFilter', 'IncludeLineItems',
    'IncludeRetElement', 'OwnerID',
  ],
  ReceivePaymentQueryRq: [
    'TxnID', 'RefNumber', 'RefNumberCaseSensitive', 'MaxReturned', 'ModifiedDateRangeFilter', 'TxnDateRangeFilter',
    'EntityFilter', 'AccountFilter', 'RefNumberFilter', 'RefNumberRangeFilter', 'CurrencyFilter', 'IncludeLineItems',
    'IncludeRetElement', 'OwnerID',
  ],
  ModifiedDateRangeFilter: ['FromModifiedDate', 'ToModifiedDate'],
};

export type Element = Record<string, unknown>;

/** The element's children in schema order; a child the schema does not list is a programming error. */
export function ordered(name: string, children: Element): Element {
  const order = ORDER[name];
  if (!order) throw new Error(`qbXML: no element order known for ${name}`);
  const out: Element = {};
  for (const key of Object.keys(children)) {
    if (children[key] !== undefined && !key.startsWith('@_') && !order.includes(key)) throw new Error(`qbXML: ${name} has no child ${key}`);
  }
  for (const key of Object.keys(children).filter((k) => k.startsWith('@_'))) out[key] = children[key];
  for (const key of order) if (children[key] !== undefined) out[key] = children[key];
  return out;
}
