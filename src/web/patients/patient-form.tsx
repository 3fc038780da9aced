// Adding and editing a patient: one form. An error is shown on the field it concerns (with
// aria-invalid), and that field gets the focus, so that a screen reader lands on it.
import type { PatientField } from '../../health/patients.js';
import { SEXES } from '../../health/patients.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { sexLabel } from '../views/identity.js';

export interface PatientFormProps {
  /** Absent: a new patient. */
  patientId?: string;
  values?: Record<string, string>;
  problem?: { field: PatientField | null; message: string } | null;
  today: string;
}

export function PatientFormPage(props: PatientFormProps) {
  const values = props.values ?? {};
  const { t } = usePage();
  const editing = props.patientId !== undefined;
  const title = !editing ? t('patients.worklist.addPatient') : values.name ? t('patients.form.editTitle', { name: values.name }) : t('patients.form.editPatient');
  const errorOf = (field: PatientField) => (props.problem?.field === field ? props.problem.message : null);
  const focus = (field: PatientField) => (props.problem ? props.problem.field === field : field === 'name' && !editing);
  const sexError = errorOf('sex');
  const dobError = errorOf('date_of_birth');
  return (
    <Layout title={title} narrow>
      <p class="breadcrumb"><a href="/">{t('patients.worklist.title')}</a> ›{editing && <> <a href={`/patients/${props.patientId}`}>{values.name}</a> ›</>}</p>
      <h1>{title}</h1>
      {props.problem && props.problem.field === null && <Notice kind="error" id="patient-error">{props.problem.message}</Notice>}
      <Form action={editing ? `/patients/${props.patientId}/edit` : '/patients'} class="stack" novalidate>
        <TextField name="name" label={t('patients.form.name')} value={values.name} autofocus={focus('name')} maxLength={100} error={errorOf('name')} />
        <TextField name="external_id" label={t('patients.form.externalId')} value={values.external_id} maxLength={64} required={false}
          error={errorOf('external_id')} autofocus={focus('external_id')} />
        <div class={`field${dobError ? ' field-invalid' : ''}`}>
          <label for="date_of_birth">{t('patients.form.dateOfBirth')}</label>
          <p class="hint" id="date_of_birth-hint">{t('patients.form.dateOfBirthHint')}</p>
          {dobError && <p class="field-error" id="date_of_birth-error"><span class="visually-hidden">{t('patients.form.errorPrefix')}</span>{dobError}</p>}
          <input id="date_of_birth" name="date_of_birth" type="date" value={values.date_of_birth ?? ''} min="1900-01-01" max={props.today} required
            autofocus={focus('date_of_birth')} aria-invalid={dobError ? 'true' : undefined}
            aria-describedby={dobError ? 'date_of_birth-hint date_of_birth-error' : 'date_of_birth-hint'} />
        </div>
        <div class={`field${sexError ? ' field-invalid' : ''}`}>
          <label for="sex">{t('patients.page.sex')}</label>
          {sexError && <p class="field-error" id="sex-error"><span class="visually-hidden">{t('patients.form.errorPrefix')}</span>{sexError}</p>}
          <select id="sex" name="sex" required autofocus={focus('sex')} aria-invalid={sexError ? 'true' : undefined} aria-describedby={sexError ? 'sex-error' : undefined}>
            <option value="" selected={!values.sex}>{t('patients.form.choose')}</option>
            {SEXES.map((sex) => <option value={sex} selected={values.sex === sex} key={sex}>{sexLabel(sex, t)}</option>)}
          </select>
        </div>
        <TextField name="height_cm" label={t('patients.form.height')} value={values.height_cm} inputmode="decimal" maxLength={6} required={false}
          error={errorOf('height_cm')} autofocus={focus('height_cm')} />
        <TextField name="weight_kg" label={t('patients.form.weight')} value={values.weight_kg} inputmode="decimal" maxLength={6} required={false}
          hint={t('patients.form.weightHint')} error={errorOf('weight_kg')} autofocus={focus('weight_kg')} />
        <button type="submit" class="button-primary">{editing ? t('patients.form.save') : t('patients.form.add')}</button>
      </Form>
    </Layout>
  );
}
