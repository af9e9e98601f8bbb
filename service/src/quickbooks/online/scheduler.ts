// The one place where QuickBooks Online calls are scheduled against Intuit's per-realm limits:
// 500 operations a minute, 40 batch calls a minute, 10 calls at once.
// - Windows: each limit is a bottleneck reservoir of the window's allowance. A call takes its tokens before it is
//   sent, and they come back one window (plus a small margin) after its ANSWER — Intuit counted the call at some
//   moment before it answered, so no sliding window, as Intuit counts it, ever holds more than the limit, and the
//   whole allowance is used when there is work (less only by one answer's latency per window).
// - Whether a batch call counts once or once per item against the 500 is not settled (Intuit's wording says
//   "including batch requests"): `batchCounts` chooses, per item by default (the safe reading).
// - A 429 means our count and Intuit's disagree: the realm's allowance shrinks by a tenth (down to half) and its
//   tokens are withheld for a window, so the rate slows instead of the export failing.
import Bottleneck from 'bottleneck';

export interface RateLimits {
  requestsPerMinute: number;
  batchesPerMinute: number;
  maxConcurrent: number;
  /** Length of Intuit's "minute"; shorter only against an emulator running on a scaled clock. */
  windowMs?: number;
  /** How a batch call counts against the operations limit: once per item (default) or once per call. */
  batchCounts?: 'item' | 'call';
}

export type CallKind = 'read' | 'query' | 'write' | 'batch';

/** Extra wait before tokens come back: clocks and timers are not exact to the millisecond. */
const MARGIN = 0.02;
const MIN_MARGIN_MS = 25;

interface Window {
  limiter: Bottleneck;
  capacity: number;
  /** Tokens not to give back (the allowance shrank after a 429). */
  debt: number;
}

interface Realm {
  operations: Window;
  batches: Window;
  inFlight: Bottleneck;
  timers: Set<NodeJS.Timeout>;
}

export interface SchedulerStats {
  /** Calls now waiting for a token or a slot, per realm. */
  waiting: number;
  running: number;
}

export class QboScheduler {
  private readonly realms = new Map<string, Realm>();

  constructor(private readonly limits: RateLimits) {}

  get windowMs(): number {
    return this.limits.windowMs ?? 60_000;
  }

  /** Runs `call` when the realm's limits allow it; `units` is the number of operations it carries (batch items). */
  schedule<T>(realmId: string, kind: CallKind, call: () => Promise<T>, units = 1): Promise<T> {
    const realm = this.realmFor(realmId);
    const weight = kind === 'batch' && this.limits.batchCounts === 'call' ? 1 : Math.max(1, units);
    const ops = Math.min(weight, realm.operations.capacity);
    const send = () =>
      realm.inFlight.schedule(async () => {
        try {
          return await call();
        } finally {
          // Tokens come back one window after the answer, whatever it was: the call reached Intuit before it was
          // answered, so however late it left this process (a busy event loop), no window Intuit counts holds more.
          this.refund(realm, realm.operations, ops);
          if (kind === 'batch') this.refund(realm, realm.batches, 1);
        }
      });
    const withOperations = () => realm.operations.limiter.schedule({ weight: ops }, send);
    return kind === 'batch' ? realm.batches.limiter.schedule({ weight: 1 }, withOperations) : withOperations();
  }

  /** Intuit answered 429 for this realm: slow down (a tenth less allowance, down to half) and hold tokens back. */
  throttled(realmId: string): void {
    const realm = this.realmFor(realmId);
    for (const [window, limit] of [
      [realm.operations, this.limits.requestsPerMinute],
      [realm.batches, this.limits.batchesPerMinute],
    ] as const) {
      const cut = Math.max(0, Math.min(Math.ceil(window.capacity * 0.1), window.capacity - Math.ceil(limit / 2)));
      window.capacity -= cut;
      window.debt += cut;
    }
  }

  stats(realmId: string): SchedulerStats {
    const realm = this.realms.get(realmId);
    if (!realm) return { waiting: 0, running: 0 };
    const counts = [realm.operations.limiter.counts(), realm.batches.limiter.counts(), realm.inFlight.counts()];
    return { waiting: counts.reduce((n, c) => n + c.QUEUED + c.RECEIVED, 0), running: counts[2]!.EXECUTING };
  }

  async stop(): Promise<void> {
    for (const realm of this.realms.values()) for (const t of realm.timers) clearTimeout(t);
    await Promise.all([...this.realms.values()].flatMap((r) => [r.operations.limiter.disconnect(), r.batches.limiter.disconnect(), r.inFlight.disconnect()]));
    this.realms.clear();
  }

  private refund(realm: Realm, window: Window, tokens: number): void {
    const delay = this.windowMs + Math.max(MIN_MARGIN_MS, Math.ceil(this.windowMs * MARGIN));
    const timer = setTimeout(() => {
      realm.timers.delete(timer);
      const paid = Math.min(window.debt, tokens);
      window.debt -= paid;
      if (tokens > paid) void window.limiter.incrementReservoir(tokens - paid);
    }, delay);
    timer.unref();
    realm.timers.add(timer);
  }

  private realmFor(realmId: string): Realm {
    let realm = this.realms.get(realmId);
    if (!realm) {
      const window = (limit: number): Window => ({ limiter: new Bottleneck({ reservoir: limit }), capacity: limit, debt: 0 });
      realm = {
        operations: window(this.limits.requestsPerMinute),
        batches: window(this.limits.batchesPerMinute),
        inFlight: new Bottleneck({ maxConcurrent: this.limits.maxConcurrent }),
        timers: new Set(),
      };
      this.realms.set(realmId, realm);
    }
    return realm;
  }
}
