// `npm run webconnector`: plays the QuickBooks Web Connector against the running demo (`npm start`), with a small
// QuickBooks Desktop company file standing in for QuickBooks (kept in .data/qbd-company.json for this start).
// Export the Desktop company on the page or with `npm run export -- --company "Cedar Ridge Supply"`, then run this
// and watch its invoices go from Pending Sync to Exported.
//   npm run webconnector                          one Web Connector run now
//   npm run webconnector -- --every 30            a run every 30 seconds (the real Web Connector's schedule is in minutes)
//   npm run webconnector -- --password <password> the Web Connector user's password, after "New password" on its page
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWebConnectorSession } from '../emulators/qbd/webConnector';
import { loadConfig } from '../service/src/config';
import type { DemoWebConnector } from './demo-stack';
import { loadCompanyFile, saveCompanyFile } from './demo/companyFile';

interface DemoCredentials {
  url: string;
  apiKey: string;
  startId?: string;
  webConnector?: DemoWebConnector;
}

export interface WebConnectorArgs {
  everySeconds: number | null;
  password: string | null;
}

/** `env`: npm hands `npm run webconnector --password x` (no `--` before it) to the script as npm_config_password. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}): WebConnectorArgs {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return null;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const unknown = argv.filter((a, i) => a.startsWith('--') && !['--every', '--password'].includes(a) && !['--every', '--password'].includes(argv[i - 1] ?? ''));
  if (unknown.length) throw new Error(`Unknown option ${unknown[0]}: use --every <seconds> or --password <password>.`);
  const every = value('--every');
  const n = every === null ? null : Number(every);
  if (n !== null && (!Number.isFinite(n) || n < 1)) throw new Error('--every takes a number of seconds (at least 1)');
  return { everySeconds: n, password: value('--password') ?? (env.npm_config_password || null) };
}

/** Why the service refused the Web Connector (nvu), in words that say what to do. */
export function refusedText(username: string, passwordGiven: boolean): string {
  return passwordGiven
    ? `The service refused the password given with --password for Web Connector user ${username} (nvu). Copy the password the Web Connector page showed after "New password", or click "New password" again.`
    : `The service refused the demo's password for Web Connector user ${username} (nvu): the password was probably changed on the Web Connector page ("New password"). ` +
        'Run again with the new one: npm run webconnector -- --password <new password>';
}

async function pending(creds: DemoCredentials, companyId: string): Promise<string> {
  const res = await fetch(`${creds.url}/api/companies/${companyId}/summary`, { headers: { Authorization: `Bearer ${creds.apiKey}` } });
  if (!res.ok) return '?';
  const s = (await res.json()) as { pendingSync: number; counts: { invoices: number } };
  return `${s.pendingSync} Pending Sync, ${s.counts.invoices} not yet transferred`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), process.env);
  const dataDir = loadConfig().dataDir;
  const credsFile = path.join(dataDir, 'demo-credentials.json');
  if (!existsSync(credsFile)) throw new Error(`No demo is running here (${credsFile} is missing): start it with npm start.`);
  const creds = JSON.parse(readFileSync(credsFile, 'utf8')) as DemoCredentials;
  const wc = creds.webConnector;
  if (!wc) throw new Error('The running demo has no QuickBooks Desktop company: restart it with npm start.');
  const startId = creds.startId ?? creds.url;
  const { file, fresh } = loadCompanyFile(dataDir, startId, wc.demo);
  if (fresh) console.log('QuickBooks Desktop company file: a new one for this demo start.');
  for (;;) {
    console.log(`Web Connector run (${new Date().toLocaleTimeString()}): ${await pending(creds, wc.demo.companyId)}`);
    const result = await runWebConnectorSession({
      url: wc.url,
      username: wc.username,
      password: args.password ?? wc.password,
      company: file,
      onRound: ({ request, percent }) => {
        const kinds = [...new Set([...request.matchAll(/<(\w+)Rq requestID/g)].map((m) => m[1]))].join(', ');
        console.log(`  ${String(percent).padStart(3)}%  ${kinds === 'Host' ? '(waiting for Ledgerline)' : kinds}`);
      },
    });
    saveCompanyFile(dataDir, startId, wc.demo, file);
    const status = result.auth[1];
    if (status === 'nvu') throw new Error(refusedText(wc.username, args.password !== null));
    console.log(status === 'none' ? '  Nothing waiting for QuickBooks.' : `  ${result.rounds} round(s). ${result.closeMessage ?? result.lastError ?? ''}`);
    console.log(
      `  Now: ${await pending(creds, wc.demo.companyId)}; QuickBooks holds ${file.invoices.size} invoice(s), ${file.creditMemos.size} credit memo(s), ` +
        `${file.salesReceipts.size} sales receipt(s), ${file.payments.size} payment(s), ${file.customers.size} customer(s), ${file.items.size} item(s).`,
    );
    if (args.everySeconds === null) return;
    await new Promise((r) => setTimeout(r, args.everySeconds! * 1000));
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
