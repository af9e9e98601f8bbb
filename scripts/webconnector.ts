// `npm run webconnector`: plays the QuickBooks Web Connector against the running demo (`npm start`), with a small
// QuickBooks Desktop company file standing in for QuickBooks (kept in .data/qbd-company.json between runs).
// Export the Desktop company on the page or with `npm run export -- --company "Cedar Ridge Supply"`, then run this
// and watch its invoices go from Pending Sync to Exported.
//   npm run webconnector                 one Web Connector run now
//   npm run webconnector -- --every 30   a run every 30 seconds (the real Web Connector's schedule is in minutes)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QuickBooksDesktopCompany } from '../emulators/qbd/company';
import { runWebConnectorSession } from '../emulators/qbd/webConnector';
import { loadConfig } from '../service/src/config';
import type { DemoWebConnector } from './demo-stack';
import { seedDesktopCompanyFile } from './demo/desktop';

interface DemoCredentials {
  url: string;
  apiKey: string;
  webConnector?: DemoWebConnector;
}

function parseArgs(argv: string[]): { everySeconds: number | null } {
  const i = argv.indexOf('--every');
  if (i < 0) return { everySeconds: null };
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n < 1) throw new Error('--every takes a number of seconds (at least 1)');
  return { everySeconds: n };
}

async function pending(creds: DemoCredentials, companyId: string): Promise<string> {
  const res = await fetch(`${creds.url}/api/companies/${companyId}/summary`, { headers: { Authorization: `Bearer ${creds.apiKey}` } });
  if (!res.ok) return '?';
  const s = (await res.json()) as { pendingSync: number; counts: { invoices: number } };
  return `${s.pendingSync} Pending Sync, ${s.counts.invoices} not yet transferred`;
}

async function main(): Promise<void> {
  const { everySeconds } = parseArgs(process.argv.slice(2));
  const dataDir = loadConfig().dataDir;
  const credsFile = path.join(dataDir, 'demo-credentials.json');
  if (!existsSync(credsFile)) throw new Error(`No demo is running here (${credsFile} is missing): start it with npm start.`);
  const creds = JSON.parse(readFileSync(credsFile, 'utf8')) as DemoCredentials;
  const wc = creds.webConnector;
  if (!wc) throw new Error('The running demo has no QuickBooks Desktop company: restart it with npm start.');
  const fileName = path.join(dataDir, 'qbd-company.json');
  // The demo's data is new each start: a company file from an earlier demo would not match it.
  let file: QuickBooksDesktopCompany;
  const saved = existsSync(fileName) ? (JSON.parse(readFileSync(fileName, 'utf8')) as { companyId: string; url: string; file: string }) : null;
  if (saved && saved.companyId === wc.demo.companyId && saved.url === creds.url) file = QuickBooksDesktopCompany.restore(saved.file);
  else {
    file = new QuickBooksDesktopCompany();
    seedDesktopCompanyFile(file, wc.demo);
  }
  const save = () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(fileName, JSON.stringify({ companyId: wc.demo.companyId, url: creds.url, file: file.snapshot() }));
  };
  for (;;) {
    console.log(`Web Connector run (${new Date().toLocaleTimeString()}): ${await pending(creds, wc.demo.companyId)}`);
    const result = await runWebConnectorSession({
      url: wc.url,
      username: wc.username,
      password: wc.password,
      company: file,
      onRound: ({ request, percent }) => {
        const kinds = [...new Set([...request.matchAll(/<(\w+)Rq requestID/g)].map((m) => m[1]))].join(', ');
        console.log(`  ${String(percent).padStart(3)}%  ${kinds}`);
      },
    });
    save();
    const status = result.auth[1];
    if (status === 'nvu') throw new Error('The service refused the Web Connector user (nvu): is the demo that wrote the credentials still running?');
    console.log(status === 'none' ? '  Nothing waiting for QuickBooks.' : `  ${result.rounds} round(s); ${result.closeMessage ?? result.lastError ?? ''}`);
    console.log(
      `  Now: ${await pending(creds, wc.demo.companyId)}; QuickBooks holds ${file.invoices.size} invoice(s), ${file.customers.size} customer(s), ${file.items.size} item(s).`,
    );
    if (everySeconds === null) return;
    await new Promise((r) => setTimeout(r, everySeconds * 1000));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
