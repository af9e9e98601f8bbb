// Salesforce write-back as a unit of work: the engine registers what each record gets (a QuickBooks link, an
// export error), this module turns it into field updates and commits them 200 records a composite call, marking
// each record's journal entry written back once Salesforce took it. One refused record never blocks the rest.
import { PENDING_SYNC } from '../export/model';
import { WriteBackFailed, type WriteBackPort, type WriteBackRefusal, type WriteBackUpdate } from '../export/ports';
import type { JournalEntry, JournalRepository } from '../store/types';
import { ownCustomerIdField, type CustomerIdSlot } from './records';
import type { Logger } from 'pino';
import { COMPOSITE_LIMIT, type SalesforceRepository, type WriteRecord } from './repository';
import { DEFAULT_WRITE_RETRY, withSalesforceRetry, type WriteRetry } from './retry';
import { pushTo } from '../collections';

/** Composite calls in flight at once; more registrations wait for one to finish. */
const MAX_COMMITS_IN_FLIGHT = 2;

export interface BulkPolicy {
  /** From this many write-backs in a run on, they go through Bulk API 2.0 jobs instead of composite calls. */
  threshold: number;
  /** Records per bulk job (a job every this many, and one with the rest at the end). */
  chunk: number;
}

export const DEFAULT_BULK: BulkPolicy = { threshold: 2000, chunk: 10_000 };

/** The object each kind of update writes (a large run gathers updates by it). */
const OBJECT_OF: Record<WriteBackUpdate['kind'], string> = {
  customer: 'Customer__c',
  product: 'Product__c',
  invoice: 'Sales_Invoice__c',
  invoiceFailed: 'Sales_Invoice__c',
  invoicePending: 'Sales_Invoice__c',
  creditApplied: 'Sales_Invoice__c',
  payment: 'Payment__c',
};

/** The fields an update sets; null when there is nothing to write (a customer id in a field another company shares). */
export function fieldsFor(update: WriteBackUpdate, company: CustomerIdSlot): WriteRecord | null {
  switch (update.kind) {
    case 'customer': {
      const field = ownCustomerIdField(company);
      return field ? { type: 'Customer__c', Id: update.subject.id, [field]: update.targetId } : null;
    }
    case 'product':
      return { type: 'Product__c', Id: update.subject.id, Financial_System_Product_Id__c: update.targetId };
    case 'invoice':
      return {
        type: 'Sales_Invoice__c',
        Id: update.subject.id,
        Financial_System_Invoice_Id__c: update.targetId,
        Financial_System_Invoice_Number__c: update.number,
        Transferred__c: true,
        Export_Status__c: 'Exported',
        Last_Export_Error__c: null,
      };
    case 'payment':
      return { type: 'Payment__c', Id: update.subject.id, Financial_System_Payment_Id__c: update.targetId };
    case 'creditApplied':
      return { type: 'Sales_Invoice__c', Id: update.subject.id, Financial_System_Application_Id__c: update.targetId };
    case 'invoicePending':
      return { type: 'Sales_Invoice__c', Id: update.subject.id, Export_Status__c: PENDING_SYNC, Last_Export_Error__c: null };
    case 'invoiceFailed':
      return { type: 'Sales_Invoice__c', Id: update.subject.id, Export_Status__c: 'Error', Last_Export_Error__c: update.message.slice(0, 4000) };
  }
}

interface Registered {
  update: WriteBackUpdate;
  journal?: JournalEntry;
}

export class SalesforceWriteBack implements WriteBackPort {
  /** What waits to be committed, by the object it writes (one list in a small run: a composite call mixes types). */
  private readonly pending = new Map<string, Registered[]>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Flushes of a phase's updates (commitKinds) still starting their chunks. */
  private readonly flushing = new Set<Promise<void>>();
  private failure: unknown = null;
  registered = 0;
  committed = 0;

  constructor(
    private readonly repo: SalesforceRepository,
    private readonly journal: JournalRepository,
    private readonly company: CustomerIdSlot,
    private readonly onRefused: (refusal: WriteBackRefusal) => void,
    private readonly retry: WriteRetry = DEFAULT_WRITE_RETRY,
    private readonly logger?: Logger,
    /** How many write-backs the run expects: above the policy's threshold, Bulk API 2.0 carries them. */
    expected = 0,
    private readonly bulkPolicy: BulkPolicy = DEFAULT_BULK,
  ) {
    this.bulk = expected >= bulkPolicy.threshold;
  }

