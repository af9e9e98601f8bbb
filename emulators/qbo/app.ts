// The HTTP surface: QBO v3 accounting API, Intuit OAuth and the admin API on
// one Express app. Request flow for /v3: count → injected fault → bearer
// auth → body → throttle (+latency) → handler; every answer carries an
// intuit_tid like the real gateway's.

import { appendFileSync } from 'node:fs';
import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import { adminRouter } from './admin';
import { batchItems, checkBatchSize, REQUEST_ID_MAX, runBatch } from './batch';
import { changeDataCapture } from './cdc';
import { qboDate, qboDateTime, qboTimestamp } from './clock';
import { companyInfoOf, preferencesOf } from './company';
import { exchangeRateEntity } from './currency';
import { entityName, readEntity, writeEntity } from './entities';
import { authJson, authorizationJson, authXml, faults, GATEWAY_503_HTML, QboFault, throttleXml } from './faults';
import { deliver, deliverJson, FAULT_JSON_TYPE, HTML_TYPE, JSON_TYPE, newTid, XML_TYPE } from './http';
import { ACCESS_TOKEN_LENGTH, oauthRouter } from './oauth';
import { executeQuery } from './query';
import type { WriteContext } from './rules';
import type { QboState, QueuedFault, Realm, StoredResponse } from './state';

type CallKind = 'read' | 'query' | 'write' | 'batch' | 'oauth';

/** What a request is, for counters, fault matching and throttling. */
interface CallInfo {
  kind: CallKind;
  endpoint: string;
  entity: string;
  realmId?: string;
}

const V3_PATH = /^\/v3\/company\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/;
const OAUTH_PATHS = ['/oauth2/v1/tokens/bearer', '/v2/oauth2/tokens/revoke'];

function classify(method: string, path: string): CallInfo | undefined {
  const m = V3_PATH.exec(path);
  if (m) {
    const entity = m[2].toLowerCase();
    const kind: CallKind = entity === 'query' ? 'query' : entity === 'batch' ? 'batch' : method === 'GET' ? 'read' : 'write';
    return { kind, endpoint: `${method} /${entity}`, entity, realmId: decodeURIComponent(m[1]) };
  }
  if (method === 'POST' && OAUTH_PATHS.includes(path)) return { kind: 'oauth', endpoint: `POST ${path}`, entity: 'oauth' };
  return undefined;
}

// QBO_ADMISSION_TRACE=<file>: one line per admitted call (ms since epoch, kind, operations, entity), to see how a run
// fills each window of the limits.
const ADMISSION_TRACE = process.env.QBO_ADMISSION_TRACE;

function traceAdmission(req: Request, info: CallInfo, units: number): void {
  let what = info.entity;
  const items = (req.body as { BatchItemRequest?: Record<string, unknown>[] } | undefined)?.BatchItemRequest;
  if (Array.isArray(items) && items[0]) what = `${Object.keys(items[0]).find((k) => /^[A-Z]/.test(k)) ?? '?'}x${items.length}`;
  const query = info.kind === 'query' ? (queryParam(req, 'query') ?? (typeof req.body === 'string' ? req.body : '')) : '';
  if (query) what = `${/from\s+(\w+)/i.exec(query)?.[1] ?? '?'}`;
  appendFileSync(ADMISSION_TRACE!, `${Date.now()} ${info.kind} ${units} ${what}\n`);
}

function call(res: Response): CallInfo {
  return res.locals.call as CallInfo;
}

function queryParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

function matches(fault: QueuedFault, req: Request, info: CallInfo): boolean {
  const m = fault.match;
  if (m.method && m.method.toUpperCase() !== req.method) return false;
  if (m.path && !req.originalUrl.includes(m.path)) return false;
  if (m.entity && m.entity.toLowerCase() !== info.entity) return false;
  return true;
}

function takeFault(state: QboState, req: Request, info: CallInfo): QueuedFault | undefined {
  const index = state.faults.findIndex((f) => f.remaining > 0 && matches(f, req, info));
  if (index < 0) return undefined;
  const fault = state.faults[index];
  if (fault.skip > 0) {
    fault.skip -= 1;
    return undefined;
  }
  fault.remaining -= 1;
  if (fault.remaining <= 0) state.faults.splice(index, 1);
  return { ...fault };
}

