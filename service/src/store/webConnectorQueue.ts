// QuickBooks Desktop's Web Connector queue in the store: qbXML messages per company (queued by a run, handed out on
// a session's ticket, answered), the invoices taken back, sessions and each company's contact state. Every
// instance sharing the store sees the same queue, so any of them can answer the Web Connector.
import { fromJson, jsonParam, toDate, toDateOrNull } from './rows';
import type { QbwcMessage, QbwcMessageState, QbwcSession, Queryable, WebConnectorQueueRepository } from './types';

interface MessageRow {
  id: number;
  company_id: string;
  run_id: string | null;
  requests: unknown;
  tags: unknown;
  withdrawn: unknown;
  state: QbwcMessageState;
  ticket: string | null;
  handed_out_at: Date | null;
  response: string | null;
  hresult: string | null;
  message: string | null;
}

interface SessionRow {
  ticket: string;
  company_id: string;
  qbxml_version: string;
  last_error: string | null;
  keep_alive: string | null;
  tally: unknown;
  created_at: Date;
  last_seen_at: Date;
}

function message(row: MessageRow): QbwcMessage {
  return {
    id: Number(row.id),
    companyId: row.company_id,
    runId: row.run_id,
    requests: fromJson<unknown[]>(row.requests),
    tags: fromJson<(string | null)[]>(row.tags),
    withdrawn: fromJson<number[]>(row.withdrawn),
    state: row.state,
    ticket: row.ticket,
    handedOutAt: toDateOrNull(row.handed_out_at),
    response: row.response,
    hresult: row.hresult,
    message: row.message,
  };
}

function session(row: SessionRow): QbwcSession {
  return {
    ticket: row.ticket,
    companyId: row.company_id,
    qbxmlVersion: row.qbxml_version,
    lastError: row.last_error,
    keepAlive: row.keep_alive,
    tally: fromJson<QbwcSession['tally']>(row.tally) ?? {},
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
  };
}

const SESSION_COLUMNS = { qbxmlVersion: 'qbxml_version', lastError: 'last_error', keepAlive: 'keep_alive', tally: 'tally' } as const;

