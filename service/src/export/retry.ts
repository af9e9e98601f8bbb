// A run limited to named records (a retry of Process Log errors): how each named record ended, and the port that
// links the errors it retried to the run's own Process Log.
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage } from '../errors';
import { retryNothingToSend, type LogEntry } from './entries';
import type { CompanyModel, RecordScope } from './model';
import type { SourcePort } from './ports';

/** How a retried record ended, as its Process Log error shows it. */
export type RetryOutcome = 'Retrying' | 'Exported' | 'Failed Again' | 'Not Sent' | 'Run Failed';

/** Outcomes that mean the record is in the accounting system now. */
const SENT = new Set<LogEntry['outcome']>(['Created', 'Matched', 'Renamed']);

/** Watches a run's entries for its named records: pure bookkeeping, decided when the run ends. */
export class RetryOutcomes {
  private readonly named: Set<string>;
  private readonly seen = new Map<string, 'sent' | 'error' | 'other'>();

  constructor(records: readonly string[]) {
    this.named = new Set(records);
  }

  see(e: LogEntry): void {
    if (!e.recordId || !this.named.has(e.recordId) || e.recordType === 'Run') return;
    const before = this.seen.get(e.recordId);
    if (e.level === 'ERROR') this.seen.set(e.recordId, 'error');
    else if (SENT.has(e.outcome) && before !== 'error') this.seen.set(e.recordId, 'sent');
    else if (!before) this.seen.set(e.recordId, 'other');
  }

  /** Named records the run wrote no entry about: nothing of them was waiting. */
  unseen(): string[] {
    return [...this.named].filter((id) => !this.seen.has(id));
  }

  /** Each named record's end, given how the run ended. */
  outcomes(runStatus: 'succeeded' | 'completed_with_errors' | 'failed'): Map<string, RetryOutcome> {
    const out = new Map<string, RetryOutcome>();
    for (const id of this.named) {
      const seen = this.seen.get(id);
      out.set(id, seen === 'error' ? 'Failed Again' : seen === 'sent' ? 'Exported' : runStatus === 'failed' ? 'Run Failed' : 'Not Sent');
    }
    return out;
  }
}

/** Where the errors a retry takes up are marked: retried in which run, and how it ended. */
export interface RetryLinkPort {
  /** Marks the company's open errors of these records as retried by the run whose Process Log is `logId`. */
  open(run: { companyId: string; logId: string; records: string[] }): Promise<void>;
  /** Sets each record's outcome on the errors the run took up. */
  close(run: { logId: string; outcomes: Map<string, RetryOutcome> }): Promise<void>;
}

/** A run limited to named records: reads what they reach, marks the errors it takes up, and how each ended. */
export class RecordsRetry {
  private readonly outcomes: RetryOutcomes;

  constructor(
    private readonly records: string[],
    private readonly deps: { source: SourcePort; retryLinks?: RetryLinkPort; logger: Logger; runId: string; company: CompanyModel },
  ) {
    this.outcomes = new RetryOutcomes(records);
  }

  /** What the records reach; the errors they had are marked as retried by this run (a failure to mark is only logged). */
  async open(logId: string | null): Promise<RecordScope> {
    const { source, company, retryLinks } = this.deps;
    if (!source.recordScope) throw new LedgerlineError('EXPORT_FAILED', 'This source cannot export named records.');
    const scope = await source.recordScope(company, this.records);
    if (logId && retryLinks) {
      await retryLinks.open({ companyId: company.id, logId, records: this.records }).catch((err) => this.warn('could not mark the retried errors', err));
    }
    return scope;
  }

  see(e: LogEntry): void {
    this.outcomes.see(e);
  }

  /** An entry for each named record the run found nothing of. */
  nothingToSend(): LogEntry[] {
    return this.outcomes.unseen().map((id) => retryNothingToSend(id, this.deps.company.name));
  }

  async close(logId: string, status: 'succeeded' | 'completed_with_errors' | 'failed'): Promise<void> {
    await this.deps.retryLinks
      ?.close({ logId, outcomes: this.outcomes.outcomes(status) })
      .catch((err) => this.warn('could not record how the retried errors ended', err));
  }

  private warn(what: string, err: unknown): void {
    this.deps.logger.warn({ runId: this.deps.runId, err: errorMessage(err) }, what);
  }
}

/** Record kinds an export sends: an error about one of them can be retried alone. */
const RETRYABLE_TYPES = new Set(['Customer', 'Product', 'Invoice', 'Payment', 'Credit Memo', 'Sales Receipt']);

/**
 * Whether an entry offers Retry: an ERROR about a record an export sends, not retried yet, or whose retry stopped
 * before it reached the record. One that failed again is retried from the retry's own log, which holds the new error.
 */
export function retryable(level: string | null, recordType: string | null, recordId: string | null, outcome: string | null): boolean {
  return level === 'ERROR' && !!recordId && RETRYABLE_TYPES.has(recordType ?? '') && (outcome === null || outcome === 'Run Failed');
}
