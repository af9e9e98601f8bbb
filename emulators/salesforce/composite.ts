// sObject Collections (/composite/sobjects): create, update, upsert, delete and retrieve up to 200
// records a call. Answers are per record, in request order; allOrNone rolls the whole call back.
// Also sObject Tree (/composite/tree): a parent with nested children, inserted all or nothing.
import express, { type Request, type Response, type Router } from 'express';
import { deleteRecord, type DmlContext, insertRecord, rollback, type SaveResult, updateRecord, upsertRecord } from './dml';
import { ApiError, sendJson } from './http';
import { isIdLike, keyPrefixOf } from './ids';
import type { ObjectDef } from './schema';
import { objectOr404, withAttributes } from './sobjects';
import type { SalesforceState } from './state';
import type { Row } from './store';
import type { SaveError } from './values';

const MAX_RECORDS = 200;

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface CollectionBody {
  allOrNone: boolean;
  records: Row[];
}

function readBody(req: Request): CollectionBody {
  const body = req.body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  }
  checkCount(body.records.length, 'records');
  return { allOrNone: body.allOrNone === true || body.allOrNone === 'true', records: body.records as Row[] };
}

function checkCount(n: number, what: 'records' | 'ids'): void {
  if (n === 0) throw ApiError.of(400, 'REQUIRED_FIELD_MISSING', what === 'ids' ? 'At least 1 Id is required.' : 'At least 1 record is required.');
  if (n > MAX_RECORDS) throw ApiError.of(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
}

function recordType(state: SalesforceState, record: Row): ObjectDef {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = attributes?.type;
  if (typeof type !== 'string' || type === '') {
    throw ApiError.of(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  }
  const obj = state.schema.get(type);
  if (!obj) {
    throw ApiError.of(
      400,
      'INVALID_TYPE',
      `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return obj;
}

function answer(result: SaveResult): Record<string, unknown> {
  if (!result.success) return { success: false, errors: result.errors };
  const out: Record<string, unknown> = { id: result.id, success: true, errors: [] };
  if (result.created !== undefined) out.created = result.created;
  return out;
}

/** Applies each operation in order; with allOrNone, any failure undoes everything. */
function runBatch(ctx: DmlContext, allOrNone: boolean, ops: Array<() => SaveResult>): Array<Record<string, unknown>> {
  const results: SaveResult[] = [];
  for (const op of ops) {
    const mark = ctx.undo.length;
    const r = op();
    // A failed record must leave nothing behind even when the call carries on.
    if (!r.success) while (ctx.undo.length > mark) (ctx.undo.pop() as () => void)();
    results.push(r);
  }
  if (allOrNone && results.some((r) => !r.success)) {
    rollback(ctx);
    return results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : answer(r)));
  }
  // The undo steps stay with the context: an all-or-none /composite call that carries this one may still need them.
  return results.map(answer);
}

export function compositeRoutes(state: SalesforceState): Router {
  const router = express.Router();
  const userId = (res: Response) => res.locals.userId as string;
  const count = (n: number) => {
    state.stats.compositeRecords += n;
  };

  router.post('/composite/sobjects', (req, res) => {
    const body = readBody(req);
    count(body.records.length);
    const types = body.records.map((r) => recordType(state, r));
    const ctx = state.dmlContext(userId(res));
    const ops = body.records.map((record, i) => () => {
      const obj = types[i];
      const { attributes: _ignored, ...fields } = record;
      return insertRecord(state.store, obj, fields, ctx);
    });
    sendJson(res, 200, runBatch(ctx, body.allOrNone, ops));
  });

  router.patch('/composite/sobjects', (req, res) => {
    const body = readBody(req);
    count(body.records.length);
    const types = body.records.map((r) => recordType(state, r));
    const ctx = state.dmlContext(userId(res));
    const ops = body.records.map((record, i) => () => {
      const obj = types[i];
      const { attributes: _ignored, ...rest } = record;
      const idKey = Object.keys(rest).find((k) => k.toLowerCase() === 'id');
      const id = idKey ? rest[idKey] : undefined;
      if (idKey) delete rest[idKey];
      return updateRecord(state.store, obj, id, rest, ctx);
    });
    sendJson(res, 200, runBatch(ctx, body.allOrNone, ops));
  });

  router.patch('/composite/sobjects/:sobject/:field', (req, res) => {
    const obj = objectOr404(state, String(req.params.sobject));
    const field = obj.fieldMap.get(String(req.params.field).toLowerCase());
    if (!field || !(field.externalId || field.idLookup)) {
      throw ApiError.of(400, 'INVALID_FIELD', `Field name provided, ${String(req.params.field)} is not an External ID or indexed field for ${obj.name}`);
    }
    const body = readBody(req);
    count(body.records.length);
    const ctx = state.dmlContext(userId(res));
    const ops = body.records.map((record) => () => {
      const { attributes: _ignored, ...rest } = record;
      const key = Object.keys(rest).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const value = key ? rest[key] : undefined;
      if (value === undefined || value === null || value === '') {
        return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${field.name} not specified`, fields: [] }] } as SaveResult;
      }
      return upsertRecord(state.store, obj, field, value, rest, ctx);
    });
    sendJson(res, 200, runBatch(ctx, body.allOrNone, ops));
  });

  router.delete('/composite/sobjects', (req, res) => {
    const raw = typeof req.query.ids === 'string' ? req.query.ids : '';
    const ids = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    checkCount(ids.length, 'ids');
    count(ids.length);
    const allOrNone = req.query.allOrNone === 'true';
    const ctx = state.dmlContext(userId(res));
    const ops = ids.map((id) => () => {
      const obj = isIdLike(id) ? state.schema.byKeyPrefix(keyPrefixOf(id)) : undefined;
      if (!obj) return { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] }] } as SaveResult;
      return deleteRecord(state.store, obj, id, ctx);
    });
    // Delete answers name the id they were asked about, even when the delete fails.
    const answers = runBatch(ctx, allOrNone, ops).map((a, i) => (a.success ? a : { id: isIdLike(ids[i]) ? ids[i] : null, ...a }));
    sendJson(res, 200, answers);
  });

  const retrieveMany = (res: Response, sobject: string, ids: unknown, fields: unknown) => {
    const obj = objectOr404(state, sobject);
    if (!Array.isArray(ids) || !Array.isArray(fields) || fields.length === 0) {
      throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
    }
    checkCount(ids.length, 'ids');
    count(ids.length);
    const version = res.locals.version as string;
    const out = ids.map((id) => {
      const row = typeof id === 'string' && isIdLike(id) && keyPrefixOf(id) === obj.keyPrefix ? state.store.get(obj.name, id) : undefined;
      return row ? withAttributes(state.store, version, obj, row, fields.map(String)) : null;
    });
    sendJson(res, 200, out);
  };

  router.post('/composite/sobjects/:sobject', (req, res) => {
    const body = (req.body ?? {}) as { ids?: unknown; fields?: unknown };
    retrieveMany(res, String(req.params.sobject), body.ids, body.fields);
  });

  router.get('/composite/sobjects/:sobject', (req, res) => {
    const split = (v: unknown) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : [];
    retrieveMany(res, String(req.params.sobject), split(req.query.ids), split(req.query.fields));
  });

  /** sObject Tree: parents with nested children in one all-or-nothing insert. */
  router.post('/composite/tree/:sobject', (req, res) => {
    const root = objectOr404(state, String(req.params.sobject));
    const body = req.body as { records?: unknown } | undefined;
    if (!body || !Array.isArray(body.records)) throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
    const countTree = (records: Row[]): number =>
      records.reduce((n, r) => n + 1 + Object.values(r).reduce<number>((m, v) => m + (isChildBlock(v) ? countTree(v.records) : 0), 0), 0);
    const total = countTree(body.records as Row[]);
    checkCount(total, 'records');
    count(total);
    const ctx = state.dmlContext(userId(res));
    const results: Array<{ referenceId: unknown; id: string }> = [];
    const failures: Array<{ referenceId: unknown; errors: SaveError[] }> = [];
    const insertTree = (obj: ObjectDef, records: Row[], parent?: { field: string; id: string }) => {
      for (const record of records) {
        const { attributes, ...rest } = record;
        const referenceId = (attributes as { referenceId?: unknown } | undefined)?.referenceId ?? null;
        const fields: Row = {};
        const children: Array<[string, Row[]]> = [];
        for (const [key, value] of Object.entries(rest)) {
          if (isChildBlock(value)) children.push([key, value.records]);
          else fields[key] = value;
        }
        if (parent) fields[parent.field] = parent.id;
        const r = insertRecord(state.store, obj, fields, ctx);
        if (!r.success) {
          failures.push({ referenceId, errors: r.errors });
          continue;
        }
        results.push({ referenceId, id: r.id });
        for (const [relName, childRecords] of children) {
          const rel = obj.childRelationshipMap.get(relName.toLowerCase());
          const childObj = rel ? state.schema.get(rel.childSObject) : undefined;
          if (!rel || !childObj) {
            failures.push({
              referenceId,
              errors: [{ statusCode: 'INVALID_FIELD', message: `No such column '${relName}' on sobject of type ${obj.name}`, fields: [] }],
            });
            continue;
          }
          insertTree(childObj, childRecords, { field: rel.field, id: r.id });
        }
      }
    };
    insertTree(root, body.records as Row[]);
    if (failures.length > 0) {
      rollback(ctx);
      sendJson(res, 400, { hasErrors: true, results: failures });
      return;
    }
    sendJson(res, 201, { hasErrors: false, results });
  });

  return router;
}

function isChildBlock(value: unknown): value is { records: Row[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as { records?: unknown }).records);
}
