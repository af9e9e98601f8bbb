// The QBO query language subset: SELECT * | COUNT(*) | fields FROM Entity
// [WHERE c AND c ...] [ORDERBY f [ASC|DESC], ...] [STARTPOSITION n]
// [MAXRESULTS n]. No OR, no NOT. Syntax errors are 4000 (QueryParserError),
// unknown entities/properties 4001 (QueryValidationError), as the service
// reports them.

import { companyInfoOf, preferencesOf } from './company';
import { faults } from './faults';
import type { Entity, EntityName, Realm } from './state';

export type Literal = string | number | boolean;

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

export interface Condition {
  field: string;
  op: Operator;
  values: Literal[];
}

export type Selection = { kind: 'all' } | { kind: 'count' } | { kind: 'fields'; fields: string[] };

export interface ParsedQuery {
  select: Selection;
  entity: string;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  startPosition?: number;
  maxResults?: number;
}

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_RESULTS_LIMIT = 1000;

// ------------------------------------------------------------ tokenizer ---

type TokenKind = 'IDENTIFIER' | 'STRING_LITERAL' | 'INTEGER' | 'DECIMAL' | 'SYMBOL' | 'EOF';

interface Token {
  kind: TokenKind;
  text: string;
  value?: Literal;
  col: number;
}

const SYMBOLS = ['<=', '>=', '!=', '<>', '*', '(', ')', ',', '=', '<', '>'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (c === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const ch = text[j];
        if (ch === '\\' && j + 1 < text.length) {
          const next = text[j + 1];
          value += next === "'" || next === '\\' ? next : `\\${next}`;
          j += 2;
          continue;
        }
        if (ch === "'") {
          closed = true;
          break;
        }
        value += ch;
        j++;
      }
      if (!closed) throw faults.queryParse(`Lexical error at line 1, column ${text.length + 1}.  Encountered: <EOF> after : "${text.slice(i)}"`);
      tokens.push({ kind: 'STRING_LITERAL', text: text.slice(i, j + 1), value, col });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num && (c !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: num[1] ? 'DECIMAL' : 'INTEGER', text: num[0], value: Number(num[0]), col });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: 'IDENTIFIER', text: ident[0], col });
      i += ident[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: 'SYMBOL', text: symbol, col });
      i += symbol.length;
      continue;
    }
    throw faults.queryParse(`Lexical error at line 1, column ${col}.  Encountered: "${c}" (${c.charCodeAt(0)}), after : ""`);
  }
  tokens.push({ kind: 'EOF', text: '', col: text.length + 1 });
  return tokens;
}

