// Streaming parse of a Hexoskin-style CSV into a Recording. The file is read chunk by chunk and
// line by line, never held as one string; each value lands in a Float32Array at its second.
// Every refusal names the line and column, so a person can find it in a spreadsheet.
import { StringDecoder } from 'node:string_decoder';
import { SLEEP_POSITION, isSleepPositionCode } from './channels.js';
import type { MessageKey, MessageValues } from '../i18n/translate.js';
import { cellProblem, CsvImportError, parseHeader, quoteCell, type CsvLayout, type IgnoredColumn } from './csv-header.js';
import { TICKS_PER_SECOND, type Recording } from './series-codec.js';

export { CsvImportError, type IgnoredColumn } from './csv-header.js';

export interface ParsedCsv {
  recording: Recording;
  /** Columns neither time nor a known channel: skipped, and reported to the person importing. */
  ignoredColumns: IgnoredColumn[];
  rowCount: number;
}

export interface ParseOptions {
  /** Longest recording accepted, seconds: bounds memory whatever the file says. Default 7 days. */
  maxSeconds?: number;
}

export const DEFAULT_MAX_SECONDS = 7 * 24 * 3600;
const MAX_LINE_LENGTH = 64 * 1024;
const INITIAL_CAPACITY = 4096;

// Plausible HexoTimestamps: also catches a time column in plain seconds or milliseconds.
const EARLIEST_TIMESTAMP = Date.UTC(2000, 0, 1) / 1000 * TICKS_PER_SECOND;
const LATEST_TIMESTAMP = Date.UTC(2100, 0, 1) / 1000 * TICKS_PER_SECOND;

/**
 * Cells are trimmed and their length bounded before any pattern runs, and the patterns have no
 * two quantifiers that could match the same characters: each cell costs linear time, however
 * crafted (a cell of 60,000 digits once stalled the whole server for seconds).
 */
const MAX_CELL_LENGTH = 64; // "0.000123456789012345678e-38" is 27 characters
const INTEGER = /^\d+$/;
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

class RowReader {
  private startTimestamp = 0;
  private previousTimestamp = -1;
  private lastIndex = -1;
  private capacity = INITIAL_CAPACITY;
  private readonly series: Float32Array[];
  rowCount = 0;

  constructor(private readonly layout: CsvLayout, private readonly maxSeconds: number) {
    this.series = layout.channels.map(() => new Float32Array(INITIAL_CAPACITY).fill(Number.NaN));
  }

  read(line: string, lineNumber: number): void {
    const { layout } = this;
    const cells = line.split(',');
    if (cells.length !== layout.columnCount) {
      const column = Math.min(cells.length, layout.columnCount) + 1;
      const values = { line: lineNumber, column, missing: cells.length < layout.columnCount ? 'yes' : 'no', expected: layout.columnCount, actual: cells.length };
      throw new CsvImportError({ key: 'patients.csv.columnCount', values }, lineNumber, column);
    }
    const index = this.sampleIndex(cells[layout.timeIndex]!, lineNumber);
    if (index >= this.capacity) this.grow(index + 1);
    for (let c = 0; c < layout.channels.length; c++) {
      const { index: column, channel } = layout.channels[c]!;
      const cell = cells[column]!;
      if (cell.length === 0) continue; // the common gap
      const text = this.boundedCell(cell, lineNumber, column);
      if (!DECIMAL.test(text)) {
        if (text === '' || text.toLowerCase() === 'nan') continue;
        throw this.cellError(lineNumber, column, 'patients.csv.why.notNumber', { text });
      }
      const value = Number(text);
      if (!(value >= 0 && value <= 3.4e38)) throw this.cellError(lineNumber, column, 'patients.csv.why.negative', { text });
      if (channel.datatype === SLEEP_POSITION && !isSleepPositionCode(value)) {
        throw this.cellError(lineNumber, column, 'patients.csv.why.sleepPosition', { text });
      }
      this.series[c]![index] = value + 0; // -0 would store different bytes than 0 for the same value
    }
    this.lastIndex = index;
    this.rowCount++;
  }

  recording(): Recording {
    const length = this.lastIndex + 1;
    const channels = new Map(this.layout.channels.map(({ channel }, c) => [channel.datatype, this.series[c]!.slice(0, length)]));
    return { startTimestamp: this.startTimestamp, length, channels };
  }

