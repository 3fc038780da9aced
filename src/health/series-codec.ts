// A 1 Hz series: Float32 values, one per second, NaN for a second without a value (a gap is not
// a zero: a zero heart rate would be a medical event). A long series is cut into chunks of one
// hour so that a chart of ten minutes reads one or two chunks; chunk-encoding.ts lays them out.
import os from 'node:os';

/** Samples per stored chunk: one hour at 1 Hz, 14.4 KB. */
export const SAMPLES_PER_CHUNK = 3600;

/**
 * Each chunk also keeps the min and max of every 10-second block: a chart of a whole day then reads
 * 2.9 KB per hour and channel instead of 14.4 KB, and stays exact, since the min of mins is the min.
 */
export const BLOCK_SECONDS = 10;

/** HexoTimestamps count 1/256 s: one sample every 256 ticks at 1 Hz. */
export const TICKS_PER_SECOND = 256;

/** One record's series in memory: every channel has `length` samples starting at `startTimestamp`. */
export interface Recording {
  /** HexoTimestamp (Unix time × 256) of sample 0. */
  startTimestamp: number;
  length: number;
  /** Datatype id → samples (NaN = gap). */
  channels: Map<number, Float32Array>;
}

export interface SeriesChunk {
  index: number;
  samples: Float32Array;
}

const littleEndian = os.endianness() === 'LE';

export function encodeSamples(samples: Float32Array): Buffer {
  if (littleEndian) return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const bytes = Buffer.allocUnsafe(samples.length * 4);
  for (let i = 0; i < samples.length; i++) bytes.writeFloatLE(samples[i]!, i * 4);
  return bytes;
}

export function decodeSamples(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`A series chunk of ${bytes.byteLength} bytes is not a whole number of Float32 values`);
  const count = bytes.byteLength / 4;
  // A view needs 4-byte alignment; drivers may hand out a slice of a shared pool, so copy then.
  if (littleEndian) {
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getFloat32(i * 4, true);
  return samples;
}

/** The chunks worth storing: a chunk that is all gap is left out, and reads back as gap. */
export function splitIntoChunks(series: Float32Array): SeriesChunk[] {
  const chunks: SeriesChunk[] = [];
  for (let start = 0, index = 0; start < series.length; start += SAMPLES_PER_CHUNK, index++) {
    const samples = series.subarray(start, Math.min(start + SAMPLES_PER_CHUNK, series.length));
    if (samples.some((value) => !Number.isNaN(value))) chunks.push({ index, samples });
  }
  return chunks;
}

/** A series of `length` gaps, to be filled from stored chunks. */
export function gapSeries(length: number): Float32Array {
  return new Float32Array(length).fill(Number.NaN);
}

/** HexoTimestamp → epoch milliseconds (may be fractional: 1/256 s is 3.90625 ms). */
export function timestampToMs(timestamp: number): number {
  return (timestamp * 1000) / TICKS_PER_SECOND;
}

/** Min and max per BLOCK_SECONDS block, interleaved [min0, max0, min1, max1, …]; NaN for an all-gap block. */
export function blockExtremes(samples: Float32Array): Float32Array {
  const blocks = Math.ceil(samples.length / BLOCK_SECONDS);
  const extremes = new Float32Array(blocks * 2).fill(Number.NaN);
  for (let b = 0; b < blocks; b++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = b * BLOCK_SECONDS, end = Math.min(samples.length, i + BLOCK_SECONDS); i < end; i++) {
      const value = samples[i]!;
      if (value < low) low = value; // NaN compares false both ways: gaps fall through
      if (value > high) high = value;
    }
    if (low !== Infinity) {
      extremes[2 * b] = low;
      extremes[2 * b + 1] = high;
    }
  }
  return extremes;
}
