// Export runs as pg-boss jobs on the store's PostgreSQL: any instance may take one. pg-boss keeps its own schema
// beside the store's. A job's run finds the Company lock held by its run id (or takes it once the lease ran out);
// an instance that dies leaves its run to the others' recovery, which closes it and resumes it from the journal.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { ExportJob, JobQueue, JobState } from './queue';

const EXPORT_QUEUE = 'ledgerline-export';

export interface PgBossOptions {
  connectionString: string;
  schema: string;
  logger: Logger;
  /** How often an idle worker asks for jobs. */
  pollingIntervalSeconds?: number;
  /** The pg-boss queue (default: the exports'; the status syncs have their own). */
  queue?: string;
}

export class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private started: Promise<void> | null = null;
  private readonly queue: string;

  constructor(private readonly opts: PgBossOptions) {
    this.queue = opts.queue ?? EXPORT_QUEUE;
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      schema: opts.schema,
      // Our own lease and recovery decide when a run is dead; pg-boss only distributes the work.
      supervise: true,
      schedule: false,
      max: 4,
    });
    this.boss.on('error', (err) => opts.logger.warn({ err: String(err) }, 'pg-boss error'));
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      // A long export is one job: it must not expire while it runs; a dead instance's run is recovered by the lease.
      await this.boss.createQueue(this.queue, { name: this.queue, policy: 'standard', retryLimit: 0, expireInHours: 23 });
    })();
    return this.started;
  }

  async send(job: ExportJob): Promise<void> {
    await this.start();
    // The job's id is the run's, so whether it still waits can be asked by run.
    await this.boss.send(this.queue, job, { id: job.runId, singletonKey: job.runId });
  }

  async jobState(runId: string): Promise<JobState | null> {
    await this.start();
    const job = await this.boss.getJobById(this.queue, runId).catch(() => null);
    if (job?.state === 'created' || job?.state === 'retry') return { state: 'waiting' };
    return job?.state === 'active' ? { state: 'taken', at: new Date(job.startedOn) } : null;
  }

  async work(handler: (job: ExportJob) => Promise<void>): Promise<void> {
    await this.start();
    await this.boss.work<ExportJob>(this.queue, { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 2, batchSize: 1 }, async ([job]) => {
      if (job) await handler(job.data);
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}
