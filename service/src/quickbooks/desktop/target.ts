// QuickBooks Desktop as the engine's accounting target. Every call becomes qbXML queued for the Company's Web
// Connector and resolves when its answer comes back (deliversLater). Before an add whose answer was lost (or
// whose status leaves its fate unknown) is sent again, QuickBooks is asked for it — customers and items by name,
// invoices, credit memos, sales receipts and payments by the marker in their Memo — so nothing is created twice.
import {
  TargetError,
  type AccountingTarget,
  type Capability,
  type CreatableKind,
  type CreatedRecord,
  type DeliveryItem,
  type DeliveryResult,
  type DocByKind,
  type HeldPayment,
  type InvoiceDoc,
  type NumberedRecord,
  type OpenBalance,
  type PaymentDoc,
  type TargetCapabilities,
  type TargetCustomer,
  type TargetFault,
  type TargetItem,
  type TargetSettings,
  type TargetWait,
} from '../../export/target';
import { readMarker } from '../../export/marker';
import { classify, isQueryOk, UNSURE } from './faults';
import { desktopChanges } from './changes';
import type { ChangePage } from '../../status/model';
import { DESKTOP_LIMITS, DESKTOP_PO_NUMBER } from './limits';
import {
  customerAdd,
  FORM_ENTITY,
  itemAdd,
  MappingError,
  paymentAdd,
  salesAdd,
  toCreated,
  toHeldPayment,
  toOpenBalance,
  toTargetCustomer,
  toTargetItem,
} from './mapping';
import { queryRequest, text, type QbRequest, type QbResponse } from './qbxml';
import type { Element } from './schema';
import { AnswerLost, MessageRefused, TransportClosed, WITHDRAWN, type DesktopTransport } from './transport';

const PAGE = 100;
/** The transaction types a kind's records can be (an invoice may have become a credit memo or a sales receipt). */
const ENTITIES: Record<CreatableKind, string[]> = {
  customer: ['Customer'],
  product: ['Item'],
  invoice: ['Invoice', 'CreditMemo', 'SalesReceipt'],
  payment: ['ReceivePayment'],
};
const IN_CHUNK = 100;
/** Look-ups after a lost answer reach back this far before the add was sent (clock differences). */
const LOOKBACK_MS = 15 * 60_000;

export interface DesktopCompany {
  id: string;
  name: string;
  currency: string | null;
}

/** When the Web Connector last called and how often it runs: what the page says while the run waits for it. */
export interface ConnectorSchedule {
  lastContactAt: Date | null;
  runEveryMinutes: number | null;
}

export interface DesktopTargetOptions {
  batchSize: number;
  /** Tells the run it waits for the Web Connector (the page shows it); a wait ending now clears it. */
  onWait?: (wait: TargetWait) => void;
  connector?: () => Promise<ConnectorSchedule>;
  /** The run this target sends for (its queued messages are its own). */
  runId?: string;
  /** Times one batch is looked up and sent again before its records are reported as unanswered. */
  maxRecoveries?: number;
  now?: () => Date;
}

/** qbXML's DATETIMETYPE: local time with an explicit offset (QuickBooks does not read a trailing Z). */
export function qbDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}

/**
 * What qbXML carries of what peers map: one class per invoice, by its full name (QuickBooks refuses a name it does not
 * have); a PO number, a ship date and a ship-to address. Not declared: currencies (this target does not read the
 * company file's multicurrency preference, so foreign invoices are refused before sending), locations (Desktop has
 * none), custom fields (qbXML keeps them as DataExt, which Ledgerline does not write) and per-line tax codes.
 */
export const DESKTOP_CAPABILITIES: TargetCapabilities = {
  currencies: false,
  trackingLists: false,
  mappableFields: {
    PONumber: { kind: 'text', max: DESKTOP_PO_NUMBER },
    ShipDate: { kind: 'date', max: 10 },
    'ShipAddr.Line1': { kind: 'text', max: DESKTOP_LIMITS.addressLine },
    'ShipAddr.City': { kind: 'text', max: DESKTOP_LIMITS.city },
    'ShipAddr.CountrySubDivisionCode': { kind: 'text', max: DESKTOP_LIMITS.state },
    'ShipAddr.PostalCode': { kind: 'text', max: DESKTOP_LIMITS.postalCode },
    'ShipAddr.Country': { kind: 'text', max: DESKTOP_LIMITS.country },
  },
};

const WEB_CONNECTOR = 'the Web Connector';
const SAY_WAITING_AFTER_MS = 1_500;

