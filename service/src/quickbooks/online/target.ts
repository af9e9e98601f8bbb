// QuickBooks Online as the engine's accounting target: indexes loaded 1,000 rows a query page, creates in batch
// calls with a requestid per call, invoices found by marker, and every QuickBooks fault code classified here (the
// engine never sees one). A create whose outcome is unknown is looked for before it is sent again (recovery.ts).
import { createHash } from 'node:crypto';
import {
  TargetError,
  type AccountingTarget,
  type CreatableKind,
  type CreatedRecord,
  type CustomerDoc,
  type DeliveryItem,
  type DeliveryResult,
  type DocByKind,
  type Capability,
  type HeldPayment,
  type TargetItem,
  type InvoiceDoc,
  type InvoiceStanding,
  type InvoiceUpdateResult,
  type NumberedRecord,
  type ItemDoc,
  type OpenBalance,
  type PaymentDoc,
  type SalesForm,
  type FaultClass,
  type TargetCapabilities,
  type TargetFault,
  type TargetSettings,
  type TargetUsage,
} from '../../export/target';
import type { ClassTracking } from '../../export/plan/tracking';
import { readMarker } from '../../export/marker';
import type { ChangePage } from '../../status/model';
import { CDC_WINDOW_MS, changesSince, everything, isTooOld } from './changes';
import { QuickBooksUnauthorizedError } from '../../errors';
import { AccountRow, Entity, ListRow, MarkedRow, NameRow, NumberedRow, readAnswer, type Preferences } from './answers';
import { qboQuote, type BatchRequestItem, type QboClient, type QboEntity } from './client';
import { QboFault, unreadable } from './errors';
import { QBO_LIMITS } from './limits';
import { findSaved } from './recovery';
import { invoiceStanding, updateInvoice } from './invoiceUpdate';
import type { ReadMeter } from './readBudget';
import {
  FORM_ENTITY,
  customerBody,
  invoiceBody,
  itemBody,
  paymentBody,
  toCreated,
  toHeldPayment,
  toOpenBalance,
  toTargetCustomer,
  toTargetItem,
} from './mapping';

/** The entities a kind's records can be (an invoice may have become a credit memo or a sales receipt). */
const ENTITIES: Record<CreatableKind, string[]> = {
  customer: ['Customer'],
  product: ['Item'],
  invoice: ['Invoice', 'CreditMemo', 'SalesReceipt'],
  payment: ['Payment'],
};
const ENTITY_FORM: Record<string, SalesForm> = { Invoice: 'invoice', CreditMemo: 'creditMemo', SalesReceipt: 'salesReceipt' };
const IN_CHUNK = 100;

const CODE_CLASS: Record<string, FaultClass> = {
  '6240': 'duplicateName',
  '6140': 'duplicateNumber',
  '5010': 'staleObject',
  '2500': 'invalidReference',
  '2030': 'invalidReference',
  '610': 'inactiveReference',
  '2050': 'tooLong',
  '2020': 'requiredMissing',
  '6070': 'amountMismatch',
  '6000': 'businessRule',
};

/** Runs QuickBooks calls; a fault of a whole call comes out as the engine's typed error. */
export async function asTargetFault<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof QboFault) throw new TargetError(classify(err), { cause: err });
    throw err;
  }
}

/** A QuickBooks fault in the engine's terms. */
export function classify(fault: QboFault): TargetFault {
  const cls: FaultClass =
    fault.kind === 'unauthorized'
      ? 'unauthorized'
      : fault.kind === 'throttled'
        ? 'throttled'
        : fault.kind === 'system' || fault.kind === 'network'
          ? 'transient'
          : (CODE_CLASS[fault.code] ?? 'rejected');
  return {
    class: cls,
    message: fault.message,
    code: fault.code || undefined,
    field: fault.errors[0]?.element || undefined,
    traceId: fault.intuitTid,
    httpStatus: fault.status || undefined,
  };
}

