// Exact money: QuickBooks checks a line's Amount against Qty × UnitPrice in decimal, rounded half up to the cent,
// so binary floating point (2.5 × 0.99 = 2.4749999…) would round the wrong way and earn a 6070 fault.

function decimal(n: number): { digits: bigint; scale: number } {
  const text = Number.isInteger(n) ? String(n) : String(n).includes('e') ? n.toFixed(12).replace(/0+$/, '') : String(n);
  const negative = text.startsWith('-');
  const [whole, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const digits = BigInt(`${whole}${frac}` || '0');
  return { digits: negative ? -digits : digits, scale: frac.length };
}

function roundToCents(digits: bigint, scale: number): bigint {
  if (scale <= 2) return digits * 10n ** BigInt(2 - scale);
  const divisor = 10n ** BigInt(scale - 2);
  const negative = digits < 0n;
  const abs = negative ? -digits : digits;
  const cents = abs / divisor + ((abs % divisor) * 2n >= divisor ? 1n : 0n);
  return negative ? -cents : cents;
}

/** Whole cents of an amount, rounded half away from zero. */
export function toCents(amount: number): number {
  const { digits, scale } = decimal(amount);
  return Number(roundToCents(digits, scale));
}

/** Cents of quantity × unit price, computed exactly and rounded half away from zero. */
export function lineCents(quantity: number, unitPrice: number): number {
  const q = decimal(quantity);
  const p = decimal(unitPrice);
  return Number(roundToCents(q.digits * p.digits, q.scale + p.scale));
}

export const fromCents = (cents: number): number => cents / 100;

/** An amount rounded to cents, exactly. */
export function round2(amount: number): number {
  return fromCents(toCents(amount));
}