// --------------------------------------------------------------- parser ---

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'EOF') this.pos++;
    return t;
  }

  fail(t: Token = this.peek()): never {
    if (t.kind === 'EOF') throw faults.queryParse(`Encountered "<EOF>" at line 1, column ${t.col}.`);
    if (t.kind === 'SYMBOL') throw faults.queryParse(`Encountered "${t.text}" at line 1, column ${t.col}.`);
    throw faults.queryParse(`Encountered " <${t.kind}> "${t.text} "" at line 1, column ${t.col}.`);
  }

  private isKeyword(word: string, t: Token = this.peek()): boolean {
    return t.kind === 'IDENTIFIER' && t.text.toUpperCase() === word;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail();
    this.next();
  }

  private symbol(s: string): void {
    const t = this.peek();
    if (t.kind !== 'SYMBOL' || t.text !== s) this.fail();
    this.next();
  }

  private identifier(): string {
    const t = this.peek();
    if (t.kind !== 'IDENTIFIER') this.fail();
    this.next();
    return t.text;
  }

  private integer(): number {
    const t = this.peek();
    if (t.kind !== 'INTEGER') this.fail();
    this.next();
    return Number(t.value);
  }

  private literal(): Literal {
    const t = this.peek();
    if (t.kind === 'STRING_LITERAL' || t.kind === 'INTEGER' || t.kind === 'DECIMAL') {
      this.next();
      return t.value!;
    }
    if (this.isKeyword('TRUE')) {
      this.next();
      return true;
    }
    if (this.isKeyword('FALSE')) {
      this.next();
      return false;
    }
    return this.fail();
  }

  parse(): ParsedQuery {
    this.keyword('SELECT');
    const select = this.selection();
    this.keyword('FROM');
    const entity = this.identifier();
    const where: Condition[] = [];
    if (this.isKeyword('WHERE')) {
      this.next();
      where.push(this.condition());
      while (this.isKeyword('AND')) {
        this.next();
        where.push(this.condition());
      }
    }
    const query: ParsedQuery = { select, entity, where, orderBy: [] };
    const seen = new Set<string>();
    while (this.peek().kind !== 'EOF') {
      const t = this.peek();
      const word = t.kind === 'IDENTIFIER' ? t.text.toUpperCase() : '';
      if (!['ORDERBY', 'STARTPOSITION', 'MAXRESULTS'].includes(word) || seen.has(word)) this.fail();
      seen.add(word);
      this.next();
      if (word === 'ORDERBY') query.orderBy = this.orderList();
      else if (word === 'STARTPOSITION') query.startPosition = this.integer();
      else query.maxResults = this.integer();
    }
    return query;
  }

  private selection(): Selection {
    const t = this.peek();
    if (t.kind === 'SYMBOL' && t.text === '*') {
      this.next();
      return { kind: 'all' };
    }
    if (this.isKeyword('COUNT') && this.tokens[this.pos + 1]?.text === '(') {
      this.next();
      this.symbol('(');
      this.symbol('*');
      this.symbol(')');
      return { kind: 'count' };
    }
    const fields = [this.identifier()];
    while (this.peek().kind === 'SYMBOL' && this.peek().text === ',') {
      this.next();
      fields.push(this.identifier());
    }
    return { kind: 'fields', fields };
  }

  private condition(): Condition {
    const field = this.identifier();
    const t = this.peek();
    if (this.isKeyword('IN')) {
      this.next();
      this.symbol('(');
      const values = [this.literal()];
      while (this.peek().kind === 'SYMBOL' && this.peek().text === ',') {
        this.next();
        values.push(this.literal());
      }
      this.symbol(')');
      return { field, op: 'IN', values };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const pattern = this.peek();
      if (pattern.kind !== 'STRING_LITERAL') this.fail();
      this.next();
      return { field, op: 'LIKE', values: [pattern.value!] };
    }
    if (t.kind === 'SYMBOL' && ['=', '<', '>', '<=', '>='].includes(t.text)) {
      this.next();
      return { field, op: t.text as Operator, values: [this.literal()] };
    }
    return this.fail();
  }

  private orderList(): { field: string; desc: boolean }[] {
    const list: { field: string; desc: boolean }[] = [];
    for (;;) {
      const field = this.identifier();
      let desc = false;
      if (this.isKeyword('ASC')) this.next();
      else if (this.isKeyword('DESC')) {
        this.next();
        desc = true;
      }
      list.push({ field, desc });
      if (!(this.peek().kind === 'SYMBOL' && this.peek().text === ',')) return list;
      this.next();
    }
  }
}

export function parseQuery(text: string): ParsedQuery {
  if (typeof text !== 'string' || text.trim() === '') throw faults.queryParse('Encountered "<EOF>" at line 1, column 1.');
  return new Parser(tokenize(text)).parse();
}

// ------------------------------------------------------------- executor ---

type FieldKind = 'string' | 'number' | 'bool' | 'datetime' | 'date' | 'ref' | 'id' | 'email' | 'phone';

type QueryEntity = EntityName | 'CompanyInfo' | 'Preferences';

const META: Record<string, FieldKind> = { Id: 'id', 'MetaData.CreateTime': 'datetime', 'MetaData.LastUpdatedTime': 'datetime' };

