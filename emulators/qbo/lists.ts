// List entities: Customer, Vendor, Employee (one shared name space), Item,
// Account and TaxCode. Each handler validates a write, shapes the stored
// entity like the recordings, and keeps the name indexes current.

import { checkCustomerCurrencyChange } from './currency';
import { faults } from './faults';
import {
  checkLength,
  checkNameChars,
  currencyRef,
  isObject,
  refValue,
  resolveRef,
  str,
  withDeletedSuffix,
  withoutDeletedSuffix,
  type WriteContext,
} from './rules';
import type { Entity, EntityName } from './state';

export interface EntityHandler {
  /** Top-level properties QBO accepts for this entity (others give 2010). */
  known: ReadonlySet<string>;
  /** Key order of the stored/returned entity, as in the recordings. */
  order: readonly string[];
  createAllowed: boolean;
  deleteAllowed: boolean;
  /** Validates and shapes the entity (no side effects). */
  build(ctx: WriteContext, input: Record<string, any>, existing?: Entity): Entity;
  /** Updates indexes and linked records once the write is accepted. */
  commit(ctx: WriteContext, entity: Entity, existing?: Entity): void;
  /** Undoes `commit` effects for a delete. */
  remove?(ctx: WriteContext, existing: Entity): void;
  /** The entity after `operation=void` (with its effects on balances applied); unset: not voidable. */
  voidable?(ctx: WriteContext, existing: Entity): Entity;
}

const SYSTEM = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse'];

const NAME_FIELDS = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'];

const PHONE_FIELDS = ['PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax'];

function set(...groups: string[][]): ReadonlySet<string> {
  return new Set(groups.flat());
}

// ---------------------------------------------------------------- names ---

const PERSON_LIMITS: [string, number][] = [
  ['Title', 16],
  ['GivenName', 100],
  ['MiddleName', 100],
  ['FamilyName', 100],
  ['Suffix', 16],
  ['CompanyName', 100],
  ['DisplayName', 500],
  ['PrintOnCheckName', 110],
  ['Notes', 2000],
];

function checkPerson(input: Record<string, any>): void {
  for (const [field, max] of PERSON_LIMITS) checkLength(input[field], field, max);
  for (const phone of PHONE_FIELDS) {
    if (isObject(input[phone])) checkLength(input[phone].FreeFormNumber, `${phone}.FreeFormNumber`, 30);
  }
  if (isObject(input.PrimaryEmailAddr)) checkLength(input.PrimaryEmailAddr.Address, 'PrimaryEmailAddr.Address', 100);
  checkNameChars(input.DisplayName, 'DisplayName');
}

/** DisplayName as given, or built from the name parts as QBO does. */
function displayNameOf(input: Record<string, any>): string {
  const given = str(input.DisplayName)?.trim();
  if (given) return given;
  const parts = NAME_FIELDS.map((f) => str(input[f])?.trim()).filter((p): p is string => !!p);
  if (parts.length === 0) {
    const company = str(input.CompanyName)?.trim();
    if (company) return company;
    throw faults.requiredParam('DisplayName');
  }
  return parts.join(' ');
}

function printOnCheckName(input: Record<string, any>, display: string): string {
  const given = str(input.PrintOnCheckName);
  if (given) return given;
  const company = str(input.CompanyName)?.trim();
  if (company) return company.slice(0, 110);
  const person = [input.GivenName, input.FamilyName]
    .map((p) => str(p)?.trim())
    .filter(Boolean)
    .join(' ');
  return (person || display).slice(0, 110);
}

/** Applies the Active flag the way QBO does: inactive names carry " (deleted)". */
function activeName(name: string, active: boolean, existing?: Entity): string {
  if (!active) return withDeletedSuffix(name);
  if (existing && existing.Active === false) return withoutDeletedSuffix(name);
  return name;
}

