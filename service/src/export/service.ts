// Use cases behind the HTTP API and the CLI: the page summary (summary.ts), starting an export (one per Company at a
// time, across every instance sharing the store), executing it (execution.ts) and a run's status. The accounting
// target, the source records and the connection state come through ports; this module knows neither QuickBooks nor
// Salesforce.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage, notFound } from '../errors';
import type { ExportJob, JobQueue } from '../jobs/queue';
import type { RunRecord, Store } from '../store/types';
import type { SourceAllowance } from './allowance';
import type { CompanyModel, ExportOptions } from './model';
import type { ProcessLogPort, SourcePort, WriteBackPort, WriteBackRefusal } from './ports';
import { RunExecutions, type RunEnd } from './execution';
import type { RetryLinkPort } from './retry';
import type { TargetFactory } from './target';
import { lockKey } from './companyLock';
import { markInterrupted, MAX_RESUMES, resumeDepth } from './interrupted';
import { OwedWriteBacks } from './owedWriteBacks';
import { ExportSchedules, type ScheduleView } from './schedules';
import { HeldReads } from './heldReads';
import { companySummary, type PageCounts, type SummaryDeps } from './summary';
import { runView, type CompanySummary, type RunView, type TargetStatus } from './views';

export interface ExportServiceDeps {
  store: Store;
  source: SourcePort;
  targets: TargetFactory;
  writeBack: (company: CompanyModel, onRefused: (refusal: WriteBackRefusal) => void, expected?: number) => WriteBackPort;
  processLog: ProcessLogPort;
  /** The company's connection, connector and whether its invoices queue, as its target's side answers them. */
  targetStatus: (company: CompanyModel) => Promise<TargetStatus>;
  /** The company's latest Process Logs with their entries, newest first. */
  processLogs: (companyId: string, limit: number) => Promise<unknown[]>;
  vendorClashSuffix: string;
  logger: Logger;
  /** Called when a real run of a company starts (a pull-based target forgets what was queued or taken back before). */
  onRunStart?: (company: CompanyModel, runId: string) => Promise<void>;
  /** The company's QuickBooks status syncs as the page shows them (summary.ts). */
  statusSync?: SummaryDeps['statusSync'];
  /** Where runs execute (pg-boss with several instances); unset: in this process. */
  queue?: JobQueue;
  /** This instance, as runs record who executes them. */
  instanceId?: string;
  /** The source system's API allowance: a run pauses (and says so) while it is low. */
  allowance?: SourceAllowance;
  /** Waits before each background attempt to finish a write-back Salesforce did not take (default 30 s, doubling). */
  finishWriteBackDelaysMs?: number[];
  /** How long the page's reads of a company (its settings and counts) are reused; a run of the company forgets them. */
  summaryFreshMs?: number;
  /** Where a person opens a record of the source system (its Lightning record page). */
  recordUrl?: (objectApiName: string, recordId: string) => string;
  /** The org's API allowance is down to its reserve: the page's reads are reused however old. */
  atReserve?: () => boolean;
  /** How long a run's Company lock lives without a heartbeat (a crashed process frees it this long after). */
  lockLeaseMs?: number;
  /** Marks the Process Log errors a retry (an export of named records) takes up, and how each ended. */
  retryLinks?: RetryLinkPort;
  /** A real run ended: one that failed or ended with errors is announced to the company's admins. */
  runFinished?: (run: RunEnd) => void;
  now?: () => Date;
}

export class ExportService {
  private readonly executions: RunExecutions;
  private readonly now: () => Date;
  private stopping = false;
  private readonly owed: OwedWriteBacks;
  private readonly schedules: ExportSchedules;
  /** The page's reads per company: its settings (by the id or name asked for) and its counts (by id). */
  private readonly companyReads: HeldReads<CompanyModel>;
  private readonly countReads: HeldReads<PageCounts>;

