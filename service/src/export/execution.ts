// Executing queued runs in this process: a run is taken under its Company lock (renewed by a heartbeat while it
// runs), its company is read, the ExportRun goes to the end, and what it did is recorded in the store. The runs this
// process holds are known here, so status reads never take one of them for dead and shutdown waits for them.
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage } from '../errors';
import type { ExportJob } from '../jobs/queue';
import type { RunRecord, Store } from '../store/types';
import { waitForAllowance, type SourceAllowance } from './allowance';
import { lockKey } from './companyLock';
import type { CompanyModel, ExportOptions } from './model';
import type { ProcessLogPort, SourcePort, WriteBackPort, WriteBackRefusal } from './ports';
import { ExportRun } from './run';
import type { RetryLinkPort } from './retry';
import type { TargetFactory } from './target';

export interface ExecutionDeps {
  store: Store;
  source: SourcePort;
  targets: TargetFactory;
  writeBack: (company: CompanyModel, onRefused: (refusal: WriteBackRefusal) => void, expected?: number) => WriteBackPort;
  processLog: ProcessLogPort;
  vendorClashSuffix: string;
  logger: Logger;
  allowance?: SourceAllowance;
  instanceId?: string;
  lease: number;
  now: () => Date;
  company: (id: string) => Promise<CompanyModel>;
  /** The process is shutting down: runs stop at their next checkpoint. */
  stopping: () => boolean;
  /** A run ended with write-backs Salesforce did not take: they are finished later from the journal. */
  writeBackPending: (companyId: string) => void;
  /** A run of the company ended (however): what the page kept of the company is stale. */
  runEnded?: (companyId: string) => void;
  /** Marks the Process Log errors a retry takes up. */
  retryLinks?: RetryLinkPort;
  /** A run ended (told after the store has its end): failures and errors are announced to the company's admins. */
  runFinished?: (run: RunEnd) => void;
}

/** How a run ended, as whoever announces it needs it. */
export interface RunEnd {
  runId: string;
  companyId: string;
  companyName: string;
  status: 'succeeded' | 'completed_with_errors' | 'failed';
  errors: number;
  message: string | null;
  processLogId: string | null;
}

interface ActiveRun {
  run: ExportRun;
  done: Promise<void>;
  companyId: string;
  /** The record as claimed: status running, this instance's. */
  record: RunRecord;
  /** Its end is being recorded in the store. */
  ended: boolean;
  lockLost: () => boolean;
}

