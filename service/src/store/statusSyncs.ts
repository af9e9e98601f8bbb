// QuickBooks status syncs: each sync's record, each Company's schedule and how far its QuickBooks changes are
// synced, and the webhook events already received. Every instance shares them: a due schedule is claimed by one
// instance, a company has at most one sync waiting, and a repeated event is recognised by its id.
import { dateParam, fromJson, patchAssignments, toDate, toDateOrNull, type PatchColumn } from './rows';
import type { Queryable, StatusSyncCompany, StatusSyncProblem, StatusSyncRecord, StatusSyncRepository, StatusSyncStatus, StatusSyncTrigger } from './types';

interface SyncRow {
  id: string;
  company_id: string;
  trigger: StatusSyncTrigger;
  status: StatusSyncStatus;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date;
  instance_id: string | null;
  changed_since: Date | null;
  catch_up: boolean;
  up_to: Date | null;
  reads: number;
  usage: unknown;
  counts: unknown;
  problems: unknown;
  error: string | null;
}

interface CompanyRow {
  company_id: string;
  every_minutes: number | null;
  next_at: Date | null;
  synced_up_to: Date | null;
}

const COLUMNS =
  'id, company_id, trigger, status, requested_at, started_at, finished_at, heartbeat_at, instance_id, changed_since, catch_up, up_to, reads, usage, counts, problems, error';
const COMPANY_COLUMNS = 'company_id, every_minutes, next_at, synced_up_to';
/** Webhook event ids are kept this long: Intuit retries a delivery for a day or so. */
const EVENT_MEMORY_DAYS = 7;

function map(row: SyncRow): StatusSyncRecord {
  return {
    id: row.id,
    companyId: row.company_id,
    trigger: row.trigger,
    status: row.status,
    requestedAt: toDate(row.requested_at),
    startedAt: toDateOrNull(row.started_at),
    finishedAt: toDateOrNull(row.finished_at),
    heartbeatAt: toDate(row.heartbeat_at),
    instanceId: row.instance_id,
    changedSince: toDateOrNull(row.changed_since),
    catchUp: row.catch_up,
    upTo: toDateOrNull(row.up_to),
    reads: Number(row.reads),
    usage: row.usage === null ? null : fromJson(row.usage),
    counts: fromJson(row.counts),
    problems: fromJson<StatusSyncProblem[]>(row.problems),
    error: row.error,
  };
}

const mapCompany = (r: CompanyRow): StatusSyncCompany => ({
  companyId: r.company_id,
  everyMinutes: r.every_minutes,
  nextAt: toDateOrNull(r.next_at),
  syncedUpTo: toDateOrNull(r.synced_up_to),
});

type Patch = Parameters<StatusSyncRepository['update']>[1];
const PATCHABLE: Record<keyof Patch, PatchColumn> = {
  changedSince: { column: 'changed_since', cast: 'timestamptz' },
  catchUp: { column: 'catch_up', cast: 'boolean' },
  upTo: { column: 'up_to', cast: 'timestamptz' },
  reads: { column: 'reads', cast: 'integer' },
  usage: { column: 'usage', cast: 'text::jsonb', json: true },
  counts: { column: 'counts', cast: 'text::jsonb', json: true },
  problems: { column: 'problems', cast: 'text::jsonb', json: true },
};

