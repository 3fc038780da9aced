// Mail (issue #15): the outbox every message is written to in the transaction of the event that
// causes it, password-reset links (only their hash), and the requests for them (rate limits).
import type { Kysely } from 'kysely';
import { binaryType } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // The message's parameters (JSON); sealed under the key ring (key_id) when they hold a link,
    // which is a credential until it is used.
    .addColumn('key_id', 'text')
    .addColumn('payload', binaryType(db))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'failed_at', 'next_attempt_at']).execute();

  await db.schema.createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('factor_verified_at', 'bigint')
    // The browser that proved the second factor (hash of its cookie): only it may set the password.
    .addColumn('browser_hash', 'text')
    .addColumn('code_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

  // One row per request for a link, per address and per client address: counted over the last hour.
  await db.schema.createTable('password_reset_requests')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_reset_requests_key').on('password_reset_requests').columns(['key', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['password_reset_requests', 'password_resets', 'mail_outbox']) await db.schema.dropTable(table).execute();
}