function checkCurrency(ctx: WriteContext, ref: unknown): string {
  const home = ctx.realm.prefs.homeCurrency;
  const code = refValue(ref) ?? home;
  if (code !== home && !ctx.realm.prefs.multiCurrency && !ctx.seeding) {
    throw faults.businessValidation(`Multicurrency is not enabled for this company. You can only use the home currency (${home}).`);
  }
  return code;
}

function checkUniqueName(ctx: WriteContext, display: string, self?: Entity): void {
  const owner = ctx.realm.names.get(display.toLowerCase());
  if (owner && !(self && owner.id === self.Id)) throw faults.duplicateName();
}

function indexName(ctx: WriteContext, type: EntityName, entity: Entity, existing?: Entity): void {
  if (existing) {
    const old = ctx.realm.names.get(String(existing.DisplayName).toLowerCase());
    if (old && old.id === existing.Id) ctx.realm.names.delete(String(existing.DisplayName).toLowerCase());
  }
  ctx.realm.names.set(String(entity.DisplayName).toLowerCase(), { type, id: entity.Id });
}

function withAddressId(ctx: WriteContext, addr: unknown, existing?: unknown): unknown {
  if (!isObject(addr)) return addr;
  const id = str(addr.Id) ?? (isObject(existing) ? str(existing.Id) : undefined) ?? ctx.realm.nextAddressId();
  const { Id: _given, ...rest } = addr;
  return { Id: id, ...rest };
}

const CUSTOMER_KNOWN = set(SYSTEM, NAME_FIELDS, PHONE_FIELDS, [
  'DisplayName',
  'FullyQualifiedName',
  'CompanyName',
  'PrintOnCheckName',
  'Active',
  'PrimaryEmailAddr',
  'WebAddr',
  'OtherContactInfo',
  'DefaultTaxCodeRef',
  'Taxable',
  'BillAddr',
  'ShipAddr',
  'OtherAddr',
  'Notes',
  'Job',
  'BillWithParent',
  'ParentRef',
  'Level',
  'SalesTermRef',
  'PaymentMethodRef',
  'Balance',
  'OpenBalanceDate',
  'BalanceWithJobs',
  'CurrencyRef',
  'PreferredDeliveryMethod',
  'ResaleNum',
  'ARAccountRef',
  'PrimaryTaxIdentifier',
  'SecondaryTaxIdentifier',
  'TaxExemptionReasonId',
  'BusinessNumber',
  'GSTIN',
  'GSTRegistrationType',
  'IsProject',
  'ClientEntityId',
  'CustomerTypeRef',
  'V4IDPseudonym',
  'Source',
  'TaxRegimeRef',
  'AcctNum',
  'CustomField',
]);

const CUSTOMER_ORDER = [
  'Taxable',
  'BillAddr',
  'ShipAddr',
  'Notes',
  'Job',
  'BillWithParent',
  'ParentRef',
  'Level',
  'Balance',
  'BalanceWithJobs',
  'CurrencyRef',
  'PreferredDeliveryMethod',
  'IsProject',
  'ClientEntityId',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
  'Title',
  'GivenName',
  'MiddleName',
  'FamilyName',
  'Suffix',
  'FullyQualifiedName',
  'CompanyName',
  'DisplayName',
  'PrintOnCheckName',
  'Active',
  'PrimaryPhone',
  'AlternatePhone',
  'Mobile',
  'Fax',
  'PrimaryEmailAddr',
  'WebAddr',
  'DefaultTaxCodeRef',
];

