// Security review, round two (issue #12): browsers known for an account (exempt from the lockouts
// strangers cause), a per-address budget of password checks (hash floods), re-pairing links after
// a support reset, and the one-time messages ("flash") a session shows after a redirect.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // OWASP "device cookies": a random token per account and browser, set after a full sign-in;
  // only its hash is stored. It carries its own small attempt budget.
  await db.schema.createTable('known_browsers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked_until', 'bigint')
    .addColumn('checks_window', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('checks', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('known_browsers_user').on('known_browsers').column('user_id').execute();

  // Every password check (right or wrong) from browsers not known for the account, per client
  // address (IPv6: per /64) and minute: each costs an Argon2id hash.
  await db.schema.createTable('address_password_checks')
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('address_password_checks_pk', ['client_key', 'window_start'])
    .execute();

  // An account whose second factor support reset pairs again only through a link support hands
  // over (its row is the gate; no token: support has yet to issue one). session_hash: the
  // sign-in that opened the link, the only one that may pair.
  await db.schema.createTable('pairing_links')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('session_hash', 'text')
    .execute();
  // Accounts reset before this version and not paired since: gated too, without a link yet.
  await sql`insert into pairing_links (user_id, token_hash, created_by, created_at, expires_at, session_hash)
    select subject_user_id, null, null, max(at), max(at), null from audit_events
    where event = 'admin.mfa_reset' and subject_user_id in (select id from users)
      and subject_user_id not in (select user_id from totp_credentials where confirmed_at is not null)
    group by subject_user_id`.execute(db);

  await db.schema.alterTable('sessions').addColumn('known_browser_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('flash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('flash').execute();
  await db.schema.alterTable('sessions').dropColumn('known_browser_id').execute();
  for (const table of ['pairing_links', 'address_password_checks', 'known_browsers']) await db.schema.dropTable(table).execute();
}
