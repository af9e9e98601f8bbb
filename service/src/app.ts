// The express app: routes only. Each route validates its input with a strict zod schema and calls a use case.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CompanyListSchema,
  ErrorAnswerSchema,
  ExportStartedSchema,
  HealthSchema,
  ProcessLogListSchema,
  ReconciliationSchema,
  RunSchema,
  ScheduleSchema as ScheduleAnswerSchema,
  StatusSyncPageSchema,
  StatusSyncSchema as StatusSyncAnswerSchema,
  SummarySchema,
  UnpendAnswerSchema,
} from './contract/answers';
import { answerChecker, type AnswerCheck } from './contract/check';
import { openApiDocument } from './contract/openapi';
import { LedgerlineError, badRequest } from './errors';
import type { ExportService } from './export/service';
import { keyGuessLimit, requireRole, type Credentials } from './http/auth';
import { invoiceNumberList } from './http/invoiceNumbers';
import { recordList } from './http/records';
import { requestIdOf, requestIds } from './http/requestId';
import { calendarDate, clientError, parseInput, requireBodyType } from './http/validation';
import { scrubSecrets } from './log';
import type { StatusSyncService } from './status/service';
import type { Period } from './reconcile/model';
import type { Reconciliation } from './reconcile/service';

export interface AppContext {
  exports: ExportService;
  credentials: Credentials;
  logger: Logger;
  /** The QuickBooks Authentication pages and OAuth callback. */
  quickbooksRouter?: Router;
  /** Strict-Transport-Security on every answer: only when the service is reached over https (PUBLIC_URL). */
  hsts?: boolean;
  /** Express `trust proxy` (TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** QuickBooks Desktop: the Web Connector's SOAP endpoint and the admin's Web Connector page. */
  qbwcRouter?: Router;
  webConnectorRouter?: Router;
  /** Takes a Pending Sync invoice back off QuickBooks Desktop's queue. */
  unpend?: (companyId: string, invoiceId: string) => Promise<unknown>;
  /** QuickBooks status back into Salesforce: sync now, a sync's state, the schedule. */
  statusSync?: StatusSyncService;
  /** Salesforce against QuickBooks for a period. */
  reconcile?: (companyId: string, period: Period) => Promise<Reconciliation>;
  /** QuickBooks' webhook deliveries (CloudEvents), at /webhooks/quickbooks. */
  webhookRouter?: Router;
  /** Check every answer against the contract (tests): an answer outside it fails loudly instead of reaching a caller. */
  checkAnswers?: boolean;
  /** The service's public URL, named in the OpenAPI document. */
  publicUrl?: string;
}

/** JSON bodies of the API; the largest real one (1,000 invoice numbers) is under 100 KB. */
export const API_BODY_LIMIT = '1mb';

export const ExportRequestSchema = z
  .strictObject({
    dryRun: z.boolean().optional().default(false),
    invoiceNumbers: invoiceNumberList,
    /** Salesforce record ids: a run of just these records and what they need (a retry of Process Log errors). */
    records: recordList,
    fromDate: calendarDate.optional(),
    toDate: calendarDate.optional(),
  })
  .refine((r) => !r.fromDate || !r.toDate || r.fromDate <= r.toDate, { message: 'fromDate must not be after toDate', path: ['fromDate'] })
  // A retry names its records exactly: numbers or dates beside them would leave it unclear which one limits the run.
  .refine((r) => !r.records || (!r.invoiceNumbers && !r.fromDate && !r.toDate), {
    message: 'give either records or invoiceNumbers / fromDate / toDate, not both',
    path: ['records'],
  });

const NoQuery = z.strictObject({});

