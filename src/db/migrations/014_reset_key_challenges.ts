// A security key on the forgotten-password page (issue #15): the page has a reset link, not a
// session, so its WebAuthn challenge is bound to the link (the hash of its token) and goes with it.
// One live challenge per link, taken by the first answer, right or wrong, and expiring in minutes
// (auth/webauthn-challenges.ts, as for a session's).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('reset_webauthn_challenges')
    .addColumn('reset_hash', 'text', (c) => c.primaryKey().references('password_resets.token_hash').onDelete('cascade'))
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reset_webauthn_challenges').execute();
}
