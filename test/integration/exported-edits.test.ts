// An invoice edited in Salesforce after its export, end to end over HTTP against both emulators: by default the next
// export warns naming the field and both values; with the company's "When an exported invoice changes" set to
// "Update QuickBooks" it updates the QuickBooks invoice — once more after QuickBooks' own 5010 stale-object fault
// (a payment received in QuickBooks meanwhile), and never below the payments applied to it.
import type { DemoStack } from '../../scripts/demo-stack';
import { exportCli } from '../support/cli';
import { desktopInvoices, drain, exportQueued, startDesktopStack, type DesktopStack } from '../support/desktop';
import { logOf, sfWrite } from '../support/sf';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

describe('when an exported invoice’s line is changed in Salesforce', () => {
  let stack: DemoStack;
  let companyId: string;
  let realmId: string;
  let invoice: { id: string; name: string; qboId: string };
  let line: { id: string; quantity: number; unitPrice: number };

  const qboInvoice = async () => (await qboEntities(stack, realmId, 'Invoice')).find((i) => i.Id === invoice.qboId);
  const setQuantity = (quantity: number) => sfWrite(stack, 'PATCH', [{ attributes: { type: 'Sales_Invoice_Line__c' }, Id: line.id, Quantity__c: quantity }]);
  const entriesAbout = (run: any) => (run.entries as any[]).filter((e) => e.recordId === invoice.id);
  const quantityOf = (qbo: any) => qbo.Line.find((l: any) => l.DetailType === 'SalesItemLineDetail').SalesItemLineDetail.Qty;

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 4 });
    companyId = stack.primaryCompanyId;
    realmId = stack.data.facts.realmIds.primary;
    const first = await exportAndWait(stack, companyId);
    expect(first.error).toBeNull();
    // An exported invoice and its first line (QuickBooks keeps the lines in that order).
    const lines = (await sfRecords(stack, 'Sales_Invoice_Line__c')).sort((a, b) => Number(a.Line_Number__c) - Number(b.Line_Number__c));
    const exported = (await sfRecords(stack, 'Sales_Invoice__c')).filter(
      (i) => i.Company__c === companyId && i.Transferred__c === true && i.Financial_System_Invoice_Id__c && i.Invoice_Type__c !== 'Credit Memo',
    );
    const chosen = exported.find((i) => lines.some((l) => l.Sales_Invoice__c === i.Id))!;
    const own = lines.find((l) => l.Sales_Invoice__c === chosen.Id)!;
    invoice = { id: chosen.Id, name: chosen.Name, qboId: chosen.Financial_System_Invoice_Id__c };
    line = { id: own.Id, quantity: Number(own.Quantity__c), unitPrice: Number(own.Unit_Price__c) };
    expect(quantityOf(await qboInvoice())).toBe(line.quantity);
  });
  afterAll(() => stack?.close());

  it('then by default the next export warns, naming the line’s quantity in Salesforce and in QuickBooks, and leaves QuickBooks alone', async () => {
    const before = await qboInvoice();
    await setQuantity(line.quantity + 1);
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    const [warning, ...others] = entriesAbout(run);
    expect(others).toEqual([]);
    expect(warning).toMatchObject({ level: 'WARN', outcome: 'Warning', targetId: invoice.qboId });
    expect(warning.message).toContain(`Line 1 quantity: Salesforce ${line.quantity + 1}, QuickBooks ${line.quantity}`);
    expect(warning.fix).toContain('"When an exported invoice changes"');
    expect(await qboInvoice()).toEqual(before);
    // Warned once per change: an export with nothing new says nothing more of it.
    expect(entriesAbout(await exportAndWait(stack, companyId))).toEqual([]);
  });

  it('then with "Update QuickBooks" a dry run says what it would do, and the export updates the QuickBooks invoice with its SyncToken', async () => {
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: companyId, Exported_Invoice_Changes__c: 'Update QuickBooks' }]);
    await setQuantity(line.quantity + 2);
    const before = await qboInvoice();

    const dry = await exportAndWait(stack, companyId, { dryRun: true });
    expect(dry.error).toBeNull();
    const [planned] = entriesAbout(dry);
    expect(planned.message).toBe(
      `Invoice ${invoice.name} changed in Salesforce after it was exported; an export would update QuickBooks invoice ${invoice.qboId} to match ` +
        `(Line 1 quantity: Salesforce ${line.quantity + 2}, QuickBooks ${line.quantity}).`,
    );
    // The command line's dry run says it too, under the warnings.
    const cli = await exportCli(stack, ['--company', companyId, '--dry-run']);
    expect(cli.stdout.split('Warnings:\n')[1]).toContain(`  ${invoice.name}: ${planned.message}`);
    expect(await qboInvoice()).toEqual(before);

    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    expect(entriesAbout(run).map((e: any) => e.message)).toEqual([
      `Invoice ${invoice.name} changed in Salesforce after it was exported; QuickBooks invoice ${invoice.qboId} was updated to match ` +
        `(Line 1 quantity: Salesforce ${line.quantity + 2}, QuickBooks ${line.quantity}).`,
    ]);
    const after = await qboInvoice();
    expect(quantityOf(after)).toBe(line.quantity + 2);
    expect(Number(after.SyncToken)).toBe(Number(before.SyncToken) + 1);
    expect(after.DocNumber).toBe(before.DocNumber);
    expect(after.PrivateNote).toBe(before.PrivateNote);
    // What was sent is the new fingerprint: the next export has nothing to say about it.
    expect(entriesAbout(await exportAndWait(stack, companyId))).toEqual([]);
  });

  it('then after a payment received in QuickBooks the update meets 5010, reads the invoice again and goes through once more', async () => {
    // What an export with nothing edited sends of invoices (the seeded number collision is tried again each time).
    await admin(stack.qboUrl, 'POST', '/stats/reset');
    expect((await exportAndWait(stack, companyId)).error).toBeNull();
    const baseline = (await admin(stack.qboUrl, 'GET', '/stats')).batchItemsByEntity.Invoice ?? 0;
    const paid = await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: invoice.qboId, amount: line.unitPrice });
    expect(paid.Id).toBeTruthy();
    const before = await qboInvoice();
    await setQuantity(line.quantity + 3);
    await admin(stack.qboUrl, 'POST', '/stats/reset');
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    expect(entriesAbout(run).map((e: any) => [e.level, e.message])).toEqual([
      [
        'WARN',
        `Invoice ${invoice.name} changed in Salesforce after it was exported; QuickBooks invoice ${invoice.qboId} was updated to match ` +
          `(Line 1 quantity: Salesforce ${line.quantity + 3}, QuickBooks ${line.quantity + 2}).`,
      ],
    ]);
    const after = await qboInvoice();
    expect(quantityOf(after)).toBe(line.quantity + 3);
    expect(Number(after.SyncToken)).toBe(Number(before.SyncToken) + 1);
    // What was paid (the exported payments and this one) stays applied to the new total.
    expect(after.Balance).toBeCloseTo(after.TotalAmt - (before.TotalAmt - before.Balance), 2);
    // Two update batches (the stale one and its retry) around one read of the invoice.
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    expect(stats.batchItemsByEntity.Invoice).toBe(baseline + 2);
  });

  it('then an edit that takes the total below what is paid in QuickBooks is refused with an ERROR and its fix, and QuickBooks keeps its invoice', async () => {
    const open = await qboInvoice();
    expect(open.Balance).toBeGreaterThan(0);
    await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: invoice.qboId });
    const before = await qboInvoice();
    expect(before.Balance).toBe(0);
    await setQuantity(1);
    const run = await exportAndWait(stack, companyId);
    expect(run.status).toBe('completed_with_errors');
    const [refused, ...others] = entriesAbout(run);
    expect(others).toEqual([]);
    expect(refused).toMatchObject({ level: 'ERROR', outcome: 'Error', targetId: invoice.qboId });
    // The new total is what QuickBooks would compute (one line fewer by quantity); what is paid is read from QuickBooks now.
    const newTotal = Number(open.TotalAmt) - (line.quantity + 2) * line.unitPrice;
    const [, said] = /its new total (\d+\.\d\d)/.exec(refused.message)!;
    expect(Number(said)).toBeCloseTo(newTotal, 1);
    expect(refused.message).toContain(`less than the ${Number(before.TotalAmt).toFixed(2)} already paid`);
    expect(refused.fix).toMatch(/payment applied in QuickBooks/);
    expect(await qboInvoice()).toEqual(before);
    const log = await logOf(stack, companyId, run.processLogId);
    expect(log.entries.some((e: any) => e.recordId === invoice.id && e.level === 'ERROR')).toBe(true);
  });
  it('then a payment changed after its export is warned about once, naming the amount in Salesforce and in QuickBooks, and QuickBooks keeps it', async () => {
    // A payment exported as a QuickBooks payment (not one carried in a sales receipt).
    const inQuickBooks = new Set((await qboEntities(stack, realmId, 'Payment')).map((p) => p.Id));
    const payment = (await sfRecords(stack, 'Payment__c')).find((p) => inQuickBooks.has(p.Financial_System_Payment_Id__c) && p.From_QuickBooks__c !== true)!;
    const held = async () => (await qboEntities(stack, realmId, 'Payment')).find((p) => p.Id === payment.Financial_System_Payment_Id__c);
    const before = await held();
    const amount = Number(payment.Amount__c);
    await sfWrite(stack, 'PATCH', [{ attributes: { type: 'Payment__c' }, Id: payment.Id, Amount__c: amount + 1 }]);
    const run = await exportAndWait(stack, companyId);
    const about = (run.entries as any[]).filter((e) => e.recordId === payment.Id);
    expect(about.map((e) => [e.level, e.recordType, e.message])).toEqual([
      [
        'WARN',
        'Payment',
        `Payment ${payment.Name} changed in Salesforce after it was exported; QuickBooks payment ${payment.Financial_System_Payment_Id__c} still holds ` +
          `what was sent (Amount: Salesforce ${(amount + 1).toFixed(2)}, QuickBooks ${amount.toFixed(2)}).`,
      ],
    ]);
    expect(await held()).toEqual(before);
    expect((await exportAndWait(stack, companyId)).entries.filter((e: any) => e.recordId === payment.Id)).toEqual([]);
  });
});

