// Salesforce against QuickBooks for one period, record by record: a pure function of what each side holds and what
// the export's journal knows. A document is linked to its counterpart by the marker in its private note, by the id
// written back to Salesforce, or by the journal; what stays unlinked is missing on the other side. Linked pairs are
// compared on total, date and customer. Every difference names both records, the cause where known and the fix.
import {
  cents,
  money,
  type Comparison,
  type Difference,
  type JournalFact,
  type Period,
  type SideTotals,
  type SourceDocument,
  type SourceRef,
  type TargetDocument,
  type TargetRef,
} from './model';
import * as say from './messages';

export interface CompareInput {
  period: Period;
  companyId: string;
  /** The number the export gives a source document in the accounting system (null: the accounting system numbers it). */
  expectedNumber: (doc: SourceDocument) => string | null;
  /** The period's documents, and those outside it (or of other companies) that a document of the other side names. */
  source: SourceDocument[];
  target: TargetDocument[];
  journal: JournalFact[];
  /** Ledgerline's first export for the company: an unlinked QuickBooks document created before it is not compared. */
  since: Date | null;
}

const sourceRef = (s: SourceDocument): SourceRef => ({ id: s.id, name: s.number });
const targetRef = (t: TargetDocument): TargetRef => ({ id: t.id, form: t.form, docNumber: t.number });
const amount = (v: number | null): string | null => (v === null ? null : money(cents(v)).toFixed(2));

function difference(partial: Partial<Difference> & Pick<Difference, 'kind' | 'cause' | 'fix'>): Difference {
  return { salesforce: null, quickbooks: null, otherSalesforce: null, otherQuickbooks: null, salesforceValue: null, quickbooksValue: null, ...partial };
}

export function compare(input: CompareInput): Comparison {
  const sourceById = new Map(input.source.map((s) => [s.id, s]));
  const journal = new Map(input.journal.map((j) => [j.recordId, j]));
  const own = input.source.filter((s) => s.companyId === input.companyId);
  // A document whose marker names another company's record is that company's (a QuickBooks company shared by two).
  const mine = input.target.filter((t) => {
    const named = t.sourceId ? sourceById.get(t.sourceId) : undefined;
    return !named || named.companyId === input.companyId;
  });
  const before = (t: TargetDocument) => !t.sourceId && input.since !== null && t.createdAt !== null && Date.parse(t.createdAt) < input.since.getTime();
  const linkedIds = new Set([...own.flatMap((s) => [s.targetId, journal.get(s.id)?.targetId])].filter((id): id is string => !!id));
  // The books before Ledgerline (created before its first export, unmarked, unlinked) are not compared.
  const older = mine.filter((t) => before(t) && !linkedIds.has(t.id) && !own.some((s) => input.expectedNumber(s) === t.number));
  const ours = mine.filter((t) => !older.includes(t));
  const targetById = new Map(ours.map((t) => [t.id, t]));

  // Links both ways: marker, the id written back, the journal's id.
  const targetsOf = new Map<string, TargetDocument[]>();
  const sourcesOf = new Map<string, SourceDocument[]>();
  const link = (s: SourceDocument, t: TargetDocument) => {
    const ts = targetsOf.get(s.id) ?? [];
    if (!ts.includes(t)) targetsOf.set(s.id, [...ts, t]);
    const ss = sourcesOf.get(t.id) ?? [];
    if (!ss.includes(s)) sourcesOf.set(t.id, [...ss, s]);
  };
  for (const s of own) {
    for (const id of [s.targetId, journal.get(s.id)?.targetId]) {
      const t = id ? targetById.get(id) : undefined;
      if (t) link(s, t);
    }
  }
  for (const t of ours) {
    const s = t.sourceId ? sourceById.get(t.sourceId) : undefined;
    if (s) link(s, t);
  }

  const differences: Difference[] = [];
  const claimed = new Set<string>();
  for (const s of own) {
    const linked = targetsOf.get(s.id) ?? [];
    const primary = linked.find((t) => t.id === s.targetId) ?? linked[0];
    if (!primary) {
      if (!s.inPeriod) continue;
      const known = s.targetId ?? journalTarget(journal.get(s.id));
      if (known) {
        differences.push(
          difference({
            kind: 'deleted_in_quickbooks',
            salesforce: sourceRef(s),
            quickbooks: { id: known, form: formOf(s), docNumber: s.targetNumber },
            ...say.deleted(s, known),
          }),
        );
        continue;
      }
      const number = input.expectedNumber(s);
      const holder = number ? ours.find((t) => t.number === number && !claimed.has(t.id) && !(sourcesOf.get(t.id) ?? []).length) : undefined;
      if (holder) claimed.add(holder.id);
      differences.push(
        difference({
          kind: 'missing_in_quickbooks',
          salesforce: sourceRef(s),
          quickbooks: holder ? targetRef(holder) : null,
          salesforceValue: amount(s.total),
          ...say.missingInQuickBooks(s, journal.get(s.id), holder),
        }),
      );
      continue;
    }
    if (!s.inPeriod && !primary.inPeriod) continue;
    const others = linked.filter((t) => t !== primary);
    if (others.length) {
      differences.push(
        difference({
          kind: 'linked_twice',
          salesforce: sourceRef(s),
          quickbooks: targetRef(primary),
          otherQuickbooks: targetRef(others[0]!),
          ...say.twoDocuments(s, primary, others[0]!),
        }),
      );
    }
    differences.push(...comparePair(s, primary));
  }
  for (const t of ours) {
    const linked = sourcesOf.get(t.id) ?? [];
    if (linked.length > 1 && (t.inPeriod || linked.some((s) => s.inPeriod))) {
      const [first, second] = [...linked].sort((a, b) => a.number.localeCompare(b.number));
      differences.push(
        difference({
          kind: 'linked_twice',
          salesforce: sourceRef(first!),
          otherSalesforce: sourceRef(second!),
          quickbooks: targetRef(t),
          ...say.twoInvoices(first!, second!, t),
        }),
      );
    }
    if (linked.length || claimed.has(t.id) || !t.inPeriod) continue;
    const deletedSource = t.sourceId && !sourceById.has(t.sourceId) ? t.sourceId : null;
    differences.push(
      difference({ kind: 'missing_in_salesforce', quickbooks: targetRef(t), quickbooksValue: amount(t.total), ...say.missingInSalesforce(t, deletedSource) }),
    );
  }

  return {
    totals: { salesforce: sourceTotals(own.filter((s) => s.inPeriod)), quickbooks: targetTotals(ours.filter((t) => t.inPeriod)) },
    differences: differences.sort(byRecord),
    notCompared: {
      count: older.filter((t) => t.inPeriod).length,
      total: money(older.filter((t) => t.inPeriod).reduce((sum, t) => sum + cents(t.total ?? 0), 0)),
    },
  };
}

