// Payments the Payments count and the dry run promise are the payments an export sends: none of an invoice the
// company's Invoice Status Filter leaves out, and every one of an invoice the run creates. End to end over HTTP
// against both emulators.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { logOf, sf, sfWrite } from '../support/sf';
import { api, exportAndWait, qboEntities, startTestStack } from '../support/stack';

const PAYMENTS = 'Invoices and Payments When Paid';
let serial = 0;

// One stack for the file: each case sets the company's options it needs and writes records of its own.
let stack: DemoStack;
// A busy machine can take more than the default minute to start it.
beforeAll(async () => {
  stack = await startTestStack({ invoices: 4 });
}, 180_000);
afterAll(() => stack?.close());

async function company(fields: Record<string, unknown>): Promise<string> {
  const companyId = stack.primaryCompanyId;
  await sfWrite(stack, 'PATCH', [sf('Company__c', { Id: companyId, Export_Mode__c: PAYMENTS, Deposit_Account_Id__c: '35', ...fields })]);
  return companyId;
}

/** One approved invoice of a new customer, with payments of these amounts. */
async function invoice(companyId: string, total: number, payments: number[], extra: Record<string, unknown> = {}) {
  const product = stack.data.salesforce.records.Product__c!.find((p) => p.Company__c === companyId && p.Product_Type__c === 'Service')!;
  const [customerId] = await sfWrite(stack, 'POST', [sf('Customer__c', { Name: `Planned Payer ${++serial}`, Email__c: `planned${serial}@example.com` })]);
  const name = `SI-F${String(++serial).padStart(5, '0')}`;
  const [id] = await sfWrite(stack, 'POST', [
    sf('Sales_Invoice__c', {
      Name: name,
      Company__c: companyId,
      Customer__c: customerId,
      Approved__c: true,
      Invoice_Date__c: '2026-11-02',
      Total_Amount__c: total,
      ...extra,
    }),
  ]);
  await sfWrite(stack, 'POST', [
    sf('Sales_Invoice_Line__c', { Sales_Invoice__c: id, Product__c: product.Id, Line_Number__c: 1, Quantity__c: 1, Unit_Price__c: total }),
  ]);
  const paymentIds = await sfWrite(
    stack,
    'POST',
    payments.map((amount, i) =>
      sf('Payment__c', { Sales_Invoice__c: id, Amount__c: amount, Reference__c: `${name}-R${i + 1}`, Payment_Date__c: '2026-11-03' }),
    ),
  );
  return { id: id!, name, paymentIds: paymentIds as string[] };
}

const paymentsCount = async (companyId: string): Promise<number> => (await api(stack, 'GET', `/api/companies/${companyId}/summary`)).body.counts.payments;

describe('when a paid-for invoice is left out by the company’s Invoice Status Filter', () => {
  it('then its payment is neither counted nor logged, and the payment of an invoice the filter lets go is sent', async () => {
    const companyId = await company({ Invoice_Status_Filter__c: 'Paid' });
    // What the demo's records leave to export once a run has settled them (the summary reads afresh after a run).
    expect((await exportAndWait(stack, companyId)).error).toBeNull();
    const left = await paymentsCount(companyId);
    const open = await invoice(companyId, 40, [40], { Status__c: 'Open' });
    const paid = await invoice(companyId, 30, [30], { Status__c: 'Paid' });

    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    // The run's Payments bar counts the payment of the invoice the filter lets go, and only it.
    expect(run.progress.payments.total - left).toBe(1);
    const log = await logOf(stack, companyId, run.processLogId);
    expect(log.entries.filter((e: any) => e.recordId === open.paymentIds[0])).toEqual([]);
    expect(log.entries.filter((e: any) => e.recordId === paid.paymentIds[0]).map((e: any) => e.outcome)).toEqual(['Created']);
    const sent = (await qboEntities(stack, stack.data.facts.realmIds.primary, 'Payment')).filter((p) =>
      [...open.paymentIds, ...paid.paymentIds].includes(readMarker(p.PrivateNote) ?? ''),
    );
    expect(sent.map((p) => readMarker(p.PrivateNote))).toEqual(paid.paymentIds);
    // The page's Payment Export Qty does not hold the payment the filter leaves out.
    expect(await paymentsCount(companyId)).toBe(left);
  });
});

describe('when a dry run plans invoices that have payments', () => {
  it('then their payments are planned as created, and the export creates exactly as many payments as the dry run said', async () => {
    const companyId = await company({ Invoice_Status_Filter__c: null });
    const first = await invoice(companyId, 100, [25, 75]);
    const second = await invoice(companyId, 60, [60]);
    const mine = [...first.paymentIds, ...second.paymentIds];

    const dry = await exportAndWait(stack, companyId, { dryRun: true });
    expect(dry.error).toBeNull();
    const planned = mine.map((id) => dry.plan.decisions.find((d: any) => d.recordId === id));
    expect(planned.map((d: any) => [d?.recordType, d?.action])).toEqual(mine.map(() => ['Payment', 'create']));

    const realmId = stack.data.facts.realmIds.primary;
    const held = (await qboEntities(stack, realmId, 'Payment')).length;
    const run = await exportAndWait(stack, companyId);
    expect(run.error).toBeNull();
    const created = (await qboEntities(stack, realmId, 'Payment')).length - held;
    expect(created).toBe(dry.plan.totals.payments.create);
    const sent = (await qboEntities(stack, realmId, 'Payment')).map((p) => readMarker(p.PrivateNote));
    expect(mine.filter((id) => sent.includes(id))).toEqual(mine);
  });
});
