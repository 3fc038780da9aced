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

/**
 * The instant at which the clinic's clock reads this wall time. In the spring-forward gap the
 * hour does not exist: the instant returned is the one after the jump. In the repeated autumn
 * hour the first (daylight) instance is returned.
 */
export function instantOfWallTime(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Candidates under the offsets in force near the target; the one whose clock reads the target
  // wins (the earlier in the repeated hour). None does in the spring gap: then the later one.
  const candidates = [guess - offsetMinutesAt(zone, guess - 86_400_000) * 60_000, guess - offsetMinutesAt(zone, guess + 86_400_000) * 60_000]
    .sort((a, b) => a - b);
  const reads = (ms: number) => {
    const wall = wallTimeAt(zone, ms);
    return wall.year === year && wall.month === month && wall.day === day && wall.hour === hour && wall.minute === minute;
  };
  return candidates.find(reads) ?? candidates[1]!;
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

/** The calendar date (YYYY-MM-DD) of an instant in the clinic's zone. */
export function clinicDate(zone: string, ms: number): string {
  const wall = wallTimeAt(zone, ms);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** The day after an ISO date (calendar arithmetic, no zone involved). */
export function nextDate(isoDate: string, days = 1): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The instant of local midnight at the start of an ISO date in the clinic's zone. */
export function startOfClinicDay(zone: string, isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return instantOfWallTime(zone, year, month, day, 0, 0);
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
