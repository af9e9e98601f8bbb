// In-memory stand-ins for the engine's ports, for tests of the pipeline without HTTP: an accounting target that
// can refuse records, fail calls and lose answers; a source; a write-back unit of work; a Process Log; a journal.
import pino from 'pino';
import type { LogEntry, RunCounts, RunStatus } from '../../service/src/export/entries';
import { readMarker } from '../../service/src/export/marker';
import type { CompanyModel, SourceCreditApplication, SourceCustomer, SourceInvoice, SourcePayment, SourceProduct } from '../../service/src/export/model';
import type { ExportOptions } from '../../service/src/export/model';
import type { ExportCounts, ProcessLogPort, SourcePort, WriteBackPort, WriteBackRefusal, WriteBackUpdate } from '../../service/src/export/ports';
import { ExportRun, type RunDeps } from '../../service/src/export/run';
import {
  TargetError,
  type AccountingTarget,
  type Capability,
  type CreatableKind,
  type CreatedRecord,
  type DeliveryItem,
  type DeliveryResult,
  type DocByKind,
  type NumberedRecord,
  type TargetCustomer,
  type TargetFault,
  type TargetItem,
  type TargetSettings,
} from '../../service/src/export/target';
import type { IdempotencyRepository, JournalEntry, JournalRepository } from '../../service/src/store/types';
import { companyModel, limits, settings as defaultSettings } from './model';

interface Held {
  kind: CreatableKind;
  id: string;
  doc: DocByKind[CreatableKind];
}

/** An accounting system in memory. Faults are set per test. */
export class FakeTarget implements AccountingTarget {
  readonly system = 'QuickBooks Online';
  readonly scope = 'fake:realm';
  limits = limits;
  batchSize = 3;
  settingsValue: TargetSettings = defaultSettings();
  readonly customers: TargetCustomer[] = [];
  readonly items: TargetItem[] = [];
  readonly reserved: string[] = [];
  readonly created: Held[] = [];
  /** Every create call, with the keys it carried. */
  readonly calls: { kind: CreatableKind; keys: string[] }[] = [];
  /** Index loads asked for (each a read of the target's records). */
  readonly loads = { customers: 0, reservedNames: 0, items: 0 };
  /** A record fault for a document (by its name or source id). */
  refuse: (kind: CreatableKind, doc: any) => TargetFault | null = () => null;
  /** Fail the n-th create call (1-based) of a kind as a whole. */
  failCall: { kind: CreatableKind; n: number; fault: TargetFault; afterCommit?: boolean } | null = null;
  private nextId = 100;
  /** Keys already answered: a repeat gets the first answer (requestid replay). */
  private readonly answered = new Map<string, DeliveryResult>();

