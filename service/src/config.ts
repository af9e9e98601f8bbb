// Every setting, parsed once with zod. The only module that reads process.env.
import { z } from 'zod';
import { fittingBatchSize } from './quickbooks/online/scheduler';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Express `trust proxy`: unset/false, true, a hop count, or a list of addresses/subnets ("loopback, 10.0.0.0/8"). */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((v): boolean | number | string => {
    if (v === undefined || v === '' || v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: optionalUrl,
  SCHEDULE_TICK_MS: positiveInt(15_000),
  EXPORT_WORKERS: positiveInt(4),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA is a lower-case SQL name')
    .default('ledgerline'),
  LEDGERLINE_API_KEY: z.string().min(16, 'LEDGERLINE_API_KEY must be at least 16 characters').optional(),
  LEDGERLINE_ADMIN_KEY: z.string().min(16, 'LEDGERLINE_ADMIN_KEY must be at least 16 characters').optional(),
  TOKEN_ENCRYPTION_KEY: optionalText,
  QBO_BASE_URL: optionalUrl,
  QBO_ENVIRONMENT: z.enum(['sandbox', 'production']).default('sandbox'),
  QBO_CLIENT_ID: optionalText,
  QBO_CLIENT_SECRET: optionalText,
  QBO_REDIRECT_URI: optionalUrl,
  // Intuit ignores minor versions below 75 since 1 August 2025 (it answers as 75): a lower setting would only mislead.
  QBO_MINOR_VERSION: z.coerce
    .number()
    .int()
    .min(75, 'QBO_MINOR_VERSION must be 75 or more: QuickBooks ignores lower minor versions since 1 August 2025')
    .default(75),
  // Unset: the largest batch (at most 30) whose items fill a window's operations exactly (fittingBatchSize).
  QBO_BATCH_SIZE: z.coerce.number().int().min(1).max(30).optional(),
  QBO_REQUESTS_PER_MINUTE: positiveInt(500),
  QBO_BATCH_COUNTS: z.enum(['item', 'call']).default('item'),
  QBO_BATCHES_PER_MINUTE: positiveInt(40),
  QBO_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10).default(10),
  QBO_MAX_CONCURRENT: z.coerce.number().int().min(1).max(10).default(10),
  QBO_MONTHLY_READ_BUDGET: z.coerce.number().int().min(0).default(500_000),
  QBO_RATE_WINDOW_MS: positiveInt(60_000),
  QBO_REQUEST_TIMEOUT_MS: positiveInt(120_000),
  QBO_PROCESSING_LIMIT_MS: positiveInt(120_000),
  EXPORT_LOCK_LEASE_MS: z.coerce.number().int().min(500).default(60_000),
  QBO_EMULATOR_PORT: port(4010),
  SF_LOGIN_URL: optionalUrl,
  SF_API_VERSION: z
    .string()
    .regex(/^\d+\.0$/, 'SF_API_VERSION looks like 62.0')
    .default('62.0'),
  SF_CLIENT_ID: optionalText,
  SF_CLIENT_SECRET: optionalText,
  SF_USERNAME: optionalText,
  SF_PASSWORD: optionalText,
  SF_EMULATOR_PORT: port(4020),
  SF_REQUEST_TIMEOUT_MS: positiveInt(60_000),
  SF_BULK_THRESHOLD: positiveInt(2000),
  SF_BULK_CHUNK: positiveInt(10_000),
  SF_SIGN_IN_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  SF_API_RESERVE_PERCENT: z.coerce.number().min(0).max(90).default(10),
  SUMMARY_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TRUST_PROXY: trustProxy,
  WEB_PORT: port(3001),
  VENDOR_CLASH_SUFFIX: z.string().default(' (C)'),
  STATUS_SYNC_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1440)
    .refine((v) => v === 0 || v >= 5, 'STATUS_SYNC_EVERY_MINUTES is 0 (no scheduled syncs) or 5 to 1440')
    .default(15),
  STATUS_SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(2000).default(2000),
  QBO_WEBHOOK_VERIFIER_TOKEN: optionalText,
  QBWC_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(20),
  QBWC_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(20_000),
  QBWC_ANSWER_TIMEOUT_MS: z.coerce.number().int().min(1000).default(180_000),
});

export type Env = z.infer<typeof EnvSchema>;

