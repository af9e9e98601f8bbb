// One export run for one Company: customers, then products, then invoices, each written back to Salesforce,
// and a Process Log of every outcome. Decisions come from the pure modules beside this one; this file does the
// I/O in the order that keeps QuickBooks free of duplicates after any crash:
//   journal 'sent' (request key fixed)  ->  QuickBooks create  ->  journal 'created'  ->  Salesforce write-back
//   ->  journal 'written_back'.
// A run that dies between two steps is finished by the next one: customers and items are found again by the
// match cascade, invoices by the marker in their PrivateNote.
import type { Logger } from 'pino';
import { LedgerlineError, QuickBooksUnauthorizedError, errorMessage } from '../errors';
import { CustomerIndex, ReservedNames } from '../matching/customers';
import { ItemIndex } from '../matching/products';
import { qboQuote, type BatchRequestItem, type QboClient, type QboEntity } from '../quickbooks/online/client';
import { QboFault } from '../quickbooks/online/errors';
import { customerIdField, type Company, type Invoice } from '../salesforce/records';
import type { InvoiceFilter, SalesforceRepository, WriteRecord } from '../salesforce/repository';
import type { JournalEntry, JournalRecordType, RunRecord, Store } from '../store/types';
import { decideCustomer, renameForClash } from './customers';
import { batchRequestKey, entry, itemRequestKey } from './journal';
import { buildInvoice, readMarker, usesSalesforceNumbers, type QuickBooksSettings } from './invoices';
import { round2 } from './money';
import { count, emptyCounts, fixForQuickBooksCode, shortened, type LogEntry, type RunCounts } from './outcomes';
import { ProcessLogWriter } from './processLog';
import { decideProduct } from './products';

export type Phase = 'starting' | 'customers' | 'products' | 'invoices' | 'writeBack' | 'processLog' | 'done';
export const PROGRESS_PHASES = ['customers', 'products', 'invoices', 'writeBack'] as const;
type ProgressPhase = (typeof PROGRESS_PHASES)[number];

export interface ExportOptions extends InvoiceFilter {
  dryRun: boolean;
}

export interface RunDeps {
  store: Store;
  salesforce: SalesforceRepository;
  qbo: () => Promise<QboClient>;
  logger: Logger;
  batchSize: number;
  vendorClashSuffix: string;
  now: () => Date;
  /** Throws when the run must stop (its lock was lost, or the process is shutting down). */
  checkpoint: () => void;
}

export interface DryRunPlan {
  customers: { match: number; create: number; rename: number };
  products: { match: number; create: number; fail: number };
  invoices: { create: number; fail: { invoiceNumber: string; reason: string }[] };
}

interface Creation {
  recordId: string;
  recordName: string;
  payload: Record<string, unknown>;
  requestKey: string;
  /** Other Salesforce records that become the same QuickBooks record (same new customer name). */
  alsoFor?: string[];
}

interface CreationResult {
  creation: Creation;
  entity?: QboEntity;
  fault?: QboFault;
}

const WRITE_BACK_FLUSH = 200;

export class ExportRun {
  readonly counts: RunCounts = emptyCounts();
  readonly progress: Record<ProgressPhase, { done: number; total: number }> = {
    customers: { done: 0, total: 0 },
    products: { done: 0, total: 0 },
    invoices: { done: 0, total: 0 },
    writeBack: { done: 0, total: 0 },
  };
  phase: Phase = 'starting';
  readonly plan: DryRunPlan = {
    customers: { match: 0, create: 0, rename: 0 },
    products: { match: 0, create: 0, fail: 0 },
    invoices: { create: 0, fail: [] },
  };

  private qbo!: QboClient;
  private settings!: QuickBooksSettings;
  private readonly log: ProcessLogWriter;
  private readonly customerIds = new Map<string, string>();
  private readonly itemIds = new Map<string, string>();
  private pendingWriteBack: { record: WriteRecord; type: JournalRecordType; journal?: JournalEntry; name: string }[] = [];
  private lastProgressSave = 0;

  constructor(
    private readonly deps: RunDeps,
    private readonly run: RunRecord,
    private readonly company: Company,
    private readonly options: ExportOptions,
  ) {
    this.log = new ProcessLogWriter(deps.salesforce, company, run.id, options.dryRun, deps.now);
  }

  get processLogId(): string | null {
    return this.log.id;
  }

