// Builds what one QuickBooks Online company already holds before the first export, in the v3 JSON shape real
// responses have (string Id and SyncToken, domain, sparse, MetaData, money as numbers). Every entity gets an
// explicit Id so seeded entities can reference each other (an existing invoice names its customer and item).

import { fromCents, lineAmountCents } from './money';
import type { QboAddress, QboCompanyInfo, QboEntity, QboPreferences, QboRealmSeed } from './types';

const USD = { value: 'USD', name: 'United States Dollar' };

export interface AccountSpec {
  Id: string;
  Name: string;
  AccountType: string;
  AccountSubType: string;
  Classification: 'Asset' | 'Liability' | 'Equity' | 'Revenue' | 'Expense';
  CurrentBalance?: number;
}

export interface AddressInput {
  street: string;
  city: string;
  state: string | null;
  postalCode: string;
  country?: string;
}

export interface PersonInput {
  GivenName?: string;
  FamilyName?: string;
  CompanyName?: string;
  DisplayName: string;
  email?: string;
  phone?: string;
  address?: AddressInput;
}

export interface ItemInput {
  Name: string;
  Type: 'Inventory' | 'NonInventory' | 'Service';
  Sku?: string;
  Description?: string;
  UnitPrice: number;
  Taxable: boolean;
}

export interface InvoiceLineInput {
  item: QboEntity;
  qty: number;
  unitPrice: number;
  description?: string;
}

/** Ranges the realm's ids start from; two realms use different ranges so a cross-company mix-up shows. */
export interface RealmIdBases {
  nameList: number;
  item: number;
  txn: number;
  address: number;
}

export class RealmSeedBuilder {
  private readonly entities = {
    Account: [] as QboEntity[],
    TaxCode: [] as QboEntity[],
    Item: [] as QboEntity[],
    Customer: [] as QboEntity[],
    Vendor: [] as QboEntity[],
    Employee: [] as QboEntity[],
    Invoice: [] as QboEntity[],
  };
  private readonly accountsById = new Map<string, QboEntity>();
  private nameListId: number;
  private itemId: number;
  private txnId: number;
  private addressId: number;
  private createdCount = 0;

  constructor(
    readonly realmId: string,
    private readonly companyInfo: QboCompanyInfo,
    private readonly preferences: QboPreferences,
    bases: RealmIdBases,
    /** When the company's QuickBooks was set up (ms since epoch); MetaData times count up from it. */
    private readonly createdFrom: number,
  ) {
    this.nameListId = bases.nameList;
    this.itemId = bases.item;
    this.txnId = bases.txn;
    this.addressId = bases.address;
  }

  accounts(specs: readonly AccountSpec[]): void {
    for (const spec of specs) {
      const account = {
        Name: spec.Name,
        SubAccount: false,
        FullyQualifiedName: spec.Name,
        Active: true,
        Classification: spec.Classification,
        AccountType: spec.AccountType,
        AccountSubType: spec.AccountSubType,
        CurrentBalance: spec.CurrentBalance ?? 0,
        CurrentBalanceWithSubAccounts: spec.CurrentBalance ?? 0,
        CurrencyRef: { ...USD },
        ...this.envelope(spec.Id),
      };
      this.entities.Account.push(account);
      this.accountsById.set(spec.Id, account);
    }
  }

  /** The two tax codes every US company has. */
  usTaxCodes(): void {
    for (const [id, taxable] of [
      ['TAX', true],
      ['NON', false],
    ] as const) {
      this.entities.TaxCode.push({
        Name: id,
        Description: id === 'TAX' ? 'TAX' : 'NON',
        Active: true,
        Hidden: false,
        Taxable: taxable,
        TaxGroup: false,
        ...this.envelope(id),
      });
    }
  }

  /** Sets an account's balance after the fact (e.g. A/R once the open invoices are known). */
  setBalance(accountId: string, balance: number): void {
    const account = this.account(accountId);
    account.CurrentBalance = balance;
    account.CurrentBalanceWithSubAccounts = balance;
  }

  item(input: ItemInput, accounts: { income: string; expense?: string; asset?: string }): QboEntity {
    const item: QboEntity = {
      Name: input.Name,
      ...(input.Sku !== undefined ? { Sku: input.Sku } : {}),
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      Active: true,
      FullyQualifiedName: input.Name,
      Taxable: input.Taxable,
      UnitPrice: input.UnitPrice,
      Type: input.Type,
      IncomeAccountRef: this.accountRef(accounts.income),
      PurchaseCost: 0,
      TrackQtyOnHand: false,
      ...this.envelope(String(this.itemId++)),
    };
    if (input.Type === 'Inventory') {
      if (!accounts.expense || !accounts.asset) throw new Error(`Inventory item ${input.Name} needs expense and asset accounts`);
      item.ExpenseAccountRef = this.accountRef(accounts.expense);
      item.AssetAccountRef = this.accountRef(accounts.asset);
      item.PurchaseCost = Math.round(input.UnitPrice * 55) / 100;
      item.TrackQtyOnHand = true;
      item.QtyOnHand = 40;
      item.InvStartDate = '2024-01-01';
    } else if (input.Type === 'NonInventory' && accounts.expense) {
      item.ExpenseAccountRef = this.accountRef(accounts.expense);
    }
    this.entities.Item.push(item);
    return item;
  }

