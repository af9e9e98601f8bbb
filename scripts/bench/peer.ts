// The fair peer the bench compares with: a per-record exporter that keeps 10 calls in flight under the same limits
// as the service — 500 operations a window, whose tokens come back a window after each answer as in the service's
// scheduler, 10 requests per Intuit second, 10 in flight — paced the way a bottleneck user would: calls spaced a tenth
// of a second apart (minTime), at most 10 at once (maxConcurrent), a reservoir of the window's 500. Ten invoices at a
// time, each one: find its customer by display name or create it, the same for each line's product (each record
// looked up once, shared by the invoices that name it), create the invoice — QuickBooks itself refuses a DocNumber it
// already holds (6140), so no look-up first — then its payments, which cannot exist yet; credit memos are applied to
// their invoices at the end. It needs no plan and starts sending at once; it talks plain HTTP to QuickBooks only (the
// Salesforce reads and write-backs it would also make are left out, which favours it).
import { randomUUID } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { fromCents, toCents } from '../demo/money';
import type { DemoData, SalesforceRecord } from '../demo/types';
import { customerBody, groupBy, itemBody, lineBody } from './baseline';

export interface PeerLimits {
  windowMs: number;
  requestsPerMinute: number;
  batchesPerMinute: number;
  requestsPerSecond: number;
  maxConcurrent: number;
  batchCounts: 'item' | 'call';
}

export interface PeerResult {
  invoices: number;
  wallMs: number;
  /** Records QuickBooks refused (the DocNumber it already holds, a name another list uses, …). */
  refused: number;
  /** 429s it was answered (and sent again after a second). */
  throttled: number;
  /** Calls sent again because the connection failed before an answer. */
  resent: number;
}

const MINOR_VERSION = 75;

class Refused extends Error {}

/** Sends of one call when the connection fails before an answer (a write goes again with the same requestid). */
const MAX_SENDS = 3;
/** Spacing a little over a tenth of Intuit's second, and a window's tokens back a little after it: timers are not exact. */
const SPACING_MARGIN = 1.1;
const WINDOW_MARGIN = 1.02;

type CallKind = 'query' | 'write';

/** 10 in flight, spaced for 10 a second, and the window's operations, each back one window after its answer. */
class Pacer {
  private readonly limiter: Bottleneck;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly limits: PeerLimits) {
    this.limiter = new Bottleneck({
      maxConcurrent: limits.maxConcurrent,
      minTime: (limits.windowMs / 60 / limits.requestsPerSecond) * SPACING_MARGIN,
      reservoir: limits.requestsPerMinute,
    });
  }

  get secondMs(): number {
    return this.limits.windowMs / 60;
  }

  schedule<T>(call: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(() =>
      call().finally(() => {
        const timer = setTimeout(() => (this.timers.delete(timer), void this.limiter.incrementReservoir(1)), this.limits.windowMs * WINDOW_MARGIN);
        this.timers.add(timer);
      }),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.limiter.disconnect();
  }
}

/**
 * A small QuickBooks client: bearer token, JSON, every call through the scheduler; a 429 waits a second and goes
 * again; a connection that fails before answering is tried again, a write with the same `requestid`, so QuickBooks
 * answers a repeat with the first result instead of making the record twice.
 */
