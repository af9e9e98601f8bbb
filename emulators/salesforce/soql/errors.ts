// SOQL errors carry the position the platform points at; the REST layer renders them the way
// the API does: the query row, a caret under the column, then "ERROR at Row:r:Column:c".
export interface Pos {
  row: number;
  col: number;
}

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    readonly detail: string,
    readonly pos?: Pos,
  ) {
    super(detail);
  }
}

export function formatSoqlError(soql: string, e: SoqlError): string {
  if (!e.pos) return e.detail;
  const line = soql.split('\n')[e.pos.row - 1] ?? '';
  const caret = ' '.repeat(Math.max(0, e.pos.col - 1)) + '^';
  return `\n${line}\n${caret}\nERROR at Row:${e.pos.row}:Column:${e.pos.col}\n${e.detail}`;
}
