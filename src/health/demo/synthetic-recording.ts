// A believable 24-hour recording from a seeded random source: heart and breathing rate follow the
// time of day, the night is spent lying down with a few changes of position, walks and runs raise
// cadence, activity, heart rate and ventilation together, and the shirt is off now and then.
import { ACTIVITY, BREATHING_RATE, CADENCE, HEART_RATE, MINUTE_VENTILATION, SLEEP_POSITION, SLEEP_POSITION_CODE } from '../channels.js';
import { gapSeries, type Recording } from '../series-codec.js';
import { SeededRandom } from './random.js';

export interface Physiology {
  restingHeartRate: number;
  /** Runs once a day when true; walks only otherwise. */
  runner: boolean;
  /** Hour of day (local) the person falls asleep and wakes up. */
  bedtimeHour: number;
  wakeHour: number;
}

type State = 'sleep' | 'rest' | 'walk' | 'run';

interface Targets { heartRate: number; breathingRate: number; tidalVolume: number; activity: number; cadence: number }

const SECONDS_PER_DAY = 86_400;

const TARGETS: Record<State, (p: Physiology) => Targets> = {
  sleep: (p) => ({ heartRate: p.restingHeartRate - 6, breathingRate: 12.5, tidalVolume: 450, activity: 0.004, cadence: 0 }),
  rest: (p) => ({ heartRate: p.restingHeartRate + 8, breathingRate: 15, tidalVolume: 520, activity: 0.02, cadence: 0 }),
  walk: (p) => ({ heartRate: p.restingHeartRate + 30, breathingRate: 21, tidalVolume: 950, activity: 0.2, cadence: 108 }),
  run: (p) => ({ heartRate: p.restingHeartRate + 80, breathingRate: 34, tidalVolume: 1900, activity: 0.65, cadence: 164 }),
};

/** The activity of each second: sleep at night, walks during the day, one run for runners. */
function schedule(random: SeededRandom, physiology: Physiology, startHour: number): State[] {
  const states: State[] = [];
  for (let t = 0; t < SECONDS_PER_DAY; t++) {
    const hour = (startHour + t / 3600) % 24;
    const asleep = physiology.bedtimeHour > physiology.wakeHour
      ? hour >= physiology.bedtimeHour || hour < physiology.wakeHour
      : hour >= physiology.bedtimeHour && hour < physiology.wakeHour;
    states.push(asleep ? 'sleep' : 'rest');
  }
  const bout = (state: State, minutes: number) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const start = random.integer(0, SECONDS_PER_DAY - minutes * 60);
      const span = states.slice(start, start + minutes * 60);
      if (span.every((s) => s === 'rest')) return span.forEach((_, i) => (states[start + i] = state));
    }
  };
  for (let walks = random.integer(3, 6); walks > 0; walks--) bout('walk', random.integer(6, 35));
  if (physiology.runner) bout('run', random.integer(20, 45));
  return states;
}

/** 24 hours at 1 Hz starting at `startTimestamp` (HexoTimestamp), whose local hour of day is `startHour`. */
export function syntheticRecording(seed: number, physiology: Physiology, startTimestamp: number, startHour: number): Recording {
  const random = new SeededRandom(seed);
  const states = schedule(random, physiology, startHour);
  const series = {
    heartRate: gapSeries(SECONDS_PER_DAY), breathingRate: gapSeries(SECONDS_PER_DAY), ventilation: gapSeries(SECONDS_PER_DAY),
    activity: gapSeries(SECONDS_PER_DAY), cadence: gapSeries(SECONDS_PER_DAY), position: gapSeries(SECONDS_PER_DAY),
  };
  let heartRate = physiology.restingHeartRate + 8;
  let breathingRate = 15;
  let tidalVolume = 520;
  let position = SLEEP_POSITION_CODE.back;
  let nextTurn = 0;
  let turnedAt = -Infinity;
  for (let t = 0; t < SECONDS_PER_DAY; t++) {
    const state = states[t]!;
    const hour = (startHour + t / 3600) % 24;
    // Circadian rhythm: lowest in the early morning, highest in the late afternoon.
    const circadian = Math.cos((2 * Math.PI * (hour - 16)) / 24);
    const target = TARGETS[state](physiology);
    // First-order lag: a body takes tens of seconds to follow a change of effort.
    heartRate += (target.heartRate + 4 * circadian - heartRate) / 25 + random.gaussian() * 0.5;
    breathingRate += (target.breathingRate + 0.8 * circadian - breathingRate) / 15 + random.gaussian() * 0.5;
    tidalVolume += (target.tidalVolume - tidalVolume) / 15 + random.gaussian() * 12;
    if (state === 'sleep') {
      if (t >= nextTurn) {
        position = random.pick([SLEEP_POSITION_CODE.back, SLEEP_POSITION_CODE.left, SLEEP_POSITION_CODE.right, SLEEP_POSITION_CODE.belly]);
        nextTurn = t + random.integer(20, 95) * 60;
        turnedAt = t;
      }
    } else {
      nextTurn = 0;
    }
    const turning = state === 'sleep' && t - turnedAt < 5; // turning over moves the chest
    const moving = state === 'rest' && random.chance(0.02);
    const activity = Math.max(0, target.activity * (1 + 0.25 * random.gaussian()) + (moving || turning ? random.between(0.05, 0.15) : 0));
    series.heartRate[t] = Math.round(heartRate);
    series.breathingRate[t] = Math.round(breathingRate * 10) / 10;
    series.ventilation[t] = Math.round(Math.max(0, breathingRate * tidalVolume));
    series.activity[t] = Math.round(activity * 1000) / 1000;
    series.cadence[t] = target.cadence === 0 ? 0 : Math.round(target.cadence + random.gaussian() * 3);
    series.position[t] = state === 'sleep' ? position : SLEEP_POSITION_CODE.standing;
  }
  addGaps(random, series);
  return {
    startTimestamp,
    length: SECONDS_PER_DAY,
    channels: new Map([
      [HEART_RATE, series.heartRate], [BREATHING_RATE, series.breathingRate], [MINUTE_VENTILATION, series.ventilation],
      [ACTIVITY, series.activity], [CADENCE, series.cadence], [SLEEP_POSITION, series.position],
    ]),
  };
}

/** The shirt taken off a few times (every channel missing), and single beats the ECG lost. */
function addGaps(random: SeededRandom, series: Record<string, Float32Array>): void {
  for (let gaps = random.integer(2, 4); gaps > 0; gaps--) {
    const start = random.integer(0, SECONDS_PER_DAY - 1);
    const end = Math.min(SECONDS_PER_DAY, start + random.integer(3, 20) * 60);
    for (const samples of Object.values(series)) samples.fill(Number.NaN, start, end);
  }
  for (let t = 0; t < SECONDS_PER_DAY; t++) if (random.chance(0.002)) series.heartRate![t] = Number.NaN;
}
