// Test-only control surface under /__admin: reset, seed, inspect records, mint tokens, script
// faults, read call statistics. Never counted as API calls.
import express, { type Request, type Router } from 'express';
import { ApiError, sendJson } from './http';
import { CALL_FAULT_KINDS, type FaultSpec } from './faults';
import { tokenResponse } from './oauth';
import type { SalesforceState } from './state';
import { fullRecord } from './state';
import type { Row } from './store';

function body(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function adminRoutes(state: SalesforceState): Router {
  const router = express.Router();
  router.use(express.json({ limit: '512mb' }));

  router.post('/reset', (_req, res) => {
    state.reset();
    sendJson(res, 200, { ok: true });
  });

  router.post('/seed', (req, res) => {
    const records = body(req).records;
    if (!records || typeof records !== 'object') throw ApiError.of(400, 'JSON_PARSER_ERROR', 'body must be { records: { [sobject]: [...] } }');
    sendJson(res, 200, state.seed(records as Record<string, Row[]>));
  });

  router.get('/records/:sobject', (req, res) => {
    const rows = state.records(String(req.params.sobject));
    if (!rows) throw ApiError.of(404, 'NOT_FOUND', `unknown sobject ${String(req.params.sobject)}`);
    sendJson(res, 200, rows);
  });

  router.get('/records/:sobject/:id', (req, res) => {
    const obj = state.schema.get(String(req.params.sobject));
    const row = obj ? state.store.get(obj.name, String(req.params.id)) : undefined;
    if (!obj || !row) throw ApiError.of(404, 'NOT_FOUND', 'no such record');
    sendJson(res, 200, fullRecord(state.store, obj, row));
  });

  router.post('/token', (req, res) => {
    const username = body(req).username;
    const userId = typeof username === 'string' ? state.userId(username) : state.defaultUserId;
    if (!userId) throw ApiError.of(400, 'NOT_FOUND', `unknown user ${String(username)}`);
    const session = state.issueSession(userId, state.options.clients[0]?.clientId ?? 'admin');
    sendJson(res, 200, tokenResponse(state, req, session));
  });

  router.post('/expire-sessions', (_req, res) => {
    state.expireSessions();
    sendJson(res, 200, { ok: true });
  });

  router.post('/clock', (req, res) => {
    const advance = Number(body(req).advanceMs ?? 0);
    if (!Number.isFinite(advance)) throw ApiError.of(400, 'INVALID_FIELD', 'advanceMs must be a number');
    state.clockOffsetMs += advance;
    sendJson(res, 200, { now: new Date(state.now()).toISOString() });
  });

  router.post('/faults', (req, res) => {
    const spec = body(req) as unknown as FaultSpec;
    if (spec.kind !== 'recordError' && !CALL_FAULT_KINDS.includes(spec.kind)) {
      throw ApiError.of(400, 'INVALID_FIELD', `kind must be one of ${[...CALL_FAULT_KINDS, 'recordError'].join(', ')}`);
    }
    try {
      state.faults.add(spec);
    } catch (e) {
      throw ApiError.of(400, 'INVALID_FIELD', (e as Error).message);
    }
    sendJson(res, 200, { ok: true, pending: state.faults.pending() });
  });

  router.get('/faults', (_req, res) => sendJson(res, 200, { pending: state.faults.pending() }));

  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    sendJson(res, 200, { ok: true });
  });

  /** What the org's users received: custom notifications (the bell) and emails, in the order sent. */
  router.get('/notifications', (_req, res) => sendJson(res, 200, state.notifications));
  router.get('/emails', (_req, res) => sendJson(res, 200, state.emails));

  router.get('/stats', (_req, res) => sendJson(res, 200, { ...state.stats, apiUsage: state.apiUsage }));

  /** The org's API calls used today (as other integrations would spend them). */
  router.post('/api-usage', (req, res) => {
    const used = Number(body(req).used);
    if (!Number.isInteger(used) || used < 0) throw ApiError.of(400, 'INVALID_FIELD', 'used must be a non-negative integer');
    state.apiUsage = used;
    sendJson(res, 200, { apiUsage: state.apiUsage, limit: state.options.dailyApiLimit });
  });

  router.post('/stats/reset', (_req, res) => {
    state.resetStats();
    sendJson(res, 200, { ok: true });
  });

  return router;
}
