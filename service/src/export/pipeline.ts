// The one pipeline every record kind goes through:
//   load pages -> recall what earlier runs settled (recall.ts) -> decide the rest (the kind's planner)
//   -> journal 'sent' with a stable key -> deliver in batches -> journal 'created' -> write back -> log.
// A descriptor decides; the pipeline does the I/O, in the order that keeps the target free of duplicates after any
// crash: whatever ends a run, what the target confirmed is journaled, written back and logged.
import type { IdempotencyRepository, JournalEntry, JournalRepository } from '../store/types';
import type { LogEntry } from './entries';
import type { PlanBook } from './plan/decision';
import type { WriteBackPort, WriteBackUpdate } from './ports';
import type { Creation, KindDescriptor, Planned } from './descriptor';
import { Delivery } from './delivery';
import { carried, journalEntry, owed, storedRow } from './journaling';
import { Recall, linkedPlan } from './recall';
import type { AccountingTarget, CreatableKind } from './target';

export { journalEntry, owed } from './journaling';

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
  /** The run's clock (when an interrupted run's records were sent). */
  now?: () => Date;
}

/** Runs one kind's pages through the pipeline. Throws the first run-stopping error after in-flight work settled. */
export async function runKind<R, K extends CreatableKind>(deps: PipelineDeps, kind: KindDescriptor<R, K>, pages: AsyncIterable<R[]>): Promise<void> {
  const delivery = new Delivery<K>(deps, kind as KindDescriptor<unknown, K>);
  const recall = new Recall<R, K>(deps, kind);
  try {
    // Loaded before the first page only: a kind with nothing to export reads nothing from the target (reads are metered).
    let prepared = false;
    for await (const page of prefetch(pages)) {
      // The first page goes in parts of a window's allowance: its first batches leave while the rest is planned.
      const parts = prepared ? [page] : inParts(page, deps.target.batchSize * (deps.target.batchesInFlight ?? 10));
      if (!prepared) {
        prepared = true;
        await kind.prepare?.();
        await recall.prepare();
      }
      for (const part of parts) {
        deps.checkpoint();
        await deps.gate?.();
        await planPage(deps, kind, recall, delivery, part);
        if (delivery.failed) break;
      }
      if (delivery.failed) break;
    }
  } catch (err) {
    delivery.fail(err);
  }
  await delivery.drain();
}

/** Plans one page (earlier links first, the kind's planner for the rest) and hands each record on. */
async function planPage<R, K extends CreatableKind>(
  deps: PipelineDeps,
  kind: KindDescriptor<R, K>,
  recall: Recall<R, K>,
  delivery: Delivery<K>,
  page: R[],
): Promise<void> {
  const records = kind.skip ? page.filter((r) => !kind.skip!(r)) : page;
  const { found, dropped } = await recall.page(records);
  const open = records.filter((r) => !found.has(kind.subject(r).id));
  const decided = open.length ? await kind.plan(open) : [];
  let next = 0;
  const planned: Planned<K>[] = records.map((r) => {
    const f = found.get(kind.subject(r).id);
    return f ? linkedPlan(kind, r, f) : decided[next++]!;
  });

  const creations: Creation<K>[] = [];
  const links: { update: WriteBackUpdate; entry: JournalEntry; also?: WriteBackUpdate[] }[] = [];
  let done = 0;
  for (const p of planned) {
    deps.plan.add(kind.kind, { recordId: p.subject.id, recordName: p.subject.name, ...p.decision });
    p.entries.forEach((e) => deps.log(e));
    const step = p.step;
    if (step.type === 'create') {
      const replaces = dropped.get(p.subject.id);
      if (deps.dryRun) done++;
      else creations.push(replaces ? { ...step.creation, replaces } : step.creation);
      continue;
    }
    if (step.type === 'twin') {
      if (deps.dryRun) done++;
      else delivery.twin(step.of, p.subject);
      continue;
    }
    done++;
    if (deps.dryRun) continue;
    if (step.type === 'link') {
      const entry = step.journal ?? journalEntry(deps, kind.kind, p.subject.id, 'created', { targetId: step.targetId });
      const detail = { ...entry.detail, ...step.detail, owed: owed(step.update), ...carried(step.also) };
      links.push({ update: step.update, entry: { ...entry, state: 'created', detail }, also: step.also });
    } else if (step.type === 'fail' && step.update) deps.writeBack.register(step.update);
  }
  // Links are owed from now on (one statement a page): if the source does not take them, the journal remembers.
  if (links.length) await deps.journal.upsertMany(links.map((l) => l.entry));
  for (const l of links) {
    deps.writeBack.register(l.update, storedRow(l.entry));
    l.also?.forEach((u) => deps.writeBack.register(u));
  }
  deps.progress(done);
  await delivery.create(creations);
  await deps.writeBack.flushIfDue();
}

function inParts<T>(page: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < page.length; i += size) parts.push(page.slice(i, i + size));
  return parts.length ? parts : [page];
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

/** The same pages, each shown to `look` as it passes. */
export async function* tap<T>(pages: AsyncIterable<T[]>, look: (page: T[]) => void): AsyncGenerator<T[]> {
  for await (const page of pages) {
    look(page);
    yield page;
  }
}
