// Time windows of a recording page: the spans its buttons show (centred on the current window,
// kept inside the recording), and the links that carry a window in the URL.
import { isoInZone } from '../../health/clinic-time.js';

export interface TimeWindow { from: number; to: number }

const HOUR = 3_600_000;
export const SPANS = [{ label: '1 h', hours: 1, ms: HOUR }, { label: '6 h', hours: 6, ms: 6 * HOUR }, { label: '24 h', hours: 24, ms: 24 * HOUR }] as const;

/** A window of `span` around the middle of `current`, moved (not cut) to stay inside the recording. */
export function spanAround(record: TimeWindow, current: TimeWindow, span: number): TimeWindow {
  const length = Math.min(span, record.to - record.from);
  const middle = (current.from + current.to) / 2;
  const from = Math.min(record.to - length, Math.max(record.from, Math.round(middle - length / 2)));
  return { from, to: from + length };
}

/** The window moved by most of its length, earlier (−1) or later (+1); null at the recording's edge. */
export function shifted(record: TimeWindow, current: TimeWindow, direction: -1 | 1): TimeWindow | null {
  const length = current.to - current.from;
  const step = Math.round(length * 0.75) * direction;
  const from = Math.min(record.to - length, Math.max(record.from, current.from + step));
  return from === current.from ? null : { from, to: from + length };
}

export function isWhole(record: TimeWindow, window: TimeWindow): boolean {
  return window.from <= record.from + 1000 && window.to >= record.to - 1000;
}

/** A URL with ?from=&to= in the clinic's offset, or without them for the whole recording. */
export function windowHref(path: string, zone: string, record: TimeWindow, window: TimeWindow): string {
  if (isWhole(record, window)) return path;
  // Colons stay readable; a "+" offset must be escaped, or it would arrive as a space.
  const param = (ms: number) => encodeURIComponent(isoInZone(zone, ms)).replace(/%3A/g, ':');
  return `${path}${path.includes('?') ? '&' : '?'}from=${param(window.from)}&to=${param(window.to)}`;
}

/**
 * The recording page opened on an event (a flag, a tag): a window of at least an hour, three times
 * the event's length, centred on it, so the event reads as a band rather than a hairline in 24 h.
 */
export function eventHref(recordId: string, zone: string, event: TimeWindow, anchor: string): string {
  const length = Math.max(HOUR, (event.to - event.from) * 3);
  const middle = (event.from + event.to) / 2;
  const window = { from: Math.round(middle - length / 2), to: Math.round(middle + length / 2) };
  // The page clamps a window to the recording; a record of { 0, 0 } means "always write the window".
  return `${windowHref(`/records/${recordId}`, zone, { from: 0, to: 0 }, window)}#${anchor}`;
}
