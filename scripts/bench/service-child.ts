// The Ledgerline service in a process of its own for the bench (settings from the environment, as in production),
// with the primary company connected to the QuickBooks emulator. Prints {"url": ...} on stdout once it listens and
// sends its memory use to the parent over IPC every SAMPLE_MS, so the bench measures the service alone.
import { loadConfig } from '../../service/src/config';
import { createContainer } from '../../service/src/container';
import { startServer } from '../../service/src/server';
import { connectWithEmulator } from '../demo-stack';

const SAMPLE_MS = 100;

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const container = await createContainer(config);
  const server = await startServer(container, { port: 0 });
  const { CONNECT_COMPANY_ID, CONNECT_REALM_ID } = process.env;
  if (CONNECT_COMPANY_ID && CONNECT_REALM_ID) {
    await connectWithEmulator(container, `http://127.0.0.1:${config.quickbooks.emulatorPort}`, CONNECT_COMPANY_ID, CONNECT_REALM_ID);
  }
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ rss, heapUsed } satisfies MemorySample);
  };
  setInterval(sample, SAMPLE_MS).unref();
  process.once('SIGTERM', () => void server.close().finally(() => process.exit(0)));
  process.once('disconnect', () => process.exit(0));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