export const customerHandler: EntityHandler = {
  known: CUSTOMER_KNOWN,
  order: CUSTOMER_ORDER,
  createAllowed: true,
  deleteAllowed: false,
  build(ctx, input, existing) {
    checkPerson(input);
    const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
    let display = displayNameOf(input);
    display = activeName(display, active, existing);
    checkLength(display, 'DisplayName', 500);
    const currency = checkCurrency(ctx, input.CurrencyRef ?? existing?.CurrencyRef);
    checkCustomerCurrencyChange(ctx, existing, currency);
    let fqn = display;
    let level: number | undefined;
    let parentRef: Entity | undefined;
    if (input.ParentRef !== undefined && input.ParentRef !== null) {
      const parent = resolveRef(ctx, 'Customer', input.ParentRef, 'Names');
      if (existing && parent.Id === existing.Id) throw faults.businessValidation('A customer cannot be its own parent.');
      fqn = `${parent.FullyQualifiedName}:${display}`;
      level = (Number(parent.Level) || 0) + 1;
      parentRef = { value: parent.Id, name: parent.DisplayName };
    }
    checkUniqueName(ctx, display, existing);
    return {
      ...input,
      Taxable: input.Taxable ?? false,
      BillAddr: withAddressId(ctx, input.BillAddr, existing?.BillAddr),
      ShipAddr: withAddressId(ctx, input.ShipAddr, existing?.ShipAddr),
      Job: parentRef !== undefined,
      BillWithParent: parentRef ? (input.BillWithParent ?? false) : false,
      ParentRef: parentRef,
      Level: level,
      Balance: existing?.Balance ?? 0,
      BalanceWithJobs: existing?.BalanceWithJobs ?? 0,
      CurrencyRef: currencyRef(currency),
      PreferredDeliveryMethod: input.PreferredDeliveryMethod ?? 'Print',
      IsProject: input.IsProject ?? false,
      FullyQualifiedName: fqn,
      DisplayName: display,
      PrintOnCheckName: printOnCheckName(input, display),
      Active: active,
    };
  },
  commit(ctx, entity, existing) {
    indexName(ctx, 'Customer', entity, existing);
  },
};

const VENDOR_KNOWN = set(SYSTEM, NAME_FIELDS, PHONE_FIELDS, [
  'DisplayName',
  'CompanyName',
  'PrintOnCheckName',
  'Active',
  'PrimaryEmailAddr',
  'WebAddr',
  'OtherContactInfo',
  'BillAddr',
  'ShipAddr',
  'OtherAddr',
  'TaxIdentifier',
  'TermRef',
  'Balance',
  'AcctNum',
  'Vendor1099',
  'CurrencyRef',
  'APAccountRef',
  'BillRate',
  'CostRate',
  'VendorPaymentBankDetail',
  'Source',
  'T4AEligible',
  'T5018Eligible',
  'HasTPAR',
  'TaxReportingBasis',
  'GSTIN',
  'BusinessNumber',
  'GSTRegistrationType',
  'V4IDPseudonym',
  'Notes',
  'CustomField',
]);

const VENDOR_ORDER = [
  'PrimaryEmailAddr',
  'Vendor1099',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
  'Title',
  'GivenName',
  'MiddleName',
  'FamilyName',
  'Suffix',
  'CompanyName',
  'DisplayName',
  'PrintOnCheckName',
  'Active',
  'PrimaryPhone',
  'BillAddr',
  'WebAddr',
  'AcctNum',
  'Balance',
  'CurrencyRef',
];

export const vendorHandler: EntityHandler = {
  known: VENDOR_KNOWN,
  order: VENDOR_ORDER,
  createAllowed: true,
  deleteAllowed: false,
  build(ctx, input, existing) {
    checkPerson(input);
    const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
    const display = activeName(displayNameOf(input), active, existing);
    checkLength(display, 'DisplayName', 500);
    const currency = checkCurrency(ctx, input.CurrencyRef);
    checkUniqueName(ctx, display, existing);
    return {
      ...input,
      Vendor1099: input.Vendor1099 ?? false,
      BillAddr: withAddressId(ctx, input.BillAddr, existing?.BillAddr),
      DisplayName: display,
      PrintOnCheckName: printOnCheckName(input, display),
      Active: active,
      Balance: existing?.Balance ?? 0,
      CurrencyRef: currencyRef(currency),
    };
  },
  commit(ctx, entity, existing) {
    indexName(ctx, 'Vendor', entity, existing);
  },
};

