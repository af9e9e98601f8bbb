// `npm run bench [-- --invoices 2000 --time-scale 0.05 --latency 20]`: one export of the primary demo company
// against the emulators, with QuickBooks' limits enforced on a scaled clock. Prints JSON: elapsed time as a ratio
// to the lower bound the limits allow (500 operations and 40 batch calls a minute), call counts and peak memory.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startDemoStack } from './demo-stack';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      invoices: { type: 'string', default: '2000' },
      'time-scale': { type: 'string', default: '0.05' },
      latency: { type: 'string', default: '20' },
      seed: { type: 'string', default: '3' },
    },
  });
  const timeScale = Number(values['time-scale']);
  const windowMs = 60_000 * timeScale;
  const stack = await startDemoStack({
    port: 0,
    ephemeral: true,
    web: false,
    authPages: false,
    invoices: Number(values.invoices),
    seed: Number(values.seed),
    qboOptions: { timeScale, latencyMs: Number(values.latency) },
    rateWindowMs: windowMs,
    env: { ...process.env, LOG_LEVEL: 'silent', TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
  });
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  try {
    const companyId = stack.primaryCompanyId;
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${stack.serviceUrl}${route}`, {
        method,
        headers: { Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as any;
    };
    const admin = async (base: string, path: string, method = 'GET') => (await fetch(`${base}/__admin${path}`, { method })).json() as Promise<any>;
    await admin(stack.qboUrl, '/stats/reset', 'POST');
    await admin(stack.sfUrl, '/stats/reset', 'POST');
    const started = performance.now();
    const { runId } = await call('POST', `/api/companies/${companyId}/exports`, {});
    let run: any;
    do {
      await new Promise((r) => setTimeout(r, 100));
      run = await call('GET', `/api/runs/${runId}`);
    } while (!run.finished);
    const elapsedMs = performance.now() - started;
    const qbo = await admin(stack.qboUrl, '/stats');
    const sf = await admin(stack.sfUrl, '/stats');
    const operations = qbo.total - qbo.byKind.batch - (qbo.byKind.oauth ?? 0) + qbo.batchItems;
    const lowerBoundMs = windowMs * Math.max(operations / 500, qbo.byKind.batch / 40);
    const expected = stack.data.facts.expected[companyId]!;
    console.log(
      JSON.stringify(
        {
          invoices: expected.approvedInvoices,
          status: run.status,
          elapsedMs: Math.round(elapsedMs),
          lowerBoundMs: Math.round(lowerBoundMs),
          ratioToLowerBound: Number((elapsedMs / lowerBoundMs).toFixed(3)),
          timeScale,
          emulatorLatencyMs: Number(values.latency),
          quickBooks: { calls: qbo.total, byKind: qbo.byKind, batchItems: qbo.batchItems, operations, throttled: qbo.throttled },
          salesforce: { calls: sf.total, byKind: sf.byKind, compositeRecords: sf.compositeRecords },
          counts: run.counts,
          peakRssMB: Math.round(peakRss / 1e6),
          peakHeapMB: Math.round(peakHeap / 1e6),
        },
        null,
        2,
      ),
    );
  } finally {
    clearInterval(sampler);
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
