// What the record page's charts draw: for a time window and a width in buckets, min/max per
// bucket of every numeric channel and sleep position as steps, read from the stored chunks the
// window overlaps only. Zooming in asks again with a narrower window and gets finer buckets.
import type { AppContext } from '../context.js';
import type { Viewer } from './access.js';
import type { ChartBand } from './chart-bands.js';
import { recordBands } from './record-bands.js';
import type { ChannelName } from './channels.js';
import { shortFloat32 } from './float32-decimal.js';
import { bucketLayout, changePoints, inBlocks, minMaxPerBucket, modePerBucket } from './downsample.js';
import { findVisibleRecord, recordChannels, sampleRange } from './records.js';
import { BLOCK_SECONDS, timestampToMs } from './series-codec.js';
import { readBlockExtremes, readSeries, type BlockExtremes } from './series.js';

export const MAX_BUCKETS = 10_000;

export interface ChartRequest {
  /** Epoch ms; the record's start when absent. */
  from?: number;
  /** Epoch ms, exclusive; the record's end when absent. */
  to?: number;
  /** Usually the chart's width in pixels; at most MAX_BUCKETS. */
  buckets: number;
}

export interface ChannelBuckets {
  name: ChannelName;
  datatype: number;
  /** Per bucket; null where the bucket holds only gaps (draw a break, not a zero). */
  min: (number | null)[];
  max: (number | null)[];
}

export interface ChartData {
  recordId: string;
  /** Epoch ms of the first bucket's start and of the last bucket's end (aligned, may exceed the window slightly). */
  from: number;
  to: number;
  bucketSeconds: number;
  /** Epoch ms of each bucket's start. */
  times: number[];
  channels: ChannelBuckets[];
  /** Sleep position as steps: each value holds from its time to the next (or to `to`); null is a gap. */
  sleepPosition: { times: number[]; values: (number | null)[] } | null;
  /** Flags and tagged events over the window, drawn behind every chart. */
  bands: ChartBand[];
}

/** Chart data for a record the viewer may see; null when the record does not exist or is not in their care (404). */
export async function chartDataFor(ctx: Pick<AppContext, 'db'>, viewer: Viewer, recordId: string, request: ChartRequest): Promise<ChartData | null> {
  // The channel list is asked for alongside the access check (one round trip less); it is only
  // used, and nothing returned, once the check has passed.
  const [visible, channels] = await Promise.all([findVisibleRecord(ctx.db, viewer, recordId), recordChannels(ctx.db, recordId)]);
  if (!visible) return null;
  const { record } = visible;
  const maxBuckets = Math.min(MAX_BUCKETS, Math.max(1, Math.floor(request.buckets) || 1));
  const range = sampleRange(record, request);
  const layout = bucketLayout(range.from, range.to, maxBuckets);
  const readFrom = layout.firstSample;
  const readTo = Math.min(record.sample_count, layout.firstSample + layout.count * layout.bucketSize);
  const numeric = channels.filter((c) => !c.categorical).map((c) => c.datatype);
  const stepped = channels.filter((c) => c.categorical).map((c) => c.datatype);
  // Steps need every sample (changes are few and exact); min/max can come from block extremes.
  const startMs = timestampToMs(record.start_timestamp);
  const timeOf = (sample: number) => Math.round(startMs + sample * 1000);
  const [samples, blocks, bands] = await Promise.all([
    readSeries(ctx.db, recordId, layout.fromBlocks ? stepped : [...numeric, ...stepped], readFrom, readTo),
    layout.fromBlocks
      ? readBlockExtremes(ctx.db, recordId, numeric, readFrom / BLOCK_SECONDS, Math.ceil(readTo / BLOCK_SECONDS))
      : Promise.resolve(new Map<number, BlockExtremes>()),
    recordBands(ctx, recordId, timeOf(layout.firstSample), timeOf(layout.firstSample + layout.count * layout.bucketSize)),
  ]);

  const times = Array.from({ length: layout.count }, (_, b) => timeOf(layout.firstSample + b * layout.bucketSize));
  const data: ChartData = {
    recordId,
    from: timeOf(layout.firstSample),
    to: timeOf(layout.firstSample + layout.count * layout.bucketSize),
    bucketSeconds: layout.bucketSize,
    times,
    channels: [],
    sleepPosition: null,
    bands,
  };
  for (const channel of channels) {
    if (channel.categorical) {
      const values = samples.get(channel.datatype)!;
      // Position changes are few (minutes apart); only a noisy file needs bucket resolution.
      let steps = changePoints(values, readFrom);
      if (steps.starts.length > maxBuckets) steps = modePerBucket(values, readFrom, layout);
      data.sleepPosition = { times: steps.starts.map(timeOf), values: steps.values.map(toJson) };
      continue;
    }
    const block = blocks.get(channel.datatype);
    const buckets = block
      ? { min: minMaxPerBucket(block.min, readFrom / BLOCK_SECONDS, inBlocks(layout)).min, max: minMaxPerBucket(block.max, readFrom / BLOCK_SECONDS, inBlocks(layout)).max }
      : minMaxPerBucket(samples.get(channel.datatype)!, readFrom, layout);
    data.channels.push({ name: channel.name, datatype: channel.datatype, min: Array.from(buckets.min, toJson), max: Array.from(buckets.max, toJson) });
  }
  return data;
}

/** A Float32 value as the short decimal it was imported as (72.3, not 72.30000305175781); null for a gap. */
function toJson(value: number): number | null {
  return value !== value ? null : shortFloat32(value);
}
