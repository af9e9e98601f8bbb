// A phase that starts before the phases it depends on have ended: its records whose dependencies are settled (an
// invoice's customer and items linked, a payment's invoice created) go at once; the others are held until more
// settles, and all of them once the earlier phases end (those then go as they would have: refused, waiting). At most
// `hold` records are held, so a phase that waits reads no further ahead than that.

/** The earlier phases, as a later one waits on them. */
export class Upstream {
  private ended = false;
  private waiters: (() => void)[] = [];

  get done(): boolean {
    return this.ended;
  }

  /** Something settled: held records are looked at again. */
  moved(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** The earlier phases ended (however): everything held goes. */
  end(): void {
    this.ended = true;
    this.moved();
  }

  /** Resolves at the next move or the end. */
  next(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface ReadyFirstOptions {
  /** Most records held waiting (reading stops while this many wait). */
  hold: number;
  /** Fewest ready records handed on at once before the earlier phases end (each page costs the store and reads). */
  least: number;
}

export const READY_FIRST: ReadyFirstOptions = { hold: 4000, least: 100 };

/**
 * The pages' records in pages of those `ready` says are settled, while `upstream` runs; once it has ended, every
 * record held and every page after, as read — or, with `rest` 'later', none of them (a later pass reads them again).
 * `stopped` ends the pages early (an earlier phase failed).
 */
export async function* readyFirst<T>(
  pages: AsyncIterable<T[]>,
  ready: (record: T) => boolean,
  upstream: Upstream,
  stopped: () => boolean = () => false,
  options: ReadyFirstOptions & { rest?: 'all' | 'later' } = READY_FIRST,
): AsyncGenerator<T[]> {
  const it = pages[Symbol.asyncIterator]();
  let held: T[] = [];
  let read = false;
  try {
    while (!upstream.done) {
      if (stopped()) return;
      const now: T[] = [];
      const later: T[] = [];
      for (const r of held) (ready(r) ? now : later).push(r);
      if (now.length >= options.least) {
        held = later;
        yield now;
        continue;
      }
      if (!read && held.length < options.hold) {
        const next = await it.next();
        if (next.done) read = true;
        else held.push(...next.value);
        continue;
      }
      if (read && !held.length) return;
      await upstream.next();
    }
    if (stopped() || options.rest === 'later') return;
    if (held.length) yield held;
    held = [];
    if (read) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    if (!read) await it.return?.();
  }
}
