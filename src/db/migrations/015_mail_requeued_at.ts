// When support last sent a given-up message again ("Send again"): its 3 days before giving up,
// and its retention, run from then, while created_at keeps the time it was first written (shown
// on the console's Mail page). Before this column "Send again" moved created_at itself.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('requeued_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('requeued_at').execute();
}
