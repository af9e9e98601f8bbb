// Whether an export left both systems right, from what they hold afterwards: QuickBooks gained exactly the expected
// invoices and credit memos; every exported Salesforce record (invoice, its customer, its products, its payments, a
// credit memo's application) holds the id of the QuickBooks record that stands for it; every payment and credit
// application links the right invoice; and every record QuickBooks gained is claimed by exactly one Salesforce
// record, so none was made twice. Pure, so a unit test can hold each check.
import type { SalesforceRecord } from '../demo/types';

/** A QuickBooks record as the emulator's admin endpoint lists it. */
export type QboRow = Record<string, any>;

export const CHECKED_ENTITIES = ['Customer', 'Item', 'Invoice', 'CreditMemo', 'Payment'] as const;
export type CheckedEntity = (typeof CHECKED_ENTITIES)[number];

export interface VerifyInput {
  /** The exported company's approved, not yet transferred Sales Invoices (credit type included). */
  invoices: SalesforceRecord[];
  /** Sales Invoice lines, Customers, the company's Products and Payments as Salesforce holds them after the export. */
  lines: SalesforceRecord[];
  customers: SalesforceRecord[];
  products: SalesforceRecord[];
  payments: SalesforceRecord[];
  /** The company's DocNumber prefix and the customer id field it writes back to. */
  invoiceNumberPrefix: string;
  customerIdField: string;
  /** The approved invoice whose DocNumber QuickBooks already held (the export must refuse it), if any. */
  docNumberCollisionInvoiceId: string | null;
  /** Ids QuickBooks held before the export, and its records after, per entity. */
  before: Record<CheckedEntity, Set<string>>;
  after: Record<CheckedEntity, QboRow[]>;
}

export interface Verification {
  expectedInvoices: number;
  invoicesAdded: number;
  expectedCreditMemos: number;
  creditMemosAdded: number;
  sharedInvoiceDocNumbers: number;
  /** Salesforce records whose write-back was checked, and those holding no id or another record's id. */
  writeBacks: { checked: number; wrong: number; examples: string[] };
  /** Payments of exported invoices: how many, how many QuickBooks gained (credit applications not counted), how many were written back. */
  payments: { expected: number; added: number; writtenBack: number };
  creditApplications: { expected: number; applied: number };
  /** Records QuickBooks gained that no Salesforce record claims (made twice, or left behind), and ids claimed twice. */
  unclaimedRecords: number;
  claimedTwice: number;
}

const ref = (v: unknown): string | undefined => (v && typeof v === 'object' ? (v as { value?: string }).value : undefined);
const linkedTxns = (row: QboRow): { id: string; type: string }[] =>
  (row.Line ?? []).flatMap((l: QboRow) => (l.LinkedTxn ?? []).map((t: QboRow) => ({ id: String(t.TxnId), type: String(t.TxnType) })));
const itemRefs = (row: QboRow): Set<string> =>
  new Set((row.Line ?? []).map((l: QboRow) => ref(l.SalesItemLineDetail?.ItemRef)).filter((id: string | undefined): id is string => !!id));

