// What QuickBooks' limits are in a bench run: Intuit's own (`on`, the default), or so high no run reaches them
// (`off`), so the run costs only its own work and its CPU per invoice is measured without waiting for QuickBooks.
import { QBO_LIMITS } from './limits';

export type LimitsMode = 'on' | 'off';

/** Far above anything a run asks for: no window, second or slot ever holds a call. */
const UNREACHABLE = 1_000_000_000;
/**
 * With limits off the service's windows are this short. Its requests a second (at most 10, as Intuit allows) and calls
 * in flight (at most 10) cannot be raised; a "second" of 1 ms makes the 10 a second about 10 every 26 ms (the
 * scheduler's 25 ms margin), ~380 calls a second, several times what a run sends when it is not held.
 */
const OFF_WINDOW_MS = 60;

export interface LimitsSetup {
  /** The QuickBooks emulator's options (limits, latency, clock). */
  emulator: { timeScale: number; latencyMs: number; batchCounts: 'item' | 'call'; limits: Record<string, number> };
  /** The service's QBO_* settings. */
  serviceEnv: Record<string, string>;
  /** The limits' window and the latency of a call, on the scaled clock. */
  windowMs: number;
  scaledLatencyMs: number;
}

export function limitsSetup(mode: LimitsMode, o: { timeScale: number; latencyMs: number; batchCounts: 'item' | 'call' }): LimitsSetup {
  if (mode === 'off') {
    const windowMs = OFF_WINDOW_MS;
    return {
      emulator: {
        timeScale: windowMs / 60_000,
        latencyMs: 0,
        batchCounts: o.batchCounts,
        limits: { perMinute: UNREACHABLE, perSecond: UNREACHABLE, concurrent: UNREACHABLE, batchPerMinute: UNREACHABLE, realmBatchPerMinute: UNREACHABLE },
      },
      serviceEnv: {
        QBO_RATE_WINDOW_MS: String(windowMs),
        QBO_REQUESTS_PER_MINUTE: String(UNREACHABLE),
        QBO_BATCHES_PER_MINUTE: String(UNREACHABLE),
        QBO_MAX_CONCURRENT: String(QBO_LIMITS.concurrent),
        QBO_BATCH_COUNTS: o.batchCounts,
      },
      windowMs,
      scaledLatencyMs: 0,
    };
  }
  const windowMs = 60_000 * o.timeScale;
  const scaledLatencyMs = o.latencyMs * o.timeScale;
  return {
    emulator: { timeScale: o.timeScale, latencyMs: scaledLatencyMs, batchCounts: o.batchCounts, limits: QBO_LIMITS },
    serviceEnv: {
      QBO_RATE_WINDOW_MS: String(Math.round(windowMs)),
      QBO_REQUESTS_PER_MINUTE: String(QBO_LIMITS.perMinute),
      QBO_BATCHES_PER_MINUTE: String(QBO_LIMITS.batchPerMinute),
      QBO_MAX_CONCURRENT: String(QBO_LIMITS.concurrent),
      QBO_BATCH_COUNTS: o.batchCounts,
    },
    windowMs,
    scaledLatencyMs,
  };
}
