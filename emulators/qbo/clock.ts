// The emulator clock: wall time plus an adjustable offset, so tests can jump
// days ahead (token expiry) without waiting. QBO stamps its times in the
// company's zone (Pacific for the sandbox), so formatting lives here too.

const ZONE = 'America/Los_Angeles';

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export class Clock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(iso: string): void {
    const target = Date.parse(iso);
    if (Number.isNaN(target)) throw new Error(`Invalid date: ${iso}`);
    this.offsetMs = target - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

interface ZonedParts {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
  offsetMin: number;
}

function zoned(ms: number): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of partsFormat.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const wallAsUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const offsetMin = Math.round((wallAsUtc - Math.floor(ms / 1000) * 1000) / 60000);
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, s: parts.second, offsetMin };
}

function offsetText(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const abs = Math.abs(min);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-05-05T02:05:12-07:00` — the MetaData format (no milliseconds). */
export function qboDateTime(ms: number): string {
  const z = zoned(ms);
  return `${z.y}-${z.mo}-${z.d}T${z.h}:${z.mi}:${z.s}${offsetText(z.offsetMin)}`;
}

/** `2026-05-05T02:08:54.543-07:00` — the response `time` format. */
export function qboTimestamp(ms: number): string {
  const z = zoned(ms);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${z.y}-${z.mo}-${z.d}T${z.h}:${z.mi}:${z.s}.${millis}${offsetText(z.offsetMin)}`;
}

/** `2026-05-05` — the company's local date (TxnDate default). */
export function qboDate(ms: number): string {
  const z = zoned(ms);
  return `${z.y}-${z.mo}-${z.d}`;
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return date;
  return new Date(t + days * 86400000).toISOString().slice(0, 10);
}
