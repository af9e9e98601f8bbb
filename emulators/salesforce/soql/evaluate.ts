// Resolves a parsed query against the schema (with the platform's INVALID_FIELD / INVALID_TYPE
// errors), then runs it over the store and shapes records like the REST query resource.
import { id15, isIdLike } from '../ids';
import type { FieldDef, FieldType, ObjectDef, Schema } from '../schema';
import type { Row, Store } from '../store';
import { formatDateTime, isValidDate, parseDateTime } from '../values';
import type { Condition, FieldRef, Literal, OrderItem, SelectQuery } from './ast';
import { dateLiteralRange, dayToDate, dayToDateTime } from './dateLiterals';
import { SoqlError, type Pos } from './errors';
import { parseSoql } from './parser';

export interface QueryContext {
  store: Store;
  /** API version used in attributes.url, e.g. "62.0". */
  version: string;
  nowMs: number;
}

export type OutRecord = Record<string, unknown>;

export interface QueryResult {
  totalSize: number;
  records: OutRecord[];
}

type Getter = (row: Row) => unknown;
type Predicate = (row: Row) => boolean;

interface ResolvedPath {
  hops: FieldDef[];
  field: FieldDef;
  get: Getter;
}

const MAX_OFFSET = 2000;

const STRINGISH = new Set<FieldType>(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);

function noSuchColumn(name: string, obj: ObjectDef, pos: Pos): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    pos,
  );
}

function unknownRelationship(name: string, pos: Pos): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    pos,
  );
}

/** Comparable form: text compares case-insensitively, ids by their 15-char case-sensitive key. */
function normalizer(field: FieldDef): (v: unknown) => unknown {
  if (STRINGISH.has(field.type)) return (v) => String(v).toLowerCase();
  if (field.type === 'id' || field.type === 'reference') return (v) => id15(String(v));
  return (v) => v;
}

function typeName(field: FieldDef): string {
  if (STRINGISH.has(field.type)) return 'string';
  if (field.type === 'datetime') return 'dateTime';
  return field.type;
}

class Compiler {
  constructor(
    private readonly schema: Schema,
    private readonly ctx: QueryContext,
  ) {}

  private get store(): Store {
    return this.ctx.store;
  }

  resolvePath(root: ObjectDef, ref: FieldRef): ResolvedPath {
    let obj = root;
    const hops: FieldDef[] = [];
    for (let i = 0; i < ref.path.length - 1; i++) {
      const hop = obj.parentRelationships.get(ref.path[i].toLowerCase());
      if (!hop || !hop.referenceTo) throw unknownRelationship(ref.path[i], ref.pos);
      const next = this.schema.get(hop.referenceTo);
      if (!next) throw unknownRelationship(ref.path[i], ref.pos);
      hops.push(hop);
      obj = next;
    }
    const last = ref.path[ref.path.length - 1];
    const field = obj.fieldMap.get(last.toLowerCase());
    if (!field) throw noSuchColumn(last, obj, ref.pos);
    return { hops, field, get: this.getter(hops, field) };
  }

  private getter(hops: FieldDef[], field: FieldDef): Getter {
    const name = field.name;
    const store = this.store;
    const leaf: Getter = field.summary ? (row) => store.read(row, field) : (row) => row[name] ?? null;
    if (hops.length === 0) return leaf;
    return (row) => {
      let current: Row | undefined = row;
      for (const hop of hops) {
        const ref = current[hop.name];
        if (typeof ref !== 'string') return null;
        current = store.get(hop.referenceTo as string, ref);
        if (!current) return null;
      }
      return leaf(current);
    };
  }

