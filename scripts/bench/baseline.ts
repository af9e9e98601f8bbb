// The per-record exporter the bench compares with: what a typical integration built on node-quickbooks does, one
// call at a time and in sequence — invoice by invoice, look its customer up and create it if missing, look each of
// its products up and create it if missing, look the invoice up by DocNumber and create it, then look each payment
// up by reference and create it. `lookups: 'once'` remembers what it has found or created, so every record costs
// one look-up and at most one create; `'every-invoice'` looks an invoice's customer and products up again for each
// invoice, as stateless exporters do. It talks to QuickBooks only (the Salesforce reads and write-backs such an
// exporter would also make are left out, which favours it).
import { cleanName } from '../../service/src/matching/names';
import { fromCents, lineAmountCents, toCents } from '../demo/money';
import type { DemoData, SalesforceRecord } from '../demo/types';

const QuickBooks = require('node-quickbooks');

export type BaselineLookups = 'once' | 'every-invoice';

export interface BaselineResult {
  invoices: number;
  wallMs: number;
  /** Records that QuickBooks refused (a duplicate name, a DocNumber already used, …). */
  refused: number;
}

type Callback<T> = (err: unknown, value: T) => void;

/** Points node-quickbooks at the emulator (it reads its URLs from module-level settings). */
function useEmulator(qboUrl: string): void {
  QuickBooks.V3_ENDPOINT_BASE_URL = `${qboUrl}/v3/company/`;
  QuickBooks.TOKEN_URL = `${qboUrl}/oauth2/v1/tokens/bearer`;
  QuickBooks.REVOKE_URL = `${qboUrl}/v2/oauth2/tokens/revoke`;
}

function call<T>(qbo: any, method: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => qbo[method](...args, ((err, value) => (err ? reject(err) : resolve(value))) as Callback<T>));
}

async function findOne(qbo: any, entity: string, criteria: Record<string, string>): Promise<any | undefined> {
  const answer = await call<any>(qbo, `find${entity}s`, criteria);
  return answer?.QueryResponse?.[entity]?.[0];
}

/** Creates, or returns undefined when QuickBooks refuses the record (counted, and the exporter moves on). */
async function create(qbo: any, entity: string, body: unknown, refused: { count: number }): Promise<any | undefined> {
  try {
    return await call<any>(qbo, `create${entity}`, body);
  } catch {
    refused.count++;
    return undefined;
  }
}

export function customerBody(c: SalesforceRecord) {
  const person = [c.First_Name__c, c.Last_Name__c].filter(Boolean).join(' ');
  return {
    DisplayName: cleanName(person || String(c.Company_Name__c ?? c.Name), 100).value,
    ...(c.First_Name__c ? { GivenName: cleanName(String(c.First_Name__c), 100).value } : {}),
    ...(c.Last_Name__c ? { FamilyName: cleanName(String(c.Last_Name__c), 100).value } : {}),
    ...(c.Company_Name__c ? { CompanyName: cleanName(String(c.Company_Name__c), 100).value } : {}),
    ...(c.Email__c ? { PrimaryEmailAddr: { Address: c.Email__c } } : {}),
  };
}

export function itemBody(p: SalesforceRecord, incomeAccountId: string) {
  return {
    Name: cleanName(String(p.Name), 100).value,
    ...(p.SKU__c ? { Sku: p.SKU__c } : {}),
    Type: p.Product_Type__c === 'Service' ? 'Service' : 'NonInventory',
    UnitPrice: p.Unit_Price__c,
    IncomeAccountRef: { value: incomeAccountId },
  };
}

/** A Sales Invoice line as a QuickBooks sales line of the item. */
export function lineBody(line: SalesforceRecord, itemId: string) {
  const qty = Math.abs(Number(line.Quantity__c));
  const price = Number(line.Unit_Price__c);
  return {
    DetailType: 'SalesItemLineDetail',
    Amount: fromCents(lineAmountCents(qty, price)),
    SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: qty, UnitPrice: price },
  };
}

