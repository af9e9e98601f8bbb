// What earlier runs already did for a page's records, found once for every kind before its planner decides:
//   - the journal says a run created or matched it, the target still holds it, the source's link was not cleared by
//     a user and the link still fits the company's settings -> link it again;
//   - an interrupted run sent it without hearing back -> found by its marker (looked up once, before the first page);
//   - it went to the target inside another record (a till payment in its invoice's sales receipt, as that record's
//     journal entry says) -> link it to that.
// Whatever is not found here is the planner's to decide.
import type { JournalEntry, JournalRepository } from '../store/types';
import * as entry from './entries';
import type { KindDescriptor, Planned } from './descriptor';
import type { AccountingTarget, CreatableKind, CreatedRecord } from './target';

/** A day's margin covers clock differences between this service and the accounting system. */
export const RECOVERY_MARGIN_MS = 86_400_000;

export interface Found {
  record: CreatedRecord;
  how: 'earlierExport' | 'marker' | 'receipt';
  /** The record's journal entry, when the journal knew the link. */
  journal?: JournalEntry;
}

export interface RecallDeps {
  companyId: string;
  target: AccountingTarget;
  journal: JournalRepository;
  now?: () => Date;
}

const LINKED = new Set(['created', 'written_back']);

export class Recall<R, K extends CreatableKind> {
  /** Source id -> what the target holds for a record an interrupted run sent. */
  private recovered = new Map<string, CreatedRecord>();

  constructor(
    private readonly deps: RecallDeps,
    private readonly kind: KindDescriptor<R, K>,
  ) {}

  /** Looks up, by marker, what an interrupted run sent without hearing back (one search for the whole run). */
  async prepare(): Promise<void> {
    const { deps, kind } = this;
    if (!kind.recovers || (kind.kind !== 'invoice' && kind.kind !== 'payment')) return;
    const unsure = await deps.journal.listByState(deps.companyId, kind.kind, ['sent', 'pending']);
    if (!unsure.length) return;
    const now = (deps.now ?? (() => new Date()))();
    const since = Math.min(...unsure.map((e) => (e.updatedAt ?? now).getTime())) - RECOVERY_MARGIN_MS;
    this.recovered = await deps.target.findByMarker(kind.kind, new Set(unsure.map((e) => e.recordId)), new Date(since));
  }

  /**
   * The page's records an earlier run already settled, by source id; and the earlier links that no longer stand
   * (source id -> the target id they pointed at), so a record created again is not taken for its first creation.
   */
  async page(records: R[]): Promise<{ found: Map<string, Found>; dropped: Map<string, string> }> {
    const { deps, kind } = this;
    const found = new Map<string, Found>();
    const dropped = new Map<string, string>();
    const ids = records.map((r) => kind.subject(r).id);
    const journal = await deps.journal.getMany(deps.companyId, kind.kind, ids);
    const earlier: JournalEntry[] = [];
    for (const r of records) {
      const e = journal.get(kind.subject(r).id);
      // Sent again after an earlier link was dropped, and not heard back: still not its first creation.
      if (e && typeof e.detail.replaces === 'string' && !LINKED.has(e.state)) dropped.set(e.recordId, e.detail.replaces);
      if (!e?.targetId || !LINKED.has(e.state)) continue;
      if (this.stillLinked(r, e.state, e.targetId)) earlier.push(e);
      else dropped.set(e.recordId, e.targetId);
    }
    if (earlier.length) {
      const targetIds = earlier.map((e) => e.targetId!);
      const held = kind.held ? kind.held(targetIds) : await deps.target.existing(kind.kind, targetIds);
      for (const e of earlier) {
        if (held.has(e.targetId!)) found.set(e.recordId, { record: fromJournal(e), how: 'earlierExport', journal: e });
        else dropped.set(e.recordId, e.targetId!);
      }
    }
    for (const id of ids) {
      const lost = this.recovered.get(id);
      if (lost && !found.has(id)) found.set(id, { record: lost, how: 'marker' });
    }
    if (kind.carriedBy) await this.carried(records, found);
    for (const id of found.keys()) dropped.delete(id);
    return { found, dropped };
  }

  /**
   * The journal's link still stands unless a user cleared it in the source after it was written back (they want the
   * record decided again), or the company's settings no longer allow it.
   */
  private stillLinked(record: R, state: JournalEntry['state'], targetId: string): boolean {
    if (this.kind.sourceLink && state === 'written_back' && this.kind.sourceLink(record) === null) return false;
    return this.kind.keepsLink?.(record, targetId) ?? true;
  }

  /** Records that went inside their invoice's sales receipt are linked to the receipt: nothing of theirs is sent again. */
  private async carried(records: R[], found: Map<string, Found>): Promise<void> {
    const { deps, kind } = this;
    const carriers = new Map<string, string>();
    for (const r of records) {
      const id = kind.subject(r).id;
      const by = found.has(id) ? null : kind.carriedBy!(r);
      if (by) carriers.set(id, by);
    }
    if (!carriers.size) return;
    const invoices = await deps.journal.getMany(deps.companyId, 'invoice', [...new Set(carriers.values())]);
    for (const [id, invoiceId] of carriers) {
      const e = invoices.get(invoiceId);
      const inside = e?.detail.also;
      if (e?.targetId && LINKED.has(e.state) && Array.isArray(inside) && inside.includes(id)) found.set(id, { record: fromJournal(e), how: 'receipt' });
    }
  }
}

function fromJournal(e: JournalEntry): CreatedRecord {
  const number = e.detail.number;
  const form = e.detail.form;
  return {
    id: e.targetId!,
    number: typeof number === 'string' ? number : null,
    ...(form === 'invoice' || form === 'creditMemo' || form === 'salesReceipt' ? { form } : {}),
  };
}

/** The plan for a record found again: a link, with the words saying how it was found. */
export function linkedPlan<R, K extends CreatableKind>(kind: KindDescriptor<R, K>, record: R, found: Found): Planned<K> {
  const subject = kind.subject(record);
  const { id, number } = found.record;
  const how = { by: found.how } as const;
  const quiet = found.how === 'earlierExport' && kind.quietEarlierLinks;
  return {
    subject,
    decision: { action: 'match', matchedBy: entry.matchWords(how), quickBooksId: id, quickBooksName: number ?? undefined },
    entries: quiet ? [] : [found.how === 'receipt' ? entry.paidByReceipt(subject, id) : entry.matched(kind.kind, subject, id, how)],
    step: {
      type: 'link',
      targetId: id,
      update: kind.linkUpdate(subject, found.record),
      journal: found.journal,
      detail: { ...(number ? { number } : {}), ...(found.record.form ? { form: found.record.form } : {}) },
      also: kind.alsoLinked?.(record, found.record),
    },
  };
}