  private filterError(field: FieldDef, lit: Literal): SoqlError {
    const t = typeName(field);
    const quoted = t === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
    return new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field.name}' must be of type ${t} and ${quoted}`, lit.pos);
  }

  /** Checks a literal fits the field and returns its comparable value (or a day range). */
  private literalValue(field: FieldDef, lit: Literal): { value: unknown } | { range: [unknown, unknown] } {
    if (lit.kind === 'null') return { value: null };
    const norm = normalizer(field);
    switch (field.type) {
      case 'id':
      case 'reference':
        if (lit.kind !== 'string') throw this.filterError(field, lit);
        if (!isIdLike(lit.value)) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.value}`, lit.pos);
        return { value: norm(lit.value) };
      case 'boolean':
        if (lit.kind !== 'boolean') throw this.filterError(field, lit);
        return { value: lit.value };
      case 'double':
      case 'currency':
      case 'percent':
        if (lit.kind !== 'number') throw this.filterError(field, lit);
        return { value: lit.value };
      case 'date':
        if (lit.kind === 'date' && isValidDate(lit.value)) return { value: lit.value };
        if (lit.kind === 'dateLiteral') {
          const r = dateLiteralRange(lit.name, lit.n, this.ctx.nowMs);
          return { range: [dayToDate(r.start), dayToDate(r.end)] };
        }
        throw this.filterError(field, lit);
      case 'datetime':
        if (lit.kind === 'datetime') {
          const t = parseDateTime(lit.value);
          if (t === null) throw this.filterError(field, lit);
          return { value: formatDateTime(t) };
        }
        if (lit.kind === 'dateLiteral') {
          const r = dateLiteralRange(lit.name, lit.n, this.ctx.nowMs);
          return { range: [dayToDateTime(r.start), dayToDateTime(r.end)] };
        }
        throw this.filterError(field, lit);
      default:
        if (lit.kind !== 'string') throw this.filterError(field, lit);
        return { value: norm(lit.value) };
    }
  }

  private filterable(path: ResolvedPath, ref: FieldRef): void {
    if (!path.field.filterable) throw new SoqlError('INVALID_FIELD', `field '${path.field.name}' can not be filtered in a query call`, ref.pos);
  }

  compileCondition(root: ObjectDef, c: Condition): Predicate {
    switch (c.kind) {
      case 'and': {
        const items = c.items.map((i) => this.compileCondition(root, i));
        return (row) => items.every((p) => p(row));
      }
      case 'or': {
        const items = c.items.map((i) => this.compileCondition(root, i));
        return (row) => items.some((p) => p(row));
      }
      case 'not': {
        const inner = this.compileCondition(root, c.item);
        return (row) => !inner(row);
      }
      case 'compare':
        return this.compileCompare(root, c);
      case 'like': {
        const path = this.resolvePath(root, c.field);
        this.filterable(path, c.field);
        if (c.pattern.kind !== 'string' || !STRINGISH.has(path.field.type)) throw this.filterError(path.field, c.pattern);
        const re = likeRegex(c.pattern.value);
        return (row) => {
          const v = path.get(row);
          return v !== null && re.test(String(v));
        };
      }
      case 'in': {
        const path = this.resolvePath(root, c.field);
        this.filterable(path, c.field);
        const norm = normalizer(path.field);
        const set = new Set<unknown>();
        let hasNull = false;
        for (const lit of c.values) {
          const lv = this.literalValue(path.field, lit);
          if (!('value' in lv)) throw this.filterError(path.field, lit);
          if (lv.value === null) hasNull = true;
          else set.add(lv.value);
        }
        return (row) => {
          const v = path.get(row);
          const hit = v === null ? hasNull : set.has(norm(v));
          return c.negate ? !hit : hit;
        };
      }
      case 'inQuery':
        return this.compileSemiJoin(root, c);
    }
  }

  private compileCompare(root: ObjectDef, c: Extract<Condition, { kind: 'compare' }>): Predicate {
    const path = this.resolvePath(root, c.field);
    this.filterable(path, c.field);
    const norm = normalizer(path.field);
    const lv = this.literalValue(path.field, c.value);
    const get = path.get;
    if ('range' in lv) {
      // Named date literals cover a span: "=" means inside it, "<" before its start, ">" after its end.
      const [start, end] = lv.range as [string, string];
      const inside = (v: string) => v >= start && v < end;
      const tests: Record<string, (v: string) => boolean> = {
        '=': inside,
        '!=': (v) => !inside(v),
        '<': (v) => v < start,
        '<=': (v) => v < end,
        '>': (v) => v >= end,
        '>=': (v) => v >= start,
      };
      const test = tests[c.op];
      return (row) => {
        const v = get(row);
        if (v === null) return c.op === '!=';
        return test(String(v));
      };
    }
    const target = lv.value;
    if (target === null) {
      if (c.op === '=') return (row) => get(row) === null;
      if (c.op === '!=') return (row) => get(row) !== null;
      return () => false;
    }
    const t = target as string | number | boolean;
    switch (c.op) {
      case '=':
        return (row) => {
          const v = get(row);
          return v !== null && norm(v) === t;
        };
      // SOQL's != also matches records where the field is empty.
      case '!=':
        return (row) => {
          const v = get(row);
          return v === null || norm(v) !== t;
        };
      case '<':
        return (row) => {
          const v = get(row);
          return v !== null && (norm(v) as typeof t) < t;
        };
      case '<=':
        return (row) => {
          const v = get(row);
          return v !== null && (norm(v) as typeof t) <= t;
        };
      case '>':
        return (row) => {
          const v = get(row);
          return v !== null && (norm(v) as typeof t) > t;
        };
      case '>=':
        return (row) => {
          const v = get(row);
          return v !== null && (norm(v) as typeof t) >= t;
        };
    }
  }

  private compileSemiJoin(root: ObjectDef, c: Extract<Condition, { kind: 'inQuery' }>): Predicate {
    const path = this.resolvePath(root, c.field);
    if (path.field.type !== 'id' && path.field.type !== 'reference') {
      throw new SoqlError('INVALID_FIELD', `Semi join sub-selects are only allowed on id fields: ${path.field.name}`, c.field.pos);
    }
    const inner = this.compileQuery(c.query, null);
    if (inner.items.length !== 1 || inner.items[0].kind !== 'field' || !['id', 'reference'].includes(inner.items[0].path.field.type)) {
      throw new SoqlError('MALFORMED_QUERY', 'The selected field in a semi join subquery must be an id or reference field', c.pos);
    }
    const selected = inner.items[0].path;
    let ids: Set<string> | null = null;
    return (row) => {
      if (!ids) {
        ids = new Set();
        for (const r of inner.rows()) {
          const v = selected.get(r);
          if (typeof v === 'string') ids.add(id15(v));
        }
      }
      const v = path.get(row);
      const hit = typeof v === 'string' && ids.has(id15(v));
      return c.negate ? !hit : hit;
    };
  }

  private compileOrder(root: ObjectDef, items: OrderItem[]): ((a: Row, b: Row) => number) | null {
    if (items.length === 0) return null;
    const keys = items.map((item) => {
      const path = this.resolvePath(root, item.field);
      if (!path.field.sortable) throw new SoqlError('INVALID_FIELD', `field '${path.field.name}' can not be sorted in a query call`, item.field.pos);
      return { get: path.get, norm: normalizer(path.field), desc: item.descending, nullsLast: item.nullsLast };
    });
    return (a, b) => {
      for (const k of keys) {
        const va = k.get(a);
        const vb = k.get(b);
        if (va === null || vb === null) {
          if (va === vb) continue;
          const nullFirst = va === null ? -1 : 1;
          return k.nullsLast ? -nullFirst : nullFirst;
        }
        const na = k.norm(va) as string | number;
        const nb = k.norm(vb) as string | number;
        if (na === nb) continue;
        const cmp = na < nb ? -1 : 1;
        return k.desc ? -cmp : cmp;
      }
      return 0;
    };
  }

  /**
   * parent: the outer object when compiling a child subquery (FROM names a child relationship);
   * null for a top-level query or a semi-join.
   */
  compileQuery(q: SelectQuery, parent: ObjectDef | null): CompiledQuery {
    let obj: ObjectDef | undefined;
    let childField: string | null = null;
    let relationshipName: string | null = null;
    if (parent) {
      const rel = parent.childRelationshipMap.get(q.from.name.toLowerCase());
      if (!rel) {
        throw new SoqlError(
          'INVALID_TYPE',
          `Didn't understand relationship '${q.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          q.from.pos,
        );
      }
      obj = this.schema.get(rel.childSObject);
      childField = rel.field;
      relationshipName = rel.relationshipName;
    } else {
      obj = this.schema.get(q.from.name);
      if (!obj) {
        throw new SoqlError(
          'INVALID_TYPE',
          `sObject type '${q.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
          q.from.pos,
        );
      }
    }
    const root = obj as ObjectDef;
    const items: CompiledItem[] = [];
    const seen = new Set<string>();
    let counts = 0;
    for (const item of q.select) {
      if (item.kind === 'field') {
        const path = this.resolvePath(root, item.ref);
        const key = [...path.hops.map((h) => h.name), path.field.name].join('.').toLowerCase();
        // As in Salesforce: a field selected twice (by any spelling) fails the whole query, with no position.
        if (seen.has(key)) throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${item.ref.path.join('.')}`);
        seen.add(key);
        items.push({ kind: 'field', path });
      } else if (item.kind === 'subquery') {
        items.push({ kind: 'subquery', query: this.compileQuery(item.query, root) });
      } else {
        const path = item.arg ? this.resolvePath(root, item.arg) : null;
        items.push({ kind: 'count', path, alias: item.alias ?? (path ? `expr${counts}` : null) });
        if (path) counts++;
      }
    }
    const countItems = items.filter((i) => i.kind === 'count');
    if (countItems.length > 0 && countItems.length !== items.length) {
      const other = items.find((i) => i.kind !== 'count');
      const name = other?.kind === 'field' ? other.path.field.name : 'subquery';
      throw new SoqlError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${name}`, q.select[0].kind === 'field' ? q.select[0].ref.pos : q.from.pos);
    }
    if (countItems.some((i) => i.kind === 'count' && i.path === null) && countItems.length > 1) {
      throw new SoqlError('MALFORMED_QUERY', 'COUNT() cannot be combined with other fields', q.from.pos);
    }
    if (q.offset !== undefined && q.offset > MAX_OFFSET) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`, q.offsetPos);
    }
    const where = q.where ? this.compileCondition(root, q.where) : null;
    const order = this.compileOrder(root, q.orderBy);
    return new CompiledQuery(this.ctx, root, items, where, order, q.limit, q.offset, childField, relationshipName);
  }
}