const EMPLOYEE_KNOWN = set(SYSTEM, NAME_FIELDS, PHONE_FIELDS, [
  'DisplayName',
  'PrintOnCheckName',
  'Active',
  'PrimaryEmailAddr',
  'PrimaryAddr',
  'OtherContactInfo',
  'EmployeeNumber',
  'SSN',
  'BillableTime',
  'BillRate',
  'CostRate',
  'BirthDate',
  'Gender',
  'HiredDate',
  'ReleasedDate',
  'Organization',
  'V4IDPseudonym',
  'CompanyName',
  'Notes',
]);

const EMPLOYEE_ORDER = [
  'BillableTime',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
  'GivenName',
  'FamilyName',
  'DisplayName',
  'PrintOnCheckName',
  'Active',
  'PrimaryPhone',
  'PrimaryEmailAddr',
];

export const employeeHandler: EntityHandler = {
  known: EMPLOYEE_KNOWN,
  order: EMPLOYEE_ORDER,
  createAllowed: true,
  deleteAllowed: false,
  build(ctx, input, existing) {
    checkPerson(input);
    const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
    const display = activeName(displayNameOf(input), active, existing);
    checkUniqueName(ctx, display, existing);
    return {
      ...input,
      BillableTime: input.BillableTime ?? false,
      DisplayName: display,
      PrintOnCheckName: printOnCheckName(input, display),
      Active: active,
    };
  },
  commit(ctx, entity, existing) {
    indexName(ctx, 'Employee', entity, existing);
  },
};

// ---------------------------------------------------------------- items ---

const ITEM_TYPES = ['Inventory', 'NonInventory', 'Service', 'Category', 'Group'];

const ITEM_KNOWN = set(SYSTEM, [
  'Name',
  'Sku',
  'Description',
  'Active',
  'SubItem',
  'ParentRef',
  'Level',
  'FullyQualifiedName',
  'Taxable',
  'SalesTaxIncluded',
  'UnitPrice',
  'RatePercent',
  'Type',
  'PaymentMethodRef',
  'UOMSetRef',
  'IncomeAccountRef',
  'PurchaseDesc',
  'PurchaseTaxIncluded',
  'PurchaseCost',
  'ExpenseAccountRef',
  'AssetAccountRef',
  'PrefVendorRef',
  'AvgCost',
  'TrackQtyOnHand',
  'QtyOnHand',
  'QtyOnPurchaseOrder',
  'QtyOnSalesOrder',
  'ReorderPoint',
  'ManPartNum',
  'DepositToAccountRef',
  'SalesTaxCodeRef',
  'PurchaseTaxCodeRef',
  'InvStartDate',
  'BuildPoint',
  'PrintGroupedItems',
  'SpecialItem',
  'SpecialItemType',
  'ItemGroupDetail',
  'ItemAssemblyDetail',
  'AbatementRate',
  'ReverseChargeRate',
  'ServiceType',
  'ItemCategoryType',
  'ItemEx',
  'TaxClassificationRef',
  'DeferredRevenue',
  'ClassRef',
  'Source',
]);

const ITEM_ORDER = [
  'Name',
  'Sku',
  'Description',
  'Active',
  'SubItem',
  'ParentRef',
  'Level',
  'FullyQualifiedName',
  'Taxable',
  'UnitPrice',
  'Type',
  'IncomeAccountRef',
  'PurchaseDesc',
  'PurchaseCost',
  'ExpenseAccountRef',
  'AssetAccountRef',
  'TrackQtyOnHand',
  'QtyOnHand',
  'InvStartDate',
  'DeferredRevenue',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
];

function accountRef(ctx: WriteContext, ref: unknown): Entity {
  const account = resolveRef(ctx, 'Account', ref, 'Accounts');
  return { value: account.Id, name: account.Name };
}

