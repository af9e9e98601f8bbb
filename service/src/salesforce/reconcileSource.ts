// The org as the reconciliation's source book: a company's approved Sales Invoices dated in the period (those the
// export sends, or sent), what is paid on them (Payment__c, From QuickBooks included) and credited (credit memos
// applied in QuickBooks), read in pages; and invoices by id when a QuickBooks document's marker names them.
import { z } from 'zod';
import type { CompanyModel } from '../export/model';
import type { Period, SourceDocument } from '../reconcile/model';
import type { ReconcileSourcePort } from '../reconcile/ports';
import { chunksThatFit, soqlQuote, type SalesforceRepository } from './repository';
import { num, text } from './records';

const InvoiceSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Company__c: text,
  Invoice_Type__c: text,
  Invoice_Date__c: text,
  Total_Amount__c: num,
  Financial_System_Invoice_Id__c: text,
  Financial_System_Invoice_Number__c: text,
  Export_Status__c: text,
  Last_Export_Error__c: text,
  Customer__r: z.object({ Financial_System_Customer_Id__c: text, Secondary_Customer_Id__c: text }).nullish(),
});
const INVOICE_FIELDS = [
  ...Object.keys(InvoiceSchema.shape).filter((f) => f !== 'Customer__r'),
  'Customer__r.Financial_System_Customer_Id__c',
  'Customer__r.Secondary_Customer_Id__c',
].join(', ');
const PaidSchema = z.object({ Sales_Invoice__c: z.string(), Amount__c: num });
const CreditedSchema = z.object({ Applies_To_Invoice__c: z.string(), Total_Amount__c: num });

export class SalesforceReconcileSource implements ReconcileSourcePort {
  constructor(private readonly repo: SalesforceRepository) {}

  async documentsIn(company: CompanyModel, period: Period): Promise<SourceDocument[]> {
    // What the export sends: approved, and (until sent) of a status the company exports.
    const statuses = company.statusFilter.length ? ` AND (Transferred__c = true OR Status__c IN (${company.statusFilter.map(soqlQuote).join(', ')}))` : '';
    const where =
      `Company__c = ${soqlQuote(company.id)} AND Approved__c = true AND Invoice_Date__c >= ${period.from} AND Invoice_Date__c <= ${period.to}` + statuses;
    const [rows, paid, credited] = await Promise.all([
      this.repo.select(`SELECT ${INVOICE_FIELDS} FROM Sales_Invoice__c WHERE ${where} ORDER BY Name`, InvoiceSchema),
      this.repo.select(
        `SELECT Sales_Invoice__c, Amount__c FROM Payment__c WHERE Sales_Invoice__c IN (SELECT Id FROM Sales_Invoice__c WHERE ${where})`,
        PaidSchema,
      ),
      this.repo.select(
        `SELECT Applies_To_Invoice__c, Total_Amount__c FROM Sales_Invoice__c WHERE Financial_System_Application_Id__c != null ` +
          `AND Applies_To_Invoice__c IN (SELECT Id FROM Sales_Invoice__c WHERE ${where})`,
        CreditedSchema,
      ),
    ]);
    const paidOn = new Map<string, number>();
    for (const p of paid) paidOn.set(p.Sales_Invoice__c, (paidOn.get(p.Sales_Invoice__c) ?? 0) + (p.Amount__c ?? 0));
    for (const c of credited) paidOn.set(c.Applies_To_Invoice__c, (paidOn.get(c.Applies_To_Invoice__c) ?? 0) + Math.abs(c.Total_Amount__c ?? 0));
    return rows.map((r) => toDocument(r, company, paidOn.get(r.Id) ?? 0, true));
  }

  async documentsById(company: CompanyModel, ids: string[]): Promise<SourceDocument[]> {
    const query = (chunk: string[]) => `SELECT ${INVOICE_FIELDS} FROM Sales_Invoice__c WHERE Id IN (${chunk.map(soqlQuote).join(', ')})`;
    const found: SourceDocument[] = [];
    for (const chunk of chunksThatFit([...new Set(ids)], query)) {
      for (const r of await this.repo.select(query(chunk), InvoiceSchema)) found.push(toDocument(r, company, 0, false));
    }
    return found;
  }
}

function toDocument(r: z.infer<typeof InvoiceSchema>, company: CompanyModel, paid: number, inPeriod: boolean): SourceDocument {
  const total = r.Total_Amount__c;
  // A company whose customer links live in the journal has none on the customer record to compare.
  const customer = company.customerIdsShared
    ? null
    : company.primary
      ? r.Customer__r?.Financial_System_Customer_Id__c
      : r.Customer__r?.Secondary_Customer_Id__c;
  return {
    id: r.Id,
    number: r.Name,
    companyId: r.Company__c ?? '',
    kind: r.Invoice_Type__c === 'Credit Memo' || (total ?? 0) < 0 ? 'creditMemo' : 'invoice',
    date: r.Invoice_Date__c,
    total: total === null ? null : Math.abs(total),
    customerTargetId: customer ?? null,
    targetId: r.Financial_System_Invoice_Id__c,
    targetNumber: r.Financial_System_Invoice_Number__c,
    exportStatus: r.Export_Status__c,
    lastError: r.Last_Export_Error__c,
    paid,
    inPeriod,
  };
}
