// Every row of every table, to prove that a refused request changed nothing.
import type { AppContext } from '../../src/context.js';

export const TABLES = ['users', 'totp_credentials', 'sessions', 'remembered_devices', 'setup_tokens',
  'password_throttles', 'second_factor_locks', 'address_throttles', 'audit_events',
  'patients', 'care_team_members', 'records', 'series_chunks', 'record_summaries', 'record_category_times', 'invitations',
  'recovery_codes', 'recovery_code_reveals', 'security_keys', 'webauthn_challenges',
  'known_browsers', 'address_password_checks', 'pairing_links',

  'clinic_rule_settings', 'patient_rule_settings', 'daily_metrics', 'hourly_wear', 'flag_reviews', 'flags', 'notes', 'record_tags', 'rule_evaluations'] as const;

export async function snapshot(ctx: AppContext): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await ctx.db.selectFrom(table).selectAll().execute();
    result[table] = rows.map((row) => JSON.stringify(row, (_key, value) =>
      value?.type === 'Buffer' ? Buffer.from(value.data).toString('hex') : value)).sort();
  }
  return result;
}