/** A company's export schedule: every N minutes (5 minutes to a day), or null for none. */
export const ScheduleSchema = z.strictObject({
  everyMinutes: z.number().int().min(5, 'at least every 5 minutes').max(1440, 'at most once a day').nullable(),
  /** When the first export starts (default: one interval from now). */
  startAt: z.iso.datetime({ offset: true }).optional(),
});
/** A company's status sync interval: 0 turns scheduled syncs off, null goes back to STATUS_SYNC_EVERY_MINUTES. */
export const StatusSyncScheduleSchema = z.strictObject({
  everyMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440, 'at most once a day')
    .refine((v) => v === 0 || v >= 5, '0 (off) or at least every 5 minutes')
    .nullable(),
});
const LIMIT_RULE = 'limit is a whole number from 1 to 50';
const ProcessLogQuery = z.strictObject({
  limit: z.coerce.number(LIMIT_RULE).int(LIMIT_RULE).min(1, LIMIT_RULE).max(50, LIMIT_RULE).optional().default(5),
});

/** A reconciliation's period: both days, at most a year and a day apart (its QuickBooks reads grow with it). */
export const ReconciliationQuery = z
  .strictObject({ from: calendarDate, to: calendarDate })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'the period is at most 366 days', path: ['to'] });

const IdParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a valid id');

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.trustProxy ?? false);
  app.use(requestIds(ctx.logger));
  const answer: AnswerCheck = answerChecker(ctx.checkAnswers === true);
  // nosniff, frame and referrer policies for every answer; HSTS only where browsers reach us over https.
  app.use(
    helmet({
      contentSecurityPolicy: false,
      strictTransportSecurity: ctx.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
  // API answers and the admin pages are never rendered from a cache or framed (the pages set a policy of their own).
  const apiPolicy = helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } });
  app.use(['/api', '/quickbooks'], apiPolicy, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The Web Connector posts SOAP (text/xml): its own parser, its own route.
  if (ctx.qbwcRouter) app.use('/qbwc', ctx.qbwcRouter);
  // Intuit signs the raw body: its own parser, its own route, no API key (the signature is the credential).
  if (ctx.webhookRouter) app.use('/webhooks/quickbooks', ctx.webhookRouter);
  app.get('/api/health', (_req, res) => {
    res.json(answer(HealthSchema, { status: 'ok' }));
  });
  // The contract, for whoever integrates with the service (no key needed: it holds no data).
  let document: unknown;
  app.get('/api/openapi.json', (_req, res) => {
    document ??= openApiDocument(
      { exportRequest: ExportRequestSchema, scheduleRequest: ScheduleSchema, statusSyncScheduleRequest: StatusSyncScheduleSchema },
      ctx.publicUrl ?? '/',
    );
    res.json(document);
  });
  // Keys guessed through the Authorization header wait as sign-in does.
  app.use(
    ['/api', '/quickbooks'],
    keyGuessLimit((req) => ctx.logger.warn({ ip: req.ip }, 'API keys from this address refused for a while: too many wrong keys')),
  );

  const api = express.Router();
  api.use(requireRole(ctx.credentials, 'export'));
  api.use(requireBodyType('application/json'), express.json({ limit: API_BODY_LIMIT }));

  api.get('/companies', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(CompanyListSchema, await ctx.exports.companies()));
  });

  api.get('/companies/:companyId/summary', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(SummarySchema, await ctx.exports.summary(parseId(req.params.companyId))));
  });

  api.post('/companies/:companyId/exports', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new LedgerlineError('BAD_REQUEST', 'The request body must be a JSON object such as {"dryRun": true}.', { status: 400 });
    }
    const options = parseInput(ExportRequestSchema, body);
    const { runId } = await ctx.exports.start(parseId(req.params.companyId), options);
    res.status(202).json(answer(ExportStartedSchema, { runId, status: 'running' }));
  });

  api.get('/companies/:companyId/schedule', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(ScheduleAnswerSchema.nullable(), await ctx.exports.schedule(parseId(req.params.companyId))));
  });

  // An admin sets when a company exports by itself (every N minutes; null turns it off).
  api.put('/companies/:companyId/schedule', requireRole(ctx.credentials, 'admin'), async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    const body = parseInput(ScheduleSchema, req.body ?? {}, 'field');
    res.json(
      answer(
        ScheduleAnswerSchema.nullable(),
        await ctx.exports.setSchedule(parseId(req.params.companyId), body.everyMinutes, body.startAt ? new Date(body.startAt) : undefined),
      ),
    );
  });

  api.post('/companies/:companyId/invoices/:invoiceId/unpend', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    if (!ctx.unpend) throw new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 });
    res.json(answer(UnpendAnswerSchema, await ctx.unpend(parseId(req.params.companyId), parseId(req.params.invoiceId))));
  });

  // QuickBooks status back into Salesforce: a sync now (answered with its id at once), its state, the page's view.
  api.post('/companies/:companyId/status-sync', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    parseInput(NoQuery, req.body ?? {}, 'field');
    res.status(202).json(answer(StatusSyncAnswerSchema, await statusSyncOf(ctx).request(parseId(req.params.companyId), 'manual')));
  });

  api.get('/companies/:companyId/status-sync', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(StatusSyncPageSchema, await statusSyncOf(ctx).page(parseId(req.params.companyId))));
  });

  api.put('/companies/:companyId/status-sync/schedule', requireRole(ctx.credentials, 'admin'), async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    const body = parseInput(StatusSyncScheduleSchema, req.body ?? {}, 'field');
    res.json(answer(StatusSyncPageSchema, await statusSyncOf(ctx).setSchedule(parseId(req.params.companyId), body.everyMinutes)));
  });

  api.get('/companies/:companyId/status-sync/:syncId', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(StatusSyncAnswerSchema, await statusSyncOf(ctx).get(parseId(req.params.companyId), parseId(req.params.syncId))));
  });

  // Salesforce against QuickBooks for a period: totals, and every record that differs with its cause and fix.
  api.get('/companies/:companyId/reconciliation', async (req, res) => {
    const period = parseInput(ReconciliationQuery, req.query, 'query parameter');
    if (!ctx.reconcile) throw new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 });
    res.json(answer(ReconciliationSchema, await ctx.reconcile(parseId(req.params.companyId), period)));
  });

  api.get('/runs/:runId', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(answer(RunSchema, await ctx.exports.status(parseId(req.params.runId))));
  });

  api.get('/companies/:companyId/process-logs', async (req, res) => {
    const { limit } = parseInput(ProcessLogQuery, req.query, 'query parameter');
    res.json(answer(ProcessLogListSchema, await ctx.exports.processLogs(parseId(req.params.companyId), limit)));
  });

  app.use('/api', api);
  if (ctx.webConnectorRouter) app.use('/quickbooks/webconnector', ctx.webConnectorRouter);
  if (ctx.quickbooksRouter) app.use('/quickbooks', ctx.quickbooksRouter);

  app.use('/api', (_req, _res, next) => next(new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 })));
  app.use(errorHandler(ctx.logger, answer));
  return app;
}

