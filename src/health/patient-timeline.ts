// Reads a patient's series over a window into one 1 Hz timeline, from every recording that
// overlaps it. Where two recordings overlap, the one that started first keeps its seconds.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ACTIVITY, BREATHING_RATE, CADENCE, HEART_RATE, SLEEP_POSITION } from './channels.js';
import type { Span } from './clinic-time.js';
import { emptyChannels, timelineOf, type Timeline, type TimelineChannels } from './rules/timeline.js';
import { timestampToMs } from './series-codec.js';
import { readSeries } from './series.js';

const CHANNEL_OF: [number, keyof TimelineChannels][] = [
  [HEART_RATE, 'heartRate'], [BREATHING_RATE, 'breathingRate'], [ACTIVITY, 'activity'], [CADENCE, 'cadence'], [SLEEP_POSITION, 'position'],
];

export interface RecordSpan {
  id: string;
  startedAt: number;
  endedAt: number;
}

export interface PatientWindow {
  timeline: Timeline;
  /** The recordings that overlap the window, oldest first. */
  records: RecordSpan[];
}

/** The recordings of a patient that overlap [from, to), oldest first. */
export async function recordsOverlapping(db: Kysely<Database>, patientId: string, span: Span) {
  return db.selectFrom('records')
    .select(['id', 'started_at', 'ended_at', 'start_timestamp', 'sample_count'])
    .where('patient_id', '=', patientId)
    .where('started_at', '<', span.to)
    .where('ended_at', '>', span.from)
    .orderBy('started_at').orderBy('id')
    .execute();
}

/** The patient's timeline over [from, to) (whole seconds); seconds without any recording are gaps. */
export async function readPatientWindow(db: Kysely<Database>, patientId: string, span: Span): Promise<PatientWindow> {
  const start = Math.floor(span.from / 1000) * 1000;
  const length = Math.max(0, Math.ceil((span.to - start) / 1000));
  const channels = emptyChannels(length);
  const records = await recordsOverlapping(db, patientId, { from: start, to: start + length * 1000 });
  for (const record of records) {
    const recordStart = timestampToMs(record.start_timestamp);
    // Sample i of the record lands on second `offset + i` of the timeline.
    const offset = Math.round((recordStart - start) / 1000);
    const from = Math.max(0, -offset);
    const to = Math.min(record.sample_count, length - offset);
    if (to <= from) continue;
    const series = await readSeries(db, record.id, CHANNEL_OF.map(([datatype]) => datatype), from, to);
    for (const [datatype, name] of CHANNEL_OF) {
      const source = series.get(datatype)!;
      const target = channels[name];
      for (let i = 0; i < source.length; i++) {
        const slot = offset + from + i;
        if (target[slot] !== target[slot]) target[slot] = source[i]!;
      }
    }
  }
  return {
    timeline: timelineOf(start, channels),
    records: records.map((r) => ({ id: r.id, startedAt: r.started_at, endedAt: r.ended_at })),
  };
}

/** The recording an instant falls in (the first one, where two overlap). */
export function recordAt(records: readonly RecordSpan[], ms: number): string | null {
  return records.find((r) => r.startedAt <= ms && ms < r.endedAt)?.id ?? null;
}

/** The recording that covers most of a span. */
export function mainRecordOf(records: readonly RecordSpan[], span: Span): string | null {
  let best: string | null = null;
  let bestOverlap = 0;
  for (const r of records) {
    const overlap = Math.min(r.endedAt, span.to) - Math.max(r.startedAt, span.from);
    if (overlap > bestOverlap) [best, bestOverlap] = [r.id, overlap];
  }
  return best;
}
