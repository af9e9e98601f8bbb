// One export run for one Company: customers and products (side by side), then invoices, each through the one
// pipeline, then the requested numbers it could not export, and a Process Log of every outcome. Whatever ends
// the run, what the target confirmed is written back and logged before the run closes.
import type { Logger } from 'pino';
import type { ErrorCode } from '../contract/errorCodes';
import { errorMessage } from '../errors';
import type { IdempotencyRepository, JournalRepository } from '../store/types';
import * as entry from './entries';
import type { CompanyModel, ExportOptions, SourceInvoice, SourcePayment } from './model';
import type { KindDescriptor } from './descriptor';
import { runKind, tap, type PipelineDeps } from './pipeline';
import { PlanBook, type PlanView } from './plan/decision';
import { NO_WRITE_BACK, type ProcessLogPort, type SourcePort, type WriteBackPort, type WriteBackRefusal } from './ports';
import { RunLog } from './runLog';
import type { AccountingTarget, TargetUsage, TargetWait } from './target';
import type { RunContext } from './kinds/context';
import { customerKind } from './kinds/customers';
import { invoiceKind } from './kinds/invoices';
import { NumberingChanged, preferenceNotes } from './preferences';
import { creditApplicationKind, paymentKind } from './kinds/payments';
import { productKind } from './kinds/products';
import { requestedDecision, requestedEntries } from './requested';
import { checkExportedEdits } from './edits/check';
import { mappingView } from './plan/fieldMappings';
import { checkedMappings, mappedFields, runContext } from './runStart';
import { runFailure } from './runFailure';
import { RecordsRetry, type RetryLinkPort } from './retry';
import { READY_FIRST, readyFirst, Upstream } from './readyFirst';

export type Phase = 'starting' | 'customers' | 'products' | 'invoices' | 'payments' | 'writeBack' | 'processLog' | 'done';
export const PROGRESS_PHASES = ['customers', 'products', 'invoices', 'payments', 'writeBack'] as const;
type ProgressPhase = (typeof PROGRESS_PHASES)[number];
export type Progress = Record<ProgressPhase, { done: number; total: number }>;

/** Invoice batches in flight or queued at once (other kinds keep a window's allowance: target.batchesInFlight). */
const INVOICE_BATCHES_IN_FLIGHT = 10;

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
  /** Keeps Process Log entries the source system did not take at the end of the run, to write them later. */
  oweLogEntries?: (logId: string, entries: { sequence: number; entry: entry.LogEntry }[]) => Promise<void>;
  /** When the company's previous export started: exported invoices changed since are checked (edits/check.ts). */
  previousExportStart?: () => Promise<Date | null>;
  /** Waits while the source system's API allowance is low (saying so once); the run goes on after. */
  gate?: (run: { note(e: entry.LogEntry): void; wait(w: { reason: string; until: Date } | null): void }) => Promise<void>;
  /** Marks the Process Log errors a run limited to named records takes up (a retry). */
  retryLinks?: RetryLinkPort;
}

/** An invoice's customer and every line's item are linked in this run: it is planned as after those phases. */
function partsLinked(run: RunContext, invoice: SourceInvoice): boolean {
  return Boolean(invoice.customerId && run.customers.has(invoice.customerId) && invoice.lines.every((l) => l.productId && run.items.has(l.productId)));
}

export interface RunOutcome {
  status: 'succeeded' | 'completed_with_errors' | 'failed';
  error: { code: ErrorCode; message: string } | null;
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
  waiting: { reason: string; until: string; cause?: TargetWait['cause'] } | null = null;
  private target: AccountingTarget | null = null;
  /** Limits the target was refused for in this run: each is logged once. */
  private readonly limitsMet = new Set<string>();
  private readonly book: PlanBook;
  private readonly log: RunLog;
  private writeBack: WriteBackPort | null = null;
  /** Records finished: a later phase's held records are looked at again. */
  private moved: () => void = () => undefined;
  /** A run limited to named records: how each of them goes. */
  private readonly retry: RecordsRetry | null;

