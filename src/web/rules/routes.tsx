// Thresholds of the clinical rules: the clinic's defaults (/admin/rules, admins, with a fresh
// code) and a patient's own (/patients/:id/rules, the care team). Every change is audited with
// its old and new value and re-evaluates the flags of the last 90 days in the background.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canSeePatient } from '../../health/access.js';
import { enqueueReevaluation, evaluationProgress, REEVALUATION_DAYS } from '../../health/evaluation-jobs.js';
import { findPatientFor } from '../../health/patients.js';
import { RULES, type RuleId } from '../../health/rules/definitions.js';
import {
  clinicSettings, patientOverrides, RuleSettingError, setClinicSettings, setPatientSettings, type AppliedChange, type RuleChange,
} from '../../health/rules/settings.js';
import { DAY } from '../../clock.js';
import type { Message } from '../../i18n/translate.js';
import { audit } from '../audit.js';
import { notInYourCare } from '../health-audit.js';
import { redirect, sendPage } from '../render.js';
import { requestTranslator } from '../language.js';
import { csrfField, describeProblems, field, optionalField } from '../validation.js';
import { ClinicRulesPage, PatientRulesPage, ruleFormValues, type RuleFormValues } from './views.js';

const ruleForm = z.object({
  ...Object.fromEntries(RULES.flatMap((rule) => [
    [`threshold_${rule.id}`, optionalField('field.ruleThreshold', 20, { rule: { key: rule.labelKey } })],
    [`duration_${rule.id}`, optionalField('field.ruleDuration', 20, { rule: { key: rule.labelKey } })],
  ])),
  _csrf: csrfField,
}) as z.ZodType<Record<string, string | undefined>>;
const patientParams = z.object({ id: field('field.patientId', 64) });
const doneQuery = z.object({ saved: z.coerce.number().int().min(0).optional().catch(undefined) });

/** The typed values as changes (empty: the inherited value), or a message naming the field that is not a number. */
export function changesFrom(values: RuleFormValues): RuleChange[] | Message {
  const changes: RuleChange[] = [];
  for (const rule of RULES) {
    const threshold = numberOrNull(values[`threshold_${rule.id}`]);
    const minutes = rule.kind === 'run' ? numberOrNull(values[`duration_${rule.id}`]) : null;
    if (Number.isNaN(threshold)) return { key: 'admin.rules.notANumber', values: { rule: { key: rule.labelKey } } };
    if (Number.isNaN(minutes)) return { key: 'admin.rules.durationNotANumber', values: { rule: { key: rule.labelKey } } };
    changes.push({ rule: rule.id, threshold, durationSeconds: minutes === null ? null : Math.round(minutes * 60) });
  }
  return changes;
}

function numberOrNull(text: string | undefined): number | null {
  const trimmed = text?.trim().replace(',', '.') ?? '';
  return trimmed === '' ? null : Number(trimmed);
}

async function auditChanges(request: FastifyRequest, applied: AppliedChange[], patientId: string | null): Promise<void> {
  for (const change of applied) {
    await audit(request, 'health.rules_changed', {
      actorUserId: request.current!.user.id,
      details: {
        scope: patientId ? 'patient' : 'clinic', patient_id: patientId, rule: change.rule,
        old_threshold: change.before.threshold, new_threshold: change.after.threshold,
        old_duration_seconds: change.before.durationSeconds, new_duration_seconds: change.after.durationSeconds,
      },
    });
  }
}

