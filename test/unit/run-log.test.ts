// The run's side of the Process Log: its retention date, and a Company that logs successes per batch getting one
// summary entry per kind and outcome for each batch, whose record counts add up to the run's counts.
import * as entry from '../../service/src/export/entries';
import type { ProcessLogPort } from '../../service/src/export/ports';
import { LOG_FLUSH_EVERY, RunLog } from '../../service/src/export/runLog';

function recordingPort() {
  const opened: Parameters<ProcessLogPort['open']>[0][] = [];
  const appended: entry.LogEntry[] = [];
  const port: ProcessLogPort = {
    open: async (run) => {
      opened.push(run);
      return 'a0C000000000001AAA';
    },
    append: async (_id, entries) => void appended.push(...entries),
    close: async () => undefined,
  };
  return { port, opened, appended };
}

const invoice = (n: number) => ({ id: `a03${String(n).padStart(15, '0')}`, name: `SI-${String(n).padStart(6, '0')}` });
const start = new Date('2026-03-01T09:30:00.000Z');

describe('the run log', () => {
  it('when a run opens its log, then the log is kept until its start plus the Company’s retention days', async () => {
    const { port, opened } = recordingPort();
    await new RunLog(port, false, { retentionDays: 180 }).open('run-1', 'a00000000000001AAA', start);
    expect(opened[0]!.retainUntil!.toISOString()).toBe('2026-08-28T09:30:00.000Z');
  });

  it('when the Company logs successes per batch, then each batch holds one entry per kind and outcome, and warnings keep theirs', async () => {
    const { port, appended } = recordingPort();
    const log = new RunLog(port, false, { successes: 'perBatch' });
    await log.open('run-1', 'a00000000000001AAA', start);
    for (let n = 1; n <= 5; n++) log.add(entry.created('invoice', invoice(n), { id: String(100 + n), number: `NW-${n}` }));
    log.add(entry.matched('customer', { id: 'c1', name: 'Ada Lovelace' }, '58', { by: 'email' }));
    log.add(entry.totalDiffers(invoice(3), '103', 10, 12));
    await log.close('Northwind Trading Co.', 'succeeded', null, start);

    expect(appended.map((e) => [e.outcome, e.recordType, e.recordCount ?? 1])).toEqual([
      ['Warning', 'Invoice', 1],
      ['Created', 'Invoice', 5],
      ['Matched', 'Customer', 1],
      ['Summary', 'Run', 1],
    ]);
    expect(appended[1]!.message).toBe(
      '5 invoices created in QuickBooks (SI-000001 to SI-000005, in the order exported). This Company logs successes as one entry per batch; each record carries its QuickBooks Id.',
    );
    // The log's counts are sums of Record Count: they agree with the run's own.
    const sum = (outcome: string) => appended.filter((e) => e.outcome === outcome).reduce((n, e) => n + (e.recordCount ?? 1), 0);
    expect({ created: sum('Created'), matched: sum('Matched'), warnings: sum('Warning') }).toEqual({
      created: log.counts.created,
      matched: log.counts.matched,
      warnings: log.counts.warnings,
    });
  });

  it('when the Company logs every record (the default), then each success has its own entry', async () => {
    const { port, appended } = recordingPort();
    const log = new RunLog(port, false);
    await log.open('run-1', 'a00000000000001AAA', start);
    for (let n = 1; n <= 3; n++) log.add(entry.created('invoice', invoice(n), { id: String(n) }));
    await log.close('Northwind Trading Co.', 'succeeded', null, start);
    expect(appended.filter((e) => e.outcome === 'Created')).toHaveLength(3);
  });

  it('when the log’s port flushes a large run by larger counts, then entries wait for that count, and a small run keeps the default', async () => {
    const flushes: number[] = [];
    const port: ProcessLogPort = {
      open: async () => 'a0C000000000001AAA',
      append: async (_id, entries) => void flushes.push(entries.length),
      close: async () => undefined,
      flushPolicy: (records) => (records >= 2000 ? { every: 10_000, ms: 300_000 } : { every: LOG_FLUSH_EVERY, ms: 15_000 }),
    };
    const run = async (records: number, entries: number) => {
      flushes.length = 0;
      const log = new RunLog(port, false);
      await log.open('run-1', 'a00000000000001AAA', start);
      log.expect(records);
      for (let n = 1; n <= entries; n++) {
        log.add(entry.created('invoice', invoice(n), { id: String(n), number: `NW-${n}` }));
        // Entries come as pages are worked on: a flush starts between them.
        if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await log.close('Northwind Trading Co.', 'succeeded', null, start);
      return [...flushes];
    };
    // 25,000 entries: two flushes of 10,000 as the run goes, the rest and the summary at the end.
    expect(await run(25_000, 25_000)).toEqual([10_000, 10_000, 5_001]);
    expect(await run(1_500, 4_500)).toEqual([2_000, 2_000, 501]);
  });
});
