// `npm start`. With no QuickBooks or Salesforce configured: the demo — emulators seeded with realistic data, the
// service and the local Sales Invoice Export page. With them configured: the service alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../service/src/config';
import { createContainer } from '../service/src/container';
import { startServer, stopOnSignals } from '../service/src/server';
import { startDemoStack } from './demo-stack';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.demo) {
    const invoices = Number(process.env.DEMO_INVOICES ?? 60);
    const stack = await startDemoStack({ invoices, desktop: true });
    const wc = stack.webConnector!;
    // The CLI (`npm run export`) reads the demo's generated keys from here; never used outside demo mode.
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(
      path.join(config.dataDir, 'demo-credentials.json'),
      JSON.stringify({ url: stack.serviceUrl, apiKey: stack.apiKey, adminKey: stack.adminKey, webConnector: wc }, null, 2),
      { mode: 0o600 },
    );
    const lines = [
      '',
      'Ledgerline demo is running (QuickBooks and Salesforce are local emulators; no account needed).',
      '',
      `  Sales Invoice Export page   ${stack.serviceUrl.replace('127.0.0.1', 'localhost')}/`,
      `  QuickBooks Authentication   ${stack.serviceUrl.replace('127.0.0.1', 'localhost')}/quickbooks/auth?companyId=${stack.secondaryCompanyId}`,
      `  Service API                 ${stack.serviceUrl}/api  (Authorization: Bearer <API key>)`,
      `  QuickBooks Online emulator  ${stack.qboUrl}   (admin: ${stack.qboUrl}/__admin/stats)`,
      `  Salesforce emulator         ${stack.sfUrl}   (admin: ${stack.sfUrl}/__admin/stats)`,
      '',
      `  API key (ERP users)         ${stack.apiKey}`,
      `  Admin key (QuickBooks page) ${stack.adminKey}`,
      '',
      `  "${stack.data.salesforce.records.Company__c?.[0]?.Name}" is connected to QuickBooks; the other company shows the Connect flow.`,
      `  QuickBooks Desktop company     ${wc.demo.companyId} (export it, then run the Web Connector: npm run webconnector)`,
      `  Web Connector page (admin)    ${stack.serviceUrl.replace('127.0.0.1', 'localhost')}/quickbooks/webconnector?companyId=${wc.demo.companyId}`,
      `  Web Connector service         ${wc.url}  (user ${wc.username})`,
      '  Export from the command line: npm run export -- --company "<name or Id>" [--dry-run]',
      ...stack.container.warnings.map((w) => `  Note: ${w}`),
      '',
      'Press Ctrl+C to stop.',
    ];
    console.log(lines.join('\n'));
    stopOnSignals(() => stack.close());
    return;
  }
  const container = await createContainer(config);
  for (const warning of container.warnings) container.logger.warn(warning);
  const server = await startServer(container, { quickbooksRouter: container.quickbooksRouter() });
  container.logger.info({ url: server.url, publicUrl: config.publicUrl }, 'Ledgerline service listening');
  stopOnSignals(() => server.close());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