function client(qboUrl: string, realmId: string, accessToken: string, scheduler: Pacer, counts: { throttled: number; resent: number }) {
  const base = `${qboUrl}/v3/company/${realmId}`;
  const send = async (kind: CallKind, method: string, path: string, body?: unknown): Promise<any> => {
    const requestId = kind === 'write' ? `&requestid=${randomUUID()}` : '';
    const url = `${base}${path}${path.includes('?') ? '&' : '?'}minorversion=${MINOR_VERSION}${requestId}`;
    for (let sends = 1; ; sends++) {
      let res: Response;
      let text: string;
      try {
        res = await scheduler.schedule(() =>
          fetch(url, {
            method,
            headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        text = await res.text();
      } catch (err) {
        if (sends >= MAX_SENDS) throw err;
        counts.resent++;
        continue;
      }
      if (res.status === 429) {
        counts.throttled++;
        await new Promise((r) => setTimeout(r, scheduler.secondMs));
        continue;
      }
      if (res.status === 400) throw new Refused(text.slice(0, 300));
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    }
  };
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return {
    findOne: async (entity: string, field: string, value: string) =>
      (await send('query', 'GET', `/query?query=${encodeURIComponent(`select * from ${entity} where ${field} = ${quote(value)}`)}`))?.QueryResponse?.[
        entity
      ]?.[0],
    create: async (entity: string, body: unknown) => (await send('write', 'POST', `/${entity.toLowerCase()}`, body))?.[entity],
  };
}

/** Exports the data set's primary company, ten invoices at a time. */
export async function runPeer(data: DemoData, qboUrl: string, accessToken: string, limits: PeerLimits): Promise<PeerResult> {
  const realmId = data.facts.realmIds.primary;
  const scheduler = new Pacer(limits);
  const counts = { throttled: 0, refused: 0, resent: 0 };
  const qbo = client(qboUrl, realmId, accessToken, scheduler, counts);
  const records = data.salesforce.records;
  const company = records.Company__c!.find((c) => c.Id === data.facts.primaryCompanyId)!;
  const customers = new Map(records.Customer__c!.map((c) => [c.Id, c]));
  const products = new Map(records.Product__c!.map((p) => [p.Id, p]));
  const linesOf = groupBy(records.Sales_Invoice_Line__c ?? [], 'Sales_Invoice__c');
  const paymentsOf = groupBy(records.Payment__c ?? [], 'Sales_Invoice__c');
  const invoices = records.Sales_Invoice__c!.filter((i) => i.Company__c === company.Id && i.Approved__c === true && i.Transferred__c !== true);

  const refusedAs = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      counts.refused++;
      return null;
    }
  };
  // Salesforce id -> the QuickBooks record found or created for it (null: refused); concurrent invoices share it.
  const known = new Map<string, Promise<any>>();
  const findOrCreate = (sfId: string, entity: string, field: string, value: string, body: unknown) => {
    let record = known.get(sfId);
    if (!record) known.set(sfId, (record = refusedAs(async () => (await qbo.findOne(entity, field, value)) ?? (await qbo.create(entity, body)))));
    return record;
  };
  const created = new Map<string, any>();
  const credits: { memo: any; invoice: SalesforceRecord; customerId: string }[] = [];

  const exportInvoice = async (invoice: SalesforceRecord) => {
    const customer = customers.get(String(invoice.Customer__c))!;
    const body = customerBody(customer);
    const lines = linesOf.get(invoice.Id) ?? [];
    const [qboCustomer, ...items] = await Promise.all([
      findOrCreate(customer.Id, 'Customer', 'DisplayName', body.DisplayName, body),
      ...lines.map((line) => {
        const product = products.get(String(line.Product__c))!;
        const item = itemBody(product, String(company.Income_Account_Id__c));
        return findOrCreate(product.Id, 'Item', 'Name', item.Name, item);
      }),
    ]);
    if (!qboCustomer) return;
    const credit = invoice.Invoice_Type__c === 'Credit Memo' || Number(invoice.Total_Amount__c) < 0;
    const document = {
      CustomerRef: { value: qboCustomer.Id },
      DocNumber: `${company.Invoice_Number_Prefix__c ?? ''}${invoice.Name}`,
      TxnDate: invoice.Invoice_Date__c,
      Line: lines.flatMap((line, i) => (items[i] ? [lineBody(line, items[i].Id)] : [])),
    };
    const doc = await refusedAs(() => qbo.create(credit ? 'CreditMemo' : 'Invoice', document));
    if (!doc) return;
    if (credit) return void credits.push({ memo: doc, invoice, customerId: qboCustomer.Id });
    created.set(invoice.Id, doc);
    // Payments up to what the QuickBooks invoice holds, in order.
    let openCents = toCents(Number(doc.Balance ?? doc.TotalAmt ?? 0));
    for (const payment of paymentsOf.get(invoice.Id) ?? []) {
      const cents = Math.min(openCents, toCents(Number(payment.Amount__c)));
      if (cents <= 0) continue;
      openCents -= cents;
      const amount = fromCents(cents);
      const reference = String(payment.Reference__c ?? payment.Name).slice(0, 21);
      await refusedAs(() =>
        qbo.create('Payment', {
          CustomerRef: { value: qboCustomer.Id },
          TotalAmt: amount,
          TxnDate: payment.Payment_Date__c,
          PaymentRefNum: reference,
          Line: [{ Amount: amount, LinkedTxn: [{ TxnId: doc.Id, TxnType: 'Invoice' }] }],
        }),
      );
    }
  };

  const invoiceSlots = new Bottleneck({ maxConcurrent: limits.maxConcurrent });
  const started = performance.now();
  try {
    await Promise.all(invoices.map((invoice) => invoiceSlots.schedule(() => exportInvoice(invoice))));
    // A credit memo is applied to its invoice by a payment of nothing that links both.
    for (const { memo, invoice, customerId } of credits) {
      const target = created.get(String(invoice.Applies_To_Invoice__c));
      if (!target) continue;
      const amount = Math.min(Number(memo.TotalAmt), Number(target.Balance ?? target.TotalAmt));
      await refusedAs(() =>
        qbo.create('Payment', {
          CustomerRef: { value: customerId },
          TotalAmt: 0,
          Line: [
            { Amount: amount, LinkedTxn: [{ TxnId: target.Id, TxnType: 'Invoice' }] },
            { Amount: amount, LinkedTxn: [{ TxnId: memo.Id, TxnType: 'CreditMemo' }] },
          ],
        }),
      );
    }
    return { invoices: invoices.length, wallMs: performance.now() - started, refused: counts.refused, throttled: counts.throttled, resent: counts.resent };
  } finally {
    await invoiceSlots.disconnect();
    await scheduler.stop();
  }
}
