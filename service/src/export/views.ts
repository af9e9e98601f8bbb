// What the API answers about companies and runs: the page's summary and a run's status, built from the store's
// run record and, while it runs here, the live run.
import { isErrorCode, type ErrorCode } from '../contract/errorCodes';
import type { z } from 'zod';
import type { RunAnswer, SummaryAnswer, WebConnectorViewSchema } from '../contract/answers';
import type { RunRecord } from '../store/types';
import { emptyCounts, type RunCounts } from './entries';
import { PROGRESS_PHASES, type ExportRun, type Phase, type Progress } from './run';
import type { PlanView } from './plan/decision';
import type { LogEntry } from './entries';
import type { TargetUsage } from './target';

/** The Web Connector's side of a QuickBooks Desktop company, as the page shows it. */
export type WebConnectorView = z.infer<typeof WebConnectorViewSchema>;

/** The accounting connection of a company, as the page shows it. */
export interface ConnectionView {
  state: SummaryAnswer['connection']['state'];
  realmId: string | null;
  refreshTokenExpiresAt: Date | null;
  daysLeft: number | null;
  lastRefreshedAt: Date | null;
  reason: string | null;
  /** When an admin disconnected the company (it has not been connected since). */
  disconnectedAt?: Date | null;
  /** The authorization's hard end (QuickBooks Online: five years from consent). */
  hardExpiresAt?: Date | null;
  /** The company's name in the accounting system, when it can be read without refreshing the authorization. */
  companyName?: string | null;
  /** The accounting system's metered reads this month (QuickBooks Online), when it meters them. */
  reads?: Omit<TargetUsage['reads'], 'run'> | null;
  /** Where an admin connects the company (QuickBooks Authentication, or the Web Connector page). */
  authenticationUrl: string;
}

/** What the page shows about a company's accounting target, answered by the target's own side. */
export interface TargetStatus {
  connection: ConnectionView;
  /** A pull-based target's connector (QuickBooks Desktop's Web Connector): set up, last contact, waiting work; else null. */
  connector: WebConnectorView | null;
  /** Invoices wait in a queue for the connector (Pending Sync). */
  queues: boolean;
}

/** A run as the API answers it (the contract's Run). */
export type RunView = RunAnswer;

/** A company's summary as the API answers it (the contract's Summary). */
export type CompanySummary = SummaryAnswer;

/** A run as the API shows it: the live run's progress while it runs in this process, else what the store holds. */
export function runView(record: RunRecord, live: ExportRun | undefined, recordUrl?: (objectApiName: string, id: string) => string): RunView {
  const processLogId = live?.processLogId ?? record.processLogId;
  const view: RunView = {
    runId: record.id,
    companyId: record.companyId,
    status: record.status,
    phase: (live?.phase ?? record.phase) as Phase,
    dryRun: record.dryRun,
    progress: fullProgress(live ? live.progress : record.progress),
    counts: { ...emptyCounts(), ...(live ? live.counts : (record.counts as Partial<RunCounts>)) },
    finished: record.status !== 'running',
    processLogId,
    processLogUrl: processLogId && recordUrl ? recordUrl('Process_Log__c', processLogId) : null,
    error: parseError(record.error),
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
    waiting: live?.waiting ?? null,
    usage: live?.usage ?? (record.result as { usage?: TargetUsage } | null)?.usage ?? null,
    instanceId: record.instanceId,
    resumedFrom: record.resumedFrom,
  };
  if (record.result) {
    const result = record.result as { plan?: PlanView; entries?: LogEntry[] };
    if (result.plan) view.plan = result.plan;
    if (result.entries) view.entries = result.entries;
  }
  return view;
}

/** Every phase, 0 of 0 where the run has not counted it yet (a run that just started, an older record). */
function fullProgress(progress: Partial<Progress> | Record<string, { done: number; total: number }>): Progress {
  const full = {} as Progress;
  for (const phase of PROGRESS_PHASES) {
    const step = (progress as Partial<Progress>)[phase];
    full[phase] = { done: step?.done ?? 0, total: step?.total ?? 0 };
  }
  return full;
}

function parseError(error: string | null): { code: ErrorCode; message: string } | null {
  if (!error) return null;
  try {
    const parsed = JSON.parse(error) as { code?: string; message?: string };
    if (parsed && typeof parsed.message === 'string') return { code: isErrorCode(parsed.code) ? parsed.code : 'EXPORT_FAILED', message: parsed.message };
  } catch {
    // a plain sentence
  }
  return { code: 'EXPORT_INTERRUPTED', message: error };
}
