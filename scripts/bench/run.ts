// One bench run: the two emulators and the service, each in its own process, QuickBooks' limits on a clock scaled by
// `timeScale`; the demo data seeded in chunks; one export of the primary company timed from the Export press to the
// finished run; the result checked against QuickBooks' own counts; then the per-record baseline on a smaller data set.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemoData, type DemoData } from '../demo/generate';
import { fetchKeyPrefixes } from '../demo/load';
import { runBaseline, type BaselineLookups } from './baseline';
import { lowerBound, type BindingBound } from './lowerBound';
import { idsOf, quickBooksRecords, salesforceRecords } from './books';
import { runPeer } from './peer';
import { booksNeed, physicalLowerBound, type BooksNeed } from './physical';
import { PeakMemory, startChild, type Child } from './processes';
import { seedQuickBooks, seedSalesforce } from './seed';
import { isVerified, verifyExport, type Verification } from './verify';

import { QBO_LIMITS } from './limits';
import { limitsSetup, type LimitsMode } from './limitsMode';

export { QBO_LIMITS } from './limits';
/** About this share of the generated Sales Invoices are the primary company's approved ones (what is exported). */
const PRIMARY_APPROVED_SHARE = 0.51;
// As often as the page polls: the end is timed by the run's own finishedAt, so a slower poll costs no precision and the
// service's CPU is not spent answering the bench.
const POLL_MS = 1000;

export interface BenchOptions {
  /** Approved invoices of the exported company (about; the data generator decides the exact count). */
  invoices: number;
  /** Customers (shared by both companies); default a third of the generated invoices. */
  customers?: number;
  /** Products per company; default 15. */
  products?: number;
  /** QuickBooks' answer time in real-world milliseconds (scaled by timeScale like the windows). */
  latencyMs: number;
  timeScale: number;
  batchCounts: 'item' | 'call';
  /** Intuit's limits (`on`) or limits no run reaches and no latency (`off`: the CPU a run costs, no bounds or baselines). */
  limits: LimitsMode;
  /** Invoices the baseline exports (then scaled linearly to `invoices`). */
  baselineInvoices: number;
  /** Invoices the 10-in-flight peer exports (then scaled linearly to `invoices`). */
  peerInvoices: number;
  seed: number;
  /** Records per seed request (the data goes to the emulators in chunks of this size). */
  seedChunk?: number;
}

/** The fields that compare the run with the limits' bounds and the baselines: measured with limits on only. */
type AgainstLimits =
  | 'lowerBoundMs'
  | 'bindingBound'
  | 'bounds'
  | 'ratio'
  | 'physicalLowerBoundMs'
  | 'physicalBindingBound'
  | 'ratioToPhysical'
  | 'baselineInvoices'
  | 'baselineScaled'
  | 'baselineMeasuredWallMs'
  | 'baselineWallMs'
  | 'baselineQboCalls'
  | 'baselineQboReadCalls'
  | 'baselineRefused'
  | 'speedupVsBaseline'
  | 'callReductionVsBaseline'
  | 'baselineMeteredOperations'
  | 'meteredOperationReductionVsBaseline'
  | 'tenInFlightBaseline'
  | 'speedupVsTenInFlight'
  | 'everyInvoiceLookupBaseline';

/** With limits off the comparisons are left out (`omitted` says why): no limit held the run, so none means anything. */
export type BenchResult = Omit<FullBenchResult, AgainstLimits> & Partial<Pick<FullBenchResult, AgainstLimits>> & { omitted?: string };

