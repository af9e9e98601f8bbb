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
import { QboScheduler } from './quickbooks/online/scheduler';
import { OnlineTarget } from './quickbooks/online/target';
import { SalesforceAllowance } from './salesforce/allowance';
import { connectSalesforce } from './salesforce/connection';
import { SalesforceProcessLog } from './salesforce/processLog';
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
import { generateEncryptionKey, openStore, parseEncryptionKey, type Store } from './store';

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
  exports: ExportService;
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
  const conn = await connectSalesforce({
    loginUrl: sfUrl,
    apiVersion: config.salesforce.apiVersion,
    ...sfCreds,
    timeoutMs: config.salesforce.requestTimeoutMs,
    logger: sfLogger,
  });
  const salesforceAllowance = new SalesforceAllowance({ reservePercent: config.salesforce.apiReservePercent, now: overrides.now });
  const salesforce = new SalesforceRepository(conn, {
    allowance: salesforceAllowance,
    logger: sfLogger,
    countsTtlMs: config.summaryCacheMs,
    bulkPollMs: overrides.bulkPollMs,
  });

  const authorization = new QuickBooksAuthorization({ store, oauth, now: overrides.now, instanceId });
  const scheduler = new QboScheduler({
    requestsPerMinute: config.quickbooks.requestsPerMinute,
    batchCounts: config.quickbooks.batchCounts,
    batchesPerMinute: config.quickbooks.batchesPerMinute,
    maxConcurrent: config.quickbooks.maxConcurrent,
    windowMs: overrides.rateWindowMs ?? config.quickbooks.rateWindowMs,
  });
  const transport = new DesktopTransport({ answerTimeoutMs: config.webConnector.answerTimeoutMs });
  const targets: TargetFactory = async (company, hooks) => {
    if (company.accountingSystem === 'Desktop') {
      return new DesktopTarget(
        transport,
        { id: company.id, name: company.name, currency: company.currency ?? null },
        { batchSize: config.webConnector.batchSize, now: overrides.now },
      );
    }
    if (company.accountingSystem !== 'Online') {
      throw new LedgerlineError('TARGET_UNSUPPORTED', `${company.name} exports to QuickBooks ${company.accountingSystem}, which this service does not serve.`, {
        status: 400,
      });
    }
    const tokens = await authorization.tokenSource(company.id);
    const client = new QboClient({
      baseUrl: endpoints.apiBaseUrl,
      realmId: tokens.realmId,
      minorVersion: config.quickbooks.minorVersion,
      tokens,
      scheduler,
      retryBaseMs: overrides.retryBaseMs,
      timeoutMs: config.quickbooks.requestTimeoutMs,
      logger: logger.child({ companyId: company.id }),
      onThrottle: (pause) => hooks?.onWait?.({ reason: "QuickBooks' rate limit (it answered 429)", until: pause.until }),
    });
    return new OnlineTarget(client, config.quickbooks.batchSize);
  };
  // Salesforce writes (write-back, Process Log) ride out a brief outage; what is still owed stays in the journal.
  const sfRetry = { attempts: 5, baseMs: overrides.retryBaseMs ?? 1000 };
  // Large runs write back and log through Bulk API 2.0 jobs: a few calls per job instead of one per 200 records.
  const bulkPolicy = { threshold: config.salesforce.bulkThreshold, chunk: 10_000 };
  const processLog = new SalesforceProcessLog(salesforce, sfRetry, sfLogger, config.salesforce.bulkThreshold);
  const quickBooksCompanyName = createCompanyNameReader({
    store,
    scheduler,
    baseUrl: endpoints.apiBaseUrl,
    minorVersion: config.quickbooks.minorVersion,
    logger,
    now: overrides.now ?? (() => new Date()),
  });
  const queue: JobQueue = config.databaseUrl
    ? new PgBossQueue({
        connectionString: config.databaseUrl,
        schema: `${overrides.schema ?? config.databaseSchema}_jobs`,
        logger,
        pollingIntervalSeconds: overrides.jobPollSeconds,
      })
    : new InProcessQueue(logger);
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
    processLogs: (companyId, limit) => processLog.latest(companyId, limit),
    connection: async (companyId) => {
      const summary = await authorization.summary(companyId);
      return { ...summary, companyName: await quickBooksCompanyName(companyId, summary) };
    },
    vendorClashSuffix: config.vendorClashSuffix,
    logger,
    publicUrl: config.publicUrl,
    lockLeaseMs: overrides.lockLeaseMs ?? config.exportLockLeaseMs,
    now: overrides.now,
    connector: async (company) => {
      const user = await store.webConnectorUsers.get(company.id);
      const stats = transport.stats(company.id);
      return {
        setUp: user !== null,
        username: user?.username ?? null,
        runEveryMinutes: user?.runEveryMinutes ?? null,
        lastContactAt: stats.lastContactAt?.toISOString() ?? null,
        waitingRequests: transport.pendingRequests(company.id) + (stats.handedOut ? 1 : 0),
        pageUrl: `${config.publicUrl}${WEB_CONNECTOR_PAGE}?companyId=${encodeURIComponent(company.id)}`,
      };
    },
    onRunStart: (company) => transport.clearTakenBack(company.id),
  });
  // Runs execute where a worker takes them: this process alone, or any instance sharing PostgreSQL (pg-boss).
  for (let i = 0; i < (queue.kind === 'pg-boss' ? config.exportWorkers : 1); i++) await queue.work((job) => exports.execute(job));
  // A run a crashed process left "running" is closed (and resumed) now, then checked for on every tick, as are
  // the export schedules: whichever instance sees a dead run or a due schedule first acts on it, once.
  const tick = async () => {
    await exports.recoverInterrupted().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not check for interrupted exports'));
    await exports.runSchedules().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not start scheduled exports'));
  };
  void tick();
  const ticker = setInterval(
    () => void tick(),
    Math.min(config.scheduleTickMs, Math.max(1000, Math.floor((overrides.lockLeaseMs ?? config.exportLockLeaseMs) / 2))),
  );
  ticker.unref();
  const webConnector = new WebConnectorService({
    users: store.webConnectorUsers,
    transport,
    exports,
    logger,
    now: overrides.now,
    waitMs: config.webConnector.waitMs,
  });

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
    exports,
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
        service: webConnector,
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
      transport.close();
      clearInterval(ticker);
      await exports.shutdown();
      await queue.stop();
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