const PERSON: Record<string, FieldKind> = {
  ...META,
  DisplayName: 'string',
  Title: 'string',
  GivenName: 'string',
  MiddleName: 'string',
  FamilyName: 'string',
  Suffix: 'string',
  CompanyName: 'string',
  PrintOnCheckName: 'string',
  PrimaryEmailAddr: 'email',
  PrimaryPhone: 'phone',
  Active: 'bool',
  CurrencyRef: 'ref',
};

const SALES_FORM: Record<string, FieldKind> = {
  ...META,
  DocNumber: 'string',
  TxnDate: 'date',
  CustomerRef: 'ref',
  PrivateNote: 'string',
  TotalAmt: 'number',
  Balance: 'number',
  CurrencyRef: 'ref',
  PrintStatus: 'string',
  EmailStatus: 'string',
};

/** Properties each entity can be filtered and sorted on. */
const FIELDS: Record<QueryEntity, Record<string, FieldKind>> = {
  Customer: {
    ...PERSON,
    FullyQualifiedName: 'string',
    Balance: 'number',
    BalanceWithJobs: 'number',
    Job: 'bool',
    ParentRef: 'ref',
    Taxable: 'bool',
    Notes: 'string',
    CurrencyRef: 'ref',
  },
  Vendor: { ...PERSON, Balance: 'number', Vendor1099: 'bool', AcctNum: 'string' },
  Employee: { ...PERSON, EmployeeNumber: 'string' },
  Item: {
    ...META,
    Name: 'string',
    Sku: 'string',
    Type: 'string',
    Active: 'bool',
    FullyQualifiedName: 'string',
    Description: 'string',
    UnitPrice: 'number',
    Taxable: 'bool',
    TrackQtyOnHand: 'bool',
    QtyOnHand: 'number',
    ParentRef: 'ref',
    IncomeAccountRef: 'ref',
  },
  Account: {
    ...META,
    Name: 'string',
    FullyQualifiedName: 'string',
    AccountType: 'string',
    AccountSubType: 'string',
    Classification: 'string',
    Active: 'bool',
    AcctNum: 'string',
    CurrentBalance: 'number',
    SubAccount: 'bool',
  },
  TaxCode: { ...META, Name: 'string', Active: 'bool', Taxable: 'bool' },
  TaxRate: { ...META, Name: 'string', Active: 'bool', RateValue: 'number' },
  Class: { ...META, Name: 'string', FullyQualifiedName: 'string', Active: 'bool', SubClass: 'bool', ParentRef: 'ref' },
  Department: { ...META, Name: 'string', FullyQualifiedName: 'string', Active: 'bool', SubDepartment: 'bool', ParentRef: 'ref' },
  Invoice: { ...SALES_FORM, DueDate: 'date' },
  CreditMemo: { ...SALES_FORM, RemainingCredit: 'number' },
  SalesReceipt: { ...SALES_FORM, PaymentRefNum: 'string', DepositToAccountRef: 'ref', PaymentMethodRef: 'ref' },
  Payment: {
    ...META,
    TxnDate: 'date',
    CustomerRef: 'ref',
    TotalAmt: 'number',
    UnappliedAmt: 'number',
    PaymentRefNum: 'string',
    PrivateNote: 'string',
    DepositToAccountRef: 'ref',
    PaymentMethodRef: 'ref',
    CurrencyRef: 'ref',
  },
  CompanyInfo: { ...META, CompanyName: 'string', Country: 'string' },
  Preferences: { ...META },
};

const ENTITY_BY_LOWER = new Map<string, QueryEntity>((Object.keys(FIELDS) as QueryEntity[]).map((n) => [n.toLowerCase(), n]));

interface ResolvedField {
  path: string[];
  kind: FieldKind;
}

