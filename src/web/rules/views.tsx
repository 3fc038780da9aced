// The thresholds pages: the clinic's defaults (admins) and one patient's own values (care team).
import type { Patient } from '../../db/schema.js';
import type { EvaluationProgress } from '../../health/evaluation-jobs.js';
import { conditionText, formatNumber, RULES, type Rule, type RuleId, type RuleSettings } from '../../health/rules/definitions.js';
import type { PatientOverrides } from '../../health/rules/settings.js';
import { AdminNav } from '../admin/views.js';
import { EvaluationNotice } from '../patients/triage-panels.js';
import { SeverityLabel } from '../views/flags.js';
import { Form } from '../views/form.js';
import type { TimeFormat } from '../format.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

/** Form values as typed: "threshold_<rule>" and "duration_<rule>" (minutes). */
export type RuleFormValues = Record<string, string | undefined>;

const minutes = (seconds: number | null) => (seconds === null ? '' : formatNumber(seconds / 60, 2));

export function ruleFormValues(settings: Partial<Record<RuleId, { threshold: number | null; durationSeconds: number | null }>>): RuleFormValues {
  const values: RuleFormValues = {};
  for (const rule of RULES) {
    const own = settings[rule.id];
    values[`threshold_${rule.id}`] = own?.threshold === null || own?.threshold === undefined ? '' : formatNumber(own.threshold, rule.threshold.decimals);
    if (rule.kind === 'run') values[`duration_${rule.id}`] = minutes(own?.durationSeconds ?? null);
  }
  return values;
}

/** A value as the page's language writes it: "7,5" in French, whole numbers without decimals. */
function shownNumber(times: TimeFormat, value: number, decimals: number): string {
  return times.number(value, Number.isInteger(value) ? 0 : decimals);
}

function RuleFields(props: { rule: Rule; values: RuleFormValues; placeholder: { threshold: string; duration: string }; fallback: string }) {
  const { rule, values } = props;
  const { t } = usePage();
  const step = rule.threshold.decimals === 0 ? '1' : '0.1';
  return (
    <>
      <div class="field">
        <label for={`threshold_${rule.id}`}>{t('admin.rules.thresholdLabel', { label: t(rule.threshold.labelKey), unit: t(rule.threshold.unitKey) })}</label>
        <input id={`threshold_${rule.id}`} name={`threshold_${rule.id}`} type="number" inputMode="decimal" step={step}
          min={rule.threshold.min} max={rule.threshold.max} value={values[`threshold_${rule.id}`] ?? ''} placeholder={props.placeholder.threshold}
          aria-describedby={`hint_${rule.id}`} />
      </div>
      {rule.kind === 'run' && (
        <div class="field">
          <label for={`duration_${rule.id}`}>{t('admin.rules.durationLabel', { label: t(rule.duration.labelKey) })}</label>
          <input id={`duration_${rule.id}`} name={`duration_${rule.id}`} type="number" inputMode="decimal" step="0.01"
            min={formatNumber(rule.duration.min / 60, 2)} max={rule.duration.max / 60} value={values[`duration_${rule.id}`] ?? ''}
            placeholder={props.placeholder.duration} aria-describedby={`hint_${rule.id}`} />
        </div>
      )}
      <p class="hint" id={`hint_${rule.id}`}>{props.fallback}</p>
    </>
  );
}

export interface ClinicRulesPageProps {
  settings: RuleSettings;
  values: RuleFormValues;
  progress: EvaluationProgress;
  notice?: string | null;
  error?: string | null;
}

export function ClinicRulesPage(props: ClinicRulesPageProps) {
  const { t, times } = usePage();
  return (
    <Layout title={t('admin.rules.title')}>
      <AdminNav />
      <h1>{t('admin.rules.title')}</h1>
      <p>{t('admin.rules.intro')}</p>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.progress.patients > 0 && <EvaluationNotice progress={props.progress} />}
      {props.error && <Notice kind="error" id="rules-error">{props.error}</Notice>}
      <Form action="/admin/rules" class="rules-form">
        {RULES.map((rule) => {
          const defaults = { threshold: formatNumber(rule.threshold.default, rule.threshold.decimals), duration: rule.kind === 'run' ? minutes(rule.duration.default) : '' };
          const shown = { threshold: shownNumber(times, rule.threshold.default, rule.threshold.decimals), unit: t(rule.threshold.unitKey) };
          return (
            <fieldset class="rule" key={rule.id}>
              <legend><SeverityLabel severity={rule.severity} /> {t(rule.labelKey)}</legend>
              <p class="rule-now">{t('admin.rules.tripsWhen', { condition: conditionText(t, rule, props.settings[rule.id]) })}</p>
              <RuleFields rule={rule} values={props.values} placeholder={defaults}
                fallback={rule.kind === 'run'
                  ? t('admin.rules.fallbackDefaultRun', { ...shown, duration: shownNumber(times, rule.duration.default / 60, 2) })
                  : t('admin.rules.fallbackDefault', shown)} />
            </fieldset>
          );
        })}
        <button type="submit" class="button-primary">{t('admin.rules.save')}</button>
      </Form>
    </Layout>
  );
}

export interface PatientRulesPageProps {
  patient: Patient;
  clinic: RuleSettings;
  overrides: PatientOverrides;
  values: RuleFormValues;
  progress: EvaluationProgress;
  notice?: string | null;
  error?: string | null;
}

export function PatientRulesPage(props: PatientRulesPageProps) {
  const { patient } = props;
  const { t, times } = usePage();
  const title = t('admin.patientRules.title', { name: patient.name });
  return (
    <Layout title={title}>
      <p class="breadcrumb"><a href="/">{t('admin.patientRules.patients')}</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <h1>{title}</h1>
      <p>{t('admin.patientRules.intro')}</p>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.progress.patients > 0 && <EvaluationNotice progress={props.progress} />}
      {props.error && <Notice kind="error" id="rules-error">{props.error}</Notice>}
      <Form action={`/patients/${patient.id}/rules`} class="rules-form">
        {RULES.map((rule) => {
          const clinic = props.clinic[rule.id];
          const placeholder = { threshold: formatNumber(clinic.threshold, rule.threshold.decimals), duration: minutes(clinic.durationSeconds) };
          const own = props.overrides[rule.id];
          const shown = { threshold: shownNumber(times, clinic.threshold, rule.threshold.decimals), unit: t(rule.threshold.unitKey) };
          return (
            <fieldset class="rule" key={rule.id}>
              <legend><SeverityLabel severity={rule.severity} /> {t(rule.labelKey)}{own && <span class="status status-own">{t('admin.patientRules.ownValue')}</span>}</legend>
              <p class="rule-now">{t('admin.patientRules.clinicTripsWhen', { condition: conditionText(t, rule, clinic) })}</p>
              <RuleFields rule={rule} values={props.values} placeholder={placeholder}
                fallback={rule.kind === 'run' && clinic.durationSeconds !== null
                  ? t('admin.patientRules.fallbackRun', { ...shown, duration: shownNumber(times, clinic.durationSeconds / 60, 2) })
                  : t('admin.patientRules.fallback', shown)} />
            </fieldset>
          );
        })}
        <button type="submit" class="button-primary">{t('admin.patientRules.save')}</button>
      </Form>
    </Layout>
  );
}
