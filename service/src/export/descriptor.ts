// What a record kind tells the pipeline: who a record is, how to plan the records nothing links yet, and what a
// created or refused record means for the log and the source record. One descriptor per kind (kinds/); the pipeline
// does the I/O, and finds on its own what an earlier run already linked or sent (recall.ts).
import type { LogEntry, Subject } from './entries';
import type { PlanDecision } from './plan/decision';
import type { WriteBackUpdate } from './ports';
import type { JournalEntry } from '../store/types';
import type { CreatableKind, CreatedRecord, DocByKind, TargetFault } from './target';

/** One record to create (or to create again under another name after a refusal). */
export interface Creation<K extends CreatableKind> {
  subject: Subject;
  doc: DocByKind[K];
  /** How many times it was refused and re-planned. */
  attempt: number;
  /** Facts the descriptor keeps for itself (a rename, an expected total, ...). */
  note?: Record<string, unknown>;
  /** The target record an earlier link pointed at, when the record is created again instead (a new request key). */
  replaces?: string;
}

export type Step<K extends CreatableKind> =
  /** Already in the target: write the link back. `journal` when the journal knew it; `detail` is kept with the link. */
  | { type: 'link'; targetId: string; update: WriteBackUpdate; journal?: JournalEntry; detail?: Record<string, unknown>; also?: WriteBackUpdate[] }
  | { type: 'create'; creation: Creation<K> }
  /** The same target record as another record's creation in this run: linked when that one is created. */
  | { type: 'twin'; of: string; firstName: string }
  /** Nothing to send; `update` records the failure on the source record. */
  | { type: 'fail'; update?: WriteBackUpdate }
  | { type: 'none' };

export interface Planned<K extends CreatableKind> {
  subject: Subject;
  decision: Omit<PlanDecision, 'recordType' | 'recordId' | 'recordName'>;
  entries: LogEntry[];
  step: Step<K>;
}

export interface Refusal<K extends CreatableKind> {
  entries: LogEntry[];
  /** Send again with this document (e.g. renamed after a name clash). */
  retry?: Creation<K>;
  update?: WriteBackUpdate;
}

export interface KindDescriptor<R, K extends CreatableKind> {
  kind: K;
  /** The source record as entries and the journal name it. */
  subject(record: R): Subject;
  /** Runs once before the first page (load indexes). */
  prepare?(): Promise<void>;
  /** Records the run reads but this kind leaves alone, without an entry (a payment that went with its sales receipt). */
  skip?(record: R): boolean;
  /**
   * The link the source record holds now (null: none). Given when the source keeps this kind's links and a user
   * clearing one means "decide this record again": the journal's earlier link is then not used.
   */
  sourceLink?(record: R): string | null;
  /** Whether an earlier link still fits the company's settings (its customer matching, say). Default: it does. */
  keepsLink?(record: R, targetId: string): boolean;
  /** Which of these target ids still exist, when the kind holds the target's records already (else the target is asked). */
  held?(targetIds: string[]): Set<string>;
  /** Records an interrupted run may have sent without hearing back are looked up by their marker before the first page. */
  recovers?: boolean;
  /** The invoice whose sales receipt carried this record to the target (payments taken at the till). */
  carriedBy?(record: R): string | null;
  /** Earlier links are not news for this kind (every record comes again each run): no entry for them. */
  quietEarlierLinks?: boolean;
  /** Decides the records nothing links yet (in page order). */
  plan(page: R[]): Promise<Planned<K>[]>;
  /** What the source record gets written back, and what the log says, once the target created it. */
  created(
    creation: Creation<K>,
    record: CreatedRecord,
  ): { entries: LogEntry[]; update: WriteBackUpdate; also?: WriteBackUpdate[]; detail?: Record<string, unknown> };
  /** A record the target refused. */
  refused(creation: Creation<K>, fault: TargetFault): Refusal<K>;
  /** Other source records that went to the target inside this one, linked with it (a sales receipt's payments). */
  alsoLinked?(record: R, found: CreatedRecord): WriteBackUpdate[];
  /** The write-back that links a source record to a record the target holds (found again, or shared with a twin). */
  linkUpdate(subject: Subject, record: CreatedRecord): WriteBackUpdate;
  /**
   * Records of this kind can share one target record (customers, items); invoices cannot. A twin met after its
   * first was created is linked by the target id alone (linkUpdate sees no more of the record).
   */
  twins: boolean;
}
