// `npm run serve`: the compiled service on its own (plain node, no emulators, no generated keys). It refuses to
// start — naming each missing setting — unless real QuickBooks and Salesforce endpoints and every key are set.
import { ConfigError, loadProductionConfig } from './config';
import { createContainer } from './container';
import { startServer, stopOnSignals } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadProductionConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Ledgerline cannot start. ${err.message}\nSee "Configuration" in the README for every setting.\n`);
    process.exit(1);
  }
  const container = await createContainer(config);
  for (const warning of container.warnings) container.logger.warn(warning);
  const server = await startServer(container, { quickbooksRouter: container.quickbooksRouter() });
  container.logger.info({ url: server.url, publicUrl: config.publicUrl }, 'Ledgerline service listening');
  stopOnSignals(
    () => server.close(),
    (msg) => container.logger.info(msg),
  );
}

main().catch((err) => {
  // Never "Ledgerline stopped: " alone: an error without a message still has a name.
  const reason = err instanceof Error ? err.message || err.name : String(err);
  process.stderr.write(`Ledgerline stopped: ${reason || 'unknown error'}\n`);
  process.exit(1);
});
