// The Web Connector cut off after an invoice add and after a payment add, with QuickBooks having processed it and
// its answer lost. The next session finishes the export with nothing in QuickBooks twice. (Every other kind of
// message, on PGlite and PostgreSQL, and the service stopped mid-batch: test/faults/desktop-interruptions.)
import { api } from '../support/stack';
import { drain, expectEachOnce, exportQueued, processLog, session, startDesktopStack, type DesktopStack } from '../support/desktop';

jest.setTimeout(120_000);

describe.each([
  ['an invoice add', 'InvoiceAddRq'],
  ['a payment add', 'ReceivePaymentAddRq'],
])('when the Web Connector is cut off after %s that QuickBooks processed', (_what, rq) => {
  let d: DesktopStack;
  let run: any;
  let cut: any;
  beforeAll(async () => {
    d = await startDesktopStack();
    const runId = await exportQueued(d);
    cut = await session(d, { cutAfter: (xml) => xml.includes(`<${rq} `) });
    ({ run } = await drain(d, runId));
  });
  afterAll(() => d?.stack.close());

  it('then the next session resumes, the run finishes in its one Process Log, and nothing is in QuickBooks twice', async () => {
    expect(cut.cut).toBe(true);
    expect(run.status).toBe('succeeded');
    await expectEachOnce(d);
    const log = await processLog(d, run.processLogId);
    // Seven invoices, a sales receipt and a credit memo; three payments and the credit memo's application.
    expect(log.entries.filter((e: any) => e.recordType === 'Invoice' && e.outcome === 'Created')).toHaveLength(9);
    expect(log.entries.filter((e: any) => e.recordType === 'Payment' && e.outcome === 'Created')).toHaveLength(4);
    const { body: logs } = await api<any[]>(d.stack, 'GET', `/api/companies/${d.companyId}/process-logs?limit=10`);
    expect(logs).toHaveLength(1);
  });

  it('then what QuickBooks saved before the cut was found by a look-up, not sent again', () => {
    const adds = d.file.messages.filter((m) => m.includes(`<${rq} `));
    // The message cut off was answered by a query in the next session; the records in it were not added again.
    const first = d.file.messages.findIndex((m) => m.includes(`<${rq} `));
    const lookup = d.file.messages.slice(first + 1).find((m) => !m.includes('AddRq'));
    const entity = rq.replace(/AddRq$/, '');
    expect(lookup).toMatch(new RegExp(`<${entity}QueryRq[^>]*><MaxReturned>100</MaxReturned><ModifiedDateRangeFilter>`));
    expect(adds.length).toBeGreaterThanOrEqual(1);
  });
});
