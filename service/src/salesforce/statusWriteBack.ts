// The org as the status sync's source system: the Sales Invoices a sync concerns (by their QuickBooks id, or their own
// id from the marker), the Payment__c records of the QuickBooks payments it saw, and the writes — the invoices'
// QuickBooks Balance / Paid Status / Last Payment Date / QuickBooks Total, and the payments received in QuickBooks
// (From_QuickBooks__c). Reads go five queries a /composite call; writes collections of 200, five a /composite call,
// Bulk API 2.0 from the bulk threshold on (the sync gathers its writes into jobs of the bulk chunk); a record refused
// is answered as such, Salesforce unavailable is thrown (SalesforceUnavailableError) for the sync to stop with
// everything owed.
import { z } from 'zod';
import type { CompanyModel } from '../export/model';
import type { DocumentStatus, SourceDocumentStatus, SourcePaymentFromTarget, SourcePaymentsOf } from '../status/model';
import type { StatusSourcePort, WriteBatching, WriteOutcome } from '../status/ports';
import { soqlQuote, type SalesforceRepository, type WriteRecord, type WriteResult } from './repository';
import { num, text } from './records';
import { DEFAULT_BULK, type BulkPolicy } from './writeBack';

const InvoiceStatusSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Financial_System_Invoice_Id__c: text,
  QuickBooks_Balance__c: num,
  Paid_Status__c: text,
  Last_Payment_Date__c: text,
  QuickBooks_Total__c: num,
});
const INVOICE_FIELDS = Object.keys(InvoiceStatusSchema.shape).join(', ');