export const itemHandler: EntityHandler = {
  known: ITEM_KNOWN,
  order: ITEM_ORDER,
  createAllowed: true,
  deleteAllowed: false,
  build(ctx, input, existing) {
    const rawName = str(input.Name)?.trim();
    if (!rawName) throw faults.requiredParam('Name');
    checkLength(rawName, 'Name', 100);
    checkLength(input.Sku, 'Sku', 100);
    checkLength(input.Description, 'Description', 4000);
    checkLength(input.PurchaseDesc, 'PurchaseDesc', 1000);
    checkNameChars(rawName, 'Name');
    const type = str(input.Type) ?? 'NonInventory';
    if (!ITEM_TYPES.includes(type)) throw faults.businessValidation(`Invalid item type: ${type}`);
    const required: string[] =
      type === 'Inventory'
        ? ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef', 'QtyOnHand', 'InvStartDate']
        : type === 'Service' || type === 'NonInventory'
          ? ['IncomeAccountRef']
          : [];
    for (const field of required) {
      if (input[field] === undefined || input[field] === null || input[field] === '') throw faults.requiredParam(field);
    }
    const refs: Entity = {};
    for (const field of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef']) {
      if (input[field] !== undefined && input[field] !== null) refs[field] = accountRef(ctx, input[field]);
    }
    const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
    const name = activeName(rawName, active, existing);
    let fqn = name;
    let parentRef: Entity | undefined;
    let level: number | undefined;
    if (input.ParentRef !== undefined && input.ParentRef !== null) {
      const parent = resolveRef(ctx, 'Item', input.ParentRef, 'Item');
      fqn = `${parent.FullyQualifiedName}:${name}`;
      parentRef = { value: parent.Id, name: parent.Name };
      level = (Number(parent.Level) || 0) + 1;
    }
    const owner = ctx.realm.itemNames.get(fqn.toLowerCase());
    if (owner !== undefined && owner !== existing?.Id) throw faults.duplicateItemName();
    const inventory = type === 'Inventory';
    return {
      ...input,
      ...refs,
      Name: name,
      Active: active,
      SubItem: parentRef ? true : undefined,
      ParentRef: parentRef,
      Level: level,
      FullyQualifiedName: fqn,
      Taxable: input.Taxable ?? false,
      UnitPrice: input.UnitPrice ?? 0,
      Type: type,
      PurchaseCost: input.PurchaseCost ?? 0,
      TrackQtyOnHand: inventory ? true : (input.TrackQtyOnHand ?? false),
      DeferredRevenue: input.DeferredRevenue ?? false,
    };
  },
  commit(ctx, entity, existing) {
    if (existing) {
      const key = String(existing.FullyQualifiedName).toLowerCase();
      if (ctx.realm.itemNames.get(key) === existing.Id) ctx.realm.itemNames.delete(key);
    }
    ctx.realm.itemNames.set(String(entity.FullyQualifiedName).toLowerCase(), entity.Id);
  },
};

// ------------------------------------------------------------- accounts ---

const CLASSIFICATION: Record<string, string> = {
  Bank: 'Asset',
  'Other Current Asset': 'Asset',
  'Fixed Asset': 'Asset',
  'Other Asset': 'Asset',
  'Accounts Receivable': 'Asset',
  Equity: 'Equity',
  Expense: 'Expense',
  'Other Expense': 'Expense',
  'Cost of Goods Sold': 'Expense',
  'Accounts Payable': 'Liability',
  'Credit Card': 'Liability',
  'Long Term Liability': 'Liability',
  'Other Current Liability': 'Liability',
  Income: 'Revenue',
  'Other Income': 'Revenue',
};

const ACCOUNT_KNOWN = set(SYSTEM, [
  'Name',
  'SubAccount',
  'ParentRef',
  'Description',
  'FullyQualifiedName',
  'Active',
  'Classification',
  'AccountType',
  'AccountSubType',
  'AcctNum',
  'CurrentBalance',
  'CurrentBalanceWithSubAccounts',
  'CurrencyRef',
  'TaxCodeRef',
  'AccountAlias',
  'TxnLocationType',
  'OpeningBalance',
  'OpeningBalanceDate',
]);

const ACCOUNT_ORDER = [
  'Name',
  'SubAccount',
  'ParentRef',
  'Description',
  'FullyQualifiedName',
  'Active',
  'Classification',
  'AccountType',
  'AccountSubType',
  'AcctNum',
  'CurrentBalance',
  'CurrentBalanceWithSubAccounts',
  'CurrencyRef',
  'domain',
  'sparse',
  'Id',
  'SyncToken',
  'MetaData',
];

