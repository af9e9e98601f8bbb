// One export run for one Company: customers and products (side by side), then invoices, each through the one
// pipeline, then the requested numbers it could not export, and a Process Log of every outcome. Whatever ends
// the run, what the target confirmed is written back and logged before the run closes.
import type { Logger } from 'pino';
import { LedgerlineError, QuickBooksUnauthorizedError, errorMessage } from '../errors';
import type { IdempotencyRepository, JournalRepository } from '../store/types';
import * as entry from './entries';
import type { CompanyModel, ExportOptions } from './model';
import { runKind, type PipelineDeps } from './pipeline';
import { PlanBook, type PlanView } from './plan/decision';
import { WriteBackFailed, type ProcessLogPort, type SourcePort, type WriteBackPort, type WriteBackRefusal } from './ports';
import { RunLog } from './runLog';
import { TargetError, type AccountingTarget } from './target';
import type { RunContext } from './kinds/context';
import { customerKind } from './kinds/customers';
import { invoiceKind } from './kinds/invoices';
import { creditApplicationKind, paymentKind } from './kinds/payments';
import { productKind } from './kinds/products';
import { requestedEntries } from './requested';

export type Phase = 'starting' | 'customers' | 'products' | 'invoices' | 'payments' | 'writeBack' | 'processLog' | 'done';
export const PROGRESS_PHASES = ['customers', 'products', 'invoices', 'payments', 'writeBack'] as const;
type ProgressPhase = (typeof PROGRESS_PHASES)[number];
export type Progress = Record<ProgressPhase, { done: number; total: number }>;

/** Decisions a dry run keeps for its answer. */
const PLAN_KEEP = 10_000;

export interface RunDeps {
  source: SourcePort;
  /** Opens the company's accounting target (authorization included). */
  target: () => Promise<AccountingTarget>;
  /** `expected`: how many write-backs the run expects (large runs may write back another way). */
  writeBack: (onRefused: (refusal: WriteBackRefusal) => void, expected: number) => WriteBackPort;
  processLog: ProcessLogPort;
  journal: JournalRepository;
  keys: IdempotencyRepository;
  logger: Logger;
  vendorClashSuffix: string;
  now: () => Date;
  /** Throws when the run must stop (its lock was lost, or the process is shutting down). */
  checkpoint: () => void;
  /** Called (throttled) when progress or counts moved. */
  onProgress?: () => void;
  /** Waits while the source system's API allowance is low (saying so once); the run goes on after. */
  gate?: (run: { note(e: entry.LogEntry): void; wait(w: { reason: string; until: Date } | null): void }) => Promise<void>;
}

export interface RunOutcome {
  status: 'succeeded' | 'completed_with_errors' | 'failed';
  error: { code: string; message: string } | null;
}

export class ExportRun {
  readonly progress: Progress = {
    customers: { done: 0, total: 0 },
    products: { done: 0, total: 0 },
    invoices: { done: 0, total: 0 },
    payments: { done: 0, total: 0 },
    writeBack: { done: 0, total: 0 },
  };
  phase: Phase = 'starting';
  /** What the run waits for now (a rate limit, the org's API allowance), if anything. */
  waiting: { reason: string; until: string } | null = null;
  private readonly book: PlanBook;
  private readonly log: RunLog;
  private writeBack: WriteBackPort | null = null;

  constructor(
    private readonly deps: RunDeps,
    private readonly runId: string,
    private readonly company: CompanyModel,
    private readonly options: ExportOptions,
  ) {
    this.book = new PlanBook(options.dryRun ? PLAN_KEEP : 0);
    this.log = new RunLog(deps.processLog, options.dryRun);
  }

  get processLogId(): string | null {
    return this.log.id;
  }

  get counts(): entry.RunCounts {
    return this.log.counts;
  }

  /** A dry run's whole plan; a real run's totals. */
  get plan(): PlanView {
    return this.book.view();
  }

  /** Entries the run's answer carries: every entry of a dry run, the warnings and errors of a real one. */
  get entries(): entry.LogEntry[] {
    return this.log.kept;
  }

