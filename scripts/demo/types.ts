// Shapes of the demo data set: what the Salesforce and QuickBooks emulators are seeded with, and the facts tests
// assert on.

import type { DemoObjectName } from './ids';

export interface DemoDataOptions {
  /** Faker seed; the same seed and options give byte-identical data. Default 42. */
  seed?: number;
  /** Sales invoices across both companies. Default 60. */
  invoices?: number;
  /** Customers (shared by both companies). Default max(12, round(invoices / 3)); never fewer than 12. */
  customers?: number;
  /** Products per company. Default 15; never fewer than 6 (the tricky and matching products). */
  productsPerCompany?: number;
  /** Inclusive range of lines per invoice. Default [1, 5]. */
  linesPerInvoice?: [number, number];
  /** Key prefixes to use instead of KEY_PREFIXES (an org, or an emulator, that numbers its objects differently). */
  keyPrefixes?: Partial<Record<DemoObjectName, string>>;
}

/** One Salesforce record: field API name -> value; `Id` is an 18-character id, lookups hold ids. */
export type SalesforceRecord = Record<string, unknown> & { Id: string };

/** A QuickBooks Online entity in its v3 JSON shape (Id and SyncToken strings, money as numbers). */
export type QboEntity = Record<string, any>;

export interface QboAddress {
  Id?: string;
  Line1?: string;
  Line2?: string;
  City?: string;
  Country?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
}

export interface QboCompanyInfo {
  CompanyName: string;
  Country: string;
  LegalName?: string;
  Email?: { Address: string };
  CompanyAddr?: QboAddress;
}

export interface QboPreferences {
  /** Invoices carry the DocNumber the caller sends; when false QuickBooks assigns the next number. */
  customTxnNumbers: boolean;
  /** A repeated DocNumber is refused with 6140. */
  warnDuplicateDocNum: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** US automated sales tax: percent per ship-to state. */
  automatedSalesTax?: Record<string, number>;
  usingSalesTax?: boolean;
  classTracking?: 'off' | 'transaction' | 'line';
  trackLocations?: boolean;
  /** The sales-form custom fields in use, by DefinitionId 1–3. */
  customFields?: string[];
}

export type QboEntityName = 'Customer' | 'Vendor' | 'Employee' | 'Item' | 'Account' | 'TaxCode' | 'TaxRate' | 'Class' | 'Department' | 'Invoice';

export interface QboRealmSeed {
  realmId: string;
  companyInfo: QboCompanyInfo;
  preferences: QboPreferences;
  /** The company's own exchange rates (multicurrency). */
  exchangeRates?: { SourceCurrencyCode: string; AsOfDate: string; Rate: number }[];
  /** Every entity has an explicit string Id, so seeded entities can reference each other. */
  entities: Partial<Record<QboEntityName, QboEntity[]>>;
}

/** Salesforce ids of records that carry one tricky trait. */
export interface TrickyRecords {
  customers: string[];
  products: string[];
}

/**
 * What an export of one Company should see and do with the seeded data (all ids are Salesforce ids unless named
 * otherwise). Customers are shared, so the customer lists are the same for both companies except where a list
 * depends on what that company's QuickBooks already holds (matches, clashes).
 */
export interface CompanyExpectations {
  companyName: string;
  realmId: string;
  primary: boolean;
  /** Products of this company without Financial_System_Product_Id__c (all of them). */
  productsToExport: number;
  /**
   * Customers an export of this company sends: those its approved invoices name (none is exported yet). The match,
   * clash and tricky-name lists below describe every seeded customer; an export sees those in `customersInvoiced`.
   */
  customersToExport: number;
  /** Ids of the customers this company's approved invoices name. */
  customersInvoiced: string[];
  /** Sales invoices of this company that are Approved__c and not Transferred__c. */
  approvedInvoices: number;
  /** Sales invoices of this company that are not approved (must not be exported). */
  unapprovedInvoices: number;
  /** Sum of Total_Amount__c over the approved invoices, in dollars. */
  approvedTotal: number;
  /** Lines on the approved invoices (header charges not counted). */
  approvedInvoiceLines: number;
  /** Payment__c records on the approved invoices. */
  paymentsOnApprovedInvoices: number;

