import { describe, expect, it } from 'vitest';
import { ageInYears, categoryTimes, heartRateZoneOf, heartRateZones, predictedMaxHeartRate, summarize } from '../../src/health/summaries.js';
import { recordingOf } from '../support/health.js';

describe('summary metrics', () => {
  it('average, minimum and maximum skip gaps instead of counting them as zeros', () => {
    const summary = summarize(19, Float32Array.from([60, Number.NaN, 80, 70, Number.NaN]));
    expect(summary).toEqual({ datatype: 19, sampleCount: 3, average: 70, minimum: 60, maximum: 80 });
  });

  it('a channel of gaps only has no average, minimum or maximum', () => {
    expect(summarize(33, Float32Array.from([Number.NaN, Number.NaN]))).toEqual({ datatype: 33, sampleCount: 0, average: null, minimum: null, maximum: null });
  });

  it('sleep position codes are not averaged', () => {
    expect(summarize(270, Float32Array.from([1, 2, 4])).average).toBeNull();
  });
});

describe('heart-rate zones', () => {
  it('uses the age on the day of the record, birthdays included', () => {
    expect(ageInYears('1980-06-15', Date.UTC(2026, 5, 14))).toBe(45);
    expect(ageInYears('1980-06-15', Date.UTC(2026, 5, 15))).toBe(46);
    expect(predictedMaxHeartRate('1980-06-15', Date.UTC(2026, 5, 15))).toBe(174);
  });

  it('starts zones 1–5 at 50, 60, 70, 80 and 90 % of the maximum; a value on a bound is in the upper zone', () => {
    expect(heartRateZones(200).map((z) => [z.zone, z.lowerBpm, z.upperBpm])).toEqual([
      [0, 0, 100], [1, 100, 120], [2, 120, 140], [3, 140, 160], [4, 160, 180], [5, 180, null],
    ]);
    expect([99, 100, 119.9, 120, 140, 179, 180, 230].map((bpm) => heartRateZoneOf(bpm, 200))).toEqual([0, 1, 1, 2, 3, 4, 5, 5]);
    for (const max of [174, 181, 197]) {
      for (const zone of heartRateZones(max)) expect(heartRateZoneOf(zone.lowerBpm, max)).toBe(zone.zone);
    }
  });

  it('counts the seconds spent in each zone and in each sleep position', () => {
    const heartRates = [90, 105, 130, 130, Number.NaN, 185];
    const positions = [2, 2, 4, 5, Number.NaN, 1];
    const recording = recordingOf(0, 6, (datatype, i) => (datatype === 19 ? heartRates[i]! : positions[i]!), [19, 270]);
    const times = categoryTimes(recording, 200);
    expect(times.filter((t) => t.datatype === 19).map((t) => t.seconds)).toEqual([1, 1, 2, 0, 0, 1]);
    expect(times.filter((t) => t.datatype === 270).map((t) => [t.category, t.seconds])).toEqual([[1, 1], [2, 2], [3, 0], [4, 1], [5, 1]]);
  });

  it('without a maximum heart rate there are no zone times', () => {
    const recording = recordingOf(0, 3, () => 70, [19]);
    expect(categoryTimes(recording, null)).toEqual([]);
  });
});
