// Alerts sent, one row per event: a claim before sending makes an event go out once across instances and checks.
import { toDate } from './rows';
import type { Queryable, SentAlert, SentAlertRepository } from './types';

interface SentAlertRow {
  event_key: string;
  company_id: string;
  kind: string;
  title: string;
  sent_at: Date;
}

const map = (r: SentAlertRow): SentAlert => ({ eventKey: r.event_key, companyId: r.company_id, kind: r.kind, title: r.title, sentAt: toDate(r.sent_at) });

export function createSentAlertRepository(db: Queryable, now: () => Date): SentAlertRepository {
  return {
    async claim(alert) {
      const rows = await db.query<{ event_key: string }>(
        `INSERT INTO sent_alerts (event_key, company_id, kind, title, sent_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
         ON CONFLICT (event_key) DO NOTHING RETURNING event_key`,
        [alert.eventKey, alert.companyId, alert.kind, alert.title, now()],
      );
      return rows.length === 1;
    },

    async release(eventKey) {
      await db.query('DELETE FROM sent_alerts WHERE event_key = $1', [eventKey]);
    },

    async list(companyId) {
      const rows = await db.query<SentAlertRow>(
        'SELECT event_key, company_id, kind, title, sent_at FROM sent_alerts WHERE company_id = $1 ORDER BY sent_at, event_key',
        [companyId],
      );
      return rows.map(map);
    },
  };
}
