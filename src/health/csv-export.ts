// Export of a record (or a window of it) as a Hexoskin-style CSV, streamed an hour at a time.
// Values are written as short decimals that read back to the same Float32, so import → export →
// import gives identical series; a gap is an empty cell, never a zero.
import { Readable } from 'node:stream';
import type { AppContext } from '../context.js';
import { channelsInOrder, type Channel } from './channels.js';
import type { Viewer } from './access.js';
import { fileStampInZone, isoFormatter } from './clinic-time.js';
import { ISO_TIME_HEADER, TIME_HEADER } from './csv-header.js';
import { formatSample } from './float32-decimal.js';
import { findVisibleRecord, recordChannels, sampleRange } from './records.js';
import { SAMPLES_PER_CHUNK, TICKS_PER_SECOND, timestampToMs, type Recording } from './series-codec.js';
import { readSeries } from './series.js';

/** With a zone, a readable `time [ISO 8601]` column follows the HexoTimestamp (the import ignores it). */
export function csvHeader(channels: readonly Channel[], withIsoTime = false): string {
  return [TIME_HEADER, ...(withIsoTime ? [ISO_TIME_HEADER] : []), ...channels.map((c) => `${c.name} [${c.unit}](/api/datatype/${c.datatype}/)`)].join(',');
}

/** CSV lines for samples that start at `firstSample` of a record starting at `startTimestamp`. */
export function formatRows(startTimestamp: number, firstSample: number, columns: readonly Float32Array[], isoTime?: (ms: number) => string): string {
  const count = columns[0]?.length ?? 0;
  let text = '';
  for (let i = 0; i < count; i++) {
    const timestamp = startTimestamp + (firstSample + i) * TICKS_PER_SECOND;
    let line = String(timestamp);
    if (isoTime) line += `,${isoTime((timestamp / TICKS_PER_SECOND) * 1000)}`;
    for (const column of columns) line += `,${formatSample(column[i]!)}`;
    text += `${line}\n`;
  }
  return text;
}

/** A whole in-memory recording as CSV text: for tests, benchmarks and files made by hand. */
export function recordingToCsv(recording: Recording): string {
  const channels = channelsInOrder(recording.channels.keys());
  return `${csvHeader(channels)}\n${formatRows(recording.startTimestamp, 0, channels.map((c) => recording.channels.get(c.datatype)!))}`;
}

export interface CsvExport {
  /** A file name to suggest to the browser: patient and start time, safe characters only. */
  fileName: string;
  stream: Readable;
}

/**
 * A record as CSV, or the part of it between `from` and `to` (epoch ms); null when the record does
 * not exist or the viewer may not see its patient (answer 404). Nothing is read before the stream is.
 */
export async function exportCsvFor(ctx: Pick<AppContext, 'db' | 'config'>, viewer: Viewer, recordId: string,
  window: { from?: number; to?: number } = {}): Promise<CsvExport | null> {
  const visible = await findVisibleRecord(ctx.db, viewer, recordId);
  if (!visible) return null;
  const { record, patient } = visible;
  const channels = await recordChannels(ctx.db, recordId);
  const range = sampleRange(record, window);
  const datatypes = channels.map((c) => c.datatype);
  const zone = ctx.config.timeZone;
  const isoTime = isoFormatter(zone);

  async function* lines(): AsyncGenerator<string> {
    yield `${csvHeader(channels, true)}\n`;
    // One chunk's worth of rows per read keeps memory flat whatever the length.
    let from = range.from;
    while (from < range.to) {
      const to = Math.min(range.to, (Math.floor(from / SAMPLES_PER_CHUNK) + 1) * SAMPLES_PER_CHUNK);
      const series = await readSeries(ctx.db, recordId, datatypes, from, to);
      yield formatRows(record.start_timestamp, from, datatypes.map((datatype) => series.get(datatype)!), isoTime);
      from = to;
    }
  }

  // Named after the first second it holds, in clinic local time (what the clinician saw on screen).
  const started = fileStampInZone(zone, timestampToMs(record.start_timestamp) + range.from * 1000);
  const who = (patient.external_id ?? patient.name).replace(/[^\w.-]+/g, '_');
  return { fileName: `${who}-${started}.csv`, stream: Readable.from(lines(), { objectMode: false }) };
}
