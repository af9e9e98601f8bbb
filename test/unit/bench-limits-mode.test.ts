// The bench's two limit modes: Intuit's limits on a scaled clock, or limits no run reaches and no latency.
import { QBO_LIMITS } from '../../scripts/bench/limits';
import { limitsSetup } from '../../scripts/bench/limitsMode';

describe('the bench limits', () => {
  it('when they are on, then the emulator and the service keep Intuit limits on the scaled minute with the scaled latency', () => {
    const setup = limitsSetup('on', { timeScale: 0.05, latencyMs: 300, batchCounts: 'item' });

    expect(setup.windowMs).toBe(3000);
    expect(setup.scaledLatencyMs).toBe(15);
    expect(setup.emulator).toEqual({ timeScale: 0.05, latencyMs: 15, batchCounts: 'item', limits: QBO_LIMITS });
    expect(setup.serviceEnv).toMatchObject({
      QBO_RATE_WINDOW_MS: '3000',
      QBO_REQUESTS_PER_MINUTE: '500',
      QBO_BATCHES_PER_MINUTE: '40',
      QBO_BATCH_COUNTS: 'item',
    });
  });

  it('when they are off, then no call waits: no latency, and every window far above what a 100,000-invoice run sends', () => {
    const setup = limitsSetup('off', { timeScale: 0.05, latencyMs: 300, batchCounts: 'call' });

    expect(setup.scaledLatencyMs).toBe(0);
    expect(setup.emulator.latencyMs).toBe(0);
    // A 100,000-invoice run sends about 170,000 operations in all; each limit allows far more in one window.
    for (const limit of Object.values(setup.emulator.limits)) expect(limit).toBeGreaterThan(1e8);
    expect(Number(setup.serviceEnv.QBO_REQUESTS_PER_MINUTE)).toBeGreaterThan(1e8);
    expect(Number(setup.serviceEnv.QBO_BATCHES_PER_MINUTE)).toBeGreaterThan(1e8);
    // The service's windows are as short as the emulator's, so its 10 a second come back within milliseconds.
    expect(Number(setup.serviceEnv.QBO_RATE_WINDOW_MS)).toBe(setup.windowMs);
    expect(setup.emulator.timeScale * 60_000).toBeCloseTo(setup.windowMs, 6);
    expect(setup.windowMs / 60).toBeLessThanOrEqual(1);
    expect(setup.serviceEnv.QBO_BATCH_COUNTS).toBe('call');
  });
});
