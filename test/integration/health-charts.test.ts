// Chart data read back from the database: every bucket's min and max are the raw min and max of
// the seconds it covers, whether they come from the samples or from the stored block extremes.
import { expect, it } from 'vitest';
import type { Viewer } from '../../src/health/access.js';
import { DAY, MINUTE } from '../../src/clock.js';
import { chartDataFor, type ChartData } from '../../src/health/chart-data.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { DEMO_PATIENTS } from '../../src/health/demo/demo-data.js';
import { syntheticRecording } from '../../src/health/demo/synthetic-recording.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import type { Recording } from '../../src/health/series-codec.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { hexo, streamOf } from '../support/health.js';
import { TEST_START } from '../support/test-app.js';

const admin: Viewer = { id: 'not-a-user', role: 'admin' };
const START = TEST_START - 2 * DAY;

function expectBucketsMatchRaw(chart: ChartData, original: Recording): void {
  for (const channel of chart.channels) {
    const samples = original.channels.get(channel.datatype)!;
    chart.times.forEach((time, b) => {
      const from = (time - START) / 1000;
      const values = Array.from(samples.subarray(from, from + chart.bucketSeconds)).filter((v) => !Number.isNaN(v));
      // The JSON holds short decimals: as Float32 they are the stored values exactly.
      const asStored = (value: number | null | undefined) => (value == null ? null : Math.fround(value));
      expect(asStored(channel.min[b])).toBe(values.length ? Math.min(...values) : null);
      expect(asStored(channel.max[b])).toBe(values.length ? Math.max(...values) : null);
    });
  }
}

/** The position at each second, rebuilt from the steps. */
function positionsFromSteps(chart: ChartData, length: number): number[] {
  const positions: number[] = [];
  const { times, values } = chart.sleepPosition!;
  for (let s = 0; s < times.length; s++) {
    const end = s + 1 < times.length ? times[s + 1]! : Math.min(chart.to, START + length * 1000);
    for (let time = times[s]!; time < end; time += 1000) positions.push(values[s] ?? Number.NaN);
  }
  return positions;
}

describeOnEachDatabase('chart data', (database) => {
  const t = freshAppPerTest(database);

  async function demoRecord() {
    const patient = await createPatient(t().ctx, { name: 'Chart Patient', dateOfBirth: '1980-01-01', sex: 'other' });
    const recording = syntheticRecording(99, DEMO_PATIENTS[2]!, hexo(START), 8);
    const { record } = await importCsv(t().ctx, patient.id, streamOf(recordingToCsv(recording)));
    return { record, recording };
  }

  it('a whole day at 1,000 buckets: min/max per bucket equal the raw min/max, gaps are null', async () => {
    const { record, recording } = await demoRecord();
    const chart = (await chartDataFor(t().ctx, admin, record.id, { buckets: 1000 }))!;
    expect(chart.bucketSeconds).toBe(90);
    expect(chart.times.length).toBe(960);
    expect([chart.from, chart.to]).toEqual([START, START + DAY]);
    expect(chart.channels.map((c) => c.name)).toEqual(['heart_rate', 'breathing_rate', 'minute_ventilation', 'activity', 'cadence']);
    expectBucketsMatchRaw(chart, recording);
    expect(chart.channels.every((c) => c.min.includes(null))).toBe(true); // the shirt was off a while
    // Gaps are named at 10-second resolution whatever the bucket width: every second inside one is
    // empty on every channel, and every 10-second block empty on every channel is inside one.
    const numeric = chart.channels.map((c) => recording.channels.get(c.datatype)!);
    const emptyAt = (second: number) => numeric.every((samples) => Number.isNaN(samples[second]!));
    expect(chart.gaps.length).toBeGreaterThan(0);
    const inGap = new Set<number>();
    for (const gap of chart.gaps) {
      expect((gap.from - START) % 10_000).toBe(0);
      for (let second = (gap.from - START) / 1000; second < (gap.to - START) / 1000; second++) {
        expect(emptyAt(second), `second ${second}`).toBe(true);
        inGap.add(second);
      }
    }
    for (let block = 0; block < recording.length / 10; block++) {
      const seconds = Array.from({ length: 10 }, (_, i) => block * 10 + i);
      if (seconds.every(emptyAt)) expect(seconds.every((second) => inGap.has(second)), `block ${block}`).toBe(true);
    }
  });

  it('a 10-minute zoom gets one-second buckets from the samples themselves', async () => {
    const { record, recording } = await demoRecord();
    const from = START + 14 * 3_600_000 + 500;
    const chart = (await chartDataFor(t().ctx, admin, record.id, { from, to: from + 10 * MINUTE, buckets: 1000 }))!;
    expect(chart.bucketSeconds).toBe(1);
    expect(chart.times[0]).toBe(START + 14 * 3_600_000 + 1000);
    expect(chart.times.length).toBe(600);
    expectBucketsMatchRaw(chart, recording);
  });

  it('windows of other widths, across chunk boundaries, still match the raw data', async () => {
    const { record, recording } = await demoRecord();
    for (const [fromHour, hours, buckets] of [[0.9, 2.3, 500], [5, 7, 300], [23.5, 2, 50]] as const) {
      const from = START + fromHour * 3_600_000;
      const chart = (await chartDataFor(t().ctx, admin, record.id, { from, to: from + hours * 3_600_000, buckets }))!;
      expect(chart.times.length).toBeLessThanOrEqual(buckets);
      expectBucketsMatchRaw(chart, recording);
    }
  });

  it('sleep position comes as steps that rebuild every second of the night exactly', async () => {
    const { record, recording } = await demoRecord();
    const chart = (await chartDataFor(t().ctx, admin, record.id, { buckets: 1000 }))!;
    expect(chart.sleepPosition!.times.length).toBeGreaterThan(3);
    expect(positionsFromSteps(chart, recording.length)).toEqual(Array.from(recording.channels.get(270)!));
  });

  it('a window outside the record has no buckets', async () => {
    const { record } = await demoRecord();
    const chart = (await chartDataFor(t().ctx, admin, record.id, { from: START - DAY, to: START - 1, buckets: 100 }))!;
    expect(chart.times).toEqual([]);
  });

  it('bounds that are not numbers mean the whole record, and the bucket count is at least one', async () => {
    const { record, recording } = await demoRecord();
    const chart = (await chartDataFor(t().ctx, admin, record.id, { from: Number.NaN, to: Number.POSITIVE_INFINITY, buckets: Number.NaN }))!;
    expect([chart.times.length, chart.bucketSeconds, chart.from, chart.to]).toEqual([1, 86_400, START, START + DAY]);
    expectBucketsMatchRaw(chart, recording);
  });
});
