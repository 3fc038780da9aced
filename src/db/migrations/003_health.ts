// Health data: patients, care teams, records, their series (binary chunks) and summary metrics.
import type { Kysely } from 'kysely';
import { binaryType, oneOf } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull().check(oneOf('sex', ['female', 'male', 'other', 'unknown'])))
    .addColumn('height_cm', 'double precision')
    .addColumn('weight_kg', 'double precision')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('care_team_members')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('care_team_members_pk', ['patient_id', 'user_id'])
    .execute();
  // Every clinician's page starts from "my patients".
  await db.schema.createIndex('care_team_members_user').on('care_team_members').columns(['user_id', 'patient_id']).execute();

  await db.schema.createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('start_timestamp', 'bigint', (c) => c.notNull())
    .addColumn('sample_count', 'integer', (c) => c.notNull())
    .addColumn('device_serial', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ['complete', 'recording'])))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('heart_rate_max_bpm', 'double precision')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('records_patient_content', ['patient_id', 'content_hash'])
    .execute();
  // Newest first per patient: the patient page, and the latest record on the patient list.
  await db.schema.createIndex('records_patient_started').on('records').columns(['patient_id', 'started_at']).execute();

  await db.schema.createTable('series_chunks')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('datatype', 'integer', (c) => c.notNull())
    .addColumn('chunk_index', 'integer', (c) => c.notNull())
    .addColumn('samples', binaryType(db), (c) => c.notNull())
    .addColumn('extremes', binaryType(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('series_chunks_pk', ['record_id', 'datatype', 'chunk_index'])
    .execute();

  await db.schema.createTable('record_summaries')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('datatype', 'integer', (c) => c.notNull())
    .addColumn('sample_count', 'integer', (c) => c.notNull())
    .addColumn('average', 'double precision')
    .addColumn('minimum', 'double precision')
    .addColumn('maximum', 'double precision')
    .addPrimaryKeyConstraint('record_summaries_pk', ['record_id', 'datatype'])
    .execute();

  await db.schema.createTable('record_category_times')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('datatype', 'integer', (c) => c.notNull())
    .addColumn('category', 'integer', (c) => c.notNull())
    .addColumn('seconds', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_category_times_pk', ['record_id', 'datatype', 'category'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['record_category_times', 'record_summaries', 'series_chunks', 'records', 'care_team_members', 'patients']) {
    await db.schema.dropTable(table).execute();
  }
}
