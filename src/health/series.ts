// The only writer of series_chunks: a record's 1 Hz series as binary chunks of one hour per
// channel, so a time window reads only the chunks it overlaps. Each chunk carries the min/max
// of its 10-second blocks too, so that wide charts read a fifth of the bytes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decodeChunk, encodeChunk } from './chunk-encoding.js';
import { recordIdsIn, type RecordScope } from './record-scope.js';
import { BLOCK_SECONDS, SAMPLES_PER_CHUNK, blockExtremes, gapSeries, splitIntoChunks, type Recording } from './series-codec.js';

// Rows per INSERT: 24 h × 6 channels is 144 chunks of at most 17 KB; a few statements of < 1 MB
// stay far below both databases' parameter and packet limits.
const CHUNKS_PER_STATEMENT = 48;
const BLOCKS_PER_CHUNK = SAMPLES_PER_CHUNK / BLOCK_SECONDS;

export async function storeSeries(db: Kysely<Database>, recordId: string, recording: Recording): Promise<void> {
  const rows = [...recording.channels].flatMap(([datatype, series]) =>
    splitIntoChunks(series).map((chunk) => ({
      record_id: recordId, datatype, chunk_index: chunk.index,
      samples: encodeChunk(chunk.samples), extremes: encodeChunk(blockExtremes(chunk.samples)),
    })));
  for (let start = 0; start < rows.length; start += CHUNKS_PER_STATEMENT) {
    await db.insertInto('series_chunks').values(rows.slice(start, start + CHUNKS_PER_STATEMENT)).execute();
  }
}

/**
 * Samples [fromSample, toSample) of the given channels, gaps as NaN (including chunks never
 * stored). The caller clamps the window to the record.
 */
export function readSeries(db: Kysely<Database>, recordId: string, datatypes: readonly number[],
  fromSample: number, toSample: number): Promise<Map<number, Float32Array>> {
  return readChunked(db, recordId, datatypes, 'samples', fromSample, toSample);
}

export interface BlockExtremes {
  /** Per 10-second block: NaN where the block holds only gaps. */
  min: Float32Array;
  max: Float32Array;
}

/** Min and max of blocks [fromBlock, toBlock) (block b holds samples b × 10 … b × 10 + 9). */
export async function readBlockExtremes(db: Kysely<Database>, recordId: string, datatypes: readonly number[],
  fromBlock: number, toBlock: number): Promise<Map<number, BlockExtremes>> {
  const interleaved = await readChunked(db, recordId, datatypes, 'extremes', 2 * fromBlock, 2 * toBlock);
  const result = new Map<number, BlockExtremes>();
  for (const [datatype, values] of interleaved) {
    const min = new Float32Array(values.length / 2);
    const max = new Float32Array(values.length / 2);
    for (let b = 0; b < min.length; b++) {
      min[b] = values[2 * b]!;
      max[b] = values[2 * b + 1]!;
    }
    result.set(datatype, { min, max });
  }
  return result;
}

/** Values [from, to) of one column: a chunk holds 3,600 samples, or 360 interleaved min/max pairs. */
async function readChunked(db: Kysely<Database>, recordId: string, datatypes: readonly number[], column: 'samples' | 'extremes',
  from: number, to: number): Promise<Map<number, Float32Array>> {
  const valuesPerChunk = column === 'samples' ? SAMPLES_PER_CHUNK : 2 * BLOCKS_PER_CHUNK;
  const result = new Map(datatypes.map((datatype) => [datatype, gapSeries(Math.max(0, to - from))]));
  if (to <= from || datatypes.length === 0) return result;
  const chunks = await db.selectFrom('series_chunks')
    .select(['datatype', 'chunk_index', column])
    .where('record_id', '=', recordId)
    .where('datatype', 'in', [...datatypes])
    .where('chunk_index', '>=', Math.floor(from / valuesPerChunk))
    .where('chunk_index', '<=', Math.floor((to - 1) / valuesPerChunk))
    .execute();
  for (const chunk of chunks) {
    const values = decodeChunk((chunk as Record<typeof column, Buffer>)[column]);
    const chunkStart = chunk.chunk_index * valuesPerChunk;
    // The overlap of this chunk with [from, to), in chunk coordinates.
    const start = Math.max(0, from - chunkStart);
    const end = Math.min(values.length, to - chunkStart);
    if (end > start) result.get(chunk.datatype)!.set(values.subarray(start, end), chunkStart + start - from);
  }
  return result;
}

/** Every channel of a stored record, whole: for tests and tools (exports stream an hour at a time). */
export async function readRecording(db: Kysely<Database>, recordId: string, startTimestamp: number, length: number,
  datatypes: readonly number[]): Promise<Recording> {
  return { startTimestamp, length, channels: await readSeries(db, recordId, datatypes, 0, length) };
}

/** Deletes the series of the recordings in scope (erasure). */
export async function deleteSeries(db: Kysely<Database>, scope: RecordScope): Promise<void> {
  await db.deleteFrom('series_chunks').where('record_id', 'in', recordIdsIn(db, scope)).execute();
}
