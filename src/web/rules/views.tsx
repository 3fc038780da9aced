// The thresholds pages: the clinic's defaults (admins) and one patient's own values (care team).
import type { Patient } from '../../db/schema.js';
import type { EvaluationProgress } from '../../health/evaluation-jobs.js';
import { describeCondition, formatNumber, RULES, type Rule, type RuleId, type RuleSettings } from '../../health/rules/definitions.js';
import type { PatientOverrides } from '../../health/rules/settings.js';
import { AdminNav } from '../admin/views.js';
import { EvaluationNotice } from '../patients/triage-panels.js';
import { SeverityLabel } from '../views/flags.js';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';

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

function RuleFields(props: { rule: Rule; values: RuleFormValues; placeholder: { threshold: string; duration: string }; fallback: string }) {
  const { rule, values } = props;
  const step = rule.threshold.decimals === 0 ? '1' : '0.1';
  return (
    <>
      <div class="field">
        <label for={`threshold_${rule.id}`}>{rule.threshold.label} ({rule.threshold.unit})</label>
        <input id={`threshold_${rule.id}`} name={`threshold_${rule.id}`} type="number" inputMode="decimal" step={step}
          min={rule.threshold.min} max={rule.threshold.max} value={values[`threshold_${rule.id}`] ?? ''} placeholder={props.placeholder.threshold}
          aria-describedby={`hint_${rule.id}`} />
      </div>
      {rule.kind === 'run' && (
        <div class="field">
          <label for={`duration_${rule.id}`}>{rule.duration.label} (min)</label>
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
  return (
    <Layout title="Clinical rules">
      <AdminNav />
      <h1>Clinical rules</h1>
      <p>The clinic's thresholds: each clinician may set a patient's own on the patient's page. A change re-evaluates the flags of the last 90 days in the background; flags already reviewed stay reviewed while they still hold. HMS flags what to look at; it does not diagnose.</p>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.progress.patients > 0 && <EvaluationNotice progress={props.progress} />}
      {props.error && <Notice kind="error" id="rules-error">{props.error}</Notice>}
      <Form action="/admin/rules" class="rules-form">
        {RULES.map((rule) => {
          const defaults = { threshold: formatNumber(rule.threshold.default, rule.threshold.decimals), duration: rule.kind === 'run' ? minutes(rule.duration.default) : '' };
          return (
            <fieldset class="rule" key={rule.id}>
              <legend><SeverityLabel severity={rule.severity} /> {rule.label}</legend>
              <p class="rule-now">Trips when {describeCondition(rule, props.settings[rule.id])}.</p>
              <RuleFields rule={rule} values={props.values} placeholder={defaults}
                fallback={`Empty: the default, ${defaults.threshold} ${rule.threshold.unit}${rule.kind === 'run' ? ` for ${defaults.duration} min` : ''}.`} />
            </fieldset>
          );
        })}
        <button type="submit" class="button-primary">Save the clinic's thresholds</button>
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
  return (
    <Layout title={`Thresholds for ${patient.name}`}>
      <p class="breadcrumb"><a href="/">Patients</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <h1>Thresholds for {patient.name}</h1>
      <p>Leave a field empty to use the clinic's value. A change re-evaluates this patient's flags of the last 90 days in the background; flags already reviewed stay reviewed while they still hold.</p>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.progress.patients > 0 && <EvaluationNotice progress={props.progress} />}
      {props.error && <Notice kind="error" id="rules-error">{props.error}</Notice>}
      <Form action={`/patients/${patient.id}/rules`} class="rules-form">
        {RULES.map((rule) => {
          const clinic = props.clinic[rule.id];
          const placeholder = { threshold: formatNumber(clinic.threshold, rule.threshold.decimals), duration: minutes(clinic.durationSeconds) };
          const own = props.overrides[rule.id];
          return (
            <fieldset class="rule" key={rule.id}>
              <legend><SeverityLabel severity={rule.severity} /> {rule.label}{own && <span class="status status-own">own value</span>}</legend>
              <p class="rule-now">Clinic: trips when {describeCondition(rule, clinic)}.</p>
              <RuleFields rule={rule} values={props.values} placeholder={placeholder}
                fallback={`Empty: the clinic's ${placeholder.threshold} ${rule.threshold.unit}${rule.kind === 'run' ? ` for ${placeholder.duration} min` : ''}.`} />
            </fieldset>
          );
        })}
        <button type="submit" class="button-primary">Save this patient's thresholds</button>
      </Form>
    </Layout>
  );
}
