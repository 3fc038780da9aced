// Erasure of health data: a recording (imported by mistake, or for the wrong patient), or a
// patient with everything kept about her. Every table goes in one transaction, through the
// module that owns it, with the audit row: it happens whole, recorded, or not at all. The audit
// row keeps the ids and the reason, never a value of the data that went.
import type { Kysely } from 'kysely';
import { recordEvent } from '../auth/audit.js';
import type { ClientInfo } from '../auth/sessions.js';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { LocalizedError } from '../i18n/localized-error.js';
import type { Message } from '../i18n/translate.js';
import { inCareOf, seesEveryPatient, type Viewer } from './access.js';
import { removeCareTeam } from './care-teams.js';
import { recomputeForRecordings } from './derived-data.js';
import { deletePatientRow } from './patients.js';
import type { RecordScope } from './record-scope.js';
import { deleteRecordRows } from './records.js';
import { deleteSeries } from './series.js';
import { deleteSummaries } from './summaries.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'log' | 'config'>;

/** Who erases: a signed-in user (admin, or a clinician of the care team for a recording), or the command line. */
export type Eraser = { viewer: Viewer; client?: ClientInfo } | { via: 'cli' };

/** A refused deletion: `problem` for the page (reader's language), `message` in English (the command line's). */
export class ErasureError extends LocalizedError<Message | null> {}

export const ERASURE_REASON_MAX_LENGTH = 500;

/**
 * Deletes a recording with its series and summaries, then derives the patient's daily metrics
 * and flags of those days again. Null when the recording does not exist or the eraser may not delete it (admins
 * and the clinicians of the patient's care team may): answer 404 either way.
 */
export async function deleteRecording(ctx: Ctx, eraser: Eraser, recordId: string, reason: string): Promise<{ patientId: string } | null> {
  const why = checkedReason(reason);
  return ctx.db.transaction().execute(async (trx) => {
    const record = await trx.selectFrom('records').select(['id', 'patient_id', 'started_at', 'ended_at']).where('id', '=', recordId)
      .$if('viewer' in eraser && !seesEveryPatient(eraser.viewer), (qb) => qb.where(inCareOf((eraser as { viewer: Viewer }).viewer, 'records.patient_id')))
      .executeTakeFirst();
    if (!record) return null;
    await eraseRecordings(trx, { recordId: record.id });
    // Daily metrics and flags were derived from it at import: the days it covered are derived again.
    await recomputeForRecordings(ctx, trx, record.patient_id, [record]);
    await audit(ctx, trx, eraser, 'health.record_deleted', { patientId: record.patient_id, recordId: record.id }, { reason: why });
    return { patientId: record.patient_id };
  });
}

/**
 * Deletes a patient: every recording with its series and summaries, her care team, then her.
 * Administrators and the command line only. Null when there is no such patient (or the eraser is
 * not an administrator): answer 404.
 */
export async function deletePatient(ctx: Ctx, eraser: Eraser, patientId: string, reason: string): Promise<{ recordings: number } | null> {
  const why = checkedReason(reason);
  if ('viewer' in eraser && eraser.viewer.role !== 'admin') return null;
  return ctx.db.transaction().execute(async (trx) => {
    const patient = await trx.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst();
    if (!patient) return null;
    const recordings = await eraseRecordings(trx, { patientId: patient.id });
    await removeCareTeam(trx, patient.id);
    // Derived data, notes, tags and rule settings cascade from the patient row (migration 009).
    await deletePatientRow(trx, patient.id);
    await audit(ctx, trx, eraser, 'health.patient_deleted', { patientId: patient.id }, { reason: why, recordings });
    return { recordings };
  });
}

/** The recordings in scope and everything stored per recording. Returns how many recordings went. */
async function eraseRecordings(trx: Kysely<Database>, scope: RecordScope): Promise<number> {
  await deleteSeries(trx, scope);
  await deleteSummaries(trx, scope);
  return deleteRecordRows(trx, scope);
}

function checkedReason(reason: string): string {
  const why = reason.trim();
  if (why.length === 0) throw new ErasureError({ key: 'admin.erasure.reasonMissing' });
  if (why.length > ERASURE_REASON_MAX_LENGTH) throw new ErasureError({ key: 'admin.erasure.reasonTooLong', values: { max: ERASURE_REASON_MAX_LENGTH } });
  return why;
}

function audit(ctx: Ctx, trx: Kysely<Database>, eraser: Eraser, event: 'health.record_deleted' | 'health.patient_deleted',
  ids: { patientId: string; recordId?: string }, details: Record<string, string | number>): Promise<void> {
  return recordEvent({ db: trx, clock: ctx.clock, log: ctx.log }, {
    event, ...ids,
    actorUserId: 'viewer' in eraser ? eraser.viewer.id : null,
    clientIp: 'client' in eraser ? eraser.client?.clientIp : null,
    userAgent: 'client' in eraser ? eraser.client?.userAgent : null,
    details: 'via' in eraser ? { ...details, via: eraser.via } : details,
  });
}
