// The one place where QuickBooks Online calls are scheduled against Intuit's limits ("Limits and throttles", 2026):
// per company and app 500 operations a minute, 40 batch calls a minute and 10 requests a second, plus a cap on calls
// in flight; per company, across every app connected to it, 120 batch calls a minute.
// - Windows: each limit is a bottleneck reservoir of the window's allowance. A call takes its tokens before it is
//   sent, and they come back one window (plus a small margin) after its ANSWER — Intuit counted the call at some
//   moment before it answered, so no sliding window, as Intuit counts it, ever holds more than the limit, and the
//   whole allowance is used when there is work (less only by one answer's latency per window).
// - Whether a batch call counts once or once per item against the 500 is not settled (Intuit's wording says
//   "including batch requests"): `batchCounts` chooses, per item by default (the safe reading).
// - A 429 means our count and Intuit's disagree. On a batch call, whose own 40 a minute this scheduler never
//   exceeds, it is the company's shared ceiling of 120 that other apps used up: the realm's batch allowance shrinks
//   by a quarter (down to a quarter). Otherwise it is ours: the allowances shrink by a tenth (down to half). Either
//   way the tokens are withheld for a window, so the rate slows instead of the export failing.
// - A call that must wait for a window's tokens says so (`onHold`), with when the next tokens come back: the run
//   shows that it is pacing, not hung.
import Bottleneck from 'bottleneck';

export interface RateLimits {
  requestsPerMinute: number;
  batchesPerMinute: number;
  /** Requests a second per company and app (Intuit: 10). */
  requestsPerSecond?: number;
  maxConcurrent: number;
  /** Length of Intuit's "minute"; shorter only against an emulator running on a scaled clock. */
  windowMs?: number;
  /** How a batch call counts against the operations limit: once per item (default) or once per call. */
  batchCounts?: 'item' | 'call';
}

export type CallKind = 'read' | 'query' | 'write' | 'batch';

/** Whose limit a 429 was: this app's own, the company's batch ceiling shared with its other apps, or the month's reads. */
export type ThrottleCause = 'app' | 'realmBatch' | 'readBudget';

/** A call waits for a window's tokens until about `until`. */
export interface Hold {
  until: Date;
  /** The window it waits for. */
  limit: 'batches' | 'operations';
}

/**
 * Extra wait before tokens come back: timers are not exact to the millisecond, nor Intuit's clock to ours. Counting
 * from the answer already covers the call's whole trip (Intuit counted it before answering), so the margin is small.
 */
const MARGIN = 0.005;
const MIN_MARGIN_MS = 25;

/** Most items Intuit takes in one batch call. */
export const MAX_BATCH_ITEMS = 30;

/**
 * Most batches a kind keeps queued, whatever its window allows: Intuit's 40 batch calls a minute. A window set far
 * above Intuit's limits (a sandbox, the bench with its limits off) would otherwise queue every record of a kind at
 * once — a run's memory then grows with its size — while 10 calls at a time are all that can go.
 */
export const MAX_QUEUED_BATCHES = 40;

/**
 * Batches a kind keeps queued so that a window's whole allowance waits for its tokens: the operations a minute in
 * batches when items count, the batch calls a minute when a batch counts once (at most MAX_QUEUED_BATCHES).
 */
export function windowOfBatches(q: { batchSize: number; requestsPerMinute: number; batchesPerMinute: number; batchCounts: 'item' | 'call' }): number {
  const window = q.batchCounts === 'call' ? q.batchesPerMinute : Math.ceil(q.requestsPerMinute / q.batchSize);
  return Math.min(MAX_QUEUED_BATCHES, window);
}

/**
 * The batch size that fills a window: when each item counts against the operations a minute, the largest size up to
 * 30 that divides them (25 of 500: twenty batches use all 500, where sixteen of 30 leave 20 unused every window);
 * when a batch counts once, the 30 Intuit allows (the batch calls a minute bind then).
 */
export function fittingBatchSize(operationsPerMinute: number, batchCounts: 'item' | 'call'): number {
  if (batchCounts === 'call') return MAX_BATCH_ITEMS;
  for (let size = MAX_BATCH_ITEMS; size > MAX_BATCH_ITEMS / 2; size--) if (operationsPerMinute % size === 0) return size;
  return MAX_BATCH_ITEMS;
}