  async settings() {
    return this.settingsValue;
  }
  async loadCustomers(onPage: (rows: TargetCustomer[]) => void) {
    this.loads.customers++;
    onPage([...this.customers, ...this.ofKind('customer').map((c) => ({ id: c.id, displayName: (c.doc as any).displayName, email: (c.doc as any).email }))]);
  }
  async loadReservedNames(onPage: (names: string[]) => void) {
    this.loads.reservedNames++;
    onPage([...this.reserved]);
  }
  async loadItems(onPage: (rows: TargetItem[]) => void) {
    this.loads.items++;
    onPage([...this.items, ...this.ofKind('product').map((c) => ({ id: c.id, name: (c.doc as any).name, sku: (c.doc as any).sku }))]);
  }
  async existing(kind: CreatableKind, ids: string[]) {
    return new Set(ids.filter((id) => this.created.some((c) => c.kind === kind && c.id === id)));
  }
  /** What this target declines to create (declared, as a real target does). */
  unsupported = new Set<Capability>();
  supports(capability: Capability) {
    return !this.unsupported.has(capability);
  }
  async findByNumbers(_kind: 'invoice', numbers: string[]) {
    const taken = new Map<string, NumberedRecord>();
    for (const c of this.created)
      if (c.kind === 'invoice' && numbers.includes((c.doc as any).docNumber))
        taken.set((c.doc as any).docNumber, { id: c.id, sourceId: readMarker((c.doc as any).privateNote) });
    return taken;
  }
  async findByMarker(kind: 'invoice' | 'payment', ids: Set<string>) {
    const found = new Map<string, CreatedRecord>();
    for (const c of this.created) {
      const id = c.kind === kind ? readMarker((c.doc as any).privateNote) : null;
      if (id && ids.has(id)) found.set(id, this.record(c));
    }
    return found;
  }
  /** An invoice's balance: its total less what payments linked to it applied. */
  balanceOf(invoiceId: string): number {
    const inv = this.created.find((c) => c.kind === 'invoice' && c.id === invoiceId);
    if (!inv) return 0;
    const paid = this.ofKind('payment').flatMap((p) => (p.doc as any).links.filter((l: any) => l.txnId === invoiceId).map((l: any) => l.amount));
    return Math.round((this.record(inv).total! - paid.reduce((a: number, b: number) => a + b, 0)) * 100) / 100;
  }
  async openBalances(ids: string[]) {
    const found = new Map<string, { balance: number; customerId: string | null; total: number | null }>();
    for (const id of ids) {
      const inv = this.created.find((c) => c.kind === 'invoice' && c.id === id);
      if (inv) found.set(id, { balance: this.balanceOf(id), customerId: (inv.doc as any).customerId, total: this.record(inv).total ?? null });
    }
    return found;
  }
  async paymentsByReference(refs: string[]) {
    return this.ofKind('payment')
      .filter((p) => refs.includes((p.doc as any).reference))
      .map((p) => ({
        id: p.id,
        reference: (p.doc as any).reference,
        customerId: (p.doc as any).customerId,
        amount: (p.doc as any).amount,
        date: (p.doc as any).txnDate ?? null,
        sourceId: readMarker((p.doc as any).privateNote),
        links: (p.doc as any).links.map((l: any) => l.txnId),
      }));
  }
  async create<K extends CreatableKind>(kind: K, items: DeliveryItem<K>[]): Promise<DeliveryResult[]> {
    this.calls.push({ kind, keys: items.map((i) => i.key) });
    const n = this.calls.filter((c) => c.kind === kind).length;
    const fail = this.failCall && this.failCall.kind === kind && this.failCall.n === n ? this.failCall : null;
    if (fail && !fail.afterCommit) throw new TargetError(fail.fault);
    const results = items.map((item) => {
      const again = this.answered.get(item.key);
      if (again) return again;
      const fault = this.refuse(kind, item.doc);
      const result: DeliveryResult = fault ? { ok: false, fault } : { ok: true, created: this.record(this.hold(kind, item.doc)) };
      this.answered.set(item.key, result);
      return result;
    });
    if (fail) throw new TargetError(fail.fault);
    return results;
  }
  ofKind(kind: CreatableKind): Held[] {
    return this.created.filter((c) => c.kind === kind);
  }
  private hold(kind: CreatableKind, doc: DocByKind[CreatableKind]): Held {
    const held = { kind, id: String(this.nextId++), doc };
    this.created.push(held);
    return held;
  }
  private record(h: Held): CreatedRecord {
    const d = h.doc as any;
    if (h.kind === 'payment') return { id: h.id, total: d.amount };
    if (h.kind === 'invoice') {
      const total = d.lines.reduce((s: number, l: any) => s + l.amount, 0) - (d.discount?.amount ?? 0) + (d.tax ?? 0);
      return { id: h.id, number: d.docNumber ?? `Q${h.id}`, total: Math.round(total * 100) / 100, form: d.form };
    }
    return { id: h.id, name: d.displayName ?? d.name, type: d.type };
  }
}

export class FakeSource {
  pageSize = 2;
  company = companyModel();
  customers: SourceCustomer[] = [];
  products: SourceProduct[] = [];
  invoices: SourceInvoice[] = [];
  payments: SourcePayment[] = [];
  applications: SourceCreditApplication[] = [];
  /** Invoices of any company and state, for requested numbers. */
  others: { id: string; number: string; companyId: string | null; approved: boolean; transferred: boolean }[] = [];