  /** Runs the export to the end. Never throws: a failure ends the run `failed` with its reason logged. */
  async execute(): Promise<RunOutcome> {
    let error: RunOutcome['error'] = null;
    try {
      await this.log.open(this.runId, this.company.id, this.deps.now());
      const counts = await this.deps.source.counts(this.company, this.options);
      this.progress.customers.total = counts.customers;
      this.progress.products.total = counts.products;
      this.progress.invoices.total = counts.invoices;
      this.progress.payments.total = counts.payments ?? 0;
      this.progress.writeBack.total = this.options.dryRun ? 0 : counts.customers + counts.products + counts.invoices + (counts.payments ?? 0);
      this.changed();
      const target = await this.deps.target();
      const settings = await target.settings();
      if (!settings.customNumbers && this.company.numbering === 'source') this.note(entry.customNumbersOff(settings.companyName ?? this.company.name));
      this.writeBack = this.options.dryRun ? null : this.deps.writeBack((refusal) => this.refusedWriteBack(refusal), this.progress.writeBack.total);
      await this.exportAll({
        company: this.company,
        target,
        settings,
        dryRun: this.options.dryRun,
        customers: new Map(),
        items: new Map(),
        invoices: new Map(),
        receiptPayments: new Set(),
        now: this.deps.now,
        vendorClashSuffix: this.deps.vendorClashSuffix,
      });
    } catch (err) {
      error = this.failure(err);
    }
    // What the target confirmed reaches Salesforce before the run closes, whatever stopped it.
    try {
      this.phase = 'writeBack';
      this.changed();
      await this.writeBack?.commit();
    } catch (err) {
      this.deps.logger.error({ runId: this.runId, err: errorMessage(err) }, 'write-back failed');
      error ??= this.failure(err);
    }
    const status: RunOutcome['status'] = error ? 'failed' : this.counts.errors > 0 ? 'completed_with_errors' : 'succeeded';
    this.phase = 'processLog';
    this.changed();
    try {
      await this.log.close(this.company.name, status, error?.message ?? null, this.deps.now(), this.options.dryRun ? this.book.totals : undefined);
    } catch (err) {
      this.deps.logger.error({ err: errorMessage(err), runId: this.runId }, 'could not write the Process Log');
      error ??= { code: 'PROCESS_LOG_FAILED', message: `The export finished but its Process Log could not be saved: ${errorMessage(err)}` };
    }
    this.phase = 'done';
    if (this.writeBack) this.progress.writeBack = { done: this.writeBack.committed, total: this.writeBack.committed };
    this.changed();
    return { status: error ? 'failed' : status, error };
  }

  private async exportAll(run: RunContext): Promise<void> {
    const pipeline = (phase: ProgressPhase): PipelineDeps => ({
      companyId: this.company.id,
      runId: this.runId,
      dryRun: this.options.dryRun,
      target: run.target,
      journal: this.deps.journal,
      keys: this.deps.keys,
      writeBack: this.writeBack ?? noWriteBack,
      plan: this.book,
      log: (e) => this.note(e),
      checkpoint: this.deps.checkpoint,
      gate: this.deps.gate ? () => this.deps.gate!({ note: (e) => this.note(e), wait: (w) => this.wait(w) }) : undefined,
      progress: (n) => this.advance(phase, n),
    });
    const { source } = this.deps;
    if (run.target.deliversLater && !run.dryRun && !this.options.pendingOnly) await this.markPending(run);
    this.phase = 'customers';
    // Customers and items do not depend on each other: both go at once; invoices need both.
    const settled = await Promise.allSettled([
      runKind(pipeline('customers'), customerKind(run), source.customers(this.company)),
      runKind(pipeline('products'), productKind(run), source.products(this.company)),
    ]);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    this.phase = 'invoices';
    const invoices = invoiceKind(run, this.deps.journal, new Set(this.options.invoiceNumbers ?? []));
    await runKind(pipeline('invoices'), invoices, source.invoices(this.company, this.options));
    // Payments are read by their invoice's Transferred flag: what this run exported is written back first.
    await this.writeBack?.commit();
    this.phase = 'payments';
    if (this.company.exportsPayments) await runKind(pipeline('payments'), paymentKind(run, this.deps.journal), source.payments(this.company));
    await runKind(pipeline('payments'), creditApplicationKind(run, this.deps.journal), source.creditApplications(this.company));
    if (this.options.invoiceNumbers?.length) {
      const missing = this.options.invoiceNumbers.filter((n) => !invoices.seen.has(n));
      if (missing.length) {
        for (const e of requestedEntries(missing, await source.requestedInvoices(missing), this.company, this.options)) {
          this.book.add('invoice', {
            recordId: e.recordId ?? '',
            recordName: e.recordName ?? '',
            action: e.level === 'ERROR' ? 'fail' : 'skip',
            message: e.message,
            fix: e.fix,
          });
          this.note(e);
        }
      }
    }
  }

