// Delivering one kind's creations: a stable key and a 'sent' journal state for each before any call, batches sent as
// soon as they are full (several at a time; the target's scheduler keeps to its limits), each batch's answers
// journaled first, then written back and logged. Records that share a target record with one being created (twins)
// are linked once it exists; refused records the descriptor re-plans (renamed) are sent again.
import type { JournalEntry } from '../store/types';
import { matched, notExportable, type Subject } from './entries';
import { carried, journalEntry, keyFingerprint, owed, storedRow } from './journaling';
import type { PipelineDeps } from './pipeline';
import type { Creation, KindDescriptor } from './descriptor';
import type { CreatableKind, CreatedRecord, DeliveryResult } from './target';

interface Keyed<K extends CreatableKind> {
  creation: Creation<K>;
  key: string;
}

export class Delivery<K extends CreatableKind> {
  private batch: Keyed<K>[] = [];
  /** Records the batch being filled carries. */
  private size = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  /** Source id of a record being created -> records waiting to share its target record. */
  private readonly twins = new Map<string, Subject[]>();
  /**
   * Creations that have finished (kinds with twins only): source id -> its name and the target id it got, or null
   * when it was refused. Just what a later twin needs, so a phase of tens of thousands keeps two strings each.
   */
  private readonly finished = new Map<string, { name: string; targetId: string | null }>();
  /** Refused records to send again (renamed), picked up between pages and when draining. */
  private retries: Creation<K>[] = [];

  constructor(
    private readonly deps: PipelineDeps,
    private readonly kind: KindDescriptor<unknown, K>,
  ) {}

  get failed(): boolean {
    return this.failure !== null;
  }

  fail(error: unknown): void {
    this.failure ??= { error };
  }

  /** Keys, journals and queues a page's creations, and sends what was refused and re-planned meanwhile. */
  async create(creations: Creation<K>[]): Promise<void> {
    if (creations.length) await this.enqueue(await this.keyed(creations));
    await this.sendRetries();
  }

  /** A record that becomes the target record `of` creates: linked when it exists, told why when it cannot. */
  twin(of: string, subject: Subject): void {
    this.twins.set(of, [...(this.twins.get(of) ?? []), subject]);
    const first = this.finished.get(of);
    if (first?.targetId) this.linkTwins(of, first.name, { id: first.targetId, number: null });
    else if (first) this.failTwins(of, first.name);
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
    // A record created again after its earlier link was dropped must not be answered with its first creation.
    const prints = creations.map((c) => keyFingerprint(kind.kind, c.subject.id, c.doc, ...(c.replaces ? [c.replaces] : [])));
    const keys = await deps.keys.getOrCreateMany(
      `${deps.target.scope}:${kind.kind}`,
      prints.map((p) => ({ fingerprint: p, candidate: `${kind.kind[0]}-${p.slice(0, 40)}` })),
    );
    const keyed = creations.map((creation, i) => ({ creation, key: keys.get(prints[i]!)! }));
    await deps.journal.upsertMany(
      keyed.map(({ creation, key }) =>
        journalEntry(deps, kind.kind, creation.subject.id, 'sent', { requestId: key, detail: creation.replaces ? { replaces: creation.replaces } : {} }),
      ),
    );
    return keyed;
  }

  private async enqueue(items: Keyed<K>[]): Promise<void> {
    for (const item of items) {
      if (this.failure) return;
      // A batch's size is settled as it starts: full, or what makes the target's windows whole again.
      if (!this.batch.length) this.size = Math.max(1, Math.min(this.deps.target.batchSize, this.deps.target.fitBatch?.() ?? this.deps.target.batchSize));
      this.batch.push(item);
      if (this.batch.length >= this.size) await this.send(this.batch.splice(0));
    }
  }

  private async send(batch: Keyed<K>[]): Promise<void> {
    const max = this.deps.maxInFlight ?? this.deps.target.batchesInFlight ?? 10;
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
        const { entries, update, also, detail } = kind.created(creation, result.created);
        const row = journalEntry(deps, kind.kind, id, 'created', {
          requestId: key,
          targetId: result.created.id,
          detail: { ...detail, number: result.created.number ?? null, owed: owed(update), ...carried(also) },
        });
        rows.push(row);
        after.push(() => {
          entries.forEach((e) => deps.log(e));
          deps.writeBack.register(update, storedRow(row));
          also?.forEach((u) => deps.writeBack.register(u));
          if (kind.twins) this.finished.set(id, { name: creation.subject.name, targetId: result.created.id });
          this.linkTwins(id, creation.subject.name, result.created);
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
        if (kind.twins) this.finished.set(id, { name: creation.subject.name, targetId: null });
        this.failTwins(id, creation.subject.name);
        deps.progress(1);
      });
    });
    // The journal first: what the target confirmed is durable before anything depends on it.
    await deps.journal.upsertMany(rows);
    after.forEach((f) => f());
  }

  private linkTwins(firstId: string, firstName: string, record: CreatedRecord): void {
    const waiting = this.twins.get(firstId);
    if (!waiting) return;
    this.twins.delete(firstId);
    for (const subject of waiting) {
      this.deps.log(matched(this.kind.kind, subject, record.id, { by: 'sameRun', firstName }));
      const update = this.kind.linkUpdate(subject, record);
      this.deps.writeBack.register(
        update,
        journalEntry(this.deps, this.kind.kind, subject.id, 'created', { targetId: record.id, detail: { owed: owed(update) } }),
      );
    }
    this.deps.progress(waiting.length);
  }

  private failTwins(firstId: string, firstName: string): void {
    const waiting = this.twins.get(firstId) ?? [];
    this.twins.delete(firstId);
    for (const subject of waiting) {
      this.deps.log(
        notExportable(
          this.kind.kind,
          subject,
          `${subject.name} was not exported: it shares one QuickBooks record with ${firstName}, which could not be created.`,
          `Resolve the error on ${firstName} in this Process Log, then export again.`,
        ),
      );
    }
    this.deps.progress(waiting.length);
  }

  /** Sends the last partial batch, waits for everything in flight (and its retries), then throws what stopped it. */
  async drain(): Promise<void> {
    for (;;) {
      await this.sendRetries().catch((err) => this.fail(err));
      if (this.batch.length && !this.failure) {
        this.deps.target.unfit?.(this.size - this.batch.length);
        await this.send(this.batch.splice(0));
      }
      if (!this.inFlight.size) break;
      await Promise.allSettled([...this.inFlight]);
    }
    if (this.failure) throw this.failure.error;
  }
}
