// Pure decisions for classes and locations: which names an invoice needs (a class per transaction or per line, as
// the QuickBooks company tracks them; a location when it tracks locations), matched by name to what QuickBooks holds,
// and what to do about a name it does not have (create it when the company allows, else refuse the invoice).

export type ClassTracking = 'off' | 'transaction' | 'line';

export interface TrackingSettings {
  classTracking: ClassTracking;
  trackLocations: boolean;
}

export interface TrackedNames {
  /** The transaction's class, when classes are tracked per transaction. */
  className: string | null;
  /** Each line's class, when they are tracked per line (null: none). */
  lineClasses: (string | null)[];
  location: string | null;
  /** What the invoice names that the QuickBooks company does not track (said in a warning). */
  untracked: string[];
}

const clean = (name: string | null | undefined) => name?.trim() || null;

/** The names an invoice puts on QuickBooks' class and location lists. */
export function trackedNames(
  invoice: { className?: string | null; location?: string | null; lines: { className?: string | null }[] },
  settings: TrackingSettings,
): TrackedNames {
  const txnClass = clean(invoice.className);
  const lineClasses = invoice.lines.map((l) => clean(l.className) ?? txnClass);
  const untracked: string[] = [];
  const named = txnClass ?? lineClasses.find((c) => c !== null) ?? null;
  if (settings.classTracking === 'off' && named) untracked.push(`class "${named}"`);
  const location = clean(invoice.location);
  if (!settings.trackLocations && location) untracked.push(`location "${location}"`);
  return {
    className: settings.classTracking === 'transaction' ? txnClass : null,
    lineClasses: settings.classTracking === 'line' ? lineClasses : invoice.lines.map(() => null),
    location: settings.trackLocations ? location : null,
    untracked,
  };
}

/** Every distinct name of a list that a set of invoices needs. */
export function namesNeeded(all: TrackedNames[]): { classes: string[]; locations: string[] } {
  const classes = new Map<string, string>();
  const locations = new Map<string, string>();
  for (const t of all) {
    for (const c of [t.className, ...t.lineClasses]) if (c) classes.set(c.toLowerCase(), c);
    if (t.location) locations.set(t.location.toLowerCase(), t.location);
  }
  return { classes: [...classes.values()], locations: [...locations.values()] };
}

export type TrackingRefs =
  | { ok: true; classId: string | null; lineClassIds: (string | null)[]; locationId: string | null }
  | { ok: false; message: string; fix: string };

/** The QuickBooks ids of an invoice's names (lists keyed by lower-cased name), or why it cannot go. */
export function trackingRefs(
  invoiceName: string,
  names: TrackedNames,
  lists: { classes: Map<string, string>; locations: Map<string, string> },
  companyName: string,
): TrackingRefs {
  const missing = (list: 'class' | 'location', name: string) => ({
    ok: false as const,
    message: `Invoice ${invoiceName} was not exported: QuickBooks has no ${list} "${name}".`,
    fix:
      `Add the ${list} "${name}" in QuickBooks (or correct the name on the Sales Invoice), or turn on Create Missing Classes and Locations ` +
      `on Company "${companyName}", then export again.`,
  });
  const classId = (name: string | null) => (name ? (lists.classes.get(name.toLowerCase()) ?? null) : null);
  if (names.className && !classId(names.className)) return missing('class', names.className);
  for (const c of names.lineClasses) if (c && !classId(c)) return missing('class', c);
  const locationId = names.location ? (lists.locations.get(names.location.toLowerCase()) ?? null) : null;
  if (names.location && !locationId) return missing('location', names.location);
  return { ok: true, classId: classId(names.className), lineClassIds: names.lineClasses.map(classId), locationId };
}
