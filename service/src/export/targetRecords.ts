// What an accounting target holds and the neutral documents the engine asks it to create (the port is target.ts,
// which re-exports these). Each target maps the documents to its wire format.
import type { TaxMode } from './plan/tax';
import type { TargetFault } from './target';

// ------------------------------------------------------------------ what the target already holds

export interface TargetCustomer {
  id: string;
  displayName: string;
  givenName?: string | null;
  familyName?: string | null;
  companyName?: string | null;
  email?: string | null;
  city?: string | null;
  /** The currency the customer is kept in (multicurrency targets). */
  currency?: string | null;
}

export interface TargetItem {
  id: string;
  name: string;
  sku?: string | null;
  type?: string | null;
}

/** A record the target created (or already held), as far as the engine needs it. */
export interface CreatedRecord {
  id: string;
  /** Display name / item name as the target stored it. */
  name?: string | null;
  /** The document number the target gave or kept (invoices). */
  number?: string | null;
  /** The transaction total the target computed (invoices). */
  total?: number | null;
  /** Item type (Inventory, NonInventory, Service) as created. */
  type?: string | null;
  /** The transaction's total tax as the target computed or kept it. */
  tax?: number | null;
  /** Multicurrency: the transaction's currency, its exchange rate and total in the home currency. */
  currency?: string | null;
  exchangeRate?: number | null;
  homeTotal?: number | null;
  /** The customer's currency (customers). */
  customerCurrency?: string | null;
  /** Which sales document an invoice became, when the target says (found by marker). */
  form?: SalesForm;
  /** The version the target holds it at (QuickBooks' SyncToken): an update names it. */
  version?: string | null;
  /** The open balance (invoices): what payments left of the total. */
  balance?: number | null;
}

/** An exported invoice as the target holds it now: what an update must name, and what is paid on it. */
export interface InvoiceStanding {
  version: string;
  total: number;
  balance: number;
}

export type InvoiceUpdateResult = { ok: true; standing: InvoiceStanding } | { ok: false; fault: TargetFault };

// ------------------------------------------------------------------ documents to create

export interface AddressDoc {
  line1?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface CustomerDoc {
  displayName: string;
  givenName?: string;
  familyName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  billing?: AddressDoc;
  /** Multicurrency targets: the currency the customer is created in. */
  currency?: string;
}

export type ItemType = 'Inventory' | 'NonInventory' | 'Service';

export interface ItemDoc {
  name: string;
  type: ItemType;
  sku?: string;
  description?: string;
  unitPrice?: number;
  incomeAccount: string;
  expenseAccount?: string;
  assetAccount?: string;
  /** Inventory items: the day quantity tracking starts (quantity 0). */
  inventoryStartDate?: string;
}

export interface SalesLineDoc {
  itemId: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  description?: string;
  taxable: boolean;
  /** The target's tax code for the line (non-US sales tax). */
  taxCode?: string;
  /** The target's class for the line (classes tracked per line). */
  classId?: string;
}

/** Which sales document an invoice becomes. */
export type SalesForm = 'invoice' | 'creditMemo' | 'salesReceipt';

export interface InvoiceDoc {
  form: SalesForm;
  /** The source record the invoice is for: written as the marker a later run finds it by. */
  sourceId: string;
  sourceNumber: string;
  customerId: string;
  /** null: the target numbers it itself. */
  docNumber: string | null;
  txnDate?: string;
  dueDate?: string;
  /** Only when the target keeps several currencies. */
  currency?: string;
  lines: SalesLineDoc[];
  discount?: { amount: number; account?: string };
  tax?: number;
  /** Internal note (carries the marker). */
  privateNote: string;
  /** Note printed for the customer. */
  customerMemo?: string;
  /** A sales receipt: how it was paid. */
  receipt?: { reference?: string; paymentMethod?: string; depositAccount?: string };
  /** Home-currency units per unit of `currency` (left out: the target's own rate for the date). */
  exchangeRate?: number;
  /** How tax goes: 'total' sends `tax`; 'automated' lets the target compute it (`tax` set only to override); 'codes' per line. */
  taxMode?: TaxMode;
  shipTo?: AddressDoc;
  /** The target's class (per transaction) and location ids. */
  classId?: string;
  locationId?: string;
  /** The class by name, for a target that refers to classes by name (it keeps no list to match first). */
  className?: string;
  /** Values admin mappings put on the document. */
  customFields?: { definitionId: string; name: string; value: string }[];
  shipDate?: string;
  trackingNum?: string;
  billEmail?: string;
  poNumber?: string;
}

/** A payment applied to invoices (and credit memos): a plain payment, or a credit memo's application. */
export interface PaymentDoc {
  sourceId: string;
  customerId: string;
  /** What the customer paid: 0 when a credit memo pays the invoice. */
  amount: number;
  txnDate?: string;
  reference?: string;
  paymentMethod?: string;
  depositAccount?: string;
  privateNote: string;
  links: { txnId: string; form: 'invoice' | 'creditMemo'; amount: number }[];
  /** Multicurrency: the invoice's currency, and the rate to send (left out: the target's own for the date). */
  currency?: string;
  exchangeRate?: number;
}

/** A document found by its number. */
export interface NumberedRecord {
  id: string;
  /** The sales document it is, when the target says (numbers are kept per kind of document). */
  form?: SalesForm;
  /** The source record its marker names: the same record as the one being planned is that record, not a clash. */
  sourceId: string | null;
}

/** An invoice's standing in the accounting system. */
export interface OpenBalance {
  balance: number;
  customerId: string | null;
  total: number | null;
}

/** A payment the accounting system already holds. */
export interface HeldPayment {
  id: string;
  reference: string | null;
  customerId: string | null;
  amount: number;
  /** Its date (YYYY-MM-DD), when QuickBooks gave it. */
  date: string | null;
  /** The source payment its Ledgerline marker names (null: entered in QuickBooks, or the marker was removed). */
  sourceId: string | null;
  /** Ids of the transactions it is applied to. */
  links: string[];
}

/** What a target may or may not create: a kind, a sales form, or a credit memo's application to an invoice. */
export type Capability = 'payment' | 'creditMemo' | 'salesReceipt' | 'creditApplication';

export interface DocByKind {
  customer: CustomerDoc;
  product: ItemDoc;
  invoice: InvoiceDoc;
  payment: PaymentDoc;
}
export type CreatableKind = keyof DocByKind;
