// Recursive-descent parser for the SOQL subset: SELECT fields, parent paths, child subqueries,
// COUNT(), WHERE (AND/OR/NOT, comparisons, IN, LIKE, semi-joins), ORDER BY, LIMIT, OFFSET.
import type { CompareOp, Condition, FieldRef, Literal, OrderItem, SelectItem, SelectQuery } from './ast';
import { SoqlError } from './errors';
import { tokenize, type Token } from './lexer';

const RESERVED = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'like',
  'null',
  'true',
  'false',
  'order',
  'by',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'limit',
  'offset',
  'group',
  'having',
  'includes',
  'excludes',
  'with',
  'for',
  'using',
]);

const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);
const DATE_N_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private unexpected(t: Token = this.peek()): SoqlError {
    return new SoqlError('MALFORMED_QUERY', t.type === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.value}'`, t.pos);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'ident' && t.value.toLowerCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i++;
    return true;
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected();
    return this.next();
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.value === p;
  }

  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) throw this.unexpected();
    return this.next();
  }

  parseQuery(): SelectQuery {
    this.expectKeyword('select');
    const select = this.parseSelectList();
    this.expectKeyword('from');
    const fromTok = this.next();
    if (fromTok.type !== 'ident' || RESERVED.has(fromTok.value.toLowerCase()) || fromTok.value.includes('.')) throw this.unexpected(fromTok);
    const query: SelectQuery = { select, from: { name: fromTok.value, pos: fromTok.pos }, orderBy: [] };
    if (this.acceptKeyword('where')) query.where = this.parseCondition();
    if (this.isKeyword('order')) {
      this.next();
      this.expectKeyword('by');
      query.orderBy = this.parseOrderList();
    }
    if (this.acceptKeyword('limit')) query.limit = this.parseNonNegativeInt();
    if (this.isKeyword('offset')) {
      query.offsetPos = this.next().pos;
      query.offset = this.parseNonNegativeInt();
    }
    return query;
  }

  private parseNonNegativeInt(): number {
    const t = this.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.value)) throw this.unexpected(t);
    return Number(t.value);
  }

  private parseSelectList(): SelectItem[] {
    const items: SelectItem[] = [this.parseSelectItem()];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.parseSelectItem());
    }
    return items;
  }

  private parseSelectItem(): SelectItem {
    const t = this.peek();
    if (t.type === 'punct' && t.value === '(') {
      this.next();
      const query = this.parseQuery();
      this.expectPunct(')');
      return { kind: 'subquery', query, pos: t.pos };
    }
    if (this.isKeyword('count') && this.peek(1).type === 'punct' && this.peek(1).value === '(') {
      this.next();
      this.next();
      let arg: FieldRef | undefined;
      if (!this.isPunct(')')) arg = this.parseFieldRef();
      this.expectPunct(')');
      let alias: string | undefined;
      const a = this.peek();
      if (arg && a.type === 'ident' && !RESERVED.has(a.value.toLowerCase()) && !a.value.includes('.')) alias = this.next().value;
      return { kind: 'count', arg, alias, pos: t.pos };
    }
    return { kind: 'field', ref: this.parseFieldRef() };
  }

  private parseFieldRef(): FieldRef {
    const t = this.next();
    if (t.type !== 'ident' || RESERVED.has(t.value.toLowerCase())) throw this.unexpected(t);
    return { path: t.value.split('.'), pos: t.pos };
  }

  /** AND and OR cannot be mixed at one level without parentheses, as in SOQL. */
  private parseCondition(): Condition {
    const first = this.parseUnary();
    const joiner = this.isKeyword('and') ? 'and' : this.isKeyword('or') ? 'or' : null;
    if (!joiner) return first;
    const items = [first];
    while (this.acceptKeyword(joiner)) items.push(this.parseUnary());
    if (this.isKeyword(joiner === 'and' ? 'or' : 'and')) throw this.unexpected();
    return { kind: joiner, items };
  }

  private parseUnary(): Condition {
    if (this.acceptKeyword('not')) return { kind: 'not', item: this.parseUnary() };
    if (this.isPunct('(')) {
      this.next();
      const c = this.parseCondition();
      this.expectPunct(')');
      return c;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Condition {
    const field = this.parseFieldRef();
    const t = this.peek();
    if (t.type === 'op') {
      this.next();
      return { kind: 'compare', field, op: t.value as CompareOp, value: this.parseLiteral() };
    }
    if (this.acceptKeyword('like')) return { kind: 'like', field, pattern: this.parseLiteral() };
    let negate = false;
    if (this.isKeyword('not') && this.isKeyword('in', 1)) {
      this.next();
      negate = true;
    }
    if (this.acceptKeyword('in')) {
      const open = this.expectPunct('(');
      if (this.isKeyword('select')) {
        const query = this.parseQuery();
        this.expectPunct(')');
        return { kind: 'inQuery', field, negate, query, pos: open.pos };
      }
      const values = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negate, values };
    }
    throw this.unexpected();
  }

  private parseLiteral(): Literal {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'number':
        return { kind: 'number', value: Number(t.value), pos: t.pos };
      case 'date':
        return { kind: 'date', value: t.value, pos: t.pos };
      case 'datetime':
        return { kind: 'datetime', value: t.value, pos: t.pos };
      case 'ident': {
        const word = t.value.toUpperCase();
        if (word === 'NULL') return { kind: 'null', pos: t.pos };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', pos: t.pos };
        if (DATE_LITERALS.has(word)) return { kind: 'dateLiteral', name: word, pos: t.pos };
        if (DATE_N_LITERALS.has(word)) {
          this.expectPunct(':');
          return { kind: 'dateLiteral', name: word, n: this.parseNonNegativeInt(), pos: t.pos };
        }
        throw this.unexpected(t);
      }
      default:
        throw this.unexpected(t);
    }
  }

  private parseOrderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.next();
      const field = this.parseFieldRef();
      let descending = false;
      if (this.acceptKeyword('desc')) descending = true;
      else this.acceptKeyword('asc');
      let nullsLast = false;
      if (this.acceptKeyword('nulls')) {
        if (this.acceptKeyword('last')) nullsLast = true;
        else this.expectKeyword('first');
      }
      items.push({ field, descending, nullsLast });
    } while (this.isPunct(','));
    return items;
  }

  expectEnd(): void {
    if (this.peek().type !== 'eof') throw this.unexpected();
  }
}

export function parseSoql(soql: string): SelectQuery {
  const parser = new Parser(tokenize(soql));
  const query = parser.parseQuery();
  parser.expectEnd();
  return query;
}
