// What tripped a rule, kept as numbers, days and instants (flags.value_params, JSON) and worded
// when shown, in the reader's language: "HR 138 bpm (max 142) for 7 min 12 s at rest" on an
// English page, "FC 138 bpm (max. 142) pendant 7 min 12 s au repos" on a French one. The English
// wording is also stored in flags.value_text, which flags from before migration 012 only have.
import { translator, type Translator } from '../../i18n/translate.js';
import { timeFormat, type TimeFormat } from '../../web/format.js';
import { HEART_RATE } from '../channels.js';
import { formatSecondsIn, ruleById, type RunRule } from './definitions.js';

export type FlagValue =
  /** A run: mean and extreme of its qualifying seconds, its length, mean activity (rules at rest). */
  | { kind: 'run'; mean: number; extreme: number; seconds: number; activity: number | null }
  /** Low wear: the day's wear time (whole minutes, in seconds) and the target in hours. */
  | { kind: 'wear'; day: string; seconds: number; targetHours: number }
  /** Resting HR above baseline: each day of the streak with its rounded value and baseline median. */
  | { kind: 'rise'; days: { day: string; value: number; median: number }[] }
  /** No recent data: since when, whether there was a recording at all, the limit in days. */
  | { kind: 'recency'; since: number; hasRecording: boolean; limitDays: number };

export interface FlagWithValue {
  rule: string;
  /** English, as stored; what a flag from before value_params shows in every language. */
  valueText: string;
  value: FlagValue | null;
}

/** The flag's value in words, in the translator's language: the one function every page and the report use. */
export function flagValueText(flag: FlagWithValue, t: Translator, times: TimeFormat): string {
  const { value } = flag;
  if (!value) return flag.valueText;
  const rule = ruleById(flag.rule);
  switch (value.kind) {
    case 'run':
      return rule?.kind === 'run' ? runText(rule, value, t, times) : flag.valueText;
    case 'wear': {
      const target = Number(value.targetHours.toFixed(1));
      return t('records.flag.wear', {
        duration: formatSecondsIn(t, value.seconds), day: dayLabelIn(t.locale, value.day), target: times.number(target, Number.isInteger(target) ? 0 : 1),
      });
    }
    case 'rise':
      return riseText(value.days, t, times);
    case 'recency': {
      const values = { when: `${times.dateTime(value.since)} ${times.zoneAbbreviation(value.since)}`, days: value.limitDays };
      return t(value.hasRecording ? 'records.flag.recency.since' : 'records.flag.recency.never', values);
    }
  }
}

/** The English words stored in value_text when the flag is computed. */
export function englishFlagText(rule: string, value: FlagValue, zone: string): string {
  return flagValueText({ rule, value, valueText: '' }, translator('en'), timeFormat(zone));
}

/** Parses flags.value_params; null for flags from before it (or a value this version cannot read). */
export function parseFlagValue(json: string | null): FlagValue | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as FlagValue;
    return ['run', 'wear', 'rise', 'recency'].includes(value?.kind) ? value : null;
  } catch {
    return null;
  }
}

function runText(rule: RunRule, value: Extract<FlagValue, { kind: 'run' }>, t: Translator, times: TimeFormat): string {
  const heart = rule.datatype === HEART_RATE;
  const decimals = heart ? 0 : 1;
  return t('records.flag.run', {
    symbol: t(heart ? 'records.flag.symbol.heartRate' : 'records.flag.symbol.breathingRate'),
    mean: times.number(value.mean, decimals),
    unit: t(heart ? 'records.unit.bpm' : 'records.unit.rpm'),
    extreme: rule.comparison === '<' ? 'min' : 'max',
    value: times.number(value.extreme, decimals),
    duration: formatSecondsIn(t, value.seconds),
    context: rule.atRest ? 'rest' : rule.atNightLying ? 'night' : 'none',
    activity: rule.atRest && value.activity !== null ? times.number(value.activity, 2) : 'none',
  });
}

function riseText(streak: Extract<FlagValue, { kind: 'rise' }>['days'], t: Translator, times: TimeFormat): string {
  const day = (d: string) => dayLabelIn(t.locale, d);
  const n = (v: number) => times.number(v, 0);
  const rises = streak.map((s) => s.value - s.median);
  if (streak.length <= 3) {
    return t('records.flag.rise.short', {
      values: streak.map((s) => t('records.flag.rise.day', { value: n(s.value), day: day(s.day) })).join(', '),
      rises: rises.map((r) => `+${n(r)}`).join(', '),
      medians: streak.map((s) => n(s.median)).join(', '),
    });
  }
  return t('records.flag.rise.long', {
    low: n(Math.min(...streak.map((s) => s.value))), high: n(Math.max(...streak.map((s) => s.value))), count: streak.length,
    first: day(streak[0]!.day), last: day(streak[streak.length - 1]!.day), riseLow: n(Math.min(...rises)), riseHigh: n(Math.max(...rises)),
  });
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A clinic day (YYYY-MM-DD) as "Tue 24 Nov" (en-GB) or "mar. 24 nov." (fr-CA). */
export function dayLabelIn(locale: string, day: string): string {
  let format = dayFormats.get(locale);
  if (!format) dayFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })));
  return format.format(Date.parse(`${day}T12:00:00Z`));
}
