// `npm start`. With no QuickBooks or Salesforce configured: the demo — emulators seeded with realistic data, the
// service and the local org with the Sales Invoice Export page. With them configured: the service alone.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../service/src/config';
import { createContainer } from '../service/src/container';
import { startServer, stopOnSignals } from '../service/src/server';
import { sharedBundle } from '../web/serve';
import { startDemoStack } from './demo-stack';

interface DemoKeys {
  apiKey: string;
  adminKey: string;
}

/** The demo's generated keys, kept in the data folder so a restart keeps them (an open admin tab keeps working). */
function demoKeysFile(config: Config): string {
  return path.join(config.dataDir, 'demo-credentials.json');
}

function readDemoKeys(config: Config): Partial<DemoKeys> {
  const file = demoKeysFile(config);
  if (!existsSync(file)) return {};
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKeys>;
    const valid = (key: unknown) => (typeof key === 'string' && key.length >= 16 ? key : undefined);
    return { apiKey: valid(saved.apiKey), adminKey: valid(saved.adminKey) };
  } catch {
    return {};
  }
}

function portSettings(config: Config): [string, number][] {
  return [
    ['PORT', config.port],
    ['WEB_PORT', config.webPort],
    ['QBO_EMULATOR_PORT', config.quickbooks.emulatorPort],
    ['SF_EMULATOR_PORT', config.salesforce.emulatorPort],
  ];
}

/** Which setting moves a port that is already taken. */
function portSetting(config: Config, port: number | undefined): string | null {
  return portSettings(config).find(([, value]) => value === port)?.[0] ?? null;
}

/** Throws EADDRINUSE (with the port) when something already listens on a port the demo needs. */
async function checkPortsFree(config: Config): Promise<void> {
  for (const [, port] of portSettings(config)) {
    if (port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(port, config.host, () => probe.close(() => resolve()));
    });
  }
}

function startFailure(err: unknown, config: Config | undefined): string {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE' && config) {
    const setting = portSetting(config, e.port);
    const where = `Port ${e.port ?? '?'} is already in use`;
    return setting
      ? `${where}. Stop what listens there, or choose another port: ${setting}=<free port> npm start`
      : `${where}. Stop what listens there, or set PORT, WEB_PORT, QBO_EMULATOR_PORT or SF_EMULATOR_PORT to free ports.`;
  }
  if (err instanceof ConfigError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

async function startDemo(config: Config): Promise<void> {
  await checkPortsFree(config);
  const saved = readDemoKeys(config);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.LEDGERLINE_API_KEY && saved.apiKey) env.LEDGERLINE_API_KEY = saved.apiKey;
  if (!env.LEDGERLINE_ADMIN_KEY && saved.adminKey) env.LEDGERLINE_ADMIN_KEY = saved.adminKey;
  const invoices = Number(process.env.DEMO_INVOICES ?? 60);
  // The page is compiled before the addresses are printed, so the first visit shows it within seconds (a build is
  // kept by its sources' hash: only the first start after a change takes a minute or so).
  process.stdout.write('Building the Sales Invoice Export page (kept for later starts)…\n');
  const built = Date.now();
  await sharedBundle();
  process.stdout.write(`Page ready in ${Math.round((Date.now() - built) / 1000)} s.\n`);
  const stack = await startDemoStack({ invoices, env, desktop: true, multicurrency: true });
  const wc = stack.webConnector!;

  // The CLI (`npm run export`) reads the demo's keys from here too; never used outside demo mode.
  mkdirSync(config.dataDir, { recursive: true });
  // Each start has its own identity: `npm run webconnector` sets aside a company file of an earlier start, whose
  // records the freshly started emulators no longer know.
  const startId = randomUUID();
  writeFileSync(
    demoKeysFile(config),
    JSON.stringify({ url: stack.serviceUrl, orgUrl: stack.pageUrl, apiKey: stack.apiKey, adminKey: stack.adminKey, startId, webConnector: wc }, null, 2),
    {
      mode: 0o600,
    },
  );

  const serviceUrl = stack.serviceUrl.replace('127.0.0.1', 'localhost');
  const companies = stack.data.salesforce.records.Company__c ?? [];
  const primary = stack.data.facts.expected[stack.primaryCompanyId];
  const collision = primary?.docNumberCollision;
  const lines = [
    '',
    'Ledgerline demo is running (QuickBooks and Salesforce are local emulators; no account needed).',
    '',
    `  Sales Invoice Export page   ${stack.pageUrl}/`,
    `  Process Logs                ${stack.pageUrl}/lightning/o/Process_Log__c/list`,
    `  QuickBooks Authentication   ${serviceUrl}/quickbooks/auth?companyId=${stack.secondaryCompanyId}`,
    `  Service API                 ${stack.serviceUrl}/api  (Authorization: Bearer <API key>)`,
    `  QuickBooks Online emulator  ${stack.qboUrl}   (admin: ${stack.qboUrl}/__admin/stats)`,
    `  Salesforce emulator         ${stack.sfUrl}   (admin: ${stack.sfUrl}/__admin/stats)`,
    '',
    '  Users (switch with "View as" in the page header):',
    ...stack.users.map((u) => `    ${u.name.padEnd(16)} ${u.companyName ?? '(no Ledgerline Company: the page says who sets it)'}`),
    '',
    `  API key (Salesforce's Named Credential) ${stack.apiKey}`,
    `  Admin key (QuickBooks Authentication)   ${stack.adminKey}`,
    `  (kept in ${demoKeysFile(config)}, so they survive a restart)`,
    '',
    `  "${companies[0]?.Name}" is connected to QuickBooks; "${companies[1]?.Name}" shows the Connect flow.`,
    ...(collision
      ? [
          `  ${collision.invoiceName} fails on purpose: QuickBooks already has an invoice numbered ${collision.docNumber}; the Process Log names it and the fix.`,
        ]
      : []),
    `  "Cedar Ridge Supply" (${wc.demo.companyId}) is on QuickBooks Desktop: export it, then play the Web Connector with npm run webconnector.`,
    `  Web Connector page (admin)  ${serviceUrl}/quickbooks/webconnector?companyId=${wc.demo.companyId}`,
    `  Web Connector service       ${wc.url}  (user ${wc.username})`,
    '  Export from the command line: npm run export -- --company "<name or Id>" [--dry-run]',
    ...stack.container.warnings.map((w) => `  Note: ${w}`),
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));
  stopOnSignals(() => stack.close());
}

async function main(): Promise<void> {
  let config: Config | undefined;
  try {
    config = loadConfig();
    if (config.demo) {
      await startDemo(config);
      return;
    }
    const container = await createContainer(config);
    for (const warning of container.warnings) container.logger.warn(warning);
    const server = await startServer(container, { quickbooksRouter: container.quickbooksRouter() });
    container.logger.info({ url: server.url, publicUrl: config.publicUrl }, 'Ledgerline service listening');
    stopOnSignals(() => server.close());
  } catch (err) {
    console.error(startFailure(err, config));
    process.exit(1);
  }
}

void main();
