// In-memory tables, one per object, keyed by the 15-char id so 15- and 18-char ids both find a row.
import { id15, keyPrefixOf, makeId } from './ids';
import type { FieldDef, ObjectDef, Schema, SummaryFilter } from './schema';

export type Row = Record<string, unknown>;

function uniqueKey(field: FieldDef, value: unknown): string {
  const s = String(value);
  return field.caseSensitive ? s : s.toLowerCase();
}

export class Store {
  private tables = new Map<string, Map<string, Row>>();
  private sequences = new Map<string, number>();
  private autoNumbers = new Map<string, number>();
  /** "Object.Field" -> value -> id15, for unique and external-id fields. */
  private uniqueIndexes = new Map<string, Map<string, string>>();
  private deleted = new Set<string>();
  /** Bumped on every change, so computed roll-ups know when to recount. */
  private revision = 0;
  private summaries = new Map<FieldDef, { revision: number; values: Map<string, unknown> }>();

  constructor(readonly schema: Schema) {
    this.clear();
  }

  clear(): void {
    this.revision++;
    this.tables.clear();
    this.sequences.clear();
    this.autoNumbers.clear();
    this.uniqueIndexes.clear();
    this.deleted.clear();
    for (const obj of this.schema.objects) this.tables.set(obj.name, new Map());
  }

  table(obj: string): Map<string, Row> {
    const t = this.tables.get(obj);
    if (!t) throw new Error(`unknown object ${obj}`);
    return t;
  }

  get(obj: string, id: string): Row | undefined {
    return this.tables.get(obj)?.get(id15(id));
  }

  /** Finds a record by id alone: the key prefix names its object. */
  find(id: string): { obj: ObjectDef; row: Row } | undefined {
    const obj = this.schema.byKeyPrefix(keyPrefixOf(id));
    if (!obj) return undefined;
    const row = this.get(obj.name, id);
    return row ? { obj, row } : undefined;
  }

  wasDeleted(id: string): boolean {
    return this.deleted.has(id15(id));
  }

  newId(obj: ObjectDef): string {
    const table = this.table(obj.name);
    let seq = this.sequences.get(obj.name) ?? 0;
    let id: string;
    do {
      seq += 1;
      id = makeId(obj.keyPrefix, seq);
    } while (table.has(id15(id)) || this.deleted.has(id15(id)));
    this.sequences.set(obj.name, seq);
    return id;
  }

  nextAutoNumber(obj: ObjectDef, field: FieldDef): number {
    const key = `${obj.name}.${field.name}`;
    const n = (this.autoNumbers.get(key) ?? 0) + 1;
    this.autoNumbers.set(key, n);
    return n;
  }

  private uniqueIndex(obj: ObjectDef, field: FieldDef): Map<string, string> {
    const key = `${obj.name}.${field.name}`;
    let idx = this.uniqueIndexes.get(key);
    if (!idx) {
      idx = new Map();
      this.uniqueIndexes.set(key, idx);
    }
    return idx;
  }

  /** The id of another record already holding this unique value, if any. */
  uniqueOwner(obj: ObjectDef, field: FieldDef, value: unknown): string | undefined {
    if (value === null || value === undefined) return undefined;
    const owner = this.uniqueIndex(obj, field).get(uniqueKey(field, value));
    return owner ? (this.get(obj.name, owner)?.Id as string | undefined) : undefined;
  }

  private indexed = new Map<string, FieldDef[]>();

  private indexedFields(obj: ObjectDef): FieldDef[] {
    let fields = this.indexed.get(obj.name);
    if (!fields) {
      fields = obj.fields.filter((f) => f.unique || f.externalId);
      this.indexed.set(obj.name, fields);
    }
    return fields;
  }

  put(obj: ObjectDef, row: Row): void {
    const key = id15(row.Id as string);
    const table = this.table(obj.name);
    const previous = table.get(key);
    for (const f of this.indexedFields(obj)) {
      const idx = this.uniqueIndex(obj, f);
      if (previous && previous[f.name] != null) {
        const k = uniqueKey(f, previous[f.name]);
        if (idx.get(k) === key) idx.delete(k);
      }
      if (row[f.name] != null) idx.set(uniqueKey(f, row[f.name]), key);
    }
    table.set(key, row);
    this.deleted.delete(key);
    this.revision++;
  }