function statusSyncOf(ctx: AppContext): StatusSyncService {
  if (!ctx.statusSync) throw new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 });
  return ctx.statusSync;
}

function parseId(value: unknown): string {
  const parsed = IdParam.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid id: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
  return parsed.data;
}

/** One JSON error shape for every failure, naming the request's reference; a bad request never takes the process down. */
function errorHandler(logger: Logger, answer: AnswerCheck) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIdOf(req) ?? 'unknown';
    const known = err instanceof LedgerlineError ? err : clientError(err);
    if (known) {
      if (known.status >= 500) logger.error({ code: known.code, path: req.path, err: scrubSecrets(known.message) }, 'request failed');
      const runId = known.options.details?.runId;
      const retryAfter = known.options.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(known.status).json(
        answer(ErrorAnswerSchema, {
          error: {
            code: known.code,
            message: scrubSecrets(known.message),
            ...(known.fix ? { fix: known.fix } : {}),
            ...(typeof runId === 'string' ? { runId } : {}),
            ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
            requestId,
          },
        }),
      );
      return;
    }
    logger.error({ path: req.path, err: scrubSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) }, 'unexpected error');
    res.status(500).json({
      error: { code: 'INTERNAL', message: `Something went wrong in the Ledgerline service. The error was logged (reference ${requestId}).`, requestId },
    });
  };
}
