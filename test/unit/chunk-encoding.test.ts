import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from '../../src/health/chunk-encoding.js';
import { sameSeries } from '../support/health.js';

describe('chunk layout in the database', () => {
  it('stores values that change every second as plain Float32 behind a 4-byte tag', () => {
    const heartRate = Float32Array.from({ length: 3600 }, (_, i) => 60 + (i % 30));
    const bytes = encodeChunk(heartRate);
    expect(bytes.length).toBe(4 + 3600 * 4);
    expect(bytes.readFloatLE(4 + 4 * 7)).toBe(67);
    expect(sameSeries(decodeChunk(bytes), heartRate)).toBe(true);
  });

  it('stores an hour of few positions and a gap as a handful of runs', () => {
    const positions = new Float32Array(3600).fill(2);
    positions.fill(4, 1200, 2400);
    positions.fill(Number.NaN, 3000, 3100);
    const bytes = encodeChunk(positions);
    expect(bytes.length).toBe(4 + 5 * 8);
    expect(sameSeries(decodeChunk(bytes), positions)).toBe(true);
  });

  it('reads back exactly what it wrote, whatever the values and repeats', () => {
    const value = fc.oneof(fc.float({ noDefaultInfinity: true }), fc.constant(Number.NaN), fc.constantFrom(0, 1, 2));
    fc.assert(fc.property(fc.array(fc.tuple(value, fc.integer({ min: 1, max: 50 })), { maxLength: 200 }), (runs) => {
      const values = Float32Array.from(runs.flatMap(([v, n]) => Array<number>(n).fill(v)));
      expect(sameSeries(decodeChunk(encodeChunk(values)), values)).toBe(true);
    }));
  });

  it('decodes a chunk that a driver handed out at an unaligned offset', () => {
    const values = Float32Array.from([1.5, 2.5, Number.NaN, 4.5]);
    const padded = Buffer.concat([Buffer.from([0xff]), encodeChunk(values)]);
    expect(sameSeries(decodeChunk(padded.subarray(1)), values)).toBe(true);
  });

  it('refuses a damaged chunk instead of drawing wrong values', () => {
    expect(() => decodeChunk(Buffer.alloc(12))).toThrow(/damaged/);
    expect(() => decodeChunk(Buffer.from([2, 0, 0, 0, 1, 0]))).toThrow(/damaged/);
  });
});
