// `npm run -s export -- --company <Id or Name> [--dry-run] [--invoices A,B] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//                       [--json | --json-file out.json] [--url http://localhost:3000]`
// Starts an export through the service API and follows it: a progress bar on a terminal, then what happened —
// every record that failed or was skipped, with its reason. Exit code: 0 succeeded, 2 completed with errors,
// 1 failed (or could not start).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../service/src/config';
import type { RunAnswer } from '../service/src/contract/answers';
import { invoiceNumbersIn } from '../service/src/http/invoiceNumbers';

const PHASES = ['customers', 'products', 'invoices', 'writeBack'] as const;

/** The run as the service answers it: the contract's Run. */
type RunView = RunAnswer;

const EXIT = { succeeded: 0, completed_with_errors: 2, failed: 1 } as Record<string, number>;
const USAGE =
  'Usage: npm run -s export -- --company <Id or Name> [--dry-run] [--invoices A,B] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json | --json-file FILE] [--url http://localhost:3000]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      company: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      invoices: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      'json-file': { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.company) {
    console.error(USAGE);
    return values.help ? 0 : 1;
  }
  // Given but naming no number ("", ",", " , ") is a mistake, never "every invoice".
  if (values.invoices !== undefined && !invoiceNumbersIn(values.invoices).length) {
    console.error(
      `--invoices names no invoice number ("${values.invoices}"): give at least one (e.g. --invoices SI-000123,SI-000124), or leave --invoices out to export every approved invoice.`,
    );
    return 1;
  }
  const { url, apiKey, orgUrl } = serviceAccess(values.url);
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
    ...(values.invoices !== undefined ? { invoiceNumbers: values.invoices } : {}),
    ...(values.from ? { fromDate: values.from } : {}),
    ...(values.to ? { toDate: values.to } : {}),
  });

  const tty = process.stderr.isTTY && !values.json;
  const bars = tty
    ? new cliProgress.MultiBar({ format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic)
    : null;
  const bar = new Map(PHASES.map((p) => [p, bars?.create(1, 0, { phase: p.padEnd(10) })]));
  let view: RunView;
  for (;;) {
    view = await call<RunView>('GET', `/api/runs/${runId}`);
    for (const p of PHASES) {
      const progress = view.progress[p];
      if (!progress || !progress.total) continue;
      bar.get(p)?.setTotal(progress.total);
      bar.get(p)?.update(progress.done);
    }
    if (view.finished) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bars?.stop();
  if (values['json-file']) writeFileSync(values['json-file'], `${JSON.stringify(view, null, 2)}\n`);
  if (values.json) console.log(JSON.stringify(view, null, 2));
  else console.log(report(company.name, view, orgUrl));
  return EXIT[view.status] ?? 1;
}

/** What a person reads after an export: the tally, then every record that did not go, with its reason and fix. */
function report(companyName: string, view: RunView, orgUrl?: string): string {
  const c = view.counts;
  const lines = [
    `${companyName}: ${view.status.replace(/_/g, ' ')} — created ${c.created}, matched ${c.matched}, renamed ${c.renamed}, skipped ${c.skipped}, warnings ${c.warnings}, errors ${c.errors}`,
  ];
  if (view.plan?.totals && view.status !== 'failed' && view.entries && view.plan.decisions.length) {
    const t = view.plan.totals;
    lines.push(
      ...(['customers', 'products', 'invoices'] as const).map(
        (k) => `  ${k.padEnd(9)} would match ${t[k]!.match}, create ${t[k]!.create} (renamed ${t[k]!.rename}), fail ${t[k]!.fail}`,
      ),
    );
    for (const d of view.plan.decisions.filter((d) => d.renamed)) lines.push(`  rename ${d.recordType} "${d.renamed!.from}" -> "${d.renamed!.to}"`);
  }
  // A dry run's warnings too: invoices changed after their export, with what the export would do about them.
  const warnings = view.dryRun ? (view.entries ?? []).filter((e) => e.level === 'WARN') : [];
  if (warnings.length) {
    lines.push('Warnings:');
    for (const e of warnings) lines.push(`  ${e.recordName ?? e.recordType}: ${e.message}${e.fix ? `\n    Fix: ${e.fix}` : ''}`);
  }
  const problems = (view.entries ?? []).filter((e) => e.level === 'ERROR' || e.outcome === 'Skipped');
  if (problems.length) {
    lines.push('Not exported:');
    for (const e of problems) lines.push(`  ${e.recordName ?? e.recordType}: ${e.message}${e.fix ? `\n    Fix: ${e.fix}` : ''}`);
  } else if (view.error) {
    lines.push(view.error.message);
  }
  // Last, where to read it all: the Process Log's page (the local org's in the demo, else the org's own).
  const logUrl = view.processLogId && orgUrl ? `${orgUrl}/lightning/r/Process_Log__c/${view.processLogId}/view` : view.processLogUrl;
  if (logUrl) lines.push(`Process Log: ${logUrl}`);
  return lines.join('\n');
}

/** The service URL and API key: flags and settings first, then the running demo's generated keys. */
function serviceAccess(urlFlag?: string): { url: string; apiKey: string; orgUrl?: string } {
  const config = loadConfig();
  const demoFile = path.join(config.dataDir, 'demo-credentials.json');
  const demo = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { url: string; apiKey: string; orgUrl?: string }) : undefined;
  const apiKey = config.apiKey ?? demo?.apiKey;
  if (!apiKey) throw new Error('Set LEDGERLINE_API_KEY (or start the demo with npm start first).');
  return { url: (urlFlag ?? demo?.url ?? config.publicUrl).replace(/\/$/, ''), apiKey, orgUrl: config.apiKey ? undefined : demo?.orgUrl };
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
