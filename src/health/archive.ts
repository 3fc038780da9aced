// Archiving a patient: off the worklist (monitoring has ended), data kept, reversible. An archived
// patient gets no "no recent data" flag; bringing them back evaluates it again.
import type { AppContext } from '../context.js';
import { canSeePatient, type Viewer } from './access.js';
import { storeRecencyFlag } from './derived-data.js';
import { setPatientArchived } from './patients.js';

/** Null when the viewer may not see the patient (404); otherwise whether anything changed. */
export async function setArchivedFor(ctx: AppContext, viewer: Viewer, patientId: string, archived: boolean): Promise<boolean | null> {
  if (!(await canSeePatient(ctx.db, viewer, patientId))) return null;
  return ctx.db.transaction().execute(async (trx) => {
    const changed = await setPatientArchived(ctx, patientId, archived, viewer.id, trx);
    if (changed) await storeRecencyFlag(ctx, trx, patientId, null, 'rules');
    return changed;
  });
}