export class RunExecutions {
  /** Runs this process has taken, from before their lock is renewed until it is released: what shutdown waits for. */
  private readonly taking = new Map<string, Promise<void>>();
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly deps: ExecutionDeps) {}

  /** The run is this process's (taken, or running here). */
  holds(runId: string): boolean {
    return this.taking.has(runId) || this.active.has(runId);
  }

  /** The live run, while it runs in this process. */
  live(runId: string): ExportRun | undefined {
    return this.active.get(runId)?.run;
  }

  /**
   * The run's record as the store holds it while it runs here, for status reads without a store query: what changes
   * as it runs (phase, progress, counts, waits) comes from the live run. None once its end is being recorded or its
   * lock was lost (another instance may have closed it): the store has the word then.
   */
  runningRecord(runId: string): RunRecord | undefined {
    const a = this.active.get(runId);
    return a && !a.ended && !a.lockLost() ? a.record : undefined;
  }

  /** The company's run active in this process, if any. */
  activeFor(companyId: string): { runId: string; progress: ExportRun['progress']; done: Promise<void> } | null {
    for (const [runId, a] of this.active) if (a.companyId === companyId) return { runId, progress: a.run.progress, done: a.done };
    return null;
  }

  /** Waits for every run this process has taken to end (each releases its own lock). */
  async drain(): Promise<void> {
    await Promise.all([...this.taking.values()].map((taken) => taken.catch(() => undefined)));
  }

  /**
   * Executes a queued run, on whichever instance took its job. The run holds its Company lock (taken when it was
   * queued; taken again if its lease ran out meanwhile) and renews it while it runs.
   */
  async execute(job: ExportJob): Promise<void> {
    // From here on the run is this process's: a status read here never takes it for dead while it starts.
    if (this.holds(job.runId)) return;
    const taken = this.take(job).finally(() => this.taking.delete(job.runId));
    this.taking.set(job.runId, taken);
    await taken;
  }

  private async take(job: ExportJob): Promise<void> {
    const { store, lease } = this.deps;
    const record = await store.runs.get(job.runId);
    if (!record || record.status !== 'running') return;
    const key = lockKey(record.companyId);
    const runId = record.id;
    if (!(await store.locks.renew(key, runId, lease)) && !(await store.locks.acquire(key, runId, lease))) {
      const message = 'Another export of this company started before this one could: it was not run.';
      await store.runs.finishIfRunning(runId, {
        status: 'failed',
        error: JSON.stringify({ code: 'EXPORT_SUPERSEDED', message }),
        finishedAt: this.deps.now(),
      });
      return;
    }
    // Renewed from the moment it is held, so other instances see it alive however long the start takes.
    let lockLost = false;
    const heartbeat = setInterval(
      () => {
        void store.locks
          .renew(key, runId, lease)
          .then(async (held) => {
            if (!held) lockLost = true;
            await store.runs.heartbeat(runId);
          })
          .catch((err) => this.deps.logger.warn({ err: errorMessage(err), runId }, 'heartbeat failed'));
      },
      Math.max(50, Math.floor(lease / 3)),
    );
    try {
      await store.runs.claim(runId, this.deps.instanceId ?? 'this-instance');
      let company: CompanyModel;
      try {
        company = await this.deps.company(record.companyId);
      } catch (err) {
        await this.failedToStart(runId, err);
        return;
      }
      await this.run({ ...record, instanceId: this.deps.instanceId ?? 'this-instance' }, company, () => lockLost);
    } finally {
      // Also when the start failed before the run began: the company is free again.
      clearInterval(heartbeat);
      await store.locks.release(key, runId).catch(() => undefined);
    }
  }

  /** The company could not be read (Salesforce down, say): the run ends failed with why, not later as "interrupted". */
  private async failedToStart(runId: string, err: unknown): Promise<void> {
    const code = err instanceof LedgerlineError ? err.code : 'EXPORT_FAILED';
    const message = `The export could not start: ${errorMessage(err)}`;
    this.deps.logger.error({ runId, code, err: errorMessage(err) }, 'export could not start');
    await this.deps.store.runs.finishIfRunning(runId, { status: 'failed', error: JSON.stringify({ code, message }), finishedAt: this.deps.now() });
  }

  /** Runs a claimed export. */
  private async run(record: RunRecord, company: CompanyModel, lockLost: () => boolean): Promise<void> {
    const { deps } = this;
    const runId = record.id;
    const options = record.options as unknown as ExportOptions;
    // Filled in below, before the run can end (execute() answers asynchronously).
    const active = {} as ActiveRun;
    let lastSave = 0;
    const run: ExportRun = new ExportRun(
      {
        source: deps.source,
        target: () =>
          deps.targets(company, {
            runId,
            onWait: (w) => {
              run.wait(w);
              // The wait is over when the pause is: clear it then, unless another came meanwhile.
              setTimeout(() => run.waiting?.until === w.until.toISOString() && run.wait(null), Math.max(0, w.until.getTime() - Date.now())).unref();
            },
            note: (e) => run.note(e),
          }),
        gate: deps.allowance ? (r) => waitForAllowance(deps.allowance!, deps.logger, r, () => lockLost() || deps.stopping()) : undefined,
        writeBack: (onRefused, expected) => deps.writeBack(company, onRefused, expected),
        processLog: deps.processLog,
        retryLinks: deps.retryLinks,
        oweLogEntries: (logId, entries) => deps.store.owedLogEntries.add(company.id, logId, entries),
        journal: deps.store.journal,
        previousExportStart: () => deps.store.runs.previousExportStart(company.id, runId),
        keys: deps.store.idempotency,
        logger: deps.logger,
        vendorClashSuffix: deps.vendorClashSuffix,
        now: deps.now,
        checkpoint: () => {
          if (lockLost()) throw new LedgerlineError('LOCK_LOST', 'Another instance took over this export.');
          if (deps.stopping()) throw new LedgerlineError('SHUTTING_DOWN', 'The service stopped during the export. Export again to finish it.');
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
    deps.logger.info({ runId, companyId: company.id, dryRun: options.dryRun, instanceId: deps.instanceId }, 'export started');
    const done = run
      .execute()
      .then(async ({ status, error }) => {
        // From here status reads go to the store, which is about to hold the end.
        active.ended = true;
        await deps.store.runs.update(runId, {
          status,
          phase: 'done',
          progress: run.progress,
          counts: { ...run.counts },
          processLogId: run.processLogId,
          error: error ? JSON.stringify(error) : null,
          result: { plan: run.plan, entries: run.entries, usage: run.usage },
          finishedAt: deps.now(),
        });
        deps.logger.info({ runId, status, counts: run.counts }, 'export finished');
        if (!options.dryRun) {
          deps.runFinished?.({
            runId,
            companyId: company.id,
            companyName: company.name,
            status,
            errors: run.counts.errors,
            message: error?.message ?? null,
            processLogId: run.processLogId,
          });
        }
        // Links or log entries Salesforce did not take are written later, from the store.
        if (error?.code === 'WRITE_BACK_PENDING' || error?.code === 'PROCESS_LOG_FAILED') deps.writeBackPending(company.id);
      })
      .catch((err) => deps.logger.error({ runId, err: errorMessage(err) }, 'could not record the end of an export'))
      .finally(() => {
        this.active.delete(runId);
        deps.runEnded?.(company.id);
      });
    this.active.set(runId, Object.assign(active, { run, done, companyId: company.id, record, ended: false, lockLost }));
    await done;
  }

  private async saveProgress(runId: string, run: ExportRun): Promise<void> {
    await this.deps.store.runs
      .update(runId, { phase: run.phase, progress: run.progress, counts: { ...run.counts }, processLogId: run.processLogId })
      .catch((err) => this.deps.logger.warn({ err: errorMessage(err) }, 'could not save run progress'));
  }
}