  private sampleIndex(cell: string, lineNumber: number): number {
    const column = this.layout.timeIndex;
    const text = this.boundedCell(cell, lineNumber, column);
    if (!INTEGER.test(text)) throw this.cellError(lineNumber, column, 'patients.csv.why.notTime', { text });
    const timestamp = Number(text);
    if (timestamp < EARLIEST_TIMESTAMP || timestamp > LATEST_TIMESTAMP) {
      throw this.cellError(lineNumber, column, 'patients.csv.why.timeRange', { timestamp });
    }
    if (this.previousTimestamp < 0) this.startTimestamp = timestamp;
    else if (timestamp <= this.previousTimestamp) {
      throw this.cellError(lineNumber, column, 'patients.csv.why.timeOrder', { timestamp, previous: this.previousTimestamp });
    }
    const offset = timestamp - this.startTimestamp;
    if (offset % TICKS_PER_SECOND !== 0) {
      throw this.cellError(lineNumber, column, 'patients.csv.why.timeWhole', { timestamp, first: this.startTimestamp });
    }
    const index = offset / TICKS_PER_SECOND;
    if (index >= this.maxSeconds) {
      throw this.cellError(lineNumber, column, 'patients.csv.why.tooLongRecording', { timestamp, hours: this.maxSeconds / 3600 });
    }
    this.previousTimestamp = timestamp;
    return index;
  }

  private grow(needed: number): void {
    this.capacity = Math.min(this.maxSeconds, Math.max(needed, this.capacity * 2));
    for (let c = 0; c < this.series.length; c++) {
      const larger = new Float32Array(this.capacity).fill(Number.NaN);
      larger.set(this.series[c]!);
      this.series[c] = larger;
    }
  }

  /** The cell without surrounding spaces; refused when too long to be a number or a time. */
  private boundedCell(cell: string, lineNumber: number, index: number): string {
    const text = cell.trim();
    if (text.length <= MAX_CELL_LENGTH) return text;
    throw this.cellError(lineNumber, index, 'patients.csv.why.cellTooLong', { text: quoteCell(text), length: text.length, max: MAX_CELL_LENGTH });
  }

  private cellError(lineNumber: number, index: number, why: MessageKey, values: MessageValues): CsvImportError {
    const where = { line: lineNumber, column: index + 1, header: this.layout.headers[index] };
    return new CsvImportError(cellProblem('patients.csv.cell', where, why, values), lineNumber, index + 1);
  }
}

/** Reads a whole CSV from a stream (a Readable, or any iterable of Buffers and strings). */
export async function parseHexoskinCsv(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: ParseOptions = {}): Promise<ParsedCsv> {
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_SECONDS;
  const decoder = new StringDecoder('utf8');
  let layout: CsvLayout | null = null;
  let rows: RowReader | null = null;
  let pending = '';
  let lineNumber = 0;

  const take = (line: string) => {
    lineNumber++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > MAX_LINE_LENGTH) throw tooLong(lineNumber);
    if (line.trim() === '') return; // blank lines (a trailing newline, say) carry nothing
    if (!layout) {
      layout = parseHeader(line, lineNumber);
      rows = new RowReader(layout, maxSeconds);
    } else {
      rows!.read(line, lineNumber);
    }
  };

  for await (const chunk of source) {
    const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      take(text.slice(start, end));
      start = end + 1;
    }
    pending = text.slice(start);
    if (pending.length > MAX_LINE_LENGTH) throw tooLong(lineNumber + 1);
  }
  pending += decoder.end();
  if (pending !== '') take(pending);

  if (!layout) throw new CsvImportError({ key: 'patients.csv.empty' });
  const reader = rows as RowReader | null;
  if (!reader || reader.rowCount === 0) throw new CsvImportError({ key: 'patients.csv.noRows' }, lineNumber, null);
  return { recording: reader.recording(), ignoredColumns: (layout as CsvLayout).ignored, rowCount: reader.rowCount };
}

function tooLong(lineNumber: number): CsvImportError {
  return new CsvImportError({ key: 'patients.csv.lineTooLong', values: { line: lineNumber, max: MAX_LINE_LENGTH } }, lineNumber, null);
}
