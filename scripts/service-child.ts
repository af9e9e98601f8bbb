// A Ledgerline service in a process of its own (settings from the environment, as in production): the kill tests
// SIGKILL it mid-export and start another on the same store; the bench measures its memory apart from the emulators.
// Prints {"url": ...} on stdout once it listens; with an IPC channel it sends its memory use every SAMPLE_MS.
import { appendFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';
import { loadConfig } from '../service/src/config';
import { createContainer } from '../service/src/container';
import { startServer } from '../service/src/server';
import { connectWithEmulator } from './demo-stack';

const SAMPLE_MS = 100;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /**
   * The most heap in use right after a full (mark-sweep-compact) collection since the previous sample, 0 when none
   * ran: what the process holds live, where `heapUsed` also counts garbage V8 has not collected yet.
   */
  liveHeapUsed: number;
  /** CPU time the process has used so far (user + system), in microseconds. */
  cpuUs: number;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const container = await createContainer(config, { jobPollSeconds: process.env.JOB_POLL_SECONDS ? Number(process.env.JOB_POLL_SECONDS) : undefined });
  const server = await startServer(container, { port: 0 });
  const { CONNECT_COMPANY_ID, CONNECT_REALM_ID } = process.env;
  // Comma-separated lists connect several companies, the n-th to the n-th realm.
  const realms = (CONNECT_REALM_ID ?? '').split(',');
  for (const [i, companyId] of (CONNECT_COMPANY_ID ? CONNECT_COMPANY_ID.split(',') : []).entries()) {
    await connectWithEmulator(container, `http://127.0.0.1:${config.quickbooks.emulatorPort}`, companyId, realms[i]!);
  }
  if (process.send) {
    const trace = process.env.BENCH_MEMORY_TRACE;
    // V8's own figure after each full collection (GCProfiler), not heapUsed read when a PerformanceObserver hears of
    // the collection: that comes later, after the process has allocated again, and reads tens of MB too high.
    let gcs = new GCProfiler();
    gcs.start();
    const liveSinceLastSample = (): number => {
      const { statistics } = gcs.stop();
      gcs = new GCProfiler();
      gcs.start();
      let live = 0;
      for (const gc of statistics) {
        if (gc.gcType !== 'MarkSweepCompact') continue;
        const used = gc.afterGC.heapStatistics.usedHeapSize;
        live = Math.max(live, used);
        if (trace) appendFileSync(trace, `${Date.now()} gc ${Math.round(used / 1048576)}\n`);
      }
      return live;
    };
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      const cpu = process.cpuUsage();
      process.send?.({ rss, heapUsed, liveHeapUsed: liveSinceLastSample(), cpuUs: cpu.user + cpu.system } satisfies MemorySample);
      // BENCH_MEMORY_TRACE: every sample as a line "ms rssMB heapMB" (and "ms gc heapMB" after each full collection),
      // to see when a peak comes (the GC's saw-tooth or something the run holds), not only how high.
      if (trace) appendFileSync(trace, `${Date.now()} ${Math.round(rss / 1048576)} ${Math.round(heapUsed / 1048576)}\n`);
    };
    setInterval(sample, SAMPLE_MS).unref();
    process.once('disconnect', () => process.exit(0));
  }
  process.once('SIGTERM', () => void server.close().finally(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: server.url, instanceId: container.instanceId })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
