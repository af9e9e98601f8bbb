// The QuickBooks status sync's use cases: request a sync (by hand, by schedule, by a webhook — a company has at most
// one waiting, which later requests join), run it on whichever instance takes its job (one sync per company at a
// time, across instances, by the company's status-sync lock), show it, schedule it, and close the syncs a dead
// instance left running.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage, notFound } from '../errors';
import type { CompanyModel } from '../export/model';
import type { ExportJob, JobQueue } from '../jobs/queue';
import type { StatusSyncRecord, StatusSyncTrigger, Store } from '../store/types';
import { interrupted, lockLost, NOT_CONNECTED, syncError } from './messages';
import type { ChangeFeed } from './model';
import type { StatusSourcePort } from './ports';
import { runStatusSync } from './sync';
import { statusSyncView, type StatusSyncPageView, type StatusSyncView } from './views';

export interface StatusSyncServiceDeps {
  store: Store;
  queue: JobQueue;
  instanceId: string;
  logger: Logger;
  /** The company's status-sync lock lives this long without a heartbeat. */
  lockLeaseMs: number;
  /** Minutes between scheduled syncs of a company that has not set its own (0: none). */
  defaultEveryMinutes: number;
  company(idOrName: string): Promise<CompanyModel>;
  /** Whether the company's accounting connection can be used (Online: connected; Desktop: its Web Connector user set up). */
  connected(company: CompanyModel): Promise<boolean>;
  feed(company: CompanyModel): Promise<ChangeFeed>;
  source: StatusSourcePort;
  /** Owed records read from the store at a time when writing to the source system (default 500). */
  pageSize?: number;
  now?: () => Date;
}