interface FullBenchResult {
  /** Which limits the run had: Intuit's (`on`) or none that bind (`off`). */
  limits: LimitsMode;
  invoices: number;
  customersCreated: number;
  productsCreated: number;
  paymentsCreated: number;
  creditMemosCreated: number;
  runStatus: string;
  verified: boolean;
  verification: Verification;
  wallMs: number;
  lowerBoundMs: number;
  bindingBound: BindingBound;
  bounds: Record<BindingBound, number>;
  ratio: number;
  /** What the books need (creates and index reads), whatever the plan, and the least time the limits allow for it. */
  physicalNeed: BooksNeed;
  physicalLowerBoundMs: number;
  physicalBindingBound: BindingBound;
  ratioToPhysical: number;
  qboCalls: number;
  qboReadCalls: number;
  /** Metered QuickBooks reads (reads and queries) per 1,000 invoices: what the monthly read budget pays for. */
  qboReadsPer1000Invoices: number;
  qboCallsPerInvoice: number;
  qboCallsByKind: Record<string, number>;
  qboBatchItems: number;
  qboOperations: number;
  throttled: number;
  sfCalls: number;
  sfCallsByKind: Record<string, number>;
  sfCallsByEndpoint: Record<string, number>;
  sfRecordsWritten: { composite: number; bulk: number };
  peakRssMb: number;
  peakHeapMb: number;
  liveHeapMb: number;
  /** CPU time the service process used from the Export press to the run's end, and that per invoice. */
  serviceCpuMs: number;
  serviceCpuMsPerInvoice: number;
  baselineInvoices: number;
  baselineScaled: boolean;
  baselineMeasuredWallMs: number;
  baselineWallMs: number;
  baselineQboCalls: number;
  baselineQboReadCalls: number;
  baselineRefused: number;
  speedupVsBaseline: number;
  callReductionVsBaseline: number;
  /** QuickBooks operations metered, read per item (a batch of 30 is 30) and per call, for the run and the baselines. */
  meteredOperations: Metered;
  baselineMeteredOperations: Metered;
  meteredOperationReductionVsBaseline: Metered;
  /** The per-record exporter with 10 calls in flight under the same limits (scaled the same way), and the run against it. */
  tenInFlightBaseline: {
    invoices: number;
    scaled: boolean;
    measuredWallMs: number;
    wallMs: number;
    qboCalls: number;
    qboReadCalls: number;
    meteredOperations: Metered;
    refused: number;
    throttled: number;
    /** Calls it sent again after a connection failed before the answer (writes with the same requestid). */
    resent: number;
    /** Records QuickBooks gained from it (unscaled): it exports what the service does. */
    added: { customers: number; invoices: number; creditMemos: number; payments: number };
    speedup: number;
    meteredOperationReduction: Metered;
  };
  speedupVsTenInFlight: number;
  /** The same baseline looking an invoice's customer and products up again for every invoice (scaled the same way). */
  everyInvoiceLookupBaseline: { wallMs: number; qboCalls: number; qboReadCalls: number; speedup: number; callReduction: number };
  /** The machine's load average (1, 5, 15 minutes) when the bench started and ended, and its cores: a shared machine's runs vary with it. */
  load: { cpus: number; start: number[]; end: number[] };
  settings: {
    timeScale: number;
    windowMs: number;
    latencyMs: number;
    scaledLatencyMs: number;
    batchCounts: 'item' | 'call';
    limits: Record<string, number>;
    generatedInvoices: number;
    customers: number;
    productsPerCompany: number;
    seedRequests: number;
    seedMs: number;
  };
}

interface QboStats {
  total: number;
  byKind: Record<string, number>;
  batchItems: number;
  batchItemsByEntity: Record<string, number>;
  throttled: number;
  admitted: { calls: number; batches: number; operations: number };
}

/** Operations as Intuit meters them under either reading of batch counting. */
interface Metered {
  item: number;
  call: number;
}

interface SalesforceStats {
  total: number;
  byKind: Record<string, number>;
  byEndpoint: Record<string, number>;
  compositeRecords: number;
  bulkRecords: number;
}

