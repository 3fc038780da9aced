// A believable recording from a seeded random source: heart and breathing rate follow the time of
// day, the night is spent lying down with a few changes of position, walks and runs raise
// cadence, activity, heart rate and ventilation together, and the shirt is off now and then.
// Events (an episode of tachycardia at rest, a slow-breathing spell at night, the shirt left off)
// are laid over it for the demo's clinical scenarios.
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
  /** Breathing rate at rest, awake (15 if not given); asleep it is 2.5 lower. */
  restingBreathingRate?: number;
}

/** Something laid over the recording from second `at` for `seconds`. */
export type SyntheticEvent =
  | { kind: 'heart_rate'; at: number; seconds: number; bpm: number }
  | { kind: 'breathing_rate'; at: number; seconds: number; rpm: number }
  | { kind: 'off'; at: number; seconds: number };

export interface SyntheticOptions {
  /** Length in seconds (default 24 h). */
  seconds?: number;
  events?: readonly SyntheticEvent[];
}

const SLEEP = 0;
const REST = 1;
const WALK = 2;
const RUN = 3;

const SECONDS_PER_DAY = 86_400;

/** Per state: heart rate above the resting rate, breathing rate, tidal volume (mL), activity (g), cadence. */
const TARGETS = [
  { heartRate: -6, breathingRate: 12.5, tidalVolume: 450, activity: 0.004, cadence: 0 },
  { heartRate: 8, breathingRate: 15, tidalVolume: 520, activity: 0.02, cadence: 0 },
  { heartRate: 30, breathingRate: 21, tidalVolume: 950, activity: 0.2, cadence: 108 },
  { heartRate: 80, breathingRate: 34, tidalVolume: 1900, activity: 0.65, cadence: 164 },
] as const;

/** The activity of each second: sleep at night, walks during the day, one run for runners. */
function schedule(random: SeededRandom, physiology: Physiology, startHour: number, length: number): Uint8Array {
  const states = new Uint8Array(length);
  for (let t = 0; t < length; t++) {
    const hour = (startHour + t / 3600) % 24;
    const asleep = physiology.bedtimeHour > physiology.wakeHour
      ? hour >= physiology.bedtimeHour || hour < physiology.wakeHour
      : hour >= physiology.bedtimeHour && hour < physiology.wakeHour;
    states[t] = asleep ? SLEEP : REST;
  }
  const bout = (state: number, minutes: number) => {
    const span = minutes * 60;
    if (span >= length) return;
    for (let attempt = 0; attempt < 20; attempt++) {
      const start = random.integer(0, length - span);
      let free = true;
      for (let t = start; t < start + span && free; t++) free = states[t] === REST;
      if (free) return void states.fill(state, start, start + span);
    }
  };
  for (let walks = random.integer(3, 6); walks > 0; walks--) bout(WALK, random.integer(6, 35));
  if (physiology.runner) bout(RUN, random.integer(20, 45));
  return states;
}

