// The only writer of records. A record is stored with its series and summaries in one go
// (storeRecording, inside the caller's transaction); reads check the viewer's care team.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, HealthRecord, Patient, RecordStatus } from '../db/schema.js';
import { newId } from '../auth/tokens.js';
import { inCareOf, seesEveryPatient, type Viewer } from './access.js';
import { BREATHING_RATE, HEART_RATE, channelsInOrder, type Channel } from './channels.js';
import { encodeSamples, timestampToMs, type Recording } from './series-codec.js';
import { wholeNumberIn } from './paging.js';
import type { RecordScope } from './record-scope.js';
import { storeSeries } from './series.js';
import { predictedMaxHeartRate, readMetrics, storeSummaries, type RecordMetrics } from './summaries.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const DEVICE_SERIAL_MAX_LENGTH = 64;

/**
 * What makes two recordings the same: start, length, channels and every sample as stored. A file
 * re-saved with other line endings or column order is the same recording; an edited one is not.
 */
export function contentHash(recording: Recording): string {
  const hash = createHash('sha256').update(`hms-series-v1\n${recording.startTimestamp}\n${recording.length}\n`);
  for (const [datatype, samples] of [...recording.channels].sort(([a], [b]) => a - b)) {
    hash.update(`${datatype}\n`).update(encodeSamples(samples));
  }
  return hash.digest('hex');
}

export interface NewRecording {
  patient: Patient;
  recording: Recording;
  deviceSerial?: string | null;
  status?: RecordStatus;
  /** The account that imported it; null for demo data and the command line. */
  createdBy?: string | null;
}

/** The record of this patient with the same content, if one was stored before. */
export async function findSameContent(db: Kysely<Database>, patientId: string, hash: string): Promise<HealthRecord | null> {
  return (await db.selectFrom('records').selectAll()
    .where('patient_id', '=', patientId).where('content_hash', '=', hash).executeTakeFirst()) ?? null;
}

/** Inserts a record, its series and its summaries. Run it in a transaction: it writes several tables. */
export async function storeRecording(ctx: Ctx, input: NewRecording, db: Kysely<Database>): Promise<HealthRecord> {
  const { patient, recording } = input;
  const startMs = timestampToMs(recording.startTimestamp);
  const startedAt = Math.floor(startMs);
  const heartRateMax = predictedMaxHeartRate(patient.date_of_birth, startedAt);
  const record: HealthRecord = {
    id: newId(),
    patient_id: patient.id,
    started_at: startedAt,
    ended_at: Math.floor(startMs + recording.length * 1000),
    start_timestamp: recording.startTimestamp,
    sample_count: recording.length,
    device_serial: input.deviceSerial?.trim().slice(0, DEVICE_SERIAL_MAX_LENGTH) || null,
    status: input.status ?? 'complete',
    content_hash: contentHash(recording),
    heart_rate_max_bpm: heartRateMax,
    created_at: ctx.clock.now(),
    created_by: input.createdBy ?? null,
  };
  await db.insertInto('records').values(record).execute();
  await storeSeries(db, record.id, recording);
  await storeSummaries(db, record.id, recording, heartRateMax);
  return record;
}

export interface VisibleRecord {
  record: HealthRecord;
  patient: Patient;
}

/** The record with its patient, or null when it does not exist or the viewer may not see its patient. */
export async function findVisibleRecord(db: Kysely<Database>, viewer: Viewer, recordId: string): Promise<VisibleRecord | null> {
  const row = await db.selectFrom('records')
    .innerJoin('patients', 'patients.id', 'records.patient_id')
    .selectAll('records')
    .select(['patients.external_id', 'patients.name', 'patients.search_text', 'patients.date_of_birth', 'patients.sex',
      'patients.height_cm', 'patients.weight_kg', 'patients.created_at as patient_created_at', 'patients.archived_at', 'patients.archived_by'])
    .where('records.id', '=', recordId)
    .$if(!seesEveryPatient(viewer), (qb) => qb.where(inCareOf(viewer, 'records.patient_id')))
    .executeTakeFirst();
  if (!row) return null;
  const { external_id, name, search_text, date_of_birth, sex, height_cm, weight_kg, patient_created_at, archived_at, archived_by, ...record } = row;
  const patient: Patient = { id: record.patient_id, external_id, name, search_text, date_of_birth, sex, height_cm, weight_kg, created_at: patient_created_at, archived_at, archived_by };
  return { record, patient };
}

