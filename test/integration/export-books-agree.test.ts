// Books that agree: every Salesforce record ends on its own QuickBooks record (or the Process Log says why), end to
// end over HTTP against both emulators.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { logOf, qboApi, sf, sfWrite } from '../support/sf';
import { exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

const PAYMENTS = 'Invoices and Payments When Paid';
let serial = 0;

// One stack for the file: each case writes records of its own.
let stack: DemoStack;
// A busy machine can take more than the default minute to start it.
beforeAll(async () => {
  stack = await startTestStack({ invoices: 4 });
}, 180_000);
afterAll(() => stack?.close());

describe('when a second payment of an invoice reuses the first one’s bank reference', () => {
  it('then it is a QuickBooks payment of its own under a numbered reference, with a warning naming both, and the invoice is paid', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    await sfWrite(stack, 'PATCH', [sf('Company__c', { Id: companyId, Export_Mode__c: PAYMENTS, Deposit_Account_Id__c: '35' })]);
    const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId && p.Product_Type__c === 'Service')!;
    const [customerId] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: `Reuser ${++serial}`, Email__c: `reuser${serial}@example.com` })]);
    const name = `SI-R${String(++serial).padStart(5, '0')}`;
    const [invoiceId] = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', {
        Name: name,
        Company__c: companyId,
        Customer__c: customerId,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 100,
      }),
    ]);
    await sfWrite(stack, 'POST', [
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: invoiceId, Product__c: product.Id, Line_Number__c: 1, Quantity__c: 4, Unit_Price__c: 25 }),
    ]);
    const [first] = await sfWrite(stack, 'POST', [
      sf('Payment__c', { Name: 'PAY-R1', Sales_Invoice__c: invoiceId, Amount__c: 25, Reference__c: 'BANK-7731', Payment_Date__c: '2026-11-03' }),
    ]);
    expect((await exportAndWait(stack, companyId)).error).toBeNull();

    const [second] = await sfWrite(stack, 'POST', [
      sf('Payment__c', { Name: 'PAY-R2', Sales_Invoice__c: invoiceId, Amount__c: 75, Reference__c: 'BANK-7731', Payment_Date__c: '2026-11-04' }),
    ]);
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();

    const byMarker = async (sourceId: string) => (await qboEntities(stack, realmId, 'Payment')).filter((p) => readMarker(p.PrivateNote) === sourceId);
    const [a] = await byMarker(first!);
    const [b] = await byMarker(second!);
    expect(b).toBeDefined();
    expect([a.TotalAmt, a.PaymentRefNum, b.TotalAmt, b.PaymentRefNum]).toEqual([25, 'BANK-7731', 75, 'BANK-7731-2']);
    const [qboInvoice] = (await qboEntities(stack, realmId, 'Invoice')).filter((i) => readMarker(i.PrivateNote) === invoiceId);
    expect(qboInvoice.Balance).toBe(0);
    const links = new Map((await sfRecords(stack, 'Payment__c')).map((p) => [p.Id, p.Financial_System_Payment_Id__c]));
    expect([links.get(first!), links.get(second!)]).toEqual([a.Id, b.Id]);

    const log = await logOf(stack, companyId, run.processLogId);
    const entries = log.entries.filter((e: any) => e.recordId === second);
    expect(entries.map((e: any) => e.outcome).sort()).toEqual(['Created', 'Warning']);
    const warning = entries.find((e: any) => e.outcome === 'Warning');
    expect(warning.level).toBe('WARN');
    expect(warning.message).toBe(
      `Payment PAY-R2 (BANK-7731) on invoice ${name} has the reference of QuickBooks payment ${a.Id} (25.00 on 2026-11-03, Salesforce payment ${first}), ` +
        'so it goes to QuickBooks as BANK-7731-2: each Salesforce payment has its own QuickBooks payment.',
    );

    const before = (await qboEntities(stack, realmId, 'Payment')).length;
    expect((await exportAndWait(stack, companyId)).error).toBeNull();
    expect((await qboEntities(stack, realmId, 'Payment')).length).toBe(before);
  });
});

describe('when two new products have one name and different SKUs', () => {
  it('then each is a QuickBooks item of its own, the second named by its SKU, with a warning naming both SKUs', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const product = (sku: string) =>
      sf('Product__c', { Name: 'Copper Flange', SKU__c: sku, Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 4 });
    const [a, b] = await sfWrite(stack, 'POST', [product('CF-12'), product('CF-16')]);
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    const items = (await qboEntities(stack, realmId, 'Item')).filter((i) => i.Name.startsWith('Copper Flange'));
    expect(items.map((i) => [i.Name, i.Sku]).sort((x, y) => x[1].localeCompare(y[1]))).toEqual([
      ['Copper Flange', 'CF-12'],
      ['Copper Flange (CF-16)', 'CF-16'],
    ]);
    const links = new Map((await sfRecords(stack, 'Product__c')).map((p) => [p.Id, p.Financial_System_Product_Id__c]));
    const idOf = (sku: string) => items.find((i) => i.Sku === sku).Id;
    expect([links.get(a!), links.get(b!)]).toEqual([idOf('CF-12'), idOf('CF-16')]);
    const log = await logOf(stack, companyId, run.processLogId);
    const second = log.entries.filter((e: any) => e.recordId === b);
    expect(second.map((e: any) => [e.level, e.outcome])).toEqual([
      ['WARN', 'Renamed'],
      ['INFO', 'Created'],
    ]);
    expect(second[0].message).toBe(
      'Product "Copper Flange" was created in QuickBooks as "Copper Flange (CF-16)" because QuickBooks item "Copper Flange" has SKU CF-12 and this product has SKU CF-16: different SKUs are different products.',
    );
  });
});

