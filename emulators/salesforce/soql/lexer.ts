// Splits SOQL text into tokens, remembering each token's row and column for error messages.
import { SoqlError, type Pos } from './errors';

export type TokenType = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'op' | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier text, unescaped string, number text, or the punctuation/operator itself. */
  value: string;
  pos: Pos;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\w-])/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?![\w])/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let row = 1;
  let lineStart = 0;
  const posAt = (offset: number): Pos => ({ row, col: offset - lineStart + 1 });

  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      i++;
      row++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = posAt(i);
    const rest = src.slice(i, i + 64);

    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new SoqlError('MALFORMED_QUERY', `line ${pos.row}:${pos.col - 1} mismatched character '<EOF>' expecting '''`, pos);
        const c = src[j];
        if (c === '\\') {
          const next = src[j + 1];
          // LIKE wildcards keep their backslash so the pattern compiler can see them as literals.
          if (next === '%' || next === '_') value += '\\' + next;
          else if (next in ESCAPES) value += ESCAPES[next];
          else
            throw new SoqlError(
              'MALFORMED_QUERY',
              `Invalid string literal '${src.slice(i, j + 2)}'. Illegal character sequence '\\${next}' in string literal.`,
              pos,
            );
          j += 2;
          continue;
        }
        if (c === "'") break;
        value += c;
        j++;
      }
      tokens.push({ type: 'string', value, pos });
      i = j + 1;
      continue;
    }

    const dt = DATETIME_RE.exec(rest);
    if (dt) {
      tokens.push({ type: 'datetime', value: dt[0], pos });
      i += dt[0].length;
      continue;
    }
    const d = DATE_RE.exec(rest);
    if (d) {
      tokens.push({ type: 'date', value: d[0], pos });
      i += d[0].length;
      continue;
    }
    const n = NUMBER_RE.exec(rest);
    if (n && (/\d|\./.test(ch) || /[+-]/.test(ch))) {
      tokens.push({ type: 'number', value: n[0], pos });
      i += n[0].length;
      continue;
    }
    const id = IDENT_RE.exec(src.slice(i));
    if (id) {
      tokens.push({ type: 'ident', value: id[0], pos });
      i += id[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', value: two === '<>' ? '!=' : two, pos });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ type: 'op', value: ch, pos });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
      tokens.push({ type: 'punct', value: ch, pos });
      i++;
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', `line ${pos.row}:${pos.col - 1} no viable alternative at character '${ch}'`, pos);
  }
  tokens.push({ type: 'eof', value: '<EOF>', pos: posAt(i) });
  return tokens;
}
