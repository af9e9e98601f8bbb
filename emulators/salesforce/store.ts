// In-memory tables, one per object, keyed by the 15-char id so 15- and 18-char ids both find a row.
import { id15, keyPrefixOf, makeId } from './ids';
import type { FieldDef, ObjectDef, Schema } from './schema';

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

  constructor(readonly schema: Schema) {
    this.clear();
  }

  clear(): void {
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
    return row;
  }

  /** Puts a removed row back (transaction rollback). */
  restore(obj: ObjectDef, row: Row): void {
    this.put(obj, row);
    this.deleted.delete(id15(row.Id as string));
  }
}
