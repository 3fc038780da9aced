// The daily metrics of DESIGN.md §5, from a patient's timeline, and their baselines. One value per
// patient, day and metric; a metric without a value that day (no qualifying window, no night
// data) has no row rather than a zero.
import { addDays, daySpan, nightSpan, type Span } from '../clinic-days.js';
import { AT_REST, isLying } from './terms.js';
import { indexAt, type Timeline } from './timeline.js';

export type MetricId = 'wear_time' | 'resting_hr' | 'night_breathing_rate' | 'sleep_time' | 'position_changes' | 'active_minutes';

export interface MetricDefinition {
  id: MetricId;
  label: string;
  unit: string;
  /** Decimals worth showing. */
  decimals: number;
}

/** In the order the trends panel shows them. */
export const METRICS: readonly MetricDefinition[] = [
  { id: 'resting_hr', label: 'Resting heart rate', unit: 'bpm', decimals: 0 },
  { id: 'night_breathing_rate', label: 'Night breathing rate', unit: 'rpm', decimals: 1 },
  { id: 'sleep_time', label: 'Sleep time', unit: 'h', decimals: 1 },
  { id: 'position_changes', label: 'Position changes per night', unit: '', decimals: 0 },
  { id: 'active_minutes', label: 'Active minutes', unit: 'min', decimals: 0 },
  { id: 'wear_time', label: 'Wear time', unit: 'h', decimals: 1 },
];

export const RESTING_WINDOW_SECONDS = 300;
/** A resting window needs values for 90 % of its seconds. */
export const RESTING_WINDOW_MIN_VALUES = 270;
export const ACTIVE_MINUTE_MEAN_G = 0.1;
/** Only positions held this long count as a position between changes. */
export const POSITION_HELD_SECONDS = 60;
export const BASELINE_DAYS = 14;
export const BASELINE_MIN_DAYS = 7;

export interface DayMetric {
  metric: MetricId;
  value: number;
}

/**
 * The metrics of `day`. The timeline must cover the night before it (from 22:00 the previous
 * evening) and the whole day, plus 30 s either side for the rest window.
 */
export function dayMetrics(timeline: Timeline, zone: string, day: string): DayMetric[] {
  const metrics: DayMetric[] = [];
  const dayRange = range(timeline, daySpan(zone, day));
  const nightRange = range(timeline, nightSpan(zone, day));
  if (hasAnyValue(timeline, dayRange)) {
    metrics.push({ metric: 'wear_time', value: wearSeconds(timeline, dayRange) });
    const resting = restingHeartRate(timeline, dayRange);
    if (resting !== null) metrics.push({ metric: 'resting_hr', value: resting });
    const active = activeMinutes(timeline, dayRange);
    if (active !== null) metrics.push({ metric: 'active_minutes', value: active });
  }
  if (hasValues(timeline.position, nightRange)) {
    metrics.push({ metric: 'sleep_time', value: sleepSeconds(timeline, nightRange) });
    metrics.push({ metric: 'position_changes', value: positionChanges(timeline.position, nightRange) });
    const breathing = nightBreathingRate(timeline, nightRange);
    if (breathing !== null) metrics.push({ metric: 'night_breathing_rate', value: breathing });
  }
  return metrics;
}

interface Range {
  from: number;
  to: number;
}

function range(timeline: Timeline, span: Span): Range {
  return { from: indexAt(timeline, span.from), to: indexAt(timeline, span.to) };
}

function hasValues(series: Float32Array, r: Range): boolean {
  for (let i = r.from; i < r.to; i++) if (series[i] === series[i]) return true;
  return false;
}

function hasAnyValue(t: Timeline, r: Range): boolean {
  return [t.heartRate, t.breathingRate, t.activity, t.position].some((series) => hasValues(series, r));
}

/** Wear time: seconds of the day with a heart-rate value. */
export function wearSeconds(t: Pick<Timeline, 'heartRate'>, r: Range): number {
  let seconds = 0;
  for (let i = r.from; i < r.to; i++) if (t.heartRate[i] === t.heartRate[i]) seconds++;
  return seconds;
}

/**
 * Resting HR: the lowest 5-minute mean heart rate of the day, over windows (starting at any
 * second) whose every second is at rest and ≥ 90 % of whose seconds have a value.
 */
export function restingHeartRate(t: Pick<Timeline, 'heartRate' | 'rest'>, r: Range): number | null {
  const n = r.to - r.from;
  if (n < RESTING_WINDOW_SECONDS) return null;
  const sums = new Float64Array(n + 1);
  const counts = new Int32Array(n + 1);
  const rests = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const bpm = t.heartRate[r.from + k]!;
    const present = bpm === bpm;
    sums[k + 1] = sums[k]! + (present ? bpm : 0);
    counts[k + 1] = counts[k]! + (present ? 1 : 0);
    rests[k + 1] = rests[k]! + (t.rest[r.from + k] === AT_REST ? 1 : 0);
  }
  let lowest = Infinity;
  for (let k = 0; k + RESTING_WINDOW_SECONDS <= n; k++) {
    const end = k + RESTING_WINDOW_SECONDS;
    if (rests[end]! - rests[k]! !== RESTING_WINDOW_SECONDS) continue;
    const count = counts[end]! - counts[k]!;
    if (count < RESTING_WINDOW_MIN_VALUES) continue;
    const mean = (sums[end]! - sums[k]!) / count;
    if (mean < lowest) lowest = mean;
  }
  return lowest === Infinity ? null : lowest;
}

