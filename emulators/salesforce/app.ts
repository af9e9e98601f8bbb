// Wires the REST surface together. Every data call passes, in order: version check, statistics,
// latency, scripted faults, bearer-token check, daily API limit; then the resource itself.
import type { IncomingMessage } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { actionRoutes } from './actions';
import { adminRoutes } from './admin';
import { bulkRoutes } from './bulk2';
import { compositeRoutes } from './composite';
import { compositeRequestHandler } from './compositeRequest';
import type { CallKind } from './faults';
import { ApiError, notFound, sendJson, sleep } from './http';
import { baseUrl, oauthRoutes } from './oauth';
import { queryRoutes } from './query';
import { sobjectRoutes } from './sobjects';
import type { SalesforceState } from './state';

const LATEST_VERSION = 62;

const sessionInvalid = () => ApiError.of(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
const limitExceeded = () => ApiError.of(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/** Release label of an API version, e.g. 62 -> "Winter '25" (three releases a year since v20). */
function releaseLabel(v: number): string {
  const i = v - 20;
  const season = ['Winter', 'Spring', 'Summer'][i % 3];
  const year = String(11 + Math.floor(i / 3)).padStart(2, '0');
  // The live org really answers v42.0 with a typographic apostrophe.
  return `${season} ${v === 42 ? '’' : "'"}${year}`;
}

function versions(): Array<Record<string, string>> {
  const out = [];
  for (let v = 31; v <= LATEST_VERSION; v++) out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

/** Call kind and a stable endpoint key ("PATCH /composite/sobjects") for statistics and faults. */
export function classify(method: string, rest: string): { kind: CallKind; endpoint: string } {
  const segs = rest
    .split('?')[0]
    .split('/')
    .filter((s) => s !== '');
  const head = segs[0] ?? '';
  let kind: CallKind = 'other';
  const norm = [...segs];
  if (head === 'query' || head === 'queryAll') {
    kind = segs.length > 1 ? 'queryMore' : 'query';
    if (segs.length > 1) norm[1] = ':locator';
  } else if (head === 'composite') {
    kind = 'composite';
  } else if (head === 'jobs') {
    kind = 'bulk';
    if (segs.length > 2) norm[2] = ':id';
  } else if (head === 'sobjects') {
    if (segs.length === 1 || (segs.length === 2 && method === 'GET') || segs[2] === 'describe') kind = 'describe';
    else kind = 'sobject';
    if (segs.length === 3 && segs[2] !== 'describe') norm[2] = ':id';
    if (segs.length === 4) norm[3] = ':value';
  }
  return { kind, endpoint: `${method} /${norm.join('/')}` };
}

function limits(state: SalesforceState): Record<string, { Max: number; Remaining: number }> {
  const fixed = (max: number) => ({ Max: max, Remaining: max });
  return {
    ConcurrentAsyncGetReportInstances: fixed(200),
    ConcurrentSyncReportRuns: fixed(20),
    DailyApiRequests: { Max: state.options.dailyApiLimit, Remaining: Math.max(0, state.options.dailyApiLimit - state.apiUsage) },
    DailyAsyncApexExecutions: fixed(250000),
    DailyBulkApiBatches: fixed(15000),
    DailyBulkV2QueryFileStorageMB: fixed(976562),
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: Math.max(0, 10000 - state.bulkQueryJobs) },
    DailyStreamingApiEvents: fixed(10000),
    DataStorageMB: fixed(5),
    FileStorageMB: fixed(20),
    HourlyODataCallout: fixed(1000),
    HourlyPublishedPlatformEvents: fixed(50000),
    SingleEmail: fixed(15),
  };
}

/** The version resource lists only what this emulator serves (a client that follows a link must find it). */
function resources(version: string, identity: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = ['queryAll', 'composite', 'query', 'sobjects', 'jobs', 'limits'];
  const out: Record<string, string> = {};
  for (const n of names) out[n] = `${base}/${n}`;
  out.identity = identity;
  return out;
}

export function buildApp(state: SalesforceState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // A client that keeps the instance URL with a trailing slash asks for "//services/data/..."; the org's
  // front end collapses repeated slashes, so the emulator does too.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (path.includes('//')) req.url = path.replace(/\/{2,}/g, '/') + (q === -1 ? '' : req.url.slice(q));
    next();
  });

  app.use('/__admin', adminRoutes(state));

  /** Latency, statistics and scripted faults; true when the call may go on. */
  const gate = async (req: Request, res: Response, kind: CallKind, endpoint: string): Promise<boolean> => {
    state.countCall(kind, endpoint);
    if (state.options.latencyMs > 0) await sleep(state.options.latencyMs);
    const fault = state.faults.takeCallFault({ method: req.method, path: req.originalUrl, kind });
    if (!fault) return true;
    switch (fault.kind) {
      case 'delay':
        await sleep(fault.delayMs);
        return true;
      case 'reset':
        req.socket.destroy();
        return false;
      case 'answerLost':
        // The call goes on and its work is saved; the answer never leaves.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as Response['end'];
        return true;
      case 'INVALID_SESSION_ID':
        throw sessionInvalid();
      case 'REQUEST_LIMIT_EXCEEDED':
        throw limitExceeded();
      case 'http500':
        throw ApiError.of(
          500,
          'UNKNOWN_EXCEPTION',
          'An unexpected error occurred. Please include this ErrorId if you contact support: 1598712245-42136 (-1217443387)',
        );
      case 'http503':
        throw ApiError.of(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');
    }
  };

  const authPaths = (req: Request) => req.path.startsWith('/services/oauth2/') || req.path.startsWith('/id/');
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (!authPaths(req)) return next();
    if (await gate(req, res, 'auth', `${req.method} ${req.path}`)) next();
  });
  app.use(oauthRoutes(state));

  app.get('/services/data', (_req, res) => {
    state.countCall('other', 'GET /services/data');
    sendJson(res, 200, versions());
  });

  const data = express.Router({ mergeParams: true });
  data.use(async (req: Request, res: Response, next: NextFunction) => {
    const version = String(req.params.version);
    if (!/^v\d{2}\.0$/.test(version)) throw notFound();
    res.locals.version = version.slice(1);
    const { kind, endpoint } = classify(req.method, req.path);
    if (!(await gate(req, res, kind, endpoint))) return;

    const auth = req.get('authorization') ?? '';
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const session = token ? state.session(token) : undefined;
    if (!session) throw sessionInvalid();
    res.locals.userId = session.userId;

    if (state.apiUsage >= state.options.dailyApiLimit) {
      res.set('Sforce-Limit-Info', `api-usage=${state.apiUsage}/${state.options.dailyApiLimit}`);
      throw limitExceeded();
    }
    state.apiUsage += 1;
    state.countUserCall(session.userId);
    res.set('Sforce-Limit-Info', `api-usage=${state.apiUsage}/${state.options.dailyApiLimit}`);
    next();
  });
  // Bulk API 2.0 uploads are CSV (up to 150 MB a request); everything else is JSON.
  const isCsv = (req: IncomingMessage) =>
    String(req.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('text/csv');
  data.use(express.text({ limit: '150mb', type: isCsv }));
  data.use(express.json({ limit: '50mb', type: (req) => !isCsv(req) }));
  data.get('/', (req, res) => {
    const identity = `${baseUrl(req)}/id/${state.orgId}/${String(res.locals.userId)}`;
    sendJson(res, 200, resources(String(res.locals.version), identity));
  });
  data.get('/limits', (_req, res) => sendJson(res, 200, limits(state)));
  const query = queryRoutes(state);
  const sobjects = sobjectRoutes(state);
  const collections = compositeRoutes(state);
  // What a /composite call's subrequests run through: the same handlers, without the per-call gate above.
  const subrequests = express.Router();
  subrequests.use(query, sobjects, collections);
  data.post('/composite', compositeRequestHandler(state, subrequests));
  data.use(query);
  data.use(sobjects);
  data.use(collections);
  data.use(bulkRoutes(state));
  data.use(actionRoutes(state));
  data.use(() => {
    throw notFound();
  });
  app.use('/services/data/:version', data);

  app.use(() => {
    throw notFound();
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof ApiError) return sendJson(res, err.status, err.body);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return sendJson(res, 400, [{ message: e.message ?? 'invalid JSON', errorCode: 'JSON_PARSER_ERROR' }]);
    if (e.type === 'entity.too.large') return sendJson(res, 413, [{ message: 'Request body too large', errorCode: 'REQUEST_TOO_LARGE' }]);
    sendJson(res, 500, [{ message: `An unexpected error occurred: ${e.message ?? String(err)}`, errorCode: 'UNKNOWN_EXCEPTION' }]);
  });
  return app;
}
