// Attempt counters (password per email, second factor per account, failures per client address),
// a per-session count of wrong codes, and the audit log.
import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  // Keyed by a hash of the typed email, existing account or not: an unknown email is delayed
  // exactly like a known one, so the delay does not reveal which emails have accounts.
  await db.schema.createTable('password_throttles')
    .addColumn('email_hash', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('second_factor_locks')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('lockouts', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.createTable('address_throttles')
    .addColumn('client_ip', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('address_throttles_pk', ['client_ip', 'window_start'])
    .execute();

  await db.schema.alterTable('sessions')
    .addColumn('code_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await autoIncrementKey(db, db.schema.createTable('audit_events'), 'id')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    // No foreign keys: the record of what happened outlives the accounts it mentions.
    .addColumn('actor_user_id', 'text')
    .addColumn('subject_user_id', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_events_subject').on('audit_events').columns(['subject_user_id', 'at']).execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_user_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('sessions').dropColumn('code_failures').execute();
  for (const table of ['address_throttles', 'second_factor_locks', 'password_throttles']) {
    await db.schema.dropTable(table).execute();
  }
}
