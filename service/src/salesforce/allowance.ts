// The org's remaining daily API allowance, as Salesforce last reported it: every REST answer carries
// `Sforce-Limit-Info: api-usage=N/M` (jsforce keeps it as `conn.limitInfo`), the `/limits` resource gives
// `DailyApiRequests { Max, Remaining }`, and REQUEST_LIMIT_EXCEEDED means none is left. The repository feeds it;
// the engine asks `shouldPause()` before spending calls, so an export stops before the org runs dry (other
// integrations of the org share the same allowance) instead of failing halfway.

export type AllowanceSource = 'header' | 'limits' | 'refused';

export interface AllowanceReading {
  used: number;
  limit: number;
  remaining: number;
  at: Date;
  source: AllowanceSource;
}

export interface AllowanceOptions {
  /** Share of the daily limit left for the org's other users and integrations (0–100). Default 10. */
  reservePercent?: number;
  now?: () => Date;
}

/** Readings this close together are from overlapping calls: the higher usage is the truer one. */
const SAME_MOMENT_MS = 5_000;

export class SalesforceAllowance {
  private last: AllowanceReading | null = null;
  private readonly now: () => Date;
  private readonly reservePercent: number;

  constructor(opts: AllowanceOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.reservePercent = Math.min(100, Math.max(0, opts.reservePercent ?? 10));
  }

  /** A usage report (`api-usage=used/limit`). */
  observe(used: number, limit: number, source: AllowanceSource = 'header'): void {
    if (!Number.isFinite(used) || !Number.isFinite(limit) || limit <= 0 || used < 0) return;
    const at = this.now();
    const prev = this.last;
    // Answers of concurrent calls arrive in any order; within a moment, usage only goes up.
    if (
      prev &&
      source === 'header' &&
      prev.source === 'header' &&
      prev.limit === limit &&
      at.getTime() - prev.at.getTime() < SAME_MOMENT_MS &&
      used < prev.used
    )
      return;
    this.last = { used, limit, remaining: Math.max(0, limit - used), at, source };
  }

  /** The `/limits` resource's answer. */
  observeLimits(limits: unknown): void {
    const daily = (limits as { DailyApiRequests?: { Max?: unknown; Remaining?: unknown } } | null)?.DailyApiRequests;
    const max = Number(daily?.Max);
    const remaining = Number(daily?.Remaining);
    if (Number.isFinite(max) && Number.isFinite(remaining)) this.observe(max - remaining, max, 'limits');
  }

  /** Salesforce refused a call with REQUEST_LIMIT_EXCEEDED (daily allowance). */
  exhausted(): void {
    const limit = this.last?.limit ?? 0;
    this.last = { used: limit, limit, remaining: 0, at: this.now(), source: 'refused' };
  }

  /** Calls left today as last reported; null before Salesforce has said. */
  remaining(): number | null {
    return this.last ? this.last.remaining : null;
  }

  reading(): AllowanceReading | null {
    return this.last ? { ...this.last } : null;
  }

  /** Calls to leave for the rest of the org: the reserve share of the limit. */
  reserve(): number {
    return this.last ? Math.ceil((this.last.limit * this.reservePercent) / 100) : 0;
  }

  /**
   * True when no more than `threshold` calls are left (default: the reserve). Unknown usage never pauses:
   * the next answer's header will tell.
   */
  shouldPause(threshold: number = this.reserve()): boolean {
    const left = this.remaining();
    return left !== null && left <= threshold;
  }
}
