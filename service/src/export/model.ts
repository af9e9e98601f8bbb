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
  /** An exported invoice changed in the source since: warn (default), or update the accounting system's copy. */
  exportedChanges?: 'warn' | 'update';
  /**
   * Which customers a run sends: 'invoiced', those its own invoices (of the run) need and that are not linked yet;
   * 'all', every customer without this company's link, whichever company invoices it.
   */
  customerScope: 'invoiced' | 'all';
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
  /** Days a run's Process Log is kept before the org's purge may delete it. */
  logRetentionDays: number;
  /** How a run logs records that went well: an entry each, or one summary entry per kind and outcome per batch. */
  logSuccesses: 'every' | 'perBatch';
  /** Multicurrency: an invoice in another currency than its customer's goes to a second customer "Name (EUR)". */
  customerPerCurrency?: boolean;
  /** US automated sales tax: send the source's tax amount instead of letting the accounting system compute it. */
  salesTaxOverride?: boolean;
  /** Classes and locations an invoice names that the accounting system lacks are created. */
  createClassesAndLocations?: boolean;
  /** Non-US sales tax: "source code = accounting tax code name" lines, and the codes of lines without one. */
  taxCodes?: { mapping: string | null; defaultCode: string | null; nonTaxableCode: string | null };
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
  /** The currency it is invoiced in (null: its first invoice's). */
  currency?: string | null;
  /** Its accounting-system id for this company as the source holds it now (none when the journal keeps the links). */
  targetId?: string | null;
}

export interface SourceProduct {
  id: string;
  name: string;
  sku: string | null;
  description: string | null;
  unitPrice: number | null;
  /** As the ERP names it: Inventory, Non-Inventory, Service. */
  type: string | null;
  /** Its accounting-system id as the source holds it now. */
  targetId?: string | null;
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
  /** Non-US sales tax: the product's tax code in the source's terms. */
  productTaxCode?: string | null;
  /** The line's class (null: the invoice's). */
  className?: string | null;
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
  /** The customer's tax code (non-US sales tax), for lines whose product has none. */
  customerTaxCode?: string | null;
  className?: string | null;
  location?: string | null;
  /** Where the goods go (the invoice's ship-to, else the customer's billing address). */
  shipTo?: Address | null;
  /** Values of the fields admin mappings name, by field name. */
  mapped?: Record<string, unknown>;
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
  /** The invoice's currency: a payment is in its invoice's currency. */
  currency?: string | null;
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
  currency?: string | null;
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
  /** Only these source records and what they need (their customer, their products): a retry of Process Log errors. */
  records?: string[];
  /** What `records` reaches, read once at the run's start (never part of a request). */
  scope?: RecordScope;
}

/**
 * The records a run limited to named records may export: the named ids themselves (of any kind), and the customers
 * and products the named invoices need. Each kind's usual rule (not yet exported, this company's) still applies.
 */
export interface RecordScope {
  records: string[];
  customers: string[];
  products: string[];
}

/** Why a requested invoice number was not part of the export. */
export type RequestedInvoiceState = { number: string; companyId: string | null; approved: boolean; transferred: boolean };
