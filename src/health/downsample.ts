// Downsampling for charts: a chart a thousand pixels wide needs at most a thousand points, and
// min/max per bucket keeps every peak and trough visible (an average would hide a spike).
// Buckets are aligned to the record's start, so panning does not make values jump.
import { BLOCK_SECONDS } from './series-codec.js';

export interface MinMaxBuckets {
  /** Sample index where bucket 0 starts (a multiple of bucketSize). */
  firstSample: number;
  bucketSize: number;
  /** NaN where a bucket holds only gaps. */
  min: Float32Array;
  max: Float32Array;
}

export interface BucketLayout {
  /** Whole seconds per bucket. */
  bucketSize: number;
  /** Sample index where bucket 0 starts: a multiple of bucketSize. */
  firstSample: number;
  count: number;
  /** True when bucketSize is a multiple of BLOCK_SECONDS and the stored block min/max suffice. */
  fromBlocks: boolean;
}

/**
 * The bucket width and aligned span that cover samples [from, to) with at most `maxBuckets`
 * buckets. Wide buckets are rounded up to whole 10-second blocks (at most a quarter fewer
 * buckets), so that their min/max come from the stored block extremes instead of every sample.
 */
export function bucketLayout(from: number, to: number, maxBuckets: number): BucketLayout {
  const span = Math.max(0, to - from);
  if (span === 0) return { bucketSize: 1, firstSample: from, count: 0, fromBlocks: false };
  const finest = Math.max(1, Math.ceil(span / maxBuckets));
  const fromBlocks = finest >= 3 * BLOCK_SECONDS;
  const step = fromBlocks ? BLOCK_SECONDS : 1;
  for (let bucketSize = Math.ceil(finest / step) * step; ; bucketSize += step) {
    const firstSample = Math.floor(from / bucketSize) * bucketSize;
    const count = Math.ceil(to / bucketSize) - firstSample / bucketSize;
    if (count <= maxBuckets) return { bucketSize, firstSample, count, fromBlocks };
  }
}

/** The same buckets counted in 10-second blocks, for minMaxPerBucket over block extremes. */
export function inBlocks(layout: BucketLayout): BucketLayout {
  return { ...layout, bucketSize: layout.bucketSize / BLOCK_SECONDS, firstSample: layout.firstSample / BLOCK_SECONDS };
}

/** Min and max of `samples` (which start at sample `offset`) per bucket; gaps are skipped, not zeros. */
export function minMaxPerBucket(samples: Float32Array, offset: number, layout: Pick<BucketLayout, 'bucketSize' | 'firstSample' | 'count'>): MinMaxBuckets {
  const { bucketSize, firstSample, count } = layout;
  const min = new Float32Array(count).fill(Number.NaN);
  const max = new Float32Array(count).fill(Number.NaN);
  for (let b = 0; b < count; b++) {
    const from = Math.max(0, firstSample + b * bucketSize - offset);
    const to = Math.min(samples.length, firstSample + (b + 1) * bucketSize - offset);
    let low = Infinity;
    let high = -Infinity;
    for (let i = from; i < to; i++) {
      const value = samples[i]!;
      if (value < low) low = value; // NaN compares false both ways: gaps fall through
      if (value > high) high = value;
    }
    if (low !== Infinity) {
      min[b] = low;
      max[b] = high;
    }
  }
  return { firstSample, bucketSize, min, max };
}

export interface Steps {
  /** Sample index where each step starts. */
  starts: number[];
  /** The value from there on; NaN for a gap. */
  values: number[];
}

/** A categorical series as steps: one entry per change of value (gaps included). */
export function changePoints(samples: Float32Array, offset: number): Steps {
  const starts: number[] = [];
  const values: number[] = [];
  let previous: number | undefined;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (previous === undefined || (value !== previous && !(value !== value && previous !== previous))) {
      starts.push(offset + i);
      values.push(value);
      previous = value;
    }
  }
  return { starts, values };
}

/** Steps at bucket resolution: the most frequent value of each bucket, merged when equal. */
export function modePerBucket(samples: Float32Array, offset: number, layout: Pick<BucketLayout, 'bucketSize' | 'firstSample' | 'count'>): Steps {
  const starts: number[] = [];
  const values: number[] = [];
  const tally = new Map<number, number>();
  for (let b = 0; b < layout.count; b++) {
    const bucketStart = layout.firstSample + b * layout.bucketSize;
    const from = Math.max(0, bucketStart - offset);
    const to = Math.min(samples.length, bucketStart + layout.bucketSize - offset);
    tally.clear();
    for (let i = from; i < to; i++) {
      const value = samples[i]!;
      if (value === value) tally.set(value, (tally.get(value) ?? 0) + 1);
    }
    let mode = Number.NaN;
    let best = 0;
    for (const [value, seconds] of tally) if (seconds > best) [mode, best] = [value, seconds];
    const last = values[values.length - 1];
    if (values.length === 0 || !(mode === last || (mode !== mode && last !== last))) {
      starts.push(Math.max(bucketStart, offset));
      values.push(mode);
    }
  }
  return { starts, values };
}
