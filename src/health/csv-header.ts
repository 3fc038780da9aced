// The header line of a Hexoskin-style CSV: which column holds the time and which the channels.
// Headers look like `heart_rate [bpm]` or, from the Hexoskin API, `heart_rate [bpm](/api/datatype/19/)`.
import { displayOf } from './channel-display.js';
import { channelNamed, channelOfDatatype, type Channel } from './channels.js';
import { LocalizedError } from '../i18n/localized-error.js';
import type { Message, MessageKey, MessageValues } from '../i18n/translate.js';

/** A file refused: `problem` for the pages, the English text for the CLI and logs. */
export class CsvImportError extends LocalizedError {
  constructor(problem: Message, readonly line: number | null = null, readonly column: number | null = null) {
    super(problem);
  }
}

/** Values of a `why` that name a channel, by datatype: shown as the channel's label in the reader's language. */
type ChannelValues = Record<string, number>;

/**
 * A cell's problem: where it is (`key`), and why (`why`, a message of its own). `whyChannels` are
 * the channels the reason names, said as the charts name them in the reader's language.
 */
export function cellProblem(key: MessageKey, where: MessageValues, why: MessageKey, whyValues?: MessageValues, whyChannels?: ChannelValues): Message {
  const channels = Object.fromEntries(Object.entries(whyChannels ?? {}).map(([name, datatype]) => [name, { key: displayOf(datatype).labelKey }]));
  return { key, values: { ...where, why: { key: why, values: { ...whyValues, ...channels } } } };
}

export const TIME_HEADER = 'time [s/256]';
/** The readable time our exports add after TIME_HEADER; the import skips it (the HexoTimestamp is the time). */
export const ISO_TIME_HEADER = 'time [ISO 8601]';

export interface ChannelColumn {
  /** 0-based position in a row. */
  index: number;
  channel: Channel;
}

export interface IgnoredColumn {
  /** 1-based, as a spreadsheet counts. */
  column: number;
  header: string;
}

export interface CsvLayout {
  columnCount: number;
  timeIndex: number;
  channels: ChannelColumn[];
  ignored: IgnoredColumn[];
  headers: string[];
}

// Units as files spell them; the first one is what our exports write.
const UNIT_ALIASES: Record<string, readonly string[]> = {
  rpm: ['rpm', 'breaths/min'],
  'mL/min': ['ml/min'],
  NA: ['na', ''],
  g: ['g'],
  bpm: ['bpm', 'beats/min'],
  spm: ['spm', 'steps/min'],
};

/** Far longer than any header a recording has ("minute_ventilation [mL/min](/api/datatype/36/)" is 46). */
export const MAX_HEADER_LENGTH = 200;

/** What an error message quotes of a cell: enough to find it, never a whole oversized cell. */
export function quoteCell(cell: string): string {
  return cell.length <= 40 ? cell : `${cell.slice(0, 40)}…`;
}

interface HeaderParts {
  name: string;
  unit?: string;
  datatypePath?: string;
}

/**
 * "name [unit](path)", unit and path optional but in that order, read by position: linear time
 * whatever the cell holds (a regular expression here once froze the server on a crafted header).
 * A header of any other shape is a name as a whole: an unknown column, ignored.
 */
function headerParts(header: string): HeaderParts {
  const whole = { name: header };
  const bracket = header.indexOf('[');
  const paren = header.indexOf('(');
  const open = bracket < 0 ? paren : paren < 0 ? bracket : Math.min(bracket, paren);
  if (open < 0) return whole;
  const parts: HeaderParts = { name: header.slice(0, open).trim() };
  let rest = header.slice(open);
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return whole;
    parts.unit = rest.slice(1, close).trim();
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) return whole;
    parts.datatypePath = rest.slice(1, close);
    rest = rest.slice(close + 1).trim();
  }
  return rest === '' ? parts : whole;
}

function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}

export function parseHeader(line: string, lineNumber = 1): CsvLayout {
  const headers = line.replace(/^\uFEFF/, '').split(',').map(unquote);
  let timeIndex = -1;
  const channels: ChannelColumn[] = [];
  const ignored: IgnoredColumn[] = [];
  headers.forEach((header, index) => {
    const fail = (why: MessageKey, values?: MessageValues, channels?: ChannelValues): never => {
      const where = { line: lineNumber, column: index + 1, header: quoteCell(header) };
      throw new CsvImportError(cellProblem('patients.csv.headerCell', where, why, values, channels), lineNumber, index + 1);
    };
    if (header.length > MAX_HEADER_LENGTH) fail('patients.csv.why.headerTooLong', { length: header.length, max: MAX_HEADER_LENGTH });
    const parts = headerParts(header);
    const name = parts.name.toLowerCase().replace(/\s+/g, '_');
    const { unit } = parts;
    const datatypeId = /datatype\/(\d+)/.exec(parts.datatypePath ?? '')?.[1];
    if (name === 'time' && unit?.toUpperCase() === 'ISO 8601') return;
    if (name === 'time') {
      if (timeIndex >= 0) fail('patients.csv.why.secondTime', { first: timeIndex + 1 });
      if (unit !== undefined && unit !== 's/256') fail('patients.csv.why.timeUnit', { timeHeader: TIME_HEADER, unit });
      timeIndex = index;
      return;
    }
    const byDatatype = datatypeId === undefined ? undefined : channelOfDatatype(Number(datatypeId));
    const byName = channelNamed(name);
    if (byDatatype && byName && byDatatype !== byName) fail('patients.csv.why.nameDatatype', { datatype: datatypeId }, { name: byName.datatype, datatypeName: byDatatype.datatype });
    const channel = byDatatype ?? (datatypeId === undefined ? byName : undefined);
    if (!channel) {
      ignored.push({ column: index + 1, header });
      return;
    }
    if (unit !== undefined && !(UNIT_ALIASES[channel.unit] ?? [channel.unit]).includes(unit.toLowerCase())) {
      fail('patients.csv.why.unit', { expected: channel.unit, unit }, { channel: channel.datatype });
    }
    const twin = channels.find((other) => other.channel === channel);
    if (twin) fail('patients.csv.why.secondChannel', { first: twin.index + 1 }, { channel: channel.datatype });
    channels.push({ index, channel });
  });
  if (timeIndex < 0) throw new CsvImportError({ key: 'patients.csv.noTimeColumn', values: { line: lineNumber, timeHeader: TIME_HEADER } }, lineNumber, null);
  if (channels.length === 0) {
    throw new CsvImportError({ key: 'patients.csv.noChannel', values: { line: lineNumber } }, lineNumber, null);
  }
  return { columnCount: headers.length, timeIndex, channels, ignored, headers };
}