/** A call or item whose outcome is unknown: QuickBooks may or may not have saved it. */
function unsure(fault: QboFault): boolean {
  return fault.kind === 'system' || fault.kind === 'network';
}

/** A record QuickBooks never confirmed and that it does not hold either: the next export sends it. */
function notConfirmed(fault: QboFault, sends: number): TargetFault {
  return {
    ...classify(fault),
    class: 'transient',
    message: `QuickBooks did not confirm it after ${sends} ${sends === 1 ? 'try' : 'tries'} (${fault.message}), and does not hold it`,
  };
}

export interface OnlineTargetOptions {
  /** Times one batch is sent (the first included) before records QuickBooks never confirmed are given up. Default 5. */
  maxSends?: number;
  /** Pause before a batch is sent again, doubling each time. Default 500 ms. */
  retryBaseMs?: number;
  /**
   * How long QuickBooks may still be saving a call whose answer never came (Intuit's limit on one request, 120 s):
   * after a time-out or a dropped connection the target waits until then before it looks for what the call saved.
   */
  processingLimitMs?: number;
  /** Told when the target waits for such a call. */
  onWait?(wait: { reason: string; until: Date }): void;
  /** Batches one kind keeps in flight or queued (the scheduler holds them to the limits). */
  batchesInFlight?: number;
}

/** QuickBooks keeps 50 characters of requestid + bId per item, so 42 leave room for bIds of up to 8. */
function batchRequestId(runId: string, keys: string[]): string {
  return `b-${createHash('sha256')
    .update(JSON.stringify([runId, keys]))
    .digest('base64url')
    .slice(0, 40)}`;
}

/** What QuickBooks Online carries: currencies, class and location lists, and these fields for admin mappings. */
export const ONLINE_CAPABILITIES: TargetCapabilities = {
  currencies: true,
  trackingLists: true,
  mappableFields: {
    Memo: { kind: 'text', max: QBO_LIMITS.customerMemo },
    PrivateNote: { kind: 'text', max: 3000 },
    'ShipAddr.Line1': { kind: 'text', max: QBO_LIMITS.addressLine },
    'ShipAddr.City': { kind: 'text', max: QBO_LIMITS.city },
    'ShipAddr.CountrySubDivisionCode': { kind: 'text', max: QBO_LIMITS.state },
    'ShipAddr.PostalCode': { kind: 'text', max: QBO_LIMITS.postalCode },
    'ShipAddr.Country': { kind: 'text', max: QBO_LIMITS.country },
    ShipDate: { kind: 'date', max: 10 },
    TrackingNum: { kind: 'text', max: 31 },
    BillEmail: { kind: 'email', max: QBO_LIMITS.email },
    // The three sales-form custom fields keep 31 characters.
    CustomField: { kind: 'text', max: 31 },
  },
};

const TRACKING_ENTITY = { class: 'Class', location: 'Department' } as const;

export class OnlineTarget implements AccountingTarget {
  readonly system = 'QuickBooks Online';
  readonly limits = QBO_LIMITS;
  readonly capabilities = ONLINE_CAPABILITIES;

  constructor(
    private readonly client: QboClient,
    readonly batchSize: number,
    private readonly reads?: ReadMeter,
    private readonly options: OnlineTargetOptions = {},
  ) {}

  get batchesInFlight(): number | undefined {
    return this.options.batchesInFlight;
  }

  fitBatch(): number {
    return this.client.fitBatch(this.batchSize);
  }

  unfit(records: number): void {
    this.client.unfit(records);
  }

  /** QuickBooks keeps 30 days of changes (the status sync's change feed). */
  readonly windowMs = CDC_WINDOW_MS;

  /** What changed since `since`, by Change Data Capture (a handful of reads); everything when QuickBooks no longer keeps that far. */
  async changesSince(since: Date, onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
    try {
      return await asTargetFault(() => changesSince(this.client, since, onPage));
    } catch (err) {
      if (!isTooOld(err)) throw err;
      return this.everything(onPage);
    }
  }

  /** Every invoice, credit memo and payment as they stand, 1,000 a query page. */
  everything(onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
    return asTargetFault(() => everything(this.client, onPage));
  }

