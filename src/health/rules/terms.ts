// The terms of DESIGN.md §5 that every rule and daily metric is built from, on 1 Hz series (NaN is
// a second without a value): at rest, lying, night, and a run.
import type { Span } from '../clinic-days.js';

/** At rest: the 60-second centred mean of activity is below 0.05 g, with no step cadence in that minute. */
export const REST_ACTIVITY_BELOW_G = 0.05;
export const REST_WINDOW_SECONDS = 60;
/** A run survives gaps (seconds without a value) of at most this many seconds. */
export const RUN_MAX_GAP_SECONDS = 10;

export const AT_REST = 1;
export const NOT_AT_REST = 0;
/** No activity value anywhere in the minute around this second: rest cannot be told. */
export const REST_UNKNOWN = 2;

/**
 * Per second: AT_REST, NOT_AT_REST or REST_UNKNOWN. The mean is over the seconds of the window
 * [t − 30 s, t + 30 s) that have a value; a missing cadence counts as no steps.
 */
export function restStates(activity: Float32Array, cadence: Float32Array | null): Uint8Array {
  const n = activity.length;
  const sums = new Float64Array(n + 1);
  const counts = new Int32Array(n + 1);
  const steps = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const a = activity[i]!;
    const present = a === a;
    sums[i + 1] = sums[i]! + (present ? a : 0);
    counts[i + 1] = counts[i]! + (present ? 1 : 0);
    steps[i + 1] = steps[i]! + (cadence !== null && cadence[i]! > 0 ? 1 : 0);
  }
  const half = REST_WINDOW_SECONDS / 2;
  const states = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - half);
    const to = Math.min(n, i + half);
    const count = counts[to]! - counts[from]!;
    if (count === 0) states[i] = REST_UNKNOWN;
    else states[i] = (sums[to]! - sums[from]!) / count < REST_ACTIVITY_BELOW_G && steps[to] === steps[from] ? AT_REST : NOT_AT_REST;
  }
  return states;
}

/** Sleep position 1–4 (belly, back, right, left); 5 is standing or sitting. */
export function isLying(position: number): boolean {
  return position >= 1 && position <= 4;
}

/** Per second of a series starting at `startMs`: 1 inside one of the spans (nights), else 0. */
export function insideSpans(startMs: number, length: number, spans: readonly Span[]): Uint8Array {
  const inside = new Uint8Array(length);
  for (const span of spans) {
    const from = Math.max(0, Math.ceil((span.from - startMs) / 1000));
    const to = Math.min(length, Math.ceil((span.to - startMs) / 1000));
    if (to > from) inside.fill(1, from, to);
  }
  return inside;
}

export const MATCH = 1;
export const MISS = 0;
export const GAP = 2;

export interface Run {
  /** Index of the first and of the last qualifying second. */
  first: number;
  last: number;
}

/** Seconds a run lasts: from the start of its first qualifying second to the end of its last. */
export function runSeconds(run: Run): number {
  return run.last - run.first + 1;
}

/**
 * Runs (DESIGN.md §5): stretches where every second with a value meets the condition, with no
 * gap longer than RUN_MAX_GAP_SECONDS. `states[i]` is MATCH, MISS (a value that does not meet
 * the condition: the run ends) or GAP (no value).
 */
export function findRuns(states: Uint8Array, minSeconds: number): Run[] {
  const runs: Run[] = [];
  let first = -1;
  let last = -1;
  const close = () => {
    if (first >= 0 && last - first + 1 >= minSeconds) runs.push({ first, last });
    first = -1;
  };
  for (let i = 0; i < states.length; i++) {
    const state = states[i];
    if (state === MATCH) {
      if (first < 0) first = i;
      last = i;
    } else if (state === MISS) {
      close();
    } else if (first >= 0 && i - last > RUN_MAX_GAP_SECONDS) {
      close();
    }
  }
  close();
  return runs;
}
