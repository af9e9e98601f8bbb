// Bulk API 2.0 (/jobs/ingest, /jobs/query): jobs with the platform's states, CSV in and out, result files
// with sf__Id / sf__Created / sf__Error columns. Work is done the moment a job is closed (ingest) or
// created (query); the job reports JobComplete from its next status check.
import express, { type Request, type Response, type Router } from 'express';
import { type ColumnDelimiter, DELIMITERS, parseCsv, writeCsv } from './csv';
import { deleteRecord, insertRecord, type SaveResult, updateRecord, upsertRecord } from './dml';
import { ApiError, notFound, sendJson } from './http';
import { randomBase62, to18 } from './ids';
import type { FieldDef, ObjectDef } from './schema';
import { compileSoql, type CompiledQuery } from './soql/evaluate';
import { formatSoqlError, SoqlError } from './soql/errors';
import type { SalesforceState } from './state';
import type { Row } from './store';
import { formatDateTime, type SaveError } from './values';

export const BULK_JOB_KEY_PREFIX = '750';
const INGEST_OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'] as const;
type IngestOperation = (typeof INGEST_OPERATIONS)[number];
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
/** Rows a results page of a query job holds when the client does not say (maxRecords). */
const DEFAULT_RESULT_PAGE = 50_000;

interface BaseJob {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: number;
  columnDelimiter: ColumnDelimiter;
  lineEnding: 'LF' | 'CRLF';
  /** Set when processing ended; the next status check reports JobComplete. */
  finished: boolean;
  errorMessage?: string;
}