  usage(): TargetUsage {
    const { run = 0, company, used, budget, month } = this.reads?.usage() ?? { company: 0, used: 0, budget: 0, month: '' };
    return { reads: { run, company, used, budget, month } };
  }

  get scope(): string {
    return `qbo:${this.client.realmId}`;
  }

  /** QuickBooks Online creates every kind and form Ledgerline sends. */
  supports(_capability: Capability): boolean {
    return true;
  }

  async settings(): Promise<TargetSettings> {
    const [info, prefs] = await asTargetFault(() => Promise.all([this.client.companyInfo(), this.client.preferences()]));
    const accounting = prefs?.AccountingInfoPrefs ?? {};
    const classTracking: ClassTracking = accounting.ClassTrackingPerTxnLine === true ? 'line' : accounting.ClassTrackingPerTxn === true ? 'transaction' : 'off';
    return {
      companyName: info.CompanyName ?? null,
      customNumbers: prefs.SalesFormsPrefs?.CustomTxnNumbers !== false,
      multiCurrency: prefs.CurrencyPrefs?.MultiCurrencyEnabled === true,
      homeCurrency: prefs.CurrencyPrefs?.HomeCurrency?.value ?? 'USD',
      rejectsDuplicateNumbers: readDuplicateWarning(prefs),
      automatedSalesTax: prefs?.TaxPrefs?.PartnerTaxEnabled === true,
      salesTax: readSalesTax(info, prefs),
      classTracking,
      trackLocations: accounting.TrackDepartments === true,
      customFields: readCustomFields(prefs),
    };
  }

  async loadTaxCodes(): Promise<{ id: string; name: string }[]> {
    const codes: { id: string; name: string }[] = [];
    await asTargetFault(() =>
      this.client.queryAll('TaxCode', undefined, (rows) =>
        rows.forEach((row) => {
          const r = readAnswer(ListRow, row, 'a TaxCode');
          codes.push({ id: r.Id, name: r.Name ?? '' });
        }),
      ),
    );
    return codes;
  }

  async loadTrackingLists(): Promise<{ classes: { id: string; name: string }[]; locations: { id: string; name: string }[] }> {
    const read = async (entity: string) => {
      const rows: { id: string; name: string }[] = [];
      await asTargetFault(() =>
        this.client.queryAll(entity, undefined, (page) =>
          page.forEach((row) => {
            const r = readAnswer(ListRow, row, `a ${entity}`);
            rows.push({ id: r.Id, name: r.FullyQualifiedName ?? r.Name ?? '' });
          }),
        ),
      );
      return rows;
    };
    return { classes: await read('Class'), locations: await read('Department') };
  }

  /**
   * One batch call per 30 names; a name another writer created meanwhile (6240), or whose answer was lost or carried
   * no usable record, is read back. A name QuickBooks refuses otherwise is left out: the invoices that need it are
   * refused naming it.
   */
  async createTrackingNames(list: 'class' | 'location', names: string[], context: { runId: string }): Promise<Map<string, string>> {
    const entity = TRACKING_ENTITY[list];
    const ids = new Map<string, string>();
    const clashed: string[] = [];
    for (let i = 0; i < names.length; i += this.batchSize) {
      const chunk = names.slice(i, i + this.batchSize);
      const answers = await asTargetFault(() =>
        this.client.batch(
          chunk.map((name, n) => ({ bId: String(n), operation: 'create' as const, entity, body: { Name: name } })),
          batchRequestId(
            context.runId,
            chunk.map((n) => `${entity}:${n}`),
          ),
        ),
      );
      const byId = new Map(answers.map((a) => [a.bId, a]));
      chunk.forEach((name, n) => {
        const a = byId.get(String(n));
        if (a?.ok && a.entity) ids.set(name.toLowerCase(), String(a.entity.Id));
        else if (!a || (!a.ok && (a.fault.code === '6240' || unsure(a.fault)))) clashed.push(name);
        else if (!a.ok && a.fault.kind === 'unauthorized') throw new QuickBooksUnauthorizedError('batch item unauthorized', a.fault);
      });
    }
    if (clashed.length) {
      await this.inChunks(entity, 'Name', clashed, (row) => {
        const r = readAnswer(ListRow, row, `a ${entity}`);
        if (r.Name) ids.set(r.Name.toLowerCase(), r.Id);
      });
    }
    return ids;
  }

