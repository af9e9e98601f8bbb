// A Company's export schedule: set by an admin, claimed when due by exactly one instance (the store decides), and
// started like an export pressed by hand, under the same one-export-per-Company rule.
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import type { Store } from '../store/types';
import type { CompanyModel } from './model';

export interface ScheduleView {
  everyMinutes: number;
  nextAt: string;
}

export interface ExportSchedulesDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  company(idOrName: string): Promise<CompanyModel>;
  start(companyId: string): Promise<{ runId: string }>;
}

export class ExportSchedules {
  constructor(private readonly deps: ExportSchedulesDeps) {}

  async get(companyId: string): Promise<ScheduleView | null> {
    return this.stored((await this.deps.company(companyId)).id);
  }

  /** The schedule of a company already read (no second call to the source system). */
  async stored(companyId: string): Promise<ScheduleView | null> {
    const found = await this.deps.store.schedules.get(companyId);
    return found ? { everyMinutes: found.everyMinutes, nextAt: found.nextAt.toISOString() } : null;
  }

  async set(companyId: string, everyMinutes: number | null, startAt?: Date): Promise<ScheduleView | null> {
    const company = await this.deps.company(companyId);
    if (everyMinutes === null) {
      await this.deps.store.schedules.remove(company.id);
      return null;
    }
    const first = startAt ?? new Date(this.deps.now().getTime() + everyMinutes * 60_000);
    const saved = await this.deps.store.schedules.set(company.id, everyMinutes, first);
    this.deps.logger.info({ companyId: company.id, everyMinutes, nextAt: saved.nextAt }, 'export schedule set');
    return { everyMinutes: saved.everyMinutes, nextAt: saved.nextAt.toISOString() };
  }

  async runDue(): Promise<string[]> {
    const started: string[] = [];
    for (const due of await this.deps.store.schedules.claimDue()) {
      try {
        started.push((await this.deps.start(due.companyId)).runId);
      } catch (err) {
        // Already running (say, by hand): this fire is skipped; the next comes at its time.
        this.deps.logger.info({ companyId: due.companyId, err: errorMessage(err) }, 'scheduled export not started');
      }
    }
    return started;
  }
}
