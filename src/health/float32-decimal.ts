// Float32 values back to the short decimals they came from: 72.3 is stored as 72.30000305…, and
// an export or a chart should say 72.3. The result always reads back (Math.fround) to the very
// same Float32, which is what makes import → export → import exact. Arithmetic, not toPrecision
// strings: exports format half a million values and charts ten thousand per request.

/** A Float64 that prints short and rounds to `value` as a Float32 (NaN stays NaN). */
export function shortFloat32(value: number): number {
  if (value !== value || Number.isInteger(value)) return value + 0; // + 0: no "-0" in files
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  // 6 significant digits are enough for nearly all sensor values; 9 always are for a Float32.
  for (let decimals = 5; decimals <= 8; decimals++) {
    const shift = decimals - exponent;
    // Powers of ten above 1 are exact Float64s: divide by them, or multiply for a negative shift.
    const rounded = shift >= 0
      ? Math.round(value * 10 ** shift) / 10 ** shift
      : Math.round(value / 10 ** -shift) * 10 ** -shift;
    if (Math.fround(rounded) === value) return rounded;
  }
  return value;
}

/** The CSV spelling of a sample: empty for a gap. */
export function formatSample(value: number): string {
  return value !== value ? '' : String(shortFloat32(value));
}
