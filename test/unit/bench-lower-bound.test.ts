// The bench's lower bound: the least time QuickBooks' per-realm limits allow, on a strict sliding window.
import { concurrencyBoundMs, lowerBound, windowBoundMs } from '../../scripts/bench/lowerBound';

const INTUIT = { operationsPerWindow: 500, batchesPerWindow: 40, concurrent: 10, windowMs: 3000, latencyMs: 15 };

describe('the bench lower bound', () => {
  it('when the operations fit in one window, then only the last answer’s latency is left', () => {
    expect(windowBoundMs(500, 500, 3000, 15)).toBe(15);
    expect(windowBoundMs(1, 500, 3000, 15)).toBe(15);
  });

  it('when one operation more than a window allows is asked for, then it waits a whole window', () => {
    expect(windowBoundMs(501, 500, 3000, 15)).toBe(3015);
    expect(windowBoundMs(1000, 500, 3000, 15)).toBe(3015);
    expect(windowBoundMs(1001, 500, 3000, 15)).toBe(6015);
  });

  it('when there is nothing to send, then the bound is zero', () => {
    expect(windowBoundMs(0, 500, 3000, 15)).toBe(0);
    expect(concurrencyBoundMs(0, 10, 15)).toBe(0);
    expect(lowerBound({ ...INTUIT, operations: 0, batchCalls: 0, calls: 0 }).lowerBoundMs).toBe(0);
  });

  it('when calls are slow, then concurrency rounds of one latency each bound the time', () => {
    expect(concurrencyBoundMs(10, 10, 300)).toBe(300);
    expect(concurrencyBoundMs(11, 10, 300)).toBe(600);
  });

  it('when 10,000 items go in batches of 30 counted per item, then the operations limit binds', () => {
    const batches = Math.ceil(10_000 / 30);
    const bound = lowerBound({ ...INTUIT, operations: 10_000, batchCalls: batches, calls: batches });
    expect(bound.bindingBound).toBe('operations');
    expect(bound.bounds).toEqual({ operations: 19 * 3000 + 15, batchCalls: 8 * 3000 + 15, concurrency: 34 * 15, perSecond: 0 });
    expect(bound.lowerBoundMs).toBe(57_015);
  });

  it('when batches count once per call, then the 40 batch calls a window bind', () => {
    const batches = Math.ceil(10_000 / 30);
    const bound = lowerBound({ ...INTUIT, operations: batches, batchCalls: batches, calls: batches });
    expect(bound.bindingBound).toBe('batchCalls');
    expect(bound.lowerBoundMs).toBe(8 * 3000 + 15);
  });

  it('when every call is a single slow one, then concurrency binds', () => {
    const bound = lowerBound({ ...INTUIT, latencyMs: 2000, operations: 400, batchCalls: 0, calls: 400 });
    expect(bound.bindingBound).toBe('concurrency');
    expect(bound.lowerBoundMs).toBe(40 * 2000);
  });

  it('when 10 requests a second are allowed, then n calls need ceil(n / 10) − 1 seconds (a 60th of the window) and a latency', () => {
    const bound = lowerBound({ ...INTUIT, requestsPerSecond: 10, operations: 334, batchCalls: 0, calls: 334 });
    expect(bound.bounds.perSecond).toBe(33 * 50 + 15);
  });

  it('when many quick single calls go, then the requests a second bind, not the minute or the slots', () => {
    const bound = lowerBound({ ...INTUIT, latencyMs: 1, requestsPerSecond: 10, operations: 400, batchCalls: 0, calls: 400 });
    expect(bound.bindingBound).toBe('perSecond');
    expect(bound.lowerBoundMs).toBe(39 * 50 + 1);
  });
});
