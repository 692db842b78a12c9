// Numbers as JSON.stringify writes them, faster for the durations the logger writes most.

/** As JSON.stringify writes a number: NaN and the infinities become null. */
export function num(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'null';
  return Number.isInteger(value) ? String(value) : centsText(value) ?? String(value);
}

/**
 * A number with at most two decimals (durations are rounded to hundredths) written from integers: V8's shortest
 * double-to-text costs ~4x the integer conversions. The text is JSON.stringify's: the double nearest to n/100 has no
 * shorter decimal than n/100's own when it has at most 15 significant digits, so its shortest form is n/100 without
 * trailing zeros (a test compares both on every hundredth from -2,000 to 2,000 and on random ones). Null for any
 * other number.
 */
function centsText(value: number): string | null {
  const cents = Math.round(value * 100);
  if (cents / 100 !== value || Math.abs(cents) >= 1e15) return null;
  const whole = Math.trunc(Math.abs(cents) / 100);
  const fraction = Math.abs(cents) % 100;
  const sign = cents < 0 ? '-' : '';
  return fraction % 10 === 0 ? `${sign}${String(whole)}.${String(fraction / 10)}` : `${sign}${String(whole)}.${fraction < 10 ? '0' : ''}${String(fraction)}`;
}
