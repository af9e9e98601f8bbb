// The status sync's fault matrix: for each case a QuickBooks user changes an exported invoice (a payment, or a void),
// QuickBooks or Salesforce is broken in one way while the sync reads the changes (Change Data Capture) or writes them
// back, then the faults are cleared and a normal sync runs. After it, nothing is lost (every exported invoice shows
// what QuickBooks holds, every payment received in QuickBooks is in Salesforce) and nothing is counted twice (one
// Payment__c per QuickBooks payment and invoice; the QuickBooks reads counted are the reads QuickBooks answered).
// The matrix, case × held, is written to test-artifacts/status-sync-fault-matrix.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoStack } from '../../scripts/demo-stack';
import { monthOf } from '../../service/src/quickbooks/online/readBudget';
import { readMarker } from '../../service/src/export/marker';
import { admin, api, exportAndWait, qboEntities, sfRecords, startTestStack } from '../support/stack';

interface Case {
  name: string;
  system: 'QuickBooks' | 'Salesforce';
  /** What the QuickBooks user does before the broken sync. */
  change: 'payment' | 'void';
  inject(stack: DemoStack): Promise<unknown>;
  /** How the broken sync ends. */
  first: 'succeeded' | 'failed';
  /** The code it fails with. */
  code?: string;
}

const qbo = (kind: string, count: number) => (stack: DemoStack) => admin(stack.qboUrl, 'POST', '/faults', { kind, count, match: { entity: 'cdc' } });
const sf = (spec: Record<string, unknown>) => (stack: DemoStack) => admin(stack.sfUrl, 'POST', '/faults', spec);

const CASES: Case[] = [
  {
    name: 'QuickBooks 401 (gateway JSON) once during CDC: refreshed and read again',
    system: 'QuickBooks',
    change: 'payment',
    inject: qbo('http401', 1),
    first: 'succeeded',
  },
  {
    name: 'QuickBooks 401 (XML) on every CDC',
    system: 'QuickBooks',
    change: 'payment',
    inject: qbo('http401xml', 1000),
    first: 'failed',
    code: 'QBO_UNAUTHORIZED',
  },
  { name: 'QuickBooks 429 three times during CDC', system: 'QuickBooks', change: 'payment', inject: qbo('http429', 3), first: 'succeeded' },
  { name: 'QuickBooks 429 on every CDC', system: 'QuickBooks', change: 'payment', inject: qbo('http429', 1000), first: 'failed', code: 'QBO_THROTTLED' },
  { name: 'QuickBooks 500 twice during CDC', system: 'QuickBooks', change: 'void', inject: qbo('http500', 2), first: 'succeeded' },
  { name: 'QuickBooks 503 on every CDC', system: 'QuickBooks', change: 'payment', inject: qbo('http503', 1000), first: 'failed', code: 'QBO_UNAVAILABLE' },
  { name: 'QuickBooks connection reset twice during CDC', system: 'QuickBooks', change: 'payment', inject: qbo('reset', 2), first: 'succeeded' },
  {
    name: 'Salesforce 503 on every write of the status and the payment',
    system: 'Salesforce',
    change: 'payment',
    inject: sf({ kind: 'http503', count: 1000, match: { kind: 'composite' } }),
    first: 'failed',
    code: 'SALESFORCE_UNAVAILABLE',
  },
  {
    name: 'Salesforce 503 on every write of a voided invoice’s status',
    system: 'Salesforce',
    change: 'void',
    inject: sf({ kind: 'http503', count: 1000, match: { kind: 'composite' } }),
    first: 'failed',
    code: 'SALESFORCE_UNAVAILABLE',
  },
  {
    name: 'Salesforce saves the payment from QuickBooks, the answer is lost',
    system: 'Salesforce',
    change: 'payment',
    inject: sf({ kind: 'answerLost', count: 1, match: { method: 'POST', kind: 'composite' } }),
    first: 'failed',
    code: 'SALESFORCE_UNAVAILABLE',
  },
  {
    name: 'Salesforce REQUEST_LIMIT_EXCEEDED while the invoices are looked up',
    system: 'Salesforce',
    change: 'payment',
    // The status write-back's look-ups only (the company itself is read before: the sync starts).
    inject: sf({ kind: 'REQUEST_LIMIT_EXCEEDED', count: 1000, match: { kind: 'query', path: 'QuickBooks_Balance__c' } }),
    first: 'failed',
    code: 'SALESFORCE_UNAVAILABLE',
  },
];

