// QuickBooks Online as the reconciliation's accounting book: the period's invoices and credit memos (and sales
// receipts where the company sends them) by query — `WHERE TxnDate >= … AND TxnDate <= … ORDERBY Id STARTPOSITION n
// MAXRESULTS 1000`, one metered read a page of 1,000 — and, only for documents Salesforce links to that the period did
// not bring, a query by Id (100 ids a read). Every read goes through the company's read meter.
import { z } from 'zod';
import { readMarker } from '../../export/marker';
import type { Period, TargetDocument, TargetForm } from '../../reconcile/model';
import type { ReconcileTargetPort } from '../../reconcile/ports';
import { QboId } from './answers';
import { qboQuote, type QboClient, type QboEntity } from './client';
import { describeProblem, unreadable } from './errors';
import type { ReadMeter } from './readBudget';
import { asTargetFault } from './target';

const ENTITY: Record<TargetForm, string> = { invoice: 'Invoice', creditMemo: 'CreditMemo', salesReceipt: 'SalesReceipt' };
/** Ids in one `Id IN (…)` query. */
const IDS_PER_READ = 100;

const Money = z.union([z.number(), z.string()]).transform(Number);
const SalesFormRow = z.looseObject({
  Id: QboId,
  DocNumber: z.string().nullish(),
  TxnDate: z.string().nullish(),
  PrivateNote: z.string().nullish(),
  CustomerRef: z.looseObject({ value: QboId }).nullish(),
  TotalAmt: Money.nullish(),
  Balance: Money.nullish(),
  MetaData: z.looseObject({ CreateTime: z.string().nullish() }).nullish(),
});

/** A document as the reconciliation compares it; a voided one has TotalAmt 0 and "Voided" at the start of its private note. */
export function toTargetDocument(form: TargetForm, row: QboEntity, inPeriod: boolean): TargetDocument {
  const parsed = SalesFormRow.safeParse(row);
  if (!parsed.success) throw unreadable(`a ${ENTITY[form]} query`, describeProblem(parsed.error), null);
  const r = parsed.data;
  const total = r.TotalAmt ?? null;
  return {
    id: r.Id,
    form,
    number: r.DocNumber ?? null,
    date: r.TxnDate ?? null,
    customerId: r.CustomerRef?.value ?? null,
    total,
    // A sales receipt is paid when made.
    balance: form === 'salesReceipt' ? 0 : (r.Balance ?? null),
    voided: total === 0 && /^Voided\b/.test(r.PrivateNote ?? ''),
    sourceId: readMarker(r.PrivateNote),
    createdAt: r.MetaData?.CreateTime ?? null,
    inPeriod,
  };
}

export class OnlineReconcileReader implements ReconcileTargetPort {
  constructor(
    private readonly client: QboClient,
    private readonly meter: ReadMeter,
  ) {}

  async documentsIn(period: Period, forms: TargetForm[]): Promise<TargetDocument[]> {
    const found: TargetDocument[] = [];
    const where = `TxnDate >= ${qboQuote(period.from)} AND TxnDate <= ${qboQuote(period.to)}`;
    for (const form of forms) {
      await asTargetFault(() => this.client.queryAll(ENTITY[form], where, (rows) => void found.push(...rows.map((row) => toTargetDocument(form, row, true)))));
    }
    return found;
  }

  async documentsById(form: TargetForm, ids: string[]): Promise<TargetDocument[]> {
    const found: TargetDocument[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IDS_PER_READ) {
      const chunk = unique
        .slice(i, i + IDS_PER_READ)
        .map(qboQuote)
        .join(', ');
      await asTargetFault(() =>
        this.client.queryAll(ENTITY[form], `Id IN (${chunk})`, (rows) => void found.push(...rows.map((row) => toTargetDocument(form, row, false)))),
      );
    }
    return found;
  }

  reads(): { reconciliation: number; company: number; used: number; budget: number; month: string } {
    const { run = 0, company, used, budget, month } = this.meter.usage();
    return { reconciliation: run, company, used, budget, month };
  }
}
