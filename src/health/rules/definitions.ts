// The clinical rules of DESIGN.md §5 as data: one row per rule, with its clinic default
// threshold (and minimum duration for rules on runs). The evaluation (evaluate.ts) reads this
// table; an admin changes the clinic's values and a clinician a patient's (settings.ts), never
// the code. HMS flags what a clinician should look at: it never diagnoses.
import type { MessageKey, Translator } from '../../i18n/translate.js';
import { BREATHING_RATE, HEART_RATE } from '../channels.js';

export type Severity = 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
export const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

export type RuleId = 'tachycardia_at_rest' | 'bradycardia' | 'tachypnea_at_rest' | 'bradypnea_at_night'
  | 'resting_hr_rise' | 'low_wear' | 'no_recent_data';

export interface Setting {
  default: number;
  unit: string;
  /** What the form asks, e.g. "Heart rate at or above". */
  label: string;
  labelKey: MessageKey;
  /** The unit in the reader's language. */
  unitKey: MessageKey;
  min: number;
  max: number;
  /** Decimals a value keeps. */
  decimals: number;
}

interface RuleBase {
  id: RuleId;
  /** Short name for chips and lists (English; pages show `labelKey` in their language). */
  label: string;
  labelKey: MessageKey;
  /** What trips it, with {threshold} (and {duration} or {days}): conditionText() words it. */
  conditionKey: MessageKey;
  severity: Severity;
  threshold: Setting;
}

/** A rule on runs of one channel (DESIGN.md §5 "a run"), optionally only at rest or lying at night. */
export interface RunRule extends RuleBase {
  kind: 'run';
  datatype: number;
  /** Abbreviation in flag texts: "HR", "BR". */
  symbol: string;
  unit: string;
  comparison: '>=' | '>' | '<';
  atRest: boolean;
  atNightLying: boolean;
  /** Minimum run length, in seconds (the form shows minutes). */
  duration: Setting;
}

/** The day's resting HR at or above the patient's baseline median + threshold, `consecutiveDays` days in a row. */
export interface BaselineRiseRule extends RuleBase {
  kind: 'baseline_rise';
  consecutiveDays: number;
}

/** A completed day with data whose wear time is below the threshold (hours). */
export interface WearRule extends RuleBase {
  kind: 'wear';
}

/** No recording ended within the last `threshold` days. */
export interface RecencyRule extends RuleBase {
  kind: 'recency';
}

export type Rule = RunRule | BaselineRiseRule | WearRule | RecencyRule;

const minutes = (defaultSeconds: number, min: number, max: number): Setting =>
  ({ default: defaultSeconds, unit: 'min', label: 'Lasting at least', labelKey: 'records.setting.lastingAtLeast', unitKey: 'records.unit.minutes', min, max, decimals: 1 });

export const RULES: readonly Rule[] = [
  {
    id: 'tachycardia_at_rest', label: 'Tachycardia at rest', labelKey: 'records.rule.tachycardia_at_rest.label', conditionKey: 'records.rule.tachycardia_at_rest.condition', severity: 'high', kind: 'run',
    datatype: HEART_RATE, symbol: 'HR', unit: 'bpm', comparison: '>=', atRest: true, atNightLying: false,
    threshold: { default: 120, unit: 'bpm', label: 'Heart rate at or above', labelKey: 'records.setting.heartRateAtOrAbove', unitKey: 'records.unit.bpm', min: 60, max: 250, decimals: 0 },
    duration: minutes(300, 10, 6 * 3600),
  },
  {
    id: 'bradycardia', label: 'Bradycardia', labelKey: 'records.rule.bradycardia.label', conditionKey: 'records.rule.bradycardia.condition', severity: 'high', kind: 'run',
    datatype: HEART_RATE, symbol: 'HR', unit: 'bpm', comparison: '<', atRest: false, atNightLying: false,
    threshold: { default: 40, unit: 'bpm', label: 'Heart rate below', labelKey: 'records.setting.heartRateBelow', unitKey: 'records.unit.bpm', min: 20, max: 100, decimals: 0 },
    duration: minutes(60, 10, 6 * 3600),
  },
  {
    id: 'tachypnea_at_rest', label: 'Fast breathing at rest', labelKey: 'records.rule.tachypnea_at_rest.label', conditionKey: 'records.rule.tachypnea_at_rest.condition', severity: 'medium', kind: 'run',
    datatype: BREATHING_RATE, symbol: 'BR', unit: 'rpm', comparison: '>', atRest: true, atNightLying: false,
    threshold: { default: 25, unit: 'rpm', label: 'Breathing rate above', labelKey: 'records.setting.breathingRateAbove', unitKey: 'records.unit.rpm', min: 10, max: 80, decimals: 1 },
    duration: minutes(600, 10, 6 * 3600),
  },
  {
    id: 'bradypnea_at_night', label: 'Slow breathing at night', labelKey: 'records.rule.bradypnea_at_night.label', conditionKey: 'records.rule.bradypnea_at_night.condition', severity: 'high', kind: 'run',
    datatype: BREATHING_RATE, symbol: 'BR', unit: 'rpm', comparison: '<', atRest: false, atNightLying: true,
    threshold: { default: 8, unit: 'rpm', label: 'Breathing rate below', labelKey: 'records.setting.breathingRateBelow', unitKey: 'records.unit.rpm', min: 2, max: 20, decimals: 1 },
    duration: minutes(120, 10, 6 * 3600),
  },
  {
    id: 'resting_hr_rise', label: 'Resting HR above baseline', labelKey: 'records.rule.resting_hr_rise.label', conditionKey: 'records.rule.resting_hr_rise.condition', severity: 'medium', kind: 'baseline_rise', consecutiveDays: 2,
    threshold: { default: 10, unit: 'bpm', label: 'Above the 14-day baseline median by at least', labelKey: 'records.setting.aboveBaseline', unitKey: 'records.unit.bpm', min: 1, max: 60, decimals: 0 },
  },
  {
    id: 'low_wear', label: 'Low wear time', labelKey: 'records.rule.low_wear.label', conditionKey: 'records.rule.low_wear.condition', severity: 'low', kind: 'wear',
    threshold: { default: 18, unit: 'h', label: 'Wear time target per day', labelKey: 'records.setting.wearTarget', unitKey: 'records.unit.hours', min: 1, max: 24, decimals: 1 },
  },
  {
    id: 'no_recent_data', label: 'No recent data', labelKey: 'records.rule.no_recent_data.label', conditionKey: 'records.rule.no_recent_data.condition', severity: 'low', kind: 'recency',
    threshold: { default: 2, unit: 'days', label: 'No recording ended within', labelKey: 'records.setting.noRecordingWithin', unitKey: 'records.unit.days', min: 1, max: 60, decimals: 0 },
  },
];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id as RuleId);
}

