// The six 1 Hz channels of a record, named after the Hexoskin API datatypes they come from. The
// datatype id is what the database stores; the CSV name and unit are what files carry.

export type ChannelName = 'heart_rate' | 'breathing_rate' | 'minute_ventilation' | 'activity' | 'cadence' | 'sleep_position';

export interface Channel {
  name: ChannelName;
  /** Hexoskin API datatype id: the key in series_chunks and record_summaries. */
  datatype: number;
  /** The unit as CSV headers spell it. */
  unit: string;
  label: string;
  /** True for sleep position: values are codes, charted as steps, never averaged. */
  categorical: boolean;
}

// Ordered as Hexoskin's own CSV export orders them; our export uses this order too.
export const CHANNELS: readonly Channel[] = [
  { name: 'breathing_rate', datatype: 33, unit: 'rpm', label: 'Breathing rate', categorical: false },
  { name: 'minute_ventilation', datatype: 36, unit: 'mL/min', label: 'Minute ventilation', categorical: false },
  { name: 'sleep_position', datatype: 270, unit: 'NA', label: 'Sleep position', categorical: true },
  { name: 'activity', datatype: 49, unit: 'g', label: 'Activity', categorical: false },
  { name: 'heart_rate', datatype: 19, unit: 'bpm', label: 'Heart rate', categorical: false },
  { name: 'cadence', datatype: 53, unit: 'spm', label: 'Cadence', categorical: false },
];

export const HEART_RATE = 19;
export const BREATHING_RATE = 33;
export const MINUTE_VENTILATION = 36;
export const ACTIVITY = 49;
export const CADENCE = 53;
export const SLEEP_POSITION = 270;

const byName = new Map(CHANNELS.map((channel) => [channel.name, channel]));
const byDatatype = new Map(CHANNELS.map((channel) => [channel.datatype, channel]));

export function channelNamed(name: string): Channel | undefined {
  return byName.get(name as ChannelName);
}

export function channelOfDatatype(datatype: number): Channel | undefined {
  return byDatatype.get(datatype);
}

/** Channels in export order, for a set of datatypes. */
export function channelsInOrder(datatypes: Iterable<number>): Channel[] {
  const wanted = new Set(datatypes);
  return CHANNELS.filter((channel) => wanted.has(channel.datatype));
}

/**
 * Sleep position codes. Hexoskin reports positions P1…P5; with the device in its usual pocket
 * orientation (orientation 2 of Hexoskin's sleep-position guide) they mean, in this order: belly,
 * back, right side, left side, standing or sitting. We store and export the number of P.
 */
export const SLEEP_POSITIONS = [
  { code: 1, name: 'belly', label: 'On the belly' },
  { code: 2, name: 'back', label: 'On the back' },
  { code: 3, name: 'right', label: 'On the right side' },
  { code: 4, name: 'left', label: 'On the left side' },
  { code: 5, name: 'standing', label: 'Standing or sitting' },
] as const;

export type SleepPositionName = (typeof SLEEP_POSITIONS)[number]['name'];

export const SLEEP_POSITION_CODE: Record<SleepPositionName, number> = {
  belly: 1, back: 2, right: 3, left: 4, standing: 5,
};

export function isSleepPositionCode(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= SLEEP_POSITIONS.length;
}
