// QuickBooks Online as the engine's accounting target: indexes loaded 1,000 rows a query page, creates in batch
// calls with a requestid per record and per call, invoices found by marker, and every QuickBooks fault code
// classified here (the engine never sees one).
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
  type HeldPayment,
  type InvoiceDoc,
  type ItemDoc,
  type OpenBalance,
  type PaymentDoc,
  type FaultClass,
  type TargetFault,
  type TargetSettings,
} from '../../export/target';
import { readMarker } from '../../export/marker';
import { QuickBooksUnauthorizedError } from '../../errors';
import { qboQuote, type QboClient, type QboEntity } from './client';
import { QboFault } from './errors';
import { QBO_LIMITS } from './limits';
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

/** QuickBooks keeps 50 characters of requestid + bId per item, so 42 leave room for bIds of up to 8. */
function batchRequestId(runId: string, keys: string[]): string {
  return `b-${createHash('sha256')
    .update(JSON.stringify([runId, keys]))
    .digest('base64url')
    .slice(0, 40)}`;
}

export class OnlineTarget implements AccountingTarget {
  readonly system = 'QuickBooks Online';
  readonly limits = QBO_LIMITS;

  constructor(
    private readonly client: QboClient,
    readonly batchSize: number,
  ) {}

  get scope(): string {
    return `qbo:${this.client.realmId}`;
  }

  async settings(): Promise<TargetSettings> {
    const [info, prefs] = await this.call(() => Promise.all([this.client.companyInfo(), this.client.preferences()]));
    return {
      companyName: info?.CompanyName ?? null,
      customNumbers: prefs?.SalesFormsPrefs?.CustomTxnNumbers !== false,
      multiCurrency: prefs?.CurrencyPrefs?.MultiCurrencyEnabled === true,
      homeCurrency: prefs?.CurrencyPrefs?.HomeCurrency?.value ?? 'USD',
      rejectsDuplicateNumbers: readDuplicateWarning(prefs),
    };
  }

  loadCustomers(onPage: (rows: ReturnType<typeof toTargetCustomer>[]) => void): Promise<void> {
    return this.call(() => this.client.queryAll('Customer', undefined, (rows) => onPage(rows.map(toTargetCustomer)))).then(() => undefined);
  }

  async loadReservedNames(onPage: (names: string[]) => void): Promise<void> {
    const names = (rows: QboEntity[]) => onPage(rows.flatMap((r) => (typeof r.DisplayName === 'string' ? [r.DisplayName] : [])));
    await this.call(() => this.client.queryAll('Vendor', undefined, names));
    await this.call(() => this.client.queryAll('Employee', undefined, names));
  }

  loadItems(onPage: (rows: ReturnType<typeof toTargetItem>[]) => void): Promise<void> {
    return this.call(() => this.client.queryAll('Item', undefined, (rows) => onPage(rows.map(toTargetItem)))).then(() => undefined);
  }

  async existing(kind: CreatableKind, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const entity of ENTITIES[kind]) await this.inChunks(entity, 'Id', ids, (row) => found.add(String(row.Id)));
    return found;
  }

  async findByNumbers(_kind: 'invoice', numbers: string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    await this.inChunks('Invoice', 'DocNumber', numbers, (row) => row.DocNumber && taken.set(row.DocNumber, String(row.Id)));
    return taken;
  }

  async findByMarker(kind: 'invoice' | 'payment', sourceIds: Set<string>, since: Date): Promise<Map<string, CreatedRecord>> {
    const found = new Map<string, CreatedRecord>();
    for (const entity of ENTITIES[kind]) {
      await this.call(() =>
        this.client.queryAll(entity, `MetaData.CreateTime >= '${since.toISOString()}'`, (rows) => {
          for (const row of rows) {
            const id = readMarker(row.PrivateNote);
            if (id && sourceIds.has(id)) found.set(id, toCreated(row));
          }
        }),
      );
    }
    return found;
  }

  async openBalances(invoiceIds: string[]): Promise<Map<string, OpenBalance>> {
    const found = new Map<string, OpenBalance>();
    await this.inChunks('Invoice', 'Id', invoiceIds, (row) => found.set(String(row.Id), toOpenBalance(row)));
    return found;
  }

  async paymentsByReference(references: string[]): Promise<HeldPayment[]> {
    const found: HeldPayment[] = [];
    await this.inChunks('Payment', 'PaymentRefNum', references, (row) => found.push(toHeldPayment(row)));
    return found;
  }

  async create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[], context: { runId: string }): Promise<DeliveryResult[]> {
    const request = (doc: DocByKind[CreatableKind]): { entity: string; body: QboEntity } => {
      if (kind === 'customer') return { entity: 'Customer', body: customerBody(doc as CustomerDoc) };
      if (kind === 'product') return { entity: 'Item', body: itemBody(doc as ItemDoc) };
      if (kind === 'payment') return { entity: 'Payment', body: paymentBody(doc as PaymentDoc) };
      const invoice = doc as InvoiceDoc;
      return { entity: FORM_ENTITY[invoice.form], body: invoiceBody(invoice) };
    };
    const answers = await this.call(() =>
      this.client.batch(
        items.map((item, i) => ({ bId: String(i), operation: 'create' as const, ...request(item.doc) })),
        batchRequestId(
          context.runId,
          items.map((i) => i.key),
        ),
      ),
    );
    const byId = new Map(answers.map((a) => [a.bId, a]));
    return items.map((_, i): DeliveryResult => {
      const answer = byId.get(String(i));
      if (!answer) return { ok: false, fault: { class: 'rejected', message: 'QuickBooks returned no answer for this record' } };
      if (!answer.ok) {
        if (answer.fault.kind === 'unauthorized') throw new QuickBooksUnauthorizedError('batch item unauthorized', answer.fault);
        return { ok: false, fault: classify(answer.fault) };
      }
      return { ok: true, created: toCreated(answer.entity ?? {}) };
    });
  }

  private async inChunks(entity: string, field: string, values: string[], onRow: (row: QboEntity) => void): Promise<void> {
    for (let i = 0; i < values.length; i += IN_CHUNK) {
      const chunk = values
        .slice(i, i + IN_CHUNK)
        .map(qboQuote)
        .join(', ');
      await this.call(() => this.client.queryAll(entity, `${field} IN (${chunk})`, (rows) => rows.forEach(onRow)));
    }
  }

  /** A QuickBooks fault of a whole call, as the engine's typed error. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof QboFault) throw new TargetError(classify(err), { cause: err });
      throw err;
    }
  }
}

/** The "warn on duplicate document numbers" preference, wherever this QuickBooks release keeps it. */
export function readDuplicateWarning(prefs: Record<string, any> | undefined): boolean {
  const direct = prefs?.SalesFormsPrefs?.WarnDuplicateDocNum ?? prefs?.OtherPrefs?.WarnDuplicateDocNum;
  if (typeof direct === 'boolean') return direct;
  const nameValues: { Name?: string; Value?: string }[] = prefs?.OtherPrefs?.NameValue ?? [];
  const found = nameValues.find((nv) => /WarnDuplicate.*(Doc|Invoice|Txn)/i.test(nv.Name ?? ''));
  if (found) return String(found.Value).toLowerCase() === 'true';
  return true;
}
