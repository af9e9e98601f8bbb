// `npm run -s bench -- --invoices N [--customers C --products P --latency-ms L --time-scale S --batch-counts item|call
// --limits on|off --baseline-invoices B --peer-invoices Q --seed K --seed-chunk R] --json`: one export of the primary demo company by the real service against the
// emulators, each in its own process, with QuickBooks' limits on a clock scaled by S. Prints one JSON object: the
// time as a ratio to the least the limits allow, call counts, the service's peak memory, and a per-record baseline.
// The README's "Benchmark" section explains every flag and field.
import { parseArgs } from 'node:util';
import { runBench, type BenchOptions } from './bench/run';

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      invoices: { type: 'string', default: '2000' },
      customers: { type: 'string' },
      products: { type: 'string' },
      'latency-ms': { type: 'string', default: '300' },
      'time-scale': { type: 'string', default: '0.05' },
      'batch-counts': { type: 'string', default: 'item' },
      limits: { type: 'string', default: 'on' },
      'baseline-invoices': { type: 'string', default: '300' },
      'peer-invoices': { type: 'string', default: '1000' },
      seed: { type: 'string', default: '3' },
      'seed-chunk': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const batchCounts = values['batch-counts'];
  if (batchCounts !== 'item' && batchCounts !== 'call') throw new Error(`--batch-counts must be item or call, not ${batchCounts}`);
  const limits = values.limits;
  if (limits !== 'on' && limits !== 'off') throw new Error(`--limits must be on or off, not ${limits}`);
  return {
    invoices: Math.round(positive('invoices', values.invoices)!),
    customers: positive('customers', values.customers),
    products: positive('products', values.products),
    latencyMs: Number(values['latency-ms']),
    timeScale: positive('time-scale', values['time-scale'])!,
    batchCounts,
    limits,
    baselineInvoices: Math.round(positive('baseline-invoices', values['baseline-invoices'])!),
    peerInvoices: Math.round(positive('peer-invoices', values['peer-invoices'])!),
    seed: Number(values.seed),
    seedChunk: positive('seed-chunk', values['seed-chunk']),
  };
}

async function main(): Promise<void> {
  const result = await runBench(parseOptions(process.argv.slice(2)));
  // JSON either way (--json is accepted for scripts that ask for it explicitly).
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err: unknown) => {
  // The causes too: a failed fetch says why only in its cause (a reset socket, a refused connection, …).
  let message = err instanceof Error ? err.message : String(err);
  for (let cause = (err as Error)?.cause; cause; cause = (cause as Error).cause)
    message += `\ncaused by: ${cause instanceof Error ? cause.message : String(cause)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
