// The service stopped while the Web Connector held an invoice batch whose answer was lost, then started again:
// the Web Connector's next run resumes the invoices still pending, with nothing in QuickBooks twice.
import { createContainer } from '../../service/src/container';
import { startServer } from '../../service/src/server';
import { api } from '../support/stack';
import { drain, expectEachOnce, exportQueued, processLog, session, startDesktopStack, type DesktopStack } from '../support/desktop';

jest.setTimeout(180_000);

describe('when the service stops while the Web Connector has an invoice batch whose answer was lost, and starts again', () => {
  let d: DesktopStack;
  let resumed: any;
  let stopped: any;
  beforeAll(async () => {
    d = await startDesktopStack({ EXPORT_LOCK_LEASE_MS: '1000' });
    const runId = await exportQueued(d);
    await session(d, { cutAfter: (xml) => xml.includes('<InvoiceAddRq ') });
    const old = d.stack.container;
    await old.close();
    stopped = runId;
    // A new process on the same store, org and QuickBooks company file.
    // Same keys as before (a restart reads them from the environment).
    const config = { ...old.config, port: 0, apiKey: old.credentials.apiKey, adminKey: old.credentials.adminKey };
    const container = await createContainer(config, { sfUrl: d.stack.sfUrl, qboUrl: d.stack.qboUrl, lockLeaseMs: 1000 });
    const server = await startServer(container, { port: 0 });
    const closeFirst = d.stack.close;
    const close = async () => {
      await server.close();
      await closeFirst();
    };
    d = { ...d, stack: { ...d.stack, serviceUrl: server.url, container, close } };
    // The Web Connector's next scheduled run: authenticate finds the invoices still pending and resumes them.
    const first = await session(d);
    expect(first.auth[1]).toBe('');
    const latest = await container.store.runs.latestForCompany(d.companyId);
    expect(latest!.id).not.toBe(stopped);
    expect(latest!.options).toMatchObject({ pendingOnly: true });
    ({ run: resumed } = await drain(d, latest!.id));
  });
  afterAll(() => d?.stack.close());

  it('then a run that resumes only the pending invoices finishes them, and nothing is in QuickBooks twice', async () => {
    const first = await api(d.stack, 'GET', `/api/runs/${stopped}`);
    expect(first.body).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('stopped while waiting for the Web Connector') } });
    expect(resumed.status).toBe('succeeded');
    await expectEachOnce(d);
    const log = await processLog(d, resumed.processLogId);
    expect(log.entries.some((e: any) => e.recordType === 'Invoice' && e.outcome === 'Matched' && /marker/.test(e.message))).toBe(true);
  });
});
