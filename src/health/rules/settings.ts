// The only writer of clinic_rule_settings and patient_rule_settings: the values each rule is
// evaluated with. A patient's value wins over the clinic's, which wins over the default of
// definitions.ts. Who may change what is the web layer's call (admins: clinic; care team: patient).
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { LocalizedError } from '../../i18n/localized-error.js';
import type { Message } from '../../i18n/translate.js';
import { defaultSettings, formatNumber, isRuleId, RULES, type Rule, type RuleId, type RuleSettings, type RuleValues } from './definitions.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** A value refused: `problem` for the page (in its language), `message` in English for the log and the CLI. */
export class RuleSettingError extends LocalizedError {}

/** What an admin or clinician asks for one rule; null: "use the clinic's (or default) value". */
export interface RuleChange {
  rule: RuleId;
  threshold: number | null;
  durationSeconds: number | null;
}

export interface AppliedChange {
  rule: RuleId;
  /** The setting written: the clinic's value, or the patient's own (null: the clinic's). */
  before: { threshold: number | null; durationSeconds: number | null };
  after: { threshold: number | null; durationSeconds: number | null };
  /** Whether the values the rule is evaluated with changed (flags need evaluating again). */
  effective: boolean;
}

/** A value outside a rule's range, said so that the form can show it. */
export function ruleValueProblem(rule: Rule, values: { threshold: number | null; durationSeconds: number | null }): Message | null {
  const { threshold, durationSeconds } = values;
  if (threshold !== null && !(threshold >= rule.threshold.min && threshold <= rule.threshold.max)) {
    return { key: 'records.ruleProblem.threshold', values: { rule: { key: rule.labelKey }, setting: { key: rule.threshold.labelKey }, min: rule.threshold.min, max: rule.threshold.max, unit: { key: rule.threshold.unitKey } } };
  }
  if (durationSeconds !== null) {
    if (rule.kind !== 'run') return { key: 'records.ruleProblem.noDuration', values: { rule: { key: rule.labelKey } } };
    if (!(durationSeconds >= rule.duration.min && durationSeconds <= rule.duration.max)) {
      return { key: 'records.ruleProblem.duration', values: { rule: { key: rule.labelKey }, min: Number(formatNumber(rule.duration.min / 60, 2)), max: rule.duration.max / 60 } };
    }
  }
  return null;
}

/** The clinic's values of every rule (defaults where the admin set none). */
export async function clinicSettings(db: Kysely<Database>): Promise<RuleSettings> {
  const settings = defaultSettings();
  for (const row of await db.selectFrom('clinic_rule_settings').selectAll().execute()) {
    if (!isRuleId(row.rule)) continue;
    settings[row.rule] = { threshold: row.threshold, durationSeconds: row.duration_seconds ?? settings[row.rule].durationSeconds };
  }
  return settings;
}

export type PatientOverrides = Partial<Record<RuleId, { threshold: number | null; durationSeconds: number | null; updatedBy: string | null; updatedAt: number }>>;

export async function patientOverrides(db: Kysely<Database>, patientId: string): Promise<PatientOverrides> {
  const rows = await db.selectFrom('patient_rule_settings').selectAll().where('patient_id', '=', patientId).execute();
  return Object.fromEntries(rows.filter((row) => isRuleId(row.rule)).map((row) => [row.rule, {
    threshold: row.threshold, durationSeconds: row.duration_seconds, updatedBy: row.updated_by, updatedAt: row.updated_at,
  }]));
}

function withOverrides(clinic: RuleSettings, overrides: PatientOverrides): RuleSettings {
  const settings = { ...clinic };
  for (const rule of RULES) {
    const own = overrides[rule.id];
    if (own) settings[rule.id] = { threshold: own.threshold ?? clinic[rule.id].threshold, durationSeconds: own.durationSeconds ?? clinic[rule.id].durationSeconds };
  }
  return settings;
}

/** The values a patient's data is evaluated with. */
export async function patientSettings(db: Kysely<Database>, patientId: string): Promise<RuleSettings> {
  const [clinic, overrides] = await Promise.all([clinicSettings(db), patientOverrides(db, patientId)]);
  return withOverrides(clinic, overrides);
}