  /** Runs the export to the end. Never throws: a failure ends the run `failed` with its reason logged. */
  async execute(): Promise<{ status: RunRecord['status']; error: { code: string; message: string } | null }> {
    let error: { code: string; message: string } | null = null;
    try {
      if (!this.options.dryRun) await this.log.open(this.deps.now());
      await this.setPhase('starting');
      const counts = await this.deps.salesforce.exportCounts(this.company);
      this.progress.customers.total = counts.customers;
      this.progress.products.total = counts.products;
      this.progress.invoices.total = await this.deps.salesforce.countInvoices(this.company, this.options);
      this.qbo = await this.deps.qbo();
      this.settings = await this.readSettings();
      await this.exportCustomers();
      await this.exportProducts();
      await this.exportInvoices();
      await this.setPhase('writeBack');
      await this.flushWriteBack();
    } catch (err) {
      error = await this.fail(err);
    }
    const status: RunRecord['status'] = error ? 'failed' : this.counts.errors > 0 ? 'completed_with_errors' : 'succeeded';
    this.phase = 'processLog';
    await this.saveProgress();
    try {
      await this.log.close(status, this.counts, this.summaryText(status, error), this.deps.now());
    } catch (err) {
      this.deps.logger.error({ err: errorMessage(err), runId: this.run.id }, 'could not write the Process Log');
      error ??= { code: 'PROCESS_LOG_FAILED', message: `The export finished but its Process Log could not be saved: ${errorMessage(err)}` };
    }
    this.phase = 'done';
    await this.saveProgress();
    return { status: error ? 'failed' : status, error };
  }

  // ---------------------------------------------------------------- settings

  private async readSettings(): Promise<QuickBooksSettings> {
    const [info, prefs] = await Promise.all([this.qbo.companyInfo(), this.qbo.preferences()]);
    const settings: QuickBooksSettings = {
      customTxnNumbers: prefs?.SalesFormsPrefs?.CustomTxnNumbers !== false,
      multiCurrency: prefs?.CurrencyPrefs?.MultiCurrencyEnabled === true,
      homeCurrency: prefs?.CurrencyPrefs?.HomeCurrency?.value ?? this.company.Currency_Code__c ?? 'USD',
      warnDuplicateDocNum: readDuplicateWarning(prefs),
    };
    this.deps.logger.info({ runId: this.run.id, realmId: this.qbo.realmId, quickBooksCompany: info?.CompanyName, settings }, 'QuickBooks settings read');
    if (!settings.customTxnNumbers && usesSalesforceNumbers(this.company)) {
      this.note({
        level: 'WARN',
        outcome: 'Warning',
        recordType: 'Run',
        recordName: info?.CompanyName ?? this.company.Name,
        message:
          'QuickBooks has Custom transaction numbers turned off, so it assigns its own invoice numbers and ignores the Salesforce numbers. ' +
          'Each invoice keeps its Salesforce number in the QuickBooks memo, and the number QuickBooks gave is written back to Salesforce.',
        fix: 'To keep Salesforce numbers, turn on Custom transaction numbers in QuickBooks (Account and Settings > Sales > Sales form content), then export the next invoices.',
      });
    }
    return settings;
  }

  // ---------------------------------------------------------------- customers

