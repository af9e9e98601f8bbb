// Throttling as Intuit's "Limits and throttles" page states it (2025–2026):
// - per company (realm), all apps together: 500 requests a minute (each batch item counts as one unless
//   batchCounts is "call") and 120 batch calls a minute — other apps connected to the same company use these too;
// - per company and app: 10 requests a second and 40 batch calls a minute, plus (an emulator setting, no longer on
//   Intuit's page) a cap on requests in flight.
// An app is the OAuth client the bearer token was issued to. Other apps' load on a company is simulated by a
// standing use of the shared allowances (`otherApps`). Windows run on real (monotonic) time scaled by
// `timeScale`, not on the emulator clock, so jumping the clock for token tests does not reset quotas.

import { performance } from 'node:perf_hooks';

export interface LimitSpec {
  /** Requests a minute per company (all apps). */
  perMinute: number;
  /** Requests a second per company and app. */
  perSecond: number;
  /** Requests in flight per company and app. */
  concurrent: number;
  /** Batch calls a minute per company and app. */
  batchPerMinute: number;
  /** Batch calls a minute per company, all apps together. */
  realmBatchPerMinute: number;
}

/** Which limit refused a call (kept in the stats; the 429 itself is the same for all, as at Intuit). */
export type LimitName = 'perMinute' | 'perSecond' | 'concurrent' | 'batchPerMinute' | 'realmBatchPerMinute';

export const LIMIT_NAMES: LimitName[] = ['perMinute', 'perSecond', 'concurrent', 'batchPerMinute', 'realmBatchPerMinute'];

/** What other apps use of a company's shared allowances, every minute, for as long as it is set. */
export interface OtherAppsLoad {
  batchesPerMinute: number;
  requestsPerMinute: number;
}

interface AppUsage {
  seconds: number[];
  batches: number[];
  inflight: number;
}

interface RealmUsage {
  calls: number[];
  batches: number[];
  apps: Map<string, AppUsage>;
  load: OtherAppsLoad;
}

const NO_LOAD: OtherAppsLoad = { batchesPerMinute: 0, requestsPerMinute: 0 };

export class RateLimiter {
  private readonly usage = new Map<string, RealmUsage>();

  private realm(realmId: string): RealmUsage {
    let u = this.usage.get(realmId);
    if (!u) {
      u = { calls: [], batches: [], apps: new Map(), load: { ...NO_LOAD } };
      this.usage.set(realmId, u);
    }
    return u;
  }

  private app(realm: RealmUsage, appId: string): AppUsage {
    let a = realm.apps.get(appId);
    if (!a) {
      a = { seconds: [], batches: [], inflight: 0 };
      realm.apps.set(appId, a);
    }
    return a;
  }

  /**
   * Admits a call of `appId` worth `units` operations, or names the limit that refuses it (nothing recorded).
   * An admitted call holds a concurrency slot until `release`.
   */
  admit(realmId: string, appId: string, units: number, isBatch: boolean, limits: LimitSpec, timeScale: number): LimitName | null {
    const realm = this.realm(realmId);
    const app = this.app(realm, appId);
    const now = performance.now();
    const minute = 60_000 * timeScale;
    prune(realm.calls, now - minute);
    prune(realm.batches, now - minute);
    prune(app.batches, now - minute);
    prune(app.seconds, now - minute / 60);
    if (app.inflight >= limits.concurrent) return 'concurrent';
    if (app.seconds.length + 1 > limits.perSecond) return 'perSecond';
    if (realm.calls.length + realm.load.requestsPerMinute + units > limits.perMinute) return 'perMinute';
    if (isBatch && app.batches.length + 1 > limits.batchPerMinute) return 'batchPerMinute';
    if (isBatch && realm.batches.length + realm.load.batchesPerMinute + 1 > limits.realmBatchPerMinute) return 'realmBatchPerMinute';
    for (let i = 0; i < units; i++) realm.calls.push(now);
    app.seconds.push(now);
    if (isBatch) {
      realm.batches.push(now);
      app.batches.push(now);
    }
    app.inflight += 1;
    return null;
  }

  release(realmId: string, appId: string): void {
    const a = this.usage.get(realmId)?.apps.get(appId);
    if (a && a.inflight > 0) a.inflight -= 1;
  }

  /** Sets (or, with zeros, ends) the other apps' standing use of a company's shared allowances. */
  setLoad(realmId: string, load: OtherAppsLoad): OtherAppsLoad {
    const realm = this.realm(realmId);
    realm.load = { ...load };
    return realm.load;
  }

  load(realmId: string): OtherAppsLoad {
    return { ...(this.usage.get(realmId)?.load ?? NO_LOAD) };
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
