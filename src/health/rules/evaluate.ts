// The evaluation of every clinical rule of definitions.ts: what trips, when, and in words a
// clinician reads ("HR 138 bpm (max 142) for 7 min 12 s at rest, activity 0.02 g"). Pure: it
// sees timelines and daily metrics, never the database or HTTP; derived-data.ts stores the result.
import { DAY } from '../../clock.js';
import { addDays, clinicDay, daySpan, nightSpan, type Span } from '../clinic-days.js';
import { HEART_RATE } from '../channels.js';
import { baselineOn } from './daily-metrics.js';
import {
  RULES, type BaselineRiseRule, type RuleId, type RuleSettings, type RunRule, type Severity,
} from './definitions.js';
import { englishFlagText, type FlagValue } from './flag-text.js';
import { AT_REST, GAP, MATCH, MISS, REST_UNKNOWN, findRuns, insideSpans, isLying, runSeconds, type Run } from './terms.js';
import { timeAt, type Timeline } from './timeline.js';

/** A flag as a rule computes it, before it is stored. */
export interface ComputedFlag {
  rule: RuleId;
  severity: Severity;
  /** Epoch ms: the first qualifying second, or the day's start for rules on days. */
  startedAt: number;
  /** Epoch ms, exclusive; null while it still holds (no recent data). */
  endedAt: number | null;
  /** The clinic day a rule on days is about; null for runs. */
  day: string | null;
  /** What tripped it, worded in each reader's language when shown (flag-text.ts). */
  value: FlagValue;
  /** The same in English, as stored in value_text. */
  valueText: string;
}

function withText(flag: Omit<ComputedFlag, 'valueText'>, zone: string): ComputedFlag {
  return { ...flag, valueText: englishFlagText(flag.rule, flag.value, zone) };
}

/**
 * Flags of the rules on runs, for runs whose first second falls in `core` (so that timelines read
 * with overlapping margins never count a run twice). The timeline should reach well past `core`
 * on both sides: a run is followed as far as the timeline goes.
 */
export function evaluateRunRules(timeline: Timeline, zone: string, settings: RuleSettings, core: Span,
  rules: readonly RunRule[] = RULES.filter((r): r is RunRule => r.kind === 'run')): ComputedFlag[] {
  const night = rules.some((rule) => rule.atNightLying) ? nightsOf(timeline, zone) : null;
  const flags: ComputedFlag[] = [];
  for (const rule of rules) {
    const { threshold, durationSeconds } = settings[rule.id];
    if (!anyBeyond(timeline, rule, threshold)) continue;
    const states = runStates(timeline, rule, threshold, night);
    for (const run of findRuns(states, durationSeconds ?? 0)) {
      const startedAt = timeAt(timeline, run.first);
      if (startedAt < core.from || startedAt >= core.to) continue;
      flags.push(withText({
        rule: rule.id, severity: rule.severity, startedAt, endedAt: timeAt(timeline, run.last + 1), day: null,
        value: describeRun(timeline, rule, run, states),
      }, zone));
    }
  }
  return flags;
}

/** Whether any second is beyond the threshold at all: most days, most rules, none is. */
function anyBeyond(t: Timeline, rule: RunRule, threshold: number): boolean {
  const series = rule.datatype === HEART_RATE ? t.heartRate : t.breathingRate;
  for (let i = 0; i < series.length; i++) {
    const v = series[i]!;
    if (rule.comparison === '<' ? v < threshold : rule.comparison === '>' ? v > threshold : v >= threshold) return true;
  }
  return false;
}

/** Per second, whether a run rule's condition holds (MATCH), fails (MISS) or cannot be told (GAP). */
function runStates(t: Timeline, rule: RunRule, threshold: number, night: Uint8Array | null): Uint8Array {
  const series = rule.datatype === HEART_RATE ? t.heartRate : t.breathingRate;
  const states = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const value = series[i]!;
    if (value !== value || (rule.atRest && t.rest[i] === REST_UNKNOWN)) {
      states[i] = GAP;
      continue;
    }
    const position = t.position[i]!;
    if (rule.atNightLying && position !== position) {
      states[i] = GAP;
      continue;
    }
    const beyond = rule.comparison === '>=' ? value >= threshold : rule.comparison === '>' ? value > threshold : value < threshold;
    const context = (!rule.atRest || t.rest[i] === AT_REST) && (!rule.atNightLying || (night![i] === 1 && isLying(position)));
    states[i] = beyond && context ? MATCH : MISS;
  }
  return states;
}

function nightsOf(t: Timeline, zone: string): Uint8Array {
  const nights: Span[] = [];
  const last = clinicDay(zone, timeAt(t, t.length) + DAY);
  for (let day = clinicDay(zone, t.start); day <= last; day = addDays(day, 1)) nights.push(nightSpan(zone, day));
  return insideSpans(t.start, t.length, nights);
}

