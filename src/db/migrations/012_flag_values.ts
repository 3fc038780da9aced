// Flag values in every reader's language (issue #16): the numbers, days and times that tripped a
// rule, as JSON (health/rules/flag-values.ts), so each page words them in its own language.
// Flags from before keep their English value_text (value_params null); value_text stays written
// in English for them and for whatever reads the table directly.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flags').addColumn('value_params', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flags').dropColumn('value_params').execute();
}
