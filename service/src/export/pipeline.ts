// The one pipeline every record kind goes through:
//   load pages -> decide (the kind's descriptor) -> journal 'sent' with a stable key -> deliver in batches
//   -> journal 'created' -> write back (unit of work) -> log.
// Batches go out as soon as they are full, several at a time (the target's scheduler keeps to its limits); each
// batch's answers are handled when they arrive, so whatever ends a run, what the target confirmed is journaled,
// written back and logged. A descriptor decides; this file does the I/O in the order that keeps the target free
// of duplicates after any crash.
import { createHash } from 'node:crypto';
import type { IdempotencyRepository, JournalEntry, JournalRepository, JournalState } from '../store/types';
import { matched, notExportable, type LogEntry, type Subject } from './entries';
import type { PlanBook } from './plan/decision';
import type { WriteBackPort, WriteBackUpdate } from './ports';
import type { Creation, KindDescriptor } from './descriptor';
import type { AccountingTarget, CreatableKind, CreatedRecord, DeliveryResult } from './target';

export interface PipelineDeps {
  companyId: string;
  runId: string;
  dryRun: boolean;
  target: AccountingTarget;
  journal: JournalRepository;
  keys: IdempotencyRepository;
  writeBack: WriteBackPort;
  plan: PlanBook;
  log(entry: LogEntry): void;
  /** Throws when the run must stop (its lock was lost, or the process is shutting down). */
  checkpoint(): void;
  /** Waits while the run must not spend more (the source system's API allowance is low). */
  gate?(): Promise<void>;
  /** Records finished (linked, created, failed), for progress. */
  progress(done: number): void;
  /** Batches in flight at once for this kind (the target's scheduler still bounds the calls). */
  maxInFlight?: number;
}

/**
 * What the source record is owed, kept in its journal entry until the source system takes it: a write-back that
 * failed is finished later from the journal alone, without a new export.
 */
export function owed(update: WriteBackUpdate): Record<string, unknown> {
  return { ...update, subject: { ...update.subject } };
}

function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

export function journalEntry(
  deps: Pick<PipelineDeps, 'companyId' | 'runId'>,
  kind: CreatableKind,
  recordId: string,
  state: JournalState,
  extra: Partial<Pick<JournalEntry, 'requestId' | 'targetId' | 'detail' | 'error'>> = {},
): JournalEntry {
  return {
    companyId: deps.companyId,
    runId: deps.runId,
    recordType: kind,
    recordId,
    state,
    requestId: extra.requestId ?? null,
    targetId: extra.targetId ?? null,
    detail: extra.detail ?? {},
    error: extra.error ?? null,
  };
}

interface Keyed<K extends CreatableKind> {
  creation: Creation<K>;
  key: string;
}

/** Runs one kind's pages through the pipeline. Throws the first run-stopping error after in-flight work settled. */
export async function runKind<R, K extends CreatableKind>(deps: PipelineDeps, kind: KindDescriptor<R, K>, pages: AsyncIterable<R[]>): Promise<void> {
  const flow = new KindFlow(deps, kind);
  await kind.prepare?.();
  try {
    for await (const page of prefetch(pages)) {
      deps.checkpoint();
      await deps.gate?.();
      await flow.page(page);
      if (flow.failed) break;
    }
  } catch (err) {
    flow.fail(err);
  }
  await flow.drain();
}

class KindFlow<R, K extends CreatableKind> {
  private batch: Keyed<K>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  /** Source id of a record being created -> records waiting to share its target record. */
  private readonly twins = new Map<string, Subject[]>();
  /** Creations that have finished: source id -> what the target created, or null when it refused. */
  private readonly finished = new Map<string, { subject: Subject; record: CreatedRecord | null }>();
  /** Refused records to send again (renamed), picked up between pages and when draining. */
  private retries: Creation<K>[] = [];

  constructor(
    private readonly deps: PipelineDeps,
    private readonly kind: KindDescriptor<R, K>,
  ) {}

  get failed(): boolean {
    return this.failure !== null;
  }

  fail(error: unknown): void {
    this.failure ??= { error };
  }

  async page(records: R[]): Promise<void> {
    const { deps, kind } = this;
    const journal = await deps.journal.getMany(
      deps.companyId,
      kind.kind,
      records.map((r) => kind.id(r)),
    );
    const planned = await kind.plan(records, journal);
    const creations: Creation<K>[] = [];
    const links: { update: WriteBackUpdate; entry: JournalEntry }[] = [];
    let done = 0;
    for (const p of planned) {
      deps.plan.add(kind.kind, { recordId: p.subject.id, recordName: p.subject.name, ...p.decision });
      p.entries.forEach((e) => deps.log(e));
      const step = p.step;
      if (step.type === 'create') {
        if (deps.dryRun) done++;
        else creations.push(step.creation);
        continue;
      }
      if (step.type === 'twin') {
        if (deps.dryRun) done++;
        else this.twins.set(step.of, [...(this.twins.get(step.of) ?? []), p.subject]);
        const first = this.finished.get(step.of);
        if (first?.record) this.linkTwins(step.of, first.subject, first.record);
        else if (first) this.failTwins(step.of, first.subject);
        continue;
      }
      done++;
      if (deps.dryRun) continue;
      if (step.type === 'link') {
        const entry = step.journal ?? journalEntry(deps, kind.kind, p.subject.id, 'created', { targetId: step.targetId });
        links.push({ update: step.update, entry: { ...entry, state: 'created', detail: { ...entry.detail, owed: owed(step.update) } } });
      } else if (step.type === 'fail' && step.update) deps.writeBack.register(step.update);
    }
    // Links are owed from now on (one statement a page): if Salesforce does not take them, the journal remembers.
    if (links.length) await deps.journal.upsertMany(links.map((l) => l.entry));
    for (const l of links) deps.writeBack.register(l.update, l.entry);
    deps.progress(done);
    if (creations.length) await this.enqueue(await this.keyed(creations));
    await this.sendRetries();
    await deps.writeBack.flushIfDue();
  }

