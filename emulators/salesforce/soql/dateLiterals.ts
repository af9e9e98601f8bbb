// Named date literals (TODAY, LAST_N_DAYS:n ...) as half-open UTC day ranges.
const DAY_MS = 86_400_000;

export interface DayRange {
  /** Days since the epoch, inclusive. */
  start: number;
  /** Days since the epoch, exclusive. */
  end: number;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1) / DAY_MS;
}

export function dateLiteralRange(name: string, n: number | undefined, nowMs: number): DayRange {
  const today = Math.floor(nowMs / DAY_MS);
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const weekStart = today - now.getUTCDay(); // weeks start on Sunday
  const k = n ?? 0;
  switch (name) {
    case 'YESTERDAY':
      return { start: today - 1, end: today };
    case 'TODAY':
      return { start: today, end: today + 1 };
    case 'TOMORROW':
      return { start: today + 1, end: today + 2 };
    case 'LAST_WEEK':
      return { start: weekStart - 7, end: weekStart };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 };
    case 'NEXT_WEEK':
      return { start: weekStart + 7, end: weekStart + 14 };
    case 'LAST_MONTH':
      return { start: monthStart(y, m - 1), end: monthStart(y, m) };
    case 'THIS_MONTH':
      return { start: monthStart(y, m), end: monthStart(y, m + 1) };
    case 'NEXT_MONTH':
      return { start: monthStart(y, m + 1), end: monthStart(y, m + 2) };
    case 'LAST_90_DAYS':
      return { start: today - 90, end: today + 1 };
    case 'NEXT_90_DAYS':
      return { start: today + 1, end: today + 91 };
    case 'THIS_YEAR':
      return { start: monthStart(y, 0), end: monthStart(y + 1, 0) };
    case 'LAST_YEAR':
      return { start: monthStart(y - 1, 0), end: monthStart(y, 0) };
    case 'NEXT_YEAR':
      return { start: monthStart(y + 1, 0), end: monthStart(y + 2, 0) };
    case 'LAST_N_DAYS':
      return { start: today - k, end: today + 1 };
    case 'NEXT_N_DAYS':
      return { start: today + 1, end: today + 1 + k };
    case 'N_DAYS_AGO':
      return { start: today - k, end: today - k + 1 };
    default:
      throw new Error(`unknown date literal ${name}`);
  }
}

export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayToDateTime(day: number): string {
  return `${dayToDate(day)}T00:00:00.000+0000`;
}