/** Exports the data set's primary company with node-quickbooks, one call at a time. */
export async function runBaseline(data: DemoData, qboUrl: string, accessToken: string, lookups: BaselineLookups): Promise<BaselineResult> {
  useEmulator(qboUrl);
  const realmId = data.facts.realmIds.primary;
  const qbo = new QuickBooks('ledgerline-demo-client', 'ledgerline-demo-secret', accessToken, false, realmId, true, false, 75, '2.0');
  const records = data.salesforce.records;
  const company = records.Company__c!.find((c) => c.Id === data.facts.primaryCompanyId)!;
  const customers = new Map(records.Customer__c!.map((c) => [c.Id, c]));
  const products = new Map(records.Product__c!.map((p) => [p.Id, p]));
  const linesOf = groupBy(records.Sales_Invoice_Line__c ?? [], 'Sales_Invoice__c');
  const paymentsOf = groupBy(records.Payment__c ?? [], 'Sales_Invoice__c');
  const invoices = records.Sales_Invoice__c!.filter((i) => i.Company__c === company.Id && i.Approved__c === true && i.Transferred__c !== true);
  const refused = { count: 0 };
  // Salesforce id -> the QuickBooks record found or created for it (null: refused), with lookups: 'once'.
  const known = new Map<string, any>();
  const findOrCreate = async (sfId: string, entity: string, criteria: Record<string, string>, body: unknown) => {
    if (lookups === 'once' && known.has(sfId)) return known.get(sfId);
    const record = (await findOne(qbo, entity, criteria)) ?? (await create(qbo, entity, body, refused)) ?? null;
    known.set(sfId, record);
    return record;
  };
  const started = performance.now();
  for (const invoice of invoices) {
    const customer = customers.get(String(invoice.Customer__c))!;
    const body = customerBody(customer);
    const qboCustomer = await findOrCreate(customer.Id, 'Customer', { DisplayName: body.DisplayName }, body);
    if (!qboCustomer) continue;
    const lines = [];
    for (const line of linesOf.get(invoice.Id) ?? []) {
      const product = products.get(String(line.Product__c))!;
      const item = itemBody(product, String(company.Income_Account_Id__c));
      const qboItem = await findOrCreate(product.Id, 'Item', { Name: item.Name }, item);
      if (!qboItem) continue;
      lines.push(lineBody(line, qboItem.Id));
    }
    const docNumber = `${company.Invoice_Number_Prefix__c ?? ''}${invoice.Name}`;
    const credit = Number(invoice.Total_Amount__c) < 0;
    const kind = credit ? 'CreditMemo' : 'Invoice';
    if (await findOne(qbo, kind, { DocNumber: docNumber })) continue;
    const document = { CustomerRef: { value: qboCustomer.Id }, DocNumber: docNumber, TxnDate: invoice.Invoice_Date__c, Line: lines };
    const created = await create(qbo, kind, document, refused);
    if (!created || credit) continue;
    // Payments up to what the QuickBooks invoice holds (it has no header charges, so it can be less than Salesforce's).
    let openCents = toCents(Number(created.Balance ?? created.TotalAmt ?? 0));
    for (const payment of paymentsOf.get(invoice.Id) ?? []) {
      const reference = String(payment.Reference__c ?? payment.Name).slice(0, 21);
      if (await findOne(qbo, 'Payment', { PaymentRefNum: reference })) continue;
      const cents = Math.min(openCents, toCents(Number(payment.Amount__c)));
      if (cents <= 0) continue;
      openCents -= cents;
      const amount = fromCents(cents);
      await create(
        qbo,
        'Payment',
        {
          CustomerRef: { value: qboCustomer.Id },
          TotalAmt: amount,
          TxnDate: payment.Payment_Date__c,
          PaymentRefNum: reference,
          Line: [{ Amount: amount, LinkedTxn: [{ TxnId: created.Id, TxnType: 'Invoice' }] }],
        },
        refused,
      );
    }
  }
  return { invoices: invoices.length, wallMs: performance.now() - started, refused: refused.count };
}

export function groupBy(rows: SalesforceRecord[], field: string): Map<string, SalesforceRecord[]> {
  const groups = new Map<string, SalesforceRecord[]>();
  for (const row of rows) {
    const key = String(row[field]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  }
  return groups;
}
