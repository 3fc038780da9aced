// A sleep summary per range tagged "sleep" on a recording, or, where no sleep tag covers it, per
// night detected by DESIGN.md §5 (22:00–07:00): total sleep time, time in each position, position
// changes, mean and lowest heart rate, mean breathing rate. Read from the series on request.
import type { AppContext } from '../context.js';
import { HOUR } from '../clock.js';
import type { HealthRecord } from '../db/schema.js';
import { SLEEP_POSITIONS } from './channels.js';
import { addDays, clinicDay, nightSpan, type Span } from './clinic-days.js';
import { readPatientWindow } from './patient-timeline.js';
import { positionChanges, sleepSeconds } from './rules/daily-metrics.js';
import { indexAt, type Timeline } from './rules/timeline.js';
import type { TagView } from './tags.js';

/** A night is summarised when the recording has at least this much data in it. */
const MIN_NIGHT_DATA = HOUR;

export interface SleepSummary {
  source: 'tag' | 'night';
  /** The tag's text (empty when it has none: pages name it "Sleep" in their language), or the night's date (the morning it ends). */
  label: string;
  from: number;
  to: number;
  /** Seconds lying and at rest. */
  sleepSeconds: number;
  /** Seconds per position code 1–5. */
  positions: { code: number; seconds: number }[];
  positionChanges: number;
  meanHeartRate: number | null;
  /** The lowest 1-minute mean: a single beat-to-beat artefact does not make it. */
  lowestHeartRate: number | null;
  meanBreathingRate: number | null;
}

type Ctx = Pick<AppContext, 'db' | 'config'>;

/** The summaries of a recording's sleep tags and of its untagged nights, in time order. */
export async function sleepSummariesOf(ctx: Ctx, record: Pick<HealthRecord, 'patient_id' | 'started_at' | 'ended_at'>, tags: readonly TagView[]): Promise<SleepSummary[]> {
  const zone = ctx.config.timeZone;
  const sleepTags = tags.filter((tag) => tag.kind === 'sleep');
  const ranges: { source: 'tag' | 'night'; label: string; span: Span }[] = sleepTags.map((tag) => ({
    source: 'tag', label: tag.text, span: { from: tag.startedAt, to: tag.endedAt },
  }));
  for (let day = clinicDay(zone, record.started_at); day <= addDays(clinicDay(zone, record.ended_at), 1); day = addDays(day, 1)) {
    const night = nightSpan(zone, day);
    const covered = Math.min(night.to, record.ended_at) - Math.max(night.from, record.started_at);
    if (covered < MIN_NIGHT_DATA || sleepTags.some((tag) => tag.startedAt < night.to && tag.endedAt > night.from)) continue;
    ranges.push({ source: 'night', label: day, span: night });
  }
  const summaries: SleepSummary[] = [];
  for (const range of ranges.sort((a, b) => a.span.from - b.span.from)) {
    // 30 s either side: the rest window of the range's first and last seconds.
    const { timeline } = await readPatientWindow(ctx.db, record.patient_id, { from: range.span.from - 30_000, to: range.span.to + 30_000 });
    summaries.push({ source: range.source, label: range.label, from: range.span.from, to: range.span.to, ...summarize(timeline, range.span) });
  }
  return summaries;
}

function summarize(t: Timeline, span: Span): Omit<SleepSummary, 'source' | 'label' | 'from' | 'to'> {
  const r = { from: indexAt(t, span.from), to: indexAt(t, span.to) };
  const positions = new Map<number, number>(SLEEP_POSITIONS.map((p) => [p.code, 0]));
  let hrSum = 0;
  let hrCount = 0;
  let brSum = 0;
  let brCount = 0;
  for (let i = r.from; i < r.to; i++) {
    const code = t.position[i]!;
    if (positions.has(code)) positions.set(code, positions.get(code)! + 1);
    const bpm = t.heartRate[i]!;
    if (bpm === bpm) {
      hrSum += bpm;
      hrCount++;
    }
    const rpm = t.breathingRate[i]!;
    if (rpm === rpm) {
      brSum += rpm;
      brCount++;
    }
  }
  return {
    sleepSeconds: sleepSeconds(t, r),
    positions: [...positions].map(([code, seconds]) => ({ code, seconds })),
    positionChanges: positionChanges(t.position, r),
    meanHeartRate: hrCount > 0 ? hrSum / hrCount : null,
    lowestHeartRate: lowestMinuteMean(t.heartRate, r),
    meanBreathingRate: brCount > 0 ? brSum / brCount : null,
  };
}

/** The lowest mean over whole minutes with at least 30 values. */
function lowestMinuteMean(series: Float32Array, r: { from: number; to: number }): number | null {
  let lowest = Infinity;
  for (let from = r.from; from + 60 <= r.to; from += 60) {
    let sum = 0;
    let count = 0;
    for (let i = from; i < from + 60; i++) {
      const v = series[i]!;
      if (v === v) {
        sum += v;
        count++;
      }
    }
    if (count >= 30) lowest = Math.min(lowest, sum / count);
  }
  return lowest === Infinity ? null : lowest;
}
