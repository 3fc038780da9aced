// Languages (issue #16): the language an account chose for its pages and its e-mails. Null: no
// choice saved, the browser's decides (and HMS_DEFAULT_LANGUAGE for e-mails).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('language').execute();
}
