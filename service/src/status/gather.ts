// Writes a status sync owes, gathered across store pages until they make a write the source system takes best in bulk:
// a page of 500 never reaches a bulk threshold of 2,000, so a large sync would otherwise go 200 records a call. What
// is gathered is held until sent (its store marks follow the write), and never more than a chunk and a threshold
// beyond it, so memory stays bounded whatever the sync owes.
import type { WriteBatching } from './ports';

/**
 * How many of the waiting writes (their records each, in order) go now: the first whole ones reaching `chunk` records
 * once a chunk and the threshold wait, so what stays is never a small remainder that misses the bulk way; at the end,
 * all. Without batching, all at once (a page at a time).
 */
export function dueCount(weights: number[], batching: WriteBatching | undefined, end: boolean): number {
  if (end || !batching) return weights.length;
  const waiting = weights.reduce((sum, w) => sum + w, 0);
  if (waiting < batching.chunk + batching.threshold) return 0;
  let records = 0;
  for (let i = 0; i < weights.length; i++) {
    records += weights[i]!;
    if (records >= batching.chunk) return i + 1;
  }
  return weights.length;
}

/** Planned writes waiting to be sent, each weighing the records it writes. */
export class Gathered<T> {
  private items: T[] = [];

  constructor(
    private readonly weight: (item: T) => number,
    private readonly batching: WriteBatching | undefined,
  ) {}

  add(items: T[]): void {
    this.items.push(...items);
  }

  /** The next chunk due (empty when none is): taken until empty after each page, like the export's flushIfDue. */
  due(): T[] {
    return this.items.splice(0, dueCount(this.items.map(this.weight), this.batching, false));
  }

  /** Everything still held, for the last write. */
  rest(): T[] {
    return this.items.splice(0);
  }
}
