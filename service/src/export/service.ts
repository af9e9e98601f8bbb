// Use cases behind the HTTP API and the CLI: the page summary, starting an export (one per Company at a time,
// across every instance sharing the store), and a run's status.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage, notFound } from '../errors';
import type { QuickBooksAuthorization, ConnectionSummary } from '../quickbooks/online/authorization';
import { QboClient } from '../quickbooks/online/client';
import type { QboScheduler } from '../quickbooks/online/scheduler';
import type { Company } from '../salesforce/records';
import type { SalesforceRepository } from '../salesforce/repository';
import type { RunRecord, Store } from '../store/types';
import { ExportRun, type ExportOptions } from './run';

export interface ExportServiceDeps {
  store: Store;
  salesforce: SalesforceRepository;
  authorization: QuickBooksAuthorization;
  scheduler: QboScheduler;
  qboBaseUrl: string;
  minorVersion: number;
  batchSize: number;
  vendorClashSuffix: string;
  logger: Logger;
  instanceId: string;
  publicUrl: string;
  /** How long a run's Company lock lives without a heartbeat (a crashed process frees it this long after). */
  lockLeaseMs?: number;
  retryBaseMs?: number;
  requestTimeoutMs?: number;
  now?: () => Date;
}

export interface RunView {
  runId: string;
  companyId: string;
  status: RunRecord['status'];
  phase: string;
  dryRun: boolean;
  progress: RunRecord['progress'];
  counts: Record<string, number>;
  finished: boolean;
  processLogId: string | null;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
  /** A dry run's plan, and what it would log for each record. */
  plan?: unknown;
  entries?: unknown[];
}

export interface CompanySummary {
  companyId: string;
  companyName: string;
  counts: { products: number; customers: number; invoices: number };
  connection: {
    state: ConnectionSummary['state'];
    realmId: string | null;
    /** The connected QuickBooks company's name (CompanyInfo), when it could be read without refreshing tokens. */
    quickBooksCompanyName: string | null;
    refreshTokenExpiresAt: string | null;
    daysLeft: number | null;
    lastRefreshedAt: string | null;
    reason: string | null;
    authenticationUrl: string;
  };
  activeRunId: string | null;
}

export class ExportService {
  private readonly active = new Map<string, { run: ExportRun; done: Promise<void> }>();
  /** QuickBooks company names by realm: CompanyInfo reads are metered, and a name rarely changes. */
  private readonly quickBooksNames = new Map<string, { name: string; at: number }>();
  private readonly now: () => Date;
  private stopping = false;