  /** Customers an existing QuickBooks customer matches by email (DisplayName differs; one differs in letter case). */
  customersMatchByEmail: string[];
  /** Customers an existing QuickBooks customer matches by display name "First Last" (it has no email). */
  customersMatchByName: string[];
  /** Customers an existing QuickBooks customer matches by company name + billing city (other names differ). */
  customersMatchByCompanyCity: string[];
  /** Salesforce customer id -> the QuickBooks Customer Id it must be matched to. */
  customerMatchQboIds: Record<string, string>;
  /** customersToExport minus the matches among them. */
  customersToCreate: number;

  /** Products an existing QuickBooks item matches by Sku (its Name differs). */
  productsMatchBySku: string[];
  /** Products an existing QuickBooks item matches by Name (no Sku match). */
  productsMatchByName: string[];
  /** Products whose Name a QuickBooks item with another Sku has: created as "Name (SKU)", with a warning. */
  productsRenamedBySku: string[];
  /** Salesforce product id -> the QuickBooks Item Id it must be matched to. */
  productMatchQboIds: Record<string, string>;
  /** productsToExport minus the matches. */
  productsToCreate: number;

  /** Customer whose "First Last" is the DisplayName of a QuickBooks Vendor in this realm (6240 on create). */
  vendorClashCustomerId: string | null;
  /** Customer whose "First Last" is the DisplayName of a QuickBooks Employee in this realm (6240 on create). */
  employeeClashCustomerId: string | null;

  /** Customers with Company_Name__c over 100 characters or "First Last" over 100; products whose Name is at the
   * 80-character maximum Product__c.Name allows (see DemoFacts.notes). */
  overLongNames: TrickyRecords;
  /** Names containing ':' (QuickBooks' sub-customer separator). */
  colonNames: TrickyRecords;
  /** Names containing a tab or a line break. */
  controlCharacterNames: TrickyRecords;
  /** Names containing an apostrophe (must be escaped as \' in a QuickBooks query). */
  apostropheNames: TrickyRecords;
  /** Names containing characters outside ASCII. */
  unicodeNames: TrickyRecords;
  /** Customers with no First/Last name (the display name must come from the company name). */
  customersWithoutPersonName: string[];
  /** Customers whose Phone__c is longer than QuickBooks' 30 characters. */
  overLongPhones: string[];
  /** Lines of approved invoices whose Quantity x Unit Price ends in exactly half a cent (rounded half up). */
  halfCentLines: string[];

  /** The approved invoice whose DocNumber already exists in this realm: the export must report 6140 and the fix. */
  docNumberCollision: { invoiceId: string; invoiceName: string; docNumber: string; quickBooksInvoiceId: string } | null;

  /** Approved Sales Invoices of credit type (they become QuickBooks credit memos, not invoices), each applied to an
   * open invoice of the same customer. Counted in approvedInvoices. */
  creditMemos: { invoiceId: string; appliesToInvoiceId: string; amount: number }[];
  /** Whether the company exports payments ("Invoices and Payments When Paid"). */
  exportsPayments: boolean;
}

export interface DemoFacts {
  primaryCompanyId: string;
  secondaryCompanyId: string;
  realmIds: { primary: string; secondary: string };
  /** The fixed "today" all dates are relative to (YYYY-MM-DD). */
  referenceDate: string;
  /** Company__c Id -> expectations for an export of that company. */
  expected: Record<string, CompanyExpectations>;
  /** Choices a reader of the facts should know about. */
  notes: string[];
}

export interface DemoData {
  /** SObject API name -> records. */
  salesforce: { records: Record<string, SalesforceRecord[]> };
  quickbooks: { realms: QboRealmSeed[] };
  facts: DemoFacts;
}
