// The benchmark end to end, small: `npm run bench` as its own process (which starts the emulators and the service as
// processes of their own) on a 600 ms "minute", with more operations than one window allows, so the lower bound is
// a real one; the JSON carries every field, QuickBooks holds each invoice once, and the limits were kept.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

const FIELDS = [
  'invoices',
  'customersCreated',
  'productsCreated',
  'wallMs',
  'lowerBoundMs',
  'bindingBound',
  'ratio',
  'qboCalls',
  'qboReadCalls',
  'qboReadsPer1000Invoices',
  'qboCallsPerInvoice',
  'sfCalls',
  'peakRssMb',
  'peakHeapMb',
  'serviceCpuMs',
  'serviceCpuMsPerInvoice',
  'throttled',
  'verified',
  'baselineInvoices',
  'baselineScaled',
  'baselineWallMs',
  'baselineQboCalls',
  'baselineQboReadCalls',
  'speedupVsBaseline',
  'callReductionVsBaseline',
  'physicalLowerBoundMs',
  'ratioToPhysical',
  'meteredOperations',
  'baselineMeteredOperations',
  'meteredOperationReductionVsBaseline',
  'tenInFlightBaseline',
  'speedupVsTenInFlight',
  'load',
];

async function bench(args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench.ts'), ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '' },
    maxBuffer: 10_000_000,
    timeout: 160_000,
  });
  return JSON.parse(stdout);
}

