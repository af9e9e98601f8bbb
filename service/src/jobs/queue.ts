// Where export runs are executed. With one instance (the embedded store) a run executes in this process; with
// PostgreSQL, runs are pg-boss jobs any instance may take. Either way one export per Company runs at a time: the
// Company lock (held by the run, renewed by whichever instance executes it) decides, not the queue.
import type { Logger } from 'pino';

export interface ExportJob {
  runId: string;
  companyId: string;
}

export type JobState = { state: 'waiting' } | { state: 'taken'; at: Date };

export interface JobQueue {
  readonly kind: 'in-process' | 'pg-boss';
  send(job: ExportJob): Promise<void>;
  /** Takes jobs as they come (pg-boss: from any instance's send). */
  work(handler: (job: ExportJob) => Promise<void>): Promise<void>;
  /**
   * Where the run's job is: sent and waiting its turn, or taken by a worker (and when) that may not have claimed the
   * run yet; null when the queue holds no such job. Either of the first two means the run is not dead.
   */
  jobState(runId: string): Promise<JobState | null>;
  stop(): Promise<void>;
}

/** One instance: a job runs here as soon as it is sent. */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private handler: ((job: ExportJob) => Promise<void>) | null = null;
  private readonly queued: ExportJob[] = [];

  constructor(private readonly logger: Logger) {}

  async send(job: ExportJob): Promise<void> {
    if (!this.handler) {
      this.queued.push(job);
      return;
    }
    const handler = this.handler;
    setImmediate(() => void handler(job).catch((err) => this.logger.error({ runId: job.runId, err: String(err) }, 'export job failed')));
  }

  async jobState(runId: string): Promise<JobState | null> {
    return this.queued.some((job) => job.runId === runId) ? { state: 'waiting' } : null;
  }

  async work(handler: (job: ExportJob) => Promise<void>): Promise<void> {
    this.handler = handler;
    for (const job of this.queued.splice(0)) await this.send(job);
  }

  async stop(): Promise<void> {
    this.handler = null;
  }
}