export function statusSyncLockKey(companyId: string): string {
  return `status-sync:${companyId}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StatusSyncService {
  private readonly now: () => Date;
  private stopping = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: StatusSyncServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private get syncs() {
    return this.deps.store.statusSyncs;
  }

  /** Asks for a sync of the company; answers the sync that will run (a waiting one is joined, not doubled). */
  async request(companyId: string, trigger: StatusSyncTrigger = 'manual'): Promise<StatusSyncView> {
    if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service is shutting down; try again in a moment.', { status: 503 });
    const company = await this.deps.company(companyId);
    if (!(await this.deps.connected(company))) throw NOT_CONNECTED(company);
    const { record, joined } = await this.syncs.request({ id: randomUUID(), companyId: company.id, trigger });
    if (!joined) {
      await this.deps.queue.send({ runId: record.id, companyId: company.id });
      this.deps.logger.info({ syncId: record.id, companyId: company.id, trigger }, 'status sync queued');
    }
    return statusSyncView(record);
  }

  async get(companyId: string, syncId: string): Promise<StatusSyncView> {
    const record = await this.syncs.get(syncId);
    if (!record || record.companyId !== (await this.deps.company(companyId)).id) throw notFound(`Status sync ${syncId}`);
    return statusSyncView(await this.closeIfInterrupted(record));
  }

  /** What the page shows: the last sync, the one going on, and when the next comes (of a company read, or by id). */
  async page(companyOrId: CompanyModel | string): Promise<StatusSyncPageView> {
    const company = typeof companyOrId === 'string' ? await this.deps.company(companyOrId) : companyOrId;
    const [last, latest, connected] = await Promise.all([
      this.syncs.latest(company.id, true),
      this.syncs.latest(company.id, false),
      this.deps.connected(company),
    ]);
    // A connected company syncs on the default interval from the moment it is seen (the next tick would add it too).
    const settings = connected ? await this.syncs.ensureCompany(company.id, this.deps.defaultEveryMinutes) : await this.syncs.company(company.id);
    const current = latest && (latest.status === 'queued' || latest.status === 'running') ? latest : null;
    const everyMinutes = settings?.everyMinutes ?? this.deps.defaultEveryMinutes;
    return {
      everyMinutes,
      nextAt: everyMinutes > 0 && settings?.nextAt ? settings.nextAt.toISOString() : null,
      last: last ? statusSyncView(last) : null,
      current: current ? statusSyncView(current) : null,
    };
  }

  /** An admin sets the company's interval (5 minutes to a day; 0 turns scheduled syncs off; null: the default). */
  async setSchedule(companyId: string, everyMinutes: number | null): Promise<StatusSyncPageView> {
    const company = await this.deps.company(companyId);
    const every = everyMinutes ?? this.deps.defaultEveryMinutes;
    await this.syncs.setSchedule(company.id, everyMinutes, every > 0 ? new Date(this.now().getTime() + every * 60_000) : null);
    this.deps.logger.info({ companyId: company.id, everyMinutes }, 'status sync schedule set');
    return this.page(company);
  }

  /** Requests the syncs whose schedule is due (each claimed by one instance). */
  async runDue(): Promise<string[]> {
    const started: string[] = [];
    for (const due of await this.syncs.claimDue(this.deps.defaultEveryMinutes)) {
      try {
        started.push((await this.request(due.companyId, 'schedule')).syncId);
      } catch (err) {
        this.deps.logger.info({ companyId: due.companyId, err: errorMessage(err) }, 'scheduled status sync not started');
      }
    }
    return started;
  }

  /** QuickBooks said (webhook) that these companies changed: each connected Company of them gets a sync. */
  async changed(realmIds: string[]): Promise<void> {
    for (const realmId of new Set(realmIds)) {
      for (const companyId of await this.syncs.companiesOfRealm(realmId)) {
        await this.request(companyId, 'webhook').catch((err) =>
          this.deps.logger.info({ companyId, realmId, err: errorMessage(err) }, 'status sync for a webhook not started'),
        );
      }
    }
  }

  /** Closes syncs a dead instance left queued or running: no heartbeat for two leases, no live lock, no waiting job. */
  async recoverInterrupted(): Promise<number> {
    let closed = 0;
    for (const record of await this.syncs.listOpen()) if ((await this.closeIfInterrupted(record)).status === 'failed') closed++;
    return closed;
  }

  private async closeIfInterrupted(record: StatusSyncRecord): Promise<StatusSyncRecord> {
    if (record.status !== 'queued' && record.status !== 'running') return record;
    if (this.now().getTime() - record.heartbeatAt.getTime() < 2 * this.deps.lockLeaseMs) return record;
    if ((await this.deps.store.locks.holder(statusSyncLockKey(record.companyId)))?.owner === record.id) return record;
    if ((await this.deps.queue.jobState(record.id))?.state === 'waiting') return record;
    await this.syncs.finish(record.id, { status: 'failed', error: JSON.stringify(interrupted()) });
    this.deps.logger.warn({ syncId: record.id, companyId: record.companyId }, 'status sync interrupted: closed');
    return (await this.syncs.get(record.id)) ?? record;
  }

  /** Runs a queued sync (on whichever instance took its job). */
  execute(job: ExportJob): Promise<void> {
    const done = this.executeSync(job.runId).catch((err) => this.deps.logger.error({ syncId: job.runId, err: errorMessage(err) }, 'status sync failed'));
    this.running.add(done);
    return done.finally(() => this.running.delete(done));
  }

  private async executeSync(syncId: string): Promise<void> {
    const record = await this.syncs.get(syncId);
    if (!record || record.status !== 'queued') return;
    let company: CompanyModel;
    try {
      company = await this.deps.company(record.companyId);
    } catch (err) {
      await this.syncs.finish(syncId, { status: 'failed', error: JSON.stringify(syncError(err, record.companyId)) });
      return;
    }
    const key = statusSyncLockKey(company.id);
    const lease = this.deps.lockLeaseMs;
    // One sync of a company at a time: this one waits (alive, and joined by later requests) for the one running.
    while (!(await this.deps.store.locks.acquire(key, syncId, lease))) {
      if (this.stopping) return;
      await this.syncs.claim(syncId, this.deps.instanceId);
      await sleep(Math.min(500, lease / 4));
    }
    // A lease that ran out (the process stalled past it) may be another sync's by now: this one stops at its next step.
    let lost = false;
    const renew = async () => {
      if (!(await this.deps.store.locks.renew(key, syncId, lease))) lost = true;
      await this.syncs.heartbeat(syncId);
    };
    const heartbeat = async () => {
      await renew();
      if (lost) {
        throw new LedgerlineError('STATUS_SYNC_INTERRUPTED', lockLost(company.name), {
          status: 409,
          fix: 'Nothing to change: the next sync goes on from where this one stopped.',
        });
      }
    };
    const beat = setInterval(() => void renew().catch(() => undefined), Math.max(100, Math.floor(lease / 3)));
    try {
      await this.syncs.start(syncId, this.deps.instanceId);
      const outcome = await runStatusSync({ ...this.deps, syncs: this.syncs, synced: this.deps.store.synced, now: this.now }, company, syncId, heartbeat);
      await this.syncs.finish(syncId, { status: outcome.status, error: outcome.error ? JSON.stringify(outcome.error) : null });
      this.deps.logger.info({ syncId, companyId: company.id, status: outcome.status }, 'status sync finished');
    } finally {
      clearInterval(beat);
      await this.deps.store.locks.release(key, syncId).catch(() => undefined);
    }
  }

  /** Stops taking syncs and waits for the running ones. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running]);
  }
}
