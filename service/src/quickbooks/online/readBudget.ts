// Intuit meters an app's QuickBooks reads (data-out calls: reads, queries, CDC; only successful ones) per calendar
// month — 500,000 on the Builder tier — and blocks all reads past that until the next month. Each read is taken from
// the month's count in the store before it is sent (every instance sees one count) and given back if QuickBooks did
// not answer it with success, so the budget is never passed: a run stops before the read that would pass it.
import { LedgerlineError } from '../../errors';
import { readBudgetSpentText, type ReadBudgetFacts } from '../../export/entries';
import type { ReadCounterRepository, ReadCounts } from '../../store/types';
import type { ReadGate } from './client';

/** Share of the budget at which a run warns (once) and a notification goes out. */
export const READ_BUDGET_WARN_SHARE = 0.8;
/** From this share on, a 429 on a read is taken for the spent budget. */
const NEARLY_SPENT_SHARE = 0.95;

/** 'YYYY-MM' of a time, UTC. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The reads of a month as the page and a run show them. */
export interface ReadUsage extends ReadBudgetFacts {
  /** This company's reads this month. */
  company: number;
  /** Reads of this run (a run's meter only). */
  run?: number;
}

/** The month's reads are spent: the run stops, saying until when. */
export class ReadBudgetSpent extends LedgerlineError {
  constructor(facts: ReadBudgetFacts) {
    const { message, fix } = readBudgetSpentText(facts);
    super('QBO_READ_BUDGET', message, { status: 429, fix, details: { ...facts } });
    this.name = 'ReadBudgetSpent';
  }
}

export interface ReadMeterOptions {
  companyId: string;
  counter: ReadCounterRepository;
  /** Reads a month; 0 counts without a limit. */
  budget: number;
  now: () => Date;
  /** Told once, when the month's reads reach READ_BUDGET_WARN_SHARE of the budget. */
  onLow?: (usage: ReadUsage) => void;
}

/** One company's reads against the app's monthly budget, for one run (or one page view). */
export class ReadMeter implements ReadGate {
  private run = 0;
  private counts: ReadCounts = { company: 0, total: 0 };
  private month: string;
  private warned = false;

  constructor(private readonly opts: ReadMeterOptions) {
    this.month = monthOf(opts.now());
  }

  async take(): Promise<void> {
    const month = monthOf(this.opts.now());
    this.note(month, await this.opts.counter.add(this.opts.companyId, month, 1));
    if (this.opts.budget > 0 && this.counts.total > this.opts.budget) {
      this.note(month, await this.opts.counter.add(this.opts.companyId, month, -1));
      throw this.spent();
    }
  }

  async settle(metered: boolean): Promise<void> {
    if (metered) {
      this.run++;
      if (!this.warned && this.opts.budget > 0 && this.counts.total >= this.opts.budget * READ_BUDGET_WARN_SHARE) {
        this.warned = true;
        this.opts.onLow?.(this.usage());
      }
      return;
    }
    this.note(this.month, await this.opts.counter.add(this.opts.companyId, this.month, -1));
  }

  nearlySpent(): boolean {
    return this.opts.budget > 0 && this.counts.total >= this.opts.budget * NEARLY_SPENT_SHARE;
  }

  spent(): ReadBudgetSpent {
    return new ReadBudgetSpent({ month: this.month, used: Math.min(this.counts.total, this.opts.budget), budget: this.opts.budget });
  }

  /** Reads the month's counts from the store (other instances' reads included). */
  async load(): Promise<ReadUsage> {
    this.month = monthOf(this.opts.now());
    this.counts = await this.opts.counter.get(this.opts.companyId, this.month);
    return this.usage();
  }

  usage(): ReadUsage {
    return { month: this.month, used: this.counts.total, budget: this.opts.budget, company: this.counts.company, run: this.run };
  }

  private note(month: string, counts: ReadCounts): void {
    this.month = month;
    this.counts = counts;
  }
}
