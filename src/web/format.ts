// How times, durations and measurements read on the pages: in the clinic's time zone, with the
// zone named, so nobody has to guess whether 03:00 is UTC.
export interface TimeFormat {
  /** "Tue 24 Nov 2026, 22:15" */
  dateTime(ms: number): string;
  /** "24 Nov 2026" */
  date(ms: number): string;
  /** "22:15" */
  time(ms: number): string;
  /** "22:15:07" */
  timeWithSeconds(ms: number): string;
  /** "Sat 28 Nov": the date on chart axes. */
  weekdayDate(ms: number): string;
  /** "CET", "GMT-5": the zone's short name at that moment (it changes with daylight saving). */
  zoneAbbreviation(ms: number): string;
  zone: string;
  /** 1 234,5 in French, 1,234.5 in English: `digits` (0–3) decimals. */
  number(value: number, digits?: number): string;
  /** formatMeasure in the page's language: "72,5 bpm" in French. */
  measure(value: number | null | undefined, unit: string, digits?: number): string;
}

const timeFormats = new Map<string, TimeFormat>();

/** The formats of a zone and a locale ('en-GB', 'fr-CA'): built once, they are costly to make. */
export function timeFormat(zone: string, locale = 'en-GB'): TimeFormat {
  const key = `${zone} ${locale}`;
  let found = timeFormats.get(key);
  if (!found) {
    found = buildTimeFormat(zone, locale);
    timeFormats.set(key, found);
  }
  return found;
}

function buildTimeFormat(zone: string, locale: string): TimeFormat {
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  const date = new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' });
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false });
  const timeWithSeconds = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const weekdayDate = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' });
  // Each locale knows the usual abbreviations of its own region (EST in en-US, CET in en-GB);
  // where neither has one, a GMT offset is the honest name.
  const zoneLocales = locale.startsWith('fr') ? ['fr-CA', 'fr-FR'] : ['en-US', 'en-GB'];
  const abbreviations = zoneLocales.map((name) => new Intl.DateTimeFormat(name, { timeZone: zone, timeZoneName: 'short' }));
  const abbreviationAt = (ms: number) => {
    const names = abbreviations.map((format) => format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? zone);
    return names.find((name) => !/^(?:GMT|UTC)[+−-]/.test(name)) ?? names[0]!;
  };
  const decimals = [0, 1, 2, 3].map((digits) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  // French sets a unit apart with a non-breaking space; English pages keep the plain one they always had.
  const unitSpace = locale.startsWith('fr') ? '\u00a0' : ' ';
  const number = (value: number, digits = 0) => decimals[digits]!.format(value);
  // "07 h 46" must not break at its spaces; ICU versions differ in which space they write there.
  const keepTogether = locale.startsWith('fr') ? (text: string) => text.replace(/(\d)\s(h|min|s)\s(?=\d)/g, '$1\u00a0$2\u00a0') : (text: string) => text;
  return {
    zone,
    dateTime: (ms) => keepTogether(dateTime.format(ms)),
    date: (ms) => date.format(ms),
    time: (ms) => keepTogether(time.format(ms)),
    timeWithSeconds: (ms) => keepTogether(timeWithSeconds.format(ms)),
    weekdayDate: (ms) => weekdayDate.format(ms).replace(',', ''),
    zoneAbbreviation: abbreviationAt,
    number,
    measure: (value, unit, digits = 0) =>
      (value === null || value === undefined || !Number.isFinite(value) ? '—' : `${number(value, digits)}${unitSpace}${unit}`),
  };
}

/** "23 h 59 min", "45 min", "30 s" */
export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${Math.round(seconds)} s`;
}

/** A measurement with its unit, or an em dash when there is none. */
export function formatMeasure(value: number | null | undefined, unit: string, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)} ${unit}`;
}

/** Epoch ms of the start of a calendar day (YYYY-MM-DD) in a time zone: for "from/to date" filters. */
export function startOfDayIn(zone: string, isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, day);
  // The zone's offset at that moment: local wall time minus UTC (daylight saving included).
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(utcMidnight);
  const value = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'));
  return utcMidnight - (wall - utcMidnight);
}