export function isRuleId(id: string): id is RuleId {
  return byId.has(id as RuleId);
}

export const RUN_RULES = RULES.filter((rule): rule is RunRule => rule.kind === 'run');

/** The values a rule is evaluated with for one patient: clinic defaults or the patient's own. */
export interface RuleValues {
  threshold: number;
  /** Seconds; only for rules on runs. */
  durationSeconds: number | null;
}

export type RuleSettings = Record<RuleId, RuleValues>;

export function defaultSettings(): RuleSettings {
  return Object.fromEntries(RULES.map((rule) => [rule.id, {
    threshold: rule.threshold.default,
    durationSeconds: rule.kind === 'run' ? rule.duration.default : null,
  }])) as RuleSettings;
}

const COMPARISON_WORDS = { '>=': '≥', '>': '>', '<': '<' } as const;

/** "heart rate ≥ 120 bpm in a run of ≥ 5 min, at rest": what trips a rule with these values. */
export function describeCondition(rule: Rule, values: RuleValues): string {
  const threshold = `${formatNumber(values.threshold, rule.threshold.decimals)} ${rule.threshold.unit}`;
  switch (rule.kind) {
    case 'run': {
      const channel = rule.datatype === HEART_RATE ? 'heart rate' : 'breathing rate';
      const context = rule.atRest ? ', at rest' : rule.atNightLying ? ', at night, lying' : '';
      return `${channel} ${COMPARISON_WORDS[rule.comparison]} ${threshold} in a run of ≥ ${formatSeconds(values.durationSeconds ?? 0)}${context}`;
    }
    case 'baseline_rise':
      return `the day's resting HR ≥ the 14-day baseline median + ${threshold}, ${rule.consecutiveDays} days in a row`;
    case 'wear':
      return `a completed day with data has less than ${threshold} of wear time`;
    case 'recency':
      return `no recording ended within the last ${threshold}`;
  }
}

export function formatNumber(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/\.0+$/, '');
}

/** "7 min 12 s", "1 h 5 min", "45 s": exact to the second, for flag texts. */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', s > 0 || whole === 0 ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** A rule's short name in the reader's language; an id no rule has (any more) as it is. */
export function ruleLabel(t: Translator, id: string): string {
  const rule = ruleById(id);
  return rule ? t(rule.labelKey) : id;
}

/** describeCondition in the reader's language: "fréquence cardiaque ≥ 120 bpm pendant ≥ 5 min d’affilée, au repos". */
export function conditionText(t: Translator, rule: Rule, values: RuleValues): string {
  const threshold = new Intl.NumberFormat(t.locale, { maximumFractionDigits: rule.threshold.decimals, useGrouping: false })
    .format(Number(values.threshold.toFixed(rule.threshold.decimals)));
  return t(rule.conditionKey, {
    threshold,
    duration: formatSecondsIn(t, values.durationSeconds ?? 0),
    days: rule.kind === 'baseline_rise' ? rule.consecutiveDays : 0,
  });
}

/** formatSeconds in the reader's language ("7 min 12 s", with no-break spaces in French). */
export function formatSecondsIn(t: Translator, seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts = [h > 0 ? t('records.duration.hours', { n: h }) : '', m > 0 ? t('records.duration.minutes', { n: m }) : '',
    s > 0 || whole === 0 ? t('records.duration.seconds', { n: s }) : ''];
  return parts.filter(Boolean).join(' ');
}
