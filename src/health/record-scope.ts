// Which recordings a deletion concerns: one, or all of a patient's. Each module that keeps rows
// per recording deletes its own rows for a scope (health/erasure.ts runs them in one transaction).
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.js';

export type RecordScope = { recordId: string } | { patientId: string };

/** The ids of the recordings in scope, as a value or a sub-query for `where record_id in …`. */
export function recordIdsIn(db: Kysely<Database>, scope: RecordScope): string[] | SelectQueryBuilder<Database, 'records', { id: string }> {
  return 'recordId' in scope ? [scope.recordId] : db.selectFrom('records').select('id').where('patient_id', '=', scope.patientId);
}
