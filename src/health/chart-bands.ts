// Stretches of time drawn behind every chart: the nights (22:00–07:00 clinic time, DESIGN.md §5),
// and — from the triage rules and the clinicians' tags — flags and tagged events. Times are
// epoch ms; the label is what a clinician reads next to the band.
import { clinicDate, instantOfWallTime, nextDate } from './clinic-time.js';

export interface ChartBand {
  kind: 'night' | 'flag' | 'tag';
  from: number;
  to: number;
  label: string;
  severity?: 'high' | 'medium' | 'low';
}

export const NIGHT_START_HOUR = 22;
export const NIGHT_END_HOUR = 7;

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
  for (let date = clinicDate(zone, from); ; date = nextDate(date)) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const end = instantOfWallTime(zone, year, month, day, NIGHT_END_HOUR);
    const previous = nextDate(date, -1).split('-').map(Number) as [number, number, number];
    const start = instantOfWallTime(zone, previous[0], previous[1], previous[2], NIGHT_START_HOUR);
    if (start >= to) break;
    if (end > from) {
      bands.push({ kind: 'night', from: Math.max(from, start), to: Math.min(to, end), label: `Night to ${format.format(Date.UTC(year, month - 1, day))}` });
    }
  }
  return bands;
}