/** Night breathing rate: the median breathing rate of the night's seconds spent lying. */
export function nightBreathingRate(t: Pick<Timeline, 'breathingRate' | 'position'>, r: Range): number | null {
  const values = new Float32Array(Math.max(0, r.to - r.from));
  let count = 0;
  for (let i = r.from; i < r.to; i++) {
    const rpm = t.breathingRate[i]!;
    if (rpm === rpm && isLying(t.position[i]!)) values[count++] = rpm;
  }
  return count === 0 ? null : quantile(values.subarray(0, count).sort(), 0.5);
}

/** Sleep time: seconds of the night lying and at rest. */
export function sleepSeconds(t: Pick<Timeline, 'position' | 'rest'>, r: Range): number {
  let seconds = 0;
  for (let i = r.from; i < r.to; i++) if (isLying(t.position[i]!) && t.rest[i] === AT_REST) seconds++;
  return seconds;
}

/**
 * Position changes: changes between lying positions, counting only positions held ≥ 60 s. A
 * position is held from its first to its last second, seconds without a value inside included;
 * getting up in between does not count as a change (back → up → back is none).
 */
export function positionChanges(position: Float32Array, r: Range): number {
  let changes = 0;
  let previousHeld = -1; // the last lying position held long enough
  let current = Number.NaN;
  let first = -1;
  let last = -1;
  const closeHold = () => {
    if (first < 0 || !isLying(current) || last - first + 1 < POSITION_HELD_SECONDS) return;
    if (previousHeld !== -1 && previousHeld !== current) changes++;
    previousHeld = current;
  };
  for (let i = r.from; i < r.to; i++) {
    const code = position[i]!;
    if (code !== code) continue;
    if (code === current) {
      last = i;
      continue;
    }
    closeHold();
    current = code;
    first = i;
    last = i;
  }
  closeHold();
  return changes;
}

/** Active minutes: minutes of the day (from its midnight) whose mean activity is ≥ 0.1 g. */
export function activeMinutes(t: Pick<Timeline, 'activity'>, r: Range): number | null {
  let minutes = 0;
  let anyValue = false;
  for (let from = r.from; from < r.to; from += 60) {
    let sum = 0;
    let count = 0;
    for (let i = from; i < Math.min(r.to, from + 60); i++) {
      const g = t.activity[i]!;
      if (g === g) {
        sum += g;
        count++;
      }
    }
    if (count === 0) continue;
    anyValue = true;
    if (sum / count >= ACTIVE_MINUTE_MEAN_G) minutes++;
  }
  return anyValue ? minutes : null;
}

/** The p-quantile of sorted values, interpolating linearly between neighbours (R type 7, numpy's default). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

export interface Baseline {
  median: number;
  q1: number;
  q3: number;
  /** Days with data among the 14 before. */
  days: number;
}

/**
 * Baseline of a metric on `day`: median and interquartile range over the 14 days before it that
 * have a value; none with fewer than 7 such days. `values` maps ISO days to the metric's values.
 */
export function baselineOn(values: ReadonlyMap<string, number>, day: string): Baseline | null {
  const window: number[] = [];
  for (let n = 1; n <= BASELINE_DAYS; n++) {
    const value = values.get(addDays(day, -n));
    if (value !== undefined) window.push(value);
  }
  return baselineOf(window);
}

function baselineOf(window: number[]): Baseline | null {
  if (window.length < BASELINE_MIN_DAYS) return null;
  const sorted = Float64Array.from(window).sort();
  return { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), days: window.length };
}

/** baselineOn for many days at once (a trend): each day's date is read once, not 14 times. */
export function baselinesOf(values: ReadonlyMap<string, number>, days: readonly string[]): Map<string, Baseline | null> {
  const known = [...values].map(([day, value]) => ({ day, value, n: Date.parse(`${day}T00:00:00Z`) / 86_400_000 })).sort((a, b) => a.n - b.n);
  const result = new Map<string, Baseline | null>();
  let from = 0;
  let to = 0;
  for (const day of days) {
    const n = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
    while (from < known.length && known[from]!.n < n - BASELINE_DAYS) from++;
    while (to < known.length && known[to]!.n < n) to++;
    result.set(day, baselineOf(known.slice(from, Math.max(from, to)).map((k) => k.value)));
  }
  return result;
}
