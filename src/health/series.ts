// The only writer of series_chunks: a record's 1 Hz series as binary chunks of one hour per
// channel, so a time window reads only the chunks it overlaps.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { SAMPLES_PER_CHUNK, decodeSamples, encodeSamples, gapSeries, splitIntoChunks, type Recording } from './series-codec.js';

// Rows per INSERT: 24 h × 6 channels is 144 chunks of 14.4 KB; a few statements of ~0.7 MB each
// stay far below both databases' parameter and packet limits.
const CHUNKS_PER_STATEMENT = 48;

export async function storeSeries(db: Kysely<Database>, recordId: string, recording: Recording): Promise<void> {
  const rows = [...recording.channels].flatMap(([datatype, series]) =>
    splitIntoChunks(series).map((chunk) => ({
      record_id: recordId, datatype, chunk_index: chunk.index, samples: encodeSamples(chunk.samples),
    })));
  for (let start = 0; start < rows.length; start += CHUNKS_PER_STATEMENT) {
    await db.insertInto('series_chunks').values(rows.slice(start, start + CHUNKS_PER_STATEMENT)).execute();
  }
}

/**
 * Samples [fromSample, toSample) of the given channels, gaps as NaN (including chunks never
 * stored). The caller clamps the window to the record.
 */
export async function readSeries(db: Kysely<Database>, recordId: string, datatypes: readonly number[],
  fromSample: number, toSample: number): Promise<Map<number, Float32Array>> {
  const series = new Map(datatypes.map((datatype) => [datatype, gapSeries(Math.max(0, toSample - fromSample))]));
  if (toSample <= fromSample || datatypes.length === 0) return series;
  const chunks = await db.selectFrom('series_chunks')
    .select(['datatype', 'chunk_index', 'samples'])
    .where('record_id', '=', recordId)
    .where('datatype', 'in', [...datatypes])
    .where('chunk_index', '>=', Math.floor(fromSample / SAMPLES_PER_CHUNK))
    .where('chunk_index', '<=', Math.floor((toSample - 1) / SAMPLES_PER_CHUNK))
    .execute();
  for (const chunk of chunks) {
    const samples = decodeSamples(chunk.samples);
    const chunkStart = chunk.chunk_index * SAMPLES_PER_CHUNK;
    // The overlap of this chunk with the window, in chunk coordinates.
    const from = Math.max(0, fromSample - chunkStart);
    const to = Math.min(samples.length, toSample - chunkStart);
    if (to > from) series.get(chunk.datatype)!.set(samples.subarray(from, to), chunkStart + from - fromSample);
  }
  return series;
}

/** Every channel of a stored record, whole: for exports and tests. */
export async function readRecording(db: Kysely<Database>, recordId: string, startTimestamp: number, length: number,
  datatypes: readonly number[]): Promise<Recording> {
  return { startTimestamp, length, channels: await readSeries(db, recordId, datatypes, 0, length) };
}
