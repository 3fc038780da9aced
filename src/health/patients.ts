// The only writer of patients. The patients a viewer sees are listed by worklist.ts.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, Patient, Sex } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import { newId } from '../auth/tokens.js';
import { LocalizedError } from '../i18n/localized-error.js';
import { translator, type Message, type MessageKey, type MessageValues } from '../i18n/translate.js';
import { inCareOf, seesEveryPatient, type Viewer } from './access.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const SEXES: readonly Sex[] = ['female', 'male', 'other', 'unknown'];
export const PATIENT_NAME_MAX_LENGTH = 100;
export const EXTERNAL_ID_MAX_LENGTH = 64;

/** A patient that cannot be saved: `problem` for the pages, the English text for the CLI and logs. */
export class PatientError extends LocalizedError {}

export interface PatientInput {
  externalId?: string | null;
  name: string;
  dateOfBirth: string;
  sex: Sex;
  heightCm?: number | null;
  weightKg?: number | null;
}

export type PatientField = 'name' | 'external_id' | 'date_of_birth' | 'sex' | 'height_cm' | 'weight_kg';

export interface PatientProblem {
  /** The form field it concerns (the form's field names). */
  field: PatientField;
  /** In English (the CLI); pages show `problem` in their language. */
  message: string;
  problem: Message;
}

/** Checks a patient's fields; returns the first problem with the field it concerns, or null. */
export function patientFieldProblem(input: PatientInput, now: number): PatientProblem | null {
  const problem = (field: PatientField, key: MessageKey, values?: MessageValues) =>
    ({ field, message: translator('en')(key, values), problem: { key, values } });
  const name = input.name.trim();
  if (name.length === 0) return problem('name', 'patients.problem.nameMissing');
  if (name.length > PATIENT_NAME_MAX_LENGTH) return problem('name', 'patients.problem.nameTooLong', { max: PATIENT_NAME_MAX_LENGTH });
  const externalId = input.externalId?.trim() ?? '';
  if (externalId.length > EXTERNAL_ID_MAX_LENGTH) return problem('external_id', 'patients.problem.externalIdTooLong', { max: EXTERNAL_ID_MAX_LENGTH });
  if (!isIsoDate(input.dateOfBirth)) return problem('date_of_birth', 'patients.problem.dateOfBirthFormat');
  if (input.dateOfBirth < '1900-01-01' || Date.parse(input.dateOfBirth) > now) return problem('date_of_birth', 'patients.problem.dateOfBirthRange');
  if (!SEXES.includes(input.sex)) return problem('sex', 'patients.problem.sex');
  if (input.heightCm != null && !(input.heightCm >= 20 && input.heightCm <= 280)) return problem('height_cm', 'patients.problem.height');
  if (input.weightKg != null && !(input.weightKg >= 0.5 && input.weightKg <= 650)) return problem('weight_kg', 'patients.problem.weight');
  return null;
}

/** Checks a patient's fields; returns the first problem, or null. */
export function patientProblem(input: PatientInput, now: number): Message | null {
  return patientFieldProblem(input, now)?.problem ?? null;
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value); // refuses 2023-02-30
}

/** Lower case without accents, so "Élodie" is found by "elodie" on SQLite and PostgreSQL alike. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function columnsOf(input: PatientInput) {
  const name = input.name.trim();
  const externalId = input.externalId?.trim() || null;
  return {
    external_id: externalId,
    name,
    search_text: foldForSearch(`${name}\n${externalId ?? ''}`),
    date_of_birth: input.dateOfBirth,
    sex: input.sex,
    height_cm: input.heightCm ?? null,
    weight_kg: input.weightKg ?? null,
  };
}

export async function createPatient(ctx: Ctx, input: PatientInput, db = ctx.db): Promise<Patient> {
  const problem = patientProblem(input, ctx.clock.now());
  if (problem) throw new PatientError(problem);
  const patient: Patient = { id: newId(), ...columnsOf(input), created_at: ctx.clock.now(), archived_at: null, archived_by: null };
  try {
    await db.insertInto('patients').values(patient).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new PatientError({ key: 'patients.problem.externalIdTaken', values: { id: patient.external_id } });
    throw error;
  }
  return patient;
}

export async function updatePatient(ctx: Ctx, patientId: string, input: PatientInput): Promise<Patient | null> {
  const problem = patientProblem(input, ctx.clock.now());
  if (problem) throw new PatientError(problem);
  try {
    await ctx.db.updateTable('patients').set(columnsOf(input)).where('id', '=', patientId).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new PatientError({ key: 'patients.problem.externalIdTaken', values: { id: input.externalId?.trim() ?? '' } });
    throw error;
  }
  return findPatient(ctx, patientId);
}

/** Any patient, whoever asks: for the CLI and admin tools, never for a clinician's request. */
export async function findPatient(ctx: Pick<AppContext, 'db'>, patientId: string): Promise<Patient | null> {
  return (await ctx.db.selectFrom('patients').selectAll().where('id', '=', patientId).executeTakeFirst()) ?? null;
}

/** The patient, or null when it does not exist or the viewer may not see it (answer 404 either way). */
export async function findPatientFor(ctx: Pick<AppContext, 'db'>, viewer: Viewer, patientId: string): Promise<Patient | null> {
  const patient = await ctx.db.selectFrom('patients').selectAll()
    .where('id', '=', patientId)
    .$if(!seesEveryPatient(viewer), (qb) => qb.where(inCareOf(viewer, 'patients.id')))
    .executeTakeFirst();
  return patient ?? null;
}

export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (char) => `!${char}`);
}

/** Deletes the patient row; her recordings and care team go first (health/erasure.ts). */
export async function deletePatientRow(db: Kysely<Database>, patientId: string): Promise<boolean> {
  const result = await db.deleteFrom('patients').where('id', '=', patientId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Archives a patient (hidden from the worklist; every recording, flag and note kept) or brings
 * them back. Returns whether anything changed. health/archive.ts is the entry point.
 */
export async function setPatientArchived(ctx: Ctx, patientId: string, archived: boolean, actorId: string | null, db = ctx.db): Promise<boolean> {
  const result = await db.updateTable('patients')
    .set(archived ? { archived_at: ctx.clock.now(), archived_by: actorId } : { archived_at: null, archived_by: null })
    .where('id', '=', patientId).where('archived_at', archived ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
