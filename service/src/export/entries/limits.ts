// Process Log wording about QuickBooks' limits: whose limit a pause was for and when the run goes on, the monthly
// read budget, and the preferences a run's numbering depends on.
import type { LogEntry } from './entry';

/** Whose limit QuickBooks refused a call for (the 429 itself does not say). */
export type LimitCause = 'app' | 'realmBatch' | 'readBudget';

/** The month's reads as the page and the run show them. */
export interface ReadBudgetFacts {
  /** 'YYYY-MM', UTC. */
  month: string;
  /** This app's reads this month, every company together (what Intuit meters). */
  used: number;
  /** 0: not metered. */
  budget: number;
}

const number = (n: number) => n.toLocaleString('en-US');

function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The first day of the next month (UTC), when Intuit's read count starts again. */
export function nextMonthStart(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toLocaleString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const LIMIT_TEXT: Record<LimitCause, string> = {
  app: "Ledgerline's own limit for this company (10 requests a second, 500 a minute, 40 batch calls a minute)",
  realmBatch: "the company's limit of 120 batch calls a minute, shared with every other app connected to it — other apps used it up",
  readBudget: "the app's monthly read budget",
};

/** The run waits because QuickBooks refused a call (429): whose limit, and when it goes on. */
export function quickBooksLimit(companyName: string, cause: LimitCause, until: Date): LogEntry {
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Run',
    recordName: companyName,
    message:
      `QuickBooks asked Ledgerline to slow down (HTTP 429) for ${LIMIT_TEXT[cause]}. ` +
      `The export sends less for a while and goes on by itself at ${until.toISOString()}; nothing is sent twice.`,
    fix:
      cause === 'realmBatch'
        ? 'No action needed. To finish sooner, run this export when the other apps connected to the QuickBooks company are quiet.'
        : 'No action needed: the export slows down and finishes by itself.',
    httpStatus: 429,
  };
}

/** What the run waits for, as the page shows it ("Waiting for …, until …"). */
export function limitWaitReason(cause: LimitCause): string {
  return cause === 'realmBatch'
    ? "the QuickBooks company's batch limit shared with its other apps (it answered 429)"
    : cause === 'readBudget'
      ? "QuickBooks' monthly read budget"
      : "QuickBooks' rate limit (it answered 429)";
}

/** Pacing before any 429: the next call goes when a window of QuickBooks' limits has room. */
export function pacingReason(waitMs: number, what: 'batch' | 'call'): string {
  return `pacing to QuickBooks' limits — next ${what} in ${Math.max(1, Math.ceil(waitMs / 1000))} s`;
}

/** Most of the month's reads are spent: said once a run, while the export goes on. */
export function readBudgetLow(companyName: string, facts: ReadBudgetFacts): LogEntry {
  const share = Math.floor((facts.used / facts.budget) * 100);
  return {
    level: 'WARN',
    outcome: 'Warning',
    recordType: 'Run',
    recordName: companyName,
    message:
      `Ledgerline has used ${number(facts.used)} of its ${number(facts.budget)} QuickBooks reads for ${monthName(facts.month)} (${share}%, every company together). ` +
      `At ${number(facts.budget)} QuickBooks blocks all reads until ${nextMonthStart(facts.month)} and shows the app as Offline to its companies.`,
    fix: 'Export less often until then, or move the Intuit app to a higher App Partner Program tier and raise QBO_MONTHLY_READ_BUDGET to its allowance.',
  };
}

/** The sentence a run stops with when the month's reads are spent. */
export function readBudgetSpentText(facts: ReadBudgetFacts): { message: string; fix: string } {
  return {
    message:
      `The export stopped before reading more from QuickBooks: Ledgerline has used ${number(facts.used)} of its ${number(facts.budget)} QuickBooks reads for ${monthName(facts.month)} ` +
      `(every company together), and QuickBooks blocks reads past that until ${nextMonthStart(facts.month)}.`,
    fix:
      `Export again on or after ${nextMonthStart(facts.month)} (UTC), or move the Intuit app to a higher App Partner Program tier and raise QBO_MONTHLY_READ_BUDGET to its allowance. ` +
      'What this export created is recognised then; nothing is created twice.',
  };
}
