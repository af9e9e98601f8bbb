// The demo data set: two ERP companies in Salesforce with customers, products and sales invoices, and the two
// QuickBooks Online companies they export to, already holding the records the export has to match, clash with or
// collide with. Pure and deterministic: the same options give the same data, with "today" fixed at REFERENCE_DATE.

import { Faker, base, en, en_US } from '@faker-js/faker';

import { KEY_PREFIXES, idSequence } from './ids';
import { fromCents, lineAmountCents, percentOfCents } from './money';
import { type AccountSpec, type PersonInput, RealmSeedBuilder } from './quickbooks';
import { EMPLOYEE_CLASH, FIXED_CUSTOMERS, FIXED_PRODUCTS, type FixedCustomer, OBRIEN, VENDOR_CLASH, WATANABE, ZOE_MULLER } from './tricky';
import type { CompanyExpectations, DemoData, DemoDataOptions, QboEntity, SalesforceRecord, TrickyRecords } from './types';

export type { DemoData, DemoDataOptions } from './types';

export const REFERENCE_DATE = '2026-11-01';
const REFERENCE_MS = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;
/** The hand-written customers plus three generated ones that QuickBooks matches by email or company + city. */
export const MIN_CUSTOMERS = 12;
/** Colon, long, two matched by SKU, two matched by name. */
export const MIN_PRODUCTS_PER_COMPANY = 6;

type ProductType = 'Inventory' | 'Non-Inventory' | 'Service';
type CompanyKey = 'primary' | 'secondary';

const QBO_ITEM_TYPE = { Inventory: 'Inventory', 'Non-Inventory': 'NonInventory', Service: 'Service' } as const;

interface AccountIds {
  income: string;
  services: string;
  cogs: string;
  inventory: string;
  discounts: string;
  receivable: string;
  undeposited: string;
  checking: string;
  payable: string;
}

interface CompanyDefinition {
  name: string;
  legalName: string;
  email: string;
  address: { street: string; city: string; state: string; postalCode: string };
  skuPrefix: string;
  numbering: 'Salesforce Number' | 'QuickBooks Next Number';
  prefix: string | null;
  clashSuffix: string | null;
  accountIds: AccountIds;
  idBases: { nameList: number; item: number; txn: number; address: number };
  quickBooksSince: number;
}

// Two realms with different Id ranges, so an export that posts one company's account or item Ids to the other
// company fails visibly instead of by luck.
const COMPANIES: Record<CompanyKey, CompanyDefinition> = {
  primary: {
    name: 'Northwind Trading Co.',
    legalName: 'Northwind Trading Company LLC',
    email: 'accounts@northwindtrading.com',
    address: { street: '1200 Embarcadero W', city: 'Oakland', state: 'CA', postalCode: '94607' },
    skuPrefix: 'NW',
    numbering: 'Salesforce Number',
    prefix: 'NW-',
    clashSuffix: ' (C)',
    accountIds: {
      income: '79',
      services: '1',
      cogs: '80',
      inventory: '81',
      discounts: '86',
      receivable: '84',
      undeposited: '4',
      checking: '35',
      payable: '33',
    },
    idBases: { nameList: 1, item: 1, txn: 130, address: 1 },
    quickBooksSince: Date.UTC(2023, 0, 9, 17),
  },
  secondary: {
    name: 'Harbor Outfitters Ltd.',
    legalName: 'Harbor Outfitters Limited',
    email: 'books@harboroutfitters.com',
    address: { street: '88 Commercial St', city: 'Portland', state: 'ME', postalCode: '04101' },
    skuPrefix: 'HO',
    numbering: 'QuickBooks Next Number',
    prefix: null,
    // Left empty: the export falls back to the default suffix.
    clashSuffix: null,
    accountIds: {
      income: '112',
      services: '104',
      cogs: '113',
      inventory: '114',
      discounts: '117',
      receivable: '101',
      undeposited: '102',
      checking: '103',
      payable: '105',
    },
    idBases: { nameList: 58, item: 41, txn: 210, address: 90 },
    quickBooksSince: Date.UTC(2024, 2, 4, 16),
  },
};

const TERMS: ReadonlyArray<{ weight: number; value: string; days: number }> = [
  { weight: 6, value: 'Net 30', days: 30 },
  { weight: 2, value: 'Net 15', days: 15 },
  { weight: 1, value: 'Due on receipt', days: 0 },
  { weight: 1, value: 'Net 60', days: 60 },
];
const TAX_RATES = [0.06, 0.0625, 0.07, 0.0725, 0.0825, 0.0875];
const PAYMENT_METHODS = [
  { weight: 4, value: 'Credit Card' },
  { weight: 3, value: 'ACH' },
  { weight: 2, value: 'Check' },
  { weight: 1, value: 'Wire' },
];
const MEMOS = [
  'Deliver to loading dock B.',
  'Partial shipment; balance to follow.',
  'Per blanket order agreement.',
  'Call before delivery.',
  'Replacement for damaged units on the previous order.',
];
const SERVICES = [
  'Installation',
  'On-site Training',
  'Design Consultation',
  'Assembly',
  'Extended Warranty',
  'Repair Labor',
  'Site Survey',
  'Maintenance Visit',
  'Custom Engraving',
  'Project Management',
];
const PERSONAL_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com'];

interface CustomerRow {
  record: SalesforceRecord;
  first: string | null;
  last: string | null;
  company: string | null;
  city: string;
  email: string | null;
  phone: string | null;
  source: FixedCustomer;
}

interface ProductRow {
  record: SalesforceRecord;
  name: string;
  sku: string | null;
  type: ProductType;
  priceCents: number;
  description: string;
}

interface CompanyPlan {
  key: CompanyKey;
  def: CompanyDefinition;
  record: SalesforceRecord;
  realm: RealmSeedBuilder;
  products: ProductRow[];
  /** Next product to put on an invoice until every product has been used once. */
  productCursor: number;
  itemNames: Set<string>;
  expected: CompanyExpectations;
  approvedCents: number;
}

