// `npm run export -- --company <Id or Name> [--dry-run] [--invoices A,B] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`
// Starts an export through the service API and follows it: a progress bar on a terminal, a JSON summary with --json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../service/src/config';

const PHASES = ['customers', 'products', 'invoices', 'writeBack'] as const;

interface RunView {
  runId: string;
  status: string;
  phase: string;
  finished: boolean;
  progress: Record<string, { done: number; total: number }>;
  counts: Record<string, number>;
  processLogId: string | null;
  error: { code: string; message: string } | null;
  plan?: unknown;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      company: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      invoices: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.company) {
    console.error('Usage: npm run export -- --company <Id or Name> [--dry-run] [--invoices A,B] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--url http://localhost:3000]');
    return values.help ? 0 : 2;
  }
  const { url, apiKey } = serviceAccess(values.url);
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as any;
    if (!res.ok) throw new Error(json?.error?.message ?? `HTTP ${res.status}`);
    return json as T;
  };

  const companies = await call<{ id: string; name: string }[]>('GET', '/api/companies');
  const company = companies.find((c) => c.id === values.company || c.name.toLowerCase() === values.company!.toLowerCase());
  if (!company) throw new Error(`No company "${values.company}". Companies: ${companies.map((c) => `${c.name} (${c.id})`).join(', ')}`);

  const { runId } = await call<{ runId: string }>('POST', `/api/companies/${company.id}/exports`, {
    dryRun: values['dry-run'],
    invoiceNumbers: values.invoices,
    fromDate: values.from,
    toDate: values.to,
  });

  const tty = process.stderr.isTTY && !values.json;
  const bars = tty ? new cliProgress.MultiBar({ format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic) : null;
  const bar = new Map(PHASES.map((p) => [p, bars?.create(1, 0, { phase: p.padEnd(10) })]));
  let view: RunView;
  for (;;) {
    view = await call<RunView>('GET', `/api/runs/${runId}`);
    for (const p of PHASES) {
      const progress = view.progress[p];
      if (!progress) continue;
      bar.get(p)?.setTotal(Math.max(progress.total, 1));
      bar.get(p)?.update(progress.done);
    }
    if (view.finished) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bars?.stop();
  if (values.json) {
    console.log(JSON.stringify(view, null, 2));
  } else {
    const c = view.counts;
    console.log(`${company.name}: ${view.status.replace(/_/g, ' ')} — created ${c.created}, matched ${c.matched}, renamed ${c.renamed}, skipped ${c.skipped}, warnings ${c.warnings}, errors ${c.errors}`);
    if (view.error) console.log(view.error.message);
    if (view.plan) console.log(JSON.stringify(view.plan, null, 2));
    if (view.processLogId) console.log(`Process Log: ${view.processLogId}`);
  }
  return view.status === 'failed' ? 1 : 0;
}

/** The service URL and API key: flags and settings first, then the running demo's generated keys. */
function serviceAccess(urlFlag?: string): { url: string; apiKey: string } {
  const config = loadConfig();
  const demoFile = path.join(config.dataDir, 'demo-credentials.json');
  const demo = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { url: string; apiKey: string }) : undefined;
  const apiKey = config.apiKey ?? demo?.apiKey;
  if (!apiKey) throw new Error('Set LEDGERLINE_API_KEY (or start the demo with npm start first).');
  return { url: (urlFlag ?? demo?.url ?? config.publicUrl).replace(/\/$/, ''), apiKey };
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
