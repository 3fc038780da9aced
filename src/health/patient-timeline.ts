// Reads a patient's series over a window into one 1 Hz timeline, from every recording that
// overlaps it. Where two recordings overlap, the one that started first keeps its seconds.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ACTIVITY, BREATHING_RATE, CADENCE, HEART_RATE, SLEEP_POSITION } from './channels.js';
import type { Span } from './clinic-days.js';
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

/** A recording as the timeline reads it: where it is, and its samples [from, to) of the channels asked. */
export interface RecordingSource {
  id: string;
  startedAt: number;
  endedAt: number;
  /** HexoTimestamp of sample 0. */
  startTimestamp: number;
  sampleCount: number;
  read(datatypes: readonly number[], from: number, to: number): Promise<Map<number, Float32Array>>;
}

/** Reads the recordings of a window: from the database (readPatientWindow), or from memory (the demo). */
export type WindowReader = (span: Span) => Promise<PatientWindow>;

/** The patient's timeline over [from, to) (whole seconds); seconds without any recording are gaps. */
export async function readPatientWindow(db: Kysely<Database>, patientId: string, span: Span): Promise<PatientWindow> {
  const records = await recordsOverlapping(db, patientId, wholeSeconds(span));
  return placeRecordings(span, records.map((r) => ({
    id: r.id, startedAt: r.started_at, endedAt: r.ended_at, startTimestamp: r.start_timestamp, sampleCount: r.sample_count,
    read: (datatypes, from, to) => readSeries(db, r.id, datatypes, from, to),
  })));
}

function wholeSeconds(span: Span): Span {
  const from = Math.floor(span.from / 1000) * 1000;
  return { from, to: from + Math.max(0, Math.ceil((span.to - from) / 1000)) * 1000 };
}

/** Lays recordings (oldest first) onto one timeline over the span. */
export async function placeRecordings(span: Span, sources: readonly RecordingSource[]): Promise<PatientWindow> {
  const { from: start, to: end } = wholeSeconds(span);
  const length = (end - start) / 1000;
  const channels = emptyChannels(length);
  const placed: [number, number][] = [];
  const used: RecordingSource[] = [];
  for (const record of sources) {
    if (record.startedAt >= end || record.endedAt <= start) continue;
    used.push(record);
    const recordStart = timestampToMs(record.startTimestamp);
    // Sample i of the record lands on second `offset + i` of the timeline.
    const offset = Math.round((recordStart - start) / 1000);
    const from = Math.max(0, -offset);
    const to = Math.min(record.sampleCount, length - offset);
    if (to <= from) continue;
    const series = await record.read(CHANNEL_OF.map(([datatype]) => datatype), from, to);
    const first = offset + from;
    const last = offset + to;
    // Recordings rarely overlap: then a plain copy; where they do, only the empty seconds are filled.
    const overlapping = placed.some(([a, b]) => a < last && first < b);
    placed.push([first, last]);
    for (const [datatype, name] of CHANNEL_OF) {
      const source = series.get(datatype);
      if (!source) continue;
      const target = channels[name];
      if (!overlapping) {
        target.set(source, first);
        continue;
      }
      for (let i = 0; i < source.length; i++) if (target[first + i] !== target[first + i]) target[first + i] = source[i]!;
    }
  }
  return {
    timeline: timelineOf(start, channels),
    records: used.map((r) => ({ id: r.id, startedAt: r.startedAt, endedAt: r.endedAt })),
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
