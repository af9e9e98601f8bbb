// The express app: routes only. Each route validates its input with a strict zod schema and calls a use case.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerlineError, badRequest } from './errors';
import type { ExportService } from './export/service';
import { requireRole, type Credentials } from './http/auth';
import { calendarDate, clientError, parseInput, requireBodyType } from './http/validation';
import { scrubSecrets } from './log';

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
}

/** A Sales Invoice Number is a Salesforce Name field: at most 80 characters. */
export const MAX_INVOICE_NUMBER_LENGTH = 80;
/** Invoice numbers one export may name. */
export const MAX_INVOICE_NUMBERS = 1000;
/** JSON bodies of the API; the largest real one (1,000 invoice numbers) is under 100 KB. */
export const API_BODY_LIMIT = '1mb';

const invoiceNumberList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => {
    const list = (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
    return list.length ? [...new Set(list)] : undefined;
  })
  .superRefine((list, ctx) => {
    if (!list) return;
    if (list.length > MAX_INVOICE_NUMBERS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_INVOICE_NUMBERS.toLocaleString('en-US')} invoice numbers per export (${list.length.toLocaleString('en-US')} given); export the rest in another run or by date range`,
      });
      return;
    }
    const long = list.find((n) => n.length > MAX_INVOICE_NUMBER_LENGTH);
    if (long) {
      ctx.addIssue({
        code: 'custom',
        message: `an invoice number has at most ${MAX_INVOICE_NUMBER_LENGTH} characters (one given has ${long.length.toLocaleString('en-US')})`,
      });
    }
    // eslint-disable-next-line no-control-regex
    if (list.some((n) => /[\u0000-\u001f\u007f]/.test(n))) ctx.addIssue({ code: 'custom', message: 'invoice numbers cannot hold control characters' });
  });

export const ExportRequestSchema = z
  .strictObject({
    dryRun: z.boolean().optional().default(false),
    invoiceNumbers: invoiceNumberList,
    fromDate: calendarDate.optional(),
    toDate: calendarDate.optional(),
  })
  .refine((r) => !r.fromDate || !r.toDate || r.fromDate <= r.toDate, { message: 'fromDate must not be after toDate', path: ['fromDate'] });

const NoQuery = z.strictObject({});

/** A company's export schedule: every N minutes (5 minutes to a day), or null for none. */
export const ScheduleSchema = z.strictObject({
  everyMinutes: z.number().int().min(5, 'at least every 5 minutes').max(1440, 'at most once a day').nullable(),
  /** When the first export starts (default: one interval from now). */
  startAt: z.iso.datetime({ offset: true }).optional(),
});
const LIMIT_RULE = 'limit is a whole number from 1 to 50';
const ProcessLogQuery = z.strictObject({
  limit: z.coerce.number(LIMIT_RULE).int(LIMIT_RULE).min(1, LIMIT_RULE).max(50, LIMIT_RULE).optional().default(5),
});

const IdParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a valid id');

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.trustProxy ?? false);
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
  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use(requireRole(ctx.credentials, 'export'));
  api.use(requireBodyType('application/json'), express.json({ limit: API_BODY_LIMIT }));

  api.get('/companies', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(await ctx.exports.companies());
  });

  api.get('/companies/:companyId/summary', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(await ctx.exports.summary(parseId(req.params.companyId)));
  });

  api.post('/companies/:companyId/exports', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new LedgerlineError('BAD_REQUEST', 'The request body must be a JSON object such as {"dryRun": true}.', { status: 400 });
    }
    const options = parseInput(ExportRequestSchema, body);
    const { runId } = await ctx.exports.start(parseId(req.params.companyId), options);
    res.status(202).json({ runId, status: 'running' });
  });

  api.get('/companies/:companyId/schedule', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(await ctx.exports.schedule(parseId(req.params.companyId)));
  });

  // An admin sets when a company exports by itself (every N minutes; null turns it off).
  api.put('/companies/:companyId/schedule', requireRole(ctx.credentials, 'admin'), async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    const body = parseInput(ScheduleSchema, req.body ?? {}, 'field');
    res.json(await ctx.exports.setSchedule(parseId(req.params.companyId), body.everyMinutes, body.startAt ? new Date(body.startAt) : undefined));
  });

  api.post('/companies/:companyId/invoices/:invoiceId/unpend', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    if (!ctx.unpend) throw new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 });
    res.json(await ctx.unpend(parseId(req.params.companyId), parseId(req.params.invoiceId)));
  });

  api.get('/runs/:runId', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameter');
    res.json(await ctx.exports.status(parseId(req.params.runId)));
  });

  api.get('/companies/:companyId/process-logs', async (req, res) => {
    const { limit } = parseInput(ProcessLogQuery, req.query, 'query parameter');
    res.json(await ctx.exports.processLogs(parseId(req.params.companyId), limit));
  });

  app.use('/api', api);
  if (ctx.webConnectorRouter) app.use('/quickbooks/webconnector', ctx.webConnectorRouter);
  if (ctx.quickbooksRouter) app.use('/quickbooks', ctx.quickbooksRouter);

  app.use('/api', (_req, _res, next) => next(new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 })));
  app.use(errorHandler(ctx.logger));
  return app;
}

function parseId(value: unknown): string {
  const parsed = IdParam.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid id: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
  return parsed.data;
}

/** One JSON error shape for every failure; a bad request never takes the process down. */
function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof LedgerlineError ? err : clientError(err);
    if (known) {
      if (known.status >= 500) logger.error({ code: known.code, path: req.path, err: scrubSecrets(known.message) }, 'request failed');
      const runId = known.options.details?.runId;
      const retryAfter = known.options.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(known.status).json({
        error: {
          code: known.code,
          message: scrubSecrets(known.message),
          ...(known.fix ? { fix: known.fix } : {}),
          ...(runId ? { runId } : {}),
          ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
        },
      });
      return;
    }
    logger.error({ path: req.path, err: scrubSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong in the Ledgerline service. The error was logged.' } });
  };
}
