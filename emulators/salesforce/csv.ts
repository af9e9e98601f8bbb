// CSV as Bulk API 2.0 reads and writes it: RFC 4180 quoting, one of the six column delimiters, LF or CRLF.

export const DELIMITERS = { BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t' } as const;
export type ColumnDelimiter = keyof typeof DELIMITERS;

/** Rows of cells; a quoted cell may hold the delimiter, quotes ("") and line breaks. Blank lines are skipped. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let touched = false;
  const endRow = () => {
    if (touched || row.length > 0) {
      row.push(cell);
      rows.push(row);
    }
    row = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      touched = true;
    } else if (ch === delimiter) {
      row.push(cell);
      cell = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      cell += ch;
      touched = true;
    }
  }
  endRow();
  return rows;
}

/** Every cell quoted, as the platform writes its result files. */
export function writeCsv(rows: Array<Array<string | null>>, delimiter: string, lineEnding: string): string {
  return rows.map((r) => r.map((c) => `"${(c ?? '').replace(/"/g, '""')}"`).join(delimiter)).join(lineEnding) + (rows.length ? lineEnding : '');
}
