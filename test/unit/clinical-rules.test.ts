// The clinical rules of DESIGN.md §5 on synthetic series, at their edges: 4 min 59 s against
// 5 min, a gap inside a run, a run across midnight, activity just above the rest threshold.
import { describe, expect, it } from 'vitest';
import { clinicInstant, daysTouchedBy, nightSpan } from '../../src/health/clinic-days.js';
import { defaultSettings, RULES, type RunRule } from '../../src/health/rules/definitions.js';
import { evaluateRecency, evaluateRestingRise, evaluateRunRules, evaluateWear } from '../../src/health/rules/evaluate.js';
import { emptyChannels, timelineOf, type TimelineChannels } from '../../src/health/rules/timeline.js';
import { findRuns, GAP, MATCH, MISS } from '../../src/health/rules/terms.js';

const ZONE = 'America/Montreal';
const settings = defaultSettings();
const rule = (id: string) => RULES.find((r) => r.id === id) as RunRule;

/** A day of quiet data (at rest, standing, HR 70, BR 14) from 00:00 clinic time on 2026-11-20. */
function quietDay(hours = 24): { start: number; channels: TimelineChannels } {
  const start = clinicInstant(ZONE, '2026-11-20');
  const channels = emptyChannels(hours * 3600);
  channels.heartRate.fill(70);
  channels.breathingRate.fill(14);
  channels.activity.fill(0.01);
  channels.cadence.fill(0);
  channels.position.fill(5);
  return { start, channels };
}

const everything = (start: number, length: number) => ({ from: start, to: start + length * 1000 });

function flagsOf(id: string, data: { start: number; channels: TimelineChannels }) {
  const timeline = timelineOf(data.start, data.channels);
  return evaluateRunRules(timeline, ZONE, settings, everything(data.start, timeline.length), [rule(id)]);
}

describe('runs', () => {
  it('end at a value that misses the condition, survive gaps of up to 10 s, and end before a longer gap', () => {
    const states = new Uint8Array([MATCH, MATCH, GAP, GAP, MATCH, MISS, MATCH, ...new Array(11).fill(GAP), MATCH]);
    expect(findRuns(states, 1)).toEqual([{ first: 0, last: 4 }, { first: 6, last: 6 }, { first: 18, last: 18 }]);
    const tenSecondGap = new Uint8Array([MATCH, ...new Array(10).fill(GAP), MATCH]);
    expect(findRuns(tenSecondGap, 1)).toEqual([{ first: 0, last: 11 }]);
  });
});

