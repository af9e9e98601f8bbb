// Use cases behind the HTTP API and the CLI: the page summary, starting an export (one per Company at a time,
// across every instance sharing the store), and a run's status. The accounting target, the source records and
// the connection state come through ports; this module knows neither QuickBooks nor Salesforce.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage, notFound } from '../errors';
import type { ExportJob, JobQueue } from '../jobs/queue';
import type { RunRecord, Store } from '../store/types';
import { waitForAllowance, type SourceAllowance } from './allowance';
import type { CompanyModel, ExportOptions } from './model';
import type { ProcessLogPort, SourcePort, WriteBackPort, WriteBackRefusal } from './ports';
import { ExportRun } from './run';
import type { TargetFactory } from './target';
import { lockKey } from './companyLock';
import { markInterrupted, MAX_RESUMES, resumeDepth } from './interrupted';
import { OwedWriteBacks } from './owedWriteBacks';
import { ExportSchedules, type ScheduleView } from './schedules';
import { runView, type CompanySummary, type ConnectionView, type RunView } from './views';

export interface ExportServiceDeps {
  store: Store;
  source: SourcePort;
  targets: TargetFactory;
  writeBack: (company: CompanyModel, onRefused: (refusal: WriteBackRefusal) => void, expected?: number) => WriteBackPort;
  processLog: ProcessLogPort;
  connection: (companyId: string) => Promise<ConnectionView>;
  /** The company's latest Process Logs with their entries, newest first. */
  processLogs: (companyId: string, limit: number) => Promise<unknown[]>;
  vendorClashSuffix: string;
  logger: Logger;
  publicUrl: string;
  /** What a pull-based target's connector shows on the page (QuickBooks Desktop's Web Connector), per company. */
  connector?: (company: CompanyModel) => Promise<Record<string, unknown> | null>;
  /** Called when a run of a company starts (a pull-based target forgets what was taken off its queue before). */
  onRunStart?: (company: CompanyModel) => void;
  /** Where runs execute (pg-boss with several instances); unset: in this process. */
  queue?: JobQueue;
  /** This instance, as runs record who executes them. */
  instanceId?: string;
  /** The source system's API allowance: a run pauses (and says so) while it is low. */
  allowance?: SourceAllowance;
  /** Waits before each background attempt to finish a write-back Salesforce did not take (default 30 s, doubling). */
  finishWriteBackDelaysMs?: number[];
  /** How long a run's Company lock lives without a heartbeat (a crashed process frees it this long after). */
  lockLeaseMs?: number;
  now?: () => Date;
}

export class ExportService {
  /** Runs this process has taken, from before their lock is renewed until it is released: what shutdown waits for. */
  private readonly taking = new Map<string, Promise<void>>();
  private readonly active = new Map<string, { run: ExportRun; done: Promise<void>; companyId: string }>();
  private readonly now: () => Date;
  private stopping = false;
  private readonly owed: OwedWriteBacks;
  private readonly schedules: ExportSchedules;

  constructor(private readonly deps: ExportServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.owed = new OwedWriteBacks({
      ...deps,
      lockLeaseMs: this.lease,
      delaysMs: deps.finishWriteBackDelaysMs,
      company: (id) => this.company(id),
    });
    this.schedules = new ExportSchedules({
      ...deps,
      now: this.now,
      company: (id) => this.company(id),
      start: (companyId) => this.start(companyId, { dryRun: false }),
    });
  }

  async companies(): Promise<{ id: string; name: string; primary: boolean }[]> {
    const list = await this.deps.source.companies();
    return list.map((c) => ({ id: c.id, name: c.name, primary: c.primary }));
  }

  async company(idOrName: string): Promise<CompanyModel> {
    const company = await this.deps.source.company(idOrName);
    if (!company) throw notFound(`Company ${idOrName}`);
    return company;
  }

