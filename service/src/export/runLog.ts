// The run's side of the Process Log: counts every entry, sends them to the log in bulk (every few thousand and at
// the end — never one call per line), and keeps what the run's answer shows.
import { count, emptyCounts, summary, type LogEntry, type RunCounts, type RunStatus } from './entries';
import type { PlanTotals } from './plan/decision';
import type { ProcessLogPort } from './ports';

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

  constructor(
    private readonly port: ProcessLogPort,
    private readonly dryRun: boolean,
  ) {}

  async open(runId: string, companyId: string, start: Date): Promise<void> {
    if (this.dryRun) return;
    this.id = await this.port.open({ runId, companyId, dryRun: false, start });
  }

  add(entry: LogEntry): void {
    count(this.counts, entry);
    if (this.kept.length < KEEP && (this.dryRun || entry.level !== 'INFO')) this.kept.push(entry);
    if (this.dryRun || !this.id) return;
    this.buffer.push(entry);
    if (this.buffer.length >= LOG_FLUSH_EVERY || Date.now() - this.lastFlush >= LOG_FLUSH_MS) void this.flush().catch(() => undefined);
  }

  /** Sends what is buffered (one flush at a time, in order). A failure surfaces on the next flush or at close. */
  flush(): Promise<void> {
    const next = this.flushing.then(async () => {
      this.lastFlush = Date.now();
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
    this.buffer.push(last);
    let unsent: unknown = null;
    await this.flush().catch((err) => (unsent = err));
    // The log is closed even when its last entries could not be written: it never stays "Running".
    const summaryText = unsent
      ? `${last.message} (${this.buffer.length} entries could not be written to this log: ${String((unsent as Error).message ?? unsent)})`
      : last.message;
    await this.port.close(this.id, { status, summary: summaryText, at: end, counts: { ...this.counts } });
    if (unsent) throw unsent;
    return last.message;
  }
}
