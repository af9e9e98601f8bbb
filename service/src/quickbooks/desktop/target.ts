// QuickBooks Desktop as the engine's accounting target. Every call becomes qbXML queued for the Company's Web
// Connector and resolves when its answer comes back (deliversLater). Before an add whose answer was lost (or
// whose status leaves its fate unknown) is sent again, QuickBooks is asked for it — customers and items by name,
// invoices by the marker in their Memo — so nothing is created twice.
import {
  TargetError,
  type AccountingTarget,
  type CreatableKind,
  type CreatedRecord,
  type DeliveryItem,
  type DeliveryResult,
  type DocByKind,
  type HeldPayment,
  type InvoiceDoc,
  type OpenBalance,
  type TargetCustomer,
  type TargetFault,
  type TargetItem,
  type TargetSettings,
} from '../../export/target';
import { readMarker } from '../../export/marker';
import { classify, isQueryOk, UNSURE } from './faults';
import { DESKTOP_LIMITS } from './limits';
import { customerAdd, invoiceAdd, itemAdd, MappingError, toCreated, toTargetCustomer, toTargetItem } from './mapping';
import { queryRequest, text, type QbRequest, type QbResponse } from './qbxml';
import type { Element } from './schema';
import { AnswerLost, MessageRefused, TransportClosed, WITHDRAWN, type DesktopTransport } from './transport';

const PAGE = 100;
const IN_CHUNK = 100;
/** Look-ups after a lost answer reach back this far before the add was sent (clock differences). */
const LOOKBACK_MS = 15 * 60_000;

export interface DesktopCompany {
  id: string;
  name: string;
  currency: string | null;
}

export interface DesktopTargetOptions {
  batchSize: number;
  /** Times one batch is looked up and sent again before its records are reported as unanswered. */
  maxRecoveries?: number;
  now?: () => Date;
}

/** qbXML's DATETIMETYPE: local time with an explicit offset (QuickBooks does not read a trailing Z). */
export function qbDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}

export class DesktopTarget implements AccountingTarget {
  readonly system = 'QuickBooks Desktop';
  readonly limits = DESKTOP_LIMITS;
  readonly deliversLater = true;
  readonly batchSize: number;
  private readonly now: () => Date;
  private readonly maxRecoveries: number;

  constructor(
    private readonly transport: DesktopTransport,
    private readonly company: DesktopCompany,
    options: DesktopTargetOptions,
  ) {
    this.batchSize = options.batchSize;
    this.now = options.now ?? (() => new Date());
    this.maxRecoveries = options.maxRecoveries ?? 3;
  }

  get scope(): string {
    return `qbd:${this.company.id}`;
  }

  /** Known without a round trip: Desktop keeps the RefNumbers it is sent and does not refuse a repeated one. */
  async settings(): Promise<TargetSettings> {
    return {
      companyName: null,
      customNumbers: true,
      multiCurrency: false,
      homeCurrency: this.company.currency ?? 'USD',
      rejectsDuplicateNumbers: false,
    };
  }

  async loadCustomers(onPage: (rows: TargetCustomer[]) => void): Promise<void> {
    const rets = await this.queryAll('Customer', { ActiveStatus: 'ActiveOnly' }, true);
    onPage(rets.map((r) => toTargetCustomer(r.value)));
  }

  /** Vendors, employees, other names and inactive customers: QuickBooks keeps one name list for all of them. */
  async loadReservedNames(onPage: (names: string[]) => void): Promise<void> {
    const names = (entity: string, filters: Element) => this.queryAll(entity, { ...filters, IncludeRetElement: ['Name'] }, false);
    const lists = await Promise.all([
      names('Vendor', { ActiveStatus: 'All' }),
      names('Employee', { ActiveStatus: 'All' }),
      names('OtherName', { ActiveStatus: 'All' }),
      names('Customer', { ActiveStatus: 'InactiveOnly' }),
    ]);
    onPage(lists.flat().flatMap((r) => (text(r.value.Name) ? [text(r.value.Name)!] : [])));
  }

  async loadItems(onPage: (rows: TargetItem[]) => void): Promise<void> {
    const rets = await this.queryAll('Item', { ActiveStatus: 'ActiveOnly' }, false);
    onPage(rets.map((r) => toTargetItem(r.type, r.value)));
  }

