import type { Patient, Sex } from '../../db/schema.js';
import { ageInYears } from '../../health/summaries.js';
import type { RecordPage } from '../../health/records.js';
import type { CareTeamMember } from '../../health/care-teams.js';
import { formatDuration, formatMeasure, type TimeFormat } from '../format.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { ArchivePanel, FlagsPanel, NotesPanel, TrendsPanel, type PatientTriage } from './triage-panels.js';

export interface PatientPageProps {
  patient: Patient;
  records: RecordPage;
  now: number;
  times: TimeFormat;
  importError?: string | null;
  careTeam?: { members: CareTeamMember[]; clinicians: { id: string; name: string; email: string }[]; error?: string | null } | null;
  triage: PatientTriage;
  notice?: string | null;
  note?: { error: string | null; correctsId: string | null; text?: string };
  flagsError?: string | null;
}

export function PatientPage(props: PatientPageProps) {
  const { patient, records, times, triage } = props;
  return (
    <Layout title={patient.name}>
      <p class="breadcrumb"><a href="/">Patients</a> ›</p>
      <h1>{patient.name}{patient.archived_at !== null && <> <span class="status status-archived">archived</span></>}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <dl class="facts">
        {patient.external_id && <><dt>Study id</dt><dd>{patient.external_id}</dd></>}
        <dt>Born</dt><dd>{patient.date_of_birth} ({ageInYears(patient.date_of_birth, props.now)} years)</dd>
        <dt>Sex</dt><dd>{sexLabel(patient.sex)}</dd>
        <dt>Height</dt><dd>{formatMeasure(patient.height_cm, 'cm')}</dd>
        <dt>Weight</dt><dd>{formatMeasure(patient.weight_kg, 'kg', 1)}</dd>
      </dl>

      <FlagsPanel patientId={patient.id} triage={triage} times={times} error={props.flagsError} />
      <TrendsPanel patientId={patient.id} triage={triage} />
      <NotesPanel patientId={patient.id} triage={triage} times={times} error={props.note?.error} text={props.note?.text} correctsId={props.note?.correctsId} />

      <h2 id="recordings">Recordings</h2>
      {records.total === 0 ? <p class="empty">No recordings yet.</p> : (
        <>
          <p class="hint">{records.total} recordings, newest first. Times in {times.zone}.</p>
          <div class="table-scroll">
          <table class="data-table">
            <thead><tr><th scope="col">Start</th><th scope="col">Duration</th><th scope="col">Device</th><th scope="col">Avg heart rate</th><th scope="col">Avg breathing</th></tr></thead>
            <tbody>
              {records.records.map((record) => (
                <tr key={record.id}>
                  <td><a href={`/records/${record.id}`}>{times.dateTime(record.startedAt)} {times.zoneAbbreviation(record.startedAt)}</a></td>
                  <td>{formatDuration(record.durationSeconds)}</td>
                  <td>{record.deviceSerial ?? '—'}</td>
                  <td>{formatMeasure(record.averageHeartRate, 'bpm')}</td>
                  <td>{formatMeasure(record.averageBreathingRate, 'rpm')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <Pagination page={records.page} pageCount={records.pageCount} label="Recording pages" href={(page) => withQuery(`/patients/${patient.id}`, { page })} />
        </>
      )}

      <section class="panel" aria-labelledby="import-heading">
        <h2 id="import-heading">Import a recording</h2>
        <p>A Hexoskin CSV export: first column <code>time [s/256]</code>, then any of heart rate, breathing rate, minute ventilation, activity, cadence and sleep position, in any order. Other columns are ignored and listed.</p>
        {props.importError && <Notice kind="error" id="import-error">{props.importError}</Notice>}
        <Form action={`/patients/${patient.id}/records`} multipart class="stack">
          <div class="field">
            <label for="device_serial">Device serial (optional)</label>
            <input id="device_serial" name="device_serial" type="text" maxLength={64} />
          </div>
          <div class={`field${props.importError ? ' field-invalid' : ''}`}>
            <label for="file">CSV file</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby={props.importError ? 'import-error' : undefined} />
          </div>
          <button type="submit" class="button-primary">Import</button>
        </Form>
      </section>

      <ArchivePanel patient={patient} times={times} />
      {props.careTeam && <CareTeamPanel patientId={patient.id} {...props.careTeam} />}
    </Layout>
  );
}

function CareTeamPanel(props: { patientId: string; members: CareTeamMember[]; clinicians: { id: string; name: string; email: string }[]; error?: string | null }) {
  const memberIds = new Set(props.members.map((m) => m.userId));
  const candidates = props.clinicians.filter((c) => !memberIds.has(c.id));
  return (
    <section class="panel" aria-labelledby="care-team-heading">
      <h2 id="care-team-heading">Care team</h2>
      <p class="hint">Clinicians in the care team see this patient and their recordings. Administrators see every patient.</p>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {props.members.length === 0 ? <p class="empty">No clinician yet.</p> : (
        <ul class="care-team">
          {props.members.map((member) => (
            <li key={member.userId}>
              {member.name} <span class="muted">{member.email}</span>
              <Form action={`/patients/${props.patientId}/care-team/remove`} class="inline-form">
                <input type="hidden" name="user_id" value={member.userId} />
                <button type="submit" class="button-link">Remove<span class="visually-hidden"> {member.name}</span></button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <Form action={`/patients/${props.patientId}/care-team`} class="inline-form">
          <label for="user_id">Add a clinician</label>
          <select id="user_id" name="user_id" required>
            {candidates.map((c) => <option value={c.id} key={c.id}>{c.name} ({c.email})</option>)}
          </select>
          <button type="submit" class="button-secondary">Add</button>
        </Form>
      )}
    </section>
  );
}

export interface NewPatientPageProps {
  values?: Record<string, string>;
  error?: string | null;
}

export function NewPatientPage(props: NewPatientPageProps) {
  const values = props.values ?? {};
  return (
    <Layout title="Add a patient" narrow>
      <p class="breadcrumb"><a href="/">Patients</a> ›</p>
      <h1>Add a patient</h1>
      {props.error && <Notice kind="error" id="patient-error">{props.error}</Notice>}
      <Form action="/patients" class="stack">
        <TextField name="name" label="Full name" value={values.name} autofocus maxLength={100} sharedErrorId={props.error ? 'patient-error' : undefined} />
        <TextField name="external_id" label="Study or external id (optional)" value={values.external_id} maxLength={64} required={false} />
        <TextField name="date_of_birth" label="Date of birth" value={values.date_of_birth} hint="YYYY-MM-DD, for example 1961-04-12" maxLength={10} />
        <div class="field">
          <label for="sex">Sex</label>
          <select id="sex" name="sex">
            {(['female', 'male', 'other', 'unknown'] as const).map((sex) => <option value={sex} selected={values.sex === sex} key={sex}>{sexLabel(sex)}</option>)}
          </select>
        </div>
        <TextField name="height_cm" label="Height in cm (optional)" value={values.height_cm} inputmode="numeric" maxLength={6} required={false} />
        <TextField name="weight_kg" label="Weight in kg (optional)" value={values.weight_kg} inputmode="numeric" maxLength={6} required={false} />
        <button type="submit" class="button-primary">Add patient</button>
      </Form>
    </Layout>
  );
}

export function sexLabel(sex: Sex): string {
  return { female: 'female', male: 'male', other: 'other', unknown: 'not recorded' }[sex];
}
