// The least time QuickBooks' per-realm limits allow for an export's calls, on a strict sliding window: no window of
// `windowMs` holds more than `operationsPerWindow` operations or `batchesPerWindow` batch calls, no second (a 60th of
// the window) more than `requestsPerSecond` calls, and no more than `concurrent` calls are in flight. Pure, so a unit
// test can hold the formula.

export interface LowerBoundInput {
  /** Operations counted against the per-window limit (per batch item or per batch call, as the realm counts). */
  operations: number;
  batchCalls: number;
  /** API calls (reads, queries, writes and batch calls). */
  calls: number;
  windowMs: number;
  /** Time one call spends at QuickBooks (on the bench's scaled clock). */
  latencyMs: number;
  operationsPerWindow: number;
  batchesPerWindow: number;
  concurrent: number;
  /** Intuit's 10 requests a second per company and app; unset: no such limit. */
  requestsPerSecond?: number;
}

export type BindingBound = 'operations' | 'batchCalls' | 'concurrency' | 'perSecond';

export interface LowerBound {
  lowerBoundMs: number;
  bindingBound: BindingBound;
  bounds: Record<BindingBound, number>;
}

/**
 * n units under a limit of `perWindow` a sliding window: the first `perWindow` may go at t = 0, the next only once
 * the first have left the window, at t = W, and so on, so the last goes at (ceil(n / perWindow) − 1) · W and is
 * answered `latencyMs` later. No units, no time.
 */
export function windowBoundMs(units: number, perWindow: number, windowMs: number, latencyMs: number): number {
  if (units <= 0) return 0;
  return (Math.ceil(units / perWindow) - 1) * windowMs + latencyMs;
}

/** `calls` calls of `latencyMs` each, `concurrent` at a time: ceil(calls / concurrent) rounds of one latency. */
export function concurrencyBoundMs(calls: number, concurrent: number, latencyMs: number): number {
  if (calls <= 0) return 0;
  return Math.ceil(calls / concurrent) * latencyMs;
}

/** The binding (largest) of the bounds; ties go to the first of operations, batch calls, concurrency, per second. */
export function lowerBound(input: LowerBoundInput): LowerBound {
  const bounds: Record<BindingBound, number> = {
    operations: windowBoundMs(input.operations, input.operationsPerWindow, input.windowMs, input.latencyMs),
    batchCalls: windowBoundMs(input.batchCalls, input.batchesPerWindow, input.windowMs, input.latencyMs),
    concurrency: concurrencyBoundMs(input.calls, input.concurrent, input.latencyMs),
    perSecond: input.requestsPerSecond ? windowBoundMs(input.calls, input.requestsPerSecond, input.windowMs / 60, input.latencyMs) : 0,
  };
  let bindingBound: BindingBound = 'operations';
  for (const kind of ['batchCalls', 'concurrency', 'perSecond'] as const) if (bounds[kind] > bounds[bindingBound]) bindingBound = kind;
  return { lowerBoundMs: bounds[bindingBound], bindingBound, bounds };
}