/** Case-, space- and Unicode-form-insensitive key, the way QuickBooks compares names. */
function nameKey(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const isoDates = new Map<number, string>();
/** YYYY-MM-DD of a UTC day; cached because tens of thousands of records share a few hundred days. */
function isoDate(ms: number): string {
  let date = isoDates.get(ms);
  if (date === undefined) {
    date = new Date(ms).toISOString().slice(0, 10);
    isoDates.set(ms, date);
  }
  return date;
}

function personName(first: string | null, last: string | null): string {
  return [first, last].filter((part): part is string => !!part && part.trim() !== '').join(' ');
}

/** "YYYY-MM-DDTHH:MM:00Z" for a wall-clock time on a day in a time zone (DST included). */
function zonedTime(day: string, time: string, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!) - ms;
  };
  const guess = wall - offsetAt(wall);
  return new Date(wall - offsetAt(guess)).toISOString().replace('.000Z', 'Z');
}

function invoiceName(n: number): string {
  return `SI-${String(n).padStart(6, '0')}`;
}

function emptyExpectations(def: CompanyDefinition, realmId: string, primary: boolean): CompanyExpectations {
  const tricky = (): TrickyRecords => ({ customers: [], products: [] });
  return {
    companyName: def.name,
    realmId,
    primary,
    productsToExport: 0,
    customersToExport: 0,
    customersInvoiced: [],
    approvedInvoices: 0,
    unapprovedInvoices: 0,
    approvedTotal: 0,
    approvedInvoiceLines: 0,
    paymentsOnApprovedInvoices: 0,
    customersMatchByEmail: [],
    customersMatchByName: [],
    customersMatchByCompanyCity: [],
    customerMatchQboIds: {},
    customersToCreate: 0,
    productsMatchBySku: [],
    productsMatchByName: [],
    productsRenamedBySku: [],
    productMatchQboIds: {},
    productsToCreate: 0,
    vendorClashCustomerId: null,
    employeeClashCustomerId: null,
    overLongNames: tricky(),
    colonNames: tricky(),
    controlCharacterNames: tricky(),
    apostropheNames: tricky(),
    unicodeNames: tricky(),
    customersWithoutPersonName: [],
    overLongPhones: [],
    creditMemos: [],
    exportsPayments: primary,
    halfCentLines: [],
    docNumberCollision: null,
  };
}

