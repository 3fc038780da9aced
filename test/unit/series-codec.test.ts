import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSample, shortFloat32 } from '../../src/health/float32-decimal.js';
import { BLOCK_SECONDS, SAMPLES_PER_CHUNK, blockExtremes, decodeSamples, encodeSamples, splitIntoChunks } from '../../src/health/series-codec.js';
import { sameSeries } from '../support/health.js';

describe('series codec', () => {
  it('stores a series as little-endian Float32 and reads it back exactly, gaps included', () => {
    const samples = Float32Array.from([72, 72.3, Number.NaN, 0, 0.001, 3.4e38]);
    const bytes = encodeSamples(samples);
    expect(bytes.length).toBe(24);
    expect(bytes.readFloatLE(4)).toBe(Math.fround(72.3));
    expect(sameSeries(decodeSamples(bytes), samples)).toBe(true);
  });

  it('decodes a chunk that a driver handed out at an unaligned offset', () => {
    const samples = Float32Array.from([1, 2, Number.NaN, 4]);
    const padded = Buffer.concat([Buffer.from([0xff]), encodeSamples(samples)]);
    expect(sameSeries(decodeSamples(padded.subarray(1)), samples)).toBe(true);
  });

  it('refuses a chunk that is not a whole number of values', () => {
    expect(() => decodeSamples(Buffer.alloc(7))).toThrow(/7 bytes/);
  });

  it('cuts a series into hour chunks, the last one shorter, and leaves out chunks that are all gap', () => {
    const series = new Float32Array(3 * SAMPLES_PER_CHUNK + 10).fill(Number.NaN);
    series[5] = 60;
    series[3 * SAMPLES_PER_CHUNK + 9] = 61;
    const chunks = splitIntoChunks(series);
    expect(chunks.map((c) => [c.index, c.samples.length])).toEqual([[0, SAMPLES_PER_CHUNK], [3, 10]]);
  });

  it('keeps the min and max of every 10-second block, skipping gaps, NaN for an all-gap block', () => {
    const samples = Float32Array.from({ length: 25 }, (_, i) => (i < 10 ? i : i < 20 ? Number.NaN : 100 - i));
    samples[3] = Number.NaN;
    expect(Array.from(blockExtremes(samples))).toEqual([0, 9, Number.NaN, Number.NaN, 76, 80]);
    expect(BLOCK_SECONDS).toBe(10);
  });
});

describe('Float32 values as text', () => {
  it('writes the short decimal a person typed, not the binary expansion', () => {
    expect(formatSample(Math.fround(72.3))).toBe('72.3');
    expect(formatSample(Math.fround(0.123))).toBe('0.123');
    expect(formatSample(Math.fround(14.1))).toBe('14.1');
    expect(formatSample(118)).toBe('118');
    expect(formatSample(-0)).toBe('0');
    expect(formatSample(Number.NaN)).toBe('');
  });

  it('reads back to the very same Float32 for every finite Float32', () => {
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
      const text = formatSample(value);
      expect(Math.fround(Number(text))).toBe(value + 0);
      expect(Math.fround(shortFloat32(value))).toBe(value + 0);
    }), { numRuns: 20_000 });
  });
});
