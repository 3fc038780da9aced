// Clinic time across daylight-saving changes, the nights drawn on charts, and the axes every chart
// shares (screen, SVG, PDF).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nightBands } from '../../src/health/chart-bands.js';
import { clinicInstant } from '../../src/health/clinic-days.js';
import { isoFormatter, isoInZone, offsetMinutesAt } from '../../src/health/clinic-time.js';
import { stepDecimals, timeTicks, valueAxis } from '../../src/web/charts/axes.js';
import { timeFormat } from '../../src/web/format.js';
import { pdfText } from '../../src/web/report/pdf-text.js';

const NY = 'America/New_York';
const HOUR = 3_600_000;

describe('clinic time', () => {
  it('writes instants with the clinic offset, EDT and EST told apart, Z only on UTC', () => {
    expect(isoInZone(NY, Date.UTC(2026, 10, 21, 1))).toBe('2026-11-20T20:00:00-05:00');
    expect(isoInZone(NY, Date.UTC(2026, 6, 1, 12))).toBe('2026-07-01T08:00:00-04:00');
    expect(isoInZone('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe('2026-01-01T05:30:00+05:30');
    expect(isoInZone('UTC', Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z');
    expect(isoInZone('Europe/London', Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00+00:00');
  });

  it('the fast formatter of exports agrees with isoInZone through the autumn change, second by second', () => {
    const format = isoFormatter(NY);
    const start = Date.UTC(2026, 10, 1, 4, 30); // 00:30 EDT, before the repeated hour
    for (let ms = start; ms < start + 3 * HOUR; ms += 7_000) expect(format(ms)).toBe(isoInZone(NY, ms));
  });

  it('finds the instant of a wall time on both sides of a change, and the first of the repeated hour', () => {
    expect(clinicInstant(NY, '2026-11-01', 1, 30)).toBe(Date.UTC(2026, 10, 1, 5, 30)); // 01:30 EDT
    expect(clinicInstant(NY, '2026-11-01', 3, 0)).toBe(Date.UTC(2026, 10, 1, 8, 0)); // 03:00 EST
    expect(clinicInstant(NY, '2026-03-08', 3, 0)).toBe(Date.UTC(2026, 2, 8, 7, 0)); // 03:00 EDT, after the jump
    expect(clinicInstant(NY, '2026-03-08', 2, 30)).toBe(Date.UTC(2026, 2, 8, 7, 0) + 30 * 60_000); // in the gap: after it
    expect(offsetMinutesAt(NY, Date.UTC(2026, 2, 8, 6, 59))).toBe(-300);
    expect(offsetMinutesAt(NY, Date.UTC(2026, 2, 8, 7, 0))).toBe(-240);
  });
});

describe('night bands', () => {
  it('are 22:00–07:00 clinic time, 10 hours across the autumn change and 8 across the spring one', () => {
    const autumn = nightBands(NY, Date.UTC(2026, 9, 31, 12), Date.UTC(2026, 10, 1, 18));
    expect(autumn).toHaveLength(1);
    expect(autumn[0]).toMatchObject({ kind: 'night', from: Date.UTC(2026, 10, 1, 2), to: Date.UTC(2026, 10, 1, 12), label: 'Night to Sun 1 Nov' });
    const spring = nightBands(NY, Date.UTC(2026, 2, 7, 12), Date.UTC(2026, 2, 8, 18));
    expect((spring[0]!.to - spring[0]!.from) / HOUR).toBe(8);
  });

  it('are clipped to the window and cover every night it overlaps', () => {
    const from = Date.UTC(2026, 10, 20, 9); // 04:00 EST: inside the night to Fri 20 Nov
    const bands = nightBands(NY, from, from + 48 * HOUR);
    expect(bands.map((b) => b.label)).toEqual(['Night to Fri 20 Nov', 'Night to Sat 21 Nov', 'Night to Sun 22 Nov']);
    expect(bands[0]!.from).toBe(from);
    expect(bands[2]!.to).toBe(from + 48 * HOUR);
  });
});

describe('chart axes', () => {
  it('a value axis has at least four labelled ticks on round values, even for a flat line or a narrow zoom', () => {
    for (const [low, high, smallest] of [[75, 75, 1], [72, 78, 1], [48, 102, 1], [0.01, 0.39, 0.01], [2.8, 25, 0.1], [0, 120, 1], [14.2, 14.6, 0.1]] as const) {
      const axis = valueAxis(low, high, smallest);
      expect(axis.ticks.length, `${low}–${high}`).toBeGreaterThanOrEqual(4);
      expect(axis.min).toBeLessThanOrEqual(low);
      expect(axis.max).toBeGreaterThanOrEqual(high);
      for (const tick of axis.ticks) expect(Math.abs(tick / axis.step - Math.round(tick / axis.step))).toBeLessThan(1e-6);
    }
    expect(valueAxis(70, 80, 1).ticks).toEqual([70, 72, 74, 76, 78, 80]); // whole beats: never 72.5
    expect(valueAxis(0, 0, 1).min).toBe(0); // no negative cadence
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(20)).toBe(0);
  });

  it('time ticks fall on round clinic hours and name the zone where it changes, so the repeated hour reads EDT then EST', () => {
    const times = timeFormat(NY);
    const ticks = timeTicks(Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 8), NY, 6, times);
    expect(ticks.map((t) => `${t.time}${t.zone ? ` ${t.zone}` : ''}`)).toEqual(['00:00 EDT', '01:00', '01:00 EST', '02:00', '03:00']);
    expect(ticks[0]!.date).toBe('Sun 1 Nov');
    const day = timeTicks(Date.UTC(2026, 10, 20, 12, 46), Date.UTC(2026, 10, 21, 12, 46), NY, 9, times);
    expect(day.map((t) => t.time)).toEqual(['09:00', '12:00', '15:00', '18:00', '21:00', '00:00', '03:00', '06:00']);
    expect(day.filter((t) => t.date).map((t) => t.date)).toEqual(['Fri 20 Nov', 'Sat 21 Nov']);
  });
});

describe('the browser script', () => {
  it('computes the same value axes as the server (SVG and PDF), from its own copy of the function', () => {
    const script = fs.readFileSync('src/web/assets/record-charts.js', 'utf8');
    const source = /var NICE = [\s\S]*?\n {2}function valueAxis[\s\S]*?\n {2}\}\n/.exec(script)![0];
    const browserAxis = new Function(`${source}; return valueAxis;`)() as typeof valueAxis;
    for (const [low, high, smallest] of [[70, 80, 1], [75, 75, 1], [48, 102, 1], [0.01, 0.39, 0.01], [2.8, 25, 0.1], [0, 120, 1], [11.4, 19.9, 0.1], [55, 58, 1], [3012, 9876, 0.1]] as const) {
      const { min, max, ticks, step } = browserAxis(low, high, smallest);
      expect({ min, max, ticks, step }, `${low}–${high}`).toEqual(valueAxis(low, high, smallest));
    }
  });
});

describe('text of the PDF report', () => {
  it('keeps Western European names as typed and spells out other letters without accents', () => {
    expect(pdfText('Amélie Laurent – François Dubois')).toBe('Amélie Laurent – François Dubois');
    expect(pdfText('Łukasz Żółć')).toBe('?ukasz Zó?c');
    expect(pdfText('王')).toBe('?');
  });
});
