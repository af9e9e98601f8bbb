// QuickBooks links Salesforce did not take when a run wrote back: kept in the journal (detail.owed) and written
// from there — no export, nothing sent to QuickBooks again — in the background after such a run, waiting longer
// each time, and skipped while the company's export runs (that run writes them itself). Process Log entries a run
// could not write are kept in the store the same way and added to their log then, in order.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import type { Store } from '../store/types';
import { lockKey } from './companyLock';
import type { CompanyModel } from './model';
import type { ProcessLogPort, WriteBackPort, WriteBackRefusal, WriteBackUpdate } from './ports';
import { pushTo } from '../collections';

export interface OwedWriteBacksDeps {
  store: Store;
  writeBack: (company: CompanyModel, onRefused: (refusal: WriteBackRefusal) => void) => WriteBackPort;
  logger: Logger;
  lockLeaseMs: number;
  /** Waits before each background attempt (default 30 s, doubling, five times). */
  delaysMs?: number[];
  company: (companyId: string) => Promise<CompanyModel>;
  processLog: ProcessLogPort;
}

const DELAYS_MS = [30_000, 60_000, 120_000, 240_000, 480_000];

export class OwedWriteBacks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: OwedWriteBacksDeps) {}

  /** Writes the owed links of the company; null while its export runs. `left`: those Salesforce refused again. */
  async finish(company: CompanyModel): Promise<{ written: number; left: number } | null> {
    const owner = `write-back:${randomUUID()}`;
    if (!(await this.deps.store.locks.acquire(lockKey(company.id), owner, this.deps.lockLeaseMs))) return null;
    try {
      let refused = 0;
      const writeBack = this.deps.writeBack(company, (r) => {
        refused++;
        this.deps.logger.warn({ companyId: company.id, recordId: r.update.subject.id, reason: r.reason }, 'Salesforce refused a QuickBooks link it was owed');
      });
      let owedCount = 0;
      for (const kind of ['customer', 'product', 'invoice', 'payment'] as const) {
        for (const entry of await this.deps.store.journal.listByState(company.id, kind, ['created'])) {
          const update = entry.detail.owed as WriteBackUpdate | undefined;
          if (!update) continue;
          owedCount++;
          writeBack.register(update, entry);
        }
      }
      await writeBack.commit();
      const written = writeBack.committed - refused;
      if (owedCount) this.deps.logger.info({ companyId: company.id, written, refused }, 'QuickBooks links written back to Salesforce');
      await this.writeOwedEntries(company.id);
      return { written, left: refused };
    } finally {
      await this.deps.store.locks.release(lockKey(company.id), owner).catch(() => undefined);
    }
  }

  /** Adds the entries a run could not write to their logs, each log's in order; kept until Salesforce takes them. */
  private async writeOwedEntries(companyId: string): Promise<void> {
    const byLog = new Map<string, { sequence: number; entry: import('./entries').LogEntry }[]>();
    for (const owed of await this.deps.store.owedLogEntries.list(companyId)) pushTo(byLog, owed.logId, owed);
    for (const [logId, owed] of byLog) {
      await this.deps.processLog.append(
        logId,
        owed.map((o) => o.entry),
        owed[0]!.sequence,
      );
      await this.deps.store.owedLogEntries.remove(
        logId,
        owed.map((o) => o.sequence),
      );
      this.deps.logger.info({ companyId, logId, entries: owed.length }, 'Process Log entries written to Salesforce later');
    }
  }

  /** After a run whose write-back failed: try again in the background, waiting longer each time. */
  retryLater(companyId: string, attempt = 0): void {
    const wait = (this.deps.delaysMs ?? DELAYS_MS)[attempt];
    if (wait === undefined || this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deps
        .company(companyId)
        .then((company) => this.finish(company))
        .then((done) => {
          if (!done) this.retryLater(companyId, attempt); // an export runs: it writes back itself
        })
        .catch((err) => {
          this.deps.logger.warn({ companyId, attempt, err: errorMessage(err) }, 'write-back still not taken by Salesforce');
          this.retryLater(companyId, attempt + 1);
        });
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}