export type CompiledItem =
  | { kind: 'field'; path: ResolvedPath }
  | { kind: 'subquery'; query: CompiledQuery }
  | { kind: 'count'; path: ResolvedPath | null; alias: string | null };

export class CompiledQuery {
  /** Child rows grouped by parent id, built on first use by a subquery. */
  private childIndex: Map<string, Row[]> | null = null;

  constructor(
    private readonly ctx: QueryContext,
    readonly obj: ObjectDef,
    readonly items: CompiledItem[],
    private readonly where: Predicate | null,
    private readonly order: ((a: Row, b: Row) => number) | null,
    private readonly limit: number | undefined,
    private readonly offset: number | undefined,
    private readonly childField: string | null,
    readonly relationshipName: string | null,
  ) {}

  get isCount(): boolean {
    return this.items.length > 0 && this.items.every((i) => i.kind === 'count');
  }

  private select(candidates: Iterable<Row>): Row[] {
    const where = this.where;
    let rows: Row[] = [];
    for (const r of candidates) if (!where || where(r)) rows.push(r);
    if (this.order) rows.sort(this.order);
    const start = this.offset ?? 0;
    if (start > 0 || this.limit !== undefined) rows = rows.slice(start, this.limit === undefined ? undefined : start + this.limit);
    return rows;
  }

