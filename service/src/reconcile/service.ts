// One reconciliation of a company for a period: read the period's documents on both sides (Salesforce, then
// QuickBooks page by page), read by id only what one side links to that the period did not bring, take what the
// export's journal knows, and compare. QuickBooks Desktop is not read on demand: its company file answers only when
// the Web Connector calls (every 10 minutes or more), so a reconciliation of a Desktop company is refused, saying so.
import { LedgerlineError, QuickBooksUnauthorizedError, SalesforceUnavailableError, UNAUTHORIZED_SENTENCE } from '../errors';
import type { CompanyModel } from '../export/model';
import { TargetError } from '../export/target';
import type { JournalRecordType, JournalRepository } from '../store/types';
import { compare } from './compare';
import type { Comparison, JournalFact, Period, SourceDocument, TargetForm } from './model';
import type { ReconcileSourcePort, ReconcileTargetPort } from './ports';

export interface ReconcileDeps {
  company(idOrName: string): Promise<CompanyModel>;
  /** Whether the company's QuickBooks Online connection can be used. */
  connected(company: CompanyModel): Promise<boolean>;
  target(company: CompanyModel): Promise<ReconcileTargetPort>;
  source: ReconcileSourcePort;
  journal: JournalRepository;
  /** When the company's first export started here (QuickBooks documents created before it are the books before Ledgerline). */
  firstExportAt(companyId: string): Promise<Date | null>;
  now?: () => Date;
}

export interface Reconciliation extends Comparison {
  companyId: string;
  companyName: string;
  period: { fromDate: string; toDate: string };
  readAt: string;
  /** QuickBooks reads this reconciliation used, and the month's. */
  reads: { quickbooks: number; company: number; used: number; budget: number; month: string };
}

const JOURNAL_FORMS: [JournalRecordType, TargetForm][] = [
  ['invoice', 'invoice'],
  ['credit_memo', 'creditMemo'],
  ['sales_receipt', 'salesReceipt'],
];

export async function reconcile(deps: ReconcileDeps, companyId: string, period: Period): Promise<Reconciliation> {
  const company = await deps.company(companyId);
  if (company.accountingSystem === 'Desktop') throw desktopUnavailable(company);
  if (!(await deps.connected(company))) throw notConnected(company);
  try {
    return await run(deps, company, period);
  } catch (err) {
    throw readFailure(err, company);
  }
}

async function run(deps: ReconcileDeps, company: CompanyModel, period: Period): Promise<Reconciliation> {
  const target = await deps.target(company);
  const source = await deps.source.documentsIn(company, period);
  const forms: TargetForm[] = ['invoice', 'creditMemo', ...(company.salesReceipts ? (['salesReceipt'] as const) : [])];
  const targetDocs = await target.documentsIn(period, forms);

  // What the journal knows of each source document, and the form it went as.
  const ids = source.map((s) => s.id);
  const journal: JournalFact[] = [];
  const formOf = new Map<string, TargetForm>();
  for (const [type, form] of JOURNAL_FORMS) {
    for (const e of (await deps.journal.getMany(company.id, type, ids)).values()) {
      journal.push({ recordId: e.recordId, state: e.state, targetId: e.targetId, error: e.error });
      formOf.set(e.recordId, form);
    }
  }
  // Linked documents the period did not bring (dated elsewhere in QuickBooks, or deleted there): by id.
  const held = new Set(targetDocs.map((t) => t.id));
  const wanted = new Map<TargetForm, Set<string>>();
  const journalTarget = new Map(journal.map((j) => [j.recordId, j.targetId]));
  for (const s of source) {
    for (const id of [s.targetId, journalTarget.get(s.id)]) {
      if (!id || held.has(id)) continue;
      const form = formOf.get(s.id) ?? (s.kind === 'creditMemo' ? 'creditMemo' : 'invoice');
      wanted.set(form, (wanted.get(form) ?? new Set()).add(id));
    }
  }
  for (const [form, set] of wanted) targetDocs.push(...(await target.documentsById(form, [...set])));
  // Salesforce records a QuickBooks marker names that the period did not bring (dated elsewhere, another company's, deleted).
  const known = new Set(ids);
  const named = [...new Set(targetDocs.flatMap((t) => (t.sourceId && !known.has(t.sourceId) ? [t.sourceId] : [])))];
  const others: SourceDocument[] = named.length ? await deps.source.documentsById(company, named) : [];

  const comparison = compare({
    period,
    companyId: company.id,
    expectedNumber: (s) => (company.numbering === 'source' ? `${company.numberPrefix}${s.number}${company.numberSuffix}` : null),
    source: [...source, ...others],
    target: targetDocs,
    journal,
    since: await deps.firstExportAt(company.id),
  });
  const { reconciliation, ...month } = target.reads();
  return {
    companyId: company.id,
    companyName: company.name,
    period: { fromDate: period.from, toDate: period.to },
    readAt: (deps.now?.() ?? new Date()).toISOString(),
    ...comparison,
    reads: { quickbooks: reconciliation, ...month },
  };
}

function desktopUnavailable(company: CompanyModel): LedgerlineError {
  return new LedgerlineError(
    'RECONCILIATION_UNAVAILABLE',
    `${company.name} uses QuickBooks Desktop, whose company file answers only when the Web Connector calls (on its schedule, from the PC QuickBooks runs on), so its records cannot be read on demand for a reconciliation.`,
    {
      status: 409,
      fix: "Compare each invoice's QuickBooks Balance, Paid Status and QuickBooks Total (kept by the status sync through the Web Connector) with its Salesforce total, or reconcile in QuickBooks Desktop's own reports.",
    },
  );
}

function notConnected(company: CompanyModel): LedgerlineError {
  return new LedgerlineError('QBO_NOT_CONNECTED', `${company.name} is not connected to QuickBooks Online, so it cannot be reconciled.`, {
    status: 409,
    fix: 'An admin opens QuickBooks Authentication and clicks Connect; then reconcile again.',
  });
}

/** A read that failed, in the user's words: nothing was written, so the fix is always to reconcile again. */
function readFailure(err: unknown, company: CompanyModel): unknown {
  if (err instanceof LedgerlineError || err instanceof SalesforceUnavailableError) return err;
  if (!(err instanceof TargetError)) return err;
  switch (err.fault.class) {
    case 'unauthorized':
      return new QuickBooksUnauthorizedError(UNAUTHORIZED_SENTENCE);
    case 'throttled':
      return new LedgerlineError('QBO_THROTTLED', `QuickBooks kept refusing reads for ${company.name} (rate limit, HTTP 429).`, {
        status: 429,
        fix: 'Reconcile again in a minute.',
      });
    default:
      return new LedgerlineError('QBO_UNAVAILABLE', `QuickBooks could not be read for the reconciliation of ${company.name}: ${err.fault.message}`, {
        status: 503,
        fix: 'Reconcile again in a few minutes; nothing was changed.',
      });
  }
}
