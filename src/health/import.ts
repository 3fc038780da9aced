// Import of a Hexoskin-style CSV as a new record of a patient: parse the stream first (nothing is
// written while reading), then store everything in one transaction. The same recording imported
// again returns the record that already holds it instead of a second copy.
import type { AppContext } from '../context.js';
import type { HealthRecord } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import { canSeePatient, type Viewer } from './access.js';
import { CsvImportError, parseHexoskinCsv, type IgnoredColumn, type ParseOptions } from './csv-parser.js';
import { deriveForNewRecording } from './derived-data.js';
import { contentHash, findSameContent, storeRecording } from './records.js';
import { countImport } from '../metrics/registry.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

export { CsvImportError } from './csv-parser.js';

export interface ImportOptions extends ParseOptions {
  deviceSerial?: string | null;
  /** The account importing, kept on the record. */
  createdBy?: string | null;
}

export interface ImportResult {
  /** 'duplicate': this patient already has a record with exactly these series; nothing was written. */
  status: 'created' | 'duplicate';
  record: HealthRecord;
  ignoredColumns: IgnoredColumn[];
  rowCount: number;
}

/**
 * Imports a CSV for any patient, whoever asks: for the command line. Throws CsvImportError for
 * bad input (with line and column) and when the patient does not exist.
 */
export async function importCsv(ctx: Ctx, patientId: string, source: AsyncIterable<Buffer | string>,
  options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await storeCsv(ctx, patientId, source, options);
    countImport(result.status, seconds(), result.rowCount);
    return result;
  } catch (error) {
    countImport(isRefusedInput(error) ? 'refused' : 'failed', seconds(), 0);
    throw error;
  }
}

/** A bad file, an unknown patient, or a source that gave up on its input (an upload over its limit: 413). */
function isRefusedInput(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof CsvImportError || (typeof status === 'number' && status >= 400 && status < 500);
}

async function storeCsv(ctx: Ctx, patientId: string, source: AsyncIterable<Buffer | string>, options: ImportOptions): Promise<ImportResult> {
  const patient = await ctx.db.selectFrom('patients').selectAll().where('id', '=', patientId).executeTakeFirst();
  if (!patient) throw new CsvImportError({ key: 'patients.csv.noPatient', values: { id: patientId } });
  const { recording, ignoredColumns, rowCount } = await parseHexoskinCsv(source, options);
  const hash = contentHash(recording);
  const duplicate = (record: HealthRecord): ImportResult => ({ status: 'duplicate', record, ignoredColumns, rowCount });

  const existing = await findSameContent(ctx.db, patientId, hash);
  if (existing) return duplicate(existing);
  try {
    // The daily metrics and flags it changes are derived in the same transaction: a recording is
    // never visible without them.
    const record = await ctx.db.transaction().execute(async (trx) => {
      const stored = await storeRecording(ctx, { patient, recording, deviceSerial: options.deviceSerial, createdBy: options.createdBy }, trx);
      await deriveForNewRecording(ctx, trx, stored);
      return stored;
    });
    return { status: 'created', record, ignoredColumns, rowCount };
  } catch (error) {
    // Two uploads of one file at once: the second loses the race on the unique hash, and its
    // transaction rolled back whole.
    const winner = isUniqueViolation(error) ? await findSameContent(ctx.db, patientId, hash) : null;
    if (winner) return duplicate(winner);
    throw error;
  }
}

/**
 * Imports a CSV as a new record of a patient the viewer may see; null, before reading anything,
 * when the patient does not exist or is not in the viewer's care (answer 404).
 */
export async function importCsvFor(ctx: Ctx, viewer: Viewer, patientId: string, source: AsyncIterable<Buffer | string>,
  options: Omit<ImportOptions, 'createdBy'> = {}): Promise<ImportResult | null> {
  if (!(await canSeePatient(ctx.db, viewer, patientId))) return null;
  return importCsv(ctx, patientId, source, { ...options, createdBy: viewer.id });
}
