// Stretches of time drawn behind every chart: the nights (22:00–07:00 clinic time, DESIGN.md §5),
// and — from the triage rules and the clinicians' tags — flags and tagged events. Times are
// epoch ms; the label is what a clinician reads next to the band.
import { addDays, clinicDay, nightSpan } from './clinic-days.js';

export interface ChartBand {
  kind: 'night' | 'flag' | 'tag';
  from: number;
  to: number;
  /** In English; web/records/bands.ts words it in the reader's language from the fields below. */
  label: string;
  severity?: 'high' | 'medium' | 'low';
  /** A night: the clinic day it ends on. */
  day?: string;
  /** A flag: its rule, review and value. */
  flag?: { rule: string; reviewed: boolean; valueText: string; valueParams: string | null };
  /** A tagged event: its kind and text. */
  tag?: { kind: string; text: string };
}

const dayLabel = new Map<string, Intl.DateTimeFormat>();

/**
 * The nights that overlap [from, to), clipped to it. A night belongs to the date on which it
 * ends (DESIGN.md §5), and its bounds are wall-clock times: a night across a daylight-saving
 * change lasts 8 or 10 hours.
 */
export function nightBands(zone: string, from: number, to: number): ChartBand[] {
  if (!(to > from)) return [];
  let format = dayLabel.get(zone);
  if (!format) dayLabel.set(zone, (format = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })));
  const bands: ChartBand[] = [];
  // The night ending on the first date may have started the evening before `from`.
  for (let date = clinicDay(zone, from); ; date = addDays(date, 1)) {
    const night = nightSpan(zone, date);
    if (night.from >= to) break;
    if (night.to > from) {
      bands.push({ kind: 'night', from: Math.max(from, night.from), to: Math.min(to, night.to), label: `Night to ${format.format(Date.parse(`${date}T12:00:00Z`))}`, day: date });
    }
  }
  return bands;
}
