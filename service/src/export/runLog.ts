// The run's side of the Process Log: counts every entry, sends them to the log in bulk (every few thousand and at
// the end — never one call per line), and keeps what the run's answer shows.
import { batchSummary, count, emptyCounts, summary, summedOutcome, type LogEntry, type RunCounts, type RunStatus } from './entries';
import type { PlanTotals } from './plan/decision';
import type { LogFlushPolicy, ProcessLogPort } from './ports';

export const LOG_FLUSH_EVERY = 2000;
/**
 * ... or this often, so a slow run's log fills as it goes and a run that dies leaves most of its entries (the run
 * that resumes it logs every record again). Long enough that a fast run flushes by count, in bulk jobs of 2,000,
 * rather than in many small flushes of a few hundred.
 */
export const LOG_FLUSH_MS = 15_000;
/** Entries kept for the run's answer: all of a dry run's, the warnings and errors of a real one. */
const KEEP = 2000;

export class RunLog {
  readonly counts: RunCounts = emptyCounts();
  readonly kept: LogEntry[] = [];
  id: string | null = null;
  private buffer: LogEntry[] = [];
  private sequence = 0;
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush = Date.now();
  private policy: LogFlushPolicy = { every: LOG_FLUSH_EVERY, ms: LOG_FLUSH_MS };

  /** Successes summed up until the next flush (a Company that logs them per batch): by kind and outcome. */
  private readonly sums = new Map<string, { first: LogEntry; last: LogEntry; count: number }>();
  private summed = 0;

  constructor(
    private readonly port: ProcessLogPort,
    private readonly dryRun: boolean,
    private readonly opts: {
      successes?: 'every' | 'perBatch';
      retentionDays?: number;
      /** Keeps entries Salesforce did not take at the end, to be written to the log later (never dropped). */
      owe?: (logId: string, entries: { sequence: number; entry: LogEntry }[]) => Promise<void>;
    } = {},
  ) {}

  async open(runId: string, companyId: string, start: Date): Promise<void> {
    if (this.dryRun) return;
    const days = this.opts.retentionDays;
    const retainUntil = days ? new Date(start.getTime() + days * 86_400_000) : undefined;
    this.id = await this.port.open({ runId, companyId, dryRun: false, start, retainUntil });
  }

  /** Sets how often the log flushes, once the run knows how many records it expects (the log's port decides). */
  expect(records: number): void {
    if (this.port.flushPolicy) this.policy = this.port.flushPolicy(records);
  }

  add(entry: LogEntry): void {
    count(this.counts, entry);
    if (this.kept.length < KEEP && (this.dryRun || entry.level !== 'INFO')) this.kept.push(entry);
    if (this.dryRun || !this.id) return;
    if (this.opts.successes === 'perBatch' && summedOutcome(entry)) this.sum(entry);
    else this.buffer.push(entry);
    if (this.buffer.length + this.summed >= this.policy.every || Date.now() - this.lastFlush >= this.policy.ms) void this.flush().catch(() => undefined);
  }

  private sum(entry: LogEntry): void {
    const key = `${entry.recordType}|${entry.outcome}`;
    const sum = this.sums.get(key);
    if (sum) {
      sum.last = entry;
      sum.count++;
    } else this.sums.set(key, { first: entry, last: entry, count: 1 });
    // A batch is what one flush sends: summed entries count toward its size as the records they stand for.
    this.summed++;
  }

  /** The successes summed since the last flush, as one entry per kind and outcome. */
  private takeSums(): LogEntry[] {
    const out = [...this.sums.values()].map((s) =>
      batchSummary(s.first.recordType, s.first.outcome, s.count, s.first.recordName ?? s.first.recordId ?? '', s.last.recordName ?? s.last.recordId ?? ''),
    );
    this.sums.clear();
    this.summed = 0;
    return out;
  }

  /** Sends what is buffered (one flush at a time, in order). A failure surfaces on the next flush or at close. */
  flush(): Promise<void> {
    const next = this.flushing.then(async () => {
      this.lastFlush = Date.now();
      if (this.sums.size) this.buffer.push(...this.takeSums());
      if (!this.id || !this.buffer.length) return;
      const entries = this.buffer;
      this.buffer = [];
      const first = this.sequence + 1;
      this.sequence += entries.length;
      try {
        await this.port.append(this.id, entries, first);
      } catch (err) {
        // Kept for the next flush: an entry is never dropped because one call failed.
        this.buffer = entries.concat(this.buffer);
        this.sequence -= entries.length;
        throw err;
      }
    });
    this.flushing = next.catch(() => undefined);
    return next;
  }

  async close(companyName: string, status: RunStatus, error: string | null, end: Date, plan?: PlanTotals): Promise<string> {
    const last = summary(companyName, this.dryRun, status, this.counts, error, plan);
    if (this.dryRun || !this.id) return last.message;
    if (this.sums.size) this.buffer.push(...this.takeSums());
    this.buffer.push(last);
    let unsent: unknown = null;
    await this.flush().catch((err) => (unsent = err));
    let owed = false;
    if (unsent && this.opts.owe) {
      const first = this.sequence + 1;
      owed = await this.opts
        .owe(
          this.id,
          this.buffer.map((entry, i) => ({ sequence: first + i, entry })),
        )
        .then(
          () => true,
          () => false,
        );
    }
    // The log is closed even when its last entries could not be written: it never stays "Running".
    const summaryText = unsent
      ? `${last.message} (${this.buffer.length} entries could not be written to this log yet: ${String((unsent as Error).message ?? unsent)}${owed ? '. They are kept and added to this log once Salesforce takes them.' : ''})`
      : last.message;
    await this.port.close(this.id, { status, summary: summaryText, at: end, counts: { ...this.counts } });
    if (unsent) throw unsent;
    return last.message;
  }
}