export function createStatusSyncRepository(db: Queryable, now: () => Date): StatusSyncRepository {
  const companyRow = async (companyId: string) => {
    const rows = await db.query<CompanyRow>(`SELECT ${COMPANY_COLUMNS} FROM status_sync_companies WHERE company_id = $1`, [companyId]);
    return rows.length ? mapCompany(rows[0]!) : null;
  };

  const request: StatusSyncRepository['request'] = async (sync) => {
    const at = now();
    // The partial unique index lets one sync per company wait: a second request finds it and joins it.
    const inserted = await db.query<SyncRow>(
      `INSERT INTO status_syncs (id, company_id, trigger, status, requested_at, heartbeat_at)
         VALUES ($1, $2, $3, 'queued', $4::timestamptz, $4::timestamptz)
         ON CONFLICT (company_id) WHERE status = 'queued' DO NOTHING
         RETURNING ${COLUMNS}`,
      [sync.id, sync.companyId, sync.trigger, at],
    );
    if (inserted.length) return { record: map(inserted[0]!), joined: false };
    const queued = await db.query<SyncRow>(`SELECT ${COLUMNS} FROM status_syncs WHERE company_id = $1 AND status = 'queued'`, [sync.companyId]);
    // It started between the two statements: ask again (a new one can wait now).
    if (!queued.length) return request(sync);
    return { record: map(queued[0]!), joined: true };
  };

  return {
    request,

    async get(id) {
      const rows = await db.query<SyncRow>(`SELECT ${COLUMNS} FROM status_syncs WHERE id = $1`, [id]);
      return rows.length ? map(rows[0]!) : null;
    },

    async latest(companyId, finished) {
      const rows = await db.query<SyncRow>(
        `SELECT ${COLUMNS} FROM status_syncs WHERE company_id = $1 ${finished ? "AND status NOT IN ('queued', 'running')" : ''}
          ORDER BY requested_at DESC, seq DESC LIMIT 1`,
        [companyId],
      );
      return rows.length ? map(rows[0]!) : null;
    },

    async start(id, instanceId) {
      const at = now();
      await db.query(
        `UPDATE status_syncs SET status = 'running', started_at = $3::timestamptz, heartbeat_at = $3::timestamptz, instance_id = $2
          WHERE id = $1 AND status = 'queued'`,
        [id, instanceId, at],
      );
    },

    async claim(id, instanceId) {
      await db.query(`UPDATE status_syncs SET instance_id = $2, heartbeat_at = $3::timestamptz WHERE id = $1 AND status = 'queued'`, [id, instanceId, now()]);
    },

    async heartbeat(id) {
      await db.query(`UPDATE status_syncs SET heartbeat_at = $2::timestamptz WHERE id = $1`, [id, now()]);
    },

    async update(id, patch) {
      const params: unknown[] = [id];
      const sets = patchAssignments(PATCHABLE, patch, params, { column: 'heartbeat_at', now: now() });
      await db.query(`UPDATE status_syncs SET ${sets.join(', ')} WHERE id = $1`, params);
    },

    async finish(id, patch) {
      const at = now();
      const rows = await db.query(
        `UPDATE status_syncs SET status = $2, error = $3, finished_at = $4::timestamptz, heartbeat_at = $4::timestamptz
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id, patch.status, patch.error ?? null, at],
      );
      return rows.length > 0;
    },

    async listOpen() {
      const rows = await db.query<SyncRow>(`SELECT ${COLUMNS} FROM status_syncs WHERE status IN ('queued', 'running') ORDER BY requested_at, seq`);
      return rows.map(map);
    },

    company: companyRow,

    async setSchedule(companyId, everyMinutes, nextAt) {
      const rows = await db.query<CompanyRow>(
        `INSERT INTO status_sync_companies (company_id, every_minutes, next_at, updated_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET every_minutes = EXCLUDED.every_minutes, next_at = EXCLUDED.next_at, updated_at = EXCLUDED.updated_at
         RETURNING ${COMPANY_COLUMNS}`,
        [companyId, everyMinutes, nextAt, now()],
      );
      return mapCompany(rows[0]!);
    },

    async claimDue(defaultEveryMinutes) {
      const at = now();
      if (defaultEveryMinutes > 0) {
        await db.query(
          `INSERT INTO status_sync_companies (company_id, every_minutes, next_at, updated_at)
           SELECT c.company_id, NULL, $1::timestamptz + make_interval(mins => $2::int), $1::timestamptz
             FROM (SELECT company_id FROM qbo_tokens WHERE status = 'connected' UNION SELECT company_id FROM web_connector_users) c
           ON CONFLICT (company_id) DO NOTHING`,
          [at, defaultEveryMinutes],
        );
      }
      // The next time is the first slot after now: a schedule that fell behind (instances down) fires once.
      const rows = await db.query<CompanyRow>(
        `UPDATE status_sync_companies c
            SET next_at = c.next_at + make_interval(mins => e.every * (floor(extract(epoch FROM ($1::timestamptz - c.next_at)) / (e.every * 60))::int + 1)),
                updated_at = $1::timestamptz
           FROM (SELECT company_id, COALESCE(every_minutes, $2::int) AS every FROM status_sync_companies) e
          WHERE e.company_id = c.company_id AND e.every > 0 AND c.next_at IS NOT NULL AND c.next_at <= $1::timestamptz
          RETURNING c.company_id, c.every_minutes, c.next_at, c.synced_up_to`,
        [at, defaultEveryMinutes],
      );
      return rows.map(mapCompany);
    },

    async ensureCompany(companyId, defaultEveryMinutes) {
      const at = now();
      await db.query(
        `INSERT INTO status_sync_companies (company_id, every_minutes, next_at, updated_at)
         VALUES ($1, NULL, CASE WHEN $3::int > 0 THEN $2::timestamptz + make_interval(mins => $3::int) END, $2::timestamptz)
         ON CONFLICT (company_id) DO NOTHING`,
        [companyId, at, defaultEveryMinutes],
      );
      return (await companyRow(companyId))!;
    },

    async setSyncedUpTo(companyId, at) {
      await db.query(
        `INSERT INTO status_sync_companies (company_id, synced_up_to, updated_at) VALUES ($1, $2::timestamptz, $3::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET synced_up_to = EXCLUDED.synced_up_to, updated_at = EXCLUDED.updated_at`,
        [companyId, dateParam(at, 'syncedUpTo'), now()],
      );
    },

    async firstExportAt(companyId) {
      const rows = await db.query<{ first: Date | null }>(`SELECT min(started_at) AS first FROM runs WHERE company_id = $1 AND dry_run = false`, [companyId]);
      return toDateOrNull(rows[0]?.first);
    },

    async companiesOfRealm(realmId) {
      const rows = await db.query<{ company_id: string }>(
        `SELECT company_id FROM qbo_tokens WHERE realm_id = $1 AND status = 'connected' ORDER BY company_id`,
        [realmId],
      );
      return rows.map((r) => r.company_id);
    },

    async newEvents(events) {
      if (events.length === 0) return new Set();
      const at = now();
      await db.query(`DELETE FROM webhook_events WHERE received_at < $1::timestamptz`, [new Date(at.getTime() - EVENT_MEMORY_DAYS * 86_400_000)]);
      const rows = await db.query<{ event_id: string }>(
        `INSERT INTO webhook_events (event_id, realm_id, type, received_at)
         SELECT r.id, r.realm_id, r.type, $2::timestamptz FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, realm_id text, type text)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [JSON.stringify(events.map((e) => ({ id: e.id, realm_id: e.realmId, type: e.type }))), at],
      );
      return new Set(rows.map((r) => r.event_id));
    },
  };
}
