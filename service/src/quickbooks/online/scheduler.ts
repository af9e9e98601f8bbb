// The one place where QuickBooks Online calls are scheduled against Intuit's per-realm limits:
// 500 operations a minute (a batch counts once per item), 10 calls at once, 40 batch calls a minute.
// - Operations: a token bucket (bottleneck's reservoir) holding at most one full batch and refilled at
//   (limit - one batch) per minute, so no sliding minute ever sees more than the limit.
// - Batch calls: spaced by minute/limit with a 5% margin for the jitter between sending and being counted.
import Bottleneck from 'bottleneck';

export interface RateLimits {
  requestsPerMinute: number;
  batchesPerMinute: number;
  maxConcurrent: number;
  /** Length of Intuit's "minute"; shorter only against an emulator running on a scaled clock. */
  windowMs?: number;
}

export type CallKind = 'read' | 'query' | 'write' | 'batch';

/** The most operations one call can carry (a full batch). */
const BURST = 30;
/** Refills per window: small steps keep the bucket close to a steady rate. */
const STEPS = 50;
const MARGIN = 1.05;

export class QboScheduler {
  private readonly realms = new Map<string, { operations: Bottleneck; inFlight: Bottleneck; batch: Bottleneck }>();

  constructor(private readonly limits: RateLimits) {}

  get windowMs(): number {
    return this.limits.windowMs ?? 60_000;
  }

  /** Runs `call` when the realm's limits allow it; `units` is the number of operations it carries. */
  schedule<T>(realmId: string, kind: CallKind, call: () => Promise<T>, units = 1): Promise<T> {
    const limiters = this.limitersFor(realmId);
    const weight = Math.min(Math.max(1, units), BURST);
    // bottleneck counts weight against maxConcurrent, so operations and calls in flight are two limiters.
    const run = () => limiters.operations.schedule({ weight }, () => limiters.inFlight.schedule(call));
    return kind === 'batch' ? limiters.batch.schedule(run) : run();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.realms.values()].flatMap((l) => [l.operations.disconnect(), l.inFlight.disconnect(), l.batch.disconnect()]));
    this.realms.clear();
  }

  private limitersFor(realmId: string) {
    let limiters = this.realms.get(realmId);
    if (!limiters) {
      const window = this.windowMs;
      const perStep = Math.max(1, Math.floor((this.limits.requestsPerMinute - BURST) / STEPS));
      const step = Math.ceil((window * MARGIN) / STEPS);
      limiters = {
        operations: new Bottleneck({
          reservoir: BURST,
          reservoirIncreaseAmount: perStep,
          reservoirIncreaseInterval: step,
          reservoirIncreaseMaximum: BURST,
          // bottleneck applies one increase per heartbeat: beat once per step.
          heartbeatInterval: step,
        }),
        inFlight: new Bottleneck({ maxConcurrent: this.limits.maxConcurrent }),
        batch: new Bottleneck({ maxConcurrent: this.limits.maxConcurrent, minTime: Math.ceil((window * MARGIN) / this.limits.batchesPerMinute) }),
      };
      this.realms.set(realmId, limiters);
    }
    return limiters;
  }
}
