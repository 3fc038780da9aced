import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLayout, changePoints, inBlocks, minMaxPerBucket, modePerBucket } from '../../src/health/downsample.js';
import { BLOCK_SECONDS, blockExtremes } from '../../src/health/series-codec.js';

/** The raw min and max over samples [from, to), gaps skipped: what a bucket must report. */
function rawExtremes(samples: Float32Array, from: number, to: number): [number, number] {
  const values = Array.from(samples.subarray(Math.max(0, from), Math.min(samples.length, to))).filter((v) => !Number.isNaN(v));
  return values.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...values), Math.max(...values)];
}

const seriesWithGaps = fc.array(fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true, min: 0, max: 300 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 3000 })
  .map((values) => Float32Array.from(values));

describe('bucket layout', () => {
  it('covers the window with at most the buckets asked for, aligned to the record start', () => {
    fc.assert(fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 2000 }), (from, span, maxBuckets) => {
      const layout = bucketLayout(from, from + span, maxBuckets);
      expect(layout.count).toBeLessThanOrEqual(maxBuckets);
      expect(layout.firstSample % layout.bucketSize).toBe(0);
      expect(layout.firstSample).toBeLessThanOrEqual(from);
      expect(layout.firstSample + layout.count * layout.bucketSize).toBeGreaterThanOrEqual(from + span);
      if (layout.fromBlocks) expect(layout.bucketSize % BLOCK_SECONDS).toBe(0);
    }));
  });

  it('gives a whole day 960 buckets of 90 s when asked for 1,000, and a 10-minute zoom one second each', () => {
    expect(bucketLayout(0, 86_400, 1000)).toEqual({ bucketSize: 90, firstSample: 0, count: 960, fromBlocks: true });
    expect(bucketLayout(3600, 4200, 1000)).toEqual({ bucketSize: 1, firstSample: 3600, count: 600, fromBlocks: false });
  });
});

describe('min/max per bucket', () => {
  it('equals the raw min and max over each bucket, gaps skipped, NaN for a bucket of gaps only', () => {
    fc.assert(fc.property(seriesWithGaps, fc.nat(2999), fc.integer({ min: 1, max: 400 }), (samples, from, maxBuckets) => {
      const to = Math.min(samples.length, from + 1 + (from % 997));
      if (to <= from) return;
      const layout = bucketLayout(from, to, maxBuckets);
      const readFrom = layout.firstSample;
      const window = samples.subarray(readFrom, Math.min(samples.length, readFrom + layout.count * layout.bucketSize));
      const buckets = minMaxPerBucket(window, readFrom, layout);
      for (let b = 0; b < layout.count; b++) {
        const start = layout.firstSample + b * layout.bucketSize;
        const [low, high] = rawExtremes(samples, start, start + layout.bucketSize);
        expect(buckets.min[b]).toBe(low);
        expect(buckets.max[b]).toBe(high);
      }
    }));
  });

  it('gives the same answer from the stored 10-second block extremes as from every sample', () => {
    fc.assert(fc.property(seriesWithGaps, fc.integer({ min: 1, max: 60 }), (samples, maxBuckets) => {
      const layout = bucketLayout(0, samples.length, maxBuckets);
      if (!layout.fromBlocks) return;
      const extremes = blockExtremes(samples);
      const mins = extremes.filter((_, i) => i % 2 === 0);
      const maxs = extremes.filter((_, i) => i % 2 === 1);
      const fromSamples = minMaxPerBucket(samples, 0, layout);
      expect(minMaxPerBucket(mins, 0, inBlocks(layout)).min).toEqual(fromSamples.min);
      expect(minMaxPerBucket(maxs, 0, inBlocks(layout)).max).toEqual(fromSamples.max);
    }));
  });
});

describe('steps of a categorical series', () => {
  it('has one step per change of value, gaps included', () => {
    const positions = Float32Array.from([2, 2, 2, 4, 4, Number.NaN, Number.NaN, 4, 1]);
    const steps = changePoints(positions, 100);
    expect(steps.starts).toEqual([100, 103, 105, 107, 108]);
    expect(steps.values).toEqual([2, 4, Number.NaN, 4, 1]);
  });

  it('falls back to the most frequent value per bucket, merging equal neighbours', () => {
    const positions = Float32Array.from([1, 1, 2, 1, 2, 1, 2, 2, 2, Number.NaN, Number.NaN, Number.NaN]);
    const steps = modePerBucket(positions, 0, { bucketSize: 3, firstSample: 0, count: 4 });
    expect(steps.starts).toEqual([0, 6, 9]);
    expect(steps.values).toEqual([1, 2, Number.NaN]);
  });
});
