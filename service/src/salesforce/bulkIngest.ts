// Pure parts of a Bulk API 2.0 ingest job as the repository runs it with the fewest calls: create, one upload, close,
// the state polled with back-off, and a result file read only when the job's state does not already say everything
// (records failed or left unprocessed, or the ids of inserted records are wanted). jsforce's loadAndWaitForResults
// reads all three result files whatever happened (7 calls a job), writes a null as an empty cell — which Bulk API
// reads as "leave the field as it is" — and takes its columns from the first record only.
import type { WriteRecord, WriteResult } from './repository';

/** What a cell holds to set a field to null (an empty cell leaves the field as it is). */
export const BULK_NULL = '#N/A';
/** Polls of a job's state wait this long at most between them (back-off doubles from the first wait). */
export const MAX_POLL_MS = 30_000;

export interface IngestJobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

/** One job's rows: records of one type, an update's records of one Id merged (later fields win). */
export interface IngestRows {
  rows: Record<string, unknown>[];
  /** Row of each record given, by its position. */
  rowOf: number[];
}

export function ingestRows(operation: 'update' | 'insert', records: WriteRecord[]): IngestRows {
  const rows: Record<string, unknown>[] = [];
  const rowOf: number[] = [];
  const byId = new Map<string, number>();
  for (const { type: _type, ...fields } of records) {
    // Salesforce refuses an Id twice in one job: its updates go as one row.
    const at = operation === 'update' && typeof fields.Id === 'string' ? byId.get(fields.Id) : undefined;
    if (at !== undefined) {
      Object.assign(rows[at]!, fields);
      rowOf.push(at);
      continue;
    }
    if (operation === 'update' && typeof fields.Id === 'string') byId.set(fields.Id, rows.length);
    rowOf.push(rows.length);
    rows.push({ ...fields });
  }
  return { rows, rowOf };
}

function cell(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return BULK_NULL;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** The rows as CSV: every field any row names is a column; a row without it leaves the field as it is. */
export function toCsv(rows: Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      seen.add(key);
      columns.push(key);
    }
  }
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Waits before the n-th poll (0-based): the first wait, doubled each time, at most MAX_POLL_MS. */
export function pollDelay(n: number, firstMs: number): number {
  return Math.min(firstMs * 2 ** Math.min(n, 16), Math.max(firstMs, MAX_POLL_MS));
}

/** Which result files a finished job still has to be asked for. */
export function resultsToRead(info: IngestJobInfo, rows: number, wantIds: boolean): { successful: boolean; failed: boolean } {
  const processed = info.numberRecordsProcessed ?? 0;
  const failed = info.numberRecordsFailed ?? 0;
  const unprocessed = processed < rows;
  return { successful: wantIds || unprocessed, failed: failed > 0 };
}

const UNPROCESSED: WriteResult = {
  id: null,
  success: false,
  errors: [{ statusCode: 'UNPROCESSED', message: 'Salesforce did not process this record in the bulk job' }],
};

/**
 * Each row's result. Without a successful-results file every row the job did not name as failed succeeded (the job
 * processed them all); with one, a row named in neither was not processed. Rows are matched by `key` (the Id of an
 * update, the caller's unique field of an insert): result files do not keep the upload's order.
 */
export function rowResults(
  rows: Record<string, unknown>[],
  key: string,
  files: { successful?: Record<string, string>[]; failed?: Record<string, string>[] },
): WriteResult[] {
  const keyOf = (row: Record<string, unknown>) => String(row[key] ?? (key === 'Id' ? row.sf__Id : ''));
  const failed = new Map<string, WriteResult>();
  for (const row of files.failed ?? []) {
    const [statusCode, ...rest] = String(row.sf__Error || 'UNKNOWN_EXCEPTION').split(':');
    const message =
      rest
        .join(':')
        .replace(/:?[^:]*--\s*$/, '')
        .trim() || String(row.sf__Error);
    failed.set(keyOf(row), { id: null, success: false, errors: [{ statusCode: statusCode!.trim(), message }] });
  }
  const succeeded = files.successful && new Map(files.successful.map((row) => [keyOf(row), String(row.sf__Id)]));
  return rows.map((row) => {
    const k = keyOf(row);
    const refused = failed.get(k);
    if (refused) return refused;
    if (!succeeded) return { id: typeof row.Id === 'string' ? row.Id : null, success: true, errors: [] };
    const id = succeeded.get(k);
    return id === undefined ? UNPROCESSED : { id, success: true, errors: [] };
  });
}
