// The Composite resource (POST /composite): up to 25 subrequests in one call that counts once against the org's API
// allowance, at most 5 of them queries (query, queryAll, query more) or sObject Collections. Each subrequest runs
// through the very handlers that serve it as a call of its own, so its answer is what that call would have answered,
// kept as {body, httpHeaders, httpStatusCode, referenceId} in request order. With allOrNone false a failed subrequest
// leaves the others be; with true, the first failure rolls back every write of the call and every other subrequest
// answers 400 PROCESSING_HALTED. References between subrequests (@{ref.field}) are not served.
import type { Request, Response, Router } from 'express';
import { ApiError, notFound, sendJson } from './http';
import type { SalesforceState } from './state';

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string | null;
}

const HALTED = { errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' };

/** A limit of the call itself: the org answers it as the only entry of compositeResponse, naming no subrequest. */
const limitExceeded = (message: string): { compositeResponse: SubrequestResult[] } => ({
  compositeResponse: [{ body: [{ errorCode: 'LIMIT_EXCEEDED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }],
});

function readBody(req: Request): { allOrNone: boolean; subrequests: Subrequest[] } {
  const body = req.body as { allOrNone?: unknown; compositeRequest?: unknown } | undefined;
  const list = body?.compositeRequest;
  const valid = (s: unknown): s is Subrequest => {
    const r = s as Partial<Subrequest> | null;
    return typeof r === 'object' && r !== null && typeof r.method === 'string' && typeof r.url === 'string' && typeof r.referenceId === 'string';
  };
  if (!Array.isArray(list) || list.length === 0 || !list.every(valid)) {
    throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  }
  return { allOrNone: body?.allOrNone === true, subrequests: list };
}

/** The resource path under /services/data/vXX.X, or undefined when the url is not a data resource. */
function resourcePath(url: string): string | undefined {
  return /^\/services\/data\/v\d{2}\.0(\/.*)$/.exec(url)?.[1];
}

/** What a composite call may carry: sObject resources, query and queryAll, sObject Collections (not sObject Tree). */
function servedInComposite(path: string): boolean {
  return /^\/(sobjects|query|queryAll)(\/|\?|$)/.test(path) || /^\/composite\/sobjects(\/|\?|$)/.test(path);
}

/** Query, queryAll, query more and sObject Collections: the subrequests of which a call may carry five. */
export function isQueryOrCollection(url: string): boolean {
  const path = (resourcePath(url) ?? '').split('?')[0] ?? '';
  return /^\/(query|queryAll)(\/|$)/.test(path) || /^\/composite\/sobjects(\/|$)/.test(path);
}

/**
 * Runs one subrequest through `resources` (the routers that serve the calls on their own) with a stand-in request and
 * response: the request inherits the composite call's (its session, user and API version), the response records what
 * the handler answers instead of sending it.
 */
function dispatch(resources: Router, req: Request, res: Response, sub: Subrequest): Promise<SubrequestResult> {
  return new Promise((resolve) => {
    const referenceId = sub.referenceId;
    const path = resourcePath(sub.url);
    const fail = (err: ApiError) => resolve({ body: err.body, httpHeaders: {}, httpStatusCode: err.status, referenceId });
    if (path === undefined || !servedInComposite(path)) return fail(notFound());

    let status = 200;
    const headers: Record<string, string> = {};
    const subReq = Object.create(req) as Request;
    subReq.method = sub.method.toUpperCase();
    subReq.url = path;
    subReq.originalUrl = sub.url;
    subReq.body = sub.body;
    subReq.headers = { ...req.headers, ...Object.fromEntries(Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
    const subRes = Object.create(res) as Response;
    subRes.locals = { ...res.locals };
    subRes.status = (code: number) => {
      status = code;
      return subRes;
    };
    subRes.set = ((field: string | Record<string, string>, value?: string) => {
      const entries = typeof field === 'string' ? [[field, String(value)]] : Object.entries(field);
      // Subrequest answers carry no Content-Type or Content-Length of their own.
      for (const [k, v] of entries) if (!/^content-(type|length)$/i.test(k!)) headers[k!] = v!;
      return subRes;
    }) as Response['set'];
    const finish = (raw?: unknown) => {
      const text = typeof raw === 'string' ? raw : raw === undefined ? '' : String(raw);
      resolve({ body: text === '' ? null : (JSON.parse(text) as unknown), httpHeaders: headers, httpStatusCode: status, referenceId });
      return subRes;
    };
    subRes.send = finish as Response['send'];
    subRes.end = (() => finish()) as Response['end'];
    resources(subReq, subRes, (err?: unknown) => {
      if (err instanceof ApiError) return fail(err);
      if (err) return fail(ApiError.of(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(err as Error).message ?? String(err)}`));
      fail(notFound());
    });
  });
}

/** POST /composite, counted (and limited) as one call by the data router before it gets here. */
export function compositeRequestHandler(state: SalesforceState, resources: Router) {
  return async (req: Request, res: Response): Promise<void> => {
    const { allOrNone, subrequests } = readBody(req);
    if (subrequests.length > MAX_SUBREQUESTS) return sendJson(res, 200, limitExceeded('The request can’t contain more than 25 operations.'));
    if (subrequests.filter((s) => isQueryOrCollection(s.url)).length > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
      return sendJson(res, 200, limitExceeded('The request can’t contain more than 5 query or sObject Collections operations.'));
    }
    state.stats.compositeSubrequests += subrequests.length;
    const results: SubrequestResult[] = [];
    // Only an all-or-none call keeps what its writes would need to be undone.
    const transaction = allOrNone ? state.beginTransaction() : undefined;
    try {
      for (const sub of subrequests) {
        const result = await dispatch(resources, req, res, sub);
        results.push(result);
        if (allOrNone && result.httpStatusCode >= 400) break;
      }
    } finally {
      if (transaction) state.endTransaction(transaction);
    }
    const failed = results.findIndex((r) => r.httpStatusCode >= 400);
    if (transaction && failed !== -1) {
      transaction.rollback();
      const halted = (referenceId: string): SubrequestResult => ({ body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId });
      sendJson(res, 200, { compositeResponse: subrequests.map((s, i) => (i === failed ? results[i] : halted(s.referenceId))) });
      return;
    }
    sendJson(res, 200, { compositeResponse: results });
  };
}