  async accountCurrency(accountId: string): Promise<string | null> {
    let currency: string | null = null;
    await this.inChunks('Account', 'Id', [accountId], (row) => (currency = readAnswer(AccountRow, row, 'an Account').CurrencyRef?.value ?? null));
    return currency;
  }

  loadCustomers(onPage: (rows: ReturnType<typeof toTargetCustomer>[]) => void): Promise<void> {
    return asTargetFault(() => this.client.queryAll('Customer', undefined, (rows) => onPage(rows.map(toTargetCustomer)))).then(() => undefined);
  }

  async loadReservedNames(onPage: (names: string[]) => void): Promise<void> {
    const names = (rows: QboEntity[]) => onPage(rows.flatMap((r) => readAnswer(NameRow, r, 'a name').DisplayName ?? []));
    await asTargetFault(() => this.client.queryAll('Vendor', undefined, names));
    await asTargetFault(() => this.client.queryAll('Employee', undefined, names));
  }

  loadItems(onPage: (rows: ReturnType<typeof toTargetItem>[]) => void): Promise<void> {
    return asTargetFault(() => this.client.queryAll('Item', undefined, (rows) => onPage(rows.map(toTargetItem)))).then(() => undefined);
  }

  async loadInactiveItems(): Promise<TargetItem[]> {
    const found: TargetItem[] = [];
    // A list query is active-only unless it names Active.
    await asTargetFault(() =>
      this.client.queryAll('Item', 'Active = false', (rows) => {
        found.push(...rows.map(toTargetItem));
      }),
    );
    return found;
  }

