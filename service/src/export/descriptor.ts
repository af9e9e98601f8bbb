// What a record kind tells the pipeline: how to plan a page, what a created or refused record means for the log and
// the source record. One descriptor per kind (kinds/); the pipeline does the I/O.
import type { JournalEntry } from '../store/types';
import type { LogEntry, Subject } from './entries';
import type { PlanDecision } from './plan/decision';
import type { WriteBackUpdate } from './ports';
import type { CreatableKind, CreatedRecord, DocByKind, TargetFault } from './target';

/** One record to create (or to create again under another name after a refusal). */
export interface Creation<K extends CreatableKind> {
  subject: Subject;
  doc: DocByKind[K];
  /** How many times it was refused and re-planned. */
  attempt: number;
  /** Facts the descriptor keeps for itself (a rename, an expected total, ...). */
  note?: Record<string, unknown>;
}

export type Step<K extends CreatableKind> =
  /** Already in the target: write the link back. `journal` when the journal knew it. */
  | { type: 'link'; targetId: string; update: WriteBackUpdate; journal?: JournalEntry }
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
  /** Runs once before the first page (load indexes, find what an interrupted run left). */
  prepare?(): Promise<void>;
  plan(page: R[], journal: Map<string, JournalEntry>): Promise<Planned<K>[]>;
  /** What the source record gets written back, and what the log says, once the target created it. */
  created(creation: Creation<K>, record: CreatedRecord): { entries: LogEntry[]; update: WriteBackUpdate; also?: WriteBackUpdate[] };
  /** A record the target refused. */
  refused(creation: Creation<K>, fault: TargetFault): Refusal<K>;
  /** The write-back for a twin once its first record exists. */
  twinUpdate(subject: Subject, record: CreatedRecord): WriteBackUpdate;
  /** The source record's id. */
  id(record: R): string;
  /** Records of this kind can share one target record (customers, items); invoices cannot. */
  twins: boolean;
}