describe('tachycardia at rest', () => {
  it('trips at 5 min of HR ≥ 120 at rest, not at 4 min 59 s', () => {
    for (const [seconds, expected] of [[299, 0], [300, 1]] as const) {
      const data = quietDay(2);
      data.channels.heartRate.fill(130, 1800, 1800 + seconds);
      expect(flagsOf('tachycardia_at_rest', data), `${seconds} s`).toHaveLength(expected);
    }
  });

  it('says what tripped it, in words, with start and end', () => {
    const data = quietDay(2);
    for (let i = 0; i < 432; i++) data.channels.heartRate[1800 + i] = i === 100 ? 142 : 138;
    const [flag] = flagsOf('tachycardia_at_rest', data);
    expect(flag!.valueText).toBe('HR 138 bpm (max 142) for 7 min 12 s at rest, activity 0.01 g');
    expect(flag!.startedAt).toBe(data.start + 1800_000);
    expect(flag!.endedAt).toBe(data.start + (1800 + 432) * 1000);
    expect(flag!.severity).toBe('high');
  });

  it('a gap of 10 s inside the run keeps it whole; a gap of 11 s splits it', () => {
    for (const [gap, expected] of [[10, 1], [11, 0]] as const) {
      const data = quietDay(2);
      data.channels.heartRate.fill(130, 1800, 1800 + 300);
      data.channels.heartRate.fill(Number.NaN, 1950, 1950 + gap);
      expect(flagsOf('tachycardia_at_rest', data), `gap ${gap} s`).toHaveLength(expected);
    }
  });

  it('activity just above the rest threshold is not at rest', () => {
    const data = quietDay(2);
    data.channels.heartRate.fill(130, 1800, 2400);
    data.channels.activity.fill(0.051, 1700, 2500);
    expect(flagsOf('tachycardia_at_rest', data)).toHaveLength(0);
    data.channels.activity.fill(0.049, 1700, 2500);
    expect(flagsOf('tachycardia_at_rest', data)).toHaveLength(1);
  });

  it('steps in the minute mean not at rest, whatever the activity', () => {
    const data = quietDay(2);
    data.channels.heartRate.fill(130, 1800, 2400);
    for (let i = 1800; i < 2400; i += 50) data.channels.cadence[i] = 90;
    expect(flagsOf('tachycardia_at_rest', data)).toHaveLength(0);
  });

  it('a run across midnight is one run', () => {
    const start = clinicInstant(ZONE, '2026-11-20', 23);
    const data = { start, channels: emptyChannels(7200) };
    Object.assign(data.channels, quietDay(2).channels);
    data.channels.heartRate.fill(125, 3600 - 180, 3600 + 180); // 23:57–00:03
    const flags = flagsOf('tachycardia_at_rest', data);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.valueText).toContain('for 6 min');
  });

  it('follows the patient setting: a threshold of 110', () => {
    const data = quietDay(2);
    data.channels.heartRate.fill(115, 1800, 2400);
    const timeline = timelineOf(data.start, data.channels);
    const own = { ...settings, tachycardia_at_rest: { threshold: 110, durationSeconds: 300 } };
    expect(evaluateRunRules(timeline, ZONE, own, everything(data.start, timeline.length), [rule('tachycardia_at_rest')])).toHaveLength(1);
    expect(evaluateRunRules(timeline, ZONE, settings, everything(data.start, timeline.length), [rule('tachycardia_at_rest')])).toHaveLength(0);
  });

  it('counts a run once, in the window its first second falls in', () => {
    const data = quietDay(2);
    data.channels.heartRate.fill(130, 3500, 3900);
    const timeline = timelineOf(data.start, data.channels);
    const first = evaluateRunRules(timeline, ZONE, settings, { from: data.start, to: data.start + 3600_000 }, [rule('tachycardia_at_rest')]);
    const second = evaluateRunRules(timeline, ZONE, settings, { from: data.start + 3600_000, to: data.start + 7200_000 }, [rule('tachycardia_at_rest')]);
    expect(first.map((f) => f.endedAt)).toEqual([data.start + 3900_000]);
    expect(second).toEqual([]);
  });
});

describe('bradycardia', () => {
  it('trips at 60 s of HR < 40, at rest or not; 59 s and HR 40 do not', () => {
    const at = (seconds: number, bpm: number, activity: number) => {
      const data = quietDay(1);
      data.channels.heartRate.fill(bpm, 600, 600 + seconds);
      data.channels.activity.fill(activity);
      return flagsOf('bradycardia', data).length;
    };
    expect(at(60, 39, 0.3)).toBe(1);
    expect(at(59, 39, 0.01)).toBe(0);
    expect(at(120, 40, 0.01)).toBe(0);
  });
});

describe('fast breathing at rest', () => {
  it('trips at 10 min of BR > 25 at rest; exactly 25 does not', () => {
    const data = quietDay(2);
    data.channels.breathingRate.fill(26.5, 1000, 1600);
    expect(flagsOf('tachypnea_at_rest', data).map((f) => f.valueText)).toEqual(['BR 26.5 rpm (max 26.5) for 10 min at rest, activity 0.01 g']);
    data.channels.breathingRate.fill(25, 1000, 1600);
    expect(flagsOf('tachypnea_at_rest', data)).toHaveLength(0);
  });
});

describe('slow breathing at night', () => {
  it('trips at 2 min of BR < 8 lying at night; not standing, and not at 21:58 before the night', () => {
    const start = clinicInstant(ZONE, '2026-11-20', 21);
    const data = { start, channels: quietDay(4).channels };
    data.channels.position.fill(2); // on the back
    data.channels.breathingRate.fill(6, 2 * 3600, 2 * 3600 + 120); // 23:00
    expect(flagsOf('bradypnea_at_night', data).map((f) => f.valueText)).toEqual(['BR 6.0 rpm (min 6.0) for 2 min at night, lying']);
    data.channels.position.fill(5, 2 * 3600, 2 * 3600 + 60);
    expect(flagsOf('bradypnea_at_night', data)).toHaveLength(0);

    const early = { start, channels: quietDay(4).channels };
    early.channels.position.fill(2);
    early.channels.breathingRate.fill(6, 3600 - 120, 3600 + 119); // 21:58–22:01: only 1 min 59 s in the night
    expect(flagsOf('bradypnea_at_night', early)).toHaveLength(0);
    expect(nightSpan(ZONE, '2026-11-21').from).toBe(start + 3600_000);
  });
});