  async existing(kind: CreatableKind, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const entity of ENTITIES[kind]) await this.inChunks(entity, 'Id', ids, (row) => found.add(readAnswer(Entity, row, `a ${entity}`).Id));
    return found;
  }

  async findByNumbers(_kind: 'invoice', numbers: string[]): Promise<Map<string, NumberedRecord>> {
    const taken = new Map<string, NumberedRecord>();
    await this.inChunks('Invoice', 'DocNumber', numbers, (row) => {
      const r = readAnswer(NumberedRow, row, 'an Invoice');
      if (r.DocNumber) taken.set(r.DocNumber, { id: r.Id, sourceId: readMarker(r.PrivateNote) });
    });
    return taken;
  }

  async findByMarker(kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>> {
    const found = new Map<string, CreatedRecord>();
    for (const entity of ENTITIES[kind]) {
      await asTargetFault(() =>
        this.client.queryAll(entity, `MetaData.CreateTime >= '${since.toISOString()}'`, (rows) => {
          for (const row of rows) {
            const id = readMarker(readAnswer(MarkedRow, row, `a ${entity}`).PrivateNote);
            if (id && sourceIds.has(id)) found.set(id, { ...toCreated(row), ...(kind === 'invoice' ? { form: ENTITY_FORM[entity] } : {}) });
          }
        }),
      );
    }
    return found;
  }

  async openBalances(invoiceIds: string[]): Promise<Map<string, OpenBalance>> {
    const found = new Map<string, OpenBalance>();
    await this.inChunks('Invoice', 'Id', invoiceIds, (row) => found.set(readAnswer(Entity, row, 'an Invoice').Id, toOpenBalance(row)));
    return found;
  }

  async paymentsByReference(references: string[]): Promise<HeldPayment[]> {
    const found: HeldPayment[] = [];
    await this.inChunks('Payment', 'PaymentRefNum', references, (row) => found.push(toHeldPayment(row)));
    return found;
  }

  /**
   * One batch, answered per record. A record whose outcome is unknown — the call timed out, failed with a 5xx or lost
   * its connection, or its answer carries no record with an Id — is looked for in QuickBooks (one query per entity
   * for the batch) and only what QuickBooks does not hold is sent again, with the same requestid.
   */
  async create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[], context: { runId: string }): Promise<DeliveryResult[]> {
    const requests = items.map((item, i): BatchRequestItem => ({ bId: String(i), operation: 'create', ...requestFor(kind, item.doc) }));
    const requestId = batchRequestId(
      context.runId,
      items.map((i) => i.key),
    );
    const results: (DeliveryResult | undefined)[] = new Array(items.length);
    const firstSentAt = new Date();
    const maxSends = this.options.maxSends ?? 5;
    let todo = requests;
    for (let sends = 1; ; sends++) {
      const { doubtful, lost } = await this.sendOnce(todo, requestId, results);
      if (!doubtful.length) break;
      if (lost) await this.waitOut(lost);
      const saved = await asTargetFault(() =>
        findSaved(
          this.client,
          kind,
          doubtful.map((d) => items[d.index]!.doc),
          firstSentAt,
        ),
      );
      const missing = doubtful.filter((d, n) => {
        const record = saved[n];
        if (record) results[d.index] = { ok: true, created: record };
        return !record;
      });
      if (!missing.length) break;
      if (sends >= maxSends) {
        // QuickBooks is not answering at all: the run stops, and the next one finds what it saved by marker and name.
        if (lost) throw new TargetError(classify(lost), { cause: lost });
        for (const d of missing) results[d.index] = { ok: false, fault: notConfirmed(d.fault, sends) };
        break;
      }
      todo = missing.map((d) => requests[d.index]!);
      await sleep((this.options.retryBaseMs ?? 500) * 2 ** (sends - 1));
    }
    return results.map((r) => r ?? { ok: false, fault: { class: 'rejected', message: 'QuickBooks returned no answer for this record' } });
  }

  /** Sends one batch call; fills the results it settles and returns the records whose outcome is unknown. */
  private async sendOnce(
    requests: BatchRequestItem[],
    requestId: string,
    results: (DeliveryResult | undefined)[],
  ): Promise<{ doubtful: { index: number; fault: QboFault }[]; lost: QboFault | null }> {
    let answers;
    try {
      answers = await this.client.batch(requests, requestId, { resendUnsure: false });
    } catch (err) {
      if (err instanceof QboFault && unsure(err)) return { doubtful: requests.map((r) => ({ index: Number(r.bId), fault: err })), lost: err };
      if (err instanceof QboFault) throw new TargetError(classify(err), { cause: err });
      throw err;
    }
    const byId = new Map(answers.map((a) => [a.bId, a]));
    const doubtful: { index: number; fault: QboFault }[] = [];
    for (const request of requests) {
      const index = Number(request.bId);
      const answer = byId.get(request.bId);
      if (!answer) {
        doubtful.push({ index, fault: unreadable('a batch', `no answer for item ${request.bId}`, null) });
      } else if (!answer.ok) {
        if (answer.fault.kind === 'unauthorized') throw new QuickBooksUnauthorizedError('batch item unauthorized', answer.fault);
        if (unsure(answer.fault)) doubtful.push({ index, fault: answer.fault });
        else results[index] = { ok: false, fault: classify(answer.fault) };
      } else {
        try {
          results[index] = { ok: true, created: toCreated(answer.entity) };
        } catch (err) {
          if (!(err instanceof QboFault)) throw err;
          doubtful.push({ index, fault: err });
        }
      }
    }
    return { doubtful, lost: null };
  }

  /** After a call whose answer never came: QuickBooks may still save it until its own limit on a request has passed. */
  private async waitOut(lost: QboFault): Promise<void> {
    if (lost.kind !== 'network' || lost.sentAt === null) return;
    const until = lost.sentAt + (this.options.processingLimitMs ?? 120_000);
    if (until <= Date.now()) return;
    this.options.onWait?.({ reason: 'QuickBooks to finish a call whose answer was lost, before looking for what it saved', until: new Date(until) });
    await sleep(until - Date.now());
  }

  private async inChunks(entity: string, field: string, values: string[], onRow: (row: QboEntity) => void): Promise<void> {
    for (let i = 0; i < values.length; i += IN_CHUNK) {
      const chunk = values
        .slice(i, i + IN_CHUNK)
        .map(qboQuote)
        .join(', ');
      await asTargetFault(() => this.client.queryAll(entity, `${field} IN (${chunk})`, (rows) => rows.forEach(onRow)));
    }
  }

  /** A sparse update of an exported invoice at a SyncToken (invoiceUpdate.ts). */
  updateInvoice(id: string, version: string, doc: InvoiceDoc, context: { runId: string }): Promise<InvoiceUpdateResult> {
    return asTargetFault(() => updateInvoice(this.client, (f) => classify(f as QboFault), id, version, doc, context));
  }

  invoiceStanding(id: string): Promise<InvoiceStanding | null> {
    return asTargetFault(() => invoiceStanding(this.client, id));
  }
}

