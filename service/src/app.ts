// The express app: routes only. Each route validates its input with a zod schema and calls a use case.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerlineError, badRequest } from './errors';
import type { ExportService } from './export/service';
import { requireRole, type Credentials } from './http/auth';
import { scrubSecrets } from './log';

export interface AppContext {
  exports: ExportService;
  credentials: Credentials;
  logger: Logger;
  /** The QuickBooks Authentication pages and OAuth callback. */
  quickbooksRouter?: Router;
  /** The local Sales Invoice Export page (demo harness). */
  webRouter?: Router;
  /** QuickBooks Desktop: the Web Connector's SOAP endpoint and the admin's Web Connector page. */
  qbwcRouter?: Router;
  webConnectorRouter?: Router;
  /** Takes a Pending Sync invoice back off QuickBooks Desktop's queue. */
  unpend?: (companyId: string, invoiceId: string) => Promise<unknown>;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const ExportRequestSchema = z
  .object({
    dryRun: z.boolean().optional().default(false),
    invoiceNumbers: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => {
        const list = (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
        return list.length ? [...new Set(list)] : undefined;
      }),
    fromDate: isoDate.optional(),
    toDate: isoDate.optional(),
  })
  .refine((r) => !r.fromDate || !r.toDate || r.fromDate <= r.toDate, { message: 'fromDate must not be after toDate', path: ['fromDate'] });

const IdParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a valid id');

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The Web Connector posts SOAP (text/xml), before the JSON parser.
  if (ctx.qbwcRouter) app.use('/qbwc', ctx.qbwcRouter);
  app.use(express.json({ limit: '1mb' }));

  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use(requireRole(ctx.credentials, 'export'));

  api.get('/companies', async (_req, res) => {
    res.json(await ctx.exports.companies());
  });

  api.get('/companies/:companyId/summary', async (req, res) => {
    res.json(await ctx.exports.summary(parseId(req.params.companyId)));
  });

  api.post('/companies/:companyId/exports', async (req, res) => {
    const parsed = ExportRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const { runId } = await ctx.exports.start(parseId(req.params.companyId), parsed.data);
    res.status(202).json({ runId, status: 'running' });
  });

  api.post('/companies/:companyId/invoices/:invoiceId/unpend', async (req, res) => {
    if (!ctx.unpend) throw new LedgerlineError('NOT_FOUND', 'No such API route.', { status: 404 });
    res.json(await ctx.unpend(parseId(req.params.companyId), parseId(req.params.invoiceId)));
  });

  api.get('/runs/:runId', async (req, res) => {
    res.json(await ctx.exports.status(parseId(req.params.runId)));
  });

  api.get('/companies/:companyId/process-logs', async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(50).catch(5).parse(req.query.limit ?? 5);
    res.json(await ctx.exports.processLogs(parseId(req.params.companyId), limit));
  });

  app.use('/api', api);
  if (ctx.webConnectorRouter) app.use('/quickbooks/webconnector', ctx.webConnectorRouter);
  if (ctx.quickbooksRouter) app.use('/quickbooks', ctx.quickbooksRouter);
  if (ctx.webRouter) app.use('/', ctx.webRouter);

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
    if (err instanceof LedgerlineError) {
      if (err.status >= 500) logger.error({ code: err.code, path: req.path, err: scrubSecrets(err.message) }, 'request failed');
      const runId = err.options.details?.runId;
      res.status(err.status).json({ error: { code: err.code, message: scrubSecrets(err.message), ...(err.fix ? { fix: err.fix } : {}), ...(runId ? { runId } : {}) } });
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || (err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' } });
      return;
    }
    logger.error({ path: req.path, err: scrubSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong in the Ledgerline service. The error was logged.' } });
  };
}