describe('when a customer’s email is one QuickBooks customer’s and its name another’s', () => {
  it('then it is linked by email, with a warning naming both candidates', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const byEmail = (
      await qboApi(stack, realmId, 'POST', '/customer', { DisplayName: 'Delgado Holdings', PrimaryEmailAddr: { Address: 'rosa@delgado.example' } })
    ).Customer;
    const byName = (await qboApi(stack, realmId, 'POST', '/customer', { DisplayName: 'Rosa Delgado', PrimaryEmailAddr: { Address: 'rosa.d@other.example' } }))
      .Customer;
    const [id] = await sfWrite(stack, 'POST', [
      sf('Customer__c', { Name: 'Rosa Delgado', First_Name__c: 'Rosa', Last_Name__c: 'Delgado', Email__c: 'rosa@delgado.example' }),
    ]);
    // A company sends the customers its approved invoices need.
    const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId && p.Product_Type__c === 'Service')!;
    const [invoiceId] = await sfWrite(stack, 'POST', [
      sf('Sales_Invoice__c', {
        Name: `SI-D${++serial}`,
        Company__c: companyId,
        Customer__c: id,
        Approved__c: true,
        Invoice_Date__c: '2026-11-02',
        Total_Amount__c: 4,
      }),
    ]);
    await sfWrite(stack, 'POST', [
      sf('Sales_Invoice_Line__c', { Sales_Invoice__c: invoiceId, Product__c: product.Id, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 4 }),
    ]);
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    const link = (await sfRecords(stack, 'Customer__c')).find((c) => c.Id === id)!.Financial_System_Customer_Id__c;
    expect(link).toBe(byEmail.Id);
    const log = await logOf(stack, companyId, run.processLogId);
    const entries = log.entries.filter((e: any) => e.recordId === id);
    expect(entries.map((e: any) => [e.level, e.outcome]).sort()).toEqual([
      ['INFO', 'Matched'],
      ['WARN', 'Warning'],
    ]);
    expect(entries.find((e: any) => e.level === 'WARN').message).toBe(
      `Customer Rosa Delgado (rosa@delgado.example) was matched by email to QuickBooks customer ${byEmail.Id} "Delgado Holdings", but QuickBooks customer ${byName.Id} "Rosa Delgado" has its name: check that the right one was linked.`,
    );
  });
});

describe('when an item is made inactive in QuickBooks after its product was linked to it', () => {
  it('then the dry run and the export refuse the invoice naming the product, the item and the fix', async () => {
    const companyId = stack.primaryCompanyId;
    const realmId = stack.data.facts.realmIds.primary;
    const [productId] = await sfWrite(stack, 'POST', [
      sf('Product__c', { Name: 'Tin Washer', SKU__c: 'TW-8', Company__c: companyId, Product_Type__c: 'Service', Unit_Price__c: 2 }),
    ]);
    const [customerId] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: `Washer Buyer ${++serial}`, Email__c: `washer${serial}@example.com` })]);
    const invoice = async () => {
      const name = `SI-W${String(++serial).padStart(5, '0')}`;
      const [id] = await sfWrite(stack, 'POST', [
        sf('Sales_Invoice__c', {
          Name: name,
          Company__c: companyId,
          Customer__c: customerId,
          Approved__c: true,
          Invoice_Date__c: '2026-11-02',
          Total_Amount__c: 2,
        }),
      ]);
      await sfWrite(stack, 'POST', [
        sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Product__c: productId, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: 2 }),
      ]);
      return { id: id!, name };
    };
    await invoice();
    expect((await exportAndWait(stack, companyId)).error).toBeNull();
    const itemId = (await sfRecords(stack, 'Product__c')).find((p) => p.Id === productId)!.Financial_System_Product_Id__c;
    const [item] = (await qboEntities(stack, realmId, 'Item')).filter((i) => i.Id === itemId);
    await qboApi(stack, realmId, 'POST', '/item', { Id: itemId, SyncToken: item.SyncToken, sparse: true, Active: false });

    const later = await invoice();
    const message = `Invoice ${later.name} was not exported: line 1's product "Tin Washer" is linked to QuickBooks item ${itemId} "Tin Washer (deleted)", which is inactive in QuickBooks.`;
    const fix =
      'Make item "Tin Washer (deleted)" active again in QuickBooks, or clear the QuickBooks link (Financial System Product Id) of product "Tin Washer" in Salesforce so the next export matches or creates its item anew, then export again.';
    const dry = await exportAndWait(stack, companyId, { dryRun: true });
    expect(dry.plan.decisions.find((d: any) => d.recordId === later.id)).toMatchObject({ action: 'fail', message, fix });

    const run = await exportAndWait(stack, companyId);
    const log = await logOf(stack, companyId, run.processLogId);
    expect(log.entries.filter((e: any) => e.recordId === later.id).map((e: any) => [e.level, e.message, e.fix])).toEqual([['ERROR', message, fix]]);
  });
});