  private async exportCustomers(): Promise<void> {
    await this.setPhase('customers');
    const index = new CustomerIndex();
    const reserved = new ReservedNames();
    await this.qbo.queryAll('Customer', undefined, (rows) => index.add(rows));
    await this.qbo.queryAll('Vendor', undefined, (rows) => reserved.add(rows));
    await this.qbo.queryAll('Employee', undefined, (rows) => reserved.add(rows));
    const idField = customerIdField(this.company);
    const suffix = this.company.Vendor_Clash_Suffix__c ?? this.deps.vendorClashSuffix;

    for await (const page of this.deps.salesforce.customersToExport(this.company)) {
      this.deps.checkpoint();
      const journal = await this.deps.store.journal.getMany(this.company.Id, 'customer', page.map((c) => c.Id));
      const creations: (Creation & { renamedFrom?: string })[] = [];
      const plannedNames = new Map<string, string>();
      for (const customer of page) {
        const known = journal.get(customer.Id);
        if (known?.qboId && (known.state === 'created' || known.state === 'written_back') && index.has(known.qboId)) {
          this.matched('Customer', customer.Id, customer.Name, known.qboId, 'an earlier export created it');
          this.queueWriteBack('customer', { type: 'Customer__c', Id: customer.Id, [idField]: known.qboId }, customer.Name, known);
          continue;
        }
        const decision = decideCustomer(customer, index, reserved, suffix);
        if (decision.kind === 'match') {
          const how = { email: 'email', name: 'display name', companyCity: 'company name and city' }[decision.match.by];
          this.matched(
            'Customer',
            customer.Id,
            customer.Name,
            decision.match.qboId,
            `by ${how}${decision.match.ambiguous ? ' (several QuickBooks customers fitted; the oldest was used)' : ''}`,
          );
          this.plan.customers.match++;
          this.queueWriteBack('customer', { type: 'Customer__c', Id: customer.Id, [idField]: decision.match.qboId }, customer.Name);
          continue;
        }
        // Two Salesforce customers that would get the same new name are one QuickBooks customer.
        const twin = plannedNames.get(decision.displayName.toLowerCase());
        if (twin) {
          const first = creations.find((c) => c.recordId === twin)!;
          first.alsoFor = [...(first.alsoFor ?? []), customer.Id];
          continue;
        }
        plannedNames.set(decision.displayName.toLowerCase(), customer.Id);
        decision.notes.forEach((n) => this.note(n));
        this.plan.customers.create++;
        if (decision.renamedFrom) this.plan.customers.rename++;
        creations.push({
          recordId: customer.Id,
          recordName: customer.Name,
          payload: decision.payload,
          requestKey: '',
          renamedFrom: decision.renamedFrom,
        });
      }
      if (this.options.dryRun) {
        for (const c of creations) {
          if (c.renamedFrom) this.renamed(c, String(c.payload.DisplayName));
          this.customerIds.set(c.recordId, 'planned');
          for (const twin of c.alsoFor ?? []) this.customerIds.set(twin, 'planned');
        }
        this.advance('customers', page.length);
        continue;
      }
      await this.createCustomers(creations, reserved, suffix, idField);
      this.advance('customers', page.length);
      await this.flushWriteBackIfFull();
    }
    await this.flushWriteBack();
  }