/** A linked pair, compared: voided in QuickBooks, else total, date and customer. */
function comparePair(s: SourceDocument, t: TargetDocument): Difference[] {
  const refs = { salesforce: sourceRef(s), quickbooks: targetRef(t) };
  if (t.voided)
    return [difference({ kind: 'voided_in_quickbooks', ...refs, salesforceValue: amount(s.total), quickbooksValue: amount(t.total), ...say.voided(s, t) })];
  const found: Difference[] = [];
  if (s.total !== null && t.total !== null && cents(s.total) !== cents(t.total)) {
    found.push(difference({ kind: 'amount_different', ...refs, salesforceValue: amount(s.total), quickbooksValue: amount(t.total), ...say.amount(s, t) }));
  }
  if (s.date && t.date && s.date !== t.date) {
    found.push(difference({ kind: 'date_different', ...refs, salesforceValue: s.date, quickbooksValue: t.date, ...say.date(s, t) }));
  }
  if (s.customerTargetId && t.customerId && s.customerTargetId !== t.customerId) {
    found.push(difference({ kind: 'customer_different', ...refs, salesforceValue: s.customerTargetId, quickbooksValue: t.customerId, ...say.customer(s, t) }));
  }
  return found;
}

function journalTarget(fact: JournalFact | undefined): string | null {
  return fact && (fact.state === 'created' || fact.state === 'written_back') ? fact.targetId : null;
}

function formOf(s: SourceDocument): TargetDocument['form'] {
  return s.kind === 'creditMemo' ? 'creditMemo' : 'invoice';
}

function byRecord(a: Difference, b: Difference): number {
  const key = (d: Difference) => d.salesforce?.name ?? d.quickbooks?.docNumber ?? d.quickbooks?.id ?? '';
  return key(a).localeCompare(key(b)) || a.kind.localeCompare(b.kind);
}

function sourceTotals(docs: SourceDocument[]): SideTotals {
  const t = { invoices: 0, invoiceCount: 0, credits: 0, creditCount: 0, paid: 0, open: 0 };
  for (const s of docs) {
    const total = cents(s.total ?? 0);
    if (s.kind === 'creditMemo') {
      t.credits += total;
      t.creditCount++;
      continue;
    }
    t.invoices += total;
    t.invoiceCount++;
    const paid = Math.min(cents(s.paid), total);
    t.paid += paid;
    t.open += total - paid;
  }
  return totalsOf(t);
}

function targetTotals(docs: TargetDocument[]): SideTotals {
  const t = { invoices: 0, invoiceCount: 0, credits: 0, creditCount: 0, paid: 0, open: 0 };
  for (const d of docs) {
    const total = cents(d.total ?? 0);
    if (d.form === 'creditMemo') {
      t.credits += total;
      t.creditCount++;
      continue;
    }
    const balance = cents(d.balance ?? 0);
    t.invoices += total;
    t.invoiceCount++;
    t.paid += total - balance;
    t.open += balance;
  }
  return totalsOf(t);
}

function totalsOf(t: { invoices: number; invoiceCount: number; credits: number; creditCount: number; paid: number; open: number }): SideTotals {
  return {
    invoices: { count: t.invoiceCount, total: money(t.invoices) },
    creditMemos: { count: t.creditCount, total: money(t.credits) },
    payments: { total: money(t.paid) },
    openBalance: money(t.open),
  };
}