  async summary(companyId: string): Promise<CompanySummary> {
    const company = await this.company(companyId);
    const desktop = company.accountingSystem === 'Desktop';
    const [counts, connection, holder, pendingSync, webConnector] = await Promise.all([
      this.deps.source.counts(company),
      this.deps.connection(company.id),
      this.deps.store.locks.holder(lockKey(company.id)),
      desktop && this.deps.source.pendingCount ? this.deps.source.pendingCount(company) : Promise.resolve(0),
      desktop && this.deps.connector ? this.deps.connector(company) : Promise.resolve(null),
    ]);
    return {
      companyId: company.id,
      companyName: company.name,
      accountingSystem: company.accountingSystem,
      pendingSync,
      webConnector,
      counts,
      connection: {
        // A Desktop company has no OAuth connection: it is "connected" once its Web Connector user is set up.
        state: desktop ? (webConnector?.setUp ? 'connected' : 'not_connected') : connection.state,
        realmId: connection.realmId ?? company.realmId,
        quickBooksCompanyName: connection.companyName ?? null,
        refreshTokenExpiresAt: connection.refreshTokenExpiresAt?.toISOString() ?? null,
        daysLeft: connection.daysLeft,
        lastRefreshedAt: connection.lastRefreshedAt?.toISOString() ?? null,
        reason: connection.reason,
        // A Desktop company has no OAuth connection: its admin page is the Web Connector's.
        authenticationUrl:
          typeof webConnector?.pageUrl === 'string'
            ? webConnector.pageUrl
            : `${this.deps.publicUrl}/quickbooks/auth?companyId=${encodeURIComponent(company.id)}`,
      },
      activeRunId: holder?.owner ?? null,
      schedule: await this.schedules.stored(company.id), // the company is read already: no second Salesforce call
    };
  }

  /** Starts an export in the background; 409 with the running run's id when one is already going. */
  async start(companyId: string, options: ExportOptions, resumedFrom?: string): Promise<{ runId: string }> {
    if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service is shutting down; try again in a moment.', { status: 503 });
    const company = await this.company(companyId);
    const runId = randomUUID();
    if (!(await this.deps.store.locks.acquire(lockKey(company.id), runId, this.lease))) {
      const holder = await this.deps.store.locks.holder(lockKey(company.id));
      throw new LedgerlineError('EXPORT_RUNNING', 'An export is already running for this company.', { status: 409, details: { runId: holder?.owner } });
    }
    // A run still marked running without its lock was cut off by a crash: close it (and its Process Log).
    const previous = await this.deps.store.runs.latestForCompany(company.id);
    if (previous) await this.closeIfInterrupted(previous, false);
    await this.deps.store.runs.create({ id: runId, companyId: company.id, dryRun: options.dryRun, options: { ...options }, resumedFrom: resumedFrom ?? null });
    if (!options.dryRun) this.deps.onRunStart?.(company);
    // A Desktop run talks to the Web Connector through this process's queue: it runs here.
    const job = { runId, companyId: company.id };
    if (company.accountingSystem === 'Desktop' || !this.deps.queue) {
      void this.execute(job).catch((err) => this.deps.logger.error({ runId, err: errorMessage(err) }, 'export job failed'));
    } else await this.deps.queue.send(job);
    this.deps.logger.info({ runId, companyId: company.id, dryRun: options.dryRun, resumedFrom }, 'export queued');
    return { runId };
  }

  /**
   * Executes a queued run, on whichever instance took its job. The run holds its Company lock (taken when it was
   * queued; taken again if its lease ran out meanwhile) and renews it while it runs.
   */
  async execute(job: ExportJob): Promise<void> {
    // From here on the run is this process's: a status read here never takes it for dead while it starts.
    if (this.active.has(job.runId) || this.taking.has(job.runId)) return;
    const taken = this.take(job).finally(() => this.taking.delete(job.runId));
    this.taking.set(job.runId, taken);
    await taken;
  }

