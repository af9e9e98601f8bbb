// Small helpers shared by the repositories.

/** A timestamptz column as a Date (both drivers already parse it; strings are tolerated). */
export function toDate(value: unknown): Date {
  // Realm-neutral check, and always a fresh Date (callers may mutate it).
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new Error(`expected a timestamp, got ${value === null ? 'null' : typeof value}`);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A jsonb parameter: pass as JSON text and cast with `$n::text::jsonb` (identical on both drivers). */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** A jsonb column as an object (parsed by the drivers; text tolerated). */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Rejects an invalid Date before it reaches SQL (where it would become a confusing error or NULL). */
export function dateParam(value: Date, what: string): Date {
  if (Object.prototype.toString.call(value) !== '[object Date]' || Number.isNaN(value.getTime())) {
    throw new Error(`${what} must be a valid Date`);
  }
  return value;
}

/** How a patchable field is written: its column, the SQL cast of its parameter, and whether it is jsonb. */
export interface PatchColumn {
  column: string;
  cast: string;
  json?: boolean;
}

/**
 * The `SET` assignments of an UPDATE for the fields a patch names (undefined ones are left alone), their parameters
 * appended to `params`; a heartbeat column gets `now` too (any update is a sign of life).
 */
export function patchAssignments<P extends object>(
  spec: Record<keyof P, PatchColumn>,
  patch: P,
  params: unknown[],
  heartbeat?: { column: string; now: Date },
): string[] {
  const sets: string[] = [];
  for (const [field, column] of Object.entries(spec) as [keyof P & string, PatchColumn][]) {
    if (!(field in patch) || patch[field] === undefined) continue;
    let value: unknown = patch[field];
    if (column.json) value = jsonParam(value);
    else if (column.cast === 'timestamptz' && value !== null) value = dateParam(value as Date, field);
    params.push(value);
    sets.push(`${column.column} = $${params.length}::${column.cast}`);
  }
  if (heartbeat) {
    params.push(heartbeat.now);
    sets.push(`${heartbeat.column} = $${params.length}::timestamptz`);
  }
  return sets;
}
