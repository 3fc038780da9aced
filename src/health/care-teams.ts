// The only writer of care_team_members: which clinicians look after which patient. Admins
// decide it (the web layer lets only admins call these); admins themselves see every patient.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, Role } from '../db/schema.js';
import { LocalizedError } from '../i18n/localized-error.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** A care-team change refused: `problem` for the pages, the English text for the CLI and logs. */
export class CareTeamError extends LocalizedError {}

export interface CareTeamMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  assignedAt: number;
}

/** Adds a clinician to a patient's care team; assigning someone already in it changes nothing. */
export async function assignClinician(ctx: Ctx, patientId: string, userId: string, db = ctx.db): Promise<void> {
  const [patient, user] = await Promise.all([
    db.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst(),
    db.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', userId).executeTakeFirst(),
  ]);
  if (!patient) throw new CareTeamError({ key: 'patients.careTeam.noPatient' });
  if (!user) throw new CareTeamError({ key: 'patients.careTeam.noAccount' });
  if (user.role !== 'clinician') throw new CareTeamError({ key: 'patients.careTeam.onlyClinicians' });
  await db.insertInto('care_team_members')
    .values({ patient_id: patientId, user_id: userId, assigned_at: ctx.clock.now() })
    .onConflict((oc) => oc.columns(['patient_id', 'user_id']).doNothing())
    .execute();
}

/** Takes a clinician off a patient's care team. Returns whether they were in it. */
export async function removeClinician(ctx: Pick<AppContext, 'db'>, patientId: string, userId: string): Promise<boolean> {
  const result = await ctx.db.deleteFrom('care_team_members')
    .where('patient_id', '=', patientId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listCareTeam(ctx: Pick<AppContext, 'db'>, patientId: string): Promise<CareTeamMember[]> {
  const rows = await ctx.db.selectFrom('care_team_members')
    .innerJoin('users', 'users.id', 'care_team_members.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'care_team_members.assigned_at'])
    .where('care_team_members.patient_id', '=', patientId)
    .orderBy('users.name')
    .execute();
  return rows.map((row) => ({ userId: row.id, name: row.name, email: row.email, role: row.role, assignedAt: row.assigned_at }));
}

/** Empties a patient's care team (erasure of the patient). */
export async function removeCareTeam(db: Kysely<Database>, patientId: string): Promise<void> {
  await db.deleteFrom('care_team_members').where('patient_id', '=', patientId).execute();
}