  constructor(private readonly deps: ExportServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    const held = { freshMs: deps.summaryFreshMs ?? 60_000, now: this.now, atReserve: deps.atReserve ?? (() => false) };
    this.companyReads = new HeldReads(held);
    this.countReads = new HeldReads(held);
    this.owed = new OwedWriteBacks({
      ...deps,
      lockLeaseMs: this.lease,
      delaysMs: deps.finishWriteBackDelaysMs,
      company: (id) => this.company(id),
    });
    this.executions = new RunExecutions({
      ...deps,
      lease: this.lease,
      now: this.now,
      company: (id) => this.company(id),
      stopping: () => this.stopping,
      writeBackPending: (companyId) => this.owed.retryLater(companyId),
      runEnded: (companyId) => this.forgetPageReads(companyId),
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

  /** A company as the page needs it: reused for a while (see HeldReads), not read from the source on every view. */
  private async pageCompany(idOrName: string): Promise<CompanyModel> {
    return (await this.companyReads.get(idOrName, () => this.company(idOrName))).value;
  }

  /** The page's reads of a company (or of every company) are stale: once a run of it starts or ends, say. */
  forgetPageReads(companyId?: string): void {
    this.companyReads.forget();
    this.countReads.forget(companyId);
  }

  async summary(companyId: string): Promise<CompanySummary> {
    const company = await this.pageCompany(companyId);
    return companySummary(this.deps, company, this.schedules, this.countReads);
  }

  /** Starts an export in the background; 409 with the running run's id when one is already going. */
  async start(companyId: string, options: ExportOptions, resumedFrom?: string): Promise<{ runId: string }> {
    if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service is shutting down; try again in a moment.', { status: 503 });
    // A press while the company's export runs is refused from the store alone: it costs the org no API call.
    const running = await this.deps.store.locks.holder(lockKey(companyId));
    if (running) throw exportRunning(running.owner);
    const company = await this.pageCompany(companyId);
    const runId = randomUUID();
    if (!(await this.deps.store.locks.acquire(lockKey(company.id), runId, this.lease))) {
      throw exportRunning((await this.deps.store.locks.holder(lockKey(company.id)))?.owner);
    }
    this.forgetPageReads(company.id);
    // A run still marked running without its lock was cut off by a crash: close it (and its Process Log).
    const previous = await this.deps.store.runs.latestForCompany(company.id);
    if (previous) await this.closeIfInterrupted(previous, false);
    await this.deps.store.runs.create({ id: runId, companyId: company.id, dryRun: options.dryRun, options: { ...options }, resumedFrom: resumedFrom ?? null });
    if (!options.dryRun) await this.deps.onRunStart?.(company, runId);
    // Runs execute where a worker takes them (any instance sharing the store, for every target).
    const job = { runId, companyId: company.id };
    if (!this.deps.queue) {
      void this.execute(job).catch((err) => this.deps.logger.error({ runId, err: errorMessage(err) }, 'export job failed'));
    } else await this.deps.queue.send(job);
    this.deps.logger.info({ runId, companyId: company.id, dryRun: options.dryRun, resumedFrom }, 'export queued');
    return { runId };
  }

  /** Executes a queued run, on whichever instance took its job (see execution.ts). */
  execute(job: ExportJob): Promise<void> {
    return this.executions.execute(job);
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
    // A run going on here is answered from memory: the page and API clients poll every second or faster, and a
    // store read per poll was a large share of a long run's CPU. Other instances' runs come from the store.
    const running = this.executions.runningRecord(runId);
    if (running) return runView(running, this.executions.live(runId), this.deps.recordUrl);
    const found = await this.deps.store.runs.get(runId);
    if (!found) throw notFound(`Export run ${runId}`);
    const record = await this.closeIfInterrupted(found);
    return runView(record, this.executions.live(runId), this.deps.recordUrl);
  }

  /** The company's running export on any instance, if any, with its progress (a pull-based target's connector reports it). */
  async running(companyId: string): Promise<{ runId: string; progress: RunRecord['progress'] } | null> {
    const holder = await this.deps.store.locks.holder(lockKey(companyId));
    if (!holder) return null;
    const live = this.executions.live(holder.owner);
    if (live) return { runId: holder.owner, progress: live.progress };
    const record = await this.deps.store.runs.get(holder.owner);
    return record?.status === 'running' ? { runId: record.id, progress: record.progress } : null;
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
    if (record.status !== 'running' || this.executions.holds(record.id)) return record;
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
    await this.executions.drain();
  }
}

function exportRunning(runId: string | undefined): LedgerlineError {
  return new LedgerlineError('EXPORT_RUNNING', 'An export is already running for this company.', { status: 409, details: { runId } });
}
