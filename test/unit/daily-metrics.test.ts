// The daily metrics of DESIGN.md §5 on synthetic days, and the 14-day baseline.
import { describe, expect, it } from 'vitest';
import { clinicInstant } from '../../src/health/clinic-days.js';
import { baselineOn, baselinesOf, dayMetrics, positionChanges, type MetricId } from '../../src/health/rules/daily-metrics.js';
import { emptyChannels, timelineOf } from '../../src/health/rules/timeline.js';

const ZONE = 'Europe/Paris';
const DAY = '2026-11-20';

/** From 21:00 the evening before the day to 01:00 after it (28 h), quiet and standing. */
function around() {
  const start = clinicInstant(ZONE, '2026-11-19', 21);
  const channels = emptyChannels(28 * 3600);
  channels.heartRate.fill(70);
  channels.breathingRate.fill(15);
  channels.activity.fill(0.02);
  channels.cadence.fill(0);
  channels.position.fill(5);
  /** Index of hh:mm on the day (negative hours: the evening before). */
  const at = (hour: number, minute = 0) => (hour + 3) * 3600 + minute * 60;
  return { start, channels, at };
}

function metrics(data: ReturnType<typeof around>): Partial<Record<MetricId, number>> {
  return Object.fromEntries(dayMetrics(timelineOf(data.start, data.channels), ZONE, DAY).map((m) => [m.metric, m.value]));
}

describe('daily metrics', () => {
  it('wear time counts the seconds of the day with a heart-rate value, midnight to midnight clinic time', () => {
    const data = around();
    data.channels.heartRate.fill(Number.NaN, data.at(10), data.at(12));
    data.channels.heartRate.fill(Number.NaN, data.at(-3), data.at(0)); // the evening before does not count
    expect(metrics(data).wear_time).toBe(22 * 3600);
  });

  it('resting HR is the lowest 5-minute mean over windows at rest with 90 % of seconds present', () => {
    const data = around();
    data.channels.heartRate.fill(55, data.at(14), data.at(14, 5)); // 5 min at 55 at rest
    data.channels.heartRate.fill(50, data.at(16), data.at(16, 5));
    data.channels.activity.fill(0.3, data.at(16) - 60, data.at(16, 5) + 60); // ... but not at rest
    // At 18:00, 5 min at 45 with no values around it: 269 of 300 seconds present is not enough.
    data.channels.heartRate.fill(Number.NaN, data.at(17, 55), data.at(18, 10));
    data.channels.heartRate.fill(45, data.at(18), data.at(18, 5));
    for (let k = 0; k < 31; k++) data.channels.heartRate[data.at(18) + k * 9] = Number.NaN;
    expect(metrics(data).resting_hr).toBe(55);
    data.channels.heartRate[data.at(18)] = 45; // 270 of 300: enough
    expect(metrics(data).resting_hr).toBe(45);
  });

  it('sleep time, night breathing rate and position changes count the night that ends that morning', () => {
    const data = around();
    // Lying from 23:00 to 06:30, at rest; breathing 12 lying, 20 standing.
    data.channels.position.fill(2, data.at(-1), data.at(6, 30));
    data.channels.breathingRate.fill(12, data.at(-1), data.at(6, 30));
    data.channels.position.fill(4, data.at(1), data.at(2)); // left side for an hour
    data.channels.position.fill(3, data.at(3), data.at(3) + 59); // right side, 59 s: not held
    data.channels.position.fill(5, data.at(4), data.at(4, 10)); // up for 10 min, then back again
    data.channels.position.fill(2, data.at(22), data.at(23)); // the evening of the day: the next night
    const m = metrics(data);
    expect(m.sleep_time).toBe(7.5 * 3600 - 600);
    expect(m.night_breathing_rate).toBe(12);
    // back → left → back (the right side is too short; getting up between two backs is no change)
    expect(m.position_changes).toBe(2);
  });

  it('active minutes are the minutes whose mean activity reaches 0.1 g', () => {
    const data = around();
    data.channels.activity.fill(0.1, data.at(9), data.at(9, 30));
    data.channels.activity.fill(0.099, data.at(10), data.at(10, 30));
    data.channels.activity.fill(Number.NaN, data.at(11), data.at(11, 30));
    expect(metrics(data).active_minutes).toBe(30);
  });

  it('a day without any data has no metrics; a night without position has no night metrics', () => {
    const data = around();
    for (const series of Object.values(data.channels)) series.fill(Number.NaN);
    expect(metrics(data)).toEqual({});
    const day = around();
    day.channels.position.fill(Number.NaN);
    expect(Object.keys(metrics(day)).sort()).toEqual(['active_minutes', 'resting_hr', 'wear_time']);
  });

  it('position changes ignore positions held under 60 s and gaps inside a held position', () => {
    const p = new Float32Array([...new Array(60).fill(2), ...new Array(5).fill(Number.NaN), ...new Array(60).fill(2), ...new Array(70).fill(1)]);
    expect(positionChanges(p, { from: 0, to: p.length })).toBe(1);
  });
});

describe('baseline', () => {
  it('is the median and interquartile range of the 14 days before with data; none under 7 days', () => {
    const values = new Map<string, number>();
    for (let d = 1; d <= 6; d++) values.set(`2026-11-${String(d).padStart(2, '0')}`, 60 + d);
    expect(baselineOn(values, '2026-11-15')).toBeNull();
    values.set('2026-11-10', 70);
    values.set('2026-11-15', 99); // the day itself is not in its baseline
    expect(baselineOn(values, '2026-11-15')).toEqual({ median: 64, q1: 62.5, q3: 65.5, days: 7 });
    values.set('2026-10-31', 10); // 15 days before: outside
    expect(baselineOn(values, '2026-11-15')!.median).toBe(64);
  });
});

describe('baselines of many days', () => {
  it('are the baselines of each day, computed at once', () => {
    const values = new Map<string, number>();
    for (let d = 1; d <= 40; d++) if (d % 5 !== 0) values.set(`2026-10-${String(Math.min(d, 31)).padStart(2, '0')}`, 50 + ((d * 7) % 13));
    for (let d = 1; d <= 20; d++) if (d % 3 !== 0) values.set(`2026-11-${String(d).padStart(2, '0')}`, 60 + ((d * 5) % 11));
    const days = [...values.keys()].sort();
    const many = baselinesOf(values, days);
    for (const day of days) expect(many.get(day), day).toEqual(baselineOn(values, day));
  });
});