/** A recording starting at `startTimestamp` (HexoTimestamp), whose local hour of day is `startHour`. */
export function syntheticRecording(seed: number, physiology: Physiology, startTimestamp: number, startHour: number, options: SyntheticOptions = {}): Recording {
  const length = options.seconds ?? SECONDS_PER_DAY;
  const random = new SeededRandom(seed);
  const states = schedule(random, physiology, startHour, length);
  // An event at rest keeps the person still: no walk, no fidgeting.
  for (const event of options.events ?? []) if (event.kind !== 'off') for (let t = event.at; t < Math.min(length, event.at + event.seconds); t++) if (states[t] !== SLEEP) states[t] = REST;
  const series = {
    heartRate: gapSeries(length), breathingRate: gapSeries(length), ventilation: gapSeries(length),
    activity: gapSeries(length), cadence: gapSeries(length), position: gapSeries(length),
  };
  const forcedHeartRate = new Float32Array(length).fill(Number.NaN);
  const forcedBreathing = new Float32Array(length).fill(Number.NaN);
  for (const event of options.events ?? []) {
    if (event.kind === 'heart_rate') forcedHeartRate.fill(event.bpm, event.at, event.at + event.seconds);
    if (event.kind === 'breathing_rate') forcedBreathing.fill(event.rpm, event.at, event.at + event.seconds);
  }
  // Each day breathes a little differently: a few tenths either way.
  const breathingOffset = (physiology.restingBreathingRate ?? 15) - 15 + random.between(-0.6, 0.6);
  let heartRate = physiology.restingHeartRate + 8;
  let breathingRate = 15;
  let tidalVolume = 520;
  let position = SLEEP_POSITION_CODE.back;
  let nextTurn = 0;
  let turnedAt = -Infinity;
  const lyingPositions = [SLEEP_POSITION_CODE.back, SLEEP_POSITION_CODE.left, SLEEP_POSITION_CODE.right, SLEEP_POSITION_CODE.belly];
  for (let t = 0; t < length; t++) {
    const state = states[t]!;
    const hour = (startHour + t / 3600) % 24;
    // Circadian rhythm: lowest in the early morning, highest in the late afternoon.
    const circadian = Math.cos((2 * Math.PI * (hour - 16)) / 24);
    const target = TARGETS[state]!;
    const forcedBpm = forcedHeartRate[t]!;
    const forcedRpm = forcedBreathing[t]!;
    // First-order lag: a body takes tens of seconds to follow a change of effort; an event takes over faster.
    const heartTarget = forcedBpm === forcedBpm ? forcedBpm : physiology.restingHeartRate + target.heartRate + 4 * circadian;
    heartRate += (heartTarget - heartRate) / (forcedBpm === forcedBpm ? 5 : 25) + random.gaussian() * 0.5;
    const breathingTarget = forcedRpm === forcedRpm ? forcedRpm : target.breathingRate + breathingOffset + 0.8 * circadian;
    breathingRate += (breathingTarget - breathingRate) / (forcedRpm === forcedRpm ? 5 : 15) + random.gaussian() * 0.5;
    tidalVolume += (target.tidalVolume - tidalVolume) / 15 + random.gaussian() * 12;
    if (state === SLEEP) {
      if (t >= nextTurn) {
        position = random.pick(lyingPositions);
        nextTurn = t + random.integer(20, 95) * 60;
        turnedAt = t;
      }
    } else {
      nextTurn = 0;
    }
    const turning = state === SLEEP && t - turnedAt < 5; // turning over moves the chest
    const moving = state === REST && forcedBpm !== forcedBpm && forcedRpm !== forcedRpm && random.chance(0.02);
    const activity = Math.max(0, target.activity * (1 + 0.25 * random.gaussian()) + (moving || turning ? random.between(0.05, 0.15) : 0));
    series.heartRate[t] = Math.round(heartRate);
    series.breathingRate[t] = Math.round(breathingRate * 10) / 10;
    series.ventilation[t] = Math.round(Math.max(0, breathingRate * tidalVolume));
    series.activity[t] = Math.round(activity * 1000) / 1000;
    series.cadence[t] = target.cadence === 0 ? 0 : Math.round(target.cadence + random.gaussian() * 3);
    series.position[t] = state === SLEEP ? position : SLEEP_POSITION_CODE.standing;
  }
  addGaps(random, series, length);
  for (const event of options.events ?? []) {
    if (event.kind === 'off') for (const samples of Object.values(series)) samples.fill(Number.NaN, event.at, event.at + event.seconds);
  }
  return {
    startTimestamp,
    length,
    channels: new Map([
      [HEART_RATE, series.heartRate], [BREATHING_RATE, series.breathingRate], [MINUTE_VENTILATION, series.ventilation],
      [ACTIVITY, series.activity], [CADENCE, series.cadence], [SLEEP_POSITION, series.position],
    ]),
  };
}

/** The shirt taken off a few times (every channel missing), and single beats the ECG lost. */
function addGaps(random: SeededRandom, series: Record<string, Float32Array>, length: number): void {
  for (let gaps = random.integer(2, 4); gaps > 0; gaps--) {
    const start = random.integer(0, length - 1);
    const end = Math.min(length, start + random.integer(3, 20) * 60);
    for (const samples of Object.values(series)) samples.fill(Number.NaN, start, end);
  }
  for (let t = 0; t < length; t++) if (random.chance(0.002)) series.heartRate![t] = Number.NaN;
}
