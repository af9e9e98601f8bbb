// A Ledgerline service in a process of its own (settings from the environment), so a test can kill it with
// SIGKILL mid-export and start another on the same store. Prints {"url": ...} on stdout once it listens.
import { loadConfig } from '../../service/src/config';
import { createContainer } from '../../service/src/container';
import { startServer } from '../../service/src/server';
import { connectWithEmulator } from '../../scripts/demo-stack';

async function main() {
  const config = loadConfig();
  const container = await createContainer(config, { jobPollSeconds: process.env.JOB_POLL_SECONDS ? Number(process.env.JOB_POLL_SECONDS) : undefined });
  const server = await startServer(container, { port: 0 });
  const { CONNECT_COMPANY_ID, CONNECT_REALM_ID } = process.env;
  // Comma-separated lists connect several companies, the n-th to the n-th realm.
  const realms = (CONNECT_REALM_ID ?? '').split(',');
  for (const [i, companyId] of (CONNECT_COMPANY_ID ? CONNECT_COMPANY_ID.split(',') : []).entries()) {
    await connectWithEmulator(container, `http://127.0.0.1:${config.quickbooks.emulatorPort}`, companyId, realms[i]!);
  }
  process.stdout.write(`${JSON.stringify({ url: server.url, instanceId: container.instanceId })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
