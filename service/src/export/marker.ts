// The private marker that ties a record in the accounting system to its source record: written into the
// document's internal note, read back by a later run to find what an interrupted run created.
const MARKER = /\[ledgerline:([a-zA-Z0-9]{15,18})\]/;

export function marker(sourceId: string): string {
  return `[ledgerline:${sourceId}]`;
}

/** The source record id in a note, if Ledgerline wrote it. */
export function readMarker(note: string | null | undefined): string | null {
  const found = MARKER.exec(note ?? '');
  return found ? found[1]! : null;
}