function accountTable(ids: AccountIds, faker: Faker): AccountSpec[] {
  const balance = (min: number, max: number) => fromCents(faker.number.int({ min: min * 100, max: max * 100 }));
  return [
    { Id: ids.services, Name: 'Services', AccountType: 'Income', AccountSubType: 'ServiceFeeIncome', Classification: 'Revenue' },
    {
      Id: ids.undeposited,
      Name: 'Undeposited Funds',
      AccountType: 'Other Current Asset',
      AccountSubType: 'UndepositedFunds',
      Classification: 'Asset',
      CurrentBalance: balance(500, 9000),
    },
    {
      Id: ids.payable,
      Name: 'Accounts Payable (A/P)',
      AccountType: 'Accounts Payable',
      AccountSubType: 'AccountsPayable',
      Classification: 'Liability',
      CurrentBalance: balance(2000, 30000),
    },
    { Id: ids.checking, Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking', Classification: 'Asset', CurrentBalance: balance(20000, 250000) },
    { Id: ids.income, Name: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome', Classification: 'Revenue' },
    { Id: ids.cogs, Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold', AccountSubType: 'SuppliesMaterialsCogs', Classification: 'Expense' },
    {
      Id: ids.inventory,
      Name: 'Inventory Asset',
      AccountType: 'Other Current Asset',
      AccountSubType: 'Inventory',
      Classification: 'Asset',
      CurrentBalance: balance(10000, 90000),
    },
    {
      Id: ids.receivable,
      Name: 'Accounts Receivable (A/R)',
      AccountType: 'Accounts Receivable',
      AccountSubType: 'AccountsReceivable',
      Classification: 'Asset',
    },
    { Id: ids.discounts, Name: 'Discounts given', AccountType: 'Income', AccountSubType: 'DiscountsRefundsGiven', Classification: 'Revenue' },
  ];
}

export function generateDemoData(opts: DemoDataOptions = {}): DemoData {
  const seed = opts.seed ?? 42;
  const invoiceCount = Math.max(0, Math.floor(opts.invoices ?? 60));
  const customerCount = Math.max(MIN_CUSTOMERS, Math.floor(opts.customers ?? Math.round(invoiceCount / 3)));
  const productCount = Math.max(MIN_PRODUCTS_PER_COMPANY, Math.floor(opts.productsPerCompany ?? 15));
  const [minLines, maxLines] = opts.linesPerInvoice ?? [1, 5];
  if (!(Number.isInteger(minLines) && Number.isInteger(maxLines) && minLines >= 1 && maxLines >= minLines)) {
    throw new Error(`linesPerInvoice must be [min, max] with 1 <= min <= max, got [${minLines}, ${maxLines}]`);
  }

  const faker = new Faker({ locale: [en_US, en, base] });
  faker.seed(seed);

  const prefixes = { ...KEY_PREFIXES, ...opts.keyPrefixes };
  if (new Set(Object.values(prefixes)).size !== Object.keys(prefixes).length) {
    throw new Error(`keyPrefixes must differ per object: ${JSON.stringify(prefixes)}`);
  }
  const nextId = {
    company: idSequence(prefixes.Company__c),
    customer: idSequence(prefixes.Customer__c),
    product: idSequence(prefixes.Product__c),
    invoice: idSequence(prefixes.Sales_Invoice__c),
    line: idSequence(prefixes.Sales_Invoice_Line__c),
    payment: idSequence(prefixes.Payment__c),
  };

  // Names already used by a customer, vendor or employee anywhere in the data (QuickBooks keeps them unique across
  // the three); only the deliberate matches and clashes reuse one.
  const takenNames = new Set<string>();
  const takenEmails = new Set<string>();
  const takenCompanyCities = new Set<string>();
  const takenSkus = new Set<string>();
  const takenReferences = new Set<string>();

  // Distinct, deterministic stand-in when random draws keep colliding.
  const uniqueName = (draw: () => string, taken: Set<string>, fallback: (n: number) => string): string => {
    for (let attempt = 0; attempt < 25; attempt++) {
      const candidate = draw();
      if (!taken.has(nameKey(candidate))) return candidate;
    }
    for (let n = 2; ; n++) {
      const candidate = fallback(n);
      if (!taken.has(nameKey(candidate))) return candidate;
    }
  };

  // ---------------------------------------------------------------- companies and their QuickBooks realms
  const realmIds = new Set<string>();
  const plans = (['primary', 'secondary'] as const).map((key): CompanyPlan => {
    const def = COMPANIES[key];
    let realmId: string;
    do realmId = '9' + faker.string.numeric(15);
    while (realmIds.has(realmId));
    realmIds.add(realmId);

    const realm = new RealmSeedBuilder(
      realmId,
      {
        CompanyName: def.name,
        LegalName: def.legalName,
        Country: 'US',
        Email: { Address: def.email },
        CompanyAddr: {
          Id: '1',
          Line1: def.address.street,
          City: def.address.city,
          Country: 'US',
          CountrySubDivisionCode: def.address.state,
          PostalCode: def.address.postalCode,
        },
      },
      { customTxnNumbers: key === 'primary', warnDuplicateDocNum: true, multiCurrency: false, homeCurrency: 'USD' },
      def.idBases,
      def.quickBooksSince,
    );
    realm.accounts(accountTable(def.accountIds, faker));
    realm.usTaxCodes();
    const charge = (Name: string, Description: string) =>
      realm.item({ Name, Description, Type: 'Service', UnitPrice: 0, Taxable: false }, { income: def.accountIds.income });
    const freight = charge('Freight', 'Freight charged on the order');
    const handling = charge('Handling', 'Handling charged on the order');
    const packaging = charge('Packaging', 'Packaging charged on the order');

    const record: SalesforceRecord = {
      Id: nextId.company(),
      Name: def.name,
      QuickBooks_Primary_Company__c: key === 'primary',
      QuickBooks_Realm_Id__c: realmId,
      Accounting_System__c: 'Online',
      Invoice_Numbering__c: def.numbering,
      Invoice_Number_Prefix__c: def.prefix,
      Invoice_Number_Suffix__c: null,
      // The connected company exports payments too, in its own time zone (Oakland).
      Export_Mode__c: key === 'primary' ? 'Invoices and Payments When Paid' : 'Invoices Only',
      Time_Zone__c: key === 'primary' ? 'America/Los_Angeles' : null,
      Deposit_Account_Id__c: key === 'primary' ? def.accountIds.checking : null,
      Income_Account_Id__c: def.accountIds.income,
      Expense_Account_Id__c: def.accountIds.cogs,
      Asset_Account_Id__c: def.accountIds.inventory,
      Freight_Item_Id__c: freight.Id,
      Handling_Item_Id__c: handling.Id,
      Packaging_Item_Id__c: packaging.Id,
      Discount_Account_Id__c: def.accountIds.discounts,
      Currency_Code__c: 'USD',
      Vendor_Clash_Suffix__c: def.clashSuffix,
    };
    return {
      key,
      def,
      record,
      realm,
      products: [],
      productCursor: 0,
      itemNames: new Set(['freight', 'handling', 'packaging']),
      expected: emptyExpectations(def, realmId, key === 'primary'),
      approvedCents: 0,
    };
  });
  const [primary, secondary] = plans;

  // ---------------------------------------------------------------- customers (shared by both companies)
  const customers: CustomerRow[] = [];
  const addCustomer = (source: FixedCustomer): CustomerRow => {
    const record: SalesforceRecord = {
      Id: nextId.customer(),
      ...source,
      Financial_System_Customer_Id__c: null,
      Secondary_Customer_Id__c: null,
    };
    const row: CustomerRow = {
      record,
      first: source.First_Name__c,
      last: source.Last_Name__c,
      company: source.Company_Name__c,
      city: source.Billing_City__c,
      email: source.Email__c,
      phone: source.Phone__c,
      source,
    };
    for (const name of [source.Name, personName(row.first, row.last), row.company ?? '']) {
      if (name) takenNames.add(nameKey(name));
    }
    if (row.email) takenEmails.add(row.email.toLowerCase());
    if (row.company) takenCompanyCities.add(`${nameKey(row.company)}|${nameKey(row.city)}`);
    customers.push(row);
    return row;
  };
  // Reserved first so no generated customer, vendor or employee takes one of these names.
  for (const name of ['Dana Whitfield', 'Morgan Ellery', 'Mueller Design GmbH', 'Ken Watanabe']) takenNames.add(nameKey(name));
  const fixedRows = new Map<FixedCustomer, CustomerRow>();
  for (const source of FIXED_CUSTOMERS) fixedRows.set(source, addCustomer(source));

  const randomPerson = () => {
    const full = uniqueName(
      () => `${faker.person.firstName()} ${faker.person.lastName()}`,
      takenNames,
      (n) => `${faker.person.firstName()} ${String.fromCharCode(64 + (n % 26) + 1)}. ${faker.person.lastName()}`,
    );
    const space = full.lastIndexOf(' ');
    return { first: full.slice(0, space), last: full.slice(space + 1) };
  };

  const generateCustomer = (needs: { email?: boolean; company?: boolean }): FixedCustomer => {
    const { first, last } = randomPerson();
    let city = faker.location.city();
    let company: string | null = null;
    if (needs.company || faker.datatype.boolean({ probability: 0.7 })) {
      for (let attempt = 0; ; attempt++) {
        company = faker.company.name();
        if (!takenNames.has(nameKey(company)) && !takenCompanyCities.has(`${nameKey(company)}|${nameKey(city)}`)) break;
        if (attempt > 10) city = faker.location.city();
      }
    }
    let email: string | null = null;
    if (needs.email || faker.datatype.boolean({ probability: 0.94 })) {
      const domain = company ? `${slug(company.split(/[ ,]/)[0]) || 'mail'}.com` : faker.helpers.arrayElement(PERSONAL_MAIL);
      const local = `${slug(first)}.${slug(last)}`;
      email = `${local}@${domain}`;
      for (let n = 2; takenEmails.has(email); n++) email = `${local}${n}@${domain}`;
    }
    let street = faker.location.streetAddress(faker.datatype.boolean({ probability: 0.2 }));
    if (faker.datatype.boolean({ probability: 0.1 })) street += `\nSuite ${faker.number.int({ min: 100, max: 999 })}`;
    return {
      Name: (company ?? `${first} ${last}`).slice(0, 80),
      First_Name__c: first,
      Last_Name__c: last,
      Company_Name__c: company,
      Email__c: email,
      Phone__c: faker.datatype.boolean({ probability: 0.95 }) ? faker.phone.number({ style: 'national' }) : null,
      Billing_Street__c: street,
      Billing_City__c: city,
      Billing_State__c: faker.location.state({ abbreviated: true }),
      Billing_Postal_Code__c: faker.location.zipCode('#####'),
      Billing_Country__c: 'United States',
    };
  };

  // The three generated customers QuickBooks already knows come first, so they exist at any size.
  const emailMatch = addCustomer(generateCustomer({ email: true }));
  const emailCaseMatch = addCustomer(generateCustomer({ email: true }));
  const companyCityMatch = addCustomer(generateCustomer({ company: true }));
  while (customers.length < customerCount) addCustomer(generateCustomer({}));

  // ---------------------------------------------------------------- products (per company)
  const productName = (type: ProductType) => {
    if (type === 'Service') return `${faker.commerce.productAdjective()} ${faker.helpers.arrayElement(SERVICES)}`;
    return faker.commerce.productName();
  };
  const priceCents = (type: ProductType) => {
    const [min, max] = type === 'Inventory' ? [12, 900] : type === 'Non-Inventory' ? [4, 300] : [45, 250];
    return faker.number.int({ min, max }) * 100 + faker.helpers.arrayElement([0, 0, 50, 95, 99]);
  };
  const newSku = (prefix: string) => {
    let sku: string;
    do sku = `${prefix}-${faker.string.numeric({ length: 5, allowLeadingZeros: false })}`;
    while (takenSkus.has(sku));
    takenSkus.add(sku);
    return sku;
  };

  for (const plan of plans) {
    const names = new Set<string>();
    const addProduct = (name: string, type: ProductType, sku: string | null, description?: string): ProductRow => {
      names.add(nameKey(name));
      plan.itemNames.add(nameKey(name));
      const cents = priceCents(type);
      description ??=
        type === 'Service' ? `${name}, billed per hour. ${faker.company.catchPhrase()}.` : `${name} in ${faker.color.human()}. ${faker.company.catchPhrase()}.`;
      const record: SalesforceRecord = {
        Id: nextId.product(),
        Name: name,
        Company__c: plan.record.Id,
        SKU__c: sku,
        Description__c: description,
        Unit_Price__c: fromCents(cents),
        Product_Type__c: type,
        Financial_System_Product_Id__c: null,
      };
      const row = { record, name, sku, type, priceCents: cents, description };
      plan.products.push(row);
      return row;
    };
    const fresh = (type: ProductType) =>
      uniqueName(
        () => productName(type),
        names,
        (n) => `${productName(type)} ${n}`,
      );
    const prefix = plan.def.skuPrefix;

    const fixed = FIXED_PRODUCTS[plan.key];
    addProduct(fixed.colon.name, 'Non-Inventory', newSku(prefix), fixed.colon.description);
    addProduct(fixed.long.name, 'Inventory', newSku(prefix), fixed.long.description);
    const skuMatches = [addProduct(fresh('Inventory'), 'Inventory', newSku(prefix)), addProduct(fresh('Service'), 'Service', newSku(prefix))];
    // One with no SKU at all, one whose SKU QuickBooks does not know: both can only be matched by name.
    const nameMatches = [addProduct(fresh('Non-Inventory'), 'Non-Inventory', null), addProduct(fresh('Inventory'), 'Inventory', newSku(prefix))];
    while (plan.products.length < productCount) {
      const type = faker.helpers.weightedArrayElement<ProductType>([
        { weight: 5, value: 'Inventory' },
        { weight: 3, value: 'Non-Inventory' },
        { weight: 2, value: 'Service' },
      ]);
      addProduct(fresh(type), type, faker.datatype.boolean({ probability: 0.92 }) ? newSku(prefix) : null);
    }

    // ------------------------------------------------------------ QuickBooks items already in this realm
    const accounts = plan.def.accountIds;
    const itemAccounts = { income: accounts.income, expense: accounts.cogs, asset: accounts.inventory };
    const freshItemName = () =>
      uniqueName(
        () => faker.commerce.productName(),
        plan.itemNames,
        (n) => `${faker.commerce.productName()} ${n}`,
      );
    const addItem = (name: string, type: ProductType, extra: { Sku?: string; UnitPrice: number; Description?: string }) => {
      plan.itemNames.add(nameKey(name));
      return plan.realm.item({ Name: name, Type: QBO_ITEM_TYPE[type], Taxable: type !== 'Service', ...extra }, itemAccounts);
    };
    addItem('Hours', 'Service', { UnitPrice: 85, Description: 'Billable hours' });
    addItem(freshItemName(), 'Inventory', { Sku: `LEG-${faker.string.numeric(4)}`, UnitPrice: fromCents(priceCents('Inventory')) });
    for (const product of skuMatches) {
      // The catalogue was renamed in the ERP since the item was set up in QuickBooks; the SKU still ties them.
      const item = addItem(freshItemName(), product.type, {
        Sku: product.sku ?? undefined,
        UnitPrice: fromCents(product.priceCents),
        Description: product.description,
      });
      plan.expected.productsMatchBySku.push(product.record.Id);
      plan.expected.productMatchQboIds[product.record.Id] = item.Id;
    }
    for (const [i, product] of nameMatches.entries()) {
      const item = addItem(product.name, product.type, {
        ...(i === 1 ? { Sku: `LEG-${faker.string.numeric(4)}` } : {}),
        UnitPrice: fromCents(product.priceCents),
      });
      // Same name, another SKU: a different product, created under "Name (SKU)" with a warning naming both SKUs.
      if (i === 1) {
        plan.expected.productsRenamedBySku.push(product.record.Id);
        continue;
      }
      plan.expected.productsMatchByName.push(product.record.Id);
      plan.expected.productMatchQboIds[product.record.Id] = item.Id;
    }
    addItem('Gift Wrap', 'Non-Inventory', { UnitPrice: 4.95, Description: 'Gift wrapping per item' });
  }

  // ---------------------------------------------------------------- QuickBooks customers, vendors, employees
  const withAddress = (row: CustomerRow): PersonInput['address'] => ({
    street: row.source.Billing_Street__c.split('\n')[0],
    city: row.city,
    state: row.source.Billing_State__c,
    postalCode: row.source.Billing_Postal_Code__c,
  });
  const otherPerson = () => {
    const person = randomPerson();
    takenNames.add(nameKey(`${person.first} ${person.last}`));
    return person;
  };
  const otherCompany = () => {
    const company = uniqueName(
      () => faker.company.name(),
      takenNames,
      (n) => `${faker.company.name()} ${n}`,
    );
    takenNames.add(nameKey(company));
    return company;
  };
  const matchCustomer = (plan: CompanyPlan, kind: 'email' | 'name' | 'companyCity', row: CustomerRow, input: PersonInput) => {
    const qbo = plan.realm.customer(input);
    const list = {
      email: plan.expected.customersMatchByEmail,
      name: plan.expected.customersMatchByName,
      companyCity: plan.expected.customersMatchByCompanyCity,
    }[kind];
    list.push(row.record.Id);
    plan.expected.customerMatchQboIds[row.record.Id] = qbo.Id;
  };
  const unrelatedCustomers = (plan: CompanyPlan, count: number): QboEntity[] => {
    const made: QboEntity[] = [];
    for (let i = 0; i < count; i++) {
      const person = otherPerson();
      const company = faker.datatype.boolean({ probability: 0.5 }) ? otherCompany() : undefined;
      const display = company ?? `${person.first} ${person.last}`;
      let email: string | undefined = `${slug(person.first)}.${slug(person.last)}@${slug(faker.word.noun())}-mail.net`;
      if (takenEmails.has(email)) email = undefined;
      else takenEmails.add(email);
      made.push(
        plan.realm.customer({
          GivenName: person.first,
          FamilyName: person.last,
          CompanyName: company,
          DisplayName: display,
          email,
          phone: faker.phone.number({ style: 'national' }),
          address: {
            street: faker.location.streetAddress(),
            city: faker.location.city(),
            state: faker.location.state({ abbreviated: true }),
            postalCode: faker.location.zipCode('#####'),
          },
        }),
      );
    }
    return made;
  };
  const vendorCompanies = (plan: CompanyPlan, count: number) => {
    for (let i = 0; i < count; i++) {
      const company = otherCompany();
      plan.realm.vendor({ CompanyName: company, DisplayName: company, phone: faker.phone.number({ style: 'national' }) });
    }
  };
  const employee = (plan: CompanyPlan, person: { first: string; last: string }) =>
    plan.realm.employee(
      { GivenName: person.first, FamilyName: person.last, DisplayName: `${person.first} ${person.last}` },
      isoDate(Date.UTC(2019, 0, 1) + faker.number.int({ min: 0, max: 2000 }) * DAY_MS),
    );

  {
    const plan = primary;
    const obrien = fixedRows.get(OBRIEN)!;
    for (const [row, caseVariant] of [
      [emailMatch, false],
      [emailCaseMatch, true],
    ] as const) {
      // Same mailbox typed with capitals in QuickBooks: email addresses compare without case.
      const email = caseVariant ? row.email!.replace(/(^|[.@])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()) : row.email!;
      const display = `${row.last}, ${row.first}`;
      takenNames.add(nameKey(display));
      matchCustomer(plan, 'email', row, {
        GivenName: row.first!,
        FamilyName: row.last!,
        DisplayName: display,
        email,
        address: withAddress(row),
      });
    }
    matchCustomer(plan, 'name', obrien, {
      GivenName: obrien.first!,
      FamilyName: obrien.last!,
      DisplayName: personName(obrien.first, obrien.last),
      phone: obrien.phone ?? undefined,
    });
    {
      const contact = otherPerson();
      matchCustomer(plan, 'companyCity', companyCityMatch, {
        GivenName: contact.first,
        FamilyName: contact.last,
        CompanyName: companyCityMatch.company!,
        DisplayName: `${contact.first} ${contact.last}`,
        address: withAddress(companyCityMatch),
      });
    }
    const others = unrelatedCustomers(plan, 6);
    // A job under an existing customer: its FullyQualifiedName carries the "Parent:Child" colon.
    const jobName = `${faker.location.street()} Remodel`;
    takenNames.add(nameKey(jobName));
    plan.realm.customer({ DisplayName: jobName }, others[0]);
    plan.realm.vendor({
      GivenName: VENDOR_CLASH.First_Name__c!,
      FamilyName: VENDOR_CLASH.Last_Name__c!,
      DisplayName: personName(VENDOR_CLASH.First_Name__c, VENDOR_CLASH.Last_Name__c),
      email: 'dana.whitfield.design@gmail.com',
    });
    plan.expected.vendorClashCustomerId = fixedRows.get(VENDOR_CLASH)!.record.Id;
    vendorCompanies(plan, 3);
    employee(plan, otherPerson());
  }
  {
    const plan = secondary;
    const zoe = fixedRows.get(ZOE_MULLER)!;
    const watanabe = fixedRows.get(WATANABE)!;
    matchCustomer(plan, 'email', zoe, {
      GivenName: 'Zoe',
      FamilyName: 'Mueller',
      CompanyName: 'Mueller Design GmbH',
      DisplayName: 'Mueller Design GmbH',
      email: zoe.email!,
      address: { ...withAddress(zoe)!, country: 'DE' },
    });
    matchCustomer(plan, 'name', emailMatch, {
      GivenName: emailMatch.first!,
      FamilyName: emailMatch.last!,
      DisplayName: personName(emailMatch.first, emailMatch.last),
      phone: faker.phone.number({ style: 'national' }),
    });
    matchCustomer(plan, 'companyCity', watanabe, {
      GivenName: 'Ken',
      FamilyName: 'Watanabe',
      CompanyName: watanabe.company!,
      DisplayName: 'Ken Watanabe',
      email: 'ap@watanabe-shoji.co.jp',
      address: withAddress(watanabe),
    });
    unrelatedCustomers(plan, 5);
    vendorCompanies(plan, 3);
    plan.realm.employee(
      {
        GivenName: EMPLOYEE_CLASH.First_Name__c!,
        FamilyName: EMPLOYEE_CLASH.Last_Name__c!,
        DisplayName: personName(EMPLOYEE_CLASH.First_Name__c, EMPLOYEE_CLASH.Last_Name__c),
      },
      '2022-06-13',
    );
    plan.expected.employeeClashCustomerId = fixedRows.get(EMPLOYEE_CLASH)!.record.Id;
    employee(plan, otherPerson());
  }

  // ---------------------------------------------------------------- sales invoices, lines, payments
  // A few invoices are pinned so every run has: an approved primary invoice whose DocNumber QuickBooks already
  // holds, and an approved invoice per company with every header charge, tax, a half-cent line and a payment.
  const collisionIndex = invoiceCount > 0 ? Math.min(6, invoiceCount - 1) : -1;
  const freeIndices = [0, 1, 2, 3].filter((i) => i !== collisionIndex && i < invoiceCount);
  const pinned = new Map<number, { plan: CompanyPlan; allCharges: boolean }>();
  if (collisionIndex >= 0) pinned.set(collisionIndex, { plan: primary, allCharges: false });
  if (freeIndices[0] !== undefined) pinned.set(freeIndices[0], { plan: secondary, allCharges: true });
  if (freeIndices[1] !== undefined) pinned.set(freeIndices[1], { plan: primary, allCharges: true });

  const invoices: SalesforceRecord[] = [];
  const lines: SalesforceRecord[] = [];
  const payments: SalesforceRecord[] = [];
  const absent = () => (faker.datatype.boolean() ? 0 : null);

  for (let i = 0; i < invoiceCount; i++) {
    const pin = pinned.get(i);
    const plan = pin?.plan ?? (faker.datatype.boolean({ probability: 0.6 }) ? primary : secondary);
    // Walk the customer list first so every customer has an invoice once there are enough of them.
    const customer = i < customers.length ? customers[i] : faker.helpers.arrayElement(customers);
    const approved = pin ? true : faker.datatype.boolean({ probability: 0.85 });
    const daysAgo = faker.number.int({ min: 1, max: 90 });
    const invoiceMs = REFERENCE_MS - daysAgo * DAY_MS;
    const terms = faker.helpers.weightedArrayElement(TERMS.map((t) => ({ weight: t.weight, value: t })));
    const invoiceId = nextId.invoice();
    const name = invoiceName(i + 1);

    let subtotalCents = 0;
    let taxableCents = 0;
    const lineCount = faker.number.int({ min: minLines, max: maxLines });
    const firstLine = lines.length;
    for (let n = 1; n <= lineCount; n++) {
      const product = plan.productCursor < plan.products.length ? plan.products[plan.productCursor++] : faker.helpers.arrayElement(plan.products);
      let quantity: number;
      if (product.type === 'Inventory') quantity = faker.number.int({ min: 1, max: 24 });
      else if (product.type === 'Service') quantity = faker.number.int({ min: 1, max: 32 }) / 2;
      else quantity = faker.datatype.boolean({ probability: 0.7 }) ? faker.number.int({ min: 1, max: 12 }) : faker.number.int({ min: 1, max: 40 }) / 4;
      let unitCents = faker.datatype.boolean({ probability: 0.15 }) ? Math.round(product.priceCents * 0.9) : product.priceCents;
      let taxable = product.type !== 'Service';
      if (pin?.allCharges && n === 1) {
        // 2.5 x an odd number of cents ends in exactly half a cent.
        quantity = 2.5;
        if (unitCents % 2 === 0) unitCents += 1;
        taxable = true;
      }
      const amountCents = lineAmountCents(quantity, fromCents(unitCents));
      subtotalCents += amountCents;
      if (taxable) taxableCents += amountCents;
      lines.push({
        Id: nextId.line(),
        Name: `${name}-${n}`,
        Sales_Invoice__c: invoiceId,
        Product__c: product.record.Id,
        Line_Number__c: n,
        Quantity__c: quantity,
        Unit_Price__c: fromCents(unitCents),
        Description__c: faker.datatype.boolean({ probability: 0.8 }) ? product.name : `${product.name}\n${product.description}`,
        Taxable__c: taxable,
      });
      if (approved && (Math.round(quantity * 10_000) * unitCents) % 10_000 === 5_000) plan.expected.halfCentLines.push(lines[lines.length - 1].Id);
    }

    const all = pin?.allCharges ?? false;
    const charge = (probability: number, min: number, max: number) =>
      all || faker.datatype.boolean({ probability }) ? faker.number.int({ min: min * 100, max: max * 100 }) : null;
    const freight = charge(0.45, 7.5, 185);
    const handling = charge(0.2, 5, 45);
    const packaging = charge(0.15, 2.5, 30);
    const discount =
      all || faker.datatype.boolean({ probability: 0.12 }) ? Math.max(1, percentOfCents(subtotalCents, faker.helpers.arrayElement([0.02, 0.05, 0.1]))) : null;
    const tax =
      taxableCents > 0 && (all || faker.datatype.boolean({ probability: 0.55 }))
        ? percentOfCents(taxableCents, faker.helpers.arrayElement(TAX_RATES)) || null
        : null;
    const totalCents = subtotalCents + (freight ?? 0) + (handling ?? 0) + (packaging ?? 0) - (discount ?? 0) + (tax ?? 0);
    const money = (cents: number | null) => (cents === null ? absent() : fromCents(cents));

    invoices.push({
      Id: invoiceId,
      Name: name,
      Company__c: plan.record.Id,
      Customer__c: customer.record.Id,
      Approved__c: approved,
      Transferred__c: false,
      Invoice_Date__c: isoDate(invoiceMs),
      Due_Date__c: isoDate(invoiceMs + terms.days * DAY_MS),
      Terms__c: terms.value,
      PO_Number__c: faker.datatype.boolean({ probability: 0.6 })
        ? faker.helpers.arrayElement(['PO-', '45', 'P']) + faker.string.numeric(faker.number.int({ min: 5, max: 8 }))
        : null,
      Currency_Code__c: 'USD',
      Freight__c: money(freight),
      Handling__c: money(handling),
      Packaging__c: money(packaging),
      Order_Discount__c: money(discount),
      Tax_Amount__c: money(tax),
      Total_Amount__c: fromCents(totalCents),
      Memo__c: faker.datatype.boolean({ probability: 0.15 }) ? faker.helpers.arrayElement(MEMOS) : null,
      Financial_System_Invoice_Id__c: null,
      Financial_System_Invoice_Number__c: null,
      Export_Status__c: 'Not Exported',
      Last_Export_Error__c: null,
      Status__c: 'Open',
    });

    const expected = plan.expected;
    if (!approved) {
      expected.unapprovedInvoices++;
      continue;
    }
    expected.approvedInvoices++;
    expected.approvedInvoiceLines += lines.length - firstLine;
    plan.approvedCents += totalCents;

    // Payments: most paid invoices in full, some in two parts, each with its bank transaction id.
    if (!(all || faker.datatype.boolean({ probability: 0.12 }))) continue;
    const parts: number[] = [];
    if (faker.datatype.boolean({ probability: 0.65 })) parts.push(totalCents);
    else {
      const first = Math.max(1, Math.round(totalCents * faker.number.float({ min: 0.3, max: 0.7, fractionDigits: 2 })));
      parts.push(first);
      if (faker.datatype.boolean()) parts.push(totalCents - first);
    }
    // The connected company's fully charged invoice is always paid in two parts (the second drawn from no random
    // source, so the rest of the data set stays the same).
    const drawn = parts.length;
    if (pin?.allCharges && plan === primary && parts.length === 1) parts.splice(0, 1, Math.round(totalCents * 0.4), totalCents - Math.round(totalCents * 0.4));
    invoices[invoices.length - 1]!.Status__c = parts.reduce((a, b) => a + b, 0) === totalCents ? 'Paid' : 'Partially Paid';
    for (const [part, cents] of parts.entries()) {
      if (part >= drawn) {
        const paidMs = invoiceMs + DAY_MS;
        payments.push({
          Id: nextId.payment(),
          Name: `PAY-${String(payments.length + 1).padStart(6, '0')}`,
          Sales_Invoice__c: invoiceId,
          Amount__c: fromCents(cents),
          Payment_Date__c: isoDate(paidMs),
          Paid_At__c: zonedTime(isoDate(paidMs), '00:30', String(plan.record.Time_Zone__c ?? 'UTC')),
          Payment_Method__c: 'Check',
          Reference__c: `CHK-${String(900000 + payments.length)}`,
          Financial_System_Payment_Id__c: null,
        });
        expected.paymentsOnApprovedInvoices++;
        continue;
      }
      const method = faker.helpers.weightedArrayElement(PAYMENT_METHODS);
      const paidMs = invoiceMs + faker.number.int({ min: 0, max: daysAgo }) * DAY_MS;
      let reference: string;
      do {
        reference =
          method === 'Credit Card'
            ? `ch_${faker.string.alphanumeric(24).slice(0, 18)}` // card charge ids cut to the 21 characters QuickBooks keeps
            : method === 'ACH'
              ? `ACH${faker.string.numeric(12)}`
              : method === 'Check'
                ? `CHK-${faker.string.numeric({ length: 6, allowLeadingZeros: false })}`
                : `FW${isoDate(paidMs).replace(/-/g, '')}-${faker.string.numeric(8)}`;
      } while (takenReferences.has(reference));
      takenReferences.add(reference);
      payments.push({
        Id: nextId.payment(),
        Name: `PAY-${String(payments.length + 1).padStart(6, '0')}`,
        Sales_Invoice__c: invoiceId,
        Amount__c: fromCents(cents),
        Payment_Date__c: isoDate(paidMs),
        // When it was taken, on that day in the company's zone; every fifth just after midnight (still that day).
        Paid_At__c: zonedTime(
          isoDate(paidMs),
          payments.length % 5 === 0 ? '00:30' : `${10 + (payments.length % 8)}:15`,
          plan.record.Time_Zone__c ? String(plan.record.Time_Zone__c) : 'UTC',
        ),
        Payment_Method__c: method,
        Reference__c: reference,
        Financial_System_Payment_Id__c: null,
      });
      expected.paymentsOnApprovedInvoices++;
    }
  }

  // ---------------------------------------------------------------- a credit memo
  // The connected company credits part of an invoice it has not been paid in full: a Sales Invoice of credit type
  // that names it.
  const paidInvoices = new Set(payments.map((p) => String(p.Sales_Invoice__c)));
  const credited = invoices.find((inv, i) => inv.Company__c === primary.record.Id && inv.Approved__c === true && !paidInvoices.has(inv.Id) && !pinned.has(i));
  if (credited) {
    const creditId = nextId.invoice();
    const source = lines.find((l) => l.Sales_Invoice__c === credited.Id)!;
    const cents = Math.min(2500, Math.round(Math.round(Number(credited.Total_Amount__c) * 100) / 4));
    invoices.push({
      ...credited,
      Id: creditId,
      Name: invoiceName(invoiceCount + 1),
      Invoice_Type__c: 'Credit Memo',
      Applies_To_Invoice__c: credited.Id,
      Freight__c: null,
      Handling__c: null,
      Packaging__c: null,
      Order_Discount__c: null,
      Tax_Amount__c: null,
      Total_Amount__c: fromCents(cents),
      PO_Number__c: null,
      Memo__c: `Credit for ${String(credited.Name)}: goods returned`,
      Status__c: 'Open',
    });
    lines.push({
      ...source,
      Id: nextId.line(),
      Name: `${invoiceName(invoiceCount + 1)}-1`,
      Sales_Invoice__c: creditId,
      Line_Number__c: 1,
      Quantity__c: 1,
      Unit_Price__c: fromCents(cents),
      Taxable__c: false,
    });
    primary.expected.approvedInvoices++;
    primary.expected.approvedInvoiceLines++;
    primary.expected.creditMemos.push({ invoiceId: creditId, appliesToInvoiceId: credited.Id, amount: fromCents(cents) });
    // ... and the customer has paid 30% of it so far.
    const paidMs = Date.parse(`${String(credited.Invoice_Date__c)}T00:00:00Z`) + 2 * DAY_MS;
    payments.push({
      Id: nextId.payment(),
      Name: `PAY-${String(payments.length + 1).padStart(6, '0')}`,
      Sales_Invoice__c: credited.Id,
      Amount__c: fromCents(Math.round(Math.round(Number(credited.Total_Amount__c) * 100) * 0.3)),
      Payment_Date__c: isoDate(paidMs),
      Paid_At__c: zonedTime(isoDate(paidMs), '14:05', 'America/Los_Angeles'),
      Payment_Method__c: 'ACH',
      Reference__c: `ACH${String(700000000000 + payments.length)}`,
      Financial_System_Payment_Id__c: null,
    });
    credited.Status__c = 'Partially Paid';
    primary.expected.paymentsOnApprovedInvoices++;
  }

  // ---------------------------------------------------------------- invoices QuickBooks already holds
  for (const plan of plans) {
    const realm = plan.realm;
    const qboCustomers = realm.build().entities.Customer!.filter((c) => !c.Job && !plan.expected.customerMatchQboIds[c.Id]);
    const items = realm.build().entities.Item!.filter((item) => !['Freight', 'Handling', 'Packaging'].includes(item.Name));
    const oldInvoice = (docNumber: string, daysAgo: number) => {
      const txnMs = REFERENCE_MS - daysAgo * DAY_MS;
      const picked = faker.helpers.arrayElements(items, { min: 1, max: 2 });
      return realm.invoice({
        DocNumber: docNumber,
        TxnDate: isoDate(txnMs),
        DueDate: isoDate(txnMs + 30 * DAY_MS),
        customer: faker.helpers.arrayElement(qboCustomers),
        lines: picked.map((item) => ({ item, qty: faker.number.int({ min: 1, max: 6 }), unitPrice: item.UnitPrice })),
      });
    };
    const lastDocNumber = plan.key === 'primary' ? 1037 : 1041;
    oldInvoice(String(lastDocNumber), faker.number.int({ min: 120, max: 200 }));
    oldInvoice(String(lastDocNumber + 1), faker.number.int({ min: 95, max: 119 }));
    if (plan === primary && collisionIndex >= 0) {
      // Keyed by hand in QuickBooks with the number the ERP is about to send.
      const si = invoices[collisionIndex];
      const docNumber = `${plan.def.prefix ?? ''}${String(si.Name)}`;
      const existing = oldInvoice(docNumber, faker.number.int({ min: 10, max: 60 }));
      plan.expected.docNumberCollision = { invoiceId: si.Id, invoiceName: String(si.Name), docNumber, quickBooksInvoiceId: existing.Id };
    }
    const open = realm.build().entities.Invoice!.reduce((sum, inv) => sum + Math.round(inv.Balance * 100), 0);
    realm.setBalance(plan.def.accountIds.receivable, fromCents(open));
  }

  // ---------------------------------------------------------------- facts
  const customerLists = {
    overLong: [] as string[],
    colon: [] as string[],
    control: [] as string[],
    apostrophe: [] as string[],
    unicode: [] as string[],
    noPerson: [] as string[],
    longPhone: [] as string[],
  };
  for (const row of customers) {
    const names = [row.source.Name, row.first ?? '', row.last ?? '', row.company ?? ''];
    const person = personName(row.first, row.last);
    const id = row.record.Id;
    if ((row.company?.length ?? 0) > 100 || person.length > 100) customerLists.overLong.push(id);
    if (names.some((n) => n.includes(':'))) customerLists.colon.push(id);
    if (names.some((n) => /[\t\n\r]/.test(n))) customerLists.control.push(id);
    if (names.some((n) => n.includes("'"))) customerLists.apostrophe.push(id);
    if (names.some((n) => /[^\x20-\x7e\t\n\r]/.test(n))) customerLists.unicode.push(id);
    if (!person) customerLists.noPerson.push(id);
    if ((row.phone?.length ?? 0) > 30) customerLists.longPhone.push(id);
  }
  const expected: Record<string, CompanyExpectations> = {};
  for (const plan of plans) {
    const e = plan.expected;
    const productIds = (test: (name: string) => boolean) => plan.products.filter((p) => test(p.name)).map((p) => p.record.Id);
    e.productsToExport = plan.products.length;
    // A company sends the customers its own approved invoices name (its Customer Export default).
    const invoiced = new Set(invoices.filter((i) => i.Company__c === plan.record.Id && i.Approved__c === true).map((i) => String(i.Customer__c)));
    e.customersInvoiced = customers.map((c) => c.record.Id).filter((id) => invoiced.has(id));
    e.customersToExport = e.customersInvoiced.length;
    e.approvedTotal = fromCents(plan.approvedCents);
    e.customersToCreate = e.customersInvoiced.filter((id) => !e.customerMatchQboIds[id]).length;
    e.productsToCreate = plan.products.length - Object.keys(e.productMatchQboIds).length;
    e.overLongNames = { customers: [...customerLists.overLong], products: productIds((n) => n.length >= 80) };
    e.colonNames = { customers: [...customerLists.colon], products: productIds((n) => n.includes(':')) };
    e.controlCharacterNames = { customers: [...customerLists.control], products: productIds((n) => /[\t\n\r]/.test(n)) };
    e.apostropheNames = { customers: [...customerLists.apostrophe], products: productIds((n) => n.includes("'")) };
    e.unicodeNames = { customers: [...customerLists.unicode], products: productIds((n) => /[^\x20-\x7e]/.test(n)) };
    e.customersWithoutPersonName = [...customerLists.noPerson];
    e.overLongPhones = [...customerLists.longPhone];
    expected[plan.record.Id] = e;
  }

  return {
    salesforce: {
      records: {
        Company__c: plans.map((p) => p.record),
        Customer__c: customers.map((c) => c.record),
        Product__c: plans.flatMap((p) => p.products.map((row) => row.record)),
        Sales_Invoice__c: invoices,
        Sales_Invoice_Line__c: lines,
        Payment__c: payments,
        Process_Log__c: [],
        Process_Log_Entry__c: [],
      },
    },
    quickbooks: { realms: plans.map((p) => p.realm.build()) },
    facts: {
      primaryCompanyId: primary.record.Id,
      secondaryCompanyId: secondary.record.Id,
      realmIds: { primary: primary.realm.realmId, secondary: secondary.realm.realmId },
      referenceDate: REFERENCE_DATE,
      expected,
      notes: [
        "Product__c.Name is Text(80), so no product name can exceed QuickBooks' 100-character Item Name; " +
          'overLongNames.products lists the names at the 80-character maximum. Customers exceed QuickBooks limits ' +
          'through Company_Name__c (Text(255) vs CompanyName 100), "First Last" and Phone__c (vs PrimaryPhone 30).',
        'Line amounts are quantity x unit price rounded half up to the cent (2.5 x 0.99 = 2.48); ' +
          'Total_Amount__c = lines + freight + handling + packaging - discount + tax.',
        'Every QuickBooks entity has an explicit Id; the two realms use different Id ranges.',
        'Due dates are invoice date + terms, so some fall after the reference date.',
        'One email match differs from the Salesforce address only in letter case.',
      ],
    },
  };
}
