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
  'qboCallsPerInvoice',
  'sfCalls',
  'peakRssMb',
  'peakHeapMb',
  'throttled',
  'verified',
  'baselineInvoices',
  'baselineScaled',
  'baselineWallMs',
  'baselineQboCalls',
  'baselineQboReadCalls',
  'speedupVsBaseline',
  'callReductionVsBaseline',
];

async function bench(args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench.ts'), ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '' },
    maxBuffer: 10_000_000,
    timeout: 100_000,
  });
  return JSON.parse(stdout);
}

describe('the benchmark', () => {
  it('when it exports 300 invoices under QuickBooks limits, then it reports every figure and QuickBooks holds each invoice once', async () => {
    // Arrange: more operations than a 600 ms window allows; the baseline on a third of the invoices.
    const args = ['--invoices', '300', '--latency-ms', '20', '--time-scale', '0.01', '--baseline-invoices', '100', '--seed-chunk', '200'];

    // Act
    const result = await bench(args);

    // Assert
    for (const field of FIELDS) expect(result).toHaveProperty(field);
    expect(result.verified).toBe(true);
    expect(result.verification.invoicesAdded).toBe(result.verification.expectedInvoices);
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
    expect(result.qboCalls).toBeGreaterThan(0);
    expect(result.qboCallsPerInvoice).toBeCloseTo(result.qboCalls / result.invoices, 3);
    expect(result.sfCalls).toBeGreaterThan(0);
    expect(result.peakHeapMb).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThanOrEqual(result.peakHeapMb);
    // The baseline ran on fewer invoices, one record per call, and was scaled up to the same count.
    expect(result.baselineScaled).toBe(true);
    expect(result.baselineInvoices).toBeLessThan(result.invoices);
    expect(result.baselineQboCalls).toBeGreaterThan(result.invoices * 2);
    expect(result.baselineQboReadCalls).toBeGreaterThan(result.invoices);
    expect(result.callReductionVsBaseline).toBeCloseTo(result.baselineQboCalls / result.qboCalls, 0);
    expect(result.speedupVsBaseline).toBeGreaterThan(0);
    // Looking each invoice's customer and products up again costs more calls than looking each record up once.
    expect(result.everyInvoiceLookupBaseline.qboCalls).toBeGreaterThan(result.baselineQboCalls);
  }, 120_000);

  it('when a flag is wrong, then it stops with a message naming it', async () => {
    await expect(bench(['--batch-counts', 'sometimes'])).rejects.toThrow(/--batch-counts must be item or call/);
  });
});