/** "HR 138 bpm (max 142) for 7 min 12 s at rest, activity 0.02 g": over the run's qualifying seconds. */
function describeRun(t: Timeline, rule: RunRule, run: Run, states: Uint8Array): FlagValue {
  const series = rule.datatype === HEART_RATE ? t.heartRate : t.breathingRate;
  const high = rule.comparison !== '<';
  let sum = 0;
  let count = 0;
  let extreme = high ? -Infinity : Infinity;
  let activitySum = 0;
  let activityCount = 0;
  for (let i = run.first; i <= run.last; i++) {
    const g = t.activity[i]!;
    if (g === g) {
      activitySum += g;
      activityCount++;
    }
    if (states[i] !== MATCH) continue;
    const value = series[i]!;
    sum += value;
    count++;
    extreme = high ? Math.max(extreme, value) : Math.min(extreme, value);
  }
  return {
    kind: 'run', mean: sum / count, extreme, seconds: runSeconds(run),
    activity: rule.atRest && activityCount > 0 ? activitySum / activityCount : null,
  };
}

/** Low wear: each completed day with data whose wear time is under the patient's target. */
export function evaluateWear(wearByDay: ReadonlyMap<string, number>, days: readonly string[], zone: string, settings: RuleSettings): ComputedFlag[] {
  const targetHours = settings.low_wear.threshold;
  const flags: ComputedFlag[] = [];
  for (const day of days) {
    const seconds = wearByDay.get(day);
    if (seconds === undefined || seconds >= targetHours * 3600) continue;
    const span = daySpan(zone, day);
    flags.push(withText({
      rule: 'low_wear', severity: 'low', startedAt: span.from, endedAt: span.to, day,
      value: { kind: 'wear', day, seconds: Math.floor(seconds / 60) * 60, targetHours },
    }, zone));
  }
  return flags;
}

/**
 * Resting HR rise: a day whose resting HR is at or above its baseline median + the threshold,
 * `consecutiveDays` days in a row. A longer streak is one flag, from its first day to its last.
 * `values` must hold the metric from 14 days before `days` on, and past them for streaks that go on.
 */
export function evaluateRestingRise(values: ReadonlyMap<string, number>, days: readonly string[], zone: string, settings: RuleSettings): ComputedFlag[] {
  const rule = RULES.find((r): r is BaselineRiseRule => r.id === 'resting_hr_rise')!;
  const rise = settings.resting_hr_rise.threshold;
  const flags: ComputedFlag[] = [];
  let streak: { day: string; value: number; median: number }[] = [];
  const close = () => {
    if (streak.length >= rule.consecutiveDays) flags.push(riseFlag(streak, zone));
    streak = [];
  };
  for (const day of days) {
    const value = values.get(day);
    const baseline = value === undefined ? null : baselineOn(values, day);
    if (value !== undefined && baseline && value >= baseline.median + rise) streak.push({ day, value, median: baseline.median });
    else close();
  }
  close();
  return flags;
}

function riseFlag(streak: { day: string; value: number; median: number }[], zone: string): ComputedFlag {
  const first = streak[0]!;
  const last = streak[streak.length - 1]!;
  const days = streak.map((s) => ({ day: s.day, value: Math.round(s.value), median: Math.round(s.median) }));
  return withText({
    rule: 'resting_hr_rise', severity: 'medium', startedAt: daySpan(zone, first.day).from, endedAt: daySpan(zone, last.day).to,
    day: last.day, value: { kind: 'rise', days },
  }, zone);
}

/**
 * No recent data: no recording ended within the last N days. `since` is when the last recording
 * ended (or, without any, when the patient was added); the flag holds from then on.
 */
export function evaluateRecency(since: number, hasRecording: boolean, now: number, zone: string, settings: RuleSettings): ComputedFlag | null {
  const days = settings.no_recent_data.threshold;
  if (since >= now - days * DAY) return null;
  return withText({
    rule: 'no_recent_data', severity: 'low', startedAt: since, endedAt: null, day: null,
    value: { kind: 'recency', since, hasRecording, limitDays: Number(days.toFixed(0)) },
  }, zone);
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

/** "Tue 24 Nov" */
export function dayLabel(day: string): string {
  return dayFormat.format(Date.parse(`${day}T12:00:00Z`));
}

/** "Sat 21 Nov 2026, 08:00 CET": clinic time with the zone named, as on the pages. */
export function instantLabel(ms: number, zone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
  const names = ['en-US', 'en-GB'].map((locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? zone);
  return `${text} ${names.find((name) => !/^GMT[+-]/.test(name)) ?? names[0]}`;
}
