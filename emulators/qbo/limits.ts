// Per-company throttling as QBO applies it: requests per minute (each batch
// item counts as one), batch calls per minute, and requests in flight.
// Windows run on real (monotonic) time scaled by `timeScale`, not on the
// emulator clock, so jumping the clock for token tests does not reset quotas.

import { performance } from 'node:perf_hooks';

interface RealmUsage {
  calls: number[];
  batches: number[];
  inflight: number;
}

export interface LimitSpec {
  perMinute: number;
  concurrent: number;
  batchPerMinute: number;
}

export class RateLimiter {
  private readonly usage = new Map<string, RealmUsage>();

  private get(realmId: string): RealmUsage {
    let u = this.usage.get(realmId);
    if (!u) {
      u = { calls: [], batches: [], inflight: 0 };
      this.usage.set(realmId, u);
    }
    return u;
  }

  /**
   * Admits a call worth `units` operations, or refuses it (nothing recorded).
   * An admitted call holds a concurrency slot until `release`.
   */
  admit(realmId: string, units: number, isBatch: boolean, limits: LimitSpec, timeScale: number): boolean {
    const u = this.get(realmId);
    const now = performance.now();
    const windowMs = 60000 * timeScale;
    prune(u.calls, now - windowMs);
    prune(u.batches, now - windowMs);
    if (u.inflight >= limits.concurrent) return false;
    if (u.calls.length + units > limits.perMinute) return false;
    if (isBatch && u.batches.length + 1 > limits.batchPerMinute) return false;
    for (let i = 0; i < units; i++) u.calls.push(now);
    if (isBatch) u.batches.push(now);
    u.inflight += 1;
    return true;
  }

  release(realmId: string): void {
    const u = this.usage.get(realmId);
    if (u && u.inflight > 0) u.inflight -= 1;
  }

  reset(): void {
    this.usage.clear();
  }
}

function prune(times: number[], cutoff: number): void {
  let drop = 0;
  while (drop < times.length && times[drop] <= cutoff) drop++;
  if (drop > 0) times.splice(0, drop);
}