interface Window {
  limiter: Bottleneck;
  capacity: number;
  /** Tokens not to give back (the allowance shrank after a 429). */
  debt: number;
  /** Tokens taken and not yet back. */
  out: number;
  /** Tokens asked for by calls still waiting for them. */
  asked: number;
  /** When the tokens out come back, earliest first. */
  refunds: number[];
  lengthMs: number;
}

interface Realm {
  /** Operations ever asked for, batches sized by fitBatch included: the remainder to a batch size is out of step. */
  asked: number;
  /** Of those, sized by fitBatch and not asked for yet (the batch is on its way to the scheduler). */
  claimed: number;
  operations: Window;
  batches: Window;
  /** The requests a second, on the limiter that also caps the calls in flight (one hop less per call). */
  seconds: Window;
  timers: Set<NodeJS.Timeout>;
}

export interface SchedulerStats {
  /** Calls now waiting for a token or a slot, per realm. */
  waiting: number;
  running: number;
  /** Operations taken and not yet back, and asked for by calls waiting for them. */
  operationsOut: number;
  operationsAsked: number;
}

export class QboScheduler {
  private readonly realms = new Map<string, Realm>();

  constructor(private readonly limits: RateLimits) {}

  get windowMs(): number {
    return this.limits.windowMs ?? 60_000;
  }

  /** Intuit's "second", on the same scale as its minute. */
  get secondMs(): number {
    return this.windowMs / 60;
  }

  /**
   * Runs `call` when the realm's limits allow it; `units` is the number of operations it carries (batch items).
   * `onHold` hears, before the call queues, when it must wait for a window's tokens longer than a second.
   */
  schedule<T>(realmId: string, kind: CallKind, call: () => Promise<T>, units = 1, onHold?: (hold: Hold) => void): Promise<T> {
    const realm = this.realmFor(realmId);
    const weight = kind === 'batch' && this.limits.batchCounts === 'call' ? 1 : Math.max(1, units);
    const ops = Math.min(weight, realm.operations.capacity);
    const sized = kind === 'batch' ? Math.min(realm.claimed, ops) : 0;
    realm.claimed -= sized;
    realm.asked += ops - sized;
    const hold = this.holdFor(realm, kind, ops);
    if (hold && onHold && hold.until.getTime() - Date.now() >= this.secondMs) onHold(hold);
    const send = () =>
      take(realm.seconds, 1, async () => {
        try {
          return await call();
        } finally {
          // Tokens come back one window after the answer, whatever it was: the call reached Intuit before it was
          // answered, so however late it left this process (a busy event loop), no window Intuit counts holds more.
          this.refund(realm, realm.operations, ops);
          this.refund(realm, realm.seconds, 1);
          if (kind === 'batch') this.refund(realm, realm.batches, 1);
        }
      });
    const withOperations = () => take(realm.operations, ops, send);
    return kind === 'batch' ? take(realm.batches, 1, withOperations) : withOperations();
  }

  /**
   * Items the next batch should carry so that the window's operations stay whole batches: when items count, a read
   * (one operation) leaves 499, where nineteen batches of 25 leave 24 idle every window from then on; one batch of 24
   * makes the window whole again. `size` when nothing is out of step, or when a batch counts once.
   */
  fitBatch(realmId: string, size: number): number {
    if (this.limits.batchCounts === 'call') return size;
    const realm = this.realmFor(realmId);
    const off = realm.asked % size;
    const items = off ? size - off : size;
    // Counted now: batches sized before this one reaches the scheduler see it.
    realm.asked += items;
    realm.claimed += items;
    return items;
  }

  /** A batch sized by fitBatch leaves with `items` fewer (a kind's last one): they are not counted. */
  unfit(realmId: string, items: number): void {
    const realm = this.realmFor(realmId);
    const back = Math.max(0, Math.min(realm.claimed, items));
    realm.claimed -= back;
    realm.asked -= back;
  }