export function buildApp(state: QboState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const time = () => qboTimestamp(state.now());

  const sendFault = (res: Response, fault: QboFault) => deliverJson(res, fault.status, { Fault: fault.fault(), time: time() }, FAULT_JSON_TYPE);

  const unauthorized = (res: Response, detail: string) =>
    deliverJson(res, 401, authJson(detail, state.now()), FAULT_JSON_TYPE, { 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' });

  app.use((_req, res, next) => {
    res.setHeader('intuit_tid', newTid());
    next();
  });

  app.use('/__admin', adminRouter(state));

  // Count every API and token call, including ones that end up faulted or throttled.
  app.use((req, res, next) => {
    const info = classify(req.method, req.path);
    if (info) {
      res.locals.call = info;
      const s = state.stats;
      s.total += 1;
      s.byKind[info.kind] += 1;
      s.byEndpoint[info.endpoint] = (s.byEndpoint[info.endpoint] ?? 0) + 1;
    }
    next();
  });

  // Injected faults act like the gateway: before authentication and processing.
  app.use((req, res, next) => {
    const info = res.locals.call as CallInfo | undefined;
    const fault = info && takeFault(state, req, info);
    if (!fault) return next();
    state.stats.faultsInjected += 1;
    switch (fault.kind) {
      case 'http401':
        return unauthorized(res, 'Token expired: injected');
      case 'http401xml':
        return deliver(res, 401, authXml(time()), XML_TYPE);
      case 'http403':
        return deliverJson(res, 403, authorizationJson(state.now()), FAULT_JSON_TYPE);
      case 'http429':
        return deliver(res, 429, throttleXml(time()), XML_TYPE);
      case 'http500':
        return sendFault(res, faults.systemFault());
      case 'http503':
        return deliver(res, 503, GATEWAY_503_HTML, HTML_TYPE);
      case 'reset':
        req.socket.destroy();
        return;
      case 'delay':
        // An API call is received in full and then answered late (QuickBooks is slow, not the network): the
        // write still happens if the caller has given up. Token calls are simply held.
        if (req.path.startsWith('/v3/')) {
          res.locals.delayMs = fault.delayMs;
          state.stats.held += 1;
          return next();
        }
        setTimeout(next, fault.delayMs);
        return;
      case 'resetAfterCommit':
        res.locals.resetAfterCommit = true;
        return next();
      case 'withoutEntity':
      case 'withoutId':
        // Processed and stored as usual; only the answer this call gets is damaged.
        res.locals.damage = fault.kind;
        return next();
    }
  });

  app.use(oauthRouter(state));
  app.use('/v3/company/:realmId', v3Router(state, { time, sendFault, unauthorized }));

  app.use((req, res) => {
    if (req.path.startsWith('/v3/')) {
      const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
      return sendFault(res, faults.unsupportedOperation(`Operation Could not find resource for relative : ${req.path} of full path: ${url} is not supported.`));
    }
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });

  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (req.path.startsWith('/__admin')) {
      res.status(e.status && e.status < 500 ? e.status : 500).json({ error: e.message ?? String(err) });
      return;
    }
    if (err instanceof QboFault) return sendFault(res, err);
    if (e.type === 'entity.parse.failed') return sendFault(res, faults.malformedBody(`Unexpected content in the request body: ${e.message ?? ''}`));
    if (e.type === 'entity.too.large') return sendFault(res, faults.malformedBody('Request body is too large'));
    sendFault(res, faults.systemFault());
  });

  return app;
}

interface V3Helpers {
  time: () => string;
  sendFault: (res: Response, fault: QboFault) => void;
  unauthorized: (res: Response, detail: string) => void;
}