export interface IngestJob extends BaseJob {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  uploads: string[];
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

export interface QueryJob extends BaseJob {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  header: string[];
  rows: Array<Array<string | null>>;
}

export type BulkJob = IngestJob | QueryJob;

const lineBreak = (job: BaseJob) => (job.lineEnding === 'CRLF' ? '\r\n' : '\n');

function bodyJson(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw ApiError.of(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  return b as Record<string, unknown>;
}

/** Bulk API 2.0 reports bad job requests as 400 [{errorCode, message}]. */
const invalid = (message: string) => ApiError.of(400, 'INVALIDJOB', message);

function commonFields(res: Response, state: SalesforceState, body: Record<string, unknown>): Omit<BaseJob, 'object'> {
  const delimiter = (body.columnDelimiter ?? 'COMMA') as string;
  if (!(delimiter in DELIMITERS)) throw invalid(`Invalid column delimiter: ${delimiter}`);
  const lineEnding = (body.lineEnding ?? 'LF') as string;
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw invalid(`Invalid line ending: ${lineEnding}`);
  if (body.contentType !== undefined && body.contentType !== 'CSV') throw invalid(`Invalid content type: ${String(body.contentType)}`);
  const now = formatDateTime(state.now());
  return {
    id: to18(`${BULK_JOB_KEY_PREFIX}5g${randomBase62(10)}`),
    createdById: res.locals.userId as string,
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    apiVersion: Number(res.locals.version),
    columnDelimiter: delimiter as ColumnDelimiter,
    lineEnding,
    finished: false,
  };
}

function jobInfo(job: BulkJob, version: string, detail: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
  };
  if (job.kind === 'ingest' && job.externalIdFieldName) info.externalIdFieldName = job.externalIdFieldName;
  info.concurrencyMode = 'Parallel';
  info.contentType = 'CSV';
  info.apiVersion = job.apiVersion;
  if (job.kind === 'ingest' && job.state === 'Open') info.contentUrl = `services/data/v${version}/jobs/ingest/${job.id}/batches`;
  if (detail) info.jobType = job.kind === 'ingest' ? 'V2Ingest' : 'V2Query';
  info.lineEnding = job.lineEnding;
  info.columnDelimiter = job.columnDelimiter;
  if (detail) {
    if (job.kind === 'ingest') {
      info.numberRecordsProcessed = job.successful.length + job.failed.length;
      info.numberRecordsFailed = job.failed.length;
    } else {
      info.numberRecordsProcessed = job.state === 'JobComplete' ? job.rows.length : 0;
    }
    info.retries = 0;
    info.totalProcessingTime = 0;
    if (job.kind === 'ingest') {
      info.apiActiveProcessingTime = 0;
      info.apexProcessingTime = 0;
    }
    if (job.errorMessage) info.errorMessage = job.errorMessage;
  }
  return info;
}

/** A finished job shows JobComplete (or Failed) from its first status check after the work was done. */
function advance(job: BulkJob): void {
  if (!job.finished) return;
  if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = job.errorMessage ? 'Failed' : 'JobComplete';
}

function formatError(errors: SaveError[]): string {
  return errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`).join('\n');
}

/** The uploaded rows under the job's one header; every upload must repeat the same header. */
function readUploads(job: IngestJob): string[][] {
  const rows: string[][] = [];
  for (const upload of job.uploads) {
    const [header, ...data] = parseCsv(upload, DELIMITERS[job.columnDelimiter]);
    if (!header) continue;
    if (job.header.length === 0) job.header = header;
    else if (header.join('\u0000') !== job.header.join('\u0000'))
      job.errorMessage = 'InvalidBatch : The column headers of every upload to a job must be the same';
    rows.push(...data);
  }
  return rows;
}

/** Runs every uploaded row through the same DML rules as the REST API, one record at a time. */
function processIngest(state: SalesforceState, job: IngestJob, obj: ObjectDef): void {
  const rows = readUploads(job);
  if (job.errorMessage) {
    job.unprocessed = rows;
    return;
  }
  const fields: Array<FieldDef | undefined> = job.header.map((h) => obj.fieldMap.get(h.trim().toLowerCase()));
  const unknown = job.header.find((_h, i) => !fields[i]);
  if (unknown !== undefined) {
    job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
    job.unprocessed = rows;
    return;
  }
  const idIndex = fields.findIndex((f) => f?.name === 'Id');
  const external = job.externalIdFieldName ? obj.fieldMap.get(job.externalIdFieldName.toLowerCase()) : undefined;
  state.stats.bulkRecords += rows.length;
  for (const cells of rows) {
    // An empty cell leaves a field as it is; #N/A sets it to null.
    const record: Row = {};
    job.header.forEach((_h, i) => {
      const f = fields[i] as FieldDef;
      const v = cells[i] ?? '';
      if (v === '') return;
      record[f.name] = v === '#N/A' ? null : v;
    });
    const ctx = state.dmlContext(job.createdById);
    const id = idIndex >= 0 ? (cells[idIndex] ?? '') : '';
    let result: SaveResult;
    switch (job.operation) {
      case 'insert':
        result = insertRecord(state.store, obj, record, ctx);
        break;
      case 'update': {
        const { Id: _id, ...rest } = record;
        result = updateRecord(state.store, obj, id, rest, ctx);
        break;
      }
      case 'upsert': {
        const key = external as FieldDef;
        const value = record[key.name];
        result =
          value === undefined || value === null
            ? { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${key.name} not specified`, fields: [] }] }
            : upsertRecord(state.store, obj, key, value, record, ctx);
        break;
      }
      case 'delete':
      case 'hardDelete':
        result = deleteRecord(state.store, obj, id, ctx);
        break;
    }
    if (result.success) job.successful.push([result.id, String(job.operation === 'insert' ? true : (result.created ?? false)), ...cells]);
    else {
      while (ctx.undo.length > 0) (ctx.undo.pop() as () => void)();
      job.failed.push([id, formatError(result.errors), ...cells]);
    }
  }
}

/** A query job's rows as CSV cells: field paths as written in the SELECT, nulls empty. */
function queryRows(compiled: CompiledQuery): { header: string[]; rows: Array<Array<string | null>> } {
  const paths = compiled.items.map((item) => {
    if (item.kind !== 'field') throw ApiError.of(400, 'API_ERROR', 'Bulk API 2.0 query jobs accept only field lists: no subqueries or aggregates.');
    return [...item.path.hops.map((h) => h.relationshipName as string), item.path.field.name];
  });
  const result = compiled.run();
  const rows = result.records.map((record) =>
    paths.map((path) => {
      let v: unknown = record;
      for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : null;
      return v === null || v === undefined ? '' : String(v);
    }),
  );
  return { header: paths.map((p) => p.join('.')), rows };
}