describe('the benchmark', () => {
  it('when it exports 300 invoices under QuickBooks limits, then it reports every figure and QuickBooks holds each invoice once', async () => {
    // Arrange: more operations than a 600 ms window allows; the baseline on a third of the invoices, the peer on half.
    const args = [
      '--invoices',
      '300',
      '--latency-ms',
      '20',
      '--time-scale',
      '0.01',
      '--baseline-invoices',
      '100',
      '--peer-invoices',
      '150',
      '--seed-chunk',
      '200',
    ];

    // Act
    const result = await bench(args);

    // Assert
    for (const field of FIELDS) expect(result).toHaveProperty(field);
    expect(result.limits).toBe('on');
    expect(result.verified).toBe(true);
    expect(result.verification.invoicesAdded).toBe(result.verification.expectedInvoices);
    // Every exported record's QuickBooks id is in Salesforce, payments and the credit memo's application link their
    // invoices, and every record QuickBooks gained is claimed by exactly one Salesforce record.
    expect(result.verification.writeBacks.checked).toBeGreaterThan(result.invoices);
    expect(result.verification.writeBacks.wrong).toBe(0);
    expect(result.verification.payments.writtenBack).toBe(result.verification.payments.expected);
    expect(result.verification.payments.added).toBeGreaterThan(0);
    expect(result.verification.creditApplications).toEqual({ expected: 1, applied: 1 });
    expect(result.verification.unclaimedRecords).toBe(0);
    expect(result.verification.claimedTwice).toBe(0);
    expect(result.invoices).toBeGreaterThan(250);
    expect(result.customersCreated).toBeGreaterThan(0);
    expect(result.productsCreated).toBeGreaterThan(0);
    expect(result.settings.seedRequests).toBeGreaterThan(result.settings.generatedInvoices / 200);
    // Over 500 operations: at least one whole window must pass, and the emulator kept the service to it.
    expect(result.qboOperations).toBeGreaterThan(500);
    expect(result.bindingBound).toBe('operations');
    expect(result.lowerBoundMs).toBeGreaterThanOrEqual(600);
    expect(Number.isFinite(result.ratio)).toBe(true);
    expect(result.ratio).toBeGreaterThanOrEqual(1);
    expect(result.ratio).toBeCloseTo(result.wallMs / result.lowerBoundMs, 1);
    // The physical minimum counts only what the books need, so the run's own calls cannot take less time under the limits.
    expect(result.physicalNeed.invoices).toBe(result.verification.expectedInvoices);
    expect(result.physicalNeed.customers).toBeGreaterThan(0);
    expect(result.physicalNeed.creates).toBeLessThanOrEqual(result.qboBatchItems);
    expect(result.physicalNeed.reads).toBeGreaterThanOrEqual(2);
    expect(result.physicalLowerBoundMs).toBeGreaterThanOrEqual(600);
    expect(result.physicalLowerBoundMs).toBeLessThanOrEqual(result.lowerBoundMs);
    expect(result.ratioToPhysical).toBeCloseTo(result.wallMs / result.physicalLowerBoundMs, 1);
    expect(result.load.start).toHaveLength(3);
    expect(result.load.end).toHaveLength(3);
    expect(result.qboCalls).toBeGreaterThan(0);
    expect(result.qboCallsPerInvoice).toBeCloseTo(result.qboCalls / result.invoices, 3);
    expect(result.sfCalls).toBeGreaterThan(0);
    expect(result.peakHeapMb).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThanOrEqual(result.peakHeapMb);
    // The service worked for the run: its CPU time is counted from the press, and per invoice.
    expect(result.serviceCpuMs).toBeGreaterThan(0);
    expect(result.serviceCpuMsPerInvoice).toBeCloseTo(result.serviceCpuMs / result.invoices, 2);
    // The baseline ran on fewer invoices, one record per call, and was scaled up to the same count.
    expect(result.baselineScaled).toBe(true);
    expect(result.baselineInvoices).toBeLessThan(result.invoices);
    expect(result.baselineQboCalls).toBeGreaterThan(result.invoices * 2);
    expect(result.baselineQboReadCalls).toBeGreaterThan(result.invoices);
    expect(result.callReductionVsBaseline).toBeCloseTo(result.baselineQboCalls / result.qboCalls, 0);
    expect(result.speedupVsBaseline).toBeGreaterThan(0);
    // Looking each invoice's customer and products up again costs more calls than looking each record up once.
    expect(result.everyInvoiceLookupBaseline.qboCalls).toBeGreaterThan(result.baselineQboCalls);
    // Metered operations: per item a batch counts its items, per call once; the baselines send no batches.
    expect(result.meteredOperations.item).toBe(result.qboBatchItems + result.qboCalls - result.qboCallsByKind.batch - result.throttled);
    expect(result.meteredOperations.call).toBe(result.qboCalls - result.throttled);
    expect(result.meteredOperations[result.settings.batchCounts]).toBe(result.qboOperations);
    expect(result.baselineMeteredOperations.item).toBe(result.baselineMeteredOperations.call);
    expect(result.meteredOperationReductionVsBaseline.item).toBeCloseTo(result.baselineMeteredOperations.item / result.meteredOperations.item, 1);
    // The 10-in-flight peer exported the same kind of data for real (less the DocNumber QuickBooks holds and the
    // invoices of the customers whose names a vendor or employee has, which QuickBooks refuses it), with fewer calls
    // than the sequential baseline: it looks up no invoice or payment before creating it.
    const peer = result.tenInFlightBaseline;
    expect(peer.scaled).toBe(true);
    expect(peer.invoices).toBeGreaterThan(100);
    expect(peer.invoices).toBeLessThan(result.invoices);
    expect(peer.added.invoices).toBeGreaterThanOrEqual(peer.invoices * 0.95);
    expect(peer.added.creditMemos).toBe(1);
    expect(peer.added.customers).toBeGreaterThan(0);
    expect(peer.added.payments).toBeGreaterThan(0);
    expect(peer.qboCalls).toBeLessThan(result.baselineQboCalls);
    expect(peer.qboReadCalls).toBeLessThan(result.baselineQboReadCalls);
    expect(peer.meteredOperations.item).toBe(peer.meteredOperations.call);
    expect(peer.speedup).toBeCloseTo(peer.wallMs / result.wallMs, 1);
    expect(result.speedupVsTenInFlight).toBe(peer.speedup);
    expect(peer.meteredOperationReduction.call).toBeCloseTo(peer.meteredOperations.call / result.meteredOperations.call, 1);
  }, 180_000);

  it('when it exports 300 invoices with the limits off, then it says so, checks the books, and reports CPU without any bound or baseline', async () => {
    // Act
    const result = await bench(['--invoices', '300', '--limits', 'off', '--seed-chunk', '200']);

    // Assert: the books are checked as with limits on; nothing held the run, so no bound or baseline is claimed.
    expect(result.limits).toBe('off');
    expect(result.verified).toBe(true);
    expect(result.verification.writeBacks.wrong).toBe(0);
    expect(result.verification.claimedTwice).toBe(0);
    expect(result.throttled).toBe(0);
    expect(result.settings.scaledLatencyMs).toBe(0);
    expect(result.serviceCpuMs).toBeGreaterThan(0);
    expect(result.serviceCpuMsPerInvoice).toBeCloseTo(result.serviceCpuMs / result.invoices, 2);
    for (const field of ['lowerBoundMs', 'ratio', 'ratioToPhysical', 'baselineWallMs', 'speedupVsBaseline', 'tenInFlightBaseline', 'speedupVsTenInFlight'])
      expect(result).not.toHaveProperty(field);
    expect(result.omitted).toMatch(/limits off/);
  }, 180_000);

  it('when a flag is wrong, then it stops with a message naming it', async () => {
    await expect(bench(['--batch-counts', 'sometimes'])).rejects.toThrow(/--batch-counts must be item or call/);
    await expect(bench(['--limits', 'maybe'])).rejects.toThrow(/--limits must be on or off/);
  });
});