export const ruleRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const savedNotice = (request: FastifyRequest, patients: number | undefined) => (patients === undefined ? null : request.t('admin.rules.saved', { patients }));

  app.get<{ Querystring: z.infer<typeof doneQuery> }>('/admin/rules', { config: { adminOnly: true }, schema: { querystring: doneQuery } }, async (request, reply) => {
    const settings = await clinicSettings(ctx.db);
    const own = await ctx.db.selectFrom('clinic_rule_settings').selectAll().execute();
    const values = ruleFormValues(Object.fromEntries(own.map((row) => [row.rule, { threshold: row.threshold, durationSeconds: row.duration_seconds }])));
    return sendPage(reply, 200, <ClinicRulesPage settings={settings} values={values} progress={await evaluationProgress(ctx.db)} notice={savedNotice(request, request.query.saved)} />);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/admin/rules', { config: { adminOnly: true, stepUp: true, formPage: () => '/admin/rules' }, schema: { body: ruleForm } }, async (request, reply) => {
    const { user } = request.current!;
    const refuse = async (error: string) => sendPage(reply, 400, (
      <ClinicRulesPage settings={await clinicSettings(ctx.db)} values={request.body} progress={await evaluationProgress(ctx.db)} error={error} />
    ));
    const changes = changesFrom(request.body);
    if (!Array.isArray(changes)) return refuse(describeProblems([changes], requestTranslator(request)));
    try {
      const { applied, patients } = await ctx.db.transaction().execute(async (trx) => {
        const applied = await setClinicSettings(ctx, user.id, changes, trx);
        const affected = await patientsAffectedByClinicChange(trx, applied);
        for (const [rules, ids] of affected) await enqueueReevaluation(ctx, trx, ids, rules.split(',') as RuleId[], user.id);
        return { applied, patients: new Set([...affected.values()].flat()).size };
      });
      await auditChanges(request, applied, null);
      app.evaluations.kick();
      return redirect(reply, `/admin/rules?saved=${patients}`);
    } catch (error) {
      if (!(error instanceof RuleSettingError)) throw error;
      return refuse(error.text(request));
    }
  });

  /** Patients on the worklist with data in the re-evaluated days (every one for "no recent data"), whose own value does not hide the change. */
  async function patientsAffectedByClinicChange(db: typeof ctx.db, applied: AppliedChange[]): Promise<Map<string, string[]>> {
    if (applied.length === 0) return new Map();
    const since = ctx.clock.now() - REEVALUATION_DAYS * DAY;
    const [patients, overrides] = await Promise.all([
      db.selectFrom('patients').select(['id', (eb) => eb.selectFrom('records').select((r) => r.fn.max('records.ended_at').as('e'))
        .whereRef('records.patient_id', '=', 'patients.id').as('last_end')])
        .where('archived_at', 'is', null).execute(),
      db.selectFrom('patient_rule_settings').select(['patient_id', 'rule', 'threshold', 'duration_seconds']).execute(),
    ]);
    const rulesOf = new Map<string, RuleId[]>();
    for (const patient of patients) {
      for (const change of applied) {
        if (change.rule !== 'no_recent_data' && !(Number(patient.last_end ?? 0) >= since)) continue;
        const own = overrides.find((o) => o.patient_id === patient.id && o.rule === change.rule);
        const thresholdHidden = change.before.threshold === change.after.threshold || own?.threshold != null;
        const durationHidden = change.before.durationSeconds === change.after.durationSeconds || own?.duration_seconds != null;
        if (thresholdHidden && durationHidden) continue;
        rulesOf.set(patient.id, [...(rulesOf.get(patient.id) ?? []), change.rule]);
      }
    }
    // Grouped by the set of rules, one queueing per group.
    const groups = new Map<string, string[]>();
    for (const [patientId, rules] of rulesOf) groups.set(rules.join(','), [...(groups.get(rules.join(',')) ?? []), patientId]);
    return groups;
  }

  app.get<{ Params: z.infer<typeof patientParams>; Querystring: z.infer<typeof doneQuery> }>('/patients/:id/rules',
    { schema: { params: patientParams, querystring: doneQuery } }, async (request, reply) => {
      return sendPatientRules(request, reply, request.params.id, 200, { notice: savedNotice(request, request.query.saved) });
    });

  async function sendPatientRules(request: FastifyRequest, reply: FastifyReply, patientId: string, status: number,
    extra: { notice?: string | null; error?: string; values?: RuleFormValues }) {
    const patient = await findPatientFor(ctx, request.current!.user, patientId);
    if (!patient) return notInYourCare(request, reply, 'patient', patientId);
    const [clinic, overrides, progress] = await Promise.all([clinicSettings(ctx.db), patientOverrides(ctx.db, patient.id), evaluationProgress(ctx.db, patient.id)]);
    return sendPage(reply, status, (
      <PatientRulesPage patient={patient} clinic={clinic} overrides={overrides} values={extra.values ?? ruleFormValues(overrides)} progress={progress}
        notice={extra.notice} error={extra.error} />
    ));
  }

  app.post<{ Params: z.infer<typeof patientParams>; Body: Record<string, string | undefined> }>('/patients/:id/rules',
    { schema: { params: patientParams, body: ruleForm } }, async (request, reply) => {
      const { user } = request.current!;
      const patientId = request.params.id;
      if (!(await canSeePatient(ctx.db, user, patientId))) return notInYourCare(request, reply, 'patient', patientId);
      const changes = changesFrom(request.body);
      if (!Array.isArray(changes)) return sendPatientRules(request, reply, patientId, 400, { error: describeProblems([changes], requestTranslator(request)), values: request.body });
      try {
        const applied = await ctx.db.transaction().execute(async (trx) => {
          const applied = await setPatientSettings(ctx, user.id, patientId, changes, trx);
          const effective = applied.filter((c) => c.effective).map((c) => c.rule);
          await enqueueReevaluation(ctx, trx, effective.length > 0 ? [patientId] : [], effective, user.id);
          return applied;
        });
        await auditChanges(request, applied, patientId);
        app.evaluations.kick();
        return redirect(reply, `/patients/${patientId}/rules?saved=${applied.some((c) => c.effective) ? 1 : 0}`);
      } catch (error) {
        if (!(error instanceof RuleSettingError)) throw error;
        return sendPatientRules(request, reply, patientId, 400, { error: error.text(request), values: request.body });
      }
    });
};