  private async createCustomers(
    creations: (Creation & { renamedFrom?: string })[],
    reserved: ReservedNames,
    suffix: string,
    idField: string,
  ): Promise<void> {
    let pending = creations;
    // A 6240 clash that the vendor/employee lists did not predict (an inactive record, say) gets one rename.
    for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
      const retry: typeof pending = [];
      const results = await this.createAll('customer', 'Customer', pending);
      for (const { creation, entity, fault } of results) {
        const c = creation as Creation & { renamedFrom?: string };
        const twins = c.alsoFor ?? [];
        if (entity?.Id) {
          const name = String(entity.DisplayName ?? c.payload.DisplayName);
          if (c.renamedFrom) this.renamed(c, name, entity.Id);
          this.created('Customer', c.recordId, c.recordName, entity.Id, `as "${name}"`);
          for (const id of [c.recordId, ...twins]) {
            this.queueWriteBack('customer', { type: 'Customer__c', Id: id, [idField]: entity.Id }, c.recordName, entry(this.company.Id, this.run.id, 'customer', id, 'created', { qboId: entity.Id }));
          }
          continue;
        }
        if (fault?.code === '6240' && attempt === 0) {
          const current = String(c.payload.DisplayName);
          reserved.addName(current);
          const renamed = renameForClash(c.renamedFrom ?? current, suffix, (n) => reserved.has(n));
          retry.push({ ...c, payload: { ...c.payload, DisplayName: renamed }, renamedFrom: c.renamedFrom ?? current, requestKey: '' });
          continue;
        }
        this.recordFault('Customer', c.recordId, c.recordName, fault);
      }
      pending = retry;
    }
  }

  // ---------------------------------------------------------------- products

  private async exportProducts(): Promise<void> {
    await this.setPhase('products');
    const index = new ItemIndex();
    await this.qbo.queryAll('Item', undefined, (rows) => index.add(rows));
    const startDate = this.deps.now().toISOString().slice(0, 10);
    for await (const page of this.deps.salesforce.productsToExport(this.company)) {
      this.deps.checkpoint();
      const journal = await this.deps.store.journal.getMany(this.company.Id, 'product', page.map((p) => p.Id));
      const creations: Creation[] = [];
      for (const product of page) {
        const known = journal.get(product.Id);
        if (known?.qboId && (known.state === 'created' || known.state === 'written_back') && index.has(known.qboId)) {
          this.matched('Product', product.Id, product.Name, known.qboId, 'an earlier export created it');
          this.itemIds.set(product.Id, known.qboId);
          this.queueWriteBack('product', { type: 'Product__c', Id: product.Id, Financial_System_Product_Id__c: known.qboId }, product.Name, known);
          continue;
        }
        const decision = decideProduct(product, this.company, index, startDate);
        if (decision.kind === 'match') {
          this.plan.products.match++;
          this.matched('Product', product.Id, product.Name, decision.match.qboId, `by ${decision.match.by === 'sku' ? 'SKU' : 'item name'}`);
          this.itemIds.set(product.Id, decision.match.qboId);
          this.queueWriteBack('product', { type: 'Product__c', Id: product.Id, Financial_System_Product_Id__c: decision.match.qboId }, product.Name);
        } else if (decision.kind === 'fail') {
          this.plan.products.fail++;
          this.note({ level: 'ERROR', outcome: 'Error', recordType: 'Product', recordId: product.Id, recordName: product.Name, message: decision.message, fix: decision.fix });
        } else {
          this.plan.products.create++;
          decision.notes.forEach((n) => this.note(n));
          if (this.options.dryRun) this.itemIds.set(product.Id, 'planned');
          else index.add([{ Id: `planned:${product.Id}`, Name: decision.name }]);
          creations.push({ recordId: product.Id, recordName: product.Name, payload: decision.payload, requestKey: '' });
        }
      }
      if (!this.options.dryRun) {
        for (const { creation, entity, fault } of await this.createAll('product', 'Item', creations)) {
          if (entity?.Id) {
            this.itemIds.set(creation.recordId, entity.Id);
            this.created('Product', creation.recordId, creation.recordName, entity.Id, `as ${entity.Type ?? ''} item "${entity.Name}"`);
            this.queueWriteBack(
              'product',
              { type: 'Product__c', Id: creation.recordId, Financial_System_Product_Id__c: entity.Id },
              creation.recordName,
              entry(this.company.Id, this.run.id, 'product', creation.recordId, 'created', { qboId: entity.Id }),
            );
          } else {
            this.recordFault('Product', creation.recordId, creation.recordName, fault);
          }
        }
      }
      this.advance('products', page.length);
      await this.flushWriteBackIfFull();
    }
    await this.flushWriteBack();
  }

  // ---------------------------------------------------------------- invoices

  private async exportInvoices(): Promise<void> {
    await this.setPhase('invoices');
    const recovered = await this.recoverInterruptedInvoices();
    const idField = customerIdField(this.company);
    for await (const page of this.deps.salesforce.invoicesToExport(this.company, this.options)) {
      this.deps.checkpoint();
      const journal = await this.deps.store.journal.getMany(this.company.Id, 'invoice', page.map((i) => i.Id));
      const stillInQuickBooks = await this.existingInvoices([...journal.values()].filter(isCreated).map((e) => e.qboId!));
      const creations: (Creation & { invoice: Invoice; expectedTotal: number; docNumber: string | null })[] = [];
      for (const invoice of page) {
        const known = journal.get(invoice.Id);
        const found = recovered.get(invoice.Id);
        if (known && isCreated(known) && stillInQuickBooks.has(known.qboId!)) {
          this.invoiceDone(invoice, { Id: known.qboId!, DocNumber: known.detail.docNumber as string | undefined }, known, 'an earlier export created it');
          continue;
        }
        if (found) {
          this.invoiceDone(invoice, found, entry(this.company.Id, this.run.id, 'invoice', invoice.Id, 'created', { qboId: found.Id }), 'found in QuickBooks by its Ledgerline marker after an interrupted export');
          continue;
        }
        const customerQboId =
          this.customerIds.get(invoice.Customer__c ?? '') ?? invoice.Customer__r?.[idField] ?? null;
        const build = buildInvoice(invoice, this.company, this.settings, {
          customerQboId,
          itemFor: (productId) => (productId ? (this.itemIds.get(productId) ?? null) : null),
        });
        if (!build.ok) {
          this.plan.invoices.fail.push({ invoiceNumber: invoice.Name, reason: build.message });
          this.invoiceFailed(invoice, build.message, build.fix);
          continue;
        }
        this.plan.invoices.create++;
        if (build.notes.length) {
          this.note(shortened('Invoice', invoice, `Invoice adjusted for QuickBooks: ${build.notes.join('; ')}.`));
        }
        creations.push({ recordId: invoice.Id, recordName: invoice.Name, payload: build.payload, requestKey: '', invoice, expectedTotal: build.expectedTotal, docNumber: build.docNumber });
      }
      const clear = await this.withoutKnownDocNumbers(creations);
      if (!this.options.dryRun) {
        for (const { creation, entity, fault } of await this.createAll('invoice', 'Invoice', clear)) {
          const c = creation as (typeof creations)[number];
          if (entity?.Id) {
            this.created('Invoice', c.recordId, c.recordName, entity.Id, `as QuickBooks invoice ${entity.DocNumber ?? ''}`.trimEnd());
            this.checkTotal(c.invoice, entity, c.expectedTotal);
            this.invoiceDone(c.invoice, entity, entry(this.company.Id, this.run.id, 'invoice', c.recordId, 'created', { qboId: entity.Id, detail: { docNumber: entity.DocNumber ?? null } }));
          } else if (fault?.code === '6140') {
            this.invoiceFailed(
              c.invoice,
              `Invoice ${c.invoice.Name} was not exported: QuickBooks already has an invoice numbered ${c.docNumber ?? '(this number)'}. ${fault.errors[0]?.detail ?? ''}`.trim(),
              fixForQuickBooksCode('6140', 'invoice'),
              fault,
            );
          } else {
            this.invoiceFailed(c.invoice, `Invoice ${c.invoice.Name} was not exported: ${fault?.message ?? 'QuickBooks gave no answer'}`, fixForQuickBooksCode(fault?.code ?? '', 'invoice'), fault);
          }
        }
      }
      this.advance('invoices', page.length);
      await this.flushWriteBackIfFull();
    }
  }

  /**
   * Which invoices the journal says exist are still in QuickBooks (someone may have deleted one before its id
   * reached Salesforce). Only records the journal knows are asked about, so a normal run reads nothing here.
   */
  private async existingInvoices(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100).map(qboQuote);
      await this.qbo.queryAll('Invoice', `Id IN (${chunk.join(', ')})`, (rows) => rows.forEach((r) => found.add(String(r.Id))));
    }
    return found;
  }

  /** Invoices an interrupted run sent without learning the outcome: find them in QuickBooks by their marker. */
  private async recoverInterruptedInvoices(): Promise<Map<string, QboEntity>> {
    const found = new Map<string, QboEntity>();
    const unsure = await this.deps.store.journal.listByState(this.company.Id, 'invoice', ['sent', 'pending']);
    if (!unsure.length) return found;
    const wanted = new Set(unsure.map((e) => e.recordId));
    // A day's margin covers clock differences between this service and QuickBooks.
    const since = Math.min(...unsure.map((e) => (e.updatedAt ?? this.deps.now()).getTime())) - 86_400_000;
    await this.qbo.queryAll('Invoice', `MetaData.CreateTime >= '${new Date(since).toISOString()}'`, (rows) => {
      for (const row of rows) {
        const id = readMarker(row.PrivateNote);
        if (id && wanted.has(id)) found.set(id, row);
      }
    });
    this.deps.logger.info({ runId: this.run.id, unsure: unsure.length, found: found.size }, 'checked QuickBooks for invoices of an interrupted export');
    return found;
  }

  /**
   * When QuickBooks will not refuse a duplicate number itself (its warning is off) or in a dry run,
   * look the numbers up first, so a collision is reported instead of creating a second invoice with the same number.
   */
  private async withoutKnownDocNumbers<T extends Creation & { invoice: Invoice; docNumber: string | null }>(creations: T[]): Promise<T[]> {
    if (this.settings.warnDuplicateDocNum && !this.options.dryRun) return creations;
    const numbers = creations.map((c) => c.docNumber).filter((n): n is string => !!n);
    if (!numbers.length) return creations;
    const taken = new Map<string, string>();
    for (let i = 0; i < numbers.length; i += 100) {
      const chunk = numbers.slice(i, i + 100).map(qboQuote);
      await this.qbo.queryAll('Invoice', `DocNumber IN (${chunk.join(', ')})`, (rows) => {
        for (const row of rows) if (row.DocNumber) taken.set(row.DocNumber, row.Id!);
      });
    }
    return creations.filter((c) => {
      const other = c.docNumber ? taken.get(c.docNumber) : undefined;
      if (!other) return true;
      this.plan.invoices.create--;
      this.plan.invoices.fail.push({ invoiceNumber: c.invoice.Name, reason: `QuickBooks already has invoice number ${c.docNumber}` });
      this.invoiceFailed(
        c.invoice,
        `Invoice ${c.invoice.Name} was not exported: QuickBooks already has an invoice numbered ${c.docNumber} (QuickBooks invoice Id ${other}).`,
        fixForQuickBooksCode('6140', 'invoice'),
      );
      return false;
    });
  }

  private checkTotal(invoice: Invoice, created: QboEntity, expected: number): void {
    const salesforceTotal = invoice.Total_Amount__c ?? expected;
    const quickBooksTotal = Number(created.TotalAmt);
    if (Number.isFinite(quickBooksTotal) && round2(quickBooksTotal) !== round2(salesforceTotal)) {
      this.note({
        level: 'WARN',
        outcome: 'Warning',
        recordType: 'Invoice',
        recordId: invoice.Id,
        recordName: invoice.Name,
        quickBooksId: created.Id,
        message: `Invoice ${invoice.Name}: QuickBooks total ${quickBooksTotal.toFixed(2)} differs from the Salesforce total ${salesforceTotal.toFixed(2)}.`,
        fix: 'Compare the lines, charges, discount and tax of both invoices (QuickBooks may have calculated tax itself) and correct the one that is wrong.',
      });
    }
  }

  private invoiceDone(invoice: Invoice, created: QboEntity, journal: JournalEntry, how?: string): void {
    if (how) this.matched('Invoice', invoice.Id, invoice.Name, created.Id!, how);
    this.queueWriteBack(
      'invoice',
      {
        type: 'Sales_Invoice__c',
        Id: invoice.Id,
        Financial_System_Invoice_Id__c: created.Id,
        Financial_System_Invoice_Number__c: created.DocNumber ?? null,
        Transferred__c: true,
        Export_Status__c: 'Exported',
        Last_Export_Error__c: null,
      },
      invoice.Name,
      { ...journal, detail: { ...journal.detail, docNumber: created.DocNumber ?? journal.detail.docNumber ?? null } },
    );
  }

  private invoiceFailed(invoice: Invoice, message: string, fix: string, fault?: QboFault): void {
    this.note({
      level: 'ERROR',
      outcome: 'Error',
      recordType: 'Invoice',
      recordId: invoice.Id,
      recordName: invoice.Name,
      message,
      fix,
      intuitTid: fault?.intuitTid,
      httpStatus: fault?.status || undefined,
    });
    if (!this.options.dryRun) {
      this.queueWriteBack('invoice', { type: 'Sales_Invoice__c', Id: invoice.Id, Export_Status__c: 'Error', Last_Export_Error__c: `${message}\nFix: ${fix}`.slice(0, 4000) }, invoice.Name);
    }
  }

  // ---------------------------------------------------------------- creation in batches

  /**
   * Creates records in batches (at most batchSize per call). Every record is journaled as `sent` with its own
   * request key before its batch goes out; answers come back per record.
   */
  private async createAll(type: JournalRecordType, entity: string, creations: Creation[]): Promise<CreationResult[]> {
    if (!creations.length) return [];
    const realm = this.qbo.realmId;
    for (const c of creations) c.requestKey = await itemRequestKey(this.deps.store, realm, type, c.recordId, c.payload);
    await this.deps.store.journal.upsertMany(
      creations.map((c) => entry(this.company.Id, this.run.id, type, c.recordId, 'sent', { requestId: c.requestKey })),
    );
    const batches: Creation[][] = [];
    for (let i = 0; i < creations.length; i += this.deps.batchSize) batches.push(creations.slice(i, i + this.deps.batchSize));
    // allSettled: when one batch fails the run, what the others created is still journaled as created.
    const settled = await Promise.allSettled(
      batches.map(async (batch) => {
        this.deps.checkpoint();
        const items: BatchRequestItem[] = batch.map((c, i) => ({ bId: String(i), operation: 'create', entity, body: c.payload }));
        const answers = await this.qbo.batch(items, batchRequestKey(this.run.id, batch.map((c) => c.requestKey)));
        const byId = new Map(answers.map((a) => [a.bId, a]));
        return batch.map((creation, i): CreationResult => {
          const answer = byId.get(String(i));
          if (!answer) return { creation, fault: new QboFault('unknown', 0, [{ code: '', message: 'QuickBooks returned no answer for this record', detail: '', element: '' }], null) };
          if (!answer.ok) {
            if (answer.fault.kind === 'unauthorized') throw new QuickBooksUnauthorizedError('batch item unauthorized', answer.fault);
            return { creation, fault: answer.fault };
          }
          return { creation, entity: answer.entity };
        });
      }),
    );
    const results = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    await this.deps.store.journal.upsertMany(
      results.map(({ creation, entity, fault }) =>
        entity?.Id
          ? entry(this.company.Id, this.run.id, type, creation.recordId, 'created', { requestId: creation.requestKey, qboId: entity.Id, detail: { docNumber: entity.DocNumber ?? null } })
          : entry(this.company.Id, this.run.id, type, creation.recordId, 'failed', { requestId: creation.requestKey, error: fault?.message ?? 'unknown' }),
      ),
    );
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return results;
  }

  // ---------------------------------------------------------------- write-back

  private queueWriteBack(type: JournalRecordType, record: WriteRecord, name: string, journal?: JournalEntry): void {
    if (type === 'customer') this.customerIds.set(record.Id!, String(record[customerIdField(this.company)]));
    if (this.options.dryRun) return;
    this.pendingWriteBack.push({ record, type, journal, name });
    this.progress.writeBack.total++;
  }

  private async flushWriteBackIfFull(): Promise<void> {
    if (this.pendingWriteBack.length >= WRITE_BACK_FLUSH) await this.flushWriteBack();
  }

  /** Writes QuickBooks ids back onto the Salesforce records, 200 a call; one refused record never blocks the rest. */
  private async flushWriteBack(): Promise<void> {
    while (this.pendingWriteBack.length) {
      const chunk = this.pendingWriteBack.splice(0, WRITE_BACK_FLUSH);
      const results = await this.deps.salesforce.update(chunk.map((c) => c.record));
      const written: JournalEntry[] = [];
      results.forEach((result, i) => {
        const item = chunk[i]!;
        if (result.success) {
          if (item.journal) written.push({ ...item.journal, runId: this.run.id, state: 'written_back' });
          return;
        }
        const reason = result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
        const qboId = Object.entries(item.record).find(([k]) => k.startsWith('Financial_System_') || k === 'Secondary_Customer_Id__c')?.[1];
        this.note({
          level: 'ERROR',
          outcome: 'Error',
          recordType: ({ customer: 'Customer', product: 'Product', invoice: 'Invoice', payment: 'Payment' } as const)[item.type],
          recordId: item.record.Id,
          recordName: item.name,
          quickBooksId: typeof qboId === 'string' ? qboId : undefined,
          message: `Salesforce refused to save the QuickBooks link on ${item.name}: ${reason}.`,
          fix: 'Correct the record so it can be saved (the message names the rule), then export again: QuickBooks already has it, so nothing will be created twice.',
        });
      });
      if (written.length) await this.deps.store.journal.upsertMany(written);
      this.advance('writeBack', chunk.length);
    }
  }

  // ---------------------------------------------------------------- outcomes, progress

  private matched(type: LogEntry['recordType'], id: string, name: string, qboId: string, how: string): void {
    this.note({ level: 'INFO', outcome: 'Matched', recordType: type, recordId: id, recordName: name, quickBooksId: qboId, message: `${type} ${name} matched QuickBooks ${type === 'Product' ? 'item' : type.toLowerCase()} ${qboId} ${how}.` });
  }

  private created(type: LogEntry['recordType'], id: string, name: string, qboId: string, how: string): void {
    this.note({ level: 'INFO', outcome: 'Created', recordType: type, recordId: id, recordName: name, quickBooksId: qboId, message: `${type} ${name} created in QuickBooks (Id ${qboId}) ${how}.` });
  }

  /** A customer created (or, in a dry run, to be created) under another name because its own was taken. */
  private renamed(c: Creation & { renamedFrom?: string }, name: string, qboId?: string): void {
    this.note({
      level: 'WARN',
      outcome: 'Renamed',
      recordType: 'Customer',
      recordId: c.recordId,
      recordName: c.recordName,
      quickBooksId: qboId,
      message: qboId
        ? `Customer "${c.renamedFrom}" was created in QuickBooks as "${name}" because a QuickBooks vendor, employee or customer already uses "${c.renamedFrom}".`
        : `Customer "${c.renamedFrom}" would be created in QuickBooks as "${name}": a QuickBooks vendor or employee already uses the name.`,
      fix: qboId ? 'No action needed. To use another name, rename the customer in QuickBooks; Ledgerline keeps the link by Id.' : undefined,
    });
  }

  private recordFault(type: LogEntry['recordType'], id: string, name: string, fault: QboFault | undefined): void {
    this.note({
      level: 'ERROR',
      outcome: 'Error',
      recordType: type,
      recordId: id,
      recordName: name,
      message: `${type} ${name} could not be created in QuickBooks: ${fault?.message ?? 'no answer'}.`,
      fix: fixForQuickBooksCode(fault?.code ?? '', type.toLowerCase()),
      intuitTid: fault?.intuitTid,
      httpStatus: fault?.status || undefined,
    });
  }

  private note(e: LogEntry): void {
    count(this.counts, e);
    this.log.add(e);
  }

  private advance(phase: ProgressPhase, n: number): void {
    this.progress[phase].done = Math.min(this.progress[phase].total, this.progress[phase].done + n);
    if (Date.now() - this.lastProgressSave > 250) void this.saveProgress();
  }

  private async setPhase(phase: Phase): Promise<void> {
    this.phase = phase;
    // Entries go to Salesforce in bulk at each phase boundary, so a crash loses at most one phase's lines.
    await this.log.flush();
    await this.saveProgress();
  }

  /** Log entries of a dry run (a dry run writes nothing to Salesforce). */
  get dryRunEntries(): LogEntry[] {
    return this.log.kept;
  }

  private async saveProgress(): Promise<void> {
    this.lastProgressSave = Date.now();
    await this.deps.store.runs
      .update(this.run.id, { phase: this.phase, progress: this.progress, counts: { ...this.counts }, processLogId: this.log.id })
      .catch((err) => this.deps.logger.warn({ err: errorMessage(err) }, 'could not save run progress'));
  }

  private async fail(err: unknown): Promise<{ code: string; message: string }> {
    const unauthorized = err instanceof QuickBooksUnauthorizedError || (err instanceof QboFault && err.kind === 'unauthorized');
    // What QuickBooks already has must still reach Salesforce before the run stops.
    await this.flushWriteBack().catch((e) => this.deps.logger.error({ err: errorMessage(e) }, 'write-back after failure failed'));
    if (unauthorized) {
      const e = err instanceof QuickBooksUnauthorizedError ? err : new QuickBooksUnauthorizedError('401', err);
      this.note({ level: 'ERROR', outcome: 'Error', recordType: 'Run', recordName: this.company.Name, message: e.message, fix: e.fix, httpStatus: 401 });
      return { code: e.code, message: e.message };
    }
    const code = err instanceof LedgerlineError ? err.code : err instanceof QboFault ? `QBO_${err.kind.toUpperCase()}` : 'EXPORT_FAILED';
    const message = `The export stopped: ${errorMessage(err)}`;
    this.deps.logger.error({ runId: this.run.id, code, err: errorMessage(err) }, 'export failed');
    this.note({
      level: 'ERROR',
      outcome: 'Error',
      recordType: 'Run',
      recordName: this.company.Name,
      message,
      fix: 'Export again: records already in QuickBooks are recognised and not created twice. If it keeps failing, send this log to your administrator.',
      intuitTid: err instanceof QboFault ? err.intuitTid : undefined,
    });
    return { code, message };
  }

  private summaryText(status: string, error: { message: string } | null): string {
    const c = this.counts;
    return [
      `${this.options.dryRun ? 'Dry run' : 'Export'} for ${this.company.Name}: ${status.replace(/_/g, ' ')}.`,
      `Created ${c.created}, matched ${c.matched}, renamed ${c.renamed}, skipped ${c.skipped}, warnings ${c.warnings}, errors ${c.errors}.`,
      error ? error.message : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
}

function isCreated(entry: JournalEntry): boolean {
  return !!entry.qboId && (entry.state === 'created' || entry.state === 'written_back');
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
