// Builds the service's parts from the configuration, once, in dependency order.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { quickBooksEndpoints, type Config } from './config';
import { ExportService } from './export/service';
import type { Credentials } from './http/auth';
import { createLogger, registerSecret } from './log';
import { QuickBooksAuthorization } from './quickbooks/online/authorization';
import { createQuickBooksOAuth, type QuickBooksOAuth } from './quickbooks/online/oauth';
import { createQuickBooksRouter } from './quickbooks/online/routes';
import { QboClient } from './quickbooks/online/client';
import { createCompanyNameReader } from './quickbooks/online/companyName';
import { traceScheduler } from './quickbooks/online/schedulerTrace';
import { QboScheduler, windowOfBatches } from './quickbooks/online/scheduler';
import { ReadMeter } from './quickbooks/online/readBudget';
import { Notifications } from './notifications';
import { limitWaitReason, pacingReason, readBudgetLow } from './export/entries';
import { OnlineTarget } from './quickbooks/online/target';
import { SalesforceAllowance } from './salesforce/allowance';
import { connectSalesforceAtStart } from './salesforce/connection';
import { SalesforceProcessLog } from './salesforce/processLog';
import { SalesforceRetryLinks } from './salesforce/retryLinks';
import { SalesforceAlertChannel } from './salesforce/alerts';
import { AlertService } from './alerts/service';
import { SalesforceRepository } from './salesforce/repository';
import { SalesforceSource } from './salesforce/source';
import { SalesforceWriteBack } from './salesforce/writeBack';
import { LedgerlineError, errorMessage } from './errors';
import { PgBossQueue } from './jobs/pgBoss';
import { InProcessQueue, type JobQueue } from './jobs/queue';
import { DesktopTarget } from './quickbooks/desktop/target';
import { DesktopTransport } from './quickbooks/desktop/transport';
import { WebConnectorService } from './quickbooks/desktop/webConnector';
import { createQbwcRouter, createWebConnectorAdminRouter, WEB_CONNECTOR_PAGE } from './quickbooks/desktop/routes';
import { unpendInvoice, type UnpendResult } from './quickbooks/desktop/unpend';
import type { TargetFactory } from './export/target';
import { SalesforceStatusWriteBack } from './salesforce/statusWriteBack';
import { StatusSyncService } from './status/service';
import { DesktopChangeFeed } from './quickbooks/desktop/changes';
import { createWebhookRouter } from './status/webhook';
import type { Period } from './reconcile/model';
import { reconcile, type Reconciliation } from './reconcile/service';
import { OnlineReconcileReader } from './quickbooks/online/reconcileReader';
import { SalesforceReconcileSource } from './salesforce/reconcileSource';
import type { CompanyModel } from './export/model';
import type { TargetStatus } from './export/views';
import { MemoryStore, type Options as RateLimitOptions } from 'express-rate-limit';
import { generateEncryptionKey, openStore, parseEncryptionKey, type Store } from './store';

/** How often the alerts look at authorizations and Web Connectors. */
const ALERT_WATCH_MS = 5 * 60_000;

/** Credentials of the built-in emulators (they accept nothing else). */
export const DEMO_CREDENTIALS = {
  quickbooks: { clientId: 'ledgerline-demo-client', clientSecret: 'ledgerline-demo-secret' },
  salesforce: { clientId: 'ledgerline-sf-client', clientSecret: 'ledgerline-sf-secret' },
};

export interface ContainerOverrides {
  /** Emulator URLs (tests and the demo start them on ports of their own). */
  qboUrl?: string;
  sfUrl?: string;
  now?: () => Date;
  /** Length of QuickBooks' rate "minute" (only shorter against an emulator on a scaled clock). */
  rateWindowMs?: number;
  lockLeaseMs?: number;
  retryBaseMs?: number;
  logger?: Logger;
  /** How often a Bulk API job's state is polled (tests: short). */
  bulkPollMs?: number;
  /** How often an idle pg-boss worker asks for jobs (tests: short). */
  jobPollSeconds?: number;
  /** How often a run paused on the org's API allowance looks again. */
  allowancePollMs?: number;
  /** Waits before the background attempts to finish a write-back Salesforce did not take. */
  finishWriteBackDelaysMs?: number[];
  /** PostgreSQL schema (tests isolate themselves). */
  schema?: string;
}