/** The channels a record has, in export order. */
export async function recordChannels(db: Kysely<Database>, recordId: string): Promise<Channel[]> {
  const rows = await db.selectFrom('record_summaries').select('datatype').where('record_id', '=', recordId).execute();
  return channelsInOrder(rows.map((row) => row.datatype));
}

export interface RecordDetails extends VisibleRecord {
  channels: Channel[];
  metrics: RecordMetrics;
}

/** Everything the record page shows except the series; null answers 404. */
export async function findRecordFor(ctx: Pick<AppContext, 'db'>, viewer: Viewer, recordId: string): Promise<RecordDetails | null> {
  const visible = await findVisibleRecord(ctx.db, viewer, recordId);
  if (!visible) return null;
  const metrics = await readMetrics(ctx.db, recordId);
  return { ...visible, channels: channelsInOrder(metrics.summaries.map((s) => s.datatype)), metrics };
}

export interface RecordListEntry {
  id: string;
  startedAt: number;
  endedAt: number;
  durationSeconds: number;
  deviceSerial: string | null;
  status: RecordStatus;
  averageHeartRate: number | null;
  averageBreathingRate: number | null;
}

export interface RecordPage {
  records: RecordListEntry[];
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  pageCount: number;
}

export const RECORD_PAGE_SIZE_MAX = 100;

/** A patient's records, newest first, one page at a time; null when the viewer may not see the patient. */
export async function listRecordsFor(ctx: Pick<AppContext, 'db'>, viewer: Viewer, patientId: string,
  options: { page?: number; pageSize?: number } = {}): Promise<RecordPage | null> {
  const patient = await ctx.db.selectFrom('patients').select('id').where('id', '=', patientId)
    .$if(!seesEveryPatient(viewer), (qb) => qb.where(inCareOf(viewer, 'patients.id')))
    .executeTakeFirst();
  if (!patient) return null;
  const pageSize = wholeNumberIn(options.pageSize, 1, RECORD_PAGE_SIZE_MAX, 20);
  const page = wholeNumberIn(options.page, 1, 1_000_000, 1);
  const [rows, count] = await Promise.all([
    ctx.db.selectFrom('records')
      .leftJoin('record_summaries as hr', (join) => join.onRef('hr.record_id', '=', 'records.id').on('hr.datatype', '=', HEART_RATE))
      .leftJoin('record_summaries as br', (join) => join.onRef('br.record_id', '=', 'records.id').on('br.datatype', '=', BREATHING_RATE))
      .select(['records.id', 'records.started_at', 'records.ended_at', 'records.sample_count', 'records.device_serial', 'records.status',
        'hr.average as heart_rate', 'br.average as breathing_rate'])
      .where('records.patient_id', '=', patientId)
      .orderBy('records.started_at', 'desc').orderBy('records.id', 'desc')
      .limit(pageSize).offset((page - 1) * pageSize)
      .execute(),
    ctx.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('count')).where('patient_id', '=', patientId).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.count);
  return {
    records: rows.map((row) => ({
      id: row.id, startedAt: row.started_at, endedAt: row.ended_at, durationSeconds: row.sample_count,
      deviceSerial: row.device_serial, status: row.status, averageHeartRate: row.heart_rate, averageBreathingRate: row.breathing_rate,
    })),
    total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** Samples [from, to) of a record that fall in a window of epoch ms; the whole record without one. */
export function sampleRange(record: Pick<HealthRecord, 'start_timestamp' | 'sample_count'>, window: { from?: number; to?: number } = {}): { from: number; to: number } {
  const start = timestampToMs(record.start_timestamp);
  const clamp = (index: number) => Math.min(record.sample_count, Math.max(0, index));
  // A missing or non-finite bound means the record's own start or end.
  const from = Number.isFinite(window.from) ? clamp(Math.ceil((window.from! - start) / 1000)) : 0;
  const to = Number.isFinite(window.to) ? clamp(Math.ceil((window.to! - start) / 1000)) : record.sample_count;
  return { from, to: Math.max(from, to) };
}

/** Deletes the record rows in scope (their series and summaries first: see health/erasure.ts). Returns how many. */
export async function deleteRecordRows(db: Kysely<Database>, scope: RecordScope): Promise<number> {
  const query = db.deleteFrom('records');
  const result = await ('recordId' in scope ? query.where('id', '=', scope.recordId) : query.where('patient_id', '=', scope.patientId))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
