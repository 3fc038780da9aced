// Migrations are compiled in (not read from a folder) so they run the same from src/ and dist/.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { isPostgres } from './dialect-types.js';
import * as signIn from './migrations/001_sign_in.js';
import * as abuseAndAudit from './migrations/002_abuse_and_audit.js';
import * as health from './migrations/003_health.js';
import * as stepUp from './migrations/004_step_up.js';
import * as accountSecurity from './migrations/005_account_security.js';
import * as adminConsole from './migrations/006_admin_console.js';
import * as securityRoundTwo from './migrations/007_security_round_two.js';
import * as operations from './migrations/008_operations.js';
import * as clinicalTriage from './migrations/009_clinical_triage.js';
import * as mail from './migrations/010_mail.js';
import * as languages from './migrations/011_languages.js';
import * as flagValues from './migrations/012_flag_values.js';
import * as recoveryCodesConfirmed from './migrations/013_recovery_codes_confirmed.js';
import * as resetKeyChallenges from './migrations/014_reset_key_challenges.js';
import * as mailRequeuedAt from './migrations/015_mail_requeued_at.js';
import type { Database } from './schema.js';

const migrations: Record<string, Migration> = {
  '001_sign_in': signIn,
  '002_abuse_and_audit': abuseAndAudit,
  '003_health': health,
  '004_step_up': stepUp,
  '005_account_security': accountSecurity,
  '006_admin_console': adminConsole,
  '007_security_round_two': securityRoundTwo,
  '008_operations': operations,
  '009_clinical_triage': clinicalTriage,
  '010_mail': mail,
  '011_languages': languages,
  '012_flag_values': flagValues,
  '013_recovery_codes_confirmed': recoveryCodesConfirmed,
  '014_reset_key_challenges': resetKeyChallenges,
  '015_mail_requeued_at': mailRequeuedAt,
};

export const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date. On PostgreSQL, Kysely takes an advisory lock for the duration,
 * so instances starting together do not run the same migration twice.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema to exactly this migration, up or down: for tests of what a migration does to existing rows. */
export async function migrateTo(db: Kysely<Database>, name: string): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(db: Kysely<Database>, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; name the
  // connection's own schema (search_path), so databases shared by several schemas work.
  const migrationTableSchema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const { error, results } = await run(new Migrator({ db, provider, migrationTableSchema }));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