const matrix: { case: string; system: string; firstSync: string; held: boolean; violations: string[] }[] = [];
let stack: DemoStack;
let companyId: string;
let realmId: string;
/** Exported invoices not yet touched by a case. */
let untouched: { id: string; qboId: string; total: number }[] = [];

async function sync(): Promise<any> {
  const started = await api(stack, 'POST', `/api/companies/${companyId}/status-sync`);
  if (started.status !== 202) throw new Error(`sync not started: ${started.status} ${JSON.stringify(started.body)}`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { body } = await api(stack, 'GET', `/api/companies/${companyId}/status-sync/${started.body.syncId}`);
    if (body.finished) return body;
    if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const companyReads = async () => (await stack.container.store.reads.get(companyId, monthOf(new Date()))).company;

/** QuickBooks reads the emulator answered with success since its stats were reset (injected faults and 429s are not). */
async function answeredReads(): Promise<number> {
  const stats = await admin(stack.qboUrl, 'GET', '/stats');
  return stats.byKind.read + stats.byKind.query - stats.faultsInjected - stats.throttled;
}

/** What must hold after a normal sync: Salesforce shows what QuickBooks holds, and nothing twice. */
async function violations(): Promise<string[]> {
  const found: string[] = [];
  const qboInvoices = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [String(i.Id), i]));
  const invoices = (await sfRecords(stack, 'Sales_Invoice__c')).filter(
    (r) => r.Company__c === companyId && r.Transferred__c && r.Financial_System_Invoice_Id__c,
  );
  const byQbo = new Map(invoices.map((r) => [String(r.Financial_System_Invoice_Id__c), r]));
  for (const inv of invoices) {
    const held = qboInvoices.get(String(inv.Financial_System_Invoice_Id__c));
    if (!held) continue; // a credit memo or sales receipt
    const voided = held.TotalAmt === 0 && /^Voided/.test(held.PrivateNote ?? '');
    const status = voided ? 'Voided' : held.Balance <= 0 ? 'Paid' : held.Balance >= held.TotalAmt ? 'Open' : 'Partially Paid';
    if (inv.Paid_Status__c !== status || inv.QuickBooks_Balance__c !== held.Balance) {
      found.push(`${inv.Name}: Salesforce shows ${inv.Paid_Status__c} ${inv.QuickBooks_Balance__c}, QuickBooks holds ${status} ${held.Balance}`);
    }
  }
  const fromQuickBooks = (await sfRecords(stack, 'Payment__c')).filter((p) => p.From_QuickBooks__c === true);
  const copies = new Map<string, number>();
  for (const p of fromQuickBooks)
    copies.set(`${p.Financial_System_Payment_Id__c}/${p.Sales_Invoice__c}`, (copies.get(`${p.Financial_System_Payment_Id__c}/${p.Sales_Invoice__c}`) ?? 0) + 1);
  for (const [key, n] of copies) if (n > 1) found.push(`QuickBooks payment/invoice ${key} is in Salesforce ${n} times`);
  for (const payment of await qboEntities(stack, realmId, 'Payment')) {
    if (readMarker(payment.PrivateNote)) continue; // exported from Salesforce
    for (const line of payment.Line ?? []) {
      const link = (line.LinkedTxn ?? []).find((l: any) => l.TxnType === 'Invoice');
      const invoice = link && byQbo.get(String(link.TxnId));
      if (!invoice) continue;
      const copy = fromQuickBooks.find((p) => p.Financial_System_Payment_Id__c === String(payment.Id) && p.Sales_Invoice__c === invoice.Id);
      if (!copy || copy.Amount__c !== line.Amount)
        found.push(`QuickBooks payment ${payment.Id} of ${invoice.Name} (${line.Amount}) is not in Salesforce as such`);
    }
  }
  return found;
}

