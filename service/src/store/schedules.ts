// Per-Company export schedules. Every instance ticks; an atomic claim moves a due schedule's next time on, so each
// fire starts one export whichever instance sees it first.
import { dateParam, toDate } from './rows';
import type { Queryable, Schedule, ScheduleRepository } from './types';

interface ScheduleRow {
  company_id: string;
  every_minutes: number;
  next_at: Date;
}

const map = (r: ScheduleRow): Schedule => ({ companyId: r.company_id, everyMinutes: r.every_minutes, nextAt: toDate(r.next_at) });

export function createScheduleRepository(db: Queryable, now: () => Date): ScheduleRepository {
  return {
    async set(companyId, everyMinutes, firstAt) {
      const rows = await db.query<ScheduleRow>(
        `INSERT INTO schedules (company_id, every_minutes, next_at, updated_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz)
         ON CONFLICT (company_id) DO UPDATE SET every_minutes = EXCLUDED.every_minutes, next_at = EXCLUDED.next_at, updated_at = EXCLUDED.updated_at
         RETURNING company_id, every_minutes, next_at`,
        [companyId, everyMinutes, dateParam(firstAt, 'firstAt'), now()],
      );
      return map(rows[0]!);
    },

    async get(companyId) {
      const rows = await db.query<ScheduleRow>('SELECT company_id, every_minutes, next_at FROM schedules WHERE company_id = $1', [companyId]);
      return rows.length ? map(rows[0]!) : null;
    },

    async remove(companyId) {
      await db.query('DELETE FROM schedules WHERE company_id = $1', [companyId]);
    },

    async claimDue() {
      const at = now();
      // The next time is the first slot after now: a schedule that fell behind (instances down) fires once, not per
      // missed slot.
      const rows = await db.query<ScheduleRow>(
        `UPDATE schedules
            SET next_at = next_at + make_interval(mins => every_minutes * (floor(extract(epoch FROM ($1::timestamptz - next_at)) / (every_minutes * 60))::int + 1)),
                updated_at = $1::timestamptz
          WHERE next_at <= $1::timestamptz
          RETURNING company_id, every_minutes, next_at`,
        [at],
      );
      return rows.map(map);
    },
  };
}