  private async take(job: ExportJob): Promise<void> {
    const record = await this.deps.store.runs.get(job.runId);
    if (!record || record.status !== 'running') return;
    const key = lockKey(record.companyId);
    const runId = record.id;
    if (!(await this.deps.store.locks.renew(key, runId, this.lease)) && !(await this.deps.store.locks.acquire(key, runId, this.lease))) {
      const message = 'Another export of this company started before this one could: it was not run.';
      await this.deps.store.runs.finishIfRunning(runId, {
        status: 'failed',
        error: JSON.stringify({ code: 'EXPORT_SUPERSEDED', message }),
        finishedAt: this.now(),
      });
      return;
    }
    // Renewed from the moment it is held, so other instances see it alive however long the start takes.
    let lockLost = false;
    const heartbeat = setInterval(
      () => {
        void this.deps.store.locks
          .renew(key, runId, this.lease)
          .then(async (held) => {
            if (!held) lockLost = true;
            await this.deps.store.runs.heartbeat(runId);
          })
          .catch((err) => this.deps.logger.warn({ err: errorMessage(err), runId }, 'heartbeat failed'));
      },
      Math.max(50, Math.floor(this.lease / 3)),
    );
    try {
      await this.deps.store.runs.claim(runId, this.deps.instanceId ?? 'this-instance');
      let company: CompanyModel;
      try {
        company = await this.company(record.companyId);
      } catch (err) {
        await this.failedToStart(runId, err);
        return;
      }
      await this.run(runId, company, record.options as unknown as ExportOptions, () => lockLost);
    } finally {
      // Also when the start failed before the run began: the company is free again.
      clearInterval(heartbeat);
      await this.deps.store.locks.release(key, runId).catch(() => undefined);
    }
  }

  /** The company could not be read (Salesforce down, say): the run ends failed with why, not later as "interrupted". */
  private async failedToStart(runId: string, err: unknown): Promise<void> {
    const code = err instanceof LedgerlineError ? err.code : 'EXPORT_FAILED';
    const message = `The export could not start: ${errorMessage(err)}`;
    this.deps.logger.error({ runId, code, err: errorMessage(err) }, 'export could not start');
    await this.deps.store.runs.finishIfRunning(runId, { status: 'failed', error: JSON.stringify({ code, message }), finishedAt: this.now() });
  }

  /** Runs a claimed export. */
  private async run(runId: string, company: CompanyModel, options: ExportOptions, lockLost: () => boolean): Promise<void> {
    let lastSave = 0;
    const run: ExportRun = new ExportRun(
      {
        source: this.deps.source,
        target: () =>
          this.deps.targets(company, {
            onWait: (w) => {
              run.wait(w);
              // The wait is over when the pause is: clear it then, unless another came meanwhile.
              setTimeout(() => run.waiting?.until === w.until.toISOString() && run.wait(null), Math.max(0, w.until.getTime() - Date.now())).unref();
            },
          }),
        gate: this.deps.allowance ? (r) => waitForAllowance(this.deps.allowance!, this.deps.logger, r, () => lockLost() || this.stopping) : undefined,
        writeBack: (onRefused, expected) => this.deps.writeBack(company, onRefused, expected),
        processLog: this.deps.processLog,
        journal: this.deps.store.journal,
        keys: this.deps.store.idempotency,
        logger: this.deps.logger,
        vendorClashSuffix: this.deps.vendorClashSuffix,
        now: this.now,
        checkpoint: () => {
          if (lockLost()) throw new LedgerlineError('LOCK_LOST', 'Another instance took over this export.');
          if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service stopped during the export. Export again to finish it.');
        },
        onProgress: () => {
          // Other instances read progress from the store: saved at most four times a second.
          if (Date.now() - lastSave < 250) return;
          lastSave = Date.now();
          void this.saveProgress(runId, run);
        },
      },
      runId,
      company,
      options,
    );
    this.deps.logger.info({ runId, companyId: company.id, dryRun: options.dryRun, instanceId: this.deps.instanceId }, 'export started');
    const done = run
      .execute()
      .then(async ({ status, error }) => {
        await this.deps.store.runs.update(runId, {
          status,
          phase: 'done',
          progress: run.progress,
          counts: { ...run.counts },
          processLogId: run.processLogId,
          error: error ? JSON.stringify(error) : null,
          result: { plan: run.plan, entries: run.entries },
          finishedAt: this.now(),
        });
        this.deps.logger.info({ runId, status, counts: run.counts }, 'export finished');
        if (error?.code === 'WRITE_BACK_PENDING') this.owed.retryLater(company.id);
      })
      .catch((err) => this.deps.logger.error({ runId, err: errorMessage(err) }, 'could not record the end of an export'))
      .finally(() => this.active.delete(runId));
    this.active.set(runId, { run, done, companyId: company.id });
    await done;
  }

  private get lease(): number {
    return this.deps.lockLeaseMs ?? 60_000;
  }

  schedule(companyId: string): Promise<ScheduleView | null> {
    return this.schedules.get(companyId);
  }

