// Page numbers and sizes arrive from query strings: anything that is not a sensible whole number
// falls back to the default instead of reaching SQL as NaN.

export function wholeNumberIn(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
