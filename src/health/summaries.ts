// The only writer of record_summaries and record_category_times: per record and channel, the
// average, minimum and maximum (Hexoskin's heart-rate metrics 44/46/47) and the time spent in
// each heart-rate zone and sleep position. Computed once at import, so lists never read series.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HEART_RATE, SLEEP_POSITION, SLEEP_POSITIONS, channelOfDatatype } from './channels.js';
import { recordIdsIn, type RecordScope } from './record-scope.js';
import type { Recording } from './series-codec.js';

export interface ChannelSummary {
  datatype: number;
  /** Seconds with a value: gaps are not counted, nor averaged as zeros. */
  sampleCount: number;
  average: number | null;
  minimum: number | null;
  maximum: number | null;
}

export interface CategoryTime {
  datatype: number;
  category: number;
  seconds: number;
}

export interface HeartRateZone {
  /** 0 is below zone 1 (under 50 % of the maximum). */
  zone: number;
  lowerBpm: number;
  /** Exclusive; null for the top zone. */
  upperBpm: number | null;
}

export function summarize(datatype: number, samples: Float32Array): ChannelSummary {
  let count = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (value !== value) continue; // NaN: a gap
    count++;
    sum += value;
    if (value < minimum) minimum = value;
    if (value > maximum) maximum = value;
  }
  if (count === 0) return { datatype, sampleCount: 0, average: null, minimum: null, maximum: null };
  // An average of position codes means nothing; the time per position says it instead.
  const average = channelOfDatatype(datatype)?.categorical ? null : sum / count;
  return { datatype, sampleCount: count, average, minimum, maximum };
}

/** Whole years between an ISO birth date and an instant (UTC calendar). */
export function ageInYears(dateOfBirth: string, at: number): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const now = new Date(at);
  const hadBirthday = now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return now.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

/** Age-predicted maximum heart rate (220 − age): the usual basis of five training zones. */
export function predictedMaxHeartRate(dateOfBirth: string, at: number): number {
  return 220 - ageInYears(dateOfBirth, at);
}

/** Zones 1–5 start at 50, 60, 70, 80 and 90 % of the maximum heart rate. */
export function heartRateZones(maxBpm: number): HeartRateZone[] {
  const bounds = [0, 0.5, 0.6, 0.7, 0.8, 0.9].map((share) => share * maxBpm);
  return bounds.map((lowerBpm, zone) => ({ zone, lowerBpm, upperBpm: bounds[zone + 1] ?? null }));
}

export function heartRateZoneOf(bpm: number, maxBpm: number): number {
  let zone = 0;
  // The same products as heartRateZones, so a value on a bound lands where the table says.
  for (const share of [0.5, 0.6, 0.7, 0.8, 0.9]) if (bpm >= share * maxBpm) zone++;
  return zone;
}

export function categoryTimes(recording: Recording, heartRateMaxBpm: number | null): CategoryTime[] {
  const times: CategoryTime[] = [];
  const heartRate = recording.channels.get(HEART_RATE);
  if (heartRate && heartRateMaxBpm !== null) {
    const seconds = new Array<number>(6).fill(0);
    // Indexed loops: a typed array's iterator is several times slower over 86,400 samples.
    for (let i = 0; i < heartRate.length; i++) {
      const bpm = heartRate[i]!;
      if (bpm === bpm) seconds[heartRateZoneOf(bpm, heartRateMaxBpm)]! += 1;
    }
    seconds.forEach((value, zone) => times.push({ datatype: HEART_RATE, category: zone, seconds: value }));
  }
  const position = recording.channels.get(SLEEP_POSITION);
  if (position) {
    const seconds = new Array<number>(SLEEP_POSITIONS.length + 1).fill(0);
    for (let i = 0; i < position.length; i++) {
      const code = position[i]!;
      if (code >= 1 && code <= SLEEP_POSITIONS.length && Number.isInteger(code)) seconds[code]! += 1;
    }
    for (const { code } of SLEEP_POSITIONS) times.push({ datatype: SLEEP_POSITION, category: code, seconds: seconds[code]! });
  }
  return times;
}

export async function storeSummaries(db: Kysely<Database>, recordId: string, recording: Recording,
  heartRateMaxBpm: number | null): Promise<void> {
  const summaries = [...recording.channels].map(([datatype, samples]) => summarize(datatype, samples));
  if (summaries.length > 0) {
    await db.insertInto('record_summaries').values(summaries.map((s) => ({
      record_id: recordId, datatype: s.datatype, sample_count: s.sampleCount,
      average: s.average, minimum: s.minimum, maximum: s.maximum,
    }))).execute();
  }
  const times = categoryTimes(recording, heartRateMaxBpm);
  if (times.length > 0) {
    await db.insertInto('record_category_times').values(times.map((t) => ({ record_id: recordId, ...t }))).execute();
  }
}

export interface RecordMetrics {
  summaries: ChannelSummary[];
  categoryTimes: CategoryTime[];
}

export async function readMetrics(db: Kysely<Database>, recordId: string): Promise<RecordMetrics> {
  const [summaries, times] = await Promise.all([
    db.selectFrom('record_summaries').selectAll().where('record_id', '=', recordId).orderBy('datatype').execute(),
    db.selectFrom('record_category_times').selectAll().where('record_id', '=', recordId).orderBy('datatype').orderBy('category').execute(),
  ]);
  return {
    summaries: summaries.map((s) => ({ datatype: s.datatype, sampleCount: s.sample_count, average: s.average, minimum: s.minimum, maximum: s.maximum })),
    categoryTimes: times.map((t) => ({ datatype: t.datatype, category: t.category, seconds: t.seconds })),
  };
}

/** Deletes the summaries and category times of the recordings in scope (erasure). */
export async function deleteSummaries(db: Kysely<Database>, scope: RecordScope): Promise<void> {
  await db.deleteFrom('record_category_times').where('record_id', 'in', recordIdsIn(db, scope)).execute();
  await db.deleteFrom('record_summaries').where('record_id', 'in', recordIdsIn(db, scope)).execute();
}