export function verifyExport(input: VerifyInput): Verification {
  const byId = (entity: CheckedEntity) => new Map(input.after[entity].map((r) => [String(r.Id), r]));
  const added = (entity: CheckedEntity) => input.after[entity].filter((r) => !input.before[entity].has(String(r.Id)));
  const qbo = Object.fromEntries(CHECKED_ENTITIES.map((e) => [e, byId(e)])) as Record<CheckedEntity, Map<string, QboRow>>;
  const customers = new Map(input.customers.map((c) => [c.Id, c]));
  const products = new Map(input.products.map((p) => [p.Id, p]));
  const invoicesById = new Map(input.invoices.map((i) => [i.Id, i]));
  const linesOf = new Map<string, SalesforceRecord[]>();
  for (const line of input.lines) linesOf.set(String(line.Sales_Invoice__c), [...(linesOf.get(String(line.Sales_Invoice__c)) ?? []), line]);
  const wrong: string[] = [];
  let checked = 0;
  // Who claims each QuickBooks id: a record claimed by none was made and not written back; by two, made once for two.
  const claims = new Map<string, number>();
  const claim = (entity: CheckedEntity, id: string) => claims.set(`${entity}:${id}`, (claims.get(`${entity}:${id}`) ?? 0) + 1);
  const check = (ok: boolean, what: string) => {
    checked++;
    if (!ok) wrong.push(what);
  };

  const credit = (i: SalesforceRecord) => Number(i.Total_Amount__c) < 0 || i.Invoice_Type__c === 'Credit Memo';
  const exported = input.invoices.filter((i) => i.Id !== input.docNumberCollisionInvoiceId);
  const seenCustomers = new Set<string>();
  const seenProducts = new Set<string>();
  for (const invoice of exported) {
    const entity: CheckedEntity = credit(invoice) ? 'CreditMemo' : 'Invoice';
    const id = invoice.Financial_System_Invoice_Id__c ? String(invoice.Financial_System_Invoice_Id__c) : undefined;
    const doc = id === undefined ? undefined : qbo[entity].get(id);
    check(!!doc && doc.DocNumber === `${input.invoiceNumberPrefix}${invoice.Name}`, `${entity} ${String(invoice.Name)}`);
    if (!doc) continue;
    claim(entity, id!);
    const customer = customers.get(String(invoice.Customer__c));
    if (customer && !seenCustomers.has(customer.Id)) {
      seenCustomers.add(customer.Id);
      const customerId = customer[input.customerIdField];
      check(
        customerId !== null && customerId !== undefined && String(customerId) === ref(doc.CustomerRef),
        `Customer ${customer.Id} of ${String(invoice.Name)}`,
      );
      if (customerId) claim('Customer', String(customerId));
    }
    const items = itemRefs(doc);
    for (const line of linesOf.get(invoice.Id) ?? []) {
      const product = products.get(String(line.Product__c));
      if (!product || seenProducts.has(product.Id)) continue;
      seenProducts.add(product.Id);
      const itemId = product.Financial_System_Product_Id__c;
      check(!!itemId && items.has(String(itemId)), `Product ${String(product.Name)} on ${String(invoice.Name)}`);
      if (itemId) claim('Item', String(itemId));
    }
  }

  // Customers and products exported without an invoice of this run (the company exports them all): their ids must
  // still be QuickBooks records, and they claim them.
  for (const customer of input.customers) {
    const id = customer[input.customerIdField];
    if (seenCustomers.has(customer.Id) || id === null || id === undefined) continue;
    check(qbo.Customer.has(String(id)), `Customer ${customer.Id}`);
    claim('Customer', String(id));
  }
  for (const product of input.products) {
    const id = product.Financial_System_Product_Id__c;
    if (seenProducts.has(product.Id) || id === null || id === undefined) continue;
    check(qbo.Item.has(String(id)), `Product ${String(product.Name)}`);
    claim('Item', String(id));
  }

  // Payments: each written-back id is a QuickBooks payment that links its invoice's QuickBooks id.
  const exportedIds = new Set(exported.map((i) => i.Id));
  const exportedPayments = input.payments.filter((p) => exportedIds.has(String(p.Sales_Invoice__c)) && p.From_QuickBooks__c !== true);
  let paymentsWritten = 0;
  for (const payment of exportedPayments) {
    const id = payment.Financial_System_Payment_Id__c ? String(payment.Financial_System_Payment_Id__c) : undefined;
    const invoiceQboId = String(invoicesById.get(String(payment.Sales_Invoice__c))?.Financial_System_Invoice_Id__c);
    const row = id === undefined ? undefined : qbo.Payment.get(id);
    check(!!row && linkedTxns(row).some((t) => t.type === 'Invoice' && t.id === invoiceQboId), `Payment ${String(payment.Name)}`);
    if (id === undefined) continue;
    paymentsWritten++;
    claim('Payment', id);
  }

  // Credit applications: the credit memo's application id is a payment linking the credit memo and its invoice.
  const credits = exported.filter((i) => credit(i) && i.Applies_To_Invoice__c);
  let applied = 0;
  for (const memo of credits) {
    const id = memo.Financial_System_Application_Id__c ? String(memo.Financial_System_Application_Id__c) : undefined;
    const row = id === undefined ? undefined : qbo.Payment.get(id);
    const links = row ? linkedTxns(row) : [];
    const target = String(invoicesById.get(String(memo.Applies_To_Invoice__c))?.Financial_System_Invoice_Id__c);
    const ok =
      links.some((t) => t.type === 'CreditMemo' && t.id === String(memo.Financial_System_Invoice_Id__c)) &&
      links.some((t) => t.type === 'Invoice' && t.id === target);
    check(ok, `credit application of ${String(memo.Name)}`);
    if (ok) applied++;
    if (id !== undefined) claim('Payment', id);
  }

  let unclaimed = 0;
  for (const entity of CHECKED_ENTITIES) for (const row of added(entity)) if (!claims.has(`${entity}:${String(row.Id)}`)) unclaimed++;
  const claimedTwice = [...claims.values()].filter((n) => n > 1).length;
  // DocNumbers the export gave to an invoice that another invoice also has.
  const docNumbers = new Map<string, number>();
  for (const row of input.after.Invoice) if (row.DocNumber) docNumbers.set(String(row.DocNumber), (docNumbers.get(String(row.DocNumber)) ?? 0) + 1);
  const sharedDocNumbers = new Set(
    added('Invoice')
      .filter((r) => (docNumbers.get(String(r.DocNumber)) ?? 0) > 1)
      .map((r) => String(r.DocNumber)),
  );
  const applications = added('Payment').filter((r) => linkedTxns(r).some((t) => t.type === 'CreditMemo')).length;
  return {
    expectedInvoices: exported.filter((i) => !credit(i)).length,
    invoicesAdded: added('Invoice').length,
    expectedCreditMemos: exported.filter(credit).length,
    creditMemosAdded: added('CreditMemo').length,
    sharedInvoiceDocNumbers: sharedDocNumbers.size,
    writeBacks: { checked, wrong: wrong.length, examples: wrong.slice(0, 5) },
    payments: { expected: exportedPayments.length, added: added('Payment').length - applications, writtenBack: paymentsWritten },
    creditApplications: { expected: credits.length, applied },
    unclaimedRecords: unclaimed,
    claimedTwice,
  };
}

/** Everything checked holds: the counts match, no write-back is wrong, nothing was made twice or left unclaimed. */
export function isVerified(v: Verification): boolean {
  return (
    v.invoicesAdded === v.expectedInvoices &&
    v.creditMemosAdded === v.expectedCreditMemos &&
    v.sharedInvoiceDocNumbers === 0 &&
    v.writeBacks.wrong === 0 &&
    v.payments.added === v.payments.writtenBack &&
    v.creditApplications.applied === v.creditApplications.expected &&
    v.unclaimedRecords === 0 &&
    v.claimedTwice === 0
  );
}
