// Calendar days and nights in the clinic's time zone (HMS_TIME_ZONE). Daily metrics, flags of a
// day and nights are all counted in clinic time, so a day is 23, 24 or 25 hours long; a day is
// named by its ISO date ('2026-11-24').
import { DAY, HOUR, MINUTE } from '../clock.js';
import { offsetMinutesAt, wallTimeAt } from './clinic-time.js';

/** DESIGN.md §5: the night runs 22:00–07:00 clinic time and belongs to the date on which it ends. */
export const NIGHT_START_HOUR = 22;
export const NIGHT_END_HOUR = 7;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(zone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(zone);
  // en-CA writes dates as YYYY-MM-DD.
  if (!format) dateFormats.set(zone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format;
}

/** The clinic date of an instant. */
export function clinicDay(zone: string, ms: number): string {
  return dateFormat(zone).format(ms);
}

/**
 * The instant at which the clinic's clocks read `hour`:`minute` on `day`. On the autumn change a
 * repeated wall time gives its first instant; in the spring gap, the instant just after it.
 */
export function clinicInstant(zone: string, day: string, hour = 0, minute = 0): number {
  // Pages and evaluations ask for the same few midnights and nights again and again.
  const key = `${zone}|${day}|${hour}|${minute}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  if (instants.size >= 20_000) instants.clear();
  const instant = computeInstant(zone, day, hour, minute);
  instants.set(key, instant);
  return instant;
}

const instants = new Map<string, number>();

function computeInstant(zone: string, day: string, hour: number, minute: number): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  // Candidates under the offsets in force a day either side; the one whose clock reads the target
  // wins (the earlier in the repeated hour). None does in the spring gap: then the later one.
  const candidates = [wall - offsetMinutesAt(zone, wall - DAY) * MINUTE, wall - offsetMinutesAt(zone, wall + DAY) * MINUTE].sort((a, b) => a - b);
  const reads = (ms: number) => {
    const clock = wallTimeAt(zone, ms);
    return clock.year === year && clock.month === month && clock.day === date && clock.hour === hour && clock.minute === minute;
  };
  return candidates.find(reads) ?? candidates[1]!;
}

/** The ISO date `n` days after `day` (before, for negative n). */
export function addDays(day: string, n: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + n)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

export interface Span {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** The calendar day: midnight to midnight, clinic time. */
export function daySpan(zone: string, day: string): Span {
  return { from: clinicInstant(zone, day), to: clinicInstant(zone, addDays(day, 1)) };
}

/** The night that ends on the morning of `day`: 22:00 the evening before to 07:00. */
export function nightSpan(zone: string, day: string): Span {
  return { from: clinicInstant(zone, addDays(day, -1), NIGHT_START_HOUR), to: clinicInstant(zone, day, NIGHT_END_HOUR) };
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The days whose metrics a stretch of data [from, to) can change: the days it falls on, and the
 * next day when it reaches into the evening (that night belongs to the next date). Margins of a
 * minute cover the 60-second window that decides "at rest" at the stretch's edges.
 */
export function daysTouchedBy(zone: string, from: number, to: number): { fromDay: string; toDay: string } {
  const fromDay = clinicDay(zone, from - MINUTE);
  const lastDay = clinicDay(zone, Math.max(from, to - 1) + MINUTE);
  const toDay = clinicDay(zone, Math.max(from, to - 1) + MINUTE + (24 - NIGHT_START_HOUR) * HOUR);
  return { fromDay, toDay: toDay > lastDay ? toDay : lastDay };
}
