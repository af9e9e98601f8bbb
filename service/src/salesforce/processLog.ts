// The "Sales Invoice Exporter" Process Log in the org: one Process_Log__c per run, its entries written in bulk
// (200 records a composite call), and the logs read back with every entry.
import type { LogEntry } from '../export/entries';
import { retryable } from '../export/retry';
import type { LogFlushPolicy, ProcessLogPort } from '../export/ports';
import { LOG_FLUSH_EVERY, LOG_FLUSH_MS } from '../export/runLog';
import type { Logger } from 'pino';
import type { SalesforceRepository, WriteRecord } from './repository';
import { DEFAULT_WRITE_RETRY, withSalesforceRetry, type WriteRetry } from './retry';

export const PROCESS_LOG_NAME = 'Sales Invoice Exporter';

const STATUS_LABEL = {
  running: 'Running',
  succeeded: 'Succeeded',
  completed_with_errors: 'Completed With Errors',
  failed: 'Failed',
} as const;

/** How a large run's log is flushed (see flushPolicy). */
export const LARGE_RUN_FLUSH: LogFlushPolicy = { every: 10_000, ms: 5 * 60_000 };

export function entryRecord(logId: string, e: LogEntry, sequence: number): WriteRecord {
  return {
    type: 'Process_Log_Entry__c',
    Name: String(sequence).padStart(6, '0'),
    Process_Log__c: logId,
    Level__c: e.level,
    Outcome__c: e.outcome,
    Record_Type__c: e.recordType,
    Record_Id__c: e.recordId ?? null,
    Record_Name__c: e.recordName ? e.recordName.slice(0, 255) : null,
    Message__c: e.message.slice(0, 32768),
    Fix__c: e.fix ? e.fix.slice(0, 4000) : null,
    QuickBooks_Id__c: e.targetId ?? null,
    Intuit_Tid__c: e.traceId ?? null,
    Http_Status__c: e.httpStatus ?? null,
    Record_Count__c: e.recordCount ?? 1,
  };
}

export class SalesforceProcessLog implements ProcessLogPort {
  constructor(
    private readonly repo: SalesforceRepository,
    private readonly retry: WriteRetry = DEFAULT_WRITE_RETRY,
    private readonly logger?: Logger,
    /** From this many entries in one flush on, they go in a Bulk API 2.0 job. */
    private readonly bulkThreshold = 2000,
  ) {}

  /**
   * A run of at least the bulk threshold's records writes its log in Bulk API 2.0 jobs of up to 10,000 entries, at
   * least every 5 minutes: a job costs the same few calls whatever its size, so a log written every 2,000 entries or
   * 15 seconds would spend most of a large run's Salesforce calls. Smaller runs keep the 2,000 / 15 s.
   */
  flushPolicy(expectedRecords: number): LogFlushPolicy {
    return expectedRecords >= this.bulkThreshold ? LARGE_RUN_FLUSH : { every: LOG_FLUSH_EVERY, ms: LOG_FLUSH_MS };
  }

  /** Logs whose last write may have saved entries without saying so. */
  private readonly unsure = new Set<string>();

  open(run: { runId: string; companyId: string; dryRun: boolean; start: Date; retainUntil?: Date }): Promise<string> {
    return this.write('Process Log', () =>
      this.repo.createOne('Process_Log__c', {
        Name: PROCESS_LOG_NAME,
        Company__c: run.companyId,
        Run_Id__c: run.runId,
        Start_Time__c: run.start.toISOString(),
        Status__c: STATUS_LABEL.running,
        Dry_Run__c: run.dryRun,
        // The org's Process Log purge (ProcessLogPurge) deletes the log from this day on.
        ...(run.retainUntil ? { Retention_Date__c: run.retainUntil.toISOString().slice(0, 10) } : {}),
      }),
    );
  }

  private write<T>(what: string, send: () => Promise<T>): Promise<T> {
    return withSalesforceRetry(what, send, this.retry, this.logger);
  }

  async append(logId: string, entries: LogEntry[], firstSequence: number): Promise<void> {
    const records = entries.map((e, i) => entryRecord(logId, e, firstSequence + i));
    const results = await this.write('Process Log entries', async () => {
      // After a write to this log whose answer never came, what it saved is not sent again: an entry's Name is its
      // sequence, so the log is asked which of these it holds already.
      const todo = this.unsure.has(logId) ? await this.notYetSaved(logId, records) : records;
      this.unsure.add(logId);
      // Entry Names are unique within a flush: a bulk job's results are matched back by them.
      const answer =
        todo.length === 0 ? [] : todo.length >= this.bulkThreshold ? await this.repo.bulk('insert', todo, 'Name', false) : await this.repo.create(todo);
      this.unsure.delete(logId);
      return answer;
    });
    const refused = results.filter((r) => !r.success);
    if (refused.length) {
      throw new Error(`Salesforce refused ${refused.length} Process Log entries: ${refused[0]!.errors.map((e) => e.message).join('; ')}`);
    }
  }

  private async notYetSaved(logId: string, records: WriteRecord[]): Promise<WriteRecord[]> {
    const names = records.map((r) => String(r.Name));
    const saved = await this.repo.entryNames(logId, names[0]!, names.at(-1)!);
    return records.filter((r) => !saved.has(String(r.Name)));
  }

  async close(logId: string, end: { status: keyof typeof STATUS_LABEL; summary: string; at: Date }): Promise<void> {
    // The counts are roll-up summaries over the entries: the org computes them, so they cannot drift.
    await this.write('Process Log', () =>
      this.repo.updateOne('Process_Log__c', logId, { End_Time__c: end.at.toISOString(), Status__c: STATUS_LABEL[end.status], Summary__c: end.summary }),
    );
  }

  /** A run's log that still says Running (a run killed before it saved the log's id anywhere else). */
  findRunning(runId: string): Promise<string | null> {
    return this.repo.runningLogOf(runId);
  }

  /** The company's latest logs with their entries, newest first, as the API answers them. */
  async latest(companyId: string, limit: number) {
    const logs = await this.repo.processLogs(companyId, limit);
    return logs.map((l) => ({
      id: l.Id,
      name: l.Name,
      runId: l.Run_Id__c,
      status: l.Status__c,
      startTime: l.Start_Time__c,
      endTime: l.End_Time__c,
      summary: l.Summary__c,
      counts: {
        created: l.Created_Count__c ?? 0,
        matched: l.Matched_Count__c ?? 0,
        renamed: l.Renamed_Count__c ?? 0,
        skipped: l.Skipped_Count__c ?? 0,
        warnings: l.Warning_Count__c ?? 0,
        errors: l.Error_Count__c ?? 0,
      },
      entries: l.Process_Log_Entries__r.map((e) => ({
        id: e.Id,
        level: e.Level__c,
        outcome: e.Outcome__c,
        recordType: e.Record_Type__c,
        recordId: e.Record_Id__c,
        recordName: e.Record_Name__c,
        message: e.Message__c,
        fix: e.Fix__c,
        quickBooksId: e.QuickBooks_Id__c,
        intuitTid: e.Intuit_Tid__c,
        retriedIn: e.Retried_In__c,
        retryOutcome: e.Retry_Outcome__c,
        retryable: retryable(e.Level__c, e.Record_Type__c, e.Record_Id__c, e.Retry_Outcome__c),
      })),
    }));
  }
}
