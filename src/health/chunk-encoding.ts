// How a chunk's values are laid out in the database. Most channels change every second and are
// stored as plain Float32; sleep position, cadence at rest and long gaps repeat one value for
// minutes, and are stored as runs (length, value): a night of sleep positions is a few hundred
// bytes instead of 14 KB per hour, which a chart over PostgreSQL (bytea travels as hex) feels.
import { decodeSamples, encodeSamples } from './series-codec.js';

const PLAIN = 1;
const RUNS = 2;
const HEADER_BYTES = 4; // a whole Float32 slot, so the values after it stay 4-byte aligned

/** The smaller of the plain and run-length layouts, tagged so decodeChunk knows which. */
export function encodeChunk(values: Float32Array): Buffer {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let runs = 0;
  for (let i = 0; i < bits.length; i++) if (i === 0 || bits[i] !== bits[i - 1]) runs++;
  // Compared bit for bit: NaN equals NaN here, and a run of gaps is one run.
  if (runs * 8 >= values.length * 4) {
    const plain = Buffer.allocUnsafe(HEADER_BYTES + values.length * 4);
    plain.writeUInt32LE(PLAIN, 0);
    encodeSamples(values).copy(plain, HEADER_BYTES);
    return plain;
  }
  const encoded = Buffer.allocUnsafe(HEADER_BYTES + runs * 8);
  encoded.writeUInt32LE(RUNS, 0);
  let offset = HEADER_BYTES;
  for (let start = 0; start < values.length;) {
    let end = start + 1;
    while (end < values.length && bits[end] === bits[start]) end++;
    encoded.writeUInt32LE(end - start, offset);
    encoded.writeFloatLE(values[start]!, offset + 4);
    offset += 8;
    start = end;
  }
  return encoded;
}

export function decodeChunk(bytes: Uint8Array): Float32Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = buffer.byteLength >= HEADER_BYTES ? buffer.readUInt32LE(0) : 0;
  if (tag === PLAIN) return decodeSamples(buffer.subarray(HEADER_BYTES));
  if (tag !== RUNS || (buffer.byteLength - HEADER_BYTES) % 8 !== 0) {
    throw new Error(`A stored series chunk is damaged (layout ${tag}, ${buffer.byteLength} bytes)`);
  }
  let length = 0;
  for (let offset = HEADER_BYTES; offset < buffer.byteLength; offset += 8) length += buffer.readUInt32LE(offset);
  const values = new Float32Array(length);
  let position = 0;
  for (let offset = HEADER_BYTES; offset < buffer.byteLength; offset += 8) {
    const run = buffer.readUInt32LE(offset);
    values.fill(buffer.readFloatLE(offset + 4), position, position + run);
    position += run;
  }
  return values;
}