export interface QuickBooksEndpoints {
  apiBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  /** `pretty`: readable lines on the console; `json`: one JSON object a line (for log collectors). */
  logFormat: 'pretty' | 'json';
  /** The demo's local Salesforce org (the Sales Invoice Export page). */
  webPort: number;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema holding Ledgerline's tables. */
  databaseSchema: string;
  /** How often each instance looks for due export schedules and for runs a dead instance left. */
  scheduleTickMs: number;
  /** Exports one instance runs at once (of different companies). */
  exportWorkers: number;
  /** Emulators stand in for QuickBooks and Salesforce: the two-command demo. */
  demo: boolean;
  apiKey?: string;
  adminKey?: string;
  tokenEncryptionKey?: string;
  vendorClashSuffix: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe (client IPs for the sign-in limit). */
  trustProxy: boolean | number | string;
  /** How long the page's export counts are reused per company (0 = always ask Salesforce). */
  summaryCacheMs: number;
  quickbooks: {
    /** Unset: the built-in emulator at emulatorPort. */
    baseUrl?: string;
    environment: Env['QBO_ENVIRONMENT'];
    clientId?: string;
    clientSecret?: string;
    redirectUri: string;
    minorVersion: number;
    batchSize: number;
    requestsPerMinute: number;
    /** How a batch call counts against requestsPerMinute: once per item (default) or once per call. */
    batchCounts: 'item' | 'call';
    batchesPerMinute: number;
    /** Intuit's 10 requests a second per company and app. */
    requestsPerSecond: number;
    maxConcurrent: number;
    /** QuickBooks reads (metered data-out calls) the app may spend in a calendar month (UTC); 0 = not metered. */
    monthlyReadBudget: number;
    /** Intuit's rate "minute"; shorter only against an emulator running on a scaled clock. */
    rateWindowMs: number;
    /** A QuickBooks call with no answer by then is retried (with the same requestid). */
    requestTimeoutMs: number;
    /**
     * How long QuickBooks may still save a call whose answer never came (Intuit's limit on one request): a create
     * is looked for only once this has passed since it was sent, and only what is missing is sent again.
     */
    processingLimitMs: number;
    emulatorPort: number;
  };
  /** A run's Company lock lives this long without a heartbeat: how soon a crashed run's company is free again. */
  exportLockLeaseMs: number;
  /** QuickBooks status back into Salesforce. */
  statusSync: {
    /** Minutes between a connected company's scheduled status syncs, unless it sets its own (0: none). */
    everyMinutes: number;
    /** The Intuit app's webhook verifier token: unset, the webhook endpoint is off. */
    webhookVerifierToken?: string;
    /** Owed records read from the store (and looked up in Salesforce) at a time. */
    pageSize: number;
  };
  /** QuickBooks Desktop through the Web Connector. */
  webConnector: {
    /** Records per qbXML message (one Web Connector round): modest, so a round never nears its 2-minute time-out. */
    batchSize: number;
    /** How long sendRequestXML waits for the run to queue work before answering "NoOp". */
    waitMs: number;
    /** A request handed out with no answer by then is looked up in QuickBooks before anything is sent again. */
    answerTimeoutMs: number;
  };
  salesforce: {
    /** Unset: the built-in emulator at emulatorPort. */
    loginUrl?: string;
    apiVersion: string;
    clientId?: string;
    clientSecret?: string;
    username?: string;
    password?: string;
    emulatorPort: number;
    /** A Salesforce call unanswered by then fails (503, retry later). */
    requestTimeoutMs: number;
    /** Share of the org's daily API allowance the service leaves for everyone else (an export pauses there). */
    apiReservePercent: number;
    /** From this many write-backs (or log entries in one flush) on, Bulk API 2.0 jobs carry them. */
    bulkThreshold: number;
    /** Records per Bulk API 2.0 job (a large run's or status sync's writes go in jobs of this many, and one with the rest). */
    bulkChunk: number;
    /** Sign-in attempts at start-up while Salesforce is briefly down (back-off from 1 s, doubling, up to 30 s). */
    signInAttempts: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment (process.env by default). Throws ConfigError naming every bad value. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.QBO_BASE_URL && !(e.QBO_CLIENT_ID && e.QBO_CLIENT_SECRET)) {
    problems.push('QBO_CLIENT_ID and QBO_CLIENT_SECRET are required when QBO_BASE_URL points at QuickBooks');
  }
  if (e.SF_LOGIN_URL && !(e.SF_CLIENT_ID && e.SF_CLIENT_SECRET)) {
    problems.push('SF_CLIENT_ID and SF_CLIENT_SECRET are required when SF_LOGIN_URL points at Salesforce');
  }
  const demo = !e.QBO_BASE_URL && !e.SF_LOGIN_URL;
  if (e.NODE_ENV === 'production' && !demo) {
    if (!e.LEDGERLINE_API_KEY) problems.push('LEDGERLINE_API_KEY is required in production');
    if (!e.LEDGERLINE_ADMIN_KEY) problems.push('LEDGERLINE_ADMIN_KEY is required in production');
    if (!e.TOKEN_ENCRYPTION_KEY) problems.push('TOKEN_ENCRYPTION_KEY is required in production');
  }
  if (problems.length) throw new ConfigError(problems);

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    // Readable lines for a person running the demo; JSON for log collectors everywhere else.
    logFormat: e.LOG_FORMAT ?? (demo ? 'pretty' : 'json'),
    webPort: e.WEB_PORT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    scheduleTickMs: e.SCHEDULE_TICK_MS,
    exportWorkers: e.EXPORT_WORKERS,
    demo,
    apiKey: e.LEDGERLINE_API_KEY,
    adminKey: e.LEDGERLINE_ADMIN_KEY,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    vendorClashSuffix: e.VENDOR_CLASH_SUFFIX,
    trustProxy: e.TRUST_PROXY,
    summaryCacheMs: e.SUMMARY_CACHE_MS,
    exportLockLeaseMs: e.EXPORT_LOCK_LEASE_MS,
    statusSync: { everyMinutes: e.STATUS_SYNC_EVERY_MINUTES, webhookVerifierToken: e.QBO_WEBHOOK_VERIFIER_TOKEN, pageSize: e.STATUS_SYNC_PAGE_SIZE },
    webConnector: { batchSize: e.QBWC_BATCH_SIZE, waitMs: e.QBWC_WAIT_MS, answerTimeoutMs: e.QBWC_ANSWER_TIMEOUT_MS },
    quickbooks: {
      baseUrl: e.QBO_BASE_URL,
      environment: e.QBO_ENVIRONMENT,
      clientId: e.QBO_CLIENT_ID,
      clientSecret: e.QBO_CLIENT_SECRET,
      redirectUri: e.QBO_REDIRECT_URI ?? `${publicUrl}/quickbooks/callback`,
      minorVersion: e.QBO_MINOR_VERSION,
      batchSize: e.QBO_BATCH_SIZE ?? fittingBatchSize(e.QBO_REQUESTS_PER_MINUTE, e.QBO_BATCH_COUNTS),
      requestsPerMinute: e.QBO_REQUESTS_PER_MINUTE,
      batchCounts: e.QBO_BATCH_COUNTS,
      batchesPerMinute: e.QBO_BATCHES_PER_MINUTE,
      requestsPerSecond: e.QBO_REQUESTS_PER_SECOND,
      maxConcurrent: e.QBO_MAX_CONCURRENT,
      monthlyReadBudget: e.QBO_MONTHLY_READ_BUDGET,
      rateWindowMs: e.QBO_RATE_WINDOW_MS,
      requestTimeoutMs: e.QBO_REQUEST_TIMEOUT_MS,
      processingLimitMs: e.QBO_PROCESSING_LIMIT_MS,
      emulatorPort: e.QBO_EMULATOR_PORT,
    },
    salesforce: {
      loginUrl: e.SF_LOGIN_URL,
      apiVersion: e.SF_API_VERSION,
      clientId: e.SF_CLIENT_ID,
      clientSecret: e.SF_CLIENT_SECRET,
      username: e.SF_USERNAME,
      password: e.SF_PASSWORD,
      emulatorPort: e.SF_EMULATOR_PORT,
      requestTimeoutMs: e.SF_REQUEST_TIMEOUT_MS,
      apiReservePercent: e.SF_API_RESERVE_PERCENT,
      bulkThreshold: e.SF_BULK_THRESHOLD,
      bulkChunk: e.SF_BULK_CHUNK,
      signInAttempts: e.SF_SIGN_IN_ATTEMPTS,
    },
  };
}