  /**
   * Intuit answered 429 for a call of this kind: slows the realm down (see the header) and says whose limit it was.
   */
  throttled(realmId: string, kind: CallKind): ThrottleCause {
    const realm = this.realmFor(realmId);
    const cause: ThrottleCause = kind === 'batch' ? 'realmBatch' : 'app';
    const cuts: [Window, number, number, number][] =
      cause === 'realmBatch'
        ? [[realm.batches, this.limits.batchesPerMinute, 0.25, 0.25]]
        : [
            [realm.operations, this.limits.requestsPerMinute, 0.1, 0.5],
            [realm.batches, this.limits.batchesPerMinute, 0.1, 0.5],
          ];
    for (const [window, limit, share, floor] of cuts) {
      const cut = Math.max(0, Math.min(Math.ceil(window.capacity * share), window.capacity - Math.max(1, Math.ceil(limit * floor))));
      window.capacity -= cut;
      window.debt += cut;
    }
    return cause;
  }

  stats(realmId: string): SchedulerStats {
    const realm = this.realms.get(realmId);
    if (!realm) return { waiting: 0, running: 0, operationsOut: 0, operationsAsked: 0 };
    const counts = [realm.operations, realm.batches, realm.seconds].map((w) => w.limiter.counts());
    return {
      waiting: counts.reduce((n, c) => n + c.QUEUED + c.RECEIVED, 0),
      running: counts[2]!.EXECUTING,
      operationsOut: realm.operations.out,
      operationsAsked: realm.operations.asked,
    };
  }

  /** The realms calls were scheduled for. */
  get realmIds(): string[] {
    return [...this.realms.keys()];
  }

  async stop(): Promise<void> {
    for (const realm of this.realms.values()) for (const t of realm.timers) clearTimeout(t);
    await Promise.all(
      [...this.realms.values()].flatMap((r) => [r.operations.limiter.disconnect(), r.batches.limiter.disconnect(), r.seconds.limiter.disconnect()]),
    );
    this.realms.clear();
  }

  /** Whether a call of this kind must wait for a window now, and until about when. */
  private holdFor(realm: Realm, kind: CallKind, ops: number): Hold | null {
    const windows: [Window, Hold['limit'], number][] = [[realm.operations, 'operations', ops]];
    if (kind === 'batch') windows.unshift([realm.batches, 'batches', 1]);
    let hold: Hold | null = null;
    for (const [window, limit, weight] of windows) {
      if (window.out + window.asked + weight <= window.capacity) continue;
      // The next tokens come back when the earliest answered call's window ends; calls still in flight give theirs a
      // window after they are answered, so no sooner than a window from now.
      const next = window.refunds[0] ?? Date.now() + window.lengthMs;
      if (!hold || next > hold.until.getTime()) hold = { until: new Date(next), limit };
    }
    return hold;
  }

  private refund(realm: Realm, window: Window, tokens: number): void {
    const delay = window.lengthMs + Math.max(MIN_MARGIN_MS, Math.ceil(window.lengthMs * MARGIN));
    window.refunds.push(Date.now() + delay);
    const timer = setTimeout(() => {
      realm.timers.delete(timer);
      window.refunds.shift();
      window.out -= tokens;
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
      const window = (limit: number, lengthMs: number, maxConcurrent?: number): Window => ({
        limiter: new Bottleneck({ reservoir: limit, ...(maxConcurrent ? { maxConcurrent } : {}) }),
        capacity: limit,
        debt: 0,
        out: 0,
        asked: 0,
        refunds: [],
        lengthMs,
      });
      realm = {
        asked: 0,
        claimed: 0,
        operations: window(this.limits.requestsPerMinute, this.windowMs),
        batches: window(this.limits.batchesPerMinute, this.windowMs),
        seconds: window(this.limits.requestsPerSecond ?? 10, this.secondMs, this.limits.maxConcurrent),
        timers: new Set(),
      };
      this.realms.set(realmId, realm);
    }
    return realm;
  }
}

/** Takes `weight` of the window's tokens (waiting for them), then goes on with `next`. */
function take<T>(window: Window, weight: number, next: () => Promise<T>): Promise<T> {
  window.asked += weight;
  return window.limiter.schedule({ weight }, () => {
    window.asked -= weight;
    window.out += weight;
    return next();
  });
}