  private async sendRetries(): Promise<void> {
    if (!this.retries.length || this.failure) return;
    const retries = this.retries;
    this.retries = [];
    await this.enqueue(await this.keyed(retries));
  }

  /** Stable request keys and 'sent' journal states for a page's creations: two statements, before any call. */
  private async keyed(creations: Creation<K>[]): Promise<Keyed<K>[]> {
    const { deps, kind } = this;
    const prints = creations.map((c) => fingerprint(kind.kind, c.subject.id, c.doc));
    const keys = await deps.keys.getOrCreateMany(
      `${deps.target.scope}:${kind.kind}`,
      prints.map((p) => ({ fingerprint: p, candidate: `${kind.kind[0]}-${p.slice(0, 40)}` })),
    );
    const keyed = creations.map((creation, i) => ({ creation, key: keys.get(prints[i]!)! }));
    await deps.journal.upsertMany(keyed.map((k) => journalEntry(deps, kind.kind, k.creation.subject.id, 'sent', { requestId: k.key })));
    return keyed;
  }

  private async enqueue(items: Keyed<K>[]): Promise<void> {
    for (const item of items) {
      if (this.failure) return;
      this.batch.push(item);
      if (this.batch.length >= this.deps.target.batchSize) await this.send(this.batch.splice(0));
    }
  }

  private async send(batch: Keyed<K>[]): Promise<void> {
    const max = this.deps.maxInFlight ?? 10;
    while (this.inFlight.size >= max) await Promise.race(this.inFlight);
    if (this.failure) return;
    const call = this.deliver(batch)
      .catch((err) => this.fail(err))
      .finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
  }

  private async deliver(batch: Keyed<K>[]): Promise<void> {
    const { deps, kind } = this;
    deps.checkpoint();
    const results: DeliveryResult[] = await deps.target.create(
      kind.kind,
      batch.map((b) => ({ key: b.key, doc: b.creation.doc })),
      { runId: deps.runId },
    );
    const rows: JournalEntry[] = [];
    const after: (() => void)[] = [];
    batch.forEach(({ creation, key }, i) => {
      const result = results[i] ?? { ok: false as const, fault: { class: 'rejected' as const, message: 'the target returned no answer for this record' } };
      const id = creation.subject.id;
      if (result.ok) {
        const { entries, update, also } = kind.created(creation, result.created);
        const row = journalEntry(deps, kind.kind, id, 'created', {
          requestId: key,
          targetId: result.created.id,
          detail: { number: result.created.number ?? null, owed: owed(update) },
        });
        rows.push(row);
        after.push(() => {
          entries.forEach((e) => deps.log(e));
          deps.writeBack.register(update, row);
          also?.forEach((u) => deps.writeBack.register(u));
          if (kind.twins) this.finished.set(id, { subject: creation.subject, record: result.created });
          this.linkTwins(id, creation.subject, result.created);
          deps.progress(1);
        });
        return;
      }
      const refusal = kind.refused(creation, result.fault);
      if (refusal.retry) {
        this.retries.push(refusal.retry);
        return;
      }
      rows.push(journalEntry(deps, kind.kind, id, 'failed', { requestId: key, error: result.fault.message }));
      after.push(() => {
        refusal.entries.forEach((e) => deps.log(e));
        if (refusal.update) deps.writeBack.register(refusal.update);
        if (kind.twins) this.finished.set(id, { subject: creation.subject, record: null });
        this.failTwins(id, creation.subject);
        deps.progress(1);
      });
    });
    // The journal first: what the target confirmed is durable before anything depends on it.
    await deps.journal.upsertMany(rows);
    after.forEach((f) => f());
  }

  private linkTwins(firstId: string, first: Subject, record: CreatedRecord): void {
    const waiting = this.twins.get(firstId);
    if (!waiting) return;
    this.twins.delete(firstId);
    for (const subject of waiting) {
      this.deps.log(matched(this.kind.kind, subject, record.id, { by: 'sameRun', firstName: first.name }));
      const update = this.kind.twinUpdate(subject, record);
      this.deps.writeBack.register(
        update,
        journalEntry(this.deps, this.kind.kind, subject.id, 'created', { targetId: record.id, detail: { owed: owed(update) } }),
      );
    }
    this.deps.progress(waiting.length);
  }

  private failTwins(firstId: string, first: Subject): void {
    const waiting = this.twins.get(firstId) ?? [];
    this.twins.delete(firstId);
    for (const subject of waiting) {
      this.deps.log(
        notExportable(
          this.kind.kind,
          subject,
          `${subject.name} was not exported: it shares one QuickBooks record with ${first.name}, which could not be created.`,
          `Resolve the error on ${first.name} in this Process Log, then export again.`,
        ),
      );
    }
    this.deps.progress(waiting.length);
  }

  /** Sends the last partial batch, waits for everything in flight (and its retries), then throws what stopped it. */
  async drain(): Promise<void> {
    for (;;) {
      await this.sendRetries().catch((err) => this.fail(err));
      if (this.batch.length && !this.failure) await this.send(this.batch.splice(0));
      if (!this.inFlight.size) break;
      await Promise.allSettled([...this.inFlight]);
    }
    if (this.failure) throw this.failure.error;
  }
}

/** Reads the next page while the current one is worked on. */
export async function* prefetch<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  let next = it.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = it.next();
    // A failed read-ahead must not surface as an unhandled rejection before it is awaited.
    next.catch(() => undefined);
    yield current.value;
  }
}