  async counts(): Promise<ExportCounts> {
    return { customers: this.customers.length, products: this.products.length, invoices: this.invoices.length };
  }
  async *paged<T>(rows: T[]): AsyncGenerator<T[]> {
    for (let i = 0; i < rows.length; i += this.pageSize) yield rows.slice(i, i + this.pageSize);
  }
  async requestedInvoices(numbers: string[]) {
    return this.others.filter((o) => numbers.includes(o.number));
  }
}
/**
 * An invoice with its payments, as Salesforce reads them with it (the invoice's Payments__r): a test that lists the
 * payments alone still gets invoices that know they are paid.
 */
function withPayments(invoice: SourceInvoice, payments: SourcePayment[]): SourceInvoice {
  if (invoice.payments.length) return invoice;
  const own = payments.filter((p) => p.invoiceId === invoice.id);
  return own.length
    ? { ...invoice, payments: own.map((p) => ({ id: p.id, amount: p.amount, date: p.date, paidAt: p.paidAt, reference: p.reference })) }
    : invoice;
}

/** The source port over a FakeSource (its record lists are plain arrays a test fills). */
export function sourcePort(source: FakeSource): SourcePort {
  return {
    companies: async () => [source.company],
    company: async (): Promise<CompanyModel | null> => source.company,
    counts: () => source.counts(),
    customers: () => source.paged(source.customers),
    products: () => source.paged(source.products),
    invoices: (_c, options) =>
      source.paged(
        source.invoices
          .filter(
            (i) =>
              (!options.invoiceNumbers?.length || options.invoiceNumbers.includes(i.number)) && (!options.pendingOnly || i.exportStatus === 'Pending Sync'),
          )
          .map((i) => withPayments(i, source.payments)),
      ),
    requestedInvoices: (numbers) => source.requestedInvoices(numbers),
    payments: () => source.paged(source.payments),
    creditApplications: () => source.paged(source.applications),
  };
}

/** Applies updates to a map (as Salesforce would hold them); refuses the records it is told to. */
export class FakeWriteBack implements WriteBackPort {
  readonly applied = new Map<string, WriteBackUpdate>();
  refuse = new Map<string, string>();
  registered = 0;
  committed = 0;
  commits = 0;
  /** Each commit's updates, in order. */
  readonly history: WriteBackUpdate[][] = [];
  private pending: { update: WriteBackUpdate; journal?: JournalEntry }[] = [];

  constructor(
    private readonly journal: JournalRepository,
    private readonly onRefused: (r: WriteBackRefusal) => void,
  ) {}

  register(update: WriteBackUpdate, journal?: JournalEntry) {
    this.pending.push({ update, journal });
    this.registered++;
  }
  async flushIfDue() {
    if (this.pending.length >= 200) await this.commit();
  }
  async commit() {
    const chunk = this.pending.splice(0);
    if (!chunk.length) return;
    this.commits++;
    this.history.push(chunk.map((c) => c.update));
    const written: JournalEntry[] = [];
    for (const { update, journal } of chunk) {
      const reason = this.refuse.get(update.subject.id);
      if (reason) {
        this.onRefused({ update, reason });
        continue;
      }
      this.applied.set(update.subject.id, update);
      if (journal) written.push({ ...journal, state: 'written_back' });
    }
    // As Salesforce's write-back does: a row the run stored keeps its detail.
    await this.journal.markWrittenBack(written);
    this.committed += chunk.length;
  }
}

export class FakeProcessLog implements ProcessLogPort {
  readonly entries: LogEntry[] = [];
  closed: { status: RunStatus; summary: string; counts: RunCounts } | null = null;
  async open() {
    return 'log-1';
  }
  async append(_id: string, entries: LogEntry[]) {
    this.entries.push(...entries);
  }
  async close(_id: string, end: { status: RunStatus; summary: string; counts: RunCounts }) {
    this.closed = { status: end.status, summary: end.summary, counts: end.counts };
  }
}

