// The words of recordings, charts and reports in the reader's language: channel names and units,
// positions, durations, tag kinds, severities, chart bands and when a flag was. English reads as
// it always did; the catalog keys are in the records section of src/i18n.
import type { ChartBand } from '../../health/chart-bands.js';
import type { ChannelDisplay } from '../../health/channel-display.js';
import { ruleLabel, type Severity } from '../../health/rules/definitions.js';
import { dayLabelIn, flagValueText, parseFlagValue } from '../../health/rules/flag-text.js';
import { tagLabel } from '../../health/tags.js';
import type { MessageKey, Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';

export const channelLabel = (t: Translator, display: ChannelDisplay) => t(display.labelKey);
export const channelUnit = (t: Translator, display: ChannelDisplay) => (display.unitKey ? t(display.unitKey) : '');

/** "bpm = beats per minute; rpm = breaths per minute." for the channels given. */
export function unitMeanings(t: Translator, displays: readonly ChannelDisplay[]): string {
  return t('records.unitMeanings', { meanings: displays.filter((d) => d.unitMeaningKey).map((d) => t(d.unitMeaningKey!)).join('; ') });
}

/** A stored value as shown, with the page's decimal separator: "6,4" L/min in French. */
export function channelValue(times: TimeFormat, display: ChannelDisplay, value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : times.number(value * display.scale, display.decimals);
}

const POSITION_KEYS: Record<number, [MessageKey, MessageKey]> = {
  1: ['records.position.1', 'records.positionShort.1'],
  2: ['records.position.2', 'records.positionShort.2'],
  3: ['records.position.3', 'records.positionShort.3'],
  4: ['records.position.4', 'records.positionShort.4'],
  5: ['records.position.5', 'records.positionShort.5'],
};

/** "On the back" (summaries), or "back" (chart axes) with `short`. */
export function positionLabel(t: Translator, code: number, short = false): string {
  const keys = POSITION_KEYS[code];
  return keys ? t(keys[short ? 1 : 0]) : '';
}

/** A tag kind in the reader's language, as the tag form's choices name it. */
export const tagKindLabel = (t: Translator, kind: string) => tagLabel(kind, t);

const SEVERITY_KEYS: Record<Severity, [MessageKey, MessageKey]> = {
  high: ['records.severity.high', 'records.severityLower.high'],
  medium: ['records.severity.medium', 'records.severityLower.medium'],
  low: ['records.severity.low', 'records.severityLower.low'],
};

/** "High" (a heading), or "high" (inside a sentence) with `lower`. */
export const severityWord = (t: Translator, severity: Severity, lower = false) => t(SEVERITY_KEYS[severity][lower ? 1 : 0]);

/** formatDuration (web/format.ts) in the reader's language: "23 h 59 min", "45 min", "30 s". */
export function durationText(t: Translator, seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return minutes > 0 ? t('records.duration.hoursMinutes', { h: hours, m: minutes }) : t('records.duration.hours', { n: hours });
  if (minutes > 0) return t('records.duration.minutes', { n: minutes });
  return t('records.duration.seconds', { n: Math.round(seconds) });
}

/** "Fri, 20 Nov 2026, 14:00 EST": an instant with the clinic zone's name. */
export const zoned = (times: TimeFormat, ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;

/** Chart bands with their labels in the reader's language, and only what a chart draws (kind, span, label, severity). */
export function localizedBands(bands: readonly ChartBand[], t: Translator, times: TimeFormat): ChartBand[] {
  return bands.map((band) => {
    const { day, flag, tag, ...drawn } = band;
    if (day) return { ...drawn, label: t('records.band.night', { day: dayLabelIn(t.locale, day) }) };
    if (flag && band.severity) {
      const text = flagValueText({ rule: flag.rule, valueText: flag.valueText, value: parseFlagValue(flag.valueParams) }, t, times);
      return { ...drawn, label: t('records.band.flag', { rule: ruleLabel(t, flag.rule), severity: severityWord(t, band.severity, true), reviewed: flag.reviewed ? 'yes' : 'no', text }) };
    }
    if (tag) return { ...drawn, label: tag.text ? t('records.band.tag', { kind: tagKindLabel(t, tag.kind), text: tag.text }) : tagKindLabel(t, tag.kind) };
    return drawn;
  });
}