  constructor(private readonly deps: ExportServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async companies(): Promise<{ id: string; name: string; primary: boolean }[]> {
    const list = await this.deps.salesforce.listCompanies();
    return list.map((c) => ({ id: c.Id, name: c.Name, primary: c.QuickBooks_Primary_Company__c }));
  }

  async company(idOrName: string): Promise<Company> {
    const company = await this.deps.salesforce.findCompany(idOrName);
    if (!company) throw notFound(`Company ${idOrName}`);
    return company;
  }

  async summary(companyId: string): Promise<CompanySummary> {
    const company = await this.company(companyId);
    const [counts, connection, holder] = await Promise.all([
      this.deps.salesforce.exportCounts(company),
      this.deps.authorization.summary(company.Id),
      this.deps.store.locks.holder(lockKey(company.Id)),
    ]);
    const quickBooksCompanyName = await this.quickBooksCompanyName(company.Id, connection);
    return {
      companyId: company.Id,
      companyName: company.Name,
      counts,
      connection: {
        state: connection.state,
        realmId: connection.realmId ?? company.QuickBooks_Realm_Id__c,
        quickBooksCompanyName,
        refreshTokenExpiresAt: connection.refreshTokenExpiresAt?.toISOString() ?? null,
        daysLeft: connection.daysLeft,
        lastRefreshedAt: connection.lastRefreshedAt?.toISOString() ?? null,
        reason: connection.reason,
        authenticationUrl: `${this.deps.publicUrl}/quickbooks/auth?companyId=${encodeURIComponent(company.Id)}`,
      },
      activeRunId: holder?.owner ?? null,
    };
  }

  /** Starts an export in the background; 409 with the running run's id when one is already going. */
  async start(companyId: string, options: ExportOptions): Promise<{ runId: string }> {
    if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service is shutting down; try again in a moment.', { status: 503 });
    const company = await this.company(companyId);
    const runId = randomUUID();
    const lease = this.deps.lockLeaseMs ?? 60_000;
    if (!(await this.deps.store.locks.acquire(lockKey(company.Id), runId, lease))) {
      const holder = await this.deps.store.locks.holder(lockKey(company.Id));
      throw new LedgerlineError('EXPORT_RUNNING', 'An export is already running for this company.', { status: 409, details: { runId: holder?.owner } });
    }
    // A run still marked running without its lock was cut off by a crash: close its record.
    const previous = await this.deps.store.runs.latestForCompany(company.Id);
    if (previous?.status === 'running' && !this.active.has(previous.id)) {
      await this.deps.store.runs.update(previous.id, {
        status: 'failed',
        finishedAt: this.now(),
        error: 'The export was interrupted (the service stopped). Export again to finish it: nothing will be created twice.',
      });
    }
    const record = await this.deps.store.runs.create({ id: runId, companyId: company.Id, dryRun: options.dryRun, options: { ...options } });
    let lockLost = false;
    const heartbeat = setInterval(() => {
      void this.deps.store.locks
        .renew(lockKey(company.Id), runId, lease)
        .then(async (held) => {
          if (!held) lockLost = true;
          await this.deps.store.runs.heartbeat(runId);
        })
        .catch((err) => this.deps.logger.warn({ err: errorMessage(err), runId }, 'heartbeat failed'));
    }, Math.max(50, Math.floor(lease / 3)));

    const run = new ExportRun(
      {
        store: this.deps.store,
        salesforce: this.deps.salesforce,
        qbo: () => this.qboClient(company),
        logger: this.deps.logger,
        batchSize: this.deps.batchSize,
        vendorClashSuffix: this.deps.vendorClashSuffix,
        now: this.now,
        checkpoint: () => {
          if (lockLost) throw new LedgerlineError('LOCK_LOST', 'Another instance took over this export.');
          if (this.stopping) throw new LedgerlineError('SHUTTING_DOWN', 'The service stopped during the export. Export again to finish it.');
        },
      },
      record,
      company,
      options,
    );
    this.deps.logger.info({ runId, companyId: company.Id, dryRun: options.dryRun }, 'export started');
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
          result: options.dryRun ? { plan: run.plan, entries: run.dryRunEntries } : null,
          finishedAt: this.now(),
        });
        this.deps.logger.info({ runId, status, counts: run.counts }, 'export finished');
      })
      .catch((err) => this.deps.logger.error({ runId, err: errorMessage(err) }, 'could not record the end of an export'))
      .finally(async () => {
        clearInterval(heartbeat);
        this.active.delete(runId);
        await this.deps.store.locks.release(lockKey(company.Id), runId).catch(() => undefined);
      });
    this.active.set(runId, { run, done });
    return { runId };
  }

  async status(runId: string): Promise<RunView> {
    const record = await this.deps.store.runs.get(runId);
    if (!record) throw notFound(`Export run ${runId}`);
    const live = this.active.get(runId)?.run;
    const view: RunView = {
      runId: record.id,
      companyId: record.companyId,
      status: record.status,
      phase: live?.phase ?? record.phase,
      dryRun: record.dryRun,
      progress: live ? { ...live.progress } : record.progress,
      counts: live ? { ...live.counts } : record.counts,
      finished: record.status !== 'running',
      processLogId: live?.processLogId ?? record.processLogId,
      error: parseError(record.error),
      startedAt: record.startedAt.toISOString(),
      finishedAt: record.finishedAt?.toISOString() ?? null,
    };
    if (record.dryRun && record.result) {
      const result = record.result as { plan?: unknown; entries?: unknown[] };
      view.plan = result.plan;
      view.entries = result.entries;
    }
    return view;
  }

  async processLogs(companyId: string, limit: number) {
    const logs = await this.deps.salesforce.processLogs(companyId, limit);
    return logs.map((l) => ({
      id: l.Id,
      name: l.Name,
      runId: l.Run_Id__c,
      status: l.Status__c,
      startTime: l.Start_Time__c,
      endTime: l.End_Time__c,
      summary: l.Summary__c,
      counts: {
        created: l.Created_Count__c ?? 0,
        matched: l.Matched_Count__c ?? 0,
        renamed: l.Renamed_Count__c ?? 0,
        skipped: l.Skipped_Count__c ?? 0,
        warnings: l.Warning_Count__c ?? 0,
        errors: l.Error_Count__c ?? 0,
      },
      entries: l.Process_Log_Entries__r.map((e) => ({
        id: e.Id,
        level: e.Level__c,
        outcome: e.Outcome__c,
        recordType: e.Record_Type__c,
        recordId: e.Record_Id__c,
        recordName: e.Record_Name__c,
        message: e.Message__c,
        fix: e.Fix__c,
        quickBooksId: e.QuickBooks_Id__c,
        intuitTid: e.Intuit_Tid__c,
      })),
    }));
  }

  /** Stops taking exports and lets running ones reach their next checkpoint. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /**
   * The connected company's name in QuickBooks, read with the access token valid now: showing the page must not
   * refresh the authorization (that would reset the refresh token's 100 days, and the page would never warn).
   */
  private async quickBooksCompanyName(companyId: string, connection: ConnectionSummary): Promise<string | null> {
    const realmId = connection.realmId;
    if (!realmId || (connection.state !== 'connected' && connection.state !== 'expiring')) return null;
    const cached = this.quickBooksNames.get(realmId);
    if (cached && Date.now() - cached.at < COMPANY_NAME_TTL_MS) return cached.name;
    const tokens = await this.deps.store.tokens.get(companyId);
    if (!tokens || tokens.realmId !== realmId || tokens.accessTokenExpiresAt.getTime() - this.now().getTime() < 60_000) return cached?.name ?? null;
    const client = new QboClient({
      baseUrl: this.deps.qboBaseUrl,
      realmId,
      minorVersion: this.deps.minorVersion,
      tokens: {
        get: async () => tokens.accessToken,
        refreshAfterUnauthorized: async () => {
          throw new LedgerlineError('QBO_UNAUTHORIZED', 'QuickBooks refused the access token.');
        },
      },
      scheduler: this.deps.scheduler,
      maxAttempts: 1,
      timeoutMs: 5000,
    });
    try {
      const info = await client.companyInfo();
      const name = info?.CompanyName ?? info?.LegalName;
      if (typeof name !== 'string' || !name) return cached?.name ?? null;
      this.quickBooksNames.set(realmId, { name, at: Date.now() });
      return name;
    } catch (err) {
      this.deps.logger.warn({ companyId, realmId, err: errorMessage(err) }, 'could not read the QuickBooks company name');
      return cached?.name ?? null;
    }
  }

  private async qboClient(company: Company): Promise<QboClient> {
    const tokens = await this.deps.authorization.tokenSource(company.Id);
    return new QboClient({
      baseUrl: this.deps.qboBaseUrl,
      realmId: tokens.realmId,
      minorVersion: this.deps.minorVersion,
      tokens,
      scheduler: this.deps.scheduler,
      retryBaseMs: this.deps.retryBaseMs,
      timeoutMs: this.deps.requestTimeoutMs,
    });
  }
}

const COMPANY_NAME_TTL_MS = 10 * 60_000;

function lockKey(companyId: string): string {
  return `export:${companyId}`;
}

function parseError(error: string | null): { code: string; message: string } | null {
  if (!error) return null;
  try {
    const parsed = JSON.parse(error) as { code?: string; message?: string };
    if (parsed && typeof parsed.message === 'string') return { code: parsed.code ?? 'EXPORT_FAILED', message: parsed.message };
  } catch {
    // a plain sentence
  }
  return { code: 'EXPORT_INTERRUPTED', message: error };
}
