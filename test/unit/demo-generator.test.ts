import { describe, expect, it } from 'vitest';
import { ACTIVITY, BREATHING_RATE, CADENCE, HEART_RATE, MINUTE_VENTILATION, SLEEP_POSITION } from '../../src/health/channels.js';
import { DEMO_PATIENTS } from '../../src/health/demo/demo-data.js';
import { SeededRandom, deriveSeed } from '../../src/health/demo/random.js';
import { syntheticRecording } from '../../src/health/demo/synthetic-recording.js';
import { hexo, sameSeries } from '../support/health.js';

const START = hexo(Date.UTC(2026, 10, 20, 8));
const runner = DEMO_PATIENTS.find((p) => p.runner)!;

describe('synthetic recordings', () => {
  it('are the same for the same seed, and differ for another seed', () => {
    const a = syntheticRecording(42, runner, START, 8);
    const b = syntheticRecording(42, runner, START, 8);
    const c = syntheticRecording(43, runner, START, 8);
    for (const [datatype, samples] of a.channels) {
      expect(sameSeries(samples, b.channels.get(datatype)!)).toBe(true);
      expect(sameSeries(samples, c.channels.get(datatype)!)).toBe(false);
    }
  });

  it('the random source repeats its sequence for a seed and derived seeds are distinct', () => {
    const first = Array.from({ length: 5 }, ((r) => () => r.next())(new SeededRandom(7)));
    const again = Array.from({ length: 5 }, ((r) => () => r.next())(new SeededRandom(7)));
    expect(first).toEqual(again);
    expect(new Set([deriveSeed(1, 0, 0), deriveSeed(1, 0, 1), deriveSeed(1, 1, 0), deriveSeed(2, 0, 0)]).size).toBe(4);
  });

  it('cover 24 hours of the six channels with plausible values and a few gaps', () => {
    const recording = syntheticRecording(1, runner, START, 8);
    expect(recording.length).toBe(86_400);
    expect([...recording.channels.keys()].sort((a, b) => a - b)).toEqual([HEART_RATE, BREATHING_RATE, MINUTE_VENTILATION, ACTIVITY, CADENCE, SLEEP_POSITION]);
    const heartRate = recording.channels.get(HEART_RATE)!;
    const values = Array.from(heartRate).filter((v) => !Number.isNaN(v));
    expect(Math.min(...values)).toBeGreaterThan(38);
    expect(Math.max(...values)).toBeLessThan(200);
    // The shirt comes off a few times: every channel is missing at once.
    const allMissing = Array.from({ length: recording.length }, (_, t) => [...recording.channels.values()].every((s) => Number.isNaN(s[t]!)));
    expect(allMissing.filter(Boolean).length).toBeGreaterThan(2 * 3 * 60);
  });

  it('sleep at night lying down with position changes; standing by day', () => {
    const recording = syntheticRecording(1, runner, START, 8); // starts at 8:00, bedtime 22:45, wakes 6:15
    const positions = recording.channels.get(SLEEP_POSITION)!;
    const at = (hour: number) => Math.round(((hour - 8 + 24) % 24) * 3600);
    const night = Array.from(positions.subarray(at(23.5), at(5.5))).filter((v) => !Number.isNaN(v));
    expect(new Set(night).size).toBeGreaterThanOrEqual(2);
    expect(night.every((code) => code >= 1 && code <= 4)).toBe(true);
    expect(positions[at(12)]).toBe(5);
    const heartRate = recording.channels.get(HEART_RATE)!;
    const mean = (from: number, to: number) => {
      const values = Array.from(heartRate.subarray(from, to)).filter((v) => !Number.isNaN(v));
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(mean(at(2), at(4))).toBeLessThan(mean(at(15), at(17)) - 5);
  });

  it('walks and runs raise cadence, activity and heart rate together', () => {
    const recording = syntheticRecording(1, runner, START, 8);
    const cadence = recording.channels.get(CADENCE)!;
    const activity = recording.channels.get(ACTIVITY)!;
    const heartRate = recording.channels.get(HEART_RATE)!;
    const running = Array.from({ length: recording.length }, (_, t) => t).filter((t) => cadence[t]! > 140);
    const resting = Array.from({ length: recording.length }, (_, t) => t).filter((t) => cadence[t] === 0);
    expect(running.length).toBeGreaterThan(15 * 60);
    const mean = (series: Float32Array, seconds: number[]) => seconds.reduce((sum, t) => sum + series[t]!, 0) / seconds.length;
    expect(mean(activity, running)).toBeGreaterThan(mean(activity, resting) * 5);
    expect(mean(heartRate, running.filter((t) => !Number.isNaN(heartRate[t]!)))).toBeGreaterThan(mean(heartRate, resting.filter((t) => !Number.isNaN(heartRate[t]!))) + 40);
  });
});
