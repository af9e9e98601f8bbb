// Names and text as accounting systems accept them: no `:` (QuickBooks' separator of sub-customers and sub-items), tab or newline,
// and no longer than each field's limit. Every change is reported so the Process Log can say what was altered.

export interface CleanText {
  value: string;
  /** Human-readable notes of what was changed, e.g. "removed ':'", "shortened from 130 to 100 characters". */
  changes: string[];
}

/** Truncates to `max` characters without splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max).join('').trimEnd();
}

export function length(value: string): number {
  return Array.from(value).length;
}

/** What QuickBooks' `:` separates in a name of each list. */
const SUB_RECORDS = { customer: 'sub-customers', item: 'sub-items' } as const;

/** A QuickBooks name: forbidden characters replaced, whitespace collapsed, trimmed to `max`. */
export function cleanName(raw: string, max: number, list: keyof typeof SUB_RECORDS = 'customer'): CleanText {
  const changes: string[] = [];
  let value = raw;
  if (value.includes(':')) {
    changes.push(`removed ':' (QuickBooks uses it to separate ${SUB_RECORDS[list]})`);
    value = value.replace(/\s*:\s*/g, ' ');
  }
  if (/[\t\r\n]/.test(value)) {
    changes.push('replaced tab/line breaks with spaces');
    value = value.replace(/[\t\r\n]+/g, ' ');
  }
  value = value.replace(/ {2,}/g, ' ').trim();
  return { value: fitLength(value, max, changes), changes };
}

/** Free text (descriptions, memos): only the length limit applies. */
export function cleanText(raw: string | null | undefined, max: number): CleanText {
  const changes: string[] = [];
  const value = fitLength((raw ?? '').trim(), max, changes);
  return { value, changes };
}

function fitLength(value: string, max: number, changes: string[]): string {
  const n = length(value);
  if (n <= max) return value;
  changes.push(`shortened from ${n} to ${max} characters`);
  return truncate(value, max);
}

/** The comparison key for names: case, accents of spacing and surrounding blanks do not make a different name. */
export function nameKey(value: string | null | undefined): string {
  return (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function emailKey(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase();
}
