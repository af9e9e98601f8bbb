// The one place where QuickBooks Online calls are scheduled against Intuit's per-realm limits:
// 500 requests a minute, 10 at once, 40 batch calls a minute. Spacing calls by window/limit (bottleneck's
// minTime) keeps every sliding window under the limit, which a fixed-window reservoir would not.
import Bottleneck from 'bottleneck';

export interface RateLimits {
  requestsPerMinute: number;
  batchesPerMinute: number;
  maxConcurrent: number;
  /** Length of Intuit's "minute"; shorter only against an emulator running on a scaled clock. */
  windowMs?: number;
}

export type CallKind = 'read' | 'query' | 'write' | 'batch';

export class QboScheduler {
  private readonly realms = new Map<string, { all: Bottleneck; batch: Bottleneck }>();

  constructor(private readonly limits: RateLimits) {}

  get windowMs(): number {
    return this.limits.windowMs ?? 60_000;
  }

  /** Runs `call` when the realm's limits allow it. */
  schedule<T>(realmId: string, kind: CallKind, call: () => Promise<T>): Promise<T> {
    const limiters = this.limitersFor(realmId);
    if (kind === 'batch') return limiters.batch.schedule(() => limiters.all.schedule(call));
    return limiters.all.schedule(call);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.realms.values()].flatMap((l) => [l.all.disconnect(), l.batch.disconnect()]));
    this.realms.clear();
  }

  private limitersFor(realmId: string) {
    let limiters = this.realms.get(realmId);
    if (!limiters) {
      const window = this.windowMs;
      limiters = {
        all: new Bottleneck({
          maxConcurrent: this.limits.maxConcurrent,
          minTime: Math.ceil(window / this.limits.requestsPerMinute),
        }),
        batch: new Bottleneck({ maxConcurrent: this.limits.maxConcurrent, minTime: Math.ceil(window / this.limits.batchesPerMinute) }),
      };
      this.realms.set(realmId, limiters);
    }
    return limiters;
  }
}
