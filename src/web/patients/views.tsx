import type { Patient } from '../../db/schema.js';
import { ageInYears } from '../../health/summaries.js';
import type { RecordPage } from '../../health/records.js';
import type { CareTeamMember } from '../../health/care-teams.js';
import { formatDuration, formatMeasure, type TimeFormat } from '../format.js';
import { Form } from '../views/form.js';
import { sexLabel } from '../views/identity.js';
import { Layout, Notice } from '../views/layout.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { ArchivePanel, FlagsPanel, NotesPanel, TrendsPanel, type PatientTriage } from './triage-panels.js';

export interface PatientPageProps {
  patient: Patient;
  records: RecordPage;
  now: number;
  times: TimeFormat;
  importError?: string | null;
  /** The default period of the report form: the last 7 clinic days. */
  reportPeriod: { from: string; to: string };
  careTeam?: { members: CareTeamMember[]; clinicians: { id: string; name: string; email: string }[]; error?: string | null } | null;
  triage: PatientTriage;
  notice?: string | null;
  note?: { error: string | null; correctsId: string | null; text?: string };
  flagsError?: string | null;
  /** Administrators also see the patient's audit trail and may delete the patient. */
  isAdmin?: boolean;
}

export function PatientPage(props: PatientPageProps) {
  const { patient, records, times, triage } = props;
  return (
    <Layout title={patient.name}>
      <p class="breadcrumb"><a href="/">Patients</a> ›</p>
      <div class="page-title">
        <h1>{patient.name}{patient.archived_at !== null && <> <span class="status status-archived">archived</span></>}</h1>
        <a class="button-secondary" href={`/patients/${patient.id}/edit`}>Edit details</a>
      </div>
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
          <div class="table-scroll" role="region" aria-label="Recordings" tabIndex={0}>
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

      <section class="panel" aria-labelledby="report-heading">
        <h2 id="report-heading">Clinical report (PDF)</h2>
        <p class="hint">A page of summary for the period, then the charts of each day. At most 31 days; times in {times.zone}.</p>
        <form method="get" action={`/patients/${patient.id}/report.pdf`} class="inline-form report-form">
          <label for="report-from">From</label>
          <input id="report-from" name="from" type="date" value={props.reportPeriod.from} required />
          <label for="report-to">to</label>
          <input id="report-to" name="to" type="date" value={props.reportPeriod.to} required />
          <button type="submit" class="button-secondary">Open the report</button>
        </form>
      </section>

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
      {props.isAdmin && (
        <section class="panel" aria-labelledby="erasure-heading">
          <h2 id="erasure-heading">Audit and erasure</h2>
          <p><a href={withQuery('/admin/audit', { patient: patient.id })}>Who opened, exported or changed this patient's data</a> (the audit log of the patient and all recordings).</p>
          <p class="hint">Deleting the patient removes all recordings with their data and the care team, for good; the audit log keeps the ids and the reason.</p>
          <p><a class="button-danger-outline" href={`/patients/${patient.id}/delete`}>Delete this patient…</a></p>
        </section>
      )}
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