  async existing(kind: CreatableKind, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const [entity, key] = kind === 'customer' ? ['Customer', 'ListID'] : kind === 'product' ? ['Item', 'ListID'] : ['Invoice', 'TxnID'];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rets = await this.queryAll(entity, { [key]: ids.slice(i, i + IN_CHUNK), IncludeRetElement: [key] }, false);
      for (const r of rets) found.add(String(r.value[key]));
    }
    return found;
  }

  async findByNumbers(_kind: 'invoice', numbers: string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    for (let i = 0; i < numbers.length; i += IN_CHUNK) {
      const rets = await this.queryAll('Invoice', { RefNumber: numbers.slice(i, i + IN_CHUNK), IncludeRetElement: ['TxnID', 'RefNumber'] }, false);
      for (const r of rets) if (text(r.value.RefNumber)) taken.set(text(r.value.RefNumber)!, String(r.value.TxnID));
    }
    return taken;
  }

  async findByMarker(_kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>> {
    const found = new Map<string, CreatedRecord>();
    if (!sourceIds.size) return found;
    const rets = await this.queryAll(
      'Invoice',
      {
        ModifiedDateRangeFilter: { FromModifiedDate: qbDateTime(since) },
        IncludeRetElement: ['TxnID', 'RefNumber', 'Memo', 'Subtotal', 'SalesTaxTotal'],
      },
      true,
    );
    for (const r of rets) {
      const id = readMarker(text(r.value.Memo));
      if (id && sourceIds.has(id)) found.set(id, toCreated('InvoiceRet', r.value));
    }
    return found;
  }

  /** Open balances: payments are not yet sent to QuickBooks Desktop (see create), so none is asked for. */
  async openBalances(): Promise<Map<string, OpenBalance>> {
    return new Map();
  }

  async paymentsByReference(): Promise<HeldPayment[]> {
    return [];
  }

  async create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[]): Promise<DeliveryResult[]> {
    // ReceivePaymentAdd, CreditMemoAdd and SalesReceiptAdd are not built for Desktop yet: each such record gets an
    // entry saying so rather than a wrong document.
    const unsupported = (doc: unknown) => kind === 'payment' || (kind === 'invoice' && (doc as InvoiceDoc).form !== 'invoice');
    if (items.some((i) => unsupported(i.doc))) {
      const supported = items.filter((i) => !unsupported(i.doc));
      const answers = supported.length ? await this.create(kind, supported) : [];
      let next = 0;
      return items.map((i) =>
        unsupported(i.doc)
          ? {
              ok: false as const,
              fault: {
                class: 'rejected' as const,
                message: `${kind === 'payment' ? 'Payments' : 'Credit memos and sales receipts'} are not exported to QuickBooks Desktop yet`,
              },
            }
          : answers[next++]!,
      );
    }
    const results: (DeliveryResult | undefined)[] = new Array(items.length);
    let todo = items.map((_, i) => i);
    for (let round = 0; todo.length && round <= this.maxRecoveries; round++) {
      const requests: { i: number; request: QbRequest }[] = [];
      for (const i of todo) {
        try {
          requests.push({ i, request: this.addFor(kind, items[i]!.doc, String(i)) });
        } catch (err) {
          if (!(err instanceof MappingError)) throw err;
          results[i] = { ok: false, fault: { class: 'requiredMissing', message: err.message } };
        }
      }
      if (!requests.length) break;
      const sentAt = this.now();
      const tags = requests.map(({ i }) => (kind === 'invoice' ? (items[i]!.doc as InvoiceDoc).sourceId : null));
      let answers: QbResponse[];
      try {
        answers = await this.transport.send(
          this.company.id,
          requests.map((r) => r.request),
          { tags },
        );
      } catch (err) {
        if (err instanceof MessageRefused) {
          for (const { i } of requests)
            results[i] = {
              ok: false,
              fault: { class: 'rejected', message: `QuickBooks could not read the request (${err.hresult}): ${err.message}`, code: err.hresult },
            };
          break;
        }
        if (err instanceof TransportClosed) throw new TargetError({ class: 'transient', message: err.message }, { cause: err });
        if (!(err instanceof AnswerLost)) throw err;
        todo = await this.recover(
          kind,
          items,
          requests.map((r) => r.i),
          results,
          sentAt,
        );
        continue;
      }
      const unsure: number[] = [];
      requests.forEach(({ i }, n) => {
        const answer = answers[n]!;
        if (answer.rs === WITHDRAWN) results[i] = { ok: false, fault: { class: 'withdrawn', message: 'taken off the queue before QuickBooks took it' } };
        else if (answer.statusCode === 0 && answer.rets[0]) results[i] = { ok: true, created: toCreated(answer.rets[0].type, answer.rets[0].value) };
        else if (UNSURE.has(answer.statusCode) && round < this.maxRecoveries) unsure.push(i);
        else results[i] = { ok: false, fault: classify(answer) };
      });
      todo = unsure.length ? await this.recover(kind, items, unsure, results, sentAt) : [];
    }
    const unanswered: TargetFault = { class: 'transient', message: 'QuickBooks did not confirm this record after several Web Connector sessions' };
    return items.map((_, i) => results[i] ?? { ok: false, fault: unanswered });
  }

  /** Looks up what QuickBooks saved of these records; fills their results and returns those still to send. */
  private async recover<K extends CreatableKind>(
    kind: K,
    items: DeliveryItem<K>[],
    which: number[],
    results: (DeliveryResult | undefined)[],
    sentAt: Date,
  ): Promise<number[]> {
    const found = await this.lookup(
      kind,
      which.map((i) => items[i]!.doc),
      sentAt,
    );
    const left: number[] = [];
    for (const i of which) {
      const record = found(items[i]!.doc);
      if (record) results[i] = { ok: true, created: record };
      else left.push(i);
    }
    return left;
  }

  private async lookup<K extends CreatableKind>(kind: K, docs: DocByKind[K][], sentAt: Date): Promise<(doc: DocByKind[K]) => CreatedRecord | null> {
    if (kind === 'invoice') {
      const ids = new Set((docs as InvoiceDoc[]).map((d) => d.sourceId));
      const byMarker = await this.findByMarker('invoice', ids, new Date(sentAt.getTime() - LOOKBACK_MS));
      return (doc) => byMarker.get((doc as InvoiceDoc).sourceId) ?? null;
    }
    const nameOf = (doc: DocByKind[K]) => (kind === 'customer' ? (doc as DocByKind['customer']).displayName : (doc as DocByKind['product']).name);
    const rets = await this.queryAll(kind === 'customer' ? 'Customer' : 'Item', { FullName: [...new Set(docs.map(nameOf))] }, false, true);
    const byName = new Map(rets.map((r) => [(text(r.value.FullName) ?? text(r.value.Name) ?? '').toLowerCase(), toCreated(r.type, r.value)]));
    return (doc) => byName.get(nameOf(doc).toLowerCase()) ?? null;
  }

  private addFor(kind: CreatableKind, doc: DocByKind[CreatableKind], requestID: string): QbRequest {
    if (kind === 'customer') return customerAdd(doc as DocByKind['customer'], requestID);
    if (kind === 'product') return itemAdd(doc as DocByKind['product'], requestID);
    return invoiceAdd(doc as InvoiceDoc, requestID);
  }

  /** Every row a query returns, following QuickBooks' iterator when asked; a lost answer restarts the query. */
  private async queryAll(entity: string, filters: Element, iterate: boolean, priority = false): Promise<{ type: string; value: Element }[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows: { type: string; value: Element }[] = [];
        let iteratorID: string | undefined;
        for (;;) {
          const request = iterate
            ? queryRequest(entity, 'q', { ...filters, MaxReturned: String(PAGE) }, iteratorID ? { continue: iteratorID } : { start: true })
            : queryRequest(entity, 'q', filters);
          const [answer] = await this.transport.send(this.company.id, [request], { priority });
          if (!answer || !isQueryOk(answer.statusCode))
            throw new TargetError(classify(answer ?? { statusCode: -1, statusMessage: 'no answer', statusSeverity: 'Error' }));
          rows.push(...answer.rets);
          if (!iterate || !answer.iteratorID || !answer.iteratorRemainingCount) return rows;
          iteratorID = answer.iteratorID;
        }
      } catch (err) {
        if (err instanceof AnswerLost && attempt < this.maxRecoveries) continue;
        if (err instanceof AnswerLost || err instanceof MessageRefused || err instanceof TransportClosed) {
          throw new TargetError({ class: err instanceof MessageRefused ? 'rejected' : 'transient', message: err.message }, { cause: err });
        }
        throw err;
      }
    }
  }
}
