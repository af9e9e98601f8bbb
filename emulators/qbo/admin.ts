// Test control surface under /__admin: reset, seed, preferences, direct
// token issue, fault injection, counters, clock and runtime settings.
// Unauthenticated and JSON in/out.

import express, { Router, type Response } from 'express';
import { entityName } from './entities';
import { issueTokens } from './oauth';
import { applyPreferences, SeedError, seedRealms } from './seed';
import { userActionsRouter } from './userActions';
import { BATCH_COUNTINGS, emptyStats, FAULT_KINDS, type BatchCounting, type FaultKind, type FaultMatch, type QboState } from './state';

function bad(res: Response, message: string, extra: Record<string, unknown> = {}): void {
  res.status(400).json({ error: message, ...extra });
}

function nonNegative(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export function adminRouter(state: QboState): Router {
  const router = Router();
  router.use(express.json({ limit: '100mb' }));

  router.post('/reset', (_req, res) => {
    state.reset();
    res.json({ ok: true });
  });

  router.post('/seed', (req, res) => {
    try {
      res.json({ realms: seedRealms(state, req.body) });
    } catch (e) {
      if (e instanceof SeedError) return bad(res, e.message, e.detail);
      throw e;
    }
  });

  router.use(userActionsRouter(state));

  router.post('/realms/:realmId/preferences', (req, res) => {
    const realm = state.realm(req.params.realmId);
    if (!realm) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    try {
      res.json(applyPreferences(realm, req.body ?? {}, state.now()));
    } catch (e) {
      if (e instanceof SeedError) return bad(res, e.message);
      throw e;
    }
  });

  // One company's own settings: `ignoreRequestId` true or false, or null to follow the emulator-wide setting.
  router.post('/realms/:realmId/settings', (req, res) => {
    const realm = state.realm(req.params.realmId);
    if (!realm) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => k !== 'ignoreRequestId');
    if (unknown.length) return bad(res, `unknown setting ${unknown.join(', ')}`);
    if (body.ignoreRequestId !== undefined && body.ignoreRequestId !== null && typeof body.ignoreRequestId !== 'boolean') {
      return bad(res, 'ignoreRequestId must be true, false or null');
    }
    if (body.ignoreRequestId !== undefined) realm.ignoreRequestId = (body.ignoreRequestId as boolean | null) ?? undefined;
    res.json({
      realmId: realm.realmId,
      ignoreRequestId: realm.ignoreRequestId ?? null,
      effective: realm.ignoreRequestId ?? state.settings.ignoreRequestId ?? false,
    });
  });

  // Other apps connected to the company: a standing use of its shared allowances (120 batch calls and 500
  // requests a minute), as if they sent that many every minute. Zeros end it; reset clears it.
  router.post('/realms/:realmId/load', (req, res) => {
    if (!state.realm(req.params.realmId)) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const load = state.limiter.load(req.params.realmId);
    for (const key of ['batchesPerMinute', 'requestsPerMinute'] as const) {
      if (body[key] === undefined) continue;
      if (!nonNegative(body[key]) || !Number.isInteger(body[key])) return bad(res, `${key} must be a non-negative integer`);
      load[key] = body[key];
    }
    res.json({ otherApps: state.limiter.setLoad(req.params.realmId, load) });
  });

  router.get('/realms/:realmId/load', (req, res) => {
    if (!state.realm(req.params.realmId)) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    res.json({ otherApps: state.limiter.load(req.params.realmId) });
  });

  router.get('/realms/:realmId/entities/:entity', (req, res) => {
    const realm = state.realm(req.params.realmId);
    if (!realm) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    const name = entityName(req.params.entity);
    if (!name) return bad(res, `unknown entity ${req.params.entity}`);
    res.json([...realm.table(name).values()]);
  });

  // Totals per entity (inactive included) and DocNumbers used by more than one invoice: a cheap exactly-once check
  // after a large export, without reading every record.
  router.get('/realms/:realmId/counts', (req, res) => {
    const realm = state.realm(req.params.realmId);
    if (!realm) return void res.status(404).json({ error: `unknown realm ${req.params.realmId}` });
    const counts = Object.fromEntries([...realm.entities].map(([name, table]) => [name, table.size]));
    const sharedInvoiceDocNumbers = [...realm.invoiceDocNumbers.values()].filter((ids) => ids.size > 1).length;
    res.json({ realmId: realm.realmId, counts, sharedInvoiceDocNumbers });
  });

  router.post('/tokens', (req, res) => {
    // `consentedAt` dates the user's consent in the past (the five-year end counts from it); the answer always carries
    // the grant's hard expiry, as the token endpoint does when asked for it.
    const { realmId, clientId, consentedAt } = (req.body ?? {}) as { realmId?: unknown; clientId?: unknown; consentedAt?: unknown };
    if (typeof realmId !== 'string' || !state.realm(realmId)) return void res.status(404).json({ error: `unknown realm ${String(realmId)}` });
    const client = typeof clientId === 'string' ? state.client(clientId) : state.clients[0];
    if (!client) return bad(res, `unknown client ${String(clientId)}`);
    if (consentedAt !== undefined && (typeof consentedAt !== 'string' || Number.isNaN(Date.parse(consentedAt)))) {
      return bad(res, 'consentedAt must be an ISO date-time');
    }
    const grant = state.tokens.newGrant(client.clientId, realmId, consentedAt === undefined ? state.now() : Date.parse(consentedAt));
    res.json(issueTokens(state, grant, true));
  });

  router.post('/faults', (req, res) => {
    const body = (req.body ?? {}) as { kind?: unknown; count?: unknown; delayMs?: unknown; match?: unknown; skip?: unknown };
    if (typeof body.kind !== 'string' || !FAULT_KINDS.includes(body.kind as FaultKind)) {
      return bad(res, `kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    const count = body.count === undefined ? 1 : body.count;
    if (!nonNegative(count) || !Number.isInteger(count) || count < 1) return bad(res, 'count must be a positive integer');
    const delayMs = body.delayMs === undefined ? 0 : body.delayMs;
    if (!nonNegative(delayMs)) return bad(res, 'delayMs must be a non-negative number');
    const skip = body.skip === undefined ? 0 : body.skip;
    if (!nonNegative(skip) || !Number.isInteger(skip)) return bad(res, 'skip must be a non-negative integer');
    const match: FaultMatch = {};
    if (body.match !== undefined) {
      if (typeof body.match !== 'object' || body.match === null) return bad(res, 'match must be an object');
      const m = body.match as Record<string, unknown>;
      for (const key of ['method', 'path', 'entity'] as const) {
        if (m[key] === undefined) continue;
        if (typeof m[key] !== 'string') return bad(res, `match.${key} must be a string`);
        match[key] = m[key];
      }
    }
    const fault = state.queueFault(body.kind as FaultKind, count, delayMs, match, skip);
    res.json({ queued: fault, pending: state.faults });
  });

  router.get('/faults', (_req, res) => {
    res.json({ pending: state.faults });
  });

  router.delete('/faults', (_req, res) => {
    state.faults = [];
    res.json({ ok: true });
  });

  router.get('/stats', (_req, res) => {
    res.json(state.stats);
  });

  router.post('/stats/reset', (_req, res) => {
    state.stats = emptyStats();
    res.json(state.stats);
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(state.now()).toISOString(), offsetMs: state.clock.offsetMs });
  });

  router.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { advanceMs?: unknown; set?: unknown };
    if (body.advanceMs !== undefined) {
      if (typeof body.advanceMs !== 'number' || !Number.isFinite(body.advanceMs)) return bad(res, 'advanceMs must be a number');
      state.clock.advance(body.advanceMs);
    } else if (body.set !== undefined) {
      if (typeof body.set !== 'string' || Number.isNaN(Date.parse(body.set))) return bad(res, 'set must be an ISO date-time');
      state.clock.set(body.set);
    } else {
      return bad(res, 'give advanceMs or set');
    }
    res.json({ now: new Date(state.now()).toISOString(), offsetMs: state.clock.offsetMs });
  });

  router.get('/settings', (_req, res) => {
    res.json(state.settings);
  });

  router.post('/settings', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = { ...state.settings, limits: { ...state.settings.limits } };
    for (const key of ['latencyMs', 'batchMax', 'refreshTokenGraceMs'] as const) {
      if (body[key] === undefined) continue;
      if (!nonNegative(body[key])) return bad(res, `${key} must be a non-negative number`);
      next[key] = body[key];
    }
    if (body.timeScale !== undefined) {
      if (!nonNegative(body.timeScale) || body.timeScale === 0) return bad(res, 'timeScale must be a positive number');
      next.timeScale = body.timeScale;
    }
    if (body.ignoreRequestId !== undefined) {
      if (typeof body.ignoreRequestId !== 'boolean') return bad(res, 'ignoreRequestId must be true or false');
      next.ignoreRequestId = body.ignoreRequestId;
    }
    if (body.batchCounts !== undefined) {
      if (!BATCH_COUNTINGS.includes(body.batchCounts as BatchCounting)) return bad(res, `batchCounts must be one of ${BATCH_COUNTINGS.join(', ')}`);
      next.batchCounts = body.batchCounts as BatchCounting;
    }
    if (body.limits !== undefined) {
      if (typeof body.limits !== 'object' || body.limits === null) return bad(res, 'limits must be an object');
      const limits = body.limits as Record<string, unknown>;
      for (const key of ['perMinute', 'perSecond', 'concurrent', 'batchPerMinute', 'realmBatchPerMinute'] as const) {
        if (limits[key] === undefined) continue;
        if (!nonNegative(limits[key])) return bad(res, `limits.${key} must be a non-negative number`);
        next.limits[key] = limits[key];
      }
    }
    state.settings = next;
    res.json(state.settings);
  });

  return router;
}