describe('rules on days', () => {
  it('low wear: a completed day with data under the target, with the wear in words', () => {
    const wear = new Map([['2026-11-20', 17.99 * 3600], ['2026-11-21', 18 * 3600]]);
    const flags = evaluateWear(wear, ['2026-11-19', '2026-11-20', '2026-11-21'], ZONE, settings);
    expect(flags.map((f) => [f.day, f.valueText])).toEqual([['2026-11-20', 'Worn 17 h 59 min on Fri 20 Nov, below the 18 h target']]);
    expect(flags[0]!.startedAt).toBe(clinicInstant(ZONE, '2026-11-20'));
  });

  it('resting HR rise: two days in a row at baseline + 10 trip one flag; one day or + 9 does not', () => {
    const values = new Map<string, number>();
    for (let d = 1; d <= 14; d++) values.set(`2026-11-${String(d).padStart(2, '0')}`, 60 + (d % 3)); // median 61
    const days = ['2026-11-15', '2026-11-16', '2026-11-17'];
    values.set('2026-11-15', 71);
    values.set('2026-11-16', 70);
    expect(evaluateRestingRise(values, days, ZONE, settings)).toHaveLength(0); // the 16th's baseline now includes the 15th
    values.set('2026-11-16', 72);
    const [flag] = evaluateRestingRise(values, days, ZONE, settings);
    expect(flag!.valueText).toBe('Resting HR 71 bpm on Sun 15 Nov, 72 bpm on Mon 16 Nov: +10, +11 bpm over the 14-day baseline median (61, 61 bpm)');
    expect(flag!.startedAt).toBe(clinicInstant(ZONE, '2026-11-15'));
    expect(flag!.endedAt).toBe(clinicInstant(ZONE, '2026-11-17'));
    values.set('2026-11-15', 70);
    expect(evaluateRestingRise(values, days, ZONE, settings)).toHaveLength(0);
  });

  it('resting HR rise needs a baseline of 7 days with data', () => {
    const values = new Map([['2026-11-01', 60], ['2026-11-02', 60], ['2026-11-03', 60], ['2026-11-04', 60], ['2026-11-05', 60], ['2026-11-06', 60],
      ['2026-11-07', 80], ['2026-11-08', 80]]);
    expect(evaluateRestingRise(values, ['2026-11-07', '2026-11-08'], ZONE, settings)).toHaveLength(0);
  });

  it('no recent data: holds once the last recording ended more than 2 days ago', () => {
    const ended = Date.UTC(2026, 10, 20, 13);
    expect(evaluateRecency(ended, true, ended + 2 * 86_400_000, ZONE, settings)).toBeNull();
    const flag = evaluateRecency(ended, true, ended + 2 * 86_400_000 + 1, ZONE, settings)!;
    expect(flag.valueText).toBe('Last recording ended Fri, 20 Nov 2026, 08:00 EST; none since (limit 2 days)');
    expect(flag.endedAt).toBeNull();
  });
});

describe('clinic days', () => {
  it('a recording touches the days it falls on, and the next when it reaches the evening', () => {
    expect(daysTouchedBy(ZONE, clinicInstant(ZONE, '2026-11-20', 8), clinicInstant(ZONE, '2026-11-21', 8)))
      .toEqual({ fromDay: '2026-11-20', toDay: '2026-11-21' });
    expect(daysTouchedBy(ZONE, clinicInstant(ZONE, '2026-11-20', 8), clinicInstant(ZONE, '2026-11-20', 23)))
      .toEqual({ fromDay: '2026-11-20', toDay: '2026-11-21' });
  });

  it('days are 23 or 25 hours long when the clocks change', () => {
    expect(clinicInstant(ZONE, '2026-11-02') - clinicInstant(ZONE, '2026-11-01')).toBe(25 * 3600_000);
    expect(clinicInstant(ZONE, '2026-03-09') - clinicInstant(ZONE, '2026-03-08')).toBe(23 * 3600_000);
    expect(new Date(clinicInstant('Europe/Paris', '2026-03-29', 7)).toISOString()).toBe('2026-03-29T05:00:00.000Z');
  });
});
