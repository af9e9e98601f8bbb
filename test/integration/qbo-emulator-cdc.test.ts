// Change Data Capture, voids, deletes and CloudEvents webhooks on the QuickBooks emulator, shaped like the recorded
// answers (minimul/qbo_api spec/vcr/qbo_api/cdc/basic.yml, spec/vcr/void/invoice.yml, spec/vcr/qbo_api/delete/invoice.yml)
// and Intuit's CloudEvents sample (intuitaccountid, intuitentityid, type qbo.<entity>.<operation>.v1).
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000042';
const OTHER = '9341450000000043';

const realm = (realmId: string) => ({
  realmId,
  entities: {
    Account: [{ Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' }],
    Customer: [{ Id: '1', DisplayName: "Amy's Bird Sanctuary" }],
    Item: [{ Id: '5', Name: 'Rock Fountain', Type: 'Service', UnitPrice: 100, IncomeAccountRef: { value: '79' } }],
  },
});

const line = (amount: number) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: amount / 100, UnitPrice: 100 },
});

describe('QBO emulator: change data capture, voids, deletes and webhooks', () => {
  const { admin, connect } = useQboEmulator([realm(REALM), realm(OTHER)]);
  const api = connect(REALM);
  const other = connect(OTHER);

  let numbers = 0;
  const invoice = async (amount: number, note?: string) =>
    (
      await api.post('/invoice?minorversion=75', {
        CustomerRef: { value: '1' },
        DocNumber: `CDC-${++numbers}`,
        Line: [line(amount)],
        ...(note ? { PrivateNote: note } : {}),
      })
    ).body.Invoice;
  const cdc = (entities: string, since: string) => api.get(`/cdc?entities=${entities}&changedSince=${encodeURIComponent(since)}&minorversion=75`);
  const now = async () => (await admin.clock()).now;

  it('when invoices and a payment change, then CDC returns each entity asked for in its QueryResponse, oldest change first, as recorded', async () => {
    const since = await now();
    const first = await invoice(100);
    await admin.advanceClock(2000);
    const second = await invoice(300);
    await admin.advanceClock(2000);
    const payment = await admin.receivePayment(REALM, { invoiceId: first.Id, txnDate: '2026-11-20', reference: 'CHK-1' });
    const r = await cdc('Invoice,Payment,CreditMemo', since);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['CDCResponse', 'time']);
    const [invoices, payments, creditMemos] = r.body.CDCResponse[0].QueryResponse;
    // The payment touched the first invoice after the second was created: it comes last.
    expect(invoices.Invoice.map((i: any) => i.Id)).toEqual([second.Id, first.Id]);
    expect(invoices).toMatchObject({ startPosition: 1, maxResults: 2 });
    expect(invoices.Invoice[1]).toMatchObject({ Balance: 0, TotalAmt: 100, LinkedTxn: [{ TxnId: payment.Id, TxnType: 'Payment' }] });
    expect(payments.Payment).toEqual([expect.objectContaining({ Id: payment.Id, TxnDate: '2026-11-20', PaymentRefNum: 'CHK-1', TotalAmt: 100 })]);
    expect(creditMemos).toEqual({});
    // Nothing changed since the answer's own time.
    await admin.advanceClock(2000);
    const later = await cdc('Invoice', await now());
    expect(later.body.CDCResponse[0].QueryResponse).toEqual([{}]);
  });

  it('when an invoice is voided, then it keeps its number with amounts and balance 0 and "Voided" before its note, and CDC returns it so', async () => {
    const inv = await invoice(250, '[ledgerline:a0B000000000001AAA]');
    const since = await now();
    const voided = await api.post('/invoice?operation=void&minorversion=75', { Id: inv.Id, SyncToken: inv.SyncToken });
    expect(voided.status).toBe(200);
    expect(voided.body.Invoice).toMatchObject({
      Id: inv.Id,
      SyncToken: '1',
      DocNumber: inv.DocNumber,
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: 'Voided [ledgerline:a0B000000000001AAA]',
    });
    expect(voided.body.Invoice.Line[0]).toMatchObject({ Amount: 0, SalesItemLineDetail: { Qty: 0 } });
    const [changes] = (await cdc('Invoice', since)).body.CDCResponse[0].QueryResponse;
    expect(changes.Invoice).toEqual([expect.objectContaining({ Id: inv.Id, TotalAmt: 0, PrivateNote: 'Voided [ledgerline:a0B000000000001AAA]' })]);
    // A user's void through the admin API is the same operation; an invoice with a payment is refused until it is undone.
    const paid = await invoice(100);
    await admin.receivePayment(REALM, { invoiceId: paid.Id });
    await expect(admin.userAction(REALM, 'Invoice', paid.Id, 'void')).rejects.toThrow(/payments applied/);
  });

  it('when an invoice and a payment are deleted, then CDC lists them after the changed ones as status Deleted with their time', async () => {
    const kept = await invoice(100);
    const gone = await invoice(200);
    const payment = await admin.receivePayment(REALM, { invoiceId: kept.Id, amount: 40 });
    const since = await now();
    await admin.advanceClock(1000);
    await admin.userAction(REALM, 'Payment', payment.Id, 'delete');
    await admin.userAction(REALM, 'Invoice', gone.Id, 'delete');
    const [invoices, payments] = (await cdc('Invoice,Payment', since)).body.CDCResponse[0].QueryResponse;
    // Deleting the payment gave the kept invoice its balance back: it changed, and comes before the deletion.
    expect(invoices.Invoice.map((i: any) => [i.Id, i.status ?? 'active', i.Balance])).toEqual([
      [kept.Id, 'active', 100],
      [gone.Id, 'Deleted', undefined],
    ]);
    expect(Object.keys(invoices.Invoice[1])).toEqual(['status', 'domain', 'Id', 'MetaData']);
    expect(invoices.Invoice[1].MetaData.LastUpdatedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(payments.Payment).toEqual([{ status: 'Deleted', domain: 'QBO', Id: payment.Id, MetaData: expect.any(Object) }]);
  });

  it('when more than 1,000 invoices changed, then one answer holds the 1,000 oldest changes and asking again from the last one goes on', async () => {
    const since = await now();
    // Three invoices change in each second, as a busy company's might.
    const at = (i: number) => new Date(Date.parse(since) + Math.floor(i / 3) * 1000).toISOString();
    const created = Array.from({ length: 1005 }, (_, i) => String(5000 + i));
    await admin.seed([
      {
        realmId: REALM,
        entities: {
          Invoice: created.map((Id, i) => ({ Id, CustomerRef: { value: '1' }, Line: [line(100)], MetaData: { CreateTime: at(i), LastUpdatedTime: at(i) } })),
        },
      },
    ]);
    const [first] = (await cdc('Invoice', since)).body.CDCResponse[0].QueryResponse;
    expect(first.Invoice).toHaveLength(1000);
    expect(first.maxResults).toBe(1000);
    const last = first.Invoice[999];
    const [rest] = (await cdc('Invoice', last.MetaData.LastUpdatedTime)).body.CDCResponse[0].QueryResponse;
    const seen = new Set([...first.Invoice, ...rest.Invoice].map((i: any) => i.Id));
    expect(created.every((id) => seen.has(id))).toBe(true);
  });

  it('when changedSince is more than 30 days back or entities are missing, then QuickBooks refuses as reported', async () => {
    const old = new Date(Date.parse(await now()) - 31 * 86_400_000).toISOString();
    const tooOld = await cdc('Invoice', old);
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.Fault.Error[0].Detail).toBe(`Operation cdc with changedSince date ${old} which is older than fixed days is not supported.`);
    const missing = await api.get(`/cdc?changedSince=${encodeURIComponent(await now())}`);
    expect(missing.body.Fault).toMatchObject({
      type: 'SystemFault',
      Error: [{ code: '10000', Detail: 'System Failure Error: java.lang.IllegalArgumentException: entities is required' }],
    });
    const unknown = await cdc('estimates', await now());
    expect(unknown.body.Fault.Error[0].Detail).toBe('System Failure Error: java.lang.IllegalArgumentException: Invalid entity supplied : entity=estimates');
    // CDC is a read: the emulator counts it as one.
    const stats = await admin.stats();
    expect(stats.byEndpoint['GET /cdc']).toBeGreaterThanOrEqual(3);
    expect(stats.byKind.read).toBeGreaterThanOrEqual(3);
  });

  describe('webhooks', () => {
    let server: Server;
    let url: string;
    const deliveries: { signature: string | undefined; body: string }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          deliveries.push({ signature: req.headers['intuit-signature'] as string | undefined, body });
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('when changes in two companies are delivered, then one signed delivery carries a CloudEvent per change with each company in intuitaccountid', async () => {
      await admin.webhooks({ url, verifierToken: 'verifier-123' });
      const inv = await invoice(100);
      await admin.receivePayment(REALM, { invoiceId: inv.Id });
      await other.post('/invoice', { CustomerRef: { value: '1' }, Line: [line(200)] });
      const result = await admin.deliverWebhooks();
      expect(result).toEqual({ status: 200, events: 4 });
      const delivery = deliveries.at(-1)!;
      expect(delivery.signature).toBe(createHmac('sha256', 'verifier-123').update(delivery.body).digest('base64'));
      const events = JSON.parse(delivery.body);
      expect(events.map((e: any) => [e.type, e.intuitaccountid])).toEqual([
        ['qbo.invoice.created.v1', REALM],
        ['qbo.invoice.updated.v1', REALM],
        ['qbo.payment.created.v1', REALM],
        ['qbo.invoice.created.v1', OTHER],
      ]);
      expect(events[0]).toEqual({
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: expect.any(String),
        type: 'qbo.invoice.created.v1',
        datacontenttype: 'application/json',
        time: expect.any(String),
        intuitentityid: inv.Id,
        intuitaccountid: REALM,
        data: {},
      });
      // Delivered again (a retry), the same events carry the same ids.
      await admin.deliverWebhooks(true);
      expect(deliveries.at(-1)!.body).toBe(delivery.body);
    });
  });
});
