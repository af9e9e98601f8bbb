// The query resource: runs SOQL, pages the result and keeps a server-side cursor so
// nextRecordsUrl continues over the result as it was when the query ran.
import express, { type Request, type Response, type Router } from 'express';
import { ApiError, sendJson } from './http';
import { randomBase62 } from './ids';
import { executeSoql } from './soql/evaluate';
import { formatSoqlError, SoqlError } from './soql/errors';
import type { Cursor, SalesforceState } from './state';

const CURSOR_IDLE_MS = 15 * 60 * 1000;
const MAX_CURSORS = 50;

/** Sforce-Query-Options: batchSize=N asks for pages of N (the platform allows 200..2000). */
function batchSize(req: Request, fallback: number): number {
  const header = req.get('sforce-query-options') ?? '';
  const m = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!m) return fallback;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function pruneCursors(state: SalesforceState): void {
  const now = state.now();
  for (const [id, c] of state.cursors) if (now - c.lastUsed > CURSOR_IDLE_MS) state.cursors.delete(id);
  while (state.cursors.size >= MAX_CURSORS) {
    const oldest = [...state.cursors.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
    state.cursors.delete(oldest[0]);
  }
}

function page(res: Response, version: string, cursorId: string, cursor: Cursor, offset: number, size: number): void {
  const records = cursor.records.slice(offset, offset + size);
  const next = offset + records.length;
  const done = next >= cursor.records.length;
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
  if (!done) body.nextRecordsUrl = `/services/data/v${version}/query/${cursorId}-${next}`;
  body.records = records;
  sendJson(res, 200, body);
}

export function queryRoutes(state: SalesforceState): Router {
  const router = express.Router();

  const runQuery = (req: Request, res: Response) => {
    const q = req.query.q;
    if (typeof q !== 'string' || q.trim() === '') {
      throw ApiError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const version = res.locals.version as string;
    let result;
    try {
      result = executeSoql(q, { store: state.store, version, nowMs: state.now() });
    } catch (e) {
      if (e instanceof SoqlError) throw ApiError.of(400, e.errorCode, formatSoqlError(q, e));
      throw e;
    }
    const size = batchSize(req, state.options.pageSize);
    const cursor: Cursor = { records: result.records, totalSize: result.totalSize, batchSize: size, lastUsed: state.now() };
    const cursorId = `01g${randomBase62(15)}`;
    if (result.records.length > size) {
      pruneCursors(state);
      state.cursors.set(cursorId, cursor);
    }
    page(res, version, cursorId, cursor, 0, size);
  };

  const more = (req: Request, res: Response) => {
    const locator = String(req.params.locator);
    const m = /^(.+)-(\d+)$/.exec(locator);
    const cursor = m ? state.cursors.get(m[1]) : undefined;
    if (!m || !cursor) throw ApiError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsed = state.now();
    const offset = Number(m[2]);
    page(res, res.locals.version as string, m[1], cursor, offset, req.get('sforce-query-options') ? batchSize(req, cursor.batchSize) : cursor.batchSize);
  };

  router.get('/query', runQuery);
  router.get('/queryAll', runQuery);
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}