  customer(input: PersonInput, parent?: QboEntity): QboEntity {
    const customer: QboEntity = {
      Taxable: true,
      ...(input.address ? { BillAddr: this.address(input.address) } : {}),
      Job: parent !== undefined,
      BillWithParent: false,
      Balance: 0,
      BalanceWithJobs: 0,
      CurrencyRef: { ...USD },
      PreferredDeliveryMethod: 'Print',
      IsProject: false,
      ...this.envelope(String(this.nameListId++)),
      ...this.names(input),
      FullyQualifiedName: parent ? `${parent.DisplayName}:${input.DisplayName}` : input.DisplayName,
      ...(parent ? { ParentRef: { value: parent.Id }, Level: 1 } : {}),
    };
    this.entities.Customer.push(customer);
    return customer;
  }

  vendor(input: PersonInput): QboEntity {
    const vendor: QboEntity = {
      ...(input.address ? { BillAddr: this.address(input.address) } : {}),
      Balance: 0,
      Vendor1099: false,
      CurrencyRef: { ...USD },
      ...this.envelope(String(this.nameListId++)),
      ...this.names(input),
    };
    this.entities.Vendor.push(vendor);
    return vendor;
  }

  employee(input: PersonInput, hiredDate: string): QboEntity {
    const employee: QboEntity = {
      ...(input.address ? { PrimaryAddr: this.address(input.address) } : {}),
      BillableTime: false,
      HiredDate: hiredDate,
      ...this.envelope(String(this.nameListId++)),
      ...this.names(input),
    };
    this.entities.Employee.push(employee);
    return employee;
  }

  /** An open (unpaid, untaxed) invoice; amounts are worked out the way QuickBooks does. */
  invoice(input: { DocNumber: string; TxnDate: string; DueDate: string; customer: QboEntity; lines: InvoiceLineInput[] }): QboEntity {
    let totalCents = 0;
    const lines: QboEntity[] = input.lines.map((line, i) => {
      const cents = lineAmountCents(line.qty, line.unitPrice);
      totalCents += cents;
      return {
        Id: String(i + 1),
        LineNum: i + 1,
        Description: line.description ?? line.item.Description ?? line.item.Name,
        Amount: fromCents(cents),
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: {
          ItemRef: { value: line.item.Id, name: line.item.Name },
          UnitPrice: line.unitPrice,
          Qty: line.qty,
          ItemAccountRef: { ...line.item.IncomeAccountRef },
          TaxCodeRef: { value: 'NON' },
        },
      };
    });
    lines.push({ Amount: fromCents(totalCents), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    const total = fromCents(totalCents);
    const invoice: QboEntity = {
      AllowIPNPayment: false,
      AllowOnlinePayment: false,
      AllowOnlineCreditCardPayment: false,
      AllowOnlineACHPayment: false,
      ...this.envelope(String(this.txnId++)),
      CustomField: [],
      DocNumber: input.DocNumber,
      TxnDate: input.TxnDate,
      CurrencyRef: { ...USD },
      LinkedTxn: [],
      Line: lines,
      TxnTaxDetail: { TotalTax: 0 },
      CustomerRef: { value: input.customer.Id, name: input.customer.DisplayName },
      ...(input.customer.BillAddr ? { BillAddr: { ...input.customer.BillAddr } } : {}),
      DueDate: input.DueDate,
      TotalAmt: total,
      ApplyTaxAfterDiscount: false,
      PrintStatus: 'NotSet',
      EmailStatus: 'NotSet',
      Balance: total,
    };
    this.entities.Invoice.push(invoice);
    input.customer.Balance = fromCents(Math.round(input.customer.Balance * 100) + totalCents);
    input.customer.BalanceWithJobs = input.customer.Balance;
    return invoice;
  }

  account(id: string): QboEntity {
    const account = this.accountsById.get(id);
    if (!account) throw new Error(`No account ${id} in realm ${this.realmId}`);
    return account;
  }

  build(): QboRealmSeed {
    return {
      realmId: this.realmId,
      companyInfo: this.companyInfo,
      preferences: this.preferences,
      entities: this.entities,
    };
  }

  private accountRef(id: string): { value: string; name: string } {
    return { value: id, name: this.account(id).Name };
  }

  private names(input: PersonInput): QboEntity {
    return {
      ...(input.GivenName !== undefined ? { GivenName: input.GivenName } : {}),
      ...(input.FamilyName !== undefined ? { FamilyName: input.FamilyName } : {}),
      ...(input.CompanyName !== undefined ? { CompanyName: input.CompanyName } : {}),
      DisplayName: input.DisplayName,
      PrintOnCheckName: input.CompanyName ?? input.DisplayName,
      Active: true,
      ...(input.phone !== undefined ? { PrimaryPhone: { FreeFormNumber: input.phone } } : {}),
      ...(input.email !== undefined ? { PrimaryEmailAddr: { Address: input.email } } : {}),
    };
  }

  private address(input: AddressInput): QboAddress {
    return {
      Id: String(this.addressId++),
      Line1: input.street,
      City: input.city,
      ...(input.country ? { Country: input.country } : {}),
      ...(input.state ? { CountrySubDivisionCode: input.state } : {}),
      PostalCode: input.postalCode,
    };
  }

  /** Id, SyncToken, domain, sparse and MetaData, with creation times a few hours apart in creation order. */
  private envelope(id: string): QboEntity {
    const stamp = qboTimestamp(this.createdFrom + this.createdCount++ * 5 * 3_600_000);
    return { domain: 'QBO', sparse: false, Id: id, SyncToken: '0', MetaData: { CreateTime: stamp, LastUpdatedTime: stamp } };
  }
}

/** A QuickBooks timestamp in Pacific daylight time (UTC-7), the way sandbox companies report them. */
export function qboTimestamp(utcMs: number): string {
  return new Date(utcMs - 7 * 3_600_000).toISOString().slice(0, 19) + '-07:00';
}