export interface Container {
  config: Config;
  logger: Logger;
  store: Store;
  salesforce: SalesforceRepository;
  /** The org's remaining daily API allowance, fed by every Salesforce call (the engine pauses a run on it). */
  salesforceAllowance: SalesforceAllowance;
  oauth: QuickBooksOAuth;
  authorization: QuickBooksAuthorization;
  scheduler: QboScheduler;
  /** What admins should hear about (reads running low, an authorization QuickBooks ended): logged, and open to listeners. */
  notifications: Notifications;
  /** Alerts to each company's Ledgerline admins in Salesforce (custom notification and email), each event once. */
  alerts: AlertService;
  exports: ExportService;
  /** QuickBooks status back into Salesforce: syncs by hand, by schedule and by webhook. */
  statusSync: StatusSyncService;
  /** The QuickBooks webhook endpoint (CloudEvents), mounted at /webhooks/quickbooks. */
  webhookRouter(): Router;
  /** Salesforce against QuickBooks Online for a period: totals and every record that differs. */
  reconcile(companyId: string, period: Period): Promise<Reconciliation>;
  credentials: Credentials;
  /** QuickBooks Desktop: the Web Connector's queue and service, and un-pending an invoice. */
  desktop: {
    transport: DesktopTransport;
    webConnector: WebConnectorService;
    unpend(companyId: string, invoiceId: string): Promise<UnpendResult>;
  };
  /** The Web Connector's SOAP endpoint (/qbwc) and the admin's Web Connector page (/quickbooks/webconnector). */
  qbwcRouter(): Router;
  webConnectorAdminRouter(): Router;
  /** Warnings a person starting the service must see (generated keys). */
  warnings: string[];
  /** The QuickBooks Authentication pages and OAuth callback, wired to this container's parts. */
  quickbooksRouter(): Router;
  instanceId: string;
  close(): Promise<void>;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const warnings: string[] = [];
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  const encryptionKey = loadEncryptionKey(config, warnings);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir === 'memory://' ? 'memory://' : path.resolve(config.dataDir, 'store'),
    encryptionKey,
    schema: overrides.schema ?? config.databaseSchema,
    now: overrides.now,
  });

  const credentials: Credentials = {
    apiKey: config.apiKey ?? generatedKey('LEDGERLINE_API_KEY', config, warnings),
    adminKey: config.adminKey ?? generatedKey('LEDGERLINE_ADMIN_KEY', config, warnings),
  };
  registerSecret(credentials.apiKey);
  registerSecret(credentials.adminKey);

  const qboEmulator = overrides.qboUrl ?? (config.quickbooks.baseUrl ? undefined : `http://127.0.0.1:${config.quickbooks.emulatorPort}`);
  const endpoints = quickBooksEndpoints(config.quickbooks, qboEmulator);
  const qbCreds = qboEmulator ? DEMO_CREDENTIALS.quickbooks : { clientId: config.quickbooks.clientId!, clientSecret: config.quickbooks.clientSecret! };
  registerSecret(qbCreds.clientSecret);
  const oauth = createQuickBooksOAuth({ endpoints, ...qbCreds, redirectUri: config.quickbooks.redirectUri, environment: config.quickbooks.environment });

  const sfUrl = overrides.sfUrl ?? config.salesforce.loginUrl ?? `http://127.0.0.1:${config.salesforce.emulatorPort}`;
  const sfCreds = config.salesforce.loginUrl
    ? {
        clientId: config.salesforce.clientId!,
        clientSecret: config.salesforce.clientSecret!,
        username: config.salesforce.username,
        password: config.salesforce.password,
      }
    : DEMO_CREDENTIALS.salesforce;
  registerSecret(sfCreds.clientSecret);
  const sfLogger = logger.child({ component: 'salesforce' });
  const conn = await connectSalesforceAtStart(
    { loginUrl: sfUrl, apiVersion: config.salesforce.apiVersion, ...sfCreds, timeoutMs: config.salesforce.requestTimeoutMs, logger: sfLogger },
    { attempts: config.salesforce.signInAttempts, baseMs: overrides.retryBaseMs },
  );
  const salesforceAllowance = new SalesforceAllowance({ reservePercent: config.salesforce.apiReservePercent, now: overrides.now });
  const salesforce = new SalesforceRepository(conn, {
    allowance: salesforceAllowance,
    logger: sfLogger,
    bulkPollMs: overrides.bulkPollMs,
  });

  const notifications = new Notifications(logger);
  const authorization = new QuickBooksAuthorization({ store, oauth, now: overrides.now, instanceId, notifications });
  const scheduler = new QboScheduler({
    requestsPerMinute: config.quickbooks.requestsPerMinute,
    batchCounts: config.quickbooks.batchCounts,
    batchesPerMinute: config.quickbooks.batchesPerMinute,
    requestsPerSecond: config.quickbooks.requestsPerSecond,
    maxConcurrent: config.quickbooks.maxConcurrent,
    windowMs: overrides.rateWindowMs ?? config.quickbooks.rateWindowMs,
  });
  if (process.env.QBO_SCHEDULER_TRACE) traceScheduler(scheduler, process.env.QBO_SCHEDULER_TRACE);
  const now = overrides.now ?? (() => new Date());
  const readMeter = (companyId: string, onLow?: ConstructorParameters<typeof ReadMeter>[0]['onLow']) =>
    new ReadMeter({ companyId, counter: store.reads, budget: config.quickbooks.monthlyReadBudget, now, onLow });
  // The Web Connector's queue lives in the store: any instance sharing it answers the Web Connector.
  const transport = new DesktopTransport(store.webConnectorQueue, { answerTimeoutMs: config.webConnector.answerTimeoutMs });
  // A QuickBooks Online client for one company, its reads on the company's meter.
  const onlineClient = async (
    company: Parameters<TargetFactory>[0],
    hooks?: Parameters<TargetFactory>[1],
  ): Promise<{ client: QboClient; reads: ReadMeter }> => {
    const tokens = await authorization.tokenSource(company.id);
    const reads = readMeter(company.id, (usage) => {
      hooks?.note?.(readBudgetLow(company.name, usage));
      notifications.emit({ type: 'quickbooks.readBudgetLow', companyId: company.id, month: usage.month, used: usage.used, budget: usage.budget });
    });
    const client = new QboClient({
      baseUrl: endpoints.apiBaseUrl,
      realmId: tokens.realmId,
      minorVersion: config.quickbooks.minorVersion,
      tokens,
      scheduler,
      retryBaseMs: overrides.retryBaseMs,
      timeoutMs: config.quickbooks.requestTimeoutMs,
      logger: logger.child({ companyId: company.id }),
      reads,
      onThrottle: (pause) => hooks?.onWait?.({ reason: limitWaitReason(pause.cause), until: pause.until, cause: pause.cause }),
      onHold: (hold) =>
        hooks?.onWait?.({
          reason: pacingReason(hold.until.getTime() - Date.now(), hold.limit === 'batches' ? 'batch' : 'call'),
          until: hold.until,
          cause: 'pacing',
        }),
    });
    return { client, reads };
  };
  const onlineTarget = async (company: Parameters<TargetFactory>[0], hooks?: Parameters<TargetFactory>[1]): Promise<OnlineTarget> => {
    const { client, reads } = await onlineClient(company, hooks);
    return new OnlineTarget(client, config.quickbooks.batchSize, reads, {
      retryBaseMs: overrides.retryBaseMs,
      processingLimitMs: config.quickbooks.processingLimitMs,
      onWait: hooks?.onWait,
      batchesInFlight: windowOfBatches(config.quickbooks),
    });
  };
  const targets: TargetFactory = async (company, hooks) => {
    if (company.accountingSystem === 'Desktop') {
      return new DesktopTarget(
        transport,
        { id: company.id, name: company.name, currency: company.currency ?? null },
        {
          batchSize: config.webConnector.batchSize,
          now: overrides.now,
          runId: hooks?.runId,
          onWait: hooks?.onWait,
          connector: async () => {
            const [user, stats] = await Promise.all([store.webConnectorUsers.get(company.id), transport.stats(company.id)]);
            return { lastContactAt: stats.lastContactAt, runEveryMinutes: user?.runEveryMinutes ?? null };
          },
        },
      );
    }
    if (company.accountingSystem !== 'Online') {
      throw new LedgerlineError('TARGET_UNSUPPORTED', `${company.name} exports to QuickBooks ${company.accountingSystem}, which this service does not serve.`, {
        status: 400,
      });
    }
    return onlineTarget(company, hooks);
  };
  // Salesforce writes (write-back, Process Log) ride out a brief outage; what is still owed stays in the journal.
  const sfRetry = { attempts: 5, baseMs: overrides.retryBaseMs ?? 1000 };
  // Large runs write back and log through Bulk API 2.0 jobs: a few calls per job instead of one per 200 records.
  const bulkPolicy = { threshold: config.salesforce.bulkThreshold, chunk: config.salesforce.bulkChunk };
  const processLog = new SalesforceProcessLog(salesforce, sfRetry, sfLogger, config.salesforce.bulkThreshold);
  // Admins hear of failed runs, authorizations near their end and silent Web Connectors: each event once (the store).
  const alertChannel = new SalesforceAlertChannel(salesforce);
  const alerts = new AlertService({
    sent: store.sentAlerts,
    channel: alertChannel,
    logger,
    now,
    companies: () => alertChannel.companies(),
    authorization: async (companyId) => {
      const summary = await authorization.summary(companyId);
      return summary.state === 'not_connected'
        ? null
        : { state: summary.state, daysLeft: summary.daysLeft, endsAt: summary.refreshTokenExpiresAt, hardEndsAt: summary.hardExpiresAt };
    },
    latestRun: async (company) => {
      const run = await store.runs.latestForCompany(company.id);
      if (!run || run.dryRun || !run.finishedAt || run.status === 'running' || now().getTime() - run.finishedAt.getTime() > 86_400_000) return null;
      const error = run.error ? (JSON.parse(run.error) as { message?: string }) : null;
      return {
        runId: run.id,
        companyId: company.id,
        companyName: company.name,
        status: run.status as 'succeeded' | 'completed_with_errors' | 'failed',
        errors: run.counts.errors ?? 0,
        message: error?.message ?? null,
        processLogId: run.processLogId,
      };
    },
    webConnector: async (companyId) => {
      const user = await store.webConnectorUsers.get(companyId);
      return user ? { lastContactAt: (await transport.stats(companyId)).lastContactAt, runEveryMinutes: user.runEveryMinutes } : null;
    },
  });
  const quickBooksCompanyName = createCompanyNameReader({
    store,
    scheduler,
    baseUrl: endpoints.apiBaseUrl,
    minorVersion: config.quickbooks.minorVersion,
    logger,
    now,
    reads: (companyId) => readMeter(companyId),
  });
  // Each target's own answer to "connected?" and "where does an admin connect it?", for the page's summary.
  const onlineStatus = async (company: CompanyModel): Promise<TargetStatus> => {
    const summary = await authorization.summary(company.id);
    const companyName = await quickBooksCompanyName(company.id, summary);
    const { run: _run, ...reads } = await readMeter(company.id).load();
    const authenticationUrl = `${config.publicUrl}/quickbooks/auth?companyId=${encodeURIComponent(company.id)}`;
    return { connection: { ...summary, companyName, reads, authenticationUrl }, connector: null, queues: false };
  };
  const desktopStatus = async (company: CompanyModel): Promise<TargetStatus> => {
    const [user, stats] = await Promise.all([store.webConnectorUsers.get(company.id), transport.stats(company.id)]);
    const pageUrl = `${config.publicUrl}${WEB_CONNECTOR_PAGE}?companyId=${encodeURIComponent(company.id)}`;
    return {
      // No OAuth: the company is connected once its Web Connector user is set up; its admin page is the Web Connector's.
      connection: {
        state: user ? 'connected' : 'not_connected',
        realmId: null,
        refreshTokenExpiresAt: null,
        daysLeft: null,
        lastRefreshedAt: null,
        reason: user ? null : 'No Web Connector user is set up for this Company yet.',
        authenticationUrl: pageUrl,
      },
      connector: {
        setUp: user !== null,
        username: user?.username ?? null,
        runEveryMinutes: user?.runEveryMinutes ?? null,
        lastContactAt: stats.lastContactAt?.toISOString() ?? null,
        nextContactAt: user && stats.lastContactAt ? new Date(stats.lastContactAt.getTime() + user.runEveryMinutes * 60_000).toISOString() : null,
        waitingRequests: stats.requests + (stats.handedOut ? 1 : 0),
        pageUrl,
      },
      queues: true,
    };
  };
  // Jobs run where a worker takes them: this process alone, or any instance sharing PostgreSQL (pg-boss).
  const jobQueue = (name?: string): JobQueue =>
    config.databaseUrl
      ? new PgBossQueue({
          connectionString: config.databaseUrl,
          schema: `${overrides.schema ?? config.databaseSchema}_jobs`,
          logger,
          pollingIntervalSeconds: overrides.jobPollSeconds,
          queue: name,
        })
      : new InProcessQueue(logger);
  const queue = jobQueue();
  const exports = new ExportService({
    queue,
    instanceId,
    store,
    source: new SalesforceSource(salesforce),
    targets,
    writeBack: (company, onRefused, expected) =>
      new SalesforceWriteBack(
        salesforce,
        store.journal,
        { QuickBooks_Primary_Company__c: company.primary, customerIdsShared: company.customerIdsShared },
        onRefused,
        sfRetry,
        sfLogger,
        expected,
        bulkPolicy,
      ),
    finishWriteBackDelaysMs: overrides.finishWriteBackDelaysMs,
    summaryFreshMs: config.summaryCacheMs,
    recordUrl: (objectApiName, id) => `${conn.instanceUrl.replace(/\/$/, '')}/lightning/r/${objectApiName}/${id}/view`,
    atReserve: () => salesforceAllowance.shouldPause(),
    allowance: {
      shouldPause: () => salesforceAllowance.shouldPause(),
      describe: () => {
        const r = salesforceAllowance.reading();
        return r ? `${r.remaining} of ${r.limit} calls left, ${salesforceAllowance.reserve()} kept for the org's other integrations` : 'not known yet';
      },
      refresh: async () => void (await salesforce.refreshAllowance()),
      pollMs: overrides.allowancePollMs ?? 30_000,
    },
    processLog,
    retryLinks: new SalesforceRetryLinks(salesforce),
    runFinished: (run) => void alerts.runFinished(run).catch((err) => logger.warn({ err: errorMessage(err), runId: run.runId }, 'could not announce the run')),
    processLogs: (companyId, limit) => processLog.latest(companyId, limit),
    targetStatus: (company) => (company.accountingSystem === 'Desktop' ? desktopStatus(company) : onlineStatus(company)),
    vendorClashSuffix: config.vendorClashSuffix,
    logger,
    lockLeaseMs: overrides.lockLeaseMs ?? config.exportLockLeaseMs,
    now: overrides.now,
    onRunStart: (company, runId) => (company.accountingSystem === 'Desktop' ? transport.runStarts(company.id, runId) : Promise.resolve()),
    statusSync: (company) => statusSync.page(company),
  });
  // QuickBooks status back into Salesforce: syncs are jobs of their own queue (pg-boss with PostgreSQL), one per company at a time.
  const statusQueue = jobQueue('ledgerline-status-sync');
  const statusSync: StatusSyncService = new StatusSyncService({
    store,
    queue: statusQueue,
    instanceId,
    logger,
    lockLeaseMs: overrides.lockLeaseMs ?? config.exportLockLeaseMs,
    defaultEveryMinutes: config.statusSync.everyMinutes,
    company: (id) => exports.company(id),
    connected: async (company) =>
      company.accountingSystem === 'Desktop'
        ? (await store.webConnectorUsers.get(company.id)) !== null
        : (await store.tokens.get(company.id))?.status === 'connected',
    // Desktop: qbXML queries the Web Connector's next session answers.
    feed: async (company) =>
      company.accountingSystem === 'Desktop'
        ? new DesktopChangeFeed(
            new DesktopTarget(
              transport,
              { id: company.id, name: company.name, currency: company.currency ?? null },
              { batchSize: config.webConnector.batchSize, now: overrides.now },
            ),
          )
        : onlineTarget(company),
    // A large sync's writes gather across pages into Bulk API 2.0 jobs, like a large run's write-backs.
    source: new SalesforceStatusWriteBack(salesforce, bulkPolicy),
    pageSize: config.statusSync.pageSize,
    now: overrides.now,
  });
  if (config.statusSync.webhookVerifierToken) registerSecret(config.statusSync.webhookVerifierToken);
  for (let i = 0; i < (statusQueue.kind === 'pg-boss' ? 2 : 1); i++) await statusQueue.work((job) => statusSync.execute(job));
  // Runs execute where a worker takes them: this process alone, or any instance sharing PostgreSQL (pg-boss).
  for (let i = 0; i < (queue.kind === 'pg-boss' ? config.exportWorkers : 1); i++) await queue.work((job) => exports.execute(job));
  // A run a crashed process left "running" is closed (and resumed) now, then checked for on every tick, as are
  // the export schedules: whichever instance sees a dead run or a due schedule first acts on it, once.
  const tick = async () => {
    await exports.recoverInterrupted().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not check for interrupted exports'));
    await exports.runSchedules().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not start scheduled exports'));
    await statusSync.recoverInterrupted().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not check for interrupted status syncs'));
    await statusSync.runDue().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not start scheduled status syncs'));
    // Authorizations and Web Connectors change slowly: looked at every few minutes (one Salesforce read), not every tick.
    if (Date.now() - lastWatch >= ALERT_WATCH_MS) {
      lastWatch = Date.now();
      await alerts.watch().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not check for alerts'));
    }
  };
  // The first look comes one interval after start, so a starting instance's first calls are the ones users make.
  let lastWatch = Date.now();
  void tick();
  const ticker = setInterval(
    () => void tick(),
    Math.min(config.scheduleTickMs, Math.max(1000, Math.floor((overrides.lockLeaseMs ?? config.exportLockLeaseMs) / 2))),
  );
  ticker.unref();
  const webConnector = new WebConnectorService({
    users: store.webConnectorUsers,
    queue: store.webConnectorQueue,
    transport,
    exports,
    logger,
    limiter: signInLimiter(),
    waitMs: config.webConnector.waitMs,
  });

  const reconcileSource = new SalesforceReconcileSource(salesforce);
  let closed = false;
  return {
    config,
    logger,
    store,
    salesforce,
    salesforceAllowance,
    oauth,
    authorization,
    scheduler,
    notifications,
    alerts,
    exports,
    statusSync,
    reconcile: (companyId, period) =>
      reconcile(
        {
          company: (id) => exports.company(id),
          connected: async (company) => (await store.tokens.get(company.id))?.status === 'connected',
          target: async (company) => {
            const { client, reads } = await onlineClient(company);
            return new OnlineReconcileReader(client, reads);
          },
          source: reconcileSource,
          journal: store.journal,
          firstExportAt: (id) => store.statusSyncs.firstExportAt(id),
          now: overrides.now,
        },
        companyId,
        period,
      ),
    webhookRouter() {
      return createWebhookRouter({
        verifierToken: config.statusSync.webhookVerifierToken,
        record: (events) => store.statusSyncs.newEvents(events.map((e) => ({ id: e.id, realmId: e.intuitaccountid, type: e.type }))),
        changed: (realmIds) => statusSync.changed(realmIds),
        logger,
      });
    },
    credentials,
    warnings,
    instanceId,
    desktop: {
      transport,
      webConnector,
      unpend: (companyId, invoiceId) => unpendInvoice({ exports, salesforce, journal: store.journal, transport }, companyId, invoiceId),
    },
    qbwcRouter() {
      return createQbwcRouter({ service: webConnector, publicUrl: config.publicUrl, logger });
    },
    webConnectorAdminRouter() {
      return createWebConnectorAdminRouter({
        users: store.webConnectorUsers,
        adminSessions: store.adminSessions,
        exports,
        transport,
        queue: store.webConnectorQueue,
        credentials,
        publicUrl: config.publicUrl,
        secureCookies: config.publicUrl.startsWith('https:'),
        logger,
        now: overrides.now,
      });
    },
    quickbooksRouter() {
      return createQuickBooksRouter({
        authorization,
        oauth,
        store,
        exports,
        credentials,
        logger,
        secureCookies: config.publicUrl.startsWith('https:'),
        now: overrides.now,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Runs waiting for the Web Connector end now (their records are found again by the next run).
      await transport.close();
      clearInterval(ticker);
      await Promise.all([exports.shutdown(), statusSync.shutdown()]);
      await queue.stop();
      await statusQueue.stop();
      await scheduler.stop();
      await store.close();
    },
  };
}

/** TOKEN_ENCRYPTION_KEY, or — only without one and only outside production — a local key kept in the data folder. */
function loadEncryptionKey(config: Config, warnings: string[]): Buffer {
  if (config.tokenEncryptionKey) return parseEncryptionKey(config.tokenEncryptionKey);
  const file = path.resolve(config.dataDir, 'token-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generateEncryptionKey(), { mode: 0o600 });
  }
  warnings.push(
    `TOKEN_ENCRYPTION_KEY is not set: QuickBooks tokens are encrypted with a generated local key (${file}). Set TOKEN_ENCRYPTION_KEY for any real use.`,
  );
  return parseEncryptionKey(readFileSync(file, 'utf8').trim());
}

function generatedKey(name: string, config: Config, warnings: string[]): string {
  const key = randomBytes(24).toString('base64url');
  warnings.push(`${name} is not set: a key was generated for this run${config.demo ? ' (demo mode)' : ''}.`);
  return key;
}

/** Wrong Web Connector passwords allowed per user name and address in a window (then even the right one waits). */
export const WEB_CONNECTOR_MAX_FAILURES = 10;
export const WEB_CONNECTOR_FAILURE_WINDOW_MS = 15 * 60_000;

/** The Web Connector's sign-in limit, counted as express-rate-limit counts the admin sign-in's. */
function signInLimiter() {
  const counted = new MemoryStore();
  counted.init({ windowMs: WEB_CONNECTOR_FAILURE_WINDOW_MS } as RateLimitOptions);
  return {
    allowed: async (key: string) => ((await counted.get(key))?.totalHits ?? 0) < WEB_CONNECTOR_MAX_FAILURES,
    failed: async (key: string) => void (await counted.increment(key)),
    succeeded: (key: string) => counted.resetKey(key),
  };
}