function requestFor(kind: CreatableKind, doc: DocByKind[CreatableKind]): { entity: string; body: QboEntity } {
  if (kind === 'customer') return { entity: 'Customer', body: customerBody(doc as CustomerDoc) };
  if (kind === 'product') return { entity: 'Item', body: itemBody(doc as ItemDoc) };
  if (kind === 'payment') return { entity: 'Payment', body: paymentBody(doc as PaymentDoc) };
  const invoice = doc as InvoiceDoc;
  return { entity: FORM_ENTITY[invoice.form], body: invoiceBody(invoice) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How the company takes sales tax: US automated sales tax (TaxPrefs.PartnerTaxEnabled) computes it; a non-US company
 * with sales tax needs a tax code on every line; otherwise the amount is sent.
 */
export function readSalesTax(info: Record<string, any> | undefined, prefs: Record<string, any> | undefined): 'automated' | 'codes' | 'total' {
  const country = String(info?.Country ?? 'US').toUpperCase();
  if ((country === 'US' || country === 'USA') && prefs?.TaxPrefs?.PartnerTaxEnabled === true) return 'automated';
  if (country !== 'US' && country !== 'USA' && prefs?.TaxPrefs?.UsingSalesTax === true) return 'codes';
  return 'total';
}

/** The sales-form custom fields in use (Preferences.SalesFormsPrefs.CustomField: UseSalesCustomN and SalesCustomNameN). */
export function readCustomFields(prefs: Record<string, any> | undefined): { id: string; name: string }[] {
  const entries: { Name?: string; BooleanValue?: boolean; StringValue?: string }[] = (prefs?.SalesFormsPrefs?.CustomField ?? []).flatMap(
    (group: { CustomField?: unknown[] }) => group.CustomField ?? [],
  );
  const used = new Set(entries.filter((e) => /UseSalesCustom\d$/.test(e.Name ?? '') && e.BooleanValue === true).map((e) => e.Name!.slice(-1)));
  return entries
    .filter((e) => /SalesCustomName\d$/.test(e.Name ?? '') && e.StringValue && used.has(e.Name!.slice(-1)))
    .map((e) => ({ id: e.Name!.slice(-1), name: e.StringValue! }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The "warn on duplicate document numbers" preference, wherever this QuickBooks release keeps it. */
export function readDuplicateWarning(prefs: Preferences | undefined): boolean {
  const direct = prefs?.SalesFormsPrefs?.WarnDuplicateDocNum ?? prefs?.OtherPrefs?.WarnDuplicateDocNum;
  if (typeof direct === 'boolean') return direct;
  const nameValues = prefs?.OtherPrefs?.NameValue ?? [];
  const found = nameValues.find((nv) => /WarnDuplicate.*(Doc|Invoice|Txn)/i.test(nv.Name ?? ''));
  if (found) return String(found.Value).toLowerCase() === 'true';
  return true;
}
