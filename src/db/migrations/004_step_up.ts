// When a session last proved a second factor (a code), so that changes to accounts and factors
// can ask for a fresh proof: step-up.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('factor_verified_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('factor_verified_at').execute();
}
