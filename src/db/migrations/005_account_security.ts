// Account security self-service (issue #4): recovery codes, the codes just shown to a session,
// security keys (WebAuthn) and their single-use challenges.
import type { Kysely } from 'kysely';
import { binaryType, oneOf } from '../dialect-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The first two characters in clear, so a typed code is checked against ~1 Argon2id hash, not 10.
    .addColumn('lookup', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('recovery_codes_user_lookup').on('recovery_codes').columns(['user_id', 'lookup']).execute();

  // Codes just generated, encrypted, readable only by the session they were shown to until the
  // user confirms they saved them: for the .txt download and a reload of the page.
  await db.schema.createTable('recovery_code_reveals')
    .addColumn('session_hash', 'text', (c) => c.primaryKey().references('sessions.id_hash').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('codes_ciphertext', binaryType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('security_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique()) // base64url, as WebAuthn names it
    .addColumn('public_key', binaryType(db), (c) => c.notNull()) // COSE key
    .addColumn('sign_count', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull()) // comma-separated hints for the browser
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('security_keys_user').on('security_keys').column('user_id').execute();

  // One live challenge per session and purpose; deleted when used, whether the answer was right or not.
  await db.schema.createTable('webauthn_challenges')
    .addColumn('session_hash', 'text', (c) => c.notNull().references('sessions.id_hash').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(oneOf('purpose', ['register', 'authenticate'])))
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('webauthn_challenges_pk', ['session_hash', 'purpose'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['webauthn_challenges', 'security_keys', 'recovery_code_reveals', 'recovery_codes']) {
    await db.schema.dropTable(table).execute();
  }
}
