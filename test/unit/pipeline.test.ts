// The export pipeline over in-memory ports: every decision and every fault path, without HTTP.
import { UNAUTHORIZED_SENTENCE } from '../../service/src/errors';
import type { LogEntry } from '../../service/src/export/entries';
import type { SourceInvoice, SourcePayment } from '../../service/src/export/model';
import { Harness } from '../support/fakes';
import { sourceCustomer, sourceInvoice, sourceLine, sourceProduct } from '../support/model';

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(15 - prefix.length, '0')}AAA`;

/** Two customers, two products and `n` invoices, each invoice one line on the first product. */
function seeded(n = 7): Harness {
  const h = new Harness();
  h.source.customers = [
    sourceCustomer({ id: id('a01', 1), name: 'Ada Lovelace', email: 'ada@example.com' }),
    sourceCustomer({ id: id('a01', 2), name: 'Grace Hopper', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', companyName: null }),
  ];
  h.source.products = [
    sourceProduct({ id: id('a02', 1), name: 'Brass Gear 40T', sku: 'GEAR-40' }),
    sourceProduct({ id: id('a02', 2), name: 'Steel Shaft', sku: 'SHAFT' }),
  ];
  h.source.invoices = Array.from({ length: n }, (_, i) => invoiceFor(i + 1));
  return h;
}

function invoiceFor(n: number, over: Partial<SourceInvoice> = {}): SourceInvoice {
  return sourceInvoice({
    id: id('a03', n),
    number: `SI-${String(n).padStart(6, '0')}`,
    customerId: id('a01', 1 + (n % 2)),
    total: 25,
    lines: [sourceLine({ id: id('a04', n), productId: id('a02', 1) })],
    ...over,
  });
}

function invoicesOnce(h: Harness): Map<string, number> {
  const copies = new Map<string, number>();
  for (const c of h.target.ofKind('invoice')) {
    const source = (c.doc as any).sourceId as string;
    copies.set(source, (copies.get(source) ?? 0) + 1);
  }
  return copies;
}

describe('the pipeline, when nothing goes wrong', () => {
  it('then every record is created once, linked back with its id, journaled as written back and logged once', async () => {
    const h = seeded(7);
    h.target.customers.push({ id: '7', displayName: 'Grace Hopper', email: 'grace@example.com' });
    const { outcome, applied, entries } = await h.run();
    expect(outcome).toEqual({ status: 'succeeded', error: null });
    const [ada] = h.target.ofKind('customer');
    expect(h.target.ofKind('customer')).toHaveLength(1);
    expect(applied.get(id('a01', 1))).toEqual({ kind: 'customer', subject: { id: id('a01', 1), name: 'Ada Lovelace' }, targetId: ada!.id });
    expect(applied.get(id('a01', 2))).toMatchObject({ kind: 'customer', targetId: '7' });
    const items = h.target.ofKind('product');
    expect(items.map((i) => (i.doc as any).name)).toEqual(['Brass Gear 40T', 'Steel Shaft']);
    // Seven invoices in batches of three: three calls, each invoice on the right customer and item.
    expect(h.target.calls.filter((c) => c.kind === 'invoice').map((c) => c.keys.length)).toEqual([3, 3, 1]);
    for (const inv of h.target.ofKind('invoice')) {
      const doc = inv.doc as any;
      const source = h.source.invoices.find((i) => i.id === doc.sourceId)!;
      expect(doc.customerId).toBe(source.customerId === id('a01', 1) ? ada!.id : '7');
      expect(doc.lines[0].itemId).toBe(items[0]!.id);
      expect(applied.get(source.id)).toEqual({
        kind: 'invoice',
        subject: { id: source.id, name: source.number },
        targetId: inv.id,
        number: `NW-${source.number}`,
      });
    }
    expect([...invoicesOnce(h).values()]).toEqual(Array(7).fill(1));
    expect([...h.journal.rows.values()].every((e) => e.state === 'written_back')).toBe(true);
    expect(h.journal.rows.size).toBe(2 + 2 + 7);
    const perRecord = entries.filter((e) => e.recordType !== 'Run');
    expect(perRecord.map((e) => `${e.outcome} ${e.recordId}`).sort()).toEqual(
      [
        `Created ${id('a01', 1)}`,
        `Matched ${id('a01', 2)}`,
        `Created ${id('a02', 1)}`,
        `Created ${id('a02', 2)}`,
        ...h.source.invoices.map((i) => `Created ${i.id}`),
      ].sort(),
    );
    expect(h.log.closed).toMatchObject({ status: 'succeeded', counts: { created: 10, matched: 1, errors: 0 } });
  });

  it('then a kind with nothing to export loads no index from the target (reads are metered)', async () => {
    const h = seeded(2);
    h.source.customers = [];
    await h.run();
    expect(h.target.ofKind('product')).toHaveLength(2);
    expect(h.target.loads).toEqual({ customers: 0, reservedNames: 0, items: 1 });
  });

  it('then a second run creates nothing and finds everything by the journal', async () => {
    const h = seeded(4);
    await h.run();
    const calls = h.target.calls.length;
    const again = await h.run();
    expect(again.outcome.status).toBe('succeeded');
    expect(h.target.calls.length).toBe(calls);
    const invoices = h.target.ofKind('invoice');
    expect(again.entries.filter((e) => e.outcome === 'Matched' && e.recordType === 'Invoice').map((e) => e.message)).toEqual(
      h.source.invoices.map(
        (i) => `Invoice ${i.number} matched QuickBooks invoice ${invoices.find((c) => (c.doc as any).sourceId === i.id)!.id} created by an earlier export.`,
      ),
    );
  });
});

describe('the pipeline, when a record is refused', () => {
  it('then a duplicate number fails that invoice alone, with the fix and an Error status on its record', async () => {
    const h = seeded(5);
    h.target.refuse = (kind, doc) =>
      kind === 'invoice' && doc.docNumber === 'NW-SI-000003'
        ? { class: 'duplicateNumber', message: 'Duplicate Document Number Error', code: '6140', traceId: 'tid-6140', httpStatus: 400 }
        : null;
    const { outcome, applied, entries } = await h.run();
    expect(outcome.status).toBe('completed_with_errors');
    const failed = entries.find((e) => e.recordId === id('a03', 3))!;
    expect(failed).toMatchObject({
      level: 'ERROR',
      outcome: 'Error',
      traceId: 'tid-6140',
      message: expect.stringContaining('already has an invoice numbered NW-SI-000003'),
    });
    expect(failed.fix).toContain('Invoice Number Prefix or Suffix');
    expect(applied.get(id('a03', 3))).toMatchObject({ kind: 'invoiceFailed', message: expect.stringContaining('NW-SI-000003') });
    expect([...invoicesOnce(h).keys()].sort()).toEqual([1, 2, 4, 5].map((n) => id('a03', n)));
    expect(h.journal.rows.get(`${h.source.company.id}|invoice|${id('a03', 3)}`)).toMatchObject({ state: 'failed' });
  });

  it('then an invoice the target already holds under the number, carrying this record’s marker, is this record: matched, never a number clash', async () => {
    // A target that does not refuse a repeated number (QuickBooks Desktop): the numbers are looked up first.
    const h = seeded(3);
    h.target.settingsValue = { ...h.target.settingsValue, rejectsDuplicateNumbers: false };
    h.target.created.push(
      {
        kind: 'invoice',
        id: '901',
        doc: { docNumber: 'NW-SI-000001', privateNote: `Salesforce invoice SI-000001 [ledgerline:${id('a03', 1)}]`, lines: [] } as any,
      },
      { kind: 'invoice', id: '902', doc: { docNumber: 'NW-SI-000002', privateNote: 'typed in QuickBooks', lines: [] } as any },
    );
    const { outcome, applied, entries } = await h.run();
    expect(outcome.status).toBe('completed_with_errors');
    expect(entries.find((e) => e.recordId === id('a03', 1))).toMatchObject({ outcome: 'Matched', targetId: '901', message: expect.stringContaining('marker') });
    expect(applied.get(id('a03', 1))).toMatchObject({ kind: 'invoice', targetId: '901' });
    expect(entries.find((e) => e.recordId === id('a03', 2))).toMatchObject({ outcome: 'Error', message: expect.stringContaining('numbered NW-SI-000002') });
    expect(h.target.ofKind('invoice').map((c) => (c.doc as any).docNumber)).toEqual(['NW-SI-000001', 'NW-SI-000002', 'NW-SI-000003']);
  });

  it('then a name clash nobody predicted renames the customer once and says so with its new id', async () => {
    const h = seeded(1);
    h.target.refuse = (kind, doc) =>
      kind === 'customer' && doc.displayName === 'Ada Lovelace' ? { class: 'duplicateName', message: 'Duplicate Name Exists Error', code: '6240' } : null;
    const { outcome, entries } = await h.run();
    expect(outcome.status).toBe('succeeded');
    const created = h.target.ofKind('customer');
    expect(created.map((c) => (c.doc as any).displayName).sort()).toEqual(['Ada Lovelace (C)', 'Grace Hopper']);
    const ada = created.find((c) => (c.doc as any).displayName === 'Ada Lovelace (C)')!;
    expect(entries.find((e) => e.outcome === 'Renamed')).toMatchObject({
      recordId: id('a01', 1),
      targetId: ada.id,
      message: expect.stringContaining('created in QuickBooks as "Ada Lovelace (C)"'),
    });
  });

  it('then a write-back Salesforce refuses is an entry naming the record and its QuickBooks id, and the next run links it without a second copy', async () => {
    const h = seeded(3);
    h.refuseWriteBack.set(id('a03', 2), 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Invoices are locked during period close');
    const first = await h.run();
    expect(first.outcome.status).toBe('completed_with_errors');
    const qboId = h.target.ofKind('invoice').find((c) => (c.doc as any).sourceId === id('a03', 2))!.id;
    expect(first.entries.find((e) => e.recordId === id('a03', 2) && e.level === 'ERROR')).toMatchObject({
      targetId: qboId,
      message: `Salesforce refused to save the QuickBooks link on SI-000002: FIELD_CUSTOM_VALIDATION_EXCEPTION: Invoices are locked during period close.`,
    });
    expect(h.journal.rows.get(`${h.source.company.id}|invoice|${id('a03', 2)}`)).toMatchObject({ state: 'created', targetId: qboId });
    h.refuseWriteBack.clear();
    h.source.invoices = h.source.invoices.filter((i) => i.id === id('a03', 2));
    const calls = h.target.calls.filter((c) => c.kind === 'invoice').length;
    const again = await h.run();
    expect(again.outcome.status).toBe('succeeded');
    expect(h.target.calls.filter((c) => c.kind === 'invoice').length).toBe(calls);
    expect(again.applied.get(id('a03', 2))).toMatchObject({ kind: 'invoice', targetId: qboId });
  });
});

describe('the pipeline, when a whole call fails', () => {
  it('then a batch that fails after others succeeded stops the run, and what QuickBooks confirmed is written back and logged', async () => {
    const h = seeded(9);
    h.target.failCall = { kind: 'invoice', n: 2, fault: { class: 'transient', message: 'HTTP 503', httpStatus: 503 } };
    const { outcome, applied, entries } = await h.run();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toEqual({ code: 'QBO_UNAVAILABLE', message: 'The export stopped: HTTP 503' });
    const confirmed = h.target.ofKind('invoice').map((c) => (c.doc as any).sourceId as string);
    expect(confirmed.length).toBeGreaterThanOrEqual(3);
    for (const source of confirmed) {
      expect(applied.get(source)).toMatchObject({ kind: 'invoice' });
      expect(entries.filter((e) => e.recordId === source && e.outcome === 'Created')).toHaveLength(1);
    }
    // Two customers and two products, then the invoices of the batches QuickBooks answered.
    expect(h.log.closed).toMatchObject({ status: 'failed', counts: { created: 4 + confirmed.length } });
    expect(h.log.closed!.summary).toContain(`Created ${4 + confirmed.length}`);
  });

  it('then a 401 on the third invoice batch ends with the UNAUTHORIZED sentence, and the first two batches are written back and logged', async () => {
    const h = seeded(9);
    h.target.failCall = { kind: 'invoice', n: 3, fault: { class: 'unauthorized', message: 'AuthenticationFailed', httpStatus: 401 } };
    const { outcome, applied, entries } = await h.run();
    expect(outcome.error).toEqual({ code: 'QBO_UNAUTHORIZED', message: UNAUTHORIZED_SENTENCE });
    const confirmed = h.target.ofKind('invoice').map((c) => (c.doc as any).sourceId as string);
    expect(confirmed).toHaveLength(6);
    for (const source of confirmed) expect(applied.get(source)).toMatchObject({ kind: 'invoice' });
    expect(entries.filter((e) => e.recordType === 'Invoice' && e.outcome === 'Created')).toHaveLength(6);
    expect(entries.filter((e) => e.message === UNAUTHORIZED_SENTENCE)).toHaveLength(1);
  });

  it('then answers lost after QuickBooks saved are found by marker on the next run and nothing is created twice', async () => {
    const h = seeded(5);
    h.target.failCall = { kind: 'invoice', n: 1, fault: { class: 'transient', message: 'socket hang up' }, afterCommit: true };
    const first = await h.run();
    expect(first.outcome.status).toBe('failed');
    expect(h.target.ofKind('invoice')).toHaveLength(3); // saved, but the run never heard back
    h.target.failCall = null;
    const again = await h.run();
    expect(again.outcome.status).toBe('succeeded');
    expect([...invoicesOnce(h).values()]).toEqual(Array(5).fill(1));
    const recovered = again.entries.filter((e) => e.outcome === 'Matched' && e.recordType === 'Invoice');
    expect(recovered).toHaveLength(3);
    expect(recovered.every((e) => e.message.includes('found in QuickBooks by its Ledgerline marker'))).toBe(true);
  });

  it('then a run stopped by its checkpoint writes back what was confirmed and says why it stopped', async () => {
    const h = seeded(9);
    h.stopAfterCalls = 2 + 1; // customers, products, then one invoice batch
    const { outcome, applied } = await h.run();
    expect(outcome).toEqual({ status: 'failed', error: { code: 'EXPORT_FAILED', message: 'The export stopped: stopped by its checkpoint' } });
    const confirmed = h.target.ofKind('invoice').map((c) => (c.doc as any).sourceId as string);
    expect(confirmed).toHaveLength(3);
    for (const source of confirmed) expect(applied.get(source)).toMatchObject({ kind: 'invoice' });
  });
});

describe('the pipeline, when records of one run are alike', () => {
  it('then two new products with one name share the one item created, each with its entry, and no placeholder is written back', async () => {
    const h = seeded(1);
    h.source.products = [sourceProduct({ id: id('a02', 1), name: 'Widget', sku: null }), sourceProduct({ id: id('a02', 2), name: 'Widget', sku: null })];
    const { outcome, applied, entries } = await h.run();
    expect(outcome.status).toBe('succeeded');
    const items = h.target.ofKind('product');
    expect(items).toHaveLength(1);
    expect(applied.get(id('a02', 1))).toMatchObject({ kind: 'product', targetId: items[0]!.id });
    expect(applied.get(id('a02', 2))).toMatchObject({ kind: 'product', targetId: items[0]!.id });
    expect([...applied.values()].some((u) => 'targetId' in u && /planned/.test(u.targetId))).toBe(false);
    expect(entries.find((e) => e.recordId === id('a02', 2))).toMatchObject({ outcome: 'Matched', message: expect.stringContaining('created in this export') });
  });

  it('then two new customers with one name but other emails and cities share one customer by default, each with an entry and a warning naming both emails', async () => {
    const h = seeded(0);
    h.source.customers = [
      sourceCustomer({
        id: id('a01', 1),
        name: 'Jane Smith',
        email: 'jane@north.example',
        billing: { street: null, city: 'Leeds', state: null, postalCode: null, country: null },
      }),
      sourceCustomer({
        id: id('a01', 2),
        name: 'Jane Smith',
        email: 'jane@south.example',
        billing: { street: null, city: 'Exeter', state: null, postalCode: null, country: null },
      }),
    ];
    const { applied, entries } = await h.run();
    const created = h.target.ofKind('customer');
    expect(created).toHaveLength(1);
    expect(applied.get(id('a01', 2))).toMatchObject({ targetId: created[0]!.id });
    expect(
      entries
        .filter((e) => e.recordId === id('a01', 2))
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['Matched', 'Warning']);
    expect(entries.find((e) => e.recordId === id('a01', 2) && e.outcome === 'Warning')!.message).toMatch(/jane@south\.example.*jane@north\.example/);
  });

  it('then with "never match across different emails" the second customer is created under a name that tells them apart', async () => {
    const h = seeded(0);
    h.source.company = { ...h.source.company, customerMatch: 'sameEmailOnly' };
    h.source.customers = [
      sourceCustomer({ id: id('a01', 1), name: 'Jane Smith', email: 'jane@north.example' }),
      sourceCustomer({ id: id('a01', 2), name: 'Jane Smith', email: 'jane@south.example' }),
    ];
    const { applied } = await h.run();
    const created = h.target.ofKind('customer');
    expect(created.map((c) => (c.doc as any).displayName)).toEqual(['Jane Smith', 'Jane Smith (jane@south.example)']);
    expect(applied.get(id('a01', 2))).toMatchObject({ targetId: created[1]!.id });
  });
});

describe('the pipeline, when invoice numbers are asked for', () => {
  it('then each number it could not export is named with its reason', async () => {
    const h = seeded(2);
    h.source.others = [
      { id: id('a03', 90), number: 'SI-OTHER', companyId: 'a00000000000009AAA', approved: true, transferred: false },
      { id: id('a03', 91), number: 'SI-DRAFT', companyId: h.source.company.id, approved: false, transferred: false },
      { id: id('a03', 92), number: 'SI-DONE', companyId: h.source.company.id, approved: true, transferred: true },
    ];
    const { outcome, run, entries } = await h.run({ invoiceNumbers: ['SI-000001', 'SI-NOPE', 'SI-OTHER', 'SI-DRAFT', 'SI-DONE'] });
    expect(outcome.status).toBe('completed_with_errors');
    const byNumber = Object.fromEntries(
      entries.filter((e) => e.recordName?.startsWith('SI-') && e.outcome !== 'Created').map((e) => [e.recordName, [e.outcome, e.message]]),
    );
    expect(byNumber).toEqual({
      'SI-NOPE': ['Error', 'Invoice SI-NOPE was not exported: no Sales Invoice has this number.'],
      'SI-OTHER': ['Error', 'Invoice SI-OTHER was not exported: it belongs to another Company than Northwind Trading Co.'],
      'SI-DRAFT': ['Skipped', 'Invoice SI-DRAFT was not exported: it is not approved.'],
      'SI-DONE': ['Skipped', 'Invoice SI-DONE was not exported: it was already transferred to QuickBooks.'],
    });
    expect(run.entries.map((e) => e.recordName)).toEqual(expect.arrayContaining(['SI-NOPE', 'SI-OTHER', 'SI-DRAFT', 'SI-DONE']));
    expect(h.target.ofKind('invoice')).toHaveLength(1);
  });
});

describe('the pipeline, as a dry run', () => {
  it('then the plan holds a decision for every record and nothing is sent or written', async () => {
    const h = seeded(3);
    h.source.invoices.push(invoiceFor(4, { lines: [sourceLine({ id: id('a04', 4), productId: id('a02', 2), quantity: -1 })] }));
    const { run, outcome } = await h.run({ dryRun: true });
    expect(outcome.status).toBe('completed_with_errors');
    expect(h.target.calls).toEqual([]);
    expect(h.writeBack).toBeUndefined();
    expect(run.plan.totals).toEqual({
      customers: { match: 0, create: 2, rename: 0, fail: 0 },
      products: { match: 0, create: 2, rename: 0, fail: 0 },
      invoices: { match: 0, create: 3, rename: 0, fail: 1 },
      payments: { match: 0, create: 0, rename: 0, fail: 0 },
    });
    expect(run.plan.decisions.find((d) => d.recordId === id('a03', 4))).toMatchObject({
      recordType: 'Invoice',
      action: 'fail',
      message: expect.stringContaining('negative quantity (-1)'),
    });
    expect(run.plan.decisions).toHaveLength(2 + 2 + 4);
  });
});

describe('the pipeline, with a target that takes work when its connector asks', () => {
  it('then every invoice is marked pending before anything else, and one un-pended meanwhile is not sent', async () => {
    const h = seeded(3);
    (h.target as { deliversLater?: boolean }).deliversLater = true;
    // The queue is read again when invoices are planned: the user took SI-000002 back in between.
    const pendingAtPlan = new Set([id('a03', 1), id('a03', 3)]);
    h.source.invoices = h.source.invoices.map((i) => ({ ...i, exportStatus: pendingAtPlan.has(i.id) ? 'Pending Sync' : 'Not Exported' }));
    const { outcome, entries } = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(h.writeBack.history[0]).toEqual(h.source.invoices.map((i) => ({ kind: 'invoicePending', subject: { id: i.id, name: i.number } })));
    expect([...invoicesOnce(h).keys()].sort()).toEqual([...pendingAtPlan].sort());
    expect(entries.find((e) => e.recordId === id('a03', 2))).toMatchObject({ outcome: 'Skipped', message: expect.stringContaining('un-pended') });
  });
});

describe('the pipeline, when a queued invoice is taken back before the target took it', () => {
  it('then it is skipped as un-pended, with no error and nothing written back for it', async () => {
    const h = seeded(3);
    (h.target as { deliversLater?: boolean }).deliversLater = true;
    h.source.invoices = h.source.invoices.map((i) => ({ ...i, exportStatus: 'Pending Sync' }));
    h.target.refuse = (kind, doc) => (kind === 'invoice' && doc.sourceId === id('a03', 2) ? { class: 'withdrawn', message: 'taken off the queue' } : null);
    const { outcome, applied, entries } = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(entries.filter((e) => e.recordId === id('a03', 2)).map((e) => [e.outcome, e.level])).toEqual([['Skipped', 'WARN']]);
    // The pending mark of the first commit is the last thing the run wrote for it: no Error status.
    expect(applied.get(id('a03', 2))).toEqual({ kind: 'invoicePending', subject: { id: id('a03', 2), name: 'SI-000002' } });
    expect(h.journal.rows.get(`${h.source.company.id}|invoice|${id('a03', 2)}`)).toMatchObject({ state: 'failed' });
  });
});

describe('the pipeline, when a run resumes the queue of a pull-based target', () => {
  it('then only the invoices still pending are sent, and none is marked pending again', async () => {
    const h = seeded(3);
    (h.target as { deliversLater?: boolean }).deliversLater = true;
    h.source.invoices = h.source.invoices.map((i) => ({ ...i, exportStatus: i.id === id('a03', 2) ? 'Not Exported' : 'Pending Sync' }));
    const { outcome, entries } = await h.run({ pendingOnly: true });
    expect(outcome.status).toBe('succeeded');
    expect([...invoicesOnce(h).keys()].sort()).toEqual([id('a03', 1), id('a03', 3)]);
    expect(h.writeBack.history.flat().some((u) => u.kind === 'invoicePending')).toBe(false);
    expect(entries.some((e) => e.recordId === id('a03', 2))).toBe(false);
  });
});

/** `seeded`, with payments exported and one payment on the first invoice. */
function withPayment(n = 2, over: Partial<SourcePayment> = {}): Harness {
  const h = seeded(n);
  h.source.company = { ...h.source.company, exportsPayments: true };
  const invoice = h.source.invoices[0]!;
  h.source.payments = [
    {
      id: id('a05', 1),
      name: 'PAY-1',
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      invoiceTargetId: null,
      customerId: invoice.customerId,
      customerTargetId: null,
      amount: 10,
      date: '2026-10-02',
      paidAt: null,
      method: null,
      reference: 'TXN-1',
      ...over,
    },
  ];
  return h;
}

const matchedHow = (entries: LogEntry[], recordId: string) => entries.filter((e) => e.recordId === recordId && e.outcome === 'Matched').map((e) => e.message);

describe('the pipeline, when an earlier run settled a record', () => {
  it('then every kind is linked again by the journal, and one whose QuickBooks record is gone is decided again', async () => {
    const h = withPayment(2);
    await h.run();
    const calls = h.target.calls.length;
    const again = await h.run();
    expect(h.target.calls.length).toBe(calls);
    for (const recordId of [id('a01', 1), id('a02', 1), id('a03', 1), id('a05', 1)]) {
      expect({ recordId, how: matchedHow(again.entries, recordId) }).toEqual({ recordId, how: [expect.stringContaining('created by an earlier export')] });
    }
    // Someone deleted the customer and an item in QuickBooks: they are created again, the rest stays linked.
    const ada = h.target.ofKind('customer').find((c) => (c.doc as any).displayName === 'Ada Lovelace')!;
    const shaft = h.target.ofKind('product').find((c) => (c.doc as any).name === 'Steel Shaft')!;
    h.target.created.splice(h.target.created.indexOf(ada), 1);
    h.target.created.splice(h.target.created.indexOf(shaft), 1);
    const third = await h.run();
    expect(third.outcome.status).toBe('succeeded');
    expect(
      third.entries
        .filter((e) => e.outcome === 'Created')
        .map((e) => e.recordId)
        .sort(),
    ).toEqual([id('a01', 1), id('a02', 2)]);
    expect(third.applied.get(id('a01', 1))).toMatchObject({
      targetId: h.target.ofKind('customer').find((c) => (c.doc as any).displayName === 'Ada Lovelace')!.id,
    });
  });

  it('then a customer or product whose link a user cleared is decided again, not re-linked by the journal', async () => {
    const h = seeded(0);
    await h.run();
    const [ada] = h.source.customers;
    const [gear] = h.source.products;
    const first = { ada: ada!.targetId, gear: gear!.targetId };
    // Renamed in QuickBooks since (another email, another SKU): a fresh decision matches neither, so it creates anew.
    h.target.created.find((c) => c.id === first.ada)!.doc = { displayName: 'Ada L. (old)', email: 'old@example.com' } as any;
    h.target.created.find((c) => c.id === first.gear)!.doc = { name: 'Old gear', sku: 'OLD-1', type: 'NonInventory' } as any;
    ada!.targetId = null;
    gear!.targetId = null;
    const { applied, entries } = await h.run();
    expect(
      entries
        .filter((e) => e.outcome === 'Created')
        .map((e) => e.recordId)
        .sort(),
    ).toEqual([ada!.id, gear!.id]);
    expect(applied.get(ada!.id)).toMatchObject({ targetId: expect.not.stringMatching(`^${first.ada}$`) });
    expect(applied.get(gear!.id)).toMatchObject({ targetId: expect.not.stringMatching(`^${first.gear}$`) });
  });

  it('then a link the journal keeps is decided again once the company never matches across different emails', async () => {
    const h = seeded(0);
    // The customer ids of this company live in the journal only (another QuickBooks file keeps the Salesforce field).
    h.source.company = { ...h.source.company, customerIdsShared: true };
    h.target.customers.push({ id: '7', displayName: 'Jane Smith', email: 'jane@north.example' });
    h.source.customers = [sourceCustomer({ id: id('a01', 5), name: 'Jane Smith', firstName: 'Jane', lastName: 'Smith', email: 'jane@south.example' })];
    const merged = await h.run();
    expect(merged.applied.get(id('a01', 5))).toMatchObject({ targetId: '7' });
    h.source.company = { ...h.source.company, customerMatch: 'sameEmailOnly' };
    const { applied } = await h.run();
    const [own] = h.target.ofKind('customer');
    expect(own!.doc).toMatchObject({ displayName: 'Jane Smith (jane@south.example)', email: 'jane@south.example' });
    expect(applied.get(id('a01', 5))).toMatchObject({ targetId: own!.id });
  });

  it('then customers merged by name in one run are told apart by doing what the warning says: the setting, the second’s link cleared, export again', async () => {
    const h = seeded(0);
    h.source.customers = [
      sourceCustomer({ id: id('a01', 1), name: 'Jane Smith', email: 'jane@north.example' }),
      sourceCustomer({ id: id('a01', 2), name: 'Jane Smith', email: 'jane@south.example' }),
    ];
    const merged = await h.run();
    const [first] = h.target.ofKind('customer');
    expect(merged.applied.get(id('a01', 2))).toMatchObject({ targetId: first!.id });
    // Left as it is, the merge stands: the journal links it again.
    expect((await h.run()).applied.get(id('a01', 2))).toMatchObject({ targetId: first!.id });
    h.source.company = { ...h.source.company, customerMatch: 'sameEmailOnly' };
    h.source.customers[1]!.targetId = null;
    const { applied, entries } = await h.run();
    const created = h.target.ofKind('customer');
    expect(created.map((c) => (c.doc as any).displayName)).toEqual(['Jane Smith', 'Jane Smith (jane@south.example)']);
    expect(applied.get(id('a01', 2))).toMatchObject({ targetId: created[1]!.id });
    expect(applied.get(id('a01', 1))).toMatchObject({ targetId: first!.id });
    expect(entries.filter((e) => e.recordId === id('a01', 2)).map((e) => e.outcome)).toEqual(['Renamed', 'Created']);
    // And the next run keeps them apart.
    const after = await h.run();
    expect(h.target.ofKind('customer')).toHaveLength(2);
    expect(after.applied.get(id('a01', 2))).toMatchObject({ targetId: created[1]!.id });
  });

  it('then a customer’s link cleared while the company still matches across emails is decided again, and matched to the same customer', async () => {
    const h = seeded(0);
    h.source.customers = [
      sourceCustomer({ id: id('a01', 1), name: 'Jane Smith', email: 'jane@north.example' }),
      sourceCustomer({ id: id('a01', 2), name: 'Jane Smith', email: 'jane@south.example' }),
    ];
    await h.run();
    const [first] = h.target.ofKind('customer');
    h.source.customers[1]!.targetId = null;
    const { applied, entries } = await h.run();
    expect(h.target.ofKind('customer')).toHaveLength(1);
    expect(applied.get(id('a01', 2))).toMatchObject({ targetId: first!.id });
    // Matched by name again, not by the journal: the warning is said again.
    expect(entries.filter((e) => e.recordId === id('a01', 2)).map((e) => e.outcome)).toEqual(['Matched', 'Warning']);
    expect(matchedHow(entries, id('a01', 2))).not.toEqual([expect.stringContaining('created by an earlier export')]);
  });

  it('then a credit applied to its invoice is linked again by the journal, and one whose answer was lost is found by its marker', async () => {
    const h = seeded(2);
    h.source.company = { ...h.source.company, exportsPayments: true };
    const [invoice] = h.source.invoices;
    const memo = invoiceFor(9, {
      customerId: invoice!.customerId,
      credit: true,
      total: -5,
      lines: [sourceLine({ id: id('a04', 9), productId: id('a02', 1), quantity: 1, unitPrice: 5 })],
    });
    h.source.invoices.push(memo);
    h.source.applications = [
      {
        id: memo.id,
        number: memo.number,
        creditTargetId: null,
        customerId: memo.customerId,
        customerTargetId: null,
        total: -5,
        invoiceId: invoice!.id,
        invoiceNumber: invoice!.number,
        invoiceCustomerId: invoice!.customerId,
        invoiceTargetId: null,
      },
    ];
    h.target.failCall = { kind: 'payment', n: 1, fault: { class: 'transient', message: 'socket hang up' }, afterCommit: true };
    expect((await h.run()).outcome.status).toBe('failed');
    expect(h.target.ofKind('payment')).toHaveLength(1);
    h.target.failCall = null;
    // The invoices are transferred now: the application alone comes again.
    h.source.invoices = [];
    const found = await h.run();
    expect(found.outcome.status).toBe('succeeded');
    const [applied] = h.target.ofKind('payment');
    expect(h.target.ofKind('payment')).toHaveLength(1);
    expect(matchedHow(found.entries, memo.id)).toEqual([expect.stringContaining('found in QuickBooks by its Ledgerline marker')]);
    expect(found.applied.get(memo.id)).toMatchObject({ kind: 'creditApplied', targetId: applied!.id });
    const again = await h.run();
    expect(h.target.ofKind('payment')).toHaveLength(1);
    expect(matchedHow(again.entries, memo.id)).toEqual([expect.stringContaining('created by an earlier export')]);
    expect(again.applied.get(memo.id)).toMatchObject({ kind: 'creditApplied', targetId: applied!.id });
  });

  it('then a payment whose answer was lost is found by its marker and sent once', async () => {
    const h = withPayment(1);
    h.target.failCall = { kind: 'payment', n: 1, fault: { class: 'transient', message: 'socket hang up' }, afterCommit: true };
    expect((await h.run()).outcome.status).toBe('failed');
    h.target.failCall = null;
    const again = await h.run();
    expect(again.outcome.status).toBe('succeeded');
    expect(h.target.ofKind('payment')).toHaveLength(1);
    expect(matchedHow(again.entries, id('a05', 1))).toEqual([expect.stringContaining('found in QuickBooks by its Ledgerline marker')]);
    expect(again.applied.get(id('a05', 1))).toMatchObject({ kind: 'payment', targetId: h.target.ofKind('payment')[0]!.id });
  });

  it('then a till payment whose sales receipt an interrupted run sent is linked to the receipt, now and in later runs, and never sent as a payment', async () => {
    const h = withPayment(1, { amount: 25, paidAt: '2026-10-01T09:00:00Z' });
    h.source.company = { ...h.source.company, salesReceipts: true };
    h.source.invoices[0] = {
      ...h.source.invoices[0]!,
      payments: [{ id: id('a05', 1), amount: 25, date: null, paidAt: '2026-10-01T09:00:00Z', reference: 'TXN-1' }],
    };
    h.target.failCall = { kind: 'invoice', n: 1, fault: { class: 'transient', message: 'socket hang up' }, afterCommit: true };
    expect((await h.run()).outcome.status).toBe('failed');
    const [receipt] = h.target.ofKind('invoice');
    expect(receipt!.doc).toMatchObject({ form: 'salesReceipt' });
    h.target.failCall = null;
    // Salesforce takes the receipt's link but not the payment's this time.
    h.refuseWriteBack.set(id('a05', 1), 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record');
    const second = await h.run();
    expect(h.target.ofKind('payment')).toEqual([]);
    expect(second.applied.get(id('a03', 1))).toMatchObject({ kind: 'invoice', targetId: receipt!.id });
    expect(second.entries.filter((e) => e.recordType === 'Payment' && e.level === 'ERROR').map((e) => e.message)).toEqual([
      expect.stringContaining('Salesforce refused to save the QuickBooks link on TXN-1'),
    ]);
    // The invoice is transferred now: only the payment comes again, and the receipt's journal entry says it carried it.
    h.refuseWriteBack.clear();
    h.source.invoices = [];
    const third = await h.run();
    expect(third.outcome.status).toBe('succeeded');
    expect(h.target.ofKind('payment')).toEqual([]);
    expect(third.applied.get(id('a05', 1))).toEqual({ kind: 'payment', subject: { id: id('a05', 1), name: 'PAY-1' }, targetId: receipt!.id });
    expect(third.entries.filter((e) => e.recordId === id('a05', 1)).map((e) => [e.level, e.message])).toEqual([
      ['INFO', `Payment PAY-1 is in QuickBooks as part of sales receipt ${receipt!.id}: its invoice was paid in full at the sale.`],
    ]);
  });
});
