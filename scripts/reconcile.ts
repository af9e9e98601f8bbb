// `npm run -s reconcile -- --company <Id or Name> --from YYYY-MM-DD --to YYYY-MM-DD [--csv FILE] [--json]
//                          [--url http://localhost:3000]`
// Reconciles a company's Sales Invoices with QuickBooks Online for a period through the service API: both sides'
// totals, then every record that differs with its cause and fix, and the QuickBooks reads it used. `--csv` writes
// the differences to a file as well. Exit code: 0 nothing differs, 2 differences found, 1 could not reconcile.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../service/src/config';
import type { ReconciliationAnswer } from '../service/src/contract/answers';
import { differencesCsv } from '../service/src/reconcile/csv';

const USAGE = 'Usage: npm run -s reconcile -- --company <Id or Name> --from YYYY-MM-DD --to YYYY-MM-DD [--csv FILE] [--json] [--url http://localhost:3000]';

const WORDS: Record<ReconciliationAnswer['differences'][number]['kind'], string> = {
  missing_in_quickbooks: 'Missing in QuickBooks',
  missing_in_salesforce: 'Missing in Salesforce',
  amount_different: 'Amount different',
  date_different: 'Date different',
  customer_different: 'Customer different',
  linked_twice: 'Linked twice',
  voided_in_quickbooks: 'Voided in QuickBooks',
  deleted_in_quickbooks: 'Deleted in QuickBooks',
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      company: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.company || !values.from || !values.to) {
    console.error(USAGE);
    return values.help ? 0 : 1;
  }
  const { url, apiKey } = serviceAccess(values.url);
  const call = async <T>(route: string): Promise<T> => {
    const res = await fetch(`${url}${route}`, { headers: { Authorization: `Bearer ${apiKey}` } });
    const json = (await res.json().catch(() => ({}))) as any;
    if (!res.ok) throw new Error([json?.error?.message ?? `HTTP ${res.status}`, json?.error?.fix ? `Fix: ${json.error.fix}` : ''].filter(Boolean).join('\n'));
    return json as T;
  };
  const companies = await call<{ id: string; name: string }[]>('/api/companies');
  const company = companies.find((c) => c.id === values.company || c.name.toLowerCase() === values.company!.toLowerCase());
  if (!company) throw new Error(`No company "${values.company}". Companies: ${companies.map((c) => `${c.name} (${c.id})`).join(', ')}`);

  const query = new URLSearchParams({ from: values.from, to: values.to });
  const result = await call<ReconciliationAnswer>(`/api/companies/${company.id}/reconciliation?${query}`);
  if (values.csv) writeFileSync(values.csv, differencesCsv(result.differences));
  console.log(values.json ? JSON.stringify(result, null, 2) : report(result, values.csv));
  return result.differences.length ? 2 : 0;
}

/** What a person reads: the totals side by side, then each difference with both records, its cause and fix. */
function report(r: ReconciliationAnswer, csvFile?: string): string {
  const { salesforce: sf, quickbooks: qb } = r.totals;
  const row = (label: string, a: string, b: string) => `  ${label.padEnd(16)}${a.padStart(22)}${b.padStart(22)}`;
  const money = (v: number) => v.toFixed(2);
  const lines = [
    `${r.companyName}, ${r.period.fromDate} to ${r.period.toDate}:`,
    row('', 'Salesforce', 'QuickBooks'),
    row('Invoices', `${sf.invoices.count} / ${money(sf.invoices.total)}`, `${qb.invoices.count} / ${money(qb.invoices.total)}`),
    row('Credit memos', `${sf.creditMemos.count} / ${money(sf.creditMemos.total)}`, `${qb.creditMemos.count} / ${money(qb.creditMemos.total)}`),
    row('Paid or credited', money(sf.payments.total), money(qb.payments.total)),
    row('Open balance', money(sf.openBalance), money(qb.openBalance)),
  ];
  if (r.notCompared.count) {
    lines.push(`  (${r.notCompared.count} QuickBooks documents of ${money(r.notCompared.total)} predate Ledgerline's first export and are not compared.)`);
  }
  lines.push(r.differences.length ? `${r.differences.length} difference(s):` : 'Nothing differs.');
  for (const d of r.differences) {
    const sfName = d.salesforce ? `Sales Invoice ${d.salesforce.name}` : 'no Sales Invoice';
    const qbName = d.quickbooks ? `QuickBooks ${d.quickbooks.form} ${d.quickbooks.docNumber ?? ''} (Id ${d.quickbooks.id})` : 'nothing in QuickBooks';
    lines.push(`  ${WORDS[d.kind]}: ${sfName} / ${qbName}`, `    ${d.cause}`, `    Fix: ${d.fix}`);
  }
  lines.push(`QuickBooks reads: ${r.reads.quickbooks} (this month ${r.reads.used}${r.reads.budget ? ` of ${r.reads.budget}` : ''})`);
  if (csvFile) lines.push(`Differences written to ${csvFile}`);
  return lines.join('\n');
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
