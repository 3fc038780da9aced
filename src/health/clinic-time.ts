// Wall-clock arithmetic in the clinic's time zone (HMS_TIME_ZONE), daylight saving included:
// what "22:00 clinic time" is as an instant, and an instant written as ISO 8601 with the
// clinic's offset ("2026-11-20T20:00:00-05:00"), never as Z unless the clinic is on UTC.

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partsFormats.set(zone, format);
  }
  return format;
}

export interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The clinic's calendar and clock at an instant. */
export function wallTimeAt(zone: string, ms: number): WallTime {
  const value: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(ms)) if (part.type !== 'literal') value[part.type] = Number(part.value);
  return { year: value.year!, month: value.month!, day: value.day!, hour: value.hour!, minute: value.minute!, second: value.second! };
}

/** Offset of the zone from UTC at an instant, in minutes (−300 for EST, +60 for CET). */
export function offsetMinutesAt(zone: string, ms: number): number {
  const wall = wallTimeAt(zone, ms);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** "2026-11-20T20:00:00-05:00": to the second, with the clinic's offset at that instant. */
export function isoInZone(zone: string, ms: number): string {
  const wall = wallTimeAt(zone, ms);
  const offset = offsetMinutesAt(zone, ms);
  const sign = offset < 0 ? '-' : '+';
  const zoneText = offset === 0 && zone.toUpperCase() === 'UTC' ? 'Z' : `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${zoneText}`;
}

/** "20261120-200000": a file-name stamp in clinic local time. */
export function fileStampInZone(zone: string, ms: number): string {
  return isoInZone(zone, ms).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

const QUARTER_HOUR = 900_000;

/**
 * isoInZone for many instants in a row (an export writes one per second): the offset is looked
 * up once per quarter hour of UTC, since zones change offset only on such boundaries.
 */
export function isoFormatter(zone: string): (ms: number) => string {
  const offsets = new Map<number, number>();
  const utc = zone.toUpperCase() === 'UTC';
  // Offsets are whole minutes: within one minute only the seconds change, so the rest is kept.
  let minute = Number.NaN;
  let head = '';
  let tail = '';
  return (ms) => {
    const second = Math.floor(ms / 1000);
    const thisMinute = Math.floor(second / 60);
    if (thisMinute !== minute) {
      minute = thisMinute;
      const slot = Math.floor(ms / QUARTER_HOUR);
      let offset = offsets.get(slot);
      if (offset === undefined) offsets.set(slot, (offset = offsetMinutesAt(zone, slot * QUARTER_HOUR)));
      head = new Date((thisMinute + offset) * 60_000).toISOString().slice(0, 17);
      tail = utc && offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
    }
    return `${head}${pad(second - thisMinute * 60)}${tail}`;
  };
}