export function bulkRoutes(state: SalesforceState): Router {
  const router = express.Router();
  const version = (res: Response) => res.locals.version as string;

  const findJob = (kind: BulkJob['kind'], id: string): BulkJob => {
    const job = state.bulkJobs.get(id);
    if (!job || job.kind !== kind) throw notFound('The requested resource does not exist');
    return job;
  };

  router.post('/jobs/ingest', (req, res) => {
    const body = bodyJson(req);
    const operation = body.operation as IngestOperation;
    if (!INGEST_OPERATIONS.includes(operation)) throw invalid(`Invalid operation: ${String(body.operation)}`);
    const obj = typeof body.object === 'string' ? state.schema.get(body.object) : undefined;
    if (!obj) throw ApiError.of(400, 'NOT_FOUND', `sObject type '${String(body.object)}' is not supported.`);
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const f = typeof body.externalIdFieldName === 'string' ? obj.fieldMap.get(body.externalIdFieldName.toLowerCase()) : undefined;
      if (!f || !(f.externalId || f.idLookup)) throw invalid(`Invalid external ID field: ${String(body.externalIdFieldName)}`);
      externalIdFieldName = f.name;
    }
    const job: IngestJob = {
      ...commonFields(res, state, body),
      kind: 'ingest',
      object: obj.name,
      operation,
      externalIdFieldName,
      uploads: [],
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
    };
    state.bulkJobs.set(job.id, job);
    sendJson(res, 200, jobInfo(job, version(res), false));
  });

  router.put('/jobs/ingest/:id/batches', (req, res) => {
    const job = findJob('ingest', String(req.params.id)) as IngestJob;
    if (job.state !== 'Open') throw ApiError.of(400, 'INVALIDJOBSTATE', `Job ${job.id} is not open for uploads: its state is ${job.state}`);
    if (typeof req.body !== 'string') throw ApiError.of(400, 'INVALIDCONTENTTYPE', 'Upload job data as text/csv');
    job.uploads.push(req.body);
    res.status(201).end();
  });

  const changeState = (kind: BulkJob['kind']) => (req: Request, res: Response) => {
    const job = findJob(kind, String(req.params.id));
    const wanted = bodyJson(req).state;
    if (wanted === 'Aborted') {
      advance(job);
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
        throw new ApiError(400, [
          { errorCode: 'INVALIDJOBSTATE', message: `Aborting already ${job.state === 'JobComplete' ? 'Completed' : job.state} Job not allowed` },
        ]);
      }
      job.state = 'Aborted';
      if (job.kind === 'ingest') job.unprocessed = readUploads(job);
    } else if (wanted === 'UploadComplete' && job.kind === 'ingest') {
      if (job.state !== 'Open') throw ApiError.of(400, 'INVALIDJOBSTATE', `Job ${job.id} is not open: its state is ${job.state}`);
      job.state = 'UploadComplete';
      processIngest(state, job, state.schema.get(job.object) as ObjectDef);
      job.finished = true;
    } else {
      throw invalid(`Invalid state: ${String(wanted)}`);
    }
    job.systemModstamp = formatDateTime(state.now());
    sendJson(res, 200, jobInfo(job, version(res), false));
  };
  router.patch('/jobs/ingest/:id', changeState('ingest'));
  router.patch('/jobs/query/:id', changeState('query'));

  const info = (kind: BulkJob['kind']) => (req: Request, res: Response) => {
    const job = findJob(kind, String(req.params.id));
    advance(job);
    sendJson(res, 200, jobInfo(job, version(res), true));
  };
  router.get('/jobs/ingest/:id', info('ingest'));
  router.get('/jobs/query/:id', info('query'));

  const remove = (kind: BulkJob['kind']) => (req: Request, res: Response) => {
    const job = findJob(kind, String(req.params.id));
    if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress') {
      throw ApiError.of(400, 'INVALIDJOBSTATE', `Job ${job.id} must be complete, failed or aborted before it is deleted`);
    }
    state.bulkJobs.delete(job.id);
    res.status(204).end();
  };
  router.delete('/jobs/ingest/:id', remove('ingest'));
  router.delete('/jobs/query/:id', remove('query'));

  const list = (kind: BulkJob['kind']) => (_req: Request, res: Response) => {
    // List entries carry jobType but not the record counts (as recorded from an org's /jobs/ingest).
    const records = [...state.bulkJobs.values()]
      .filter((j) => j.kind === kind)
      .map((j) => {
        advance(j);
        return { ...jobInfo(j, version(res), false), jobType: j.kind === 'ingest' ? 'V2Ingest' : 'V2Query' };
      });
    sendJson(res, 200, { done: true, records, nextRecordsUrl: null });
  };
  router.get('/jobs/ingest', list('ingest'));
  router.get('/jobs/query', list('query'));

  // Result files quote the sf__ columns and every value but repeat the uploaded column names as they came
  // (restforce spec/fixtures/bulk/failed_results_success_response.json: "sf__Id","sf__Error",Name).
  const sendCsv = (res: Response, job: IngestJob, sfColumns: string[], rows: string[][]) => {
    const delimiter = DELIMITERS[job.columnDelimiter];
    const head = [...sfColumns.map((c) => `"${c}"`), ...job.header].join(delimiter);
    const body = head.length === 0 ? '' : head + lineBreak(job) + writeCsv(rows, delimiter, lineBreak(job));
    res.status(200).set('Content-Type', 'text/csv').send(body);
  };
  const results = (which: 'successful' | 'failed' | 'unprocessed') => (req: Request, res: Response) => {
    const job = findJob('ingest', String(req.params.id)) as IngestJob;
    advance(job);
    if (which !== 'unprocessed' && job.state !== 'JobComplete' && job.state !== 'Failed') {
      throw ApiError.of(400, 'INVALIDJOBSTATE', `Job ${job.id} has not finished: its state is ${job.state}`);
    }
    if (which === 'successful') sendCsv(res, job, ['sf__Id', 'sf__Created'], job.successful);
    else if (which === 'failed') sendCsv(res, job, ['sf__Id', 'sf__Error'], job.failed);
    else sendCsv(res, job, [], job.unprocessed);
  };
  router.get('/jobs/ingest/:id/successfulResults', results('successful'));
  router.get('/jobs/ingest/:id/failedResults', results('failed'));
  router.get('/jobs/ingest/:id/unprocessedrecords', results('unprocessed'));

  router.post('/jobs/query', (req, res) => {
    const body = bodyJson(req);
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') throw invalid(`Invalid operation: ${String(operation)}`);
    if (typeof body.query !== 'string' || body.query.trim() === '') throw invalid('A query must be specified');
    const common = commonFields(res, state, body);
    let compiled: CompiledQuery;
    let table: { header: string[]; rows: Array<Array<string | null>> };
    try {
      compiled = compileSoql(body.query, { store: state.store, version: version(res), nowMs: state.now() });
      table = queryRows(compiled);
    } catch (e) {
      if (e instanceof SoqlError) throw ApiError.of(400, e.errorCode, formatSoqlError(body.query, e));
      throw e;
    }
    const job: QueryJob = {
      ...common,
      kind: 'query',
      object: compiled.obj.name,
      operation,
      query: body.query,
      state: 'UploadComplete',
      finished: true,
      ...table,
    };
    state.bulkJobs.set(job.id, job);
    state.bulkQueryJobs += 1;
    sendJson(res, 200, jobInfo(job, version(res), false));
  });

  // Results come in pages of maxRecords; Sforce-Locator names the next page, the string "null" the end.
  router.get('/jobs/query/:id/results', (req, res) => {
    const job = findJob('query', String(req.params.id)) as QueryJob;
    advance(job);
    if (job.state !== 'JobComplete') throw ApiError.of(400, 'INVALIDJOBSTATE', `Job ${job.id} has not finished: its state is ${job.state}`);
    const start =
      typeof req.query.locator === 'string' && req.query.locator !== '' ? Number.parseInt(Buffer.from(req.query.locator, 'base64').toString('utf8'), 10) : 0;
    if (!Number.isFinite(start) || start < 0 || start > job.rows.length) throw ApiError.of(400, 'INVALIDLOCATOR', 'Invalid locator');
    const max = typeof req.query.maxRecords === 'string' ? Math.max(1, Number.parseInt(req.query.maxRecords, 10) || DEFAULT_RESULT_PAGE) : DEFAULT_RESULT_PAGE;
    const rows = job.rows.slice(start, start + max);
    const next = start + rows.length;
    res.set('Sforce-Locator', next < job.rows.length ? Buffer.from(String(next)).toString('base64') : 'null');
    res.set('Sforce-NumberOfRecords', String(rows.length));
    res
      .status(200)
      .set('Content-Type', 'text/csv')
      .send(writeCsv([job.header, ...rows], DELIMITERS[job.columnDelimiter], lineBreak(job)));
  });

  return router;
}