  /** Every invoice of the run shows as pending in Salesforce until the target's connector takes it. */
  private async markPending(run: RunContext): Promise<void> {
    for await (const page of this.deps.source.invoices(this.company, this.options)) {
      for (const invoice of page) this.writeBack!.register({ kind: 'invoicePending', subject: { id: invoice.id, name: invoice.number } });
      await this.writeBack!.flushIfDue();
    }
    await this.writeBack!.commit();
    this.deps.logger.info({ runId: this.runId, target: run.target.system }, 'invoices queued for the accounting system');
  }

  private refusedWriteBack({ reason, update }: WriteBackRefusal): void {
    const kind = update.kind === 'invoiceFailed' || update.kind === 'invoicePending' ? 'invoice' : update.kind === 'creditApplied' ? 'payment' : update.kind;
    this.note(entry.writeBackRefused(kind, update.subject, 'targetId' in update ? update.targetId : undefined, reason));
  }

  private note(e: entry.LogEntry): void {
    this.log.add(e);
  }

  private advance(phase: ProgressPhase, n: number): void {
    const p = this.progress[phase];
    p.done += n;
    if (p.done > p.total) p.total = p.done;
    if (this.writeBack) this.progress.writeBack.done = this.writeBack.committed;
    this.changed();
  }

  /** Shown on the page while it lasts. */
  wait(w: { reason: string; until: Date } | null): void {
    this.waiting = w ? { reason: w.reason, until: w.until.toISOString() } : null;
    this.changed();
  }

  private changed(): void {
    this.deps.onProgress?.();
  }

  private failure(err: unknown): { code: string; message: string } {
    if (err instanceof WriteBackFailed) {
      const message =
        `QuickBooks has what this export created, but Salesforce did not take ${err.owed} of the QuickBooks links back (${err.message}). ` +
        'They are kept, and written back by themselves once Salesforce answers again (or by the next export); nothing will be created twice.';
      this.note(entry.runStopped(this.company.name, message));
      return { code: 'WRITE_BACK_PENDING', message };
    }
    const fault = err instanceof TargetError ? err.fault : undefined;
    if (err instanceof QuickBooksUnauthorizedError || fault?.class === 'unauthorized') {
      const e = err instanceof QuickBooksUnauthorizedError ? err : new QuickBooksUnauthorizedError('401', err);
      this.note(entry.unauthorized(this.company.name, e.message, e.fix!));
      return { code: e.code, message: e.message };
    }
    const code =
      err instanceof LedgerlineError
        ? err.code
        : fault
          ? fault.class === 'transient' || fault.class === 'throttled'
            ? 'QBO_UNAVAILABLE'
            : 'QBO_REFUSED'
          : 'EXPORT_FAILED';
    const message = `The export stopped: ${errorMessage(err)}`;
    this.deps.logger.error({ runId: this.runId, code, err: errorMessage(err) }, 'export failed');
    this.note(entry.runStopped(this.company.name, message, fault));
    return { code, message };
  }
}

const noWriteBack: WriteBackPort = {
  register: () => undefined,
  flushIfDue: async () => undefined,
  commit: async () => undefined,
  registered: 0,
  committed: 0,
};
