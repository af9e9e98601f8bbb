// Generates the demo data set and writes it to a file and/or loads it into the emulators.
//   npx tsx scripts/seed.ts --invoices 500 --seed 7 [--customers N] [--products N] [--lines 1-5]
//                           [--out data.json] [--sf http://127.0.0.1:4020] [--qbo http://127.0.0.1:4010]

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { generateDemoData } from './demo/generate';
import { fetchKeyPrefixes, seedSome } from './demo/load';
import type { DemoData, DemoDataOptions } from './demo/types';

const USAGE = 'usage: tsx scripts/seed.ts [--invoices N] [--seed N] [--customers N] [--products N] [--lines MIN-MAX] ' + '[--out FILE] [--sf URL] [--qbo URL]';

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function parseSeedArgs(argv: string[]): { options: DemoDataOptions; out?: string; sfUrl?: string; qboUrl?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      invoices: { type: 'string' },
      seed: { type: 'string' },
      customers: { type: 'string' },
      products: { type: 'string' },
      lines: { type: 'string' },
      out: { type: 'string' },
      sf: { type: 'string' },
      qbo: { type: 'string' },
    },
    strict: true,
  });
  let linesPerInvoice: [number, number] | undefined;
  if (values.lines !== undefined) {
    const match = /^(\d+)-(\d+)$/.exec(values.lines);
    if (!match) throw new Error(`--lines must look like 1-5, got "${values.lines}"`);
    linesPerInvoice = [Number(match[1]), Number(match[2])];
  }
  return {
    options: {
      seed: integer('seed', values.seed),
      invoices: integer('invoices', values.invoices),
      customers: integer('customers', values.customers),
      productsPerCompany: integer('products', values.products),
      linesPerInvoice,
    },
    out: values.out,
    sfUrl: values.sf,
    qboUrl: values.qbo,
  };
}

export function summarize(data: DemoData, elapsedMs: number): string {
  const records = data.salesforce.records;
  const out = [`Generated in ${elapsedMs} ms (reference date ${data.facts.referenceDate}).`];
  out.push(
    'Salesforce: ' +
      Object.entries(records)
        .filter(([, rows]) => rows.length > 0)
        .map(([object, rows]) => `${object} ${rows.length}`)
        .join(', '),
  );
  for (const realm of data.quickbooks.realms) {
    const counts = Object.entries(realm.entities).map(([entity, rows]) => `${entity} ${rows?.length ?? 0}`);
    out.push(`QuickBooks ${realm.companyInfo.CompanyName} (realm ${realm.realmId}): ${counts.join(', ')}`);
  }
  for (const [companyId, e] of Object.entries(data.facts.expected)) {
    const matched = Object.keys(e.customerMatchQboIds).length;
    out.push(
      `${e.companyName} (${companyId}): ${e.approvedInvoices} approved invoices ($${e.approvedTotal.toFixed(2)}), ` +
        `${e.customersToExport} customers (${matched} match), ${e.productsToExport} products ` +
        `(${Object.keys(e.productMatchQboIds).length} match)` +
        (e.docNumberCollision ? `, DocNumber ${e.docNumberCollision.docNumber} already in QuickBooks` : ''),
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseSeedArgs>;
  try {
    args = parseSeedArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  // Records must carry the key prefixes the target org uses for each object.
  if (args.sfUrl) args.options.keyPrefixes = await fetchKeyPrefixes(args.sfUrl);
  const started = Date.now();
  const data = generateDemoData(args.options);
  const elapsed = Date.now() - started;
  if (args.out) writeFileSync(args.out, JSON.stringify(data, null, 2) + '\n');
  if (args.sfUrl || args.qboUrl) await seedSome(data, { sfUrl: args.sfUrl, qboUrl: args.qboUrl });
  console.log(summarize(data, elapsed));
  if (args.out) console.log(`Wrote ${args.out}.`);
  if (args.sfUrl) console.log(`Seeded the Salesforce emulator at ${args.sfUrl}.`);
  if (args.qboUrl) console.log(`Seeded the QuickBooks emulator at ${args.qboUrl}.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