/** What `npm run serve` (the compiled service, no emulators) cannot start without, and what each one is. */
export const PRODUCTION_SETTINGS: Record<string, string> = {
  QBO_BASE_URL: 'the QuickBooks API (https://quickbooks.api.intuit.com, or https://sandbox-quickbooks.api.intuit.com)',
  QBO_CLIENT_ID: "your Intuit app's client id",
  QBO_CLIENT_SECRET: "your Intuit app's client secret",
  SF_LOGIN_URL: 'your org (https://login.salesforce.com, https://test.salesforce.com or your My Domain URL)',
  SF_CLIENT_ID: "the connected app's consumer key",
  SF_CLIENT_SECRET: "the connected app's consumer secret",
  TOKEN_ENCRYPTION_KEY: '32 random bytes as 64 hex characters (openssl rand -hex 32)',
  LEDGERLINE_API_KEY: "the export API key (the Named Credential's ApiKey), at least 16 characters",
  LEDGERLINE_ADMIN_KEY: 'the admin key for QuickBooks Authentication, at least 16 characters',
};

/**
 * The settings of a production start: every real endpoint and key set (no emulator, no generated key), then the
 * usual parsing. Throws one ConfigError naming each missing setting.
 */
export function loadProductionConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const missing = Object.entries(PRODUCTION_SETTINGS)
    .filter(([name]) => !source[name]?.trim())
    .map(([name, what]) => `${name} is not set: ${what}`);
  if (missing.length) throw new ConfigError(missing);
  const config = loadConfig({ NODE_ENV: 'production', ...source });
  if (config.demo) throw new ConfigError(['QBO_BASE_URL and SF_LOGIN_URL must point at QuickBooks and Salesforce']);
  return config;
}

/** Where QuickBooks lives: the real Intuit hosts, or one emulator URL that serves all of them. */
export function quickBooksEndpoints(qb: Config['quickbooks'], emulatorUrl?: string): QuickBooksEndpoints {
  const emulator = emulatorUrl ?? (qb.baseUrl ? undefined : `http://127.0.0.1:${qb.emulatorPort}`);
  if (emulator) {
    return {
      apiBaseUrl: emulator,
      authorizeUrl: `${emulator}/connect/oauth2`,
      tokenUrl: `${emulator}/oauth2/v1/tokens/bearer`,
      revokeUrl: `${emulator}/v2/oauth2/tokens/revoke`,
    };
  }
  return {
    apiBaseUrl: qb.baseUrl!,
    authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
    tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  };
}
