// A patient's data as one 1 Hz timeline over a window, whatever recordings it came from: back-to-back
// recordings join without a seam, so a run or a night that crosses from one to the next is one.
import { restStates } from './terms.js';

export interface Timeline {
  /** Epoch ms of second 0 (a whole second). */
  start: number;
  length: number;
  heartRate: Float32Array;
  breathingRate: Float32Array;
  activity: Float32Array;
  cadence: Float32Array;
  position: Float32Array;
  /** AT_REST, NOT_AT_REST or REST_UNKNOWN per second (terms.ts). */
  rest: Uint8Array;
}

export type TimelineChannels = Pick<Timeline, 'heartRate' | 'breathingRate' | 'activity' | 'cadence' | 'position'>;

/** A timeline from its channels (every one `length` long, NaN for gaps). */
export function timelineOf(start: number, channels: TimelineChannels): Timeline {
  const length = channels.heartRate.length;
  return { start, length, ...channels, rest: restStates(channels.activity, channels.cadence) };
}

/** An empty timeline (all gaps) of `length` seconds from `start`. */
export function emptyChannels(length: number): TimelineChannels {
  const gaps = () => new Float32Array(length).fill(Number.NaN);
  return { heartRate: gaps(), breathingRate: gaps(), activity: gaps(), cadence: gaps(), position: gaps() };
}

/** Index of the second at (or just after) an instant, clamped to the timeline. */
export function indexAt(timeline: Pick<Timeline, 'start' | 'length'>, ms: number): number {
  return Math.min(timeline.length, Math.max(0, Math.ceil((ms - timeline.start) / 1000)));
}

/** Epoch ms of second `index`. */
export function timeAt(timeline: Pick<Timeline, 'start'>, index: number): number {
  return timeline.start + index * 1000;
}