  constructor(
    private readonly deps: RunDeps,
    private readonly runId: string,
    private readonly company: CompanyModel,
    private options: ExportOptions,
  ) {
    this.retry = options.records ? new RecordsRetry(options.records, { ...deps, runId, company }) : null;
    this.book = new PlanBook(options.dryRun ? PLAN_KEEP : 0);
    this.log = new RunLog(deps.processLog, options.dryRun, {
      successes: company.logSuccesses,
      retentionDays: company.logRetentionDays,
      owe: deps.oweLogEntries,
    });
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

  /** What the run spent of the target's metered allowances (QuickBooks reads), once the target is open. */
  get usage(): TargetUsage | null {
    return this.target?.usage?.() ?? null;
  }

  /** Runs the export to the end. Never throws: a failure ends the run `failed` with its reason logged. */
  async execute(): Promise<RunOutcome> {
    let error: RunOutcome['error'] = null;
    try {
      await this.log.open(this.runId, this.company.id, this.deps.now());
      this.changed(); // the log's id is saved with the run at once
      if (this.retry) this.options = { ...this.options, scope: await this.retry.open(this.log.id) };
      const counts = await this.deps.source.counts(this.company, this.options);
      this.progress.customers.total = counts.customers;
      this.progress.products.total = counts.products;
      this.progress.invoices.total = counts.invoices;
      this.progress.payments.total = counts.payments ?? 0;
      this.progress.writeBack.total = this.options.dryRun ? 0 : counts.customers + counts.products + counts.invoices + (counts.payments ?? 0);
      this.log.expect(counts.customers + counts.products + counts.invoices + (counts.payments ?? 0));
      this.changed();
      const target = (this.target = await this.deps.target());
      const settings = await target.settings();
      // Field mappings are checked before anything is read or sent: a bad one stops the run with one entry.
      const mappings = await checkedMappings(this.deps.source, this.company, target, settings);
      if (mappings.length) this.book.setMappings(mappingView(mappings));
      preferenceNotes(this.company, settings).forEach((e) => this.note(e));
      this.writeBack = this.options.dryRun ? null : this.deps.writeBack((refusal) => this.refusedWriteBack(refusal), this.progress.writeBack.total);
      await this.exportAll(
        runContext({
          runId: this.runId,
          company: this.company,
          target,
          settings,
          dryRun: this.options.dryRun,
          mappings,
          source: this.deps.source,
          now: this.deps.now,
          vendorClashSuffix: this.deps.vendorClashSuffix,
          journal: this.deps.journal,
        }),
      );
    } catch (err) {
      error = this.failure(err);
    }
    await this.target
      ?.finish?.()
      .catch((err) => this.deps.logger.warn({ runId: this.runId, err: errorMessage(err) }, 'could not tell the target the run sent everything'));
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
    if (this.log.id) await this.retry?.close(this.log.id, error ? 'failed' : status);
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
      writeBack: this.writeBack ?? NO_WRITE_BACK,
      plan: this.book,
      log: (e) => this.note(e),
      checkpoint: this.deps.checkpoint,
      gate: this.deps.gate ? () => this.deps.gate!({ note: (e) => this.note(e), wait: (w) => this.wait(w) }) : undefined,
      progress: (n) => this.advance(phase, n),
      now: this.deps.now,
    });
    const { source } = this.deps;
    if (run.target.deliversLater && !run.dryRun && !this.options.pendingOnly) await this.markPending(run);
    this.phase = 'customers';
    // Customers and items do not depend on each other: both go at once; invoices need both.
    const { scope } = this.options;
    // A real run to QuickBooks Online overlaps its phases (readyFirst.ts): invoices whose customer and items are
    // linked go while those phases run, payments whose invoice exists while the invoices do. Not in a dry run (its
    // plan reads phase by phase), not to a target that takes work later, not with several currencies (an invoice may
    // create a second customer by name while the customers phase could create the same name).
    const overlap = !run.dryRun && !run.target.deliversLater && !(run.settings.multiCurrency && run.target.capabilities?.currencies === true);
    const entities = new Upstream();
    const invoiced = new Upstream();
    this.moved = () => (entities.moved(), invoiced.moved());
    let stopped = false;
    const entityPhases = Promise.allSettled([
      runKind(pipeline('customers'), customerKind(run), source.customers(this.company, this.options)),
      runKind(pipeline('products'), productKind(run), source.products(this.company, scope)),
    ]);
    // The requested numbers the run read: the others are named with their reason at the end.
    const requested = new Set(this.options.invoiceNumbers ?? []);
    const seen = new Set<string>();
    const read = tap(source.invoices(this.company, this.options, mappedFields(run.mappings)), (page) =>
      page.forEach((i) => requested.has(i.number) && seen.add(i.number)),
    );
    // The invoice phase alone stops when QuickBooks' numbering changes under it: nothing more is sent from then on.
    const invoices = invoiceKind(run);
    // Its batches already queued at the target still go after a change: fewer of them wait than of other kinds.
    const invoicePipeline = { ...pipeline('invoices'), maxInFlight: INVOICE_BATCHES_IN_FLIGHT };
    const checkpoint = () => (invoicePipeline.checkpoint(), invoices.numbering.assertHeld());
    const invoicePhase = (pages: AsyncIterable<SourceInvoice[]>) =>
      runKind({ ...invoicePipeline, checkpoint }, invoices, pages).catch((err: unknown) => {
        if (!(err instanceof NumberingChanged)) throw err;
      });
    const early = overlap
      ? invoicePhase(
          readyFirst(
            read,
            (i) => partsLinked(run, i),
            entities,
            () => stopped,
          ),
        )
      : null;
    early?.catch(() => undefined); // awaited below, after the phases it overlaps
    const failed = (await entityPhases).find((s): s is PromiseRejectedResult => s.status === 'rejected');
    entities.end();
    if (failed) {
      stopped = true;
      await early?.catch(() => undefined);
      throw failed.reason;
    }
    // A phase that ended writes its links back while the next ones run (one bulk job per object, as at the end).
    const flushed = overlap ? [this.writeBack?.commitKinds?.(['customer', 'product'])] : [];
    this.phase = 'invoices';
    // One payments descriptor for both passes: what the first sent, the second knows (references, matches claimed).
    const paymentsKind = paymentKind(run);
    const payments = overlap && this.company.exportsPayments ? this.earlyPayments(run, paymentsKind, pipeline('payments'), invoiced, () => stopped) : null;
    payments?.catch(() => undefined);
    try {
      await (early ?? invoicePhase(read));
    } catch (err) {
      stopped = true;
      invoiced.end();
      await payments?.catch(() => undefined);
      throw err;
    }
    invoiced.end();
    if (overlap) flushed.push(this.writeBack?.commitKinds?.(['invoice', 'invoiceFailed']));
    if (invoices.numbering.change) this.note(entry.numberingChanged(run.settings.companyName ?? this.company.name, invoices.numbering.change));
    if (payments) {
      this.phase = 'payments';
      await payments;
    }
    // Payments (the rest, when some went with the invoices) and credit applications are read by their invoice's
    // QuickBooks id and Transferred flag: what this run exported is written back first.
    await Promise.all(flushed);
    await this.writeBack?.commit();
    this.phase = 'payments';
    if (this.company.exportsPayments) await runKind(pipeline('payments'), paymentsKind, source.payments(this.company, scope));
    await runKind(pipeline('payments'), creditApplicationKind(run), source.creditApplications(this.company, scope));
    this.retry?.nothingToSend().forEach((e) => this.note(e));
    const since = (await this.deps.previousExportStart?.()) ?? null;
    await checkExportedEdits({ run, source, journal: this.deps.journal, since, plan: this.book, log: (e) => this.note(e), checkpoint: this.deps.checkpoint });
    if (this.options.invoiceNumbers?.length) {
      const missing = this.options.invoiceNumbers.filter((n) => !seen.has(n));
      for (const e of missing.length ? requestedEntries(missing, await source.requestedInvoices(missing), this.company, this.options) : []) {
        this.book.add('invoice', requestedDecision(e));
        this.note(e);
      }
    }
  }

  /**
   * Payments whose invoice this run exported (and keeps for them) go while the invoices do. The rest are read again
   * once the invoices are written back, with the QuickBooks ids the source then holds.
   */
  private earlyPayments(
    run: RunContext,
    kind: KindDescriptor<SourcePayment, 'payment'>,
    deps: PipelineDeps,
    invoiced: Upstream,
    stopped: () => boolean,
  ): Promise<void> {
    const pages = this.deps.source.payments(this.company, this.options.scope);
    const ready = (p: SourcePayment) => run.invoices.has(p.invoiceId);
    return runKind(deps, kind, readyFirst(pages, ready, invoiced, stopped, { ...READY_FIRST, rest: 'later' }));
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

  /** Adds an entry to the run's Process Log (the target's own notes come here too). */
  note(e: entry.LogEntry): void {
    this.retry?.see(e);
    this.log.add(e);
  }

  private advance(phase: ProgressPhase, n: number): void {
    this.moved();
    const p = this.progress[phase];
    p.done += n;
    if (p.done > p.total) p.total = p.done;
    if (this.writeBack) this.progress.writeBack.done = this.writeBack.committed;
    this.changed();
  }

  /** Shown on the page while it lasts; a limit the target was refused for is logged too, once a run. */
  wait(w: TargetWait | null): void {
    this.waiting = w ? { reason: w.reason, until: w.until.toISOString(), ...(w.cause ? { cause: w.cause } : {}) } : null;
    if (w?.cause && w.cause !== 'pacing' && !this.limitsMet.has(w.cause)) {
      this.limitsMet.add(w.cause);
      this.note(entry.quickBooksLimit(this.company.name, w.cause, w.until));
    }
    this.changed();
  }

  private changed(): void {
    this.deps.onProgress?.();
  }

  private failure(err: unknown): { code: ErrorCode; message: string } {
    const { code, message, entry: said, unexpected } = runFailure(err, this.company.name);
    if (unexpected) this.deps.logger.error({ runId: this.runId, code, err: errorMessage(err) }, 'export failed');
    this.note(said);
    return { code, message };
  }
}