  remove(obj: ObjectDef, id: string): Row | undefined {
    const key = id15(id);
    const table = this.table(obj.name);
    const row = table.get(key);
    if (!row) return undefined;
    for (const f of this.indexedFields(obj)) {
      if (row[f.name] == null) continue;
      const idx = this.uniqueIndex(obj, f);
      const k = uniqueKey(f, row[f.name]);
      if (idx.get(k) === key) idx.delete(k);
    }
    table.delete(key);
    this.deleted.add(key);
    this.revision++;
    return row;
  }

  /** Puts a removed row back (transaction rollback). */
  restore(obj: ObjectDef, row: Row): void {
    this.put(obj, row);
    this.deleted.delete(id15(row.Id as string));
  }

  /** A field's value as the API reads it: roll-up summaries are computed from the detail rows. */
  read(row: Row, field: FieldDef): unknown {
    if (field.summary) return this.summaryValue(field, row.Id as string);
    return row[field.name] ?? null;
  }

  /** COUNT/SUM/MIN/MAX over the detail rows that pass the filter; recounted once per change of the store. */
  summaryValue(field: FieldDef, parentId: string): unknown {
    let cached = this.summaries.get(field);
    if (!cached || cached.revision !== this.revision) {
      cached = { revision: this.revision, values: this.computeSummary(field) };
      this.summaries.set(field, cached);
    }
    const v = cached.values.get(id15(parentId));
    if (v !== undefined) return v;
    // No detail rows: COUNT and SUM show 0, MIN and MAX show nothing.
    const op = field.summary?.operation;
    return op === 'count' || op === 'sum' ? 0 : null;
  }

  private computeSummary(field: FieldDef): Map<string, unknown> {
    const spec = field.summary!;
    const child = this.schema.get(spec.childObject) as ObjectDef;
    const filters = spec.filters.map((f) => ({ ...f, def: child.fieldMap.get(f.field.toLowerCase()) as FieldDef }));
    const out = new Map<string, unknown>();
    for (const row of this.table(child.name).values()) {
      const parent = row[spec.foreignKey];
      if (typeof parent !== 'string') continue;
      if (!filters.every((f) => filterMatches(f, f.def.summary ? this.read(row, f.def) : row[f.field]))) continue;
      const key = id15(parent);
      const previous = out.get(key);
      if (spec.operation === 'count') {
        out.set(key, ((previous as number | undefined) ?? 0) + 1);
        continue;
      }
      const value = row[spec.summarizedField as string];
      if (value === null || value === undefined) continue;
      if (spec.operation === 'sum') out.set(key, Math.round((((previous as number | undefined) ?? 0) + (value as number)) * 1e9) / 1e9);
      else if (previous === undefined || previous === null) out.set(key, value);
      else if (
        spec.operation === 'min' ? (value as number | string) < (previous as number | string) : (value as number | string) > (previous as number | string)
      )
        out.set(key, value);
    }
    return out;
  }
}

/** One roll-up filter item, compared the way the platform compares picklist, text and number criteria. */
function filterMatches(filter: SummaryFilter, value: unknown): boolean {
  const text = value === null || value === undefined ? '' : String(value).toLowerCase();
  const wanted = filter.values.map((v) => v.toLowerCase());
  const numeric = typeof value === 'number';
  const cmp = (w: string) => (numeric ? (value as number) - Number(w) : text < w ? -1 : text > w ? 1 : 0);
  switch (filter.operation) {
    case 'equals':
      return wanted.some((w) => (numeric ? cmp(w) === 0 : text === w));
    case 'notEqual':
      return wanted.every((w) => (numeric ? cmp(w) !== 0 : text !== w));
    case 'contains':
      return wanted.some((w) => text.includes(w));
    case 'notContain':
      return wanted.every((w) => !text.includes(w));
    case 'startsWith':
      return wanted.some((w) => text.startsWith(w));
    case 'lessThan':
      return value !== null && value !== undefined && cmp(wanted[0]) < 0;
    case 'greaterThan':
      return value !== null && value !== undefined && cmp(wanted[0]) > 0;
    case 'lessOrEqual':
      return value !== null && value !== undefined && cmp(wanted[0]) <= 0;
    case 'greaterOrEqual':
      return value !== null && value !== undefined && cmp(wanted[0]) >= 0;
  }
}
