// Export runs: status, progress and result of one export, with a heartbeat to detect crashed runs.
import { dateParam, fromJson, jsonParam, patchAssignments, toDate, toDateOrNull, type PatchColumn } from './rows';
import type { Queryable, RunRecord, RunRepository, RunStatus } from './types';

interface RunRow {
  id: string;
  company_id: string;
  status: RunStatus;
  phase: string;
  dry_run: boolean;
  options: unknown;
  progress: unknown;
  counts: unknown;
  result: unknown;
  process_log_id: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  instance_id: string | null;
  resumed_from: string | null;
}

const COLUMNS =
  'id, company_id, status, phase, dry_run, options, progress, counts, result, process_log_id, error, started_at, finished_at, heartbeat_at, instance_id, resumed_from';

/** The phase of a run that has just been created. */
export const INITIAL_RUN_PHASE = 'starting';

function map(row: RunRow): RunRecord {
  return {
    id: row.id,
    companyId: row.company_id,
    status: row.status,
    phase: row.phase,
    dryRun: row.dry_run,
    options: fromJson(row.options),
    progress: fromJson(row.progress),
    counts: fromJson(row.counts),
    result: row.result === null ? null : fromJson(row.result),
    processLogId: row.process_log_id,
    error: row.error,
    startedAt: toDate(row.started_at),
    finishedAt: toDateOrNull(row.finished_at),
    heartbeatAt: toDate(row.heartbeat_at),
    instanceId: row.instance_id,
    resumedFrom: row.resumed_from,
  };
}

type Patch = Parameters<RunRepository['update']>[1];

/** Patch field -> column and SQL cast of its parameter. */
const PATCHABLE: Record<keyof Patch, PatchColumn> = {
  status: { column: 'status', cast: 'text' },
  phase: { column: 'phase', cast: 'text' },
  progress: { column: 'progress', cast: 'text::jsonb', json: true },
  counts: { column: 'counts', cast: 'text::jsonb', json: true },
  result: { column: 'result', cast: 'text::jsonb', json: true },
  processLogId: { column: 'process_log_id', cast: 'text' },
  error: { column: 'error', cast: 'text' },
  finishedAt: { column: 'finished_at', cast: 'timestamptz' },
};

export function createRunRepository(db: Queryable, now: () => Date): RunRepository {
  return {
    async create(run) {
      const at = now();
      const rows = await db.query<RunRow>(
        `INSERT INTO runs (id, company_id, status, phase, dry_run, options, progress, counts, result, started_at, heartbeat_at, resumed_from)
         VALUES ($1, $2, 'running', $3, $4, $5::text::jsonb, '{}'::jsonb, '{}'::jsonb, NULL, $6::timestamptz, $6::timestamptz, $7)
         RETURNING ${COLUMNS}`,
        [run.id, run.companyId, INITIAL_RUN_PHASE, run.dryRun, jsonParam(run.options ?? {}), at, run.resumedFrom ?? null],
      );
      return map(rows[0]);
    },

    async get(id) {
      const rows = await db.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE id = $1`, [id]);
      return rows.length ? map(rows[0]) : null;
    },

    async update(id, patch) {
      const params: unknown[] = [id];
      // Any update is also a sign of life.
      const sets = patchAssignments(PATCHABLE, patch, params, { column: 'heartbeat_at', now: now() });
      const rows = await db.query(`UPDATE runs SET ${sets.join(', ')} WHERE id = $1 RETURNING id`, params);
      if (rows.length === 0) throw new Error(`run ${id} not found`);
    },

    async heartbeat(id) {
      const rows = await db.query('UPDATE runs SET heartbeat_at = $2::timestamptz WHERE id = $1 RETURNING id', [id, now()]);
      if (rows.length === 0) throw new Error(`run ${id} not found`);
    },

    async finishIfRunning(id, patch) {
      const rows = await db.query<{ id: string }>(
        `UPDATE runs SET status = $2, error = $3, finished_at = $4::timestamptz, heartbeat_at = $4::timestamptz
          WHERE id = $1 AND status = 'running' RETURNING id`,
        [id, patch.status, patch.error, dateParam(patch.finishedAt, 'finishedAt')],
      );
      return rows.length > 0;
    },

    async claim(id, instanceId) {
      await db.query('UPDATE runs SET instance_id = $2, heartbeat_at = $3::timestamptz WHERE id = $1', [id, instanceId, now()]);
    },

    async listRunning() {
      const rows = await db.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE status = 'running' ORDER BY started_at`);
      return rows.map(map);
    },

    async previousExportStart(companyId, runId) {
      const rows = await db.query<{ started_at: Date }>(
        `SELECT started_at FROM runs WHERE company_id = $1 AND dry_run = false AND id <> $2 ORDER BY started_at DESC, seq DESC LIMIT 1`,
        [companyId, runId],
      );
      return rows.length ? toDate(rows[0]!.started_at) : null;
    },

    async latestForCompany(companyId) {
      const rows = await db.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE company_id = $1 ORDER BY started_at DESC, seq DESC LIMIT 1`, [companyId]);
      return rows.length ? map(rows[0]) : null;
    },
  };
}
