// The header line of a Hexoskin-style CSV: which column holds the time and which the channels.
// Headers look like `heart_rate [bpm]` or, from the Hexoskin API, `heart_rate [bpm](/api/datatype/19/)`.
import { channelNamed, channelOfDatatype, type Channel } from './channels.js';

export class CsvImportError extends Error {
  constructor(message: string, readonly line: number | null = null, readonly column: number | null = null) {
    super(message);
  }
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
    const fail = (why: string): never => {
      throw new CsvImportError(`Line ${lineNumber}, column ${index + 1} ("${quoteCell(header)}"): ${why}`, lineNumber, index + 1);
    };
    if (header.length > MAX_HEADER_LENGTH) fail(`a column header of ${header.length} characters: headers have at most ${MAX_HEADER_LENGTH}. Is this a recording's CSV file?`);
    const parts = headerParts(header);
    const name = parts.name.toLowerCase().replace(/\s+/g, '_');
    const { unit } = parts;
    const datatypeId = /datatype\/(\d+)/.exec(parts.datatypePath ?? '')?.[1];
    if (name === 'time' && unit?.toUpperCase() === 'ISO 8601') return;
    if (name === 'time') {
      if (timeIndex >= 0) fail(`a second time column (the first is column ${timeIndex + 1}).`);
      if (unit !== undefined && unit !== 's/256') fail(`time must be in s/256 (Unix time × 256, "${TIME_HEADER}"), not ${unit}.`);
      timeIndex = index;
      return;
    }
    const byDatatype = datatypeId === undefined ? undefined : channelOfDatatype(Number(datatypeId));
    const byName = channelNamed(name);
    if (byDatatype && byName && byDatatype !== byName) fail(`the name says ${byName.name} but the datatype path says ${datatypeId} (${byDatatype.name}).`);
    const channel = byDatatype ?? (datatypeId === undefined ? byName : undefined);
    if (!channel) {
      ignored.push({ column: index + 1, header });
      return;
    }
    if (unit !== undefined && !(UNIT_ALIASES[channel.unit] ?? [channel.unit]).includes(unit.toLowerCase())) {
      fail(`${channel.name} must be in ${channel.unit}, not ${unit}.`);
    }
    const twin = channels.find((other) => other.channel === channel);
    if (twin) fail(`a second ${channel.name} column (the first is column ${twin.index + 1}).`);
    channels.push({ index, channel });
  });
  if (timeIndex < 0) throw new CsvImportError(`Line ${lineNumber}: no time column. The first line must be a header such as "${TIME_HEADER},heart_rate [bpm],…".`, lineNumber, null);
  if (channels.length === 0) {
    throw new CsvImportError(`Line ${lineNumber}: no known channel column (heart_rate [bpm], breathing_rate [rpm], minute_ventilation [mL/min], activity [g], cadence [spm], sleep_position [NA]).`, lineNumber, null);
  }
  return { columnCount: headers.length, timeIndex, channels, ignored, headers };
}
