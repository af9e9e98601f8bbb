// The QuickBooks scheduler on a short window: no sliding window ever holds more than the limit, the whole
// allowance is used, every concurrent slot is used when calls are slow, and a 429 slows the realm down.
import { MAX_QUEUED_BATCHES, QboScheduler, windowOfBatches } from '../../service/src/quickbooks/online/scheduler';

const W = 300;

/** The most weight any window of length W holds, over calls sent at `times` with `weights`. */
function busiestWindow(sends: { at: number; weight: number }[], length = W): number {
  let most = 0;
  for (const a of sends) {
    const inWindow = sends.filter((b) => b.at >= a.at && b.at < a.at + length).reduce((n, b) => n + b.weight, 0);
    most = Math.max(most, inWindow);
  }
  return most;
}

describe('the QuickBooks scheduler', () => {
  let scheduler: QboScheduler;
  afterEach(() => scheduler?.stop());

  it('when three windows’ worth of calls are asked for, then no window holds more than the limit and each takes all of it', async () => {
    // The requests a second are out of the way: this is about the minute. A window long enough that the first 50
    // instant calls fit in it on a busy machine too, so "each takes all of it" is about the scheduler, not the load.
    const W = 2000;
    scheduler = new QboScheduler({ requestsPerMinute: 50, batchesPerMinute: 40, requestsPerSecond: 1000, maxConcurrent: 10, windowMs: W });
    const sends: { at: number; weight: number }[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 150 }, () => scheduler.schedule('realm-1', 'read', async () => void sends.push({ at: performance.now(), weight: 1 }))),
    );
    expect(sends).toHaveLength(150);
    expect(busiestWindow(sends, W)).toBe(50);
    // The whole allowance goes first; the 51st waits for the first token to come back, a window after it left.
    expect(sends[50]!.at - sends[0]!.at).toBeGreaterThanOrEqual(W);
    expect(sends[100]!.at - sends[50]!.at).toBeGreaterThanOrEqual(W - 5);
    expect(sends[149]!.at - started).toBeGreaterThanOrEqual(2 * W);
  });

  it('when calls reach QuickBooks late after taking their tokens (a busy process), then no window counted on arrival holds more than the limit', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 20, batchesPerMinute: 40, requestsPerSecond: 1000, maxConcurrent: 10, windowMs: W });
    const arrivals: { at: number; weight: number }[] = [];
    let n = 0;
    // The first window's calls arrive a third of a window after they left, the next ones at once; QuickBooks counts
    // each on arrival and answers at once.
    const lateArrival = () => new Promise<void>((resolve) => setTimeout(resolve, n++ < 20 ? W / 3 : 0));
    await Promise.all(
      Array.from({ length: 60 }, () =>
        scheduler.schedule('realm-1', 'read', async () => {
          await lateArrival();
          arrivals.push({ at: performance.now(), weight: 1 });
        }),
      ),
    );
    expect(arrivals).toHaveLength(60);
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(20);
  });

  it('when batches count per item, then a window holds at most the limit in items; per call, the 40 batch calls bind', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 100, batchesPerMinute: 5, maxConcurrent: 10, windowMs: W });
    const items: { at: number; weight: number }[] = [];
    await Promise.all(
      Array.from({ length: 9 }, () => scheduler.schedule('r', 'batch', async () => void items.push({ at: performance.now(), weight: 30 }), 30)),
    );
    expect(busiestWindow(items)).toBe(90); // three batches of 30 in 100
    await scheduler.stop();
    scheduler = new QboScheduler({ requestsPerMinute: 100, batchesPerMinute: 5, maxConcurrent: 10, windowMs: W, batchCounts: 'call' });
    const calls: { at: number; weight: number }[] = [];
    await Promise.all(
      Array.from({ length: 12 }, () => scheduler.schedule('r', 'batch', async () => void calls.push({ at: performance.now(), weight: 1 }), 30)),
    );
    expect(busiestWindow(calls)).toBe(5);
  });

  it('when calls are slow, then every concurrent slot is used and never more', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 500, batchesPerMinute: 40, maxConcurrent: 10, windowMs: 10_000 });
    let inFlight = 0;
    let most = 0;
    let started = 0;
    // Each call stays open until ten are (or the last ones are), then a little longer: an eleventh would start then.
    let release!: () => void;
    let gate!: Promise<void>;
    const close = () => (gate = new Promise<void>((resolve) => (release = resolve)));
    close();
    await Promise.all(
      Array.from({ length: 40 }, () =>
        scheduler.schedule('r', 'query', async () => {
          most = Math.max(most, ++inFlight);
          started++;
          const mine = gate;
          if (inFlight === 10 || started === 40) {
            const open = release;
            close();
            setTimeout(open, 30);
          }
          await mine;
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(10);
  });

  it('when QuickBooks answers 429, then the realm’s allowance shrinks by a tenth for the next windows (down to half at most)', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 50, batchesPerMinute: 40, requestsPerSecond: 1000, maxConcurrent: 10, windowMs: W });
    expect(scheduler.throttled('r', 'read')).toBe('app');
    const sends: { at: number; weight: number }[] = [];
    await Promise.all(Array.from({ length: 100 }, () => scheduler.schedule('r', 'read', async () => void sends.push({ at: performance.now(), weight: 1 }))));
    // The first window had its 50 tokens already; from the second on, 45 at most.
    const after = sends.slice(50);
    expect(busiestWindow(after)).toBeLessThanOrEqual(45);
    for (let i = 0; i < 10; i++) scheduler.throttled('r', 'query');
    const floor = (scheduler as any).realms.get('r').operations.capacity;
    expect(floor).toBe(25);
  });

  it('when many calls are asked for at once, then no second holds more than the requests a second allowed', async () => {
    // A "second" of 50 ms (a 3 s minute), 4 requests in it.
    scheduler = new QboScheduler({ requestsPerMinute: 500, batchesPerMinute: 40, requestsPerSecond: 4, maxConcurrent: 10, windowMs: 3000 });
    const sends: { at: number; weight: number }[] = [];
    await Promise.all(Array.from({ length: 20 }, () => scheduler.schedule('r', 'read', async () => void sends.push({ at: performance.now(), weight: 1 }))));
    expect(sends).toHaveLength(20);
    expect(busiestWindow(sends, 50)).toBe(4);
    expect(sends[19]!.at - sends[0]!.at).toBeGreaterThanOrEqual(4 * 50);
  });

  it('when a batch call is answered 429, then it was the company’s shared ceiling: the batch allowance shrinks by a quarter, down to a quarter', () => {
    scheduler = new QboScheduler({ requestsPerMinute: 500, batchesPerMinute: 40, maxConcurrent: 10, windowMs: W });
    expect(scheduler.throttled('r', 'batch')).toBe('realmBatch');
    const realm = (scheduler as any).realms.get('r');
    expect([realm.batches.capacity, realm.operations.capacity]).toEqual([30, 500]);
    for (let i = 0; i < 10; i++) scheduler.throttled('r', 'batch');
    expect(realm.batches.capacity).toBe(10);
  });

  it('when a call must wait for a window’s tokens, then it says until when, before it waits', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 500, batchesPerMinute: 2, maxConcurrent: 10, windowMs: 600 });
    const holds: { until: Date; limit: string }[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 3 }, () =>
        scheduler.schedule(
          'r',
          'batch',
          async () => undefined,
          1,
          (h) => holds.push(h),
        ),
      ),
    );
    expect(holds).toHaveLength(1);
    expect(holds[0]!.limit).toBe('batches');
    // The third batch goes once the first batch's token is back: a window after the first answer.
    expect(holds[0]!.until.getTime()).toBeGreaterThanOrEqual(started + 600);
    expect(Date.now()).toBeGreaterThanOrEqual(holds[0]!.until.getTime() - 5);
  });

  it('when a read took one of the window’s operations, then the next batch carries one item less and the window is used whole', async () => {
    scheduler = new QboScheduler({ requestsPerMinute: 100, batchesPerMinute: 40, requestsPerSecond: 1000, maxConcurrent: 10, windowMs: W });
    const sends: { at: number; weight: number }[] = [];
    const call = (weight: number) => async () => void sends.push({ at: performance.now(), weight });
    await scheduler.schedule('r', 'query', call(1));
    const sizes = Array.from({ length: 4 }, () => scheduler.fitBatch('r', 25));
    expect(sizes).toEqual([24, 25, 25, 25]);
    await Promise.all(sizes.map((n) => scheduler.schedule('r', 'batch', call(n), n)));
    // Sized 25 each, the first window would hold 1 + 75 and leave 24 idle.
    expect(busiestWindow(sends)).toBe(100);
    expect(sends.every((s) => s.at < sends[0]!.at + W)).toBe(true);
    // A kind's last batch leaves with 18 of the 25 it was sized for: the next one makes the 7 up.
    expect(scheduler.fitBatch('r', 25)).toBe(25);
    scheduler.unfit('r', 7);
    await scheduler.schedule('r', 'batch', call(18), 18);
    expect(scheduler.fitBatch('r', 25)).toBe(7);
    await scheduler.stop();
    scheduler = new QboScheduler({ requestsPerMinute: 100, batchesPerMinute: 40, maxConcurrent: 10, windowMs: W, batchCounts: 'call' });
    await scheduler.schedule('r', 'query', call(1));
    expect(scheduler.fitBatch('r', 30)).toBe(30);
  });
});

describe('batches a kind keeps queued', () => {
  it('when the window is Intuit’s, then it is the window’s allowance: 20 batches of 25 when items count, 40 batch calls when a batch counts once', () => {
    expect(windowOfBatches({ batchSize: 25, requestsPerMinute: 500, batchesPerMinute: 40, batchCounts: 'item' })).toBe(20);
    expect(windowOfBatches({ batchSize: 30, requestsPerMinute: 500, batchesPerMinute: 40, batchCounts: 'call' })).toBe(40);
  });

  it('when the window allows far more than Intuit does, then no more than Intuit’s 40 batch calls are queued, so a run’s memory does not grow with its size', () => {
    expect(MAX_QUEUED_BATCHES).toBe(40);
    expect(windowOfBatches({ batchSize: 30, requestsPerMinute: 1e9, batchesPerMinute: 1e9, batchCounts: 'item' })).toBe(40);
    expect(windowOfBatches({ batchSize: 30, requestsPerMinute: 1e9, batchesPerMinute: 1e9, batchCounts: 'call' })).toBe(40);
  });
});