/** The run's wait while nothing takes its work: since when, and when the Web Connector is next expected. */
export function waitingForWebConnector(now: Date, lastContactAt: Date | null, runEveryMinutes: number | null): TargetWait {
  const every = (runEveryMinutes ?? 10) * 60_000;
  if (!lastContactAt) {
    return {
      reason: `${WEB_CONNECTOR} (it has not called yet: add the .qwc file to the Web Connector on the QuickBooks PC)`,
      until: new Date(now.getTime() + every),
    };
  }
  let next = lastContactAt.getTime() + every;
  while (next <= now.getTime()) next += every;
  return { reason: `${WEB_CONNECTOR} (last contact ${lastContactAt.toISOString().slice(11, 16)} UTC; next run expected)`, until: new Date(next) };
}

export class DesktopTarget implements AccountingTarget {
  readonly system = 'QuickBooks Desktop';
  readonly limits = DESKTOP_LIMITS;
  readonly capabilities = DESKTOP_CAPABILITIES;
  readonly deliversLater = true;
  readonly batchSize: number;
  private readonly now: () => Date;
  private readonly maxRecoveries: number;
  private readonly runId: string | null;
  /** Messages waiting for the Web Connector to take them, and whether the run was told it waits. */
  private untaken = 0;
  private waitingSaid = false;

  constructor(
    private readonly transport: DesktopTransport,
    private readonly company: DesktopCompany,
    private readonly options: DesktopTargetOptions,
  ) {
    this.batchSize = options.batchSize;
    this.now = options.now ?? (() => new Date());
    this.maxRecoveries = options.maxRecoveries ?? 3;
    this.runId = options.runId ?? null;
  }

  /** Everything this run will send is queued: once its last answer is in, the Web Connector's session may end. */
  async finish(): Promise<void> {
    if (this.runId) await this.transport.runFinished(this.company.id, this.runId);
  }

  get scope(): string {
    return `qbd:${this.company.id}`;
  }

  /** Payments (ReceivePaymentAdd), credit memos and their application (SetCredit), sales receipts: all of them. */
  supports(_capability: Capability): boolean {
    return true;
  }

