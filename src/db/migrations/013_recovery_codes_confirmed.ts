// Whether the user confirmed saving their recovery codes (issue #15): a set never confirmed is
// one the user may not have, so the account page and each sign-in say so until they act.
// Sets from before this column cannot tell: those still shown to a session (a row in
// recovery_code_reveals) stay unconfirmed, so that session's "I saved them" confirms them; the
// others are taken as confirmed rather than warn every existing user about codes they kept.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('recovery_codes').addColumn('confirmed_at', 'bigint').execute();
  await db.updateTable('recovery_codes').set({ confirmed_at: sql`created_at` })
    .where('user_id', 'not in', db.selectFrom('recovery_code_reveals').select('user_id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('recovery_codes').dropColumn('confirmed_at').execute();
}