  /** Every `everyMinutes` from `startAt` (default: one interval from now); null turns the schedule off. */
  setSchedule(companyId: string, everyMinutes: number | null, startAt?: Date): Promise<ScheduleView | null> {
    return this.schedules.set(companyId, everyMinutes, startAt);
  }

  /** Starts the exports whose schedule is due (each fire is claimed by one instance only). */
  runSchedules(): Promise<string[]> {
    return this.schedules.runDue();
  }

  async status(runId: string): Promise<RunView> {
    const found = await this.deps.store.runs.get(runId);
    if (!found) throw notFound(`Export run ${runId}`);
    const record = await this.closeIfInterrupted(found);
    return runView(record, this.active.get(runId)?.run);
  }

  /** The company's run active in this process, if any (a pull-based target's connector waits on it). */
  activeRun(companyId: string): { runId: string; progress: ExportRun['progress']; done: Promise<void> } | null {
    for (const [runId, a] of this.active) if (a.companyId === companyId) return { runId, progress: a.run.progress, done: a.done };
    return null;
  }

  /** Invoices of the company queued for a pull-based target (Pending Sync). */
  async pendingCount(company: CompanyModel): Promise<number> {
    return (await this.deps.source.pendingCount?.(company)) ?? 0;
  }

  processLogs(companyId: string, limit: number): Promise<unknown[]> {
    return this.deps.processLogs(companyId, limit);
  }

  /**
   * Runs left "running" by a process that died: whichever instance sees one first (at start-up, on a status read, or
   * when the company's next export starts) marks it failed — in the store and in its Process Log, with what it had
   * done. A run whose Company lock is still held is alive somewhere and left alone.
   */
  async recoverInterrupted(): Promise<number> {
    let closed = 0;
    for (const run of await this.deps.store.runs.listRunning()) if ((await this.closeIfInterrupted(run)).status !== 'running') closed++;
    return closed;
  }

  /** The run's job waits its turn, or a worker took it less than a lease ago and is claiming it. */
  private async notYetClaimed(runId: string): Promise<boolean> {
    const job = await this.deps.queue?.jobState(runId);
    return job?.state === 'waiting' || (job?.state === 'taken' && this.now().getTime() - job.at.getTime() < this.lease);
  }

  private async closeIfInterrupted(record: RunRecord, resume = true): Promise<RunRecord> {
    if (record.status !== 'running' || this.taking.has(record.id) || this.active.has(record.id)) return record;
    const holder = await this.deps.store.locks.holder(lockKey(record.companyId));
    if (holder?.owner === record.id) return record;
    if (!record.instanceId && (await this.notYetClaimed(record.id))) {
      // Queued behind other companies' exports (or just taken by a worker), not dead: it keeps its Company lock.
      await this.deps.store.locks.acquire(lockKey(record.companyId), record.id, this.lease);
      return record;
    }
    if (!(await markInterrupted(this.deps, record, this.now()))) return (await this.deps.store.runs.get(record.id)) ?? record;
    // Another run continues from the journal: nothing it did is done twice. (Not a dry run; not past a few resumes.)
    if (resume && !record.dryRun && !this.stopping && (await resumeDepth(this.deps.store, record)) < MAX_RESUMES) {
      await this.start(record.companyId, record.options as unknown as ExportOptions, record.id).catch((err) =>
        this.deps.logger.info({ runId: record.id, err: errorMessage(err) }, 'interrupted export not resumed'),
      );
    }
    return (await this.deps.store.runs.get(record.id)) ?? record;
  }

  /**
   * Writes back what QuickBooks holds but Salesforce never took (a run whose write-back failed), from the journal
   * alone — no export, nothing sent to QuickBooks. Skipped while the company's export runs (that run does it).
   */
  async finishWriteBacks(companyId: string): Promise<{ written: number; left: number } | null> {
    return this.owed.finish(await this.company(companyId));
  }

  /** Stops taking exports and lets running ones reach their next checkpoint. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.owed.stop();
    await Promise.all([...this.taking.values()].map((taken) => taken.catch(() => undefined)));
  }

  private async saveProgress(runId: string, run: ExportRun): Promise<void> {
    await this.deps.store.runs
      .update(runId, { phase: run.phase, progress: run.progress, counts: { ...run.counts }, processLogId: run.processLogId })
      .catch((err) => this.deps.logger.warn({ err: errorMessage(err) }, 'could not save run progress'));
  }
}