const PaymentSchema = z.object({
  Id: z.string(),
  Sales_Invoice__c: text,
  Amount__c: num,
  Payment_Date__c: text,
  Reference__c: text,
  Financial_System_Payment_Id__c: text,
  From_QuickBooks__c: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
const PAYMENT_FIELDS = Object.keys(PaymentSchema.shape).join(', ');

/** Payment__c.Reference__c holds 50 characters; QuickBooks' PaymentRefNum at most 21. */
const REFERENCE_LENGTH = 50;

export class SalesforceStatusWriteBack implements StatusSourcePort {
  constructor(
    private readonly repo: SalesforceRepository,
    /** From `threshold` records in one write on, Bulk API 2.0 carries them; the sync sends `chunk` a write. */
    private readonly bulkPolicy: BulkPolicy = DEFAULT_BULK,
  ) {}

  get batching(): WriteBatching {
    return this.bulkPolicy;
  }

  async documents(company: CompanyModel, targetIds: string[], ids: string[]): Promise<SourceDocumentStatus[]> {
    const found = new Map<string, z.infer<typeof InvoiceStatusSchema>>();
    const where = (field: string) => (chunk: string[]) =>
      `SELECT ${INVOICE_FIELDS} FROM Sales_Invoice__c WHERE Company__c = ${soqlQuote(company.id)} AND ${field} IN (${chunk.map(soqlQuote).join(', ')})`;
    for (const [field, values] of [
      ['Financial_System_Invoice_Id__c', targetIds],
      ['Id', ids],
    ] as const) {
      for (const row of await this.repo.selectInChunks([...new Set(values)], where(field), InvoiceStatusSchema)) found.set(row.Id, row);
    }
    return [...found.values()].map((r) => ({
      id: r.Id,
      name: r.Name,
      targetId: r.Financial_System_Invoice_Id__c,
      balance: r.QuickBooks_Balance__c,
      paidStatus: r.Paid_Status__c,
      lastPaymentDate: r.Last_Payment_Date__c,
      total: r.QuickBooks_Total__c,
    }));
  }

  async paymentsOf(company: CompanyModel, targetPaymentIds: string[]): Promise<SourcePaymentsOf> {
    const held: SourcePaymentsOf = { exported: new Set(), fromTarget: [] };
    const query = (chunk: string[]) =>
      `SELECT ${PAYMENT_FIELDS} FROM Payment__c WHERE Sales_Invoice__r.Company__c = ${soqlQuote(company.id)} ` +
      `AND Financial_System_Payment_Id__c IN (${chunk.map(soqlQuote).join(', ')}) ORDER BY Id`;
    for (const row of await this.repo.selectInChunks([...new Set(targetPaymentIds)], query, PaymentSchema)) {
      const targetId = row.Financial_System_Payment_Id__c!;
      if (!row.From_QuickBooks__c) held.exported.add(targetId);
      else if (row.Sales_Invoice__c) {
        held.fromTarget.push({
          id: row.Id,
          documentId: row.Sales_Invoice__c,
          targetId,
          amount: row.Amount__c,
          date: row.Payment_Date__c,
          reference: row.Reference__c,
        });
      }
    }
    return held;
  }

  updateDocuments(updates: { id: string; changes: Partial<DocumentStatus>; syncedAt: Date }[]): Promise<WriteOutcome[]> {
    return this.write(
      'update',
      updates.map((u) => ({
        type: 'Sales_Invoice__c',
        Id: u.id,
        ...('balance' in u.changes ? { QuickBooks_Balance__c: u.changes.balance } : {}),
        ...('paidStatus' in u.changes ? { Paid_Status__c: u.changes.paidStatus } : {}),
        ...('lastPaymentDate' in u.changes ? { Last_Payment_Date__c: u.changes.lastPaymentDate } : {}),
        ...('total' in u.changes ? { QuickBooks_Total__c: u.changes.total } : {}),
        QuickBooks_Synced_At__c: u.syncedAt.toISOString(),
      })),
    );
  }

  createPayments(payments: Omit<SourcePaymentFromTarget, 'id'>[]): Promise<WriteOutcome[]> {
    const parts = new Map<string, number>();
    for (const p of payments) parts.set(p.targetId, (parts.get(p.targetId) ?? 0) + 1);
    const seen = new Map<string, number>();
    // A payment that pays several invoices becomes one record each: "QuickBooks payment 57 (1 of 2)".
    const nameOf = (p: { targetId: string }) => {
      const n = (seen.get(p.targetId) ?? 0) + 1;
      seen.set(p.targetId, n);
      return `QuickBooks payment ${p.targetId}${parts.get(p.targetId)! > 1 ? ` (${n} of ${parts.get(p.targetId)})` : ''}`;
    };
    return this.write(
      'insert',
      payments.map((p) => ({
        type: 'Payment__c',
        Name: nameOf(p),
        Sales_Invoice__c: p.documentId,
        From_QuickBooks__c: true,
        Financial_System_Payment_Id__c: p.targetId,
        ...paymentFields(p),
      })),
    );
  }

  updatePayments(payments: SourcePaymentFromTarget[]): Promise<WriteOutcome[]> {
    return this.write(
      'update',
      payments.map((p) => ({ type: 'Payment__c', Id: p.id, ...paymentFields(p) })),
    );
  }

  async deletePayments(ids: string[]): Promise<WriteOutcome[]> {
    return (await this.repo.delete(ids)).map(outcome);
  }

  private async write(operation: 'update' | 'insert', records: WriteRecord[]): Promise<WriteOutcome[]> {
    if (records.length === 0) return [];
    // Inserts are matched back by Name, unique among the payments of one write.
    if (records.length >= this.bulkPolicy.threshold) return (await this.repo.bulk(operation, records, operation === 'insert' ? 'Name' : 'Id')).map(outcome);
    return (await (operation === 'insert' ? this.repo.create(records) : this.repo.update(records))).map(outcome);
  }
}

function paymentFields(p: Omit<SourcePaymentFromTarget, 'id'>): Record<string, unknown> {
  return { Amount__c: p.amount, Payment_Date__c: p.date, Reference__c: p.reference ? p.reference.slice(0, REFERENCE_LENGTH) : null };
}

function outcome(result: WriteResult): WriteOutcome {
  if (result.success) return { ok: true, id: result.id };
  const first = result.errors[0];
  return { ok: false, id: result.id, message: first ? `${first.statusCode}: ${first.message}` : 'refused' };
}
