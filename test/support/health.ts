// Health-data helpers for tests: small recordings made by hand, CSV text, streams cut anywhere.
import { Readable } from 'node:stream';
import type { AppContext } from '../../src/context.js';
import type { HealthRecord, Patient } from '../../src/db/schema.js';
import { deriveForNewRecording } from '../../src/health/derived-data.js';
import { storeRecording } from '../../src/health/records.js';
import { CHANNELS } from '../../src/health/channels.js';
import { TICKS_PER_SECOND, type Recording } from '../../src/health/series-codec.js';

/** HexoTimestamp of an epoch-ms instant (whole seconds). */
export function hexo(ms: number): number {
  return (ms / 1000) * TICKS_PER_SECOND;
}

/** A recording whose sample i of channel c is `value(c, i)`; NaN makes a gap. */
export function recordingOf(startMs: number, length: number, value: (datatype: number, i: number) => number,
  datatypes: readonly number[] = CHANNELS.map((c) => c.datatype)): Recording {
  const channels = new Map(datatypes.map((datatype) => [datatype, Float32Array.from({ length }, (_, i) => value(datatype, i))]));
  return { startTimestamp: hexo(startMs), length, channels };
}

/** Plausible values per channel, with a gap pattern: varied enough to catch off-by-one errors. */
export function plausible(datatype: number, i: number): number {
  if (i % 997 === 500) return Number.NaN;
  switch (datatype) {
    case 19: return 60 + ((i * 7) % 41);
    case 33: return Math.round((12 + ((i * 13) % 90) / 10) * 10) / 10;
    case 36: return 6000 + ((i * 31) % 2000);
    case 49: return ((i * 17) % 1000) / 1000;
    case 53: return i % 600 < 120 ? 100 + (i % 15) : 0;
    case 270: return 1 + (Math.floor(i / 1800) % 5);
    default: return 0;
  }
}

/** Text delivered in pieces of `size` bytes: lines and UTF-8 characters get cut anywhere. */
export function streamOf(text: string | Buffer, size = 65_536): Readable {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  return Readable.from(pieces);
}

export async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

const HEALTH_TABLES = ['patients', 'care_team_members', 'records', 'series_chunks', 'record_summaries', 'record_category_times',
  'daily_metrics', 'hourly_wear', 'flags', 'flag_reviews', 'notes', 'record_tags'] as const;

/** Row counts of the health tables: a refused import must leave them as they were. */
export async function healthRowCounts(ctx: AppContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of HEALTH_TABLES) {
    const row = await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

/** Same length, and each pair equal or both gaps. */
export function sameSeries(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]) || (Number.isNaN(value) && Number.isNaN(b[i]!)));
}

/** The id of an account made with addAccount. */
export async function userIdOf(ctx: AppContext, email: string): Promise<string> {
  const user = await ctx.db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow();
  return user.id;
}

/** Stores a recording as an import does, with its daily metrics and flags, in one transaction. */
export async function importRecording(ctx: AppContext, patient: Patient, recording: Recording): Promise<HealthRecord> {
  return ctx.db.transaction().execute(async (trx) => {
    const record = await storeRecording(ctx, { patient, recording }, trx);
    await deriveForNewRecording(ctx, trx, record);
    return record;
  });
}

/** A quiet recording (at rest, HR 70, BR 14, standing) of `seconds` from `startMs`; `shape` changes it in place. */
export function quietRecording(startMs: number, seconds: number, shape: (channels: Map<number, Float32Array>) => void = () => {}): Recording {
  const recording = recordingOf(startMs, seconds, (datatype) => ({ 19: 70, 33: 14, 36: 7000, 49: 0.01, 53: 0, 270: 5 })[datatype] ?? 0);
  shape(recording.channels);
  return recording;
}
