// Reads of the source system that the page repeats — a company's settings and its export counts — kept per company,
// so page views, polls and refused presses do not each cost the org's daily API allowance. A value is read again
// once it is older than `freshMs`, or as soon as a run of the company starts or ends (the runs are what change it
// from here). While the allowance is down to its reserve, a value is kept however old: the page shows it "as of" its
// time rather than spend the calls kept for the org's other integrations.

export interface Held<T> {
  value: T;
  /** When the source system was asked. */
  asOf: Date;
  /** Kept past its freshness because the allowance is at its reserve. */
  held: boolean;
}

export interface HeldReadsOptions {
  freshMs: number;
  now: () => Date;
  /** True while the org's API allowance is down to its reserve. */
  atReserve: () => boolean;
}

export class HeldReads<T> {
  private readonly entries = new Map<string, { value: Promise<T>; asOf: Date }>();

  constructor(private readonly opts: HeldReadsOptions) {}

  async get(key: string, read: () => Promise<T>): Promise<Held<T>> {
    const now = this.opts.now();
    const entry = this.entries.get(key);
    if (entry) {
      const fresh = now.getTime() - entry.asOf.getTime() < this.opts.freshMs;
      if (fresh || this.opts.atReserve()) return { value: await entry.value, asOf: entry.asOf, held: !fresh };
    }
    const next = { value: read(), asOf: now };
    this.entries.set(key, next);
    // A failed read is not kept: the next view asks again.
    next.value.catch(() => {
      if (this.entries.get(key) === next) this.entries.delete(key);
    });
    return { value: await next.value, asOf: now, held: false };
  }

  /** Keeps a value read elsewhere (a run reads the company fresh). */
  put(key: string, value: T): void {
    this.entries.set(key, { value: Promise.resolve(value), asOf: this.opts.now() });
  }

  /** Forgets one key, or everything. */
  forget(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}
