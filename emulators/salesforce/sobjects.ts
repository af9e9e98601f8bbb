// Single-record resources (/sobjects/...): create, retrieve, update, delete, external-id access,
// plus the describe resources.
import express, { type Request, type Response, type Router } from 'express';
import { basicInfo, describeGlobal, describeSObject } from './describe';
import { deleteRecord, insertRecord, rollback, type SaveResult, updateRecord, upsertRecord } from './dml';
import { ApiError, notFound, sendJson } from './http';
import { isIdLike, keyPrefixOf } from './ids';
import type { ObjectDef } from './schema';
import type { Row, Store } from './store';
import { fullRecord, type SalesforceState } from './state';

/** A record a write addresses that is gone: a deleted id answers ENTITY_IS_DELETED, as recorded from an org. */
function missingRecord(state: SalesforceState, id: string): ApiError {
  if (isIdLike(id) && state.store.wasDeleted(id)) return new ApiError(404, [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
  return notFound();
}

export function objectOr404(state: SalesforceState, name: string): ObjectDef {
  const obj = state.schema.get(name);
  if (!obj) throw notFound();
  return obj;
}

/**
 * Single-record DML failures come back as a top-level 400 array carrying the fields; an unknown
 * column fails while the body is read, before any field list exists, so it has none.
 */
function throwIfFailed(result: SaveResult): asserts result is Extract<SaveResult, { success: true }> {
  if (!result.success) {
    throw new ApiError(
      400,
      result.errors.map((e) =>
        e.statusCode === 'INVALID_FIELD' && e.fields.length === 0
          ? { message: e.message, errorCode: e.statusCode }
          : { message: e.message, errorCode: e.statusCode, fields: e.fields },
      ),
    );
  }
}

function bodyRecord(req: Request): Row {
  const body = req.body as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  }
  return body as Row;
}

export function withAttributes(store: Store, version: string, obj: ObjectDef, row: Row, fields?: string[]): Row {
  const out: Row = { attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${String(row.Id)}` } };
  const all = fullRecord(store, obj, row);
  if (!fields) return Object.assign(out, all);
  for (const name of fields) {
    const f = obj.fieldMap.get(name.toLowerCase());
    if (!f) throw ApiError.of(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`);
    out[f.name] = all[f.name];
  }
  return out;
}

function fieldsParam(req: Request): string[] | undefined {
  const f = req.query.fields;
  return typeof f === 'string' && f !== '' ? f.split(',').map((s) => s.trim()) : undefined;
}

export function sobjectRoutes(state: SalesforceState): Router {
  const router = express.Router();
  const version = (res: Response) => res.locals.version as string;
  const userId = (res: Response) => res.locals.userId as string;

  router.get('/sobjects', (_req, res) => sendJson(res, 200, describeGlobal(version(res), state.schema)));
  router.get('/sobjects/:sobject', (req, res) => sendJson(res, 200, basicInfo(version(res), objectOr404(state, String(req.params.sobject)))));
  router.get('/sobjects/:sobject/describe', (req, res) => sendJson(res, 200, describeSObject(version(res), objectOr404(state, String(req.params.sobject)))));

  router.post('/sobjects/:sobject', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const ctx = state.dmlContext(userId(res));
    const result = insertRecord(state.store, obj, bodyRecord(req), ctx);
    throwIfFailed(result);
    res.set('Location', `/services/data/v${version(res)}/sobjects/${obj.name}/${result.id}`);
    sendJson(res, 201, { id: result.id, success: true, errors: [] });
  });

  router.get('/sobjects/:sobject/:id', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const id = String(req.params.id);
    if (!isIdLike(id)) throw notFound(`Provided external ID field does not exist or is not accessible: ${id}`);
    const row = keyPrefixOf(id) === obj.keyPrefix ? state.store.get(obj.name, id) : undefined;
    // No recording shows what a read of a deleted id answers; writes to one are recorded (below).
    if (!row) throw notFound();
    sendJson(res, 200, withAttributes(state.store, version(res), obj, row, fieldsParam(req)));
  });

  router.patch('/sobjects/:sobject/:id', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const id = String(req.params.id);
    const row = isIdLike(id) && keyPrefixOf(id) === obj.keyPrefix ? state.store.get(obj.name, id) : undefined;
    if (!row) throw missingRecord(state, id);
    const result = updateRecord(state.store, obj, id, bodyRecord(req), state.dmlContext(userId(res)));
    throwIfFailed(result);
    res.status(204).end();
  });

  router.delete('/sobjects/:sobject/:id', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const id = String(req.params.id);
    const row = isIdLike(id) && keyPrefixOf(id) === obj.keyPrefix ? state.store.get(obj.name, id) : undefined;
    if (!row) throw missingRecord(state, id);
    const ctx = state.dmlContext(userId(res));
    const result = deleteRecord(state.store, obj, id, ctx);
    if (!result.success) rollback(ctx);
    throwIfFailed(result);
    res.status(204).end();
  });

  const externalField = (obj: ObjectDef, name: string) => {
    const f = obj.fieldMap.get(name.toLowerCase());
    if (!f || !(f.externalId || f.idLookup || f.name === 'Id')) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
    }
    return f;
  };

  router.get('/sobjects/:sobject/:field/:value', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const field = externalField(obj, String(req.params.field));
    const value = String(req.params.value);
    const matches = [...state.store.table(obj.name).values()].filter(
      (r) => r[field.name] !== null && String(r[field.name]).toLowerCase() === value.toLowerCase(),
    );
    if (matches.length === 0) throw notFound();
    if (matches.length > 1) {
      sendJson(
        res,
        300,
        matches.map((r) => `/services/data/v${version(res)}/sobjects/${obj.name}/${String(r.Id)}`),
      );
      return;
    }
    sendJson(res, 200, withAttributes(state.store, version(res), obj, matches[0], fieldsParam(req)));
  });

  router.patch('/sobjects/:sobject/:field/:value', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const field = externalField(obj, String(req.params.field));
    const ctx = state.dmlContext(userId(res));
    const result = upsertRecord(state.store, obj, field, String(req.params.value), bodyRecord(req), ctx);
    if (!result.success) rollback(ctx);
    throwIfFailed(result);
    sendJson(res, result.created ? 201 : 200, { id: result.id, success: true, errors: [], created: result.created ?? false });
  });

  return router;
}
