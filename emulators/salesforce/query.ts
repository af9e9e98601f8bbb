// The query resource: runs SOQL, pages the result and keeps a server-side cursor so nextRecordsUrl
// continues over the result as it was when the query ran.
//
// Page sizes follow the platform's documented rules (SOAP API Developer Guide, "QueryOptions" and
// "Change the Batch Size in Queries"): child rows count toward a page; no more than 200 rows a page when
// the query selects two or more long-text custom fields. A query with child subqueries pages at 500 rows,
// parents and children together, as orgs are observed to do over REST (a parent with 1,200 children comes
// back with 499 of them and a nextRecordsUrl ending "-499"; with wide long-text children, 199): a child
// list that does not fit is cut and gets its own nextRecordsUrl, which /query/<locator> serves.
import express, { type Request, type Response, type Router } from 'express';
import { queryColumns } from './columns';
import { ApiError, sendJson } from './http';
import { randomBase62 } from './ids';
import type { FieldDef } from './schema';
import { compileSoql, type CompiledQuery, type OutRecord } from './soql/evaluate';
import { formatSoqlError, SoqlError } from './soql/errors';
import type { Cursor, SalesforceState } from './state';

const CURSOR_IDLE_MS = 15 * 60 * 1000;
const MAX_CURSORS = 50;
/** Rows a page of a parent-child query holds, parents and children together. */
const RELATIONSHIP_PAGE = 500;
/** Page cap when two or more long-text custom fields are selected. */
const LONG_TEXT_PAGE = 200;

interface ChildList {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: OutRecord[];
}

/** Sforce-Query-Options: batchSize=N asks for pages of N (the platform allows 200..2000). */
function requestedBatchSize(req: Request): number | undefined {
  const header = req.get('sforce-query-options') ?? '';
  const m = /batchSize\s*=\s*(\d+)/i.exec(header);
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : undefined;
}

const isLongText = (f: FieldDef) => f.custom && f.extraTypeInfo !== null;

/** Long-text custom fields selected anywhere in the query, parent paths and subqueries included. */
function longTextFields(q: CompiledQuery, into = new Set<FieldDef>()): Set<FieldDef> {
  for (const item of q.items) {
    if (item.kind === 'field' && isLongText(item.path.field)) into.add(item.path.field);
    if (item.kind === 'subquery') longTextFields(item.query, into);
  }
  return into;
}

/** The page budget for this query under the rules above. */
function pageBudget(q: CompiledQuery, requested: number | undefined, fallback: number): number {
  let size = requested ?? fallback;
  if (q.items.some((i) => i.kind === 'subquery')) size = Math.min(size, RELATIONSHIP_PAGE);
  if (longTextFields(q).size >= 2) size = Math.min(size, LONG_TEXT_PAGE);
  return size;
}

function pruneCursors(state: SalesforceState): void {
  const now = state.now();
  for (const [id, c] of state.cursors) if (now - c.lastUsed > CURSOR_IDLE_MS) state.cursors.delete(id);
  while (state.cursors.size >= MAX_CURSORS) {
    const oldest = [...state.cursors.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
    state.cursors.delete(oldest[0]);
  }
}

function openCursor(state: SalesforceState, cursor: Cursor): string {
  pruneCursors(state);
  const id = `01g${randomBase62(15)}`;
  state.cursors.set(id, cursor);
  return id;
}

/**
 * Parent rows from `offset` that fit the budget, each child list cut to what is left of it. A cut list
 * gets a cursor of its own. At least one parent always goes out, so a page never comes back empty.
 */
function fitPage(state: SalesforceState, version: string, cursor: Cursor, offset: number): OutRecord[] {
  const out: OutRecord[] = [];
  let used = 0;
  for (let i = offset; i < cursor.records.length; i++) {
    const record = cursor.records[i];
    const lists = cursor.childKeys.map((k) => record[k] as ChildList | null);
    const children = lists.reduce((n, l) => n + (l ? l.records.length : 0), 0);
    if (out.length > 0 && used + 1 + children > cursor.batchSize) break;
    if (children + 1 <= cursor.batchSize - used) {
      out.push(record);
      used += 1 + children;
      continue;
    }
    // This parent's children overflow the page: send what fits and a locator for the rest.
    let room = cursor.batchSize - used - 1;
    const cut: OutRecord = { ...record };
    cursor.childKeys.forEach((key, k) => {
      const list = lists[k];
      if (!list) return;
      const take = Math.max(0, Math.min(room, list.records.length));
      room -= take;
      if (take === list.records.length) return;
      const childCursor: Cursor = { records: list.records, totalSize: list.totalSize, batchSize: cursor.batchSize, childKeys: [], lastUsed: state.now() };
      const id = openCursor(state, childCursor);
      cut[key] = {
        totalSize: list.totalSize,
        done: false,
        nextRecordsUrl: `/services/data/v${version}/query/${id}-${take}`,
        records: list.records.slice(0, take),
      };
    });
    out.push(cut);
    break;
  }
  return out;
}

/** Sends the page at `offset`; true when it was the last one. */
function page(state: SalesforceState, res: Response, version: string, cursorId: string, cursor: Cursor, offset: number, size = cursor.batchSize): boolean {
  const records = cursor.childKeys.length > 0 ? fitPage(state, version, cursor, offset) : cursor.records.slice(offset, offset + size);
  const next = offset + records.length;
  const done = next >= cursor.records.length;
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
  if (!done) body.nextRecordsUrl = `/services/data/v${version}/query/${cursorId}-${next}`;
  body.records = records;
  sendJson(res, 200, body);
  return done;
}

export function queryRoutes(state: SalesforceState): Router {
  const router = express.Router();

  const runQuery = (req: Request, res: Response) => {
    const q = req.query.q;
    if (typeof q !== 'string' || q.trim() === '') {
      throw ApiError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const version = res.locals.version as string;
    let compiled: CompiledQuery;
    let result;
    try {
      compiled = compileSoql(q, { store: state.store, version, nowMs: state.now() });
      if (req.query.columns === 'true') {
        sendJson(res, 200, queryColumns(compiled));
        return;
      }
      result = compiled.run();
    } catch (e) {
      if (e instanceof SoqlError) throw ApiError.of(400, e.errorCode, formatSoqlError(q, e));
      throw e;
    }
    const childKeys = compiled.items.flatMap((i) => (i.kind === 'subquery' ? [i.query.relationshipName as string] : []));
    const cursor: Cursor = {
      records: result.records,
      totalSize: result.totalSize,
      batchSize: pageBudget(compiled, requestedBatchSize(req), state.options.pageSize),
      childKeys,
      lastUsed: state.now(),
    };
    const cursorId = `01g${randomBase62(15)}`;
    // Only a result that did not fit one page needs its cursor kept.
    if (!page(state, res, version, cursorId, cursor, 0)) {
      pruneCursors(state);
      state.cursors.set(cursorId, cursor);
    }
  };

  const more = (req: Request, res: Response) => {
    const locator = String(req.params.locator);
    const m = /^(.+)-(\d+)$/.exec(locator);
    const cursor = m ? state.cursors.get(m[1]) : undefined;
    if (!m || !cursor) throw ApiError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsed = state.now();
    page(state, res, res.locals.version as string, m[1], cursor, Number(m[2]), Math.min(requestedBatchSize(req) ?? cursor.batchSize, cursor.batchSize));
  };

  router.get('/query', runQuery);
  router.get('/queryAll', runQuery);
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}