export const accountHandler: EntityHandler = {
  known: ACCOUNT_KNOWN,
  order: ACCOUNT_ORDER,
  createAllowed: true,
  deleteAllowed: false,
  build(ctx, input, existing) {
    const rawName = str(input.Name)?.trim();
    if (!rawName) throw faults.requiredParam('Name');
    checkLength(rawName, 'Name', 100);
    checkNameChars(rawName, 'Name');
    const type = str(input.AccountType);
    if (!type) throw faults.requiredParam('AccountType');
    const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
    const name = activeName(rawName, active, existing);
    const owner = ctx.realm.accountNames.get(name.toLowerCase());
    if (owner !== undefined && owner !== existing?.Id) throw faults.duplicateAccountName();
    const currency = checkCurrency(ctx, input.CurrencyRef);
    return {
      ...input,
      Name: name,
      SubAccount: input.SubAccount ?? false,
      FullyQualifiedName: name,
      Active: active,
      Classification: input.Classification ?? CLASSIFICATION[type] ?? 'Asset',
      AccountType: type,
      CurrentBalance: existing?.CurrentBalance ?? input.CurrentBalance ?? 0,
      CurrentBalanceWithSubAccounts: existing?.CurrentBalanceWithSubAccounts ?? input.CurrentBalanceWithSubAccounts ?? 0,
      CurrencyRef: currencyRef(currency),
    };
  },
  commit(ctx, entity, existing) {
    if (existing) {
      const key = String(existing.Name).toLowerCase();
      if (ctx.realm.accountNames.get(key) === existing.Id) ctx.realm.accountNames.delete(key);
    }
    ctx.realm.accountNames.set(String(entity.Name).toLowerCase(), entity.Id);
  },
};

// ------------------------------------------------------------ tax codes ---

const TAXCODE_FIELDS = ['Name', 'Description', 'Active', 'Hidden', 'Taxable', 'TaxGroup', 'SalesTaxRateList', 'PurchaseTaxRateList'];
const TAXRATE_FIELDS = ['Name', 'Description', 'Active', 'RateValue', 'AgencyRef', 'SpecialTaxType', 'DisplayType', 'EffectiveTaxRate'];

/** A list the API reads but never writes (the tax service or automated sales tax makes it); seeds add to it. */
function readOnlyTaxList(fields: string[], extra: string[], defaults: (input: Record<string, any>, name: string) => Record<string, unknown>): EntityHandler {
  return {
    known: set(SYSTEM, [...fields, ...extra]),
    order: [...fields, 'domain', 'sparse', 'Id', 'SyncToken', 'MetaData'],
    createAllowed: false,
    deleteAllowed: false,
    build(_ctx, input) {
      const name = str(input.Name)?.trim();
      if (!name) throw faults.requiredParam('Name');
      return { ...input, Name: name, Description: input.Description ?? name, Active: input.Active ?? true, ...defaults(input, name) };
    },
    commit() {},
  };
}

export const taxRateHandler = readOnlyTaxList(TAXRATE_FIELDS, ['TaxReturnLineRef', 'OriginalTaxRate'], (input) => ({
  RateValue: Number(input.RateValue ?? 0),
  SpecialTaxType: input.SpecialTaxType ?? 'NONE',
  DisplayType: input.DisplayType ?? 'ReadOnly',
}));

export const taxCodeHandler = readOnlyTaxList(TAXCODE_FIELDS, ['TaxCodeConfigType'], (input, name) => ({
  Hidden: input.Hidden ?? false,
  Taxable: input.Taxable ?? name.toUpperCase() !== 'NON',
  TaxGroup: input.TaxGroup ?? false,
  SalesTaxRateList: input.SalesTaxRateList ?? { TaxRateDetail: [] },
  PurchaseTaxRateList: input.PurchaseTaxRateList ?? { TaxRateDetail: [] },
}));
