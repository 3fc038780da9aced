// Who may see which patient: a clinician sees the patients whose care team they are in, an admin
// sees every patient. Every read of health data goes through these predicates; a patient the
// viewer may not see is indistinguishable from one that does not exist (callers answer 404).
import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, User } from '../db/schema.js';

export type Viewer = Pick<User, 'id' | 'role'>;

export function seesEveryPatient(viewer: Viewer): boolean {
  return viewer.role === 'admin';
}

/** A WHERE condition: the patient whose id is in `patientIdColumn` is in the viewer's care. */
export function inCareOf(viewer: Pick<Viewer, 'id'>, patientIdColumn: string): Expression<SqlBool> {
  const eb = expressionBuilder<Database, never>();
  return eb.exists(
    eb.selectFrom('care_team_members').select('care_team_members.patient_id')
      .where('care_team_members.user_id', '=', viewer.id)
      .where('care_team_members.patient_id', '=', sql.ref<string>(patientIdColumn)),
  );
}

export async function canSeePatient(db: Kysely<Database>, viewer: Viewer, patientId: string): Promise<boolean> {
  if (seesEveryPatient(viewer)) {
    return (await db.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst()) !== undefined;
  }
  const membership = await db.selectFrom('care_team_members').select('patient_id')
    .where('patient_id', '=', patientId).where('user_id', '=', viewer.id).executeTakeFirst();
  return membership !== undefined;
}
