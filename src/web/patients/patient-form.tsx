// Adding and editing a patient: one form. An error is shown on the field it concerns (with
// aria-invalid), and that field gets the focus, so that a screen reader lands on it.
import type { PatientField } from '../../health/patients.js';
import { SEXES } from '../../health/patients.js';
import { Form, TextField } from '../views/form.js';
import { sexLabel } from '../views/identity.js';
import { Layout, Notice } from '../views/layout.js';

export interface PatientFormProps {
  /** Absent: a new patient. */
  patientId?: string;
  values?: Record<string, string>;
  problem?: { field: PatientField | null; message: string } | null;
  today: string;
}

export function PatientFormPage(props: PatientFormProps) {
  const values = props.values ?? {};
  const editing = props.patientId !== undefined;
  const title = editing ? `Edit ${values.name || 'patient'}` : 'Add a patient';
  const errorOf = (field: PatientField) => (props.problem?.field === field ? props.problem.message : null);
  const focus = (field: PatientField) => (props.problem ? props.problem.field === field : field === 'name' && !editing);
  const sexError = errorOf('sex');
  const dobError = errorOf('date_of_birth');
  return (
    <Layout title={title} narrow>
      <p class="breadcrumb"><a href="/">Patients</a> ›{editing && <> <a href={`/patients/${props.patientId}`}>{values.name}</a> ›</>}</p>
      <h1>{title}</h1>
      {props.problem && props.problem.field === null && <Notice kind="error" id="patient-error">{props.problem.message}</Notice>}
      <Form action={editing ? `/patients/${props.patientId}/edit` : '/patients'} class="stack" novalidate>
        <TextField name="name" label="Full name" value={values.name} autofocus={focus('name')} maxLength={100} error={errorOf('name')} />
        <TextField name="external_id" label="Study or external id (optional)" value={values.external_id} maxLength={64} required={false}
          error={errorOf('external_id')} autofocus={focus('external_id')} />
        <div class={`field${dobError ? ' field-invalid' : ''}`}>
          <label for="date_of_birth">Date of birth</label>
          <p class="hint" id="date_of_birth-hint">Year, month and day; typed without a date picker: 1961-04-12.</p>
          {dobError && <p class="field-error" id="date_of_birth-error"><span class="visually-hidden">Error: </span>{dobError}</p>}
          <input id="date_of_birth" name="date_of_birth" type="date" value={values.date_of_birth ?? ''} min="1900-01-01" max={props.today} required
            autofocus={focus('date_of_birth')} aria-invalid={dobError ? 'true' : undefined}
            aria-describedby={dobError ? 'date_of_birth-hint date_of_birth-error' : 'date_of_birth-hint'} />
        </div>
        <div class={`field${sexError ? ' field-invalid' : ''}`}>
          <label for="sex">Sex</label>
          {sexError && <p class="field-error" id="sex-error"><span class="visually-hidden">Error: </span>{sexError}</p>}
          <select id="sex" name="sex" required autofocus={focus('sex')} aria-invalid={sexError ? 'true' : undefined} aria-describedby={sexError ? 'sex-error' : undefined}>
            <option value="" selected={!values.sex}>Choose…</option>
            {SEXES.map((sex) => <option value={sex} selected={values.sex === sex} key={sex}>{sexLabel(sex)}</option>)}
          </select>
        </div>
        <TextField name="height_cm" label="Height in cm (optional)" value={values.height_cm} inputmode="decimal" maxLength={6} required={false}
          error={errorOf('height_cm')} autofocus={focus('height_cm')} />
        <TextField name="weight_kg" label="Weight in kg (optional)" value={values.weight_kg} inputmode="decimal" maxLength={6} required={false}
          hint="A decimal is fine: 61.5 or 61,5." error={errorOf('weight_kg')} autofocus={focus('weight_kg')} />
        <button type="submit" class="button-primary">{editing ? 'Save changes' : 'Add patient'}</button>
      </Form>
    </Layout>
  );
}
