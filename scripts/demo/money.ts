// Money is worked in whole cents so totals add up exactly; binary floating point would turn 2.5 x 0.99 = 2.475
// into 2.4749999... and round it the wrong way.

/** Whole cents of an amount that has at most two decimals. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** Dollars from whole cents (the nearest double to the two-decimal value). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** quantity (at most 4 decimals) x unit price (at most 2), rounded half away from zero to the cent, exactly. */
export function lineAmountCents(quantity: number, unitPrice: number): number {
  const product = Math.round(quantity * 10_000) * toCents(unitPrice); // in 1/1,000,000 of a dollar
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 5_000) / 10_000);
}

/** amount x rate, rounded half away from zero to the cent. */
export function percentOfCents(cents: number, rate: number): number {
  return Math.round(cents * rate);
}