  /** Large runs write back through Bulk API 2.0: a few calls a job instead of one per 200 records. */
  private readonly bulk: boolean;

  private get chunkSize(): number {
    return this.bulk ? this.bulkPolicy.chunk : COMPOSITE_LIMIT;
  }

  /** A large run gathers each object's updates apart, so that a flush is one bulk job of one object. */
  private keyOf(update: WriteBackUpdate): string {
    return this.bulk ? (fieldsFor(update, this.company)?.type ?? '') : '';
  }

  private get pendingCount(): number {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }

  register(update: WriteBackUpdate, journal?: JournalEntry): void {
    pushTo(this.pending, this.keyOf(update), { update, journal });
    this.registered++;
  }

  async flushIfDue(): Promise<void> {
    for (const list of this.pending.values()) {
      while (list.length >= this.chunkSize) {
        while (this.inFlight.size >= MAX_COMMITS_IN_FLIGHT) await Promise.race(this.inFlight);
        this.start(list.splice(0, this.chunkSize));
      }
    }
    this.rethrow();
  }

  async commit(): Promise<void> {
    // Chunks a phase's flush took from the lists are sent before this commit can say everything was.
    await Promise.all([...this.flushing]);
    for (;;) {
      const next = this.failure ? undefined : [...this.pending.values()].find((list) => list.length);
      if (!next && !this.inFlight.size) break;
      if (next && this.inFlight.size < MAX_COMMITS_IN_FLIGHT) this.start(next.splice(0, this.chunkSize));
      else await Promise.race(this.inFlight);
    }
    this.rethrow();
  }

  commitKinds(kinds: WriteBackUpdate['kind'][]): Promise<void> {
    // A small run's updates share one list (a composite call mixes objects): its commit at the end sends them.
    if (!this.bulk) return Promise.resolve();
    const flush = this.sendNow(kinds).finally(() => this.flushing.delete(flush));
    this.flushing.add(flush);
    return flush;
  }

  private async sendNow(kinds: WriteBackUpdate['kind'][]): Promise<void> {
    const objects = new Set(kinds.map((k) => OBJECT_OF[k]));
    // What is registered now, in chunks: updates registered meanwhile wait for the next flush.
    const chunks: Registered[][] = [];
    for (const [key, list] of this.pending) {
      if (objects.has(key)) while (list.length) chunks.push(list.splice(0, this.chunkSize));
    }
    const calls: Promise<void>[] = [];
    for (const chunk of chunks) {
      while (this.inFlight.size >= MAX_COMMITS_IN_FLIGHT) await Promise.race(this.inFlight);
      calls.push(this.start(chunk));
    }
    await Promise.all(calls);
  }

  private rethrow(): void {
    if (this.failure) {
      const err = this.failure;
      this.failure = null;
      throw new WriteBackFailed(this.pendingCount, err);
    }
  }

  /** Sends a chunk; the promise never rejects (a failure is kept for rethrow). */
  private start(chunk: Registered[]): Promise<void> {
    const call = this.write(chunk)
      .catch((err) => {
        // Not taken: kept for the next commit, so what the target confirmed is never forgotten here.
        const key = this.keyOf(chunk[0]!.update);
        this.pending.set(key, [...chunk, ...(this.pending.get(key) ?? [])]);
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
    return call;
  }

  private async write(all: Registered[]): Promise<void> {
    const written: JournalEntry[] = [];
    // What needs no field written is done as it is: its journal entry is written back without a call.
    const chunk: Registered[] = [];
    const records: WriteRecord[] = [];
    for (const item of all) {
      const record = fieldsFor(item.update, this.company);
      if (record) {
        chunk.push(item);
        records.push(record);
      } else if (item.journal) written.push({ ...item.journal, state: 'written_back' });
    }
    // A bulk job of a few records costs more calls than a composite call: small remainders go the composite way.
    const send = this.bulk && records.length > COMPOSITE_LIMIT ? () => this.repo.bulk('update', records) : () => this.repo.update(records);
    const results = records.length ? await withSalesforceRetry('write-back', send, this.retry, this.logger) : [];
    results.forEach((result, i) => {
      const item = chunk[i]!;
      if (result.success) {
        if (item.journal) written.push({ ...item.journal, state: 'written_back' });
        return;
      }
      this.onRefused({ update: item.update, reason: result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') });
    });
    if (written.length) await this.journal.markWrittenBack(written);
    this.committed += all.length;
  }
}