function v3Router(state: QboState, h: V3Helpers): Router {
  const router = Router({ mergeParams: true });

  router.use((req, res, next) => {
    const info = call(res);
    if (!info?.realmId) {
      const path = req.originalUrl.split('?')[0];
      const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${path}`;
      return h.sendFault(res, faults.unsupportedOperation(`Operation Could not find resource for relative : ${path} of full path: ${url} is not supported.`));
    }
    // The gateway checks the bearer itself (JSON 401 with a detail naming the failure); a valid token that reaches
    // the data service for a company it was not issued for gets the service's XML 401 instead.
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const token = m?.[1];
    if (!token) return h.unauthorized(res, 'Authorization header missing');
    if (token.length !== ACCESS_TOKEN_LENGTH) return h.unauthorized(res, 'Malformed bearer token: too short or too long');
    const record = state.tokens.access.get(token);
    const grant = record ? state.tokens.grants.get(record.grantId) : undefined;
    if (!record || !grant || grant.revoked) return h.unauthorized(res, 'Token invalid');
    if (state.now() >= record.expiresAt) return h.unauthorized(res, `Token expired: ${token.slice(-40)}`);
    if (grant.realmId !== info.realmId || !state.realm(info.realmId)) return deliver(res, 401, authXml(h.time()), XML_TYPE);
    // The app the token was issued to: Intuit's per-app limits count per app and company.
    res.locals.appId = grant.clientId;
    next();
  });

  router.use(express.json({ type: ['application/json', '*/json', '*/*+json'], limit: '20mb' }));
  router.use(express.text({ type: ['application/text', 'text/plain'], limit: '1mb' }));
  router.use((_req, res, next) => {
    const delayMs = res.locals.delayMs as number | undefined;
    if (!delayMs) return next();
    setTimeout(() => {
      next(); // the handlers below run synchronously on the in-memory company, so the write has landed
      state.stats.held -= 1;
    }, delayMs);
  });

  // Throttling per company and per company and app; a batch costs one batch call and, against the per-minute limit,
  // one request per item or one for the whole call as `batchCounts` says.
  router.use((req, res, next) => {
    const info = call(res);
    const realmId = info.realmId!;
    const appId = res.locals.appId as string;
    const isBatch = info.kind === 'batch';
    let units = 1;
    if (isBatch && state.settings.batchCounts !== 'call') {
      const items = (req.body as { BatchItemRequest?: unknown } | undefined)?.BatchItemRequest;
      units = Array.isArray(items) ? Math.max(1, items.length) : 1;
    }
    const refused = state.limiter.admit(realmId, appId, units, isBatch, state.settings.limits, state.settings.timeScale);
    if (refused) {
      state.stats.throttled += 1;
      state.stats.throttledBy[refused] += 1;
      return deliver(res, 429, throttleXml(h.time()), XML_TYPE);
    }
    state.stats.admitted.calls += 1;
    state.stats.admitted.operations += units;
    if (isBatch) state.stats.admitted.batches += 1;
    if (ADMISSION_TRACE) traceAdmission(req, info, units);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      state.limiter.release(realmId, appId);
    };
    res.once('finish', release);
    res.once('close', release);
    const latency = state.settings.latencyMs;
    if (latency > 0) setTimeout(next, latency);
    else next();
  });

  const context = (req: Request, res: Response): WriteContext => {
    const realm = state.realm(call(res).realmId!) as Realm;
    const include = (queryParam(req, 'include') ?? '').toLowerCase().split(',');
    return { state, realm, now: state.now(), allowDuplicateDocNum: include.includes('allowduplicatedocnum') };
  };

  const answer = (status: number, payload: unknown, contentType: string): StoredResponse => ({ status, body: JSON.stringify(payload), contentType });

  /** What this call gets back: the stored answer, damaged when a `withoutEntity` / `withoutId` fault hit the call. */
  const answerWith = (res: Response, stored: StoredResponse) => {
    const damage = res.locals.damage as 'withoutEntity' | 'withoutId' | undefined;
    deliver(res, stored.status, damage ? damaged(stored.body, damage) : stored.body, stored.contentType);
  };

  /**
   * Runs a write once per `requestid`; a repeat gets the first answer back untouched — unless the company (or the
   * emulator) ignores requestid, as public reports show QuickBooks doing.
   */
  const idempotent = (req: Request, res: Response, work: () => StoredResponse) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    const requestId = (realm.ignoreRequestId ?? state.settings.ignoreRequestId) ? undefined : queryParam(req, 'requestid');
    if (requestId !== undefined && requestId !== '') {
      const seen = realm.idempotency.get(requestId);
      if (seen) return answerWith(res, seen);
    }
    let result: StoredResponse;
    try {
      result = work();
    } catch (e) {
      if (!(e instanceof QboFault)) throw e;
      result = answer(e.status, { Fault: e.fault(), time: h.time() }, FAULT_JSON_TYPE);
    }
    if (requestId !== undefined && requestId !== '') realm.idempotency.set(requestId, result);
    answerWith(res, result);
  };

  router.get('/companyinfo/:id', (req, res) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    if (req.params.id !== realm.realmId) return h.sendFault(res, faults.objectNotFound());
    deliverJson(res, 200, { CompanyInfo: companyInfoOf(realm), time: h.time() });
  });

  router.get('/preferences', (_req, res) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    deliverJson(res, 200, { Preferences: preferencesOf(realm), time: h.time() });
  });

  // Change Data Capture: a read (metered as one), whatever it returns.
  router.get('/cdc', (req, res) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    try {
      deliverJson(res, 200, { ...changeDataCapture(realm, queryParam(req, 'entities'), queryParam(req, 'changedSince'), state.now()), time: h.time() });
    } catch (e) {
      if (e instanceof QboFault) return h.sendFault(res, e);
      throw e;
    }
  });

  // The rate QuickBooks uses for a currency on a date (GET exchangerate?sourcecurrencycode=EUR&asofdate=YYYY-MM-DD).
  router.get('/exchangerate', (req, res) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    const code = queryParam(req, 'sourcecurrencycode');
    const date = queryParam(req, 'asofdate') ?? qboDate(state.now());
    try {
      if (!code) throw faults.requiredParam('sourcecurrencycode');
      if (!realm.prefs.multiCurrency) throw faults.businessValidation('Multicurrency is not enabled for this company.');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw faults.businessValidation(`Invalid asofdate: ${date}`);
      deliverJson(res, 200, { ExchangeRate: exchangeRateEntity(realm, code.toUpperCase(), date, qboDateTime(state.now())), time: h.time() });
    } catch (e) {
      if (e instanceof QboFault) return h.sendFault(res, e);
      throw e;
    }
  });

  const runQuery = (req: Request, res: Response) => {
    const realm = state.realm(call(res).realmId!) as Realm;
    const text = queryParam(req, 'query') ?? (typeof req.body === 'string' ? req.body : undefined);
    try {
      const result = executeQuery(realm, text ?? '');
      deliverJson(res, 200, { ...result, time: h.time() });
    } catch (e) {
      if (e instanceof QboFault) return h.sendFault(res, e);
      throw e;
    }
  };
  router.get('/query', runQuery);
  router.post('/query', runQuery);

  router.post('/batch', (req, res) => {
    idempotent(req, res, () => {
      const items = batchItems(req.body);
      checkBatchSize(items.length, state.settings.batchMax);
      state.stats.batchItems += items.length;
      for (const item of items) {
        const key = item && typeof item === 'object' ? (Object.keys(item).find((k) => /^[A-Z]/.test(k)) ?? 'Other') : 'Other';
        state.stats.batchItemsByEntity[key] = (state.stats.batchItemsByEntity[key] ?? 0) + 1;
      }
      const requestId = queryParam(req, 'requestid') || undefined;
      const responses = runBatch(context(req, res), items, requestId);
      return answer(200, { BatchItemResponse: responses, time: h.time() }, JSON_TYPE);
    });
  });

  router.get('/:entity/:id', (req, res) => {
    const name = entityName(String(req.params.entity));
    if (!name) return h.sendFault(res, faults.unsupportedOperation(`Operation Could not find resource for relative : ${req.path} is not supported.`));
    const id = String(req.params.id);
    // As recorded, this one fault comes without a `time`.
    if (name !== 'TaxCode' && !/^\d+$/.test(id)) return deliverJson(res, 400, { Fault: faults.invalidId(id).fault() }, FAULT_JSON_TYPE);
    try {
      deliverJson(res, 200, { [name]: readEntity(context(req, res), name, id), time: h.time() });
    } catch (e) {
      if (e instanceof QboFault) return h.sendFault(res, e);
      throw e;
    }
  });

  router.post('/:entity', (req, res) => {
    const name = entityName(String(req.params.entity));
    if (!name) return h.sendFault(res, faults.unsupportedOperation(`Operation Could not find resource for relative : ${req.path} is not supported.`));
    idempotent(req, res, () => {
      const requestId = queryParam(req, 'requestid');
      if (requestId !== undefined && requestId.length > REQUEST_ID_MAX) throw faults.requestIdTooLong(requestId);
      const result = writeEntity(context(req, res), name, req.body, queryParam(req, 'operation'));
      return answer(200, { [name]: result, time: h.time() }, JSON_TYPE);
    });
  });

  router.get('/:entity', (req, res) => {
    h.sendFault(res, faults.unsupportedOperation(`Operation Could not find resource for relative : ${req.path} is not supported.`));
  });

  return router;
}

/**
 * A write answer as a faulty QuickBooks might give it: the first record in it (a batch's first item that carries
 * one, or the entity of a single create) without the record (`withoutEntity`) or without its Id (`withoutId`).
 */
function damaged(body: string, damage: 'withoutEntity' | 'withoutId'): string {
  const answer = JSON.parse(body) as Record<string, any>;
  const holders: Record<string, any>[] = Array.isArray(answer.BatchItemResponse) ? answer.BatchItemResponse : [answer];
  for (const holder of holders) {
    const key = Object.keys(holder).find((k) => /^[A-Z]/.test(k) && k !== 'Fault' && k !== 'QueryResponse');
    if (!key) continue;
    if (damage === 'withoutEntity') delete holder[key];
    else delete holder[key].Id;
    break;
  }
  return JSON.stringify(answer);
}