  /** Matching rows of a top-level query, ordered and limited. */
  rows(): Row[] {
    return this.select(this.ctx.store.table(this.obj.name).values());
  }

  private childrenOf(parentId: string): Row[] {
    if (!this.childIndex) {
      const index = new Map<string, Row[]>();
      const field = this.childField as string;
      for (const r of this.ctx.store.table(this.obj.name).values()) {
        const ref = r[field];
        if (typeof ref !== 'string') continue;
        const key = id15(ref);
        const list = index.get(key);
        if (list) list.push(r);
        else index.set(key, [r]);
      }
      this.childIndex = index;
    }
    return this.childIndex.get(id15(parentId)) ?? [];
  }

  private url(obj: ObjectDef, id: unknown): string {
    return `/services/data/v${this.ctx.version}/sobjects/${obj.name}/${String(id)}`;
  }

  private project(row: Row): OutRecord {
    const out: OutRecord = { attributes: { type: this.obj.name, url: this.url(this.obj, row.Id) } };
    const store = this.ctx.store;
    const schema = store.schema;
    for (const item of this.items) {
      if (item.kind === 'subquery') {
        const key = item.query.relationshipName as string;
        const children = item.query.select(this.childQueryRows(item.query, row));
        out[key] = children.length === 0 ? null : { totalSize: children.length, done: true, records: children.map((c) => item.query.project(c)) };
        continue;
      }
      if (item.kind !== 'field') continue;
      const { hops, field } = item.path;
      let target: OutRecord = out;
      let current: Row | undefined = row;
      for (const hop of hops) {
        const key = hop.relationshipName as string;
        const parentObj = schema.get(hop.referenceTo as string) as ObjectDef;
        const ref: unknown = current?.[hop.name];
        const parentRow: Row | undefined = typeof ref === 'string' ? store.get(parentObj.name, ref) : undefined;
        if (!parentRow) {
          if (!(key in target)) target[key] = null;
          current = undefined;
          break;
        }
        if (!target[key] || typeof target[key] !== 'object') {
          target[key] = { attributes: { type: parentObj.name, url: this.url(parentObj, parentRow.Id) } };
        }
        target = target[key] as OutRecord;
        current = parentRow;
      }
      if (current) target[field.name] = store.read(current, field);
    }
    return out;
  }

