// The axes every chart shares — on screen (record-charts.js carries the same two functions),
// in the server-drawn SVG and in the PDF report — so that a chart reads the same everywhere:
// at least four labelled value ticks, and time ticks on round clinic-time hours and minutes,
// labelled like the rest of the app and with the zone named wherever it changes (EDT / EST).
import { offsetMinutesAt } from '../../health/clinic-time.js';
import type { TimeFormat } from '../format.js';

export interface ValueAxis { min: number; max: number; ticks: number[]; step: number }

const NICE = [1, 2, 2.5, 5];

/**
 * The tightest range that holds [low, high] and is cut by a round step into 4–6 intervals. The step is a
 * multiple of `smallestStep` (whole beats are labelled 70, 72, 74, never 72.5); values are never
 * negative, so the axis does not go below 0.
 */
export function valueAxis(low: number, high: number, smallestStep = 0.01): ValueAxis {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return valueAxis(0, 1, smallestStep);
  if (high - low < smallestStep * 4) {
    const middle = (low + high) / 2;
    low = Math.max(0, middle - smallestStep * 2);
    high = low + smallestStep * 4;
  }
  // Multiples of the step, written as decimals (14.2, not 14.200000000000001).
  const tidy = (value: number) => Number.parseFloat(value.toPrecision(12));
  const intervals = (step: number) => Math.ceil(high / step - 1e-9) - Math.floor(low / step + 1e-9);
  let best: { step: number; score: number } | null = null;
  for (let magnitude = 10 ** Math.floor(Math.log10(smallestStep)); magnitude <= (high - low) * 10; magnitude *= 10) {
    for (const nice of NICE) {
      const step = tidy(nice * magnitude);
      if (Math.abs(step / smallestStep - Math.round(step / smallestStep)) > 1e-6 || intervals(step) < 4 || intervals(step) > 6) continue;
      // The tightest range wins; at equal range, steps of 1, 2 or 5 read better than 2.5.
      const score = intervals(step) * step + (nice === 2.5 ? step / 100 : 0);
      if (best === null || score < best.score) best = { step, score };
    }
  }
  const step = best?.step ?? smallestStep;
  const min = tidy(Math.floor(low / step + 1e-9) * step);
  const max = tidy(Math.max(Math.ceil(high / step - 1e-9) * step, min + 4 * step));
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 1e6; i++) ticks.push(tidy(min + i * step));
  return { min, max, ticks, step };
}

/** Decimals a tick label needs for its step (0.25 → 2). */
export function stepDecimals(step: number): number {
  for (let decimals = 0; decimals < 6; decimals++) if (Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) < 1e-6) return decimals;
  return 6;
}

const MINUTE = 60_000;
/** Tick spacing candidates, in minutes of clinic wall time. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

export interface TimeTick { at: number; time: string; /** The date, on the first tick and where the day changes. */ date: string | null; /** The zone, on the first tick and where it changes. */ zone: string | null }

/** Ticks on round wall-clock times of the clinic between `from` and `to`, at most `maxTicks`. */
export function timeTicks(from: number, to: number, zone: string, maxTicks: number, format: Pick<TimeFormat, 'time' | 'weekdayDate' | 'zoneAbbreviation'>): TimeTick[] {
  const span = (to - from) / MINUTE;
  const stepMinutes = TIME_STEPS.find((step) => span / step <= maxTicks) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: TimeTick[] = [];
  let previousDate: string | null = null;
  let previousZone: string | null = null;
  for (let candidate = from; candidate <= to && ticks.length <= maxTicks + 1;) {
    // Align on the wall clock: minutes since local midnight that are a multiple of the step.
    const offset = offsetMinutesAt(zone, candidate) * MINUTE;
    const local = candidate + offset;
    const aligned = Math.ceil(local / (stepMinutes * MINUTE)) * stepMinutes * MINUTE - offset;
    if (aligned > to) break;
    if (aligned >= from && (ticks.length === 0 || aligned > ticks[ticks.length - 1]!.at)) {
      const date = format.weekdayDate(aligned);
      const zoneName = format.zoneAbbreviation(aligned);
      ticks.push({ at: aligned, time: format.time(aligned), date: date !== previousDate ? date : null, zone: zoneName !== previousZone ? zoneName : null });
      previousDate = date;
      previousZone = zoneName;
    }
    candidate = Math.max(aligned, candidate) + MINUTE;
  }
  return ticks;
}
