// The summary beside the charts, for the window they show: min/avg/max per channel, time in each
// heart-rate zone and sleep position, and coverage. For the whole record it is read from what the
// import stored; for a narrower window it is computed from that window's samples.
import type { Kysely } from 'kysely';
import type { Database, HealthRecord } from '../db/schema.js';
import { HEART_RATE, SLEEP_POSITION, SLEEP_POSITIONS, type Channel } from './channels.js';
import { inDisplayOrder } from './channel-display.js';
import { readSeries } from './series.js';
import { categoryTimes, heartRateZones, readMetrics, summarize, type CategoryTime, type ChannelSummary } from './summaries.js';

export interface ZoneTime { zone: number; lowerBpm: number; upperBpm: number | null; seconds: number }
export interface PositionTime { code: number; label: string; seconds: number }

export interface WindowSummary {
  /** Epoch ms of the window, clipped to the record. */
  from: number;
  to: number;
  /** Per channel, in display order (sleep position has no average). */
  channels: ChannelSummary[];
  /** Seconds of the window with a heart-rate value (with any value when there is no heart rate). */
  coveredSeconds: number;
  windowSeconds: number;
  heartRateMaxBpm: number | null;
  zones: ZoneTime[];
  positions: PositionTime[];
}

/** Summary of samples [fromSample, toSample) of a record. */
export async function windowSummary(db: Kysely<Database>, record: HealthRecord, channels: readonly Channel[],
  fromSample: number, toSample: number, startMs: number): Promise<WindowSummary> {
  let summaries: ChannelSummary[];
  let times: CategoryTime[];
  if (fromSample === 0 && toSample >= record.sample_count) {
    ({ summaries, categoryTimes: times } = await readMetrics(db, record.id));
  } else {
    const datatypes = channels.map((c) => c.datatype);
    const samples = await readSeries(db, record.id, datatypes, fromSample, toSample);
    summaries = datatypes.map((datatype) => summarize(datatype, samples.get(datatype)!));
    times = categoryTimes({ startTimestamp: 0, length: toSample - fromSample, channels: samples }, record.heart_rate_max_bpm);
  }
  return assemble(record, summaries, times, toSample - fromSample, startMs + fromSample * 1000, startMs + toSample * 1000);
}

function assemble(record: HealthRecord, summaries: ChannelSummary[], times: CategoryTime[], windowSeconds: number, from: number, to: number): WindowSummary {
  const heartRate = summaries.find((s) => s.datatype === HEART_RATE);
  const coveredSeconds = heartRate ? heartRate.sampleCount : Math.max(0, ...summaries.map((s) => s.sampleCount));
  const zoneSeconds = times.filter((t) => t.datatype === HEART_RATE);
  const positionSeconds = times.filter((t) => t.datatype === SLEEP_POSITION);
  const max = record.heart_rate_max_bpm;
  return {
    from, to, windowSeconds, coveredSeconds,
    channels: inDisplayOrder(summaries),
    heartRateMaxBpm: max,
    zones: max && zoneSeconds.length > 0
      ? heartRateZones(max).map((z) => ({ ...z, seconds: zoneSeconds.find((t) => t.category === z.zone)?.seconds ?? 0 }))
      : [],
    positions: positionSeconds.length > 0
      ? SLEEP_POSITIONS.map((p) => ({ code: p.code, label: p.label, seconds: positionSeconds.find((t) => t.category === p.code)?.seconds ?? 0 }))
      : [],
  };
}

/** Adds up window summaries (of several records, or several windows): for a report's period. */
export function combineSummaries(parts: readonly WindowSummary[], from: number, to: number): WindowSummary {
  const channels = new Map<number, { count: number; sum: number; min: number; max: number; averaged: boolean }>();
  for (const part of parts) {
    for (const s of part.channels) {
      const total = channels.get(s.datatype) ?? { count: 0, sum: 0, min: Infinity, max: -Infinity, averaged: s.average !== null };
      if (s.sampleCount > 0) {
        total.count += s.sampleCount;
        total.sum += (s.average ?? 0) * s.sampleCount;
        total.min = Math.min(total.min, s.minimum!);
        total.max = Math.max(total.max, s.maximum!);
        total.averaged ||= s.average !== null;
      }
      channels.set(s.datatype, total);
    }
  }
  const sumBy = <T>(items: T[][], key: (item: T) => number, seconds: (item: T) => number) => {
    const totals = new Map<number, number>();
    for (const list of items) for (const item of list) totals.set(key(item), (totals.get(key(item)) ?? 0) + seconds(item));
    return totals;
  };
  const zoneTotals = sumBy(parts.map((p) => p.zones), (z) => z.zone, (z) => z.seconds);
  const positionTotals = sumBy(parts.map((p) => p.positions), (p) => p.code, (p) => p.seconds);
  // Zones are relative to each record's age-predicted maximum: the latest one names the bounds.
  const withZones = [...parts].reverse().find((p) => p.zones.length > 0);
  return {
    from, to,
    windowSeconds: Math.round((to - from) / 1000),
    coveredSeconds: parts.reduce((sum, p) => sum + p.coveredSeconds, 0),
    channels: inDisplayOrder([...channels].map(([datatype, t]) => ({
      datatype, sampleCount: t.count,
      average: t.count > 0 && t.averaged ? t.sum / t.count : null,
      minimum: t.count > 0 ? t.min : null,
      maximum: t.count > 0 ? t.max : null,
    }))),
    heartRateMaxBpm: withZones?.heartRateMaxBpm ?? null,
    zones: withZones ? withZones.zones.map((z) => ({ ...z, seconds: zoneTotals.get(z.zone) ?? 0 })) : [],
    positions: positionTotals.size > 0
      ? SLEEP_POSITIONS.map((p) => ({ code: p.code, label: p.label, seconds: positionTotals.get(p.code) ?? 0 }))
      : [],
  };
}