  private childQueryRows(sub: CompiledQuery, parent: Row): Row[] {
    return sub.childrenOf(parent.Id as string);
  }

  run(): QueryResult {
    if (this.isCount) {
      const rows = this.select(this.ctx.store.table(this.obj.name).values());
      const plain = this.items.length === 1 && this.items[0].kind === 'count' && this.items[0].path === null;
      if (plain) return { totalSize: rows.length, records: [] };
      const rec: OutRecord = { attributes: { type: 'AggregateResult' } };
      for (const item of this.items) {
        if (item.kind !== 'count' || !item.path) continue;
        const get = item.path.get;
        rec[item.alias as string] = rows.reduce((n, r) => (get(r) === null ? n : n + 1), 0);
      }
      return { totalSize: 1, records: [rec] };
    }
    const rows = this.rows();
    return { totalSize: rows.length, records: rows.map((r) => this.project(r)) };
  }
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += pattern[i + 1] === '%' ? '%' : '_';
      i++;
    } else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

export function compileSoql(soql: string, ctx: QueryContext): CompiledQuery {
  const ast = parseSoql(soql);
  return new Compiler(ctx.store.schema, ctx).compileQuery(ast, null);
}

export function executeSoql(soql: string, ctx: QueryContext): QueryResult {
  return compileSoql(soql, ctx).run();
}