/** The values of many patients at once (two queries). */
export async function settingsOfPatients(db: Kysely<Database>, patientIds: readonly string[]): Promise<Map<string, RuleSettings>> {
  const clinic = await clinicSettings(db);
  const rows = patientIds.length === 0 ? [] : await db.selectFrom('patient_rule_settings').selectAll().where('patient_id', 'in', [...patientIds]).execute();
  const overrides = new Map<string, PatientOverrides>();
  for (const row of rows) {
    if (!isRuleId(row.rule)) continue;
    const own = overrides.get(row.patient_id) ?? {};
    own[row.rule] = { threshold: row.threshold, durationSeconds: row.duration_seconds, updatedBy: row.updated_by, updatedAt: row.updated_at };
    overrides.set(row.patient_id, own);
  }
  return new Map(patientIds.map((id) => [id, withOverrides(clinic, overrides.get(id) ?? {})]));
}

function checked(changes: readonly RuleChange[]): void {
  for (const change of changes) {
    const rule = RULES.find((r) => r.id === change.rule);
    if (!rule) throw new RuleSettingError({ key: 'records.ruleProblem.unknown', values: { rule: change.rule } });
    const problem = ruleValueProblem(rule, change);
    if (problem) throw new RuleSettingError(problem);
  }
}

const same = (a: RuleValues, b: RuleValues) => a.threshold === b.threshold && a.durationSeconds === b.durationSeconds;

/**
 * Sets the clinic's values (null: back to the default). Returns what changed, old and new, for
 * the audit log and the re-evaluation; nothing is written for an unchanged rule.
 */
export async function setClinicSettings(ctx: Ctx, actorId: string, changes: readonly RuleChange[], db = ctx.db): Promise<AppliedChange[]> {
  checked(changes);
  const before = await clinicSettings(db);
  const defaults = defaultSettings();
  const applied: AppliedChange[] = [];
  for (const change of changes) {
    const after: RuleValues = {
      threshold: change.threshold ?? defaults[change.rule].threshold,
      durationSeconds: change.durationSeconds ?? defaults[change.rule].durationSeconds,
    };
    if (same(before[change.rule], after)) continue;
    applied.push({ rule: change.rule, before: before[change.rule], after, effective: true });
    await db.insertInto('clinic_rule_settings')
      .values({ rule: change.rule, threshold: after.threshold, duration_seconds: after.durationSeconds, updated_by: actorId, updated_at: ctx.clock.now() })
      .onConflict((oc) => oc.column('rule').doUpdateSet({ threshold: after.threshold, duration_seconds: after.durationSeconds, updated_by: actorId, updated_at: ctx.clock.now() }))
      .execute();
  }
  return applied;
}

/** Sets one patient's own values (null columns: the clinic's value). Returns every own value that changed. */
export async function setPatientSettings(ctx: Ctx, actorId: string, patientId: string, changes: readonly RuleChange[], db = ctx.db): Promise<AppliedChange[]> {
  checked(changes);
  const [clinic, overrides] = await Promise.all([clinicSettings(db), patientOverrides(db, patientId)]);
  const before = withOverrides(clinic, overrides);
  const applied: AppliedChange[] = [];
  for (const change of changes) {
    const own = overrides[change.rule];
    if ((own?.threshold ?? null) === change.threshold && (own?.durationSeconds ?? null) === change.durationSeconds) continue;
    const after: RuleValues = {
      threshold: change.threshold ?? clinic[change.rule].threshold,
      durationSeconds: change.durationSeconds ?? clinic[change.rule].durationSeconds,
    };
    if (change.threshold === null && change.durationSeconds === null) {
      await db.deleteFrom('patient_rule_settings').where('patient_id', '=', patientId).where('rule', '=', change.rule).execute();
    } else {
      const values = { threshold: change.threshold, duration_seconds: change.durationSeconds, updated_by: actorId, updated_at: ctx.clock.now() };
      await db.insertInto('patient_rule_settings').values({ patient_id: patientId, rule: change.rule, ...values })
        .onConflict((oc) => oc.columns(['patient_id', 'rule']).doUpdateSet(values))
        .execute();
    }
    applied.push({
      rule: change.rule, before: { threshold: own?.threshold ?? null, durationSeconds: own?.durationSeconds ?? null },
      after: { threshold: change.threshold, durationSeconds: change.durationSeconds }, effective: !same(before[change.rule], after),
    });
  }
  return applied;
}
