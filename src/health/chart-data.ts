// What the record page's charts draw: for a time window and a width in buckets, min/max per
// bucket of every numeric channel and sleep position as steps, read from the stored chunks the
// window overlaps only. Zooming in asks again with a narrower window and gets finer buckets.
import type { AppContext } from '../context.js';
import type { Viewer } from './access.js';
import { recordBands } from './record-bands.js';
import type { ChannelName } from './channels.js';
import { nightBands, type ChartBand } from './chart-bands.js';
import { inDisplayOrder } from './channel-display.js';
import { shortFloat32 } from './float32-decimal.js';
import { bucketLayout, changePoints, inBlocks, minMaxPerBucket, modePerBucket } from './downsample.js';
import { findVisibleRecord, recordChannels, sampleRange } from './records.js';
import { BLOCK_SECONDS, timestampToMs } from './series-codec.js';
import { readBlockExtremes, readSeries, type BlockExtremes } from './series.js';
import { windowSummary, type WindowSummary } from './window-summary.js';

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
  /** Nights, flags and tagged events overlapping the window, drawn behind every chart. */
  bands: ChartBand[];
  /** Stretches of buckets in which no channel has a value: drawn as breaks, and named. */
  gaps: { from: number; to: number }[];
  /** Min/avg/max, zones, positions and coverage of the window, computed here rather than in the browser. */
  summary: WindowSummary;
}

/** Chart data for a record the viewer may see; null when the record does not exist or is not in their care (404). */
export async function chartDataFor(ctx: Pick<AppContext, 'db' | 'config'>, viewer: Viewer, recordId: string, request: ChartRequest): Promise<ChartData | null> {
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
  const inOrder = inDisplayOrder(channels);
  const numeric = inOrder.filter((c) => !c.categorical).map((c) => c.datatype);
  const stepped = inOrder.filter((c) => c.categorical).map((c) => c.datatype);
  // Steps need every sample (changes are few and exact); min/max can come from block extremes.
  const startMs = timestampToMs(record.start_timestamp);
  const timeOf = (sample: number) => Math.round(startMs + sample * 1000);
  const [samples, blocks, summary, flagsAndTags] = await Promise.all([
    readSeries(ctx.db, recordId, layout.fromBlocks ? stepped : [...numeric, ...stepped], readFrom, readTo),
    layout.fromBlocks
      ? readBlockExtremes(ctx.db, recordId, numeric, readFrom / BLOCK_SECONDS, Math.ceil(readTo / BLOCK_SECONDS))
      : Promise.resolve(new Map<number, BlockExtremes>()),
    windowSummary(ctx.db, record, inOrder, range.from, range.to, startMs),
    recordBands(ctx, record, timeOf(layout.firstSample), timeOf(layout.firstSample + layout.count * layout.bucketSize)),
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
    bands: [...nightBands(ctx.config.timeZone, startMs + range.from * 1000, startMs + range.to * 1000), ...flagsAndTags],
    gaps: [],
    summary,
  };
  for (const channel of inOrder) {
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
  // Gaps at the finest resolution read: seconds when zoomed in, 10-second blocks otherwise (so a
  // gap is named alike whatever the chart's width).
  const unit = layout.fromBlocks ? BLOCK_SECONDS : 1;
  const perUnit = numeric.map((datatype) => (layout.fromBlocks ? blocks.get(datatype)?.min : samples.get(datatype)) ?? new Float32Array(0));
  data.gaps = gapsIn(perUnit, unit, (index) => startMs + (readFrom + index * unit) * 1000, data.summary);
  return data;
}

/** Runs of units (seconds or blocks) in which no channel has a value, clipped to the window. */
function gapsIn(channels: Float32Array[], unitSeconds: number, timeOf: (index: number) => number, window: { from: number; to: number }): { from: number; to: number }[] {
  const gaps: { from: number; to: number }[] = [];
  const length = Math.max(0, ...channels.map((c) => c.length));
  if (channels.length === 0) return gaps;
  let start = -1;
  for (let i = 0; i <= length; i++) {
    // NaN !== NaN: a unit is empty when no channel has a number there.
    const empty = i < length && channels.every((c) => !(c[i]! === c[i]!));
    if (empty && start < 0) start = i;
    if (!empty && start >= 0) {
      const from = Math.max(window.from, timeOf(start));
      const to = Math.min(window.to, timeOf(i));
      if (to > from) gaps.push({ from, to });
      start = -1;
    }
  }
  return gaps;
}


/** A Float32 value as the short decimal it was imported as (72.3, not 72.30000305175781); null for a gap. */
function toJson(value: number): number | null {
  return value !== value ? null : shortFloat32(value);
}