beforeAll(async () => {
  stack = await startTestStack({ invoices: 40 });
  companyId = stack.primaryCompanyId;
  realmId = stack.data.facts.realmIds.primary;
  await exportAndWait(stack, companyId);
  expect((await sync()).status).toBe('succeeded');
  const qboInvoices = new Map((await qboEntities(stack, realmId, 'Invoice')).map((i) => [String(i.Id), i]));
  untouched = (await sfRecords(stack, 'Sales_Invoice__c'))
    .filter((r) => r.Company__c === companyId && r.Transferred__c && qboInvoices.get(String(r.Financial_System_Invoice_Id__c))?.LinkedTxn?.length === 0)
    .map((r) => ({ id: r.Id, qboId: String(r.Financial_System_Invoice_Id__c), total: qboInvoices.get(String(r.Financial_System_Invoice_Id__c)).TotalAmt }))
    .filter((r) => r.total > 1);
  expect(untouched.length).toBeGreaterThanOrEqual(CASES.length);
});

afterAll(async () => {
  await stack?.close();
  mkdirSync(path.join(__dirname, '../../test-artifacts'), { recursive: true });
  writeFileSync(path.join(__dirname, '../../test-artifacts/status-sync-fault-matrix.json'), JSON.stringify(matrix, null, 2));
  process.stdout.write(`\n${matrix.map((m) => `${m.held ? 'held' : 'BROKE'}  ${m.system.padEnd(10)} ${m.case} (first sync: ${m.firstSync})`).join('\n')}\n`);
});

describe.each(CASES)('fault during a status sync: $name', (c) => {
  it('then after a normal sync nothing is lost and nothing is counted twice', async () => {
    const target = untouched.shift()!;
    if (c.change === 'payment')
      await admin(stack.qboUrl, 'POST', `/realms/${realmId}/payments`, { invoiceId: target.qboId, amount: 1, reference: `F-${matrix.length}` });
    else await admin(stack.qboUrl, 'POST', `/realms/${realmId}/entities/Invoice/${target.qboId}/void`);
    await admin(stack.qboUrl, 'POST', '/stats/reset');
    const readsBefore = await companyReads();

    await c.inject(stack);
    const broken = await sync();
    await Promise.all([admin(stack.qboUrl, 'DELETE', '/faults'), admin(stack.sfUrl, 'DELETE', '/faults')]);
    const again = await sync();

    const found = await violations();
    if (broken.status !== c.first) found.push(`the broken sync ended ${broken.status} (${broken.error?.code}), not ${c.first}`);
    if (c.code && broken.error?.code !== c.code) found.push(`the broken sync failed with ${broken.error?.code}, not ${c.code}: ${broken.error?.message}`);
    if (broken.error && !broken.error.fix) found.push('the broken sync names no fix');
    if (again.status !== 'succeeded') found.push(`the sync after it ended ${again.status}: ${JSON.stringify(again.error ?? again.problems)}`);
    // Reads: what the store counted is what QuickBooks answered, and what the two syncs say they used.
    const counted = (await companyReads()) - readsBefore;
    if (counted !== (await answeredReads())) found.push(`the store counted ${counted} reads, QuickBooks answered ${await answeredReads()}`);
    if (counted !== broken.reads.sync + again.reads.sync)
      found.push(`the syncs report ${broken.reads.sync} + ${again.reads.sync} reads, the store counted ${counted}`);
    // A sync stopped by Salesforce kept what it read (its changes are synced up to its end): the next writes it from the store.
    if (c.system === 'Salesforce' && !broken.upTo) found.push('the sync stopped by Salesforce did not keep the changes it read');
    matrix.push({
      case: c.name,
      system: c.system,
      firstSync: `${broken.status}${broken.error ? ` ${broken.error.code}` : ''}`,
      held: found.length === 0,
      violations: found,
    });
    expect(found).toEqual([]);
  });
});