export function memoryJournal(): JournalRepository & { rows: Map<string, JournalEntry> } {
  const rows = new Map<string, JournalEntry>();
  const key = (e: Pick<JournalEntry, 'companyId' | 'recordType' | 'recordId'>) => `${e.companyId}|${e.recordType}|${e.recordId}`;
  return {
    rows,
    async upsertMany(entries) {
      for (const e of entries) rows.set(key(e), { ...e, updatedAt: new Date() });
    },
    async markWrittenBack(entries) {
      for (const e of entries) {
        const held = rows.get(key(e));
        const same = held && held.runId === e.runId && held.state === 'created' && (held.targetId ?? null) === (e.targetId ?? null);
        const { detailStored, ...row } = e;
        const detail = detailStored && held ? held.detail : row.detail;
        rows.set(key(e), same ? { ...held, state: 'written_back', updatedAt: new Date() } : { ...row, detail, state: 'written_back', updatedAt: new Date() });
      }
    },
    async getMany(companyId, recordType, ids) {
      const found = new Map<string, JournalEntry>();
      for (const id of ids) {
        const e = rows.get(key({ companyId, recordType, recordId: id }));
        if (e) found.set(id, e);
      }
      return found;
    },
    async listByState(companyId, recordType, states) {
      return [...rows.values()].filter((e) => e.companyId === companyId && e.recordType === recordType && states.includes(e.state));
    },
    async countByState(companyId, recordType, states) {
      return (await this.listByState(companyId, recordType, states)).length;
    },
  };
}

export function memoryKeys(): IdempotencyRepository {
  const keys = new Map<string, string>();
  return {
    async getOrCreate(scope, print, candidate) {
      const k = `${scope}|${print}`;
      if (!keys.has(k)) keys.set(k, candidate);
      return keys.get(k)!;
    },
    async getOrCreateMany(scope, items) {
      const out = new Map<string, string>();
      for (const i of items) out.set(i.fingerprint, await this.getOrCreate(scope, i.fingerprint, i.candidate));
      return out;
    },
  };
}

/** One engine over the fakes: run it, look at everything it touched. */
export class Harness {
  readonly target = new FakeTarget();
  readonly source = new FakeSource();
  readonly journal = memoryJournal();
  readonly keys = memoryKeys();
  readonly log = new FakeProcessLog();
  writeBack!: FakeWriteBack;
  refuseWriteBack = new Map<string, string>();
  stopAfterCalls: number | null = null;
  private runs = 0;

  async run(options: Partial<ExportOptions> = {}) {
    const opts: ExportOptions = { dryRun: false, ...options };
    const deps: RunDeps = {
      source: sourcePort(this.source),
      target: async () => this.target,
      writeBack: (onRefused) => {
        this.writeBack = new FakeWriteBack(this.journal, onRefused);
        this.writeBack.refuse = this.refuseWriteBack;
        return this.writeBack;
      },
      processLog: this.log,
      journal: this.journal,
      keys: this.keys,
      logger: pino({ level: 'silent' }),
      vendorClashSuffix: ' (C)',
      now: () => new Date('2026-11-20T10:00:00Z'),
      checkpoint: () => {
        if (this.stopAfterCalls !== null && this.target.calls.length >= this.stopAfterCalls) throw new Error('stopped by its checkpoint');
      },
    };
    this.log.entries.length = 0;
    const run = new ExportRun(deps, `run-${++this.runs}`, this.source.company, opts);
    const outcome = await run.execute();
    const applied: Map<string, WriteBackUpdate> = this.writeBack?.applied ?? new Map();
    // The source holds the links it took, as Salesforce would on the next read.
    for (const record of [...this.source.customers, ...this.source.products]) {
      const update = applied.get(record.id);
      if (update && (update.kind === 'customer' || update.kind === 'product')) record.targetId = update.targetId;
    }
    return { run, outcome, entries: [...this.log.entries], applied };
  }
}
