// How each channel is shown to a clinician, in the order charts, summaries and reports show them
// (the one list of that order): heart rate first. Stored and exported values keep their units
// (the CSV keeps mL/min); `scale` turns a stored value into the unit shown.
// Each text has its catalog key (records section) next to the English, which CSV-era callers keep.
import type { MessageKey } from '../i18n/translate.js';
import { ACTIVITY, BREATHING_RATE, CADENCE, HEART_RATE, MINUTE_VENTILATION, SLEEP_POSITION } from './channels.js';

export interface ChannelDisplay {
  datatype: number;
  label: string;
  labelKey: MessageKey;
  /** The unit shown on screen and paper. */
  unit: string;
  /** The unit in the reader's language ('resp./min' in French); null for none. */
  unitKey: MessageKey | null;
  /** What the unit means, said once per page. */
  unitMeaning: string;
  unitMeaningKey: MessageKey | null;
  /** Shown value = stored value × scale. */
  scale: number;
  decimals: number;
  categorical: boolean;
}

export const CHANNEL_DISPLAY: readonly ChannelDisplay[] = [
  { datatype: HEART_RATE, labelKey: 'records.channel.heartRate', unitKey: 'records.unit.bpm', unitMeaningKey: 'records.unitMeaning.bpm',
    label: 'Heart rate', unit: 'bpm', unitMeaning: 'bpm = beats per minute', scale: 1, decimals: 0, categorical: false },
  { datatype: BREATHING_RATE, labelKey: 'records.channel.breathingRate', unitKey: 'records.unit.rpm', unitMeaningKey: 'records.unitMeaning.rpm',
    label: 'Breathing rate', unit: 'rpm', unitMeaning: 'rpm = breaths per minute', scale: 1, decimals: 1, categorical: false },
  { datatype: MINUTE_VENTILATION, labelKey: 'records.channel.minuteVentilation', unitKey: 'records.unit.litresPerMinute', unitMeaningKey: 'records.unitMeaning.litresPerMinute',
    label: 'Minute ventilation', unit: 'L/min', unitMeaning: 'L/min = litres of air breathed per minute', scale: 0.001, decimals: 1, categorical: false },
  { datatype: ACTIVITY, labelKey: 'records.channel.activity', unitKey: 'records.unit.g', unitMeaningKey: 'records.unitMeaning.g',
    label: 'Activity', unit: 'g', unitMeaning: 'g = activity in units of gravity', scale: 1, decimals: 2, categorical: false },
  { datatype: CADENCE, labelKey: 'records.channel.cadence', unitKey: 'records.unit.spm', unitMeaningKey: 'records.unitMeaning.spm',
    label: 'Cadence', unit: 'spm', unitMeaning: 'spm = steps per minute', scale: 1, decimals: 0, categorical: false },
  { datatype: SLEEP_POSITION, labelKey: 'records.channel.sleepPosition', unitKey: null, unitMeaningKey: null,
    label: 'Sleep position', unit: '', unitMeaning: '', scale: 1, decimals: 0, categorical: true },
];

const byDatatype = new Map(CHANNEL_DISPLAY.map((display) => [display.datatype, display]));

export function displayOf(datatype: number): ChannelDisplay {
  return byDatatype.get(datatype)!;
}

/** The given datatypes in display order. */
export function inDisplayOrder<T extends { datatype: number }>(items: readonly T[]): T[] {
  const rank = (datatype: number) => CHANNEL_DISPLAY.findIndex((d) => d.datatype === datatype);
  return [...items].sort((a, b) => rank(a.datatype) - rank(b.datatype));
}

/** A stored value as shown, with the locale's separators: "6.4" L/min for 6,412 mL/min. */
export function formatValue(display: ChannelDisplay, value: number | null | undefined, locale = 'en-GB'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return (value * display.scale).toLocaleString(locale, { minimumFractionDigits: display.decimals, maximumFractionDigits: display.decimals });
}
