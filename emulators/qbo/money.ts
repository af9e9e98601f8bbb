// Exact money arithmetic. QBO checks Amount against Qty × UnitPrice in
// decimal, rounding half up to cents, so binary floating point would give
// false 6070 faults (128.35 × 14.5 must be 1861.08, not 1861.07).

function plain(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

function scaled(n: number): { int: bigint; scale: number } {
  const s = plain(n);
  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  const [whole, frac = ''] = body.split('.');
  const int = BigInt(`${whole}${frac}` || '0');
  return { int: negative ? -int : int, scale: frac.length };
}

/** Rounds a scaled decimal half away from zero to whole cents. */
function toCents(int: bigint, scale: number): number {
  if (scale <= 2) return Number(int * 10n ** BigInt(2 - scale));
  const divisor = 10n ** BigInt(scale - 2);
  const negative = int < 0n;
  const abs = negative ? -int : int;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return Number(negative ? -q : q);
}

/** Cents of a money value as sent (rounded half up). */
export function cents(n: number): number {
  const { int, scale } = scaled(n);
  return toCents(int, scale);
}

/** Cents of `a × b`, computed exactly and rounded half up. */
export function productCents(a: number, b: number): number {
  const x = scaled(a);
  const y = scaled(b);
  return toCents(x.int * y.int, x.scale + y.scale);
}

export function fromCents(c: number): number {
  return c / 100;
}

export function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Accepts numbers and numeric strings, as QBO's JSON reader does. */
export function toNumber(v: unknown): number | undefined {
  if (isNumber(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