export function createWebConnectorQueueRepository(
  db: Queryable,
  now: () => Date,
  transaction: <T>(fn: () => Promise<T>) => Promise<T>,
): WebConnectorQueueRepository {
  const ensureCompany = (companyId: string) => db.query('INSERT INTO qbwc_companies (company_id) VALUES ($1) ON CONFLICT (company_id) DO NOTHING', [companyId]);

  return {
    enqueue(m) {
      return transaction(async () => {
        const tagged = m.tags.filter((t): t is string => t !== null);
        const back = tagged.length
          ? new Set(
              (
                await db.query<{ source_id: string }>('SELECT source_id FROM qbwc_taken_back WHERE company_id = $1 AND source_id = ANY($2::text[])', [
                  m.companyId,
                  tagged,
                ])
              ).map((r) => r.source_id),
            )
          : new Set<string>();
        const withdrawn = m.tags.flatMap((t, i) => (t !== null && back.has(t) ? [i] : []));
        if (withdrawn.length === m.requests.length) return null;
        const at = now();
        const rows = await db.query<MessageRow>(
          `INSERT INTO qbwc_messages (company_id, run_id, priority, requests, tags, withdrawn, state, created_at, updated_at)
           VALUES ($1, $2, $3, $4::text::json, $5::text::jsonb, $6::text::jsonb, 'queued', $7::timestamptz, $7::timestamptz) RETURNING *`,
          [m.companyId, m.runId, m.priority, jsonParam(m.requests), jsonParam(m.tags), jsonParam(withdrawn), at],
        );
        return message(rows[0]!);
      });
    },

    async get(id) {
      const rows = await db.query<MessageRow>('SELECT * FROM qbwc_messages WHERE id = $1', [id]);
      return rows[0] ? message(rows[0]) : null;
    },

    takeNext(companyId, ticket, lostReason) {
      return transaction(async () => {
        const at = now();
        const lost = await db.query(
          `UPDATE qbwc_messages SET state = 'lost', message = $2, updated_at = $3::timestamptz WHERE company_id = $1 AND state = 'out' RETURNING id`,
          [companyId, lostReason, at],
        );
        const rows = await db.query<MessageRow>(
          `UPDATE qbwc_messages SET state = 'out', ticket = $2, handed_out_at = $3::timestamptz, updated_at = $3::timestamptz
            WHERE id = (SELECT id FROM qbwc_messages WHERE company_id = $1 AND state = 'queued' ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING *`,
          [companyId, ticket, at],
        );
        return { message: rows[0] ? message(rows[0]) : null, lost: lost.length };
      });
    },

    async out(companyId) {
      const rows = await db.query<MessageRow>(`SELECT * FROM qbwc_messages WHERE company_id = $1 AND state = 'out' ORDER BY id LIMIT 1`, [companyId]);
      return rows[0] ? message(rows[0]) : null;
    },

    async settle(id, from, to, fields = {}) {
      const rows = await db.query(
        `UPDATE qbwc_messages SET state = $3, response = COALESCE($4, response), hresult = COALESCE($5, hresult), message = COALESCE($6, message),
                updated_at = $7::timestamptz
          WHERE id = $1 AND state = ANY($2::text[]) RETURNING id`,
        [id, from, to, fields.response ?? null, fields.hresult ?? null, fields.message ?? null, now()],
      );
      return rows.length === 1;
    },

    async requeueOut(companyId) {
      // Back to the front: a priority message keeps its place, others go before the other queued ones by their id.
      await db.query(
        `UPDATE qbwc_messages SET state = 'queued', ticket = NULL, handed_out_at = NULL, updated_at = $2::timestamptz WHERE company_id = $1 AND state = 'out'`,
        [companyId, now()],
      );
    },

    async loseOut(companyId, reason) {
      const rows = await db.query(
        `UPDATE qbwc_messages SET state = 'lost', message = $2, updated_at = $3::timestamptz WHERE company_id = $1 AND state = 'out' RETURNING id`,
        [companyId, reason, now()],
      );
      return rows.length;
    },

    async closeQueued(companyId, exceptRunId) {
      const rows = await db.query(
        `UPDATE qbwc_messages SET state = 'closed', updated_at = $3::timestamptz
          WHERE company_id = $1 AND state = 'queued' AND ($2::text IS NULL OR run_id IS DISTINCT FROM $2::text) RETURNING id`,
        [companyId, exceptRunId, now()],
      );
      return rows.length;
    },

    async closeMessages(ids) {
      if (!ids.length) return;
      await db.query(`UPDATE qbwc_messages SET state = 'closed', updated_at = $2::timestamptz WHERE id = ANY($1::int[]) AND state = 'queued'`, [ids, now()]);
    },

    async counts(companyId) {
      const rows = await db.query<{ state: string; messages: number; requests: number }>(
        `SELECT state, COUNT(*)::int AS messages,
                COALESCE(SUM(json_array_length(requests) - jsonb_array_length(withdrawn)), 0)::int AS requests
           FROM qbwc_messages WHERE company_id = $1 AND state IN ('queued', 'out') GROUP BY state`,
        [companyId],
      );
      const of = (state: string) => rows.find((r) => r.state === state);
      return { queued: Number(of('queued')?.messages ?? 0), out: Number(of('out')?.messages ?? 0), requests: Number(of('queued')?.requests ?? 0) };
    },

    withdraw(companyId, sourceId) {
      return transaction(async () => {
        const tagged = await db.query<MessageRow>(
          `SELECT * FROM qbwc_messages WHERE company_id = $1 AND state IN ('queued', 'out') AND tags @> $2::text::jsonb ORDER BY id FOR UPDATE`,
          [companyId, jsonParam([sourceId])],
        );
        const carrying = tagged.map(message).filter((m) => m.tags.some((t, i) => t === sourceId && !m.withdrawn.includes(i)));
        if (carrying.some((m) => m.state === 'out')) return 'handedOut' as const;
        await db.query('INSERT INTO qbwc_taken_back (company_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [companyId, sourceId]);
        const queued = carrying[0];
        if (!queued) return 'notQueued' as const;
        const withdrawn = [...queued.withdrawn, queued.tags.findIndex((t, i) => t === sourceId && !queued.withdrawn.includes(i))];
        await db.query(`UPDATE qbwc_messages SET withdrawn = $2::text::jsonb, state = $3, updated_at = $4::timestamptz WHERE id = $1`, [
          queued.id,
          jsonParam(withdrawn),
          withdrawn.length === queued.requests.length ? 'withdrawn' : 'queued',
          now(),
        ]);
        return 'withdrawn' as const;
      });
    },

    async clearTakenBack(companyId) {
      await db.query('DELETE FROM qbwc_taken_back WHERE company_id = $1', [companyId]);
    },

    async openSession(s) {
      const at = now();
      // One session per company: the new one replaces any other (its ticket is no longer known).
      await db.query(
        `INSERT INTO qbwc_sessions (ticket, company_id, qbxml_version, created_at, last_seen_at) VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET ticket = EXCLUDED.ticket, qbxml_version = EXCLUDED.qbxml_version, last_error = NULL,
           keep_alive = NULL, tally = '{}', created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at`,
        [s.ticket, s.companyId, s.qbxmlVersion, at],
      );
    },

    async session(ticket) {
      const rows = await db.query<SessionRow>('SELECT * FROM qbwc_sessions WHERE ticket = $1', [ticket]);
      return rows[0] ? session(rows[0]) : null;
    },

    async updateSession(ticket, patch) {
      const sets: string[] = [];
      const params: unknown[] = [ticket, now()];
      for (const [key, column] of Object.entries(SESSION_COLUMNS) as [keyof typeof SESSION_COLUMNS, string][]) {
        if (!(key in patch)) continue;
        params.push(key === 'tally' ? jsonParam(patch.tally) : patch[key]);
        sets.push(key === 'tally' ? `${column} = $${params.length}::text::jsonb` : `${column} = $${params.length}`);
      }
      await db.query(`UPDATE qbwc_sessions SET last_seen_at = $2::timestamptz${sets.map((s) => `, ${s}`).join('')} WHERE ticket = $1`, params);
    },

    async closeSession(ticket) {
      await db.query('DELETE FROM qbwc_sessions WHERE ticket = $1', [ticket]);
    },

    async expireSessions(before) {
      await db.query('DELETE FROM qbwc_sessions WHERE last_seen_at < $1::timestamptz', [before]);
    },

    async companyState(companyId) {
      const rows = await db.query<{
        last_contact_at: Date | null;
        connection_error: string | null;
        connection_error_at: Date | null;
        finished_run_id: string | null;
      }>('SELECT * FROM qbwc_companies WHERE company_id = $1', [companyId]);
      const row = rows[0];
      return {
        lastContactAt: toDateOrNull(row?.last_contact_at),
        connectionError: row?.connection_error && row.connection_error_at ? { at: toDate(row.connection_error_at), message: row.connection_error } : null,
        finishedRunId: row?.finished_run_id ?? null,
      };
    },

    async touch(companyId) {
      await ensureCompany(companyId);
      await db.query('UPDATE qbwc_companies SET last_contact_at = $2::timestamptz WHERE company_id = $1', [companyId, now()]);
    },

    async connectionError(companyId, text) {
      await ensureCompany(companyId);
      await db.query('UPDATE qbwc_companies SET connection_error = $2, connection_error_at = $3::timestamptz WHERE company_id = $1', [companyId, text, now()]);
    },

    async runFinished(companyId, runId) {
      await ensureCompany(companyId);
      await db.query('UPDATE qbwc_companies SET finished_run_id = $2 WHERE company_id = $1', [companyId, runId]);
    },
  };
}
