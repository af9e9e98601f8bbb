// The accounting-target port: what the engine needs from an accounting system, in the engine's own terms.
// QuickBooks Online implements it in quickbooks/online/target.ts. Documents here are neutral; each target maps
// them to its wire format, classifies its own faults, and decides how and when a batch is delivered
// (Online: now, over HTTP; a pull-based target: when its connector asks).

// ------------------------------------------------------------------ what the target already holds

export interface TargetCustomer {
  id: string;
  displayName: string;
  givenName?: string | null;
  familyName?: string | null;
  companyName?: string | null;
  email?: string | null;
  city?: string | null;
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
}

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
  /** Ids of the transactions it is applied to. */
  links: string[];
}

export interface DocByKind {
  customer: CustomerDoc;
  product: ItemDoc;
  invoice: InvoiceDoc;
  payment: PaymentDoc;
}
export type CreatableKind = keyof DocByKind;

// ------------------------------------------------------------------ settings, limits, faults

export interface TargetSettings {
  companyName: string | null;
  /** The target keeps the document numbers it is sent (else it numbers documents itself). */
  customNumbers: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** The target refuses a second document with the same number itself. */
  rejectsDuplicateNumbers: boolean;
}

/** Field lengths the target accepts, in characters. */
export interface TargetLimits {
  displayName: number;
  givenName: number;
  familyName: number;
  companyName: number;
  phone: number;
  email: number;
  addressLine: number;
  city: number;
  state: number;
  postalCode: number;
  country: number;
  itemName: number;
  sku: number;
  description: number;
  lineDescription: number;
  docNumber: number;
  privateNote: number;
  customerMemo: number;
  paymentReference: number;
  /** The most lines one transaction may carry, when the target documents one. */
  linesPerTransaction?: number;
}

export type FaultClass =
  | 'duplicateName'
  | 'duplicateNumber'
  | 'staleObject'
  | 'invalidReference'
  | 'inactiveReference'
  | 'tooLong'
  | 'requiredMissing'
  | 'amountMismatch'
  | 'businessRule'
  | 'unauthorized'
  | 'throttled'
  | 'transient'
  | 'rejected'
  /** A pull-based target's queued record taken back (un-pended) before the target took it: not an error. */
  | 'withdrawn';

export interface TargetFault {
  class: FaultClass;
  /** The target's own words, for the Process Log. */
  message: string;
  /** The target's code, shown to the user (never branched on by the engine). */
  code?: string;
  field?: string;
  traceId?: string | null;
  httpStatus?: number;
}

/** A whole call failed (not one record in it): the run decides whether it can go on. */
export class TargetError extends Error {
  constructor(
    readonly fault: TargetFault,
    options?: { cause?: unknown },
  ) {
    super(fault.message, options);
    this.name = 'TargetError';
  }
}

export type DeliveryResult = { ok: true; created: CreatedRecord } | { ok: false; fault: TargetFault };

export interface DeliveryItem<K extends CreatableKind = CreatableKind> {
  /** Idempotency key of this record's create: the same record with the same content always has the same key. */
  key: string;
  doc: DocByKind[K];
}

// ------------------------------------------------------------------ the port

export interface AccountingTarget {
  /** Shown to users: "QuickBooks Online", "QuickBooks Desktop". */
  readonly system: string;
  /** Scope of idempotency keys: one per accounting company. */
  readonly scope: string;
  readonly limits: TargetLimits;
  /** Records per delivery (a batch). */
  readonly batchSize: number;
  /**
   * Pull-based: the target takes work when its connector asks (QuickBooks Desktop's Web Connector), so its calls
   * resolve later. The run marks the invoices it will send as pending before anything else.
   */
  readonly deliversLater?: boolean;

  settings(): Promise<TargetSettings>;
  /** Every customer, a page at a time. */
  loadCustomers(onPage: (rows: TargetCustomer[]) => void): Promise<void>;
  /** Names a new customer cannot take (vendors, employees, other names). */
  loadReservedNames(onPage: (names: string[]) => void): Promise<void>;
  loadItems(onPage: (rows: TargetItem[]) => void): Promise<void>;
  /** Which of these ids still exist. */
  existing(kind: CreatableKind, ids: string[]): Promise<Set<string>>;
  /** Documents already holding these numbers: number -> id. */
  findByNumbers(kind: 'invoice', numbers: string[]): Promise<Map<string, string>>;
  /** Documents this product created for these source ids (by marker) since a time: source id -> record. */
  findByMarker(kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>>;
  /** Open balances of these invoices: id -> balance (missing: not found). */
  openBalances(invoiceIds: string[]): Promise<Map<string, OpenBalance>>;
  /** Payments holding these references (any customer). */
  paymentsByReference(references: string[]): Promise<HeldPayment[]>;
  /**
   * Delivers one batch (at most batchSize) and answers per record, in order. A fault of one record is a value;
   * a fault of the whole call throws TargetError.
   */
  create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[], context: { runId: string }): Promise<DeliveryResult[]>;
}

/** A pause the target takes (a rate limit), so the run can say what it waits for. */
export interface TargetWait {
  reason: string;
  until: Date;
}

/** Opens the target of a company (authorization included). */
export type TargetFactory = (
  company: { id: string; name: string; accountingSystem: string; currency?: string | null },
  hooks?: { onWait?(wait: TargetWait): void },
) => Promise<AccountingTarget>;