describe('when QuickBooks Desktop accepted an invoice and it is edited in Salesforce', () => {
  let d: DesktopStack;
  let accepted: any;
  let line: any;

  beforeAll(async () => {
    d = await startDesktopStack();
    const { run } = await drain(d, await exportQueued(d));
    expect(run.error).toBeNull();
    // Even set to update QuickBooks, an invoice QuickBooks Desktop accepted is never changed there.
    await sfWrite(d.stack, 'PATCH', [{ attributes: { type: 'Company__c' }, Id: d.companyId, Exported_Invoice_Changes__c: 'Update QuickBooks' }]);
    const lines = await sfRecords(d.stack, 'Sales_Invoice_Line__c');
    accepted = (await desktopInvoices(d)).find(
      (i) => i.Transferred__c === true && i.Invoice_Type__c !== 'Credit Memo' && lines.some((l) => l.Sales_Invoice__c === i.Id),
    );
    line = lines.find((l) => l.Sales_Invoice__c === accepted.Id);
  });
  afterAll(() => d?.stack.close());

  it('then Salesforce refuses the edit of its line (the lock), while the status sync may still write what QuickBooks holds', async () => {
    await expect(
      sfWrite(d.stack, 'PATCH', [{ attributes: { type: 'Sales_Invoice_Line__c' }, Id: line.Id, Quantity__c: Number(line.Quantity__c) + 1 }]),
    ).rejects.toThrow(/FIELD_CUSTOM_VALIDATION_EXCEPTION.*QuickBooks Desktop accepted this invoice, so its lines are locked in Salesforce/);
    await sfWrite(d.stack, 'PATCH', [
      { attributes: { type: 'Sales_Invoice__c' }, Id: accepted.Id, QuickBooks_Balance__c: 1, Paid_Status__c: 'Partially Paid' },
    ]);
    const saved = (await sfRecords(d.stack, 'Sales_Invoice_Line__c')).find((l) => l.Id === line.Id);
    expect(saved.Quantity__c).toBe(line.Quantity__c);
  });

  it('then a change that reached Salesforce anyway (made before the lock was deployed) is reported, never sent to QuickBooks Desktop', async () => {
    const before = [...d.file.invoices.values()].find((i) => String(i.Memo).includes(accepted.Id));
    expect(before).toBeDefined();
    // The admin seed writes as a data load would, without the org's validation rules.
    await admin(d.stack.sfUrl, 'POST', '/seed', { records: { Sales_Invoice_Line__c: [{ Id: line.Id, Quantity__c: Number(line.Quantity__c) + 1 }] } });
    const started = await api<{ runId: string }>(d.stack, 'POST', `/api/companies/${d.companyId}/exports`, {});
    const { run } = await drain(d, started.body.runId);
    expect(run.error).toBeNull();
    const about = (run.entries as any[]).filter((e) => e.recordId === accepted.Id);
    expect(about).toHaveLength(1);
    expect(about[0]).toMatchObject({ level: 'WARN', outcome: 'Warning' });
    expect(about[0].message).toContain(`Line 1 quantity: Salesforce ${Number(line.Quantity__c) + 1}, QuickBooks ${line.Quantity__c}`);
    expect(about[0].message).toContain('locked and is never updated by an export');
    const after = [...d.file.invoices.values()].find((i) => String(i.Memo).includes(accepted.Id));
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
  });
});
