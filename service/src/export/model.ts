// The export's own view of the source records and the company's settings. The Salesforce adapter maps the org's
// records into these shapes, so nothing under export/ names a Salesforce field.

/** An invoice queued for a pull-based target, not yet taken by it (seed 003's "Pending Sync"). */
export const PENDING_SYNC = 'Pending Sync';

export type RecordKind = 'customer' | 'product' | 'invoice' | 'payment' | 'credit_memo' | 'sales_receipt';

/** How far the customer match cascade may go when emails differ (a per-Company setting). */
export type CustomerMatchPolicy = 'cascade' | 'sameEmailOnly';

export interface CompanyModel {
  id: string;
  name: string;
  /** The company whose customers carry the primary customer id (the others use the secondary one). */
  primary: boolean;
  /**
   * An earlier company with another accounting file keeps its customer links where this one would: the source's links
   * are not this company's, so every customer is matched against its file each run, its links are kept in the
   * journal, and none is written back.
   */
  customerIdsShared: boolean;
  realmId: string | null;
  accountingSystem: 'Online' | 'Desktop';
  /** 'source': the invoice keeps its own number (with prefix/suffix); 'target': the accounting system numbers it. */
  numbering: 'source' | 'target';
  numberPrefix: string;
  numberSuffix: string;
  exportMode: string | null;
  accounts: { income: string | null; expense: string | null; asset: string | null; discount: string | null };
  chargeItems: { freight: string | null; handling: string | null; packaging: string | null };
  currency: string | null;
  clashSuffix: string | null;
  customerMatch: CustomerMatchPolicy;
  /** "Invoices and payments when paid": payments (and credit applications) are exported too. */
  exportsPayments: boolean;
  /** Invoices paid in full on their invoice date go as sales receipts. */
  salesReceipts: boolean;
  /** IANA time zone: a payment's time becomes a calendar date in it. */
  timeZone: string;
  depositAccount: string | null;
  paymentMethod: string | null;
  /** Export only invoices whose status is one of these (empty: all). */
  statusFilter: string[];
  /** A line whose product has no item: fail the invoice, or put the line on the fallback item. */
  unknownProducts: 'fail' | 'fallback';
  fallbackItem: string | null;
}

export interface Address {
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface SourceCustomer {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  billing: Address;
}

export interface SourceProduct {
  id: string;
  name: string;
  sku: string | null;
  description: string | null;
  unitPrice: number | null;
  /** As the ERP names it: Inventory, Non-Inventory, Service. */
  type: string | null;
}

export interface SourceLine {
  id: string;
  productId: string | null;
  productName: string | null;
  /** The product's accounting-system id when it was linked before this run. */
  productTargetId: string | null;
  lineNumber: number | null;
  quantity: number | null;
  unitPrice: number | null;
  description: string | null;
  taxable: boolean;
}

export interface SourceInvoice {
  id: string;
  number: string;
  customerId: string | null;
  customerName: string | null;
  /** The customer's accounting-system id for this company, when it was linked before this run. */
  customerTargetId: string | null;
  date: string | null;
  dueDate: string | null;
  currency: string | null;
  charges: { freight: number | null; handling: number | null; packaging: number | null };
  discount: number | null;
  tax: number | null;
  total: number | null;
  memo: string | null;
  /** Where the export stands for this invoice ('Pending Sync' while a pull-based target has not taken it). */
  exportStatus: string | null;
  /** A credit memo (its type says so, or its total is negative). */
  credit: boolean;
  lines: SourceLine[];
  /** Payments recorded on the invoice (to tell a sale paid at the till). */
  payments: { id: string; amount: number | null; date: string | null; paidAt: string | null; reference: string | null }[];
}

export interface SourcePayment {
  id: string;
  name: string;
  invoiceId: string;
  invoiceNumber: string;
  /** The invoice's accounting-system id (the invoice is already exported). */
  invoiceTargetId: string | null;
  customerId: string | null;
  customerTargetId: string | null;
  amount: number | null;
  date: string | null;
  /** When it was taken (an instant); its calendar date in the company's zone wins over `date`. */
  paidAt: string | null;
  method: string | null;
  reference: string | null;
}

/** A credit memo in the accounting system that names the open invoice it applies to. */
export interface SourceCreditApplication {
  id: string;
  number: string;
  creditTargetId: string | null;
  customerId: string | null;
  customerTargetId: string | null;
  total: number | null;
  invoiceId: string;
  invoiceNumber: string;
  invoiceCustomerId: string | null;
  invoiceTargetId: string | null;
}

/** What an export was asked to do. */
export interface ExportOptions {
  dryRun: boolean;
  invoiceNumbers?: string[];
  fromDate?: string;
  toDate?: string;
  /**
   * Only the invoices already queued for a pull-based target (Export Status Pending Sync), not marked again:
   * a run that resumes the queue after an interruption.
   */
  pendingOnly?: boolean;
}

/** Why a requested invoice number was not part of the export. */
export type RequestedInvoiceState = { number: string; companyId: string | null; approved: boolean; transferred: boolean };
