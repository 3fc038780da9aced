// Operations (issue #11): audit events name the patient and the recording they concern, so that
// "who looked at this patient" is one indexed query; the events written before are filled in
// from their details.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('patient_id', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('record_id', 'text').execute();

  const field = (name: string) => (isPostgres(db) ? sql.raw(`(details::jsonb ->> '${name}')`) : sql.raw(`json_extract(details, '$.${name}')`));
  await sql`update audit_events set record_id = ${field('record_id')}
    where event in ('health.record_imported', 'health.record_exported')`.execute(db);
  await sql`update audit_events set record_id = ${field('id')}
    where event = 'health.access_refused' and ${field('resource')} = 'record'
      and exists (select 1 from records where records.id = ${field('id')})`.execute(db);
  await sql`update audit_events set patient_id = ${field('patient_id')}
    where event in ('health.record_imported', 'patient.created', 'care_team.added', 'care_team.removed')`.execute(db);
  await sql`update audit_events set patient_id = ${field('id')}
    where event = 'health.access_refused' and ${field('resource')} = 'patient'
      and exists (select 1 from patients where patients.id = ${field('id')})`.execute(db);
  await sql`update audit_events set patient_id = (select records.patient_id from records where records.id = audit_events.record_id)
    where patient_id is null and record_id is not null`.execute(db);

  await db.schema.createIndex('audit_events_patient').on('audit_events').columns(['patient_id', 'at']).execute();
  await db.schema.createIndex('audit_events_record').on('audit_events').columns(['record_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_record').execute();
  await db.schema.dropIndex('audit_events_patient').execute();
  await db.schema.alterTable('audit_events').dropColumn('record_id').execute();
  await db.schema.alterTable('audit_events').dropColumn('patient_id').execute();
}