interface RealmCounts {
  counts: Record<string, number>;
  sharedInvoiceDocNumbers: number;
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const send = () => fetch(url, { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });
  // A read goes once more if the connection was reset before an answer (an idle keep-alive connection closed).
  const res = await send().catch((err: unknown) => ((init.method ?? 'GET') === 'GET' ? send() : Promise.reject(err)));
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const adminCall = <T>(base: string, method: string, route: string, body?: unknown) =>
  json<T>(`${base}/__admin${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

function dataFor(opts: BenchOptions, invoices: number, keyPrefixes: Awaited<ReturnType<typeof fetchKeyPrefixes>>, customers?: number): DemoData {
  return generateDemoData({
    seed: opts.seed,
    invoices: Math.max(1, Math.round(invoices / PRIMARY_APPROVED_SHARE)),
    customers,
    productsPerCompany: opts.products,
    keyPrefixes,
  });
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const mb = (bytes: number) => Math.round(bytes / 1e6);
const apiCalls = (s: QboStats) => s.total - (s.byKind.oauth ?? 0);
const readCalls = (s: QboStats) => (s.byKind.read ?? 0) + (s.byKind.query ?? 0);
// Per item, a batch call is metered as its items; per call, as one. 429s are not metered.
const metered = (s: QboStats, scale = 1): Metered => ({
  item: Math.round((apiCalls(s) - s.throttled - (s.byKind.batch ?? 0) + s.batchItems) * scale),
  call: Math.round((apiCalls(s) - s.throttled) * scale),
});
const reduction = (of: Metered, by: Metered): Metered => ({ item: round(of.item / by.item, 2), call: round(of.call / by.call, 2) });

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const loadAverage = () => os.loadavg().map((n) => round(n, 2));

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const loadAtStart = loadAverage();
  const setup = limitsSetup(opts.limits, opts);
  const { windowMs, scaledLatencyMs } = setup;
  const children: Child[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bench-'));
  try {
    const [qbo, sf] = await Promise.all([
      startChild('emulator-child.ts', ['qbo'], { BENCH_EMULATOR_OPTIONS: JSON.stringify(setup.emulator) }),
      startChild('emulator-child.ts', ['salesforce'], { BENCH_EMULATOR_OPTIONS: '{}' }),
    ]);
    children.push(qbo, sf);

    const keyPrefixes = await fetchKeyPrefixes(sf.url);
    const data = dataFor(opts, opts.invoices, keyPrefixes, opts.customers);
    // Generating 100,000 invoices holds the event loop for seconds, long enough for the emulator to close the idle
    // keep-alive connection unseen; one turn of the loop lets fetch notice, instead of reusing it and failing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const facts = data.facts;
    const companyId = facts.primaryCompanyId;
    const realmId = facts.realmIds.primary;
    const expected = facts.expected[companyId]!;
    const seedStarted = performance.now();
    const seeded = await Promise.all([
      seedSalesforce(sf.url, data.salesforce.records, opts.seedChunk),
      seedQuickBooks(qbo.url, data.quickbooks.realms, opts.seedChunk),
    ]);
    const seedMs = performance.now() - seedStarted;

    const apiKey = randomBytes(24).toString('hex');
    const serviceEnv: NodeJS.ProcessEnv = {
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LEDGERLINE_API_KEY: apiKey,
      LEDGERLINE_ADMIN_KEY: randomBytes(24).toString('hex'),
      QBO_EMULATOR_PORT: new URL(qbo.url).port,
      SF_EMULATOR_PORT: new URL(sf.url).port,
      ...setup.serviceEnv,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
      CONNECT_COMPANY_ID: companyId,
      CONNECT_REALM_ID: realmId,
    };
    const service = await startChild('../service-child.ts', [], serviceEnv, true);
    children.push(service);
    const memory = new PeakMemory(service.process);
    const serviceCall = <T>(method: string, route: string, body?: unknown) =>
      json<T>(`${service.url}${route}`, {
        method,
        headers: { Authorization: `Bearer ${apiKey}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const before = await adminCall<RealmCounts>(qbo.url, 'GET', `/realms/${realmId}/counts`);
    const idsBefore = idsOf(await quickBooksRecords(qbo.url, realmId));
    await Promise.all([adminCall(qbo.url, 'POST', '/stats/reset'), adminCall(sf.url, 'POST', '/stats/reset')]);
    await memory.nextSample();
    memory.reset();
    const started = Date.now();
    const startedUs = monotonicUs();
    const { runId } = await serviceCall<{ runId: string }>('POST', `/api/companies/${companyId}/exports`, {});
    let run: { finished: boolean; status: string; finishedAt: string | null; phase?: string };
    let phase: string | undefined;
    for (;;) {
      run = await serviceCall('GET', `/api/runs/${runId}`);
      // The run's phases go into the service child's memory trace, so its lines say what the run was doing.
      if (run.phase !== phase) {
        if (process.env.BENCH_MEMORY_TRACE) appendFileSync(process.env.BENCH_MEMORY_TRACE, `${Date.now()} phase ${run.phase}\n`);
        // BENCH_HEAP_SNAPSHOT_PHASES=a,b+30: SIGUSR2 to the service as phase a starts and 30 s into phase b (with
        // BENCH_SERVICE_NODE_ARGS=--heapsnapshot-signal=SIGUSR2 it writes a heap snapshot), to see what the run holds.
        for (const at of process.env.BENCH_HEAP_SNAPSHOT_PHASES?.split(',') ?? []) {
          const [name, seconds] = at.split('+');
          if (name === run.phase) setTimeout(() => service.process.kill('SIGUSR2'), Number(seconds ?? 0) * 1000).unref();
        }
        phase = run.phase;
      }
      if (run.finished) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    // BENCH_RUN_WINDOW: the run's start and end on the machine's monotonic clock (µs), the clock a --cpu-prof profile's
    // timestamps use, so a profile can be cut to the run alone (without the service's start).
    if (process.env.BENCH_RUN_WINDOW) writeFileSync(process.env.BENCH_RUN_WINDOW, JSON.stringify({ startUs: startedUs, endUs: monotonicUs() }));
    // The service runs on this machine: its clock is the bench's.
    const wallMs = (run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - started;
    const [qboStats, sfStats, after] = await Promise.all([
      adminCall<QboStats>(qbo.url, 'GET', '/stats'),
      adminCall<SalesforceStats>(sf.url, 'GET', '/stats'),
      adminCall<RealmCounts>(qbo.url, 'GET', `/realms/${realmId}/counts`),
    ]);
    // One more sample after the end, so the CPU time covers the whole run.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const peak = { rss: memory.rss, heapUsed: memory.heapUsed, liveHeapUsed: memory.liveHeapUsed, cpuMs: memory.cpuMs };
    await service.stop();

    const added = (entity: string) => (after.counts[entity] ?? 0) - (before.counts[entity] ?? 0);
    const [qboAfter, sfAfter] = await Promise.all([quickBooksRecords(qbo.url, realmId), salesforceRecords(sf.url)]);
    const company = data.salesforce.records.Company__c!.find((c) => c.Id === companyId)!;
    const exportedIds = new Set(
      data.salesforce.records
        .Sales_Invoice__c!.filter((i) => i.Company__c === companyId && i.Approved__c === true && i.Transferred__c !== true)
        .map((i) => i.Id),
    );
    const verification = verifyExport({
      invoices: sfAfter.Sales_Invoice__c.filter((i) => exportedIds.has(i.Id)),
      lines: sfAfter.Sales_Invoice_Line__c,
      customers: sfAfter.Customer__c,
      products: sfAfter.Product__c.filter((p) => p.Company__c === companyId),
      payments: sfAfter.Payment__c,
      invoiceNumberPrefix: String(company.Invoice_Number_Prefix__c ?? ''),
      customerIdField: company.QuickBooks_Primary_Company__c ? 'Financial_System_Customer_Id__c' : 'Secondary_Customer_Id__c',
      docNumberCollisionInvoiceId: expected.docNumberCollision?.invoiceId ?? null,
      before: idsBefore,
      after: qboAfter,
    });
    const verified = isVerified(verification);

    // The limits both bounds are held to: the scaled window and latency, Intuit's per-realm figures.
    const limits = {
      windowMs,
      latencyMs: scaledLatencyMs,
      operationsPerWindow: QBO_LIMITS.perMinute,
      batchesPerWindow: QBO_LIMITS.batchPerMinute,
      concurrent: QBO_LIMITS.concurrent,
      requestsPerSecond: QBO_LIMITS.perSecond,
    };
    const bound = lowerBound({
      operations: qboStats.admitted.operations,
      batchCalls: qboStats.admitted.batches,
      calls: qboStats.admitted.calls,
      ...limits,
    });

    // The physical minimum: the creates the books need (the invoices' customers and products without a match in
    // QuickBooks, the invoices, credit memos, payments and credit applications) and every page of the lists matched.
    const exportedInvoices = data.salesforce.records.Sales_Invoice__c!.filter((i) => exportedIds.has(i.Id) && i.Id !== expected.docNumberCollision?.invoiceId);
    const createdIds = new Set(exportedInvoices.map((i) => i.Id));
    const need = booksNeed({
      invoiceCustomerIds: exportedInvoices.map((i) => String(i.Customer__c)),
      lineProductIds: (data.salesforce.records.Sales_Invoice_Line__c ?? [])
        .filter((l) => createdIds.has(String(l.Sales_Invoice__c)))
        .map((l) => String(l.Product__c)),
      matchedCustomerIds: new Set(Object.keys(expected.customerMatchQboIds)),
      matchedProductIds: new Set(Object.keys(expected.productMatchQboIds)),
      invoices: verification.expectedInvoices,
      creditMemos: verification.expectedCreditMemos,
      payments: verification.payments.expected,
      creditApplications: verification.creditApplications.expected,
      indexRows: [before.counts.Customer ?? 0, before.counts.Item ?? 0],
    });
    const physical = physicalLowerBound(need, { ...limits, batchCounts: opts.batchCounts });

    const runMetered = metered(qboStats);
    const qboCalls = apiCalls(qboStats);
    const measured = {
      limits: opts.limits,
      invoices: expected.approvedInvoices,
      customersCreated: added('Customer'),
      productsCreated: added('Item'),
      paymentsCreated: added('Payment'),
      creditMemosCreated: added('CreditMemo'),
      runStatus: run.status,
      verified,
      verification,
      wallMs: Math.round(wallMs),
      physicalNeed: need,
      qboCalls,
      qboReadCalls: readCalls(qboStats),
      qboReadsPer1000Invoices: round((readCalls(qboStats) * 1000) / expected.approvedInvoices, 1),
      qboCallsPerInvoice: round(qboCalls / expected.approvedInvoices, 4),
      qboCallsByKind: qboStats.byKind,
      qboBatchItems: qboStats.batchItems,
      qboOperations: qboStats.admitted.operations,
      throttled: qboStats.throttled,
      sfCalls: sfStats.total,
      sfCallsByKind: sfStats.byKind,
      sfCallsByEndpoint: sfStats.byEndpoint,
      sfRecordsWritten: { composite: sfStats.compositeRecords, bulk: sfStats.bulkRecords },
      peakRssMb: mb(peak.rss),
      peakHeapMb: mb(peak.heapUsed),
      liveHeapMb: mb(peak.liveHeapUsed),
      serviceCpuMs: Math.round(peak.cpuMs),
      serviceCpuMsPerInvoice: round(peak.cpuMs / expected.approvedInvoices, 3),
      meteredOperations: runMetered,
      settings: {
        timeScale: setup.emulator.timeScale,
        windowMs,
        latencyMs: opts.limits === 'off' ? 0 : opts.latencyMs,
        scaledLatencyMs,
        batchCounts: opts.batchCounts,
        limits: setup.emulator.limits,
        generatedInvoices: data.salesforce.records.Sales_Invoice__c?.length ?? 0,
        customers: data.salesforce.records.Customer__c?.length ?? 0,
        productsPerCompany: Math.round((data.salesforce.records.Product__c?.length ?? 0) / 2),
        seedRequests: seeded[0].requests + seeded[1].requests,
        seedMs: Math.round(seedMs),
      },
    };
    // Nothing held the run: no bound or baseline says anything about its time, so none is reported.
    if (opts.limits === 'off')
      return {
        ...measured,
        load: { cpus: os.cpus().length, start: loadAtStart, end: loadAverage() },
        omitted: 'limits off: no lower bound, ratio or baseline (nothing held the run, so they would mean nothing)',
      };

    // The baseline: a fresh QuickBooks company with the same kind of data, fewer invoices, scaled linearly.
    const baselineTarget = Math.min(opts.invoices, opts.baselineInvoices);
    const customerShare = opts.customers === undefined ? undefined : Math.max(1, Math.round((opts.customers * baselineTarget) / opts.invoices));
    const small = baselineTarget >= opts.invoices ? data : dataFor(opts, baselineTarget, keyPrefixes, customerShare);
    const runOnFreshCompany = async (lookups: BaselineLookups) => {
      await adminCall(qbo.url, 'POST', '/reset');
      await seedQuickBooks(qbo.url, small.quickbooks.realms);
      const { access_token } = await adminCall<{ access_token: string }>(qbo.url, 'POST', '/tokens', { realmId });
      await adminCall(qbo.url, 'POST', '/stats/reset');
      const result = await runBaseline(small, qbo.url, access_token, lookups);
      return { ...result, stats: await adminCall<QboStats>(qbo.url, 'GET', '/stats') };
    };
    const baseline = await runOnFreshCompany('once');
    const naive = await runOnFreshCompany('every-invoice');
    const baselineStats = baseline.stats;
    const scale = expected.approvedInvoices / baseline.invoices;

    // The fair peer: 10 calls in flight under the same limits, on its own data set (more invoices than the
    // sequential baseline: its time is set by the windows, so a few windows' worth scale better than one).
    const peerTarget = Math.min(opts.invoices, opts.peerInvoices);
    const peerData =
      peerTarget >= opts.invoices
        ? data
        : dataFor(
            opts,
            peerTarget,
            keyPrefixes,
            opts.customers === undefined ? undefined : Math.max(1, Math.round((opts.customers * peerTarget) / opts.invoices)),
          );
    await adminCall(qbo.url, 'POST', '/reset');
    await seedQuickBooks(qbo.url, peerData.quickbooks.realms, opts.seedChunk);
    const peerToken = await adminCall<{ access_token: string }>(qbo.url, 'POST', '/tokens', { realmId });
    const peerBefore = await adminCall<RealmCounts>(qbo.url, 'GET', `/realms/${realmId}/counts`);
    await adminCall(qbo.url, 'POST', '/stats/reset');
    const peer = await runPeer(peerData, qbo.url, peerToken.access_token, {
      windowMs,
      requestsPerMinute: QBO_LIMITS.perMinute,
      batchesPerMinute: QBO_LIMITS.batchPerMinute,
      requestsPerSecond: QBO_LIMITS.perSecond,
      maxConcurrent: QBO_LIMITS.concurrent,
      batchCounts: opts.batchCounts,
    });
    const peerStats = await adminCall<QboStats>(qbo.url, 'GET', '/stats');
    const peerAfter = await adminCall<RealmCounts>(qbo.url, 'GET', `/realms/${realmId}/counts`);
    const peerAdded = (entity: string) => (peerAfter.counts[entity] ?? 0) - (peerBefore.counts[entity] ?? 0);
    const peerScale = expected.approvedInvoices / peer.invoices;
    const baselineMetered = metered(baselineStats, scale);
    const peerMetered = metered(peerStats, peerScale);

    const baselineWallMs = baseline.wallMs * scale;
    const baselineQboCalls = apiCalls(baselineStats) * scale;
    return {
      ...measured,
      load: { cpus: os.cpus().length, start: loadAtStart, end: loadAverage() },
      lowerBoundMs: round(bound.lowerBoundMs, 1),
      bindingBound: bound.bindingBound,
      bounds: Object.fromEntries(Object.entries(bound.bounds).map(([k, v]) => [k, round(v, 1)])) as Record<BindingBound, number>,
      ratio: round(wallMs / bound.lowerBoundMs),
      physicalLowerBoundMs: round(physical.lowerBoundMs, 1),
      physicalBindingBound: physical.bindingBound,
      ratioToPhysical: round(wallMs / physical.lowerBoundMs),
      baselineInvoices: baseline.invoices,
      baselineScaled: scale !== 1,
      baselineMeasuredWallMs: Math.round(baseline.wallMs),
      baselineWallMs: Math.round(baselineWallMs),
      baselineQboCalls: Math.round(baselineQboCalls),
      baselineQboReadCalls: Math.round(readCalls(baselineStats) * scale),
      baselineRefused: baseline.refused,
      speedupVsBaseline: round(baselineWallMs / wallMs, 2),
      callReductionVsBaseline: round(baselineQboCalls / qboCalls, 1),
      baselineMeteredOperations: baselineMetered,
      meteredOperationReductionVsBaseline: reduction(baselineMetered, runMetered),
      tenInFlightBaseline: {
        invoices: peer.invoices,
        scaled: peerScale !== 1,
        measuredWallMs: Math.round(peer.wallMs),
        wallMs: Math.round(peer.wallMs * peerScale),
        qboCalls: Math.round(apiCalls(peerStats) * peerScale),
        qboReadCalls: Math.round(readCalls(peerStats) * peerScale),
        meteredOperations: peerMetered,
        refused: peer.refused,
        throttled: peerStats.throttled,
        resent: peer.resent,
        added: { customers: peerAdded('Customer'), invoices: peerAdded('Invoice'), creditMemos: peerAdded('CreditMemo'), payments: peerAdded('Payment') },
        speedup: round((peer.wallMs * peerScale) / wallMs, 2),
        meteredOperationReduction: reduction(peerMetered, runMetered),
      },
      speedupVsTenInFlight: round((peer.wallMs * peerScale) / wallMs, 2),
      everyInvoiceLookupBaseline: {
        wallMs: Math.round(naive.wallMs * scale),
        qboCalls: Math.round(apiCalls(naive.stats) * scale),
        qboReadCalls: Math.round(readCalls(naive.stats) * scale),
        speedup: round((naive.wallMs * scale) / wallMs, 2),
        callReduction: round((apiCalls(naive.stats) * scale) / qboCalls, 1),
      },
    };
  } catch (err) {
    // Say which process failed: a child that died mid-run shows up here only as a failed fetch.
    throw new Error(`${(err as Error).message}\n${children.map((c) => c.describe()).join('\n')}`, { cause: err });
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
