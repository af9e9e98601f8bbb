// What the API answers about companies and runs: the page's summary and a run's status, built from the store's
// run record and, while it runs here, the live run.
import type { RunRecord } from '../store/types';
import type { CompanyModel } from './model';
import type { ExportCounts } from './ports';
import type { ExportRun } from './run';

/** The accounting connection of a company, as the page shows it. */
export interface ConnectionView {
  state: string;
  realmId: string | null;
  refreshTokenExpiresAt: Date | null;
  daysLeft: number | null;
  lastRefreshedAt: Date | null;
  reason: string | null;
  /** The company's name in the accounting system, when it can be read without refreshing the authorization. */
  companyName?: string | null;
}

export interface RunView {
  runId: string;
  companyId: string;
  status: RunRecord['status'];
  phase: string;
  dryRun: boolean;
  progress: RunRecord['progress'];
  counts: Record<string, number>;
  finished: boolean;
  processLogId: string | null;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
  /** The plan: every decision of a dry run; the totals of a real one. */
  plan?: unknown;
  /** What the run logged: every entry of a dry run, the warnings and errors of a real one. */
  entries?: unknown[];
  /** What a running export waits for now (QuickBooks' rate limit, the org's API allowance). */
  waiting?: { reason: string; until: string } | null;
  /** The instance executing the run, and the interrupted run it continues (if it does). */
  instanceId?: string | null;
  resumedFrom?: string | null;
}

export interface CompanySummary {
  companyId: string;
  companyName: string;
  /** Online or Desktop: how this company's export reaches QuickBooks. */
  accountingSystem: CompanyModel['accountingSystem'];
  /** Invoices queued for QuickBooks Desktop's Web Connector (Pending Sync); 0 for Online. */
  pendingSync: number;
  /** The Web Connector's side (Desktop): set up, last contact, the admin page; null for Online. */
  webConnector: Record<string, unknown> | null;
  /** Product / Customer / Invoice Export Qty, the credit memos among the invoices, and (when exported) payments. */
  counts: ExportCounts;
  connection: {
    state: string;
    realmId: string | null;
    /** The connected QuickBooks company's name (CompanyInfo), when it could be read without refreshing tokens. */
    quickBooksCompanyName: string | null;
    refreshTokenExpiresAt: string | null;
    daysLeft: number | null;
    lastRefreshedAt: string | null;
    reason: string | null;
    authenticationUrl: string;
  };
  activeRunId: string | null;
  /** When the company exports by itself (an admin sets it), if it does. */
  schedule: { everyMinutes: number; nextAt: string } | null;
}

/** A run as the API shows it: the live run's progress while it runs in this process, else what the store holds. */
export function runView(record: RunRecord, live: ExportRun | undefined): RunView {
  const view: RunView = {
    runId: record.id,
    companyId: record.companyId,
    status: record.status,
    phase: live?.phase ?? record.phase,
    dryRun: record.dryRun,
    progress: live ? structuredClone(live.progress) : record.progress,
    counts: live ? { ...live.counts } : record.counts,
    finished: record.status !== 'running',
    processLogId: live?.processLogId ?? record.processLogId,
    error: parseError(record.error),
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
    waiting: live?.waiting ?? null,
    instanceId: record.instanceId,
    resumedFrom: record.resumedFrom,
  };
  if (record.result) {
    const result = record.result as { plan?: unknown; entries?: unknown[] };
    view.plan = result.plan;
    view.entries = result.entries;
  }
  return view;
}

function parseError(error: string | null): { code: string; message: string } | null {
  if (!error) return null;
  try {
    const parsed = JSON.parse(error) as { code?: string; message?: string };
    if (parsed && typeof parsed.message === 'string') return { code: parsed.code ?? 'EXPORT_FAILED', message: parsed.message };
  } catch {
    // a plain sentence
  }
  return { code: 'EXPORT_INTERRUPTED', message: error };
}