  /** Known without a round trip: Desktop keeps the RefNumbers it is sent and does not refuse a repeated one. */
  async settings(): Promise<TargetSettings> {
    return {
      companyName: null,
      customNumbers: true,
      multiCurrency: false,
      homeCurrency: this.company.currency ?? 'USD',
      rejectsDuplicateNumbers: false,
      // Classes go by name on the invoice; QuickBooks names one it lacks in its answer.
      classTracking: 'transaction',
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

  async loadInactiveItems(): Promise<TargetItem[]> {
    const rets = await this.queryAll('Item', { ActiveStatus: 'InactiveOnly' }, false);
    return rets.map((r) => toTargetItem(r.type, r.value));
  }

  async existing(kind: CreatableKind, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const key = kind === 'customer' || kind === 'product' ? 'ListID' : 'TxnID';
    // An invoice's record may have become a credit memo or a sales receipt: each id is looked for until found.
    for (const entity of ENTITIES[kind]) {
      const left = ids.filter((id) => !found.has(id));
      for (let i = 0; i < left.length; i += IN_CHUNK) {
        const rets = await this.queryAll(entity, { [key]: left.slice(i, i + IN_CHUNK), IncludeRetElement: [key] }, false);
        for (const r of rets) found.add(String(r.value[key]));
      }
    }
    return found;
  }

  /** Invoices, credit memos and sales receipts holding these RefNumbers (QuickBooks keeps numbers per type). */
  async findByNumbers(_kind: 'invoice', numbers: string[]): Promise<Map<string, NumberedRecord>> {
    const taken = new Map<string, NumberedRecord>();
    for (const entity of ENTITIES.invoice) {
      for (let i = 0; i < numbers.length; i += IN_CHUNK) {
        const rets = await this.queryAll(entity, { RefNumber: numbers.slice(i, i + IN_CHUNK), IncludeRetElement: ['TxnID', 'RefNumber', 'Memo'] }, false);
        for (const r of rets) {
          const ref = text(r.value.RefNumber);
          const record = { id: String(r.value.TxnID), sourceId: readMarker(text(r.value.Memo)), form: toCreated(r.type, r.value).form };
          // A number this record's marker holds wins over another document of the number.
          if (ref && (!taken.has(ref) || record.sourceId)) taken.set(ref, record);
        }
      }
    }
    return taken;
  }

  async findByMarker(kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>> {
    return this.byMarker(ENTITIES[kind], sourceIds, since);
  }

  /** Records of these transaction types modified since a time whose Memo carries one of these markers. */
  private async byMarker(entities: string[], sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>> {
    const found = new Map<string, CreatedRecord>();
    if (!sourceIds.size) return found;
    for (const entity of entities) {
      const rets = await this.queryAll(
        entity,
        {
          ModifiedDateRangeFilter: { FromModifiedDate: qbDateTime(since) },
          IncludeRetElement: ['TxnID', 'RefNumber', 'Memo', ...(entity === 'ReceivePayment' ? ['TotalAmount'] : ['Subtotal', 'SalesTaxTotal'])],
        },
        true,
      );
      for (const r of rets) {
        const id = readMarker(text(r.value.Memo));
        if (id && sourceIds.has(id)) found.set(id, toCreated(r.type, r.value));
      }
    }
    return found;
  }

  /** What changed in the company file since `since`, for the status sync (desktop/changes.ts), asked in the Web Connector's session. */
  statusChanges(since: Date): Promise<{ page: ChangePage; upTo: Date; queries: number }> {
    return desktopChanges((entity, filters, iterate) => this.queryAll(entity, filters, iterate, true), since, qbDateTime(since));
  }

  async openBalances(invoiceIds: string[]): Promise<Map<string, OpenBalance>> {
    const found = new Map<string, OpenBalance>();
    for (let i = 0; i < invoiceIds.length; i += IN_CHUNK) {
      const filters = {
        TxnID: invoiceIds.slice(i, i + IN_CHUNK),
        IncludeRetElement: ['TxnID', 'CustomerRef', 'Subtotal', 'SalesTaxTotal', 'BalanceRemaining'],
      };
      for (const r of await this.queryAll('Invoice', filters, false)) found.set(String(r.value.TxnID), toOpenBalance(r.value));
    }
    return found;
  }

  async paymentsByReference(references: string[]): Promise<HeldPayment[]> {
    const found: HeldPayment[] = [];
    for (let i = 0; i < references.length; i += IN_CHUNK) {
      const filters = { RefNumber: references.slice(i, i + IN_CHUNK), IncludeLineItems: 'true' };
      for (const r of await this.queryAll('ReceivePayment', filters, false)) found.push(toHeldPayment(r.value));
    }
    return found;
  }

  async create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[]): Promise<DeliveryResult[]> {
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
        answers = await this.send(
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
    if (kind === 'invoice' || kind === 'payment') {
      const sourceId = (doc: DocByKind[K]) => (doc as InvoiceDoc | PaymentDoc).sourceId;
      // Only the transaction types these documents became are asked for.
      const entities = kind === 'payment' ? ENTITIES.payment : [...new Set((docs as InvoiceDoc[]).map((d) => FORM_ENTITY[d.form]))];
      const byMarker = await this.byMarker(entities, new Set(docs.map(sourceId)), new Date(sentAt.getTime() - LOOKBACK_MS));
      return (doc) => byMarker.get(sourceId(doc)) ?? null;
    }
    const nameOf = (doc: DocByKind[K]) => (kind === 'customer' ? (doc as DocByKind['customer']).displayName : (doc as DocByKind['product']).name);
    const rets = await this.queryAll(kind === 'customer' ? 'Customer' : 'Item', { FullName: [...new Set(docs.map(nameOf))] }, false, true);
    const byName = new Map(rets.map((r) => [(text(r.value.FullName) ?? text(r.value.Name) ?? '').toLowerCase(), toCreated(r.type, r.value)]));
    return (doc) => byName.get(nameOf(doc).toLowerCase()) ?? null;
  }

  private addFor(kind: CreatableKind, doc: DocByKind[CreatableKind], requestID: string): QbRequest {
    if (kind === 'customer') return customerAdd(doc as DocByKind['customer'], requestID);
    if (kind === 'product') return itemAdd(doc as DocByKind['product'], requestID);
    if (kind === 'payment') return paymentAdd(doc as PaymentDoc, requestID);
    return salesAdd(doc as InvoiceDoc, requestID);
  }

  /** Sends through the Web Connector's queue, saying on the page that the run waits for it until it takes the message. */
  private async send(companyId: string, requests: QbRequest[], options: { tags?: (string | null)[]; priority?: boolean }): Promise<QbResponse[]> {
    this.untaken++;
    let taken = false;
    const take = () => {
      if (taken) return;
      taken = true;
      if (--this.untaken > 0 || !this.waitingSaid) return;
      this.waitingSaid = false;
      this.options.onWait?.({ reason: WEB_CONNECTOR, until: this.now() });
    };
    // Said only when the Web Connector does not take it at once (a session is not running).
    const timer = setTimeout(() => void this.sayWaiting(), SAY_WAITING_AFTER_MS);
    timer.unref?.();
    try {
      return await this.transport.send(companyId, requests, { ...options, runId: this.runId, onTaken: take });
    } finally {
      clearTimeout(timer);
      take();
    }
  }

  private async sayWaiting(): Promise<void> {
    if (!this.options.onWait || !this.options.connector || this.untaken === 0) return;
    const { lastContactAt, runEveryMinutes } = await this.options.connector().catch(() => ({ lastContactAt: null, runEveryMinutes: null }));
    if (this.untaken === 0) return;
    this.waitingSaid = true;
    this.options.onWait(waitingForWebConnector(this.now(), lastContactAt, runEveryMinutes));
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
          const [answer] = await this.send(this.company.id, [request], { priority });
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
