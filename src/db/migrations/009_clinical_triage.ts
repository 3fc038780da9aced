// Clinical triage (issue #13): rule settings (clinic and per patient), daily metrics and hourly
// wear, flags and their reviews, notes, tagged events, background re-evaluations, archived patients.
import type { Kysely } from 'kysely';
import { oneOf } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('patients').addColumn('archived_at', 'bigint').execute();
  await db.schema.alterTable('patients').addColumn('archived_by', 'text').execute();

  await db.schema.createTable('clinic_rule_settings')
    .addColumn('rule', 'text', (c) => c.primaryKey())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer')
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('patient_rule_settings')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision')
    .addColumn('duration_seconds', 'integer')
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_rule_settings_pk', ['patient_id', 'rule'])
    .execute();

  // A trend reads one patient's days of each metric in order; the worklist the last few days of
  // two metrics for many patients: both are index ranges on (patient, metric, day).
  await db.schema.createTable('daily_metrics')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.references('records.id').onDelete('set null'))
    .addPrimaryKeyConstraint('daily_metrics_pk', ['patient_id', 'metric', 'day'])
    .execute();

  await db.schema.createTable('hourly_wear')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('hour_start', 'bigint', (c) => c.notNull())
    .addColumn('seconds', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hourly_wear_pk', ['patient_id', 'hour_start'])
    .execute();

  await db.schema.createTable('flag_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewed_at', 'bigint', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().check(oneOf('scope', ['flag', 'record', 'patient'])))
    .addColumn('comment', 'text')
    .execute();
  await db.schema.createIndex('flag_reviews_patient').on('flag_reviews').columns(['patient_id', 'reviewed_at']).execute();

  await db.schema.createTable('flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('record_id', 'text', (c) => c.references('records.id').onDelete('set null'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(oneOf('severity', ['high', 'medium', 'low'])))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('day', 'text')
    .addColumn('value_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('review_id', 'text', (c) => c.references('flag_reviews.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('flags_patient_started').on('flags').columns(['patient_id', 'started_at']).execute();
  // The worklist asks, for each patient, about the flags nobody has reviewed yet.
  await db.schema.createIndex('flags_patient_review').on('flags').columns(['patient_id', 'review_id']).execute();

  await db.schema.createTable('notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('corrects_id', 'text', (c) => c.references('notes.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('notes_patient_created').on('notes').columns(['patient_id', 'created_at']).execute();

  await db.schema.createTable('record_tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['sleep', 'rest', 'exercise', 'symptom', 'other'])))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_tags_record').on('record_tags').columns(['record_id', 'started_at']).execute();
  await db.schema.createIndex('record_tags_patient').on('record_tags').columns(['patient_id', 'started_at']).execute();

  await db.schema.createTable('rule_evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('from_day', 'text', (c) => c.notNull())
    .addColumn('to_day', 'text', (c) => c.notNull())
    .addColumn('next_day', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('rule_evaluations_pending').on('rule_evaluations').columns(['finished_at', 'requested_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['rule_evaluations', 'record_tags', 'notes', 'flags', 'flag_reviews', 'hourly_wear', 'daily_metrics', 'patient_rule_settings', 'clinic_rule_settings']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('patients').dropColumn('archived_by').execute();
  await db.schema.alterTable('patients').dropColumn('archived_at').execute();
}