function resolveField(entity: QueryEntity, field: string): ResolvedField {
  const fields = FIELDS[entity];
  const name = Object.keys(fields).find((k) => k.toLowerCase() === field.toLowerCase());
  if (!name) throw faults.queryValidation(`Property ${field} not found for Entity ${entity}`);
  return { path: name.split('.'), kind: fields[name] };
}

function valueAt(entity: Entity, field: ResolvedField): unknown {
  let v: any = entity;
  for (const p of field.path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[p];
  }
  if (v !== null && typeof v === 'object') {
    if (field.kind === 'email') return v.Address;
    if (field.kind === 'phone') return v.FreeFormNumber;
    return v.value;
  }
  return v;
}

function compareStrings(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function toTime(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
}

/** Orders an entity value against a literal; undefined when they cannot be compared. */
function compare(kind: FieldKind, actual: unknown, literal: Literal): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  switch (kind) {
    case 'number': {
      const a = Number(actual);
      const b = Number(literal);
      if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
      return a - b;
    }
    case 'bool': {
      const b = typeof literal === 'boolean' ? literal : String(literal).toLowerCase() === 'true';
      return Number(actual === true || actual === 'true') - Number(b);
    }
    case 'datetime': {
      const a = toTime(actual);
      const b = toTime(literal);
      if (Number.isNaN(b)) throw faults.queryValidation(`Invalid date/time value: ${String(literal)}`);
      return Number.isNaN(a) ? undefined : a - b;
    }
    case 'date':
      return compareStrings(String(actual).slice(0, 10), String(literal).slice(0, 10));
    case 'id': {
      const a = Number(actual);
      const b = Number(literal);
      if (Number.isInteger(a) && Number.isInteger(b)) return a - b;
      return compareStrings(String(actual), String(literal));
    }
    case 'ref':
      return String(actual) === String(literal) ? 0 : compareStrings(String(actual), String(literal)) || 1;
    default:
      return compareStrings(String(actual), String(literal));
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

type Predicate = (e: Entity) => boolean;

function predicate(entity: QueryEntity, cond: Condition): Predicate {
  const field = resolveField(entity, cond.field);
  switch (cond.op) {
    case 'LIKE': {
      const re = likeRegex(String(cond.values[0]));
      return (e) => {
        const v = valueAt(e, field);
        return v !== undefined && v !== null && re.test(String(v));
      };
    }
    case 'IN':
      return (e) => {
        const v = valueAt(e, field);
        return cond.values.some((lit) => compare(field.kind, v, lit) === 0);
      };
    default: {
      const test: Record<Exclude<Operator, 'IN' | 'LIKE'>, (n: number) => boolean> = {
        '=': (n) => n === 0,
        '<': (n) => n < 0,
        '>': (n) => n > 0,
        '<=': (n) => n <= 0,
        '>=': (n) => n >= 0,
      };
      const ok = test[cond.op];
      const literal = cond.values[0];
      return (e) => {
        const c = compare(field.kind, valueAt(e, field), literal);
        return c !== undefined && ok(c);
      };
    }
  }
}

function rowsOf(realm: Realm, entity: QueryEntity): Entity[] {
  if (entity === 'CompanyInfo') return [companyInfoOf(realm)];
  if (entity === 'Preferences') return [preferencesOf(realm)];
  return [...realm.table(entity).values()];
}

function sortKey(field: ResolvedField, e: Entity): unknown {
  return valueAt(e, field);
}

function compareForSort(kind: FieldKind, a: unknown, b: unknown): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? -1 : 1;
  return compare(kind, a, b as Literal) ?? 0;
}

function project(row: Entity, fields: string[]): Entity {
  const out: Entity = {};
  for (const f of fields) {
    const key = Object.keys(row).find((k) => k.toLowerCase() === f.toLowerCase());
    if (key !== undefined) out[key] = row[key];
  }
  return { ...out, domain: 'QBO', sparse: true };
}

export interface QueryResponse {
  QueryResponse: Record<string, unknown>;
}

/** Entities whose query pages carry `totalCount` (Invoice in the recordings; Payment, CreditMemo, SalesReceipt, Customer and Item pages do not). */
const WITH_TOTAL_COUNT: ReadonlySet<QueryEntity> = new Set(['Invoice']);

/** Transactions come back newest change first when no ORDERBY is given, as in every recorded transaction query. */
const TRANSACTIONS: ReadonlySet<QueryEntity> = new Set(['Invoice', 'Payment', 'CreditMemo', 'SalesReceipt']);

/** Name lists come back by FullyQualifiedName when no ORDERBY is given (the recorded Customer and Item queries). */
const BY_NAME: ReadonlySet<QueryEntity> = new Set(['Customer', 'Item']);

function defaultOrder(entity: QueryEntity, rows: Entity[]): Entity[] {
  if (TRANSACTIONS.has(entity)) {
    const updated = (e: Entity) => toTime(e.MetaData?.LastUpdatedTime);
    return rows.sort((a, b) => updated(b) - updated(a) || Number(b.Id) - Number(a.Id));
  }
  if (BY_NAME.has(entity))
    return rows.sort((a, b) => compareStrings(String(a.FullyQualifiedName ?? ''), String(b.FullyQualifiedName ?? '')) || Number(a.Id) - Number(b.Id));
  return rows;
}

/** Query rows as QBO serves them: Item rows carry no DeferredRevenue (single reads and creates do). */
function asQueryRow(entity: QueryEntity, row: Entity): Entity {
  if (entity !== 'Item' || !('DeferredRevenue' in row)) return row;
  const { DeferredRevenue: _omitted, ...rest } = row;
  return rest;
}

/** Runs a parsed query against one company. Like QBO, list entities are active-only unless the filter names Active. */
export function runQuery(realm: Realm, query: ParsedQuery): QueryResponse {
  const entity = ENTITY_BY_LOWER.get(query.entity.toLowerCase());
  if (!entity) throw faults.queryValidation(`Entity ${query.entity} is not supported or invalid`);
  const predicates = query.where.map((c) => predicate(entity, c));
  const namesActive = query.where.some((c) => c.field.toLowerCase() === 'active');
  if ('Active' in FIELDS[entity] && !namesActive) predicates.unshift((e) => e.Active !== false);
  const order = query.orderBy.map((o) => ({ field: resolveField(entity, o.field), desc: o.desc }));
  let rows = rowsOf(realm, entity).filter((e) => predicates.every((p) => p(e)));
  if (query.select.kind === 'count') return { QueryResponse: { totalCount: rows.length } };
  if (order.length > 0) {
    rows = rows
      .map((e, i) => ({ e, i }))
      .sort((x, y) => {
        for (const o of order) {
          const c = compareForSort(o.field.kind, sortKey(o.field, x.e), sortKey(o.field, y.e));
          if (c !== 0) return o.desc ? -c : c;
        }
        return x.i - y.i;
      })
      .map((r) => r.e);
  } else {
    rows = defaultOrder(entity, rows);
  }
  const start = Math.max(1, query.startPosition ?? 1);
  const max = Math.min(MAX_RESULTS_LIMIT, Math.max(1, query.maxResults ?? DEFAULT_MAX_RESULTS));
  let page = rows.slice(start - 1, start - 1 + max).map((row) => asQueryRow(entity, row));
  if (page.length === 0) return { QueryResponse: {} };
  const select = query.select;
  if (select.kind === 'fields') page = page.map((row) => project(row, select.fields));
  const response: Record<string, unknown> = { [entity]: page, startPosition: start, maxResults: page.length };
  // The recorded value equals the rows on the page; whether a later page reports the grand total is not recorded.
  if (WITH_TOTAL_COUNT.has(entity)) response.totalCount = page.length;
  return { QueryResponse: response };
}

export function executeQuery(realm: Realm, text: string): QueryResponse {
  return runQuery(realm, parseQuery(text));
}
