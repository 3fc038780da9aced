import type { Patient } from '../../db/schema.js';
import { ageInYears } from '../../health/summaries.js';
import type { RecordPage } from '../../health/records.js';
import type { CareTeamMember } from '../../health/care-teams.js';
import { durationText } from '../records/text.js';
import { sexLabel } from '../views/identity.js';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { ArchivePanel, FlagsPanel, NotesPanel, TrendsPanel, type PatientTriage } from './triage-panels.js';

export interface PatientPageProps {
  patient: Patient;
  records: RecordPage;
  now: number;
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
  const { patient, records, triage } = props;
  const { t, times } = usePage();
  return (
    <Layout title={patient.name}>
      <p class="breadcrumb"><a href="/">{t('patients.worklist.title')}</a> ›</p>
      <div class="page-title">
        <h1>{patient.name}{patient.archived_at !== null && <> <span class="status status-archived">{t('patients.page.archivedStatus')}</span></>}</h1>
        <a class="button-secondary" href={`/patients/${patient.id}/edit`}>{t('patients.page.editDetails')}</a>
      </div>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <dl class="facts">
        {patient.external_id && <><dt>{t('patients.page.studyId')}</dt><dd>{patient.external_id}</dd></>}
        <dt>{t('patients.page.born')}</dt><dd>{t('patients.page.bornValue', { date: patient.date_of_birth, age: ageInYears(patient.date_of_birth, props.now) })}</dd>
        <dt>{t('patients.page.sex')}</dt><dd>{sexLabel(patient.sex, t)}</dd>
        <dt>{t('patients.page.height')}</dt><dd>{times.measure(patient.height_cm, t('patients.unit.cm'))}</dd>
        <dt>{t('patients.page.weight')}</dt><dd>{times.measure(patient.weight_kg, t('patients.unit.kg'), 1)}</dd>
      </dl>

      <FlagsPanel patientId={patient.id} triage={triage} error={props.flagsError} />
      <TrendsPanel patientId={patient.id} triage={triage} />
      <NotesPanel patientId={patient.id} triage={triage} error={props.note?.error} text={props.note?.text} correctsId={props.note?.correctsId} />

      <h2 id="recordings">{t('patients.page.recordings')}</h2>
      {records.total === 0 ? <p class="empty">{t('patients.page.noRecordings')}</p> : (
        <>
          <p class="hint">{t('patients.page.recordingsHint', { count: records.total, zone: times.zone })}</p>
          <div class="table-scroll" role="region" aria-label={t('patients.page.recordings')} tabIndex={0}>
          <table class="data-table">
            <thead><tr>
              <th scope="col">{t('patients.page.column.start')}</th><th scope="col">{t('patients.page.column.duration')}</th>
              <th scope="col">{t('patients.page.column.device')}</th><th scope="col">{t('patients.page.column.heartRate')}</th>
              <th scope="col">{t('patients.page.column.breathing')}</th>
            </tr></thead>
            <tbody>
              {records.records.map((record) => (
                <tr key={record.id}>
                  <td><a href={`/records/${record.id}`}>{times.dateTime(record.startedAt)} {times.zoneAbbreviation(record.startedAt)}</a></td>
                  <td>{durationText(t, record.durationSeconds)}</td>
                  <td>{record.deviceSerial ?? '—'}</td>
                  <td>{times.measure(record.averageHeartRate, t('patients.unit.bpm'))}</td>
                  <td>{times.measure(record.averageBreathingRate, t('patients.unit.rpm'))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <Pagination page={records.page} pageCount={records.pageCount} label={t('patients.page.recordingPages')} href={(page) => withQuery(`/patients/${patient.id}`, { page })} />
        </>
      )}

      <section class="panel" aria-labelledby="report-heading">
        <h2 id="report-heading">{t('patients.page.report.title')}</h2>
        <p class="hint">{t('patients.page.report.hint', { zone: times.zone })}</p>
        <form method="get" action={`/patients/${patient.id}/report.pdf`} class="inline-form report-form">
          <label for="report-from">{t('patients.page.report.from')}</label>
          <input id="report-from" name="from" type="date" value={props.reportPeriod.from} required />
          <label for="report-to">{t('patients.page.report.to')}</label>
          <input id="report-to" name="to" type="date" value={props.reportPeriod.to} required />
          <button type="submit" class="button-secondary">{t('patients.page.report.open')}</button>
        </form>
      </section>

      <section class="panel" aria-labelledby="import-heading">
        <h2 id="import-heading">{t('patients.import.title')}</h2>
        <p>{t.rich('patients.import.intro', { code: (chunks) => <code>{chunks}</code> })}</p>
        {props.importError && <Notice kind="error" id="import-error">{props.importError}</Notice>}
        <Form action={`/patients/${patient.id}/records`} multipart class="stack">
          <div class="field">
            <label for="device_serial">{t('patients.import.deviceSerial')}</label>
            <input id="device_serial" name="device_serial" type="text" maxLength={64} />
          </div>
          <div class={`field${props.importError ? ' field-invalid' : ''}`}>
            <label for="file">{t('patients.import.file')}</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby={props.importError ? 'import-error' : undefined} />
          </div>
          <button type="submit" class="button-primary">{t('patients.import.submit')}</button>
        </Form>
      </section>

      <ArchivePanel patient={patient} />
      {props.careTeam && <CareTeamPanel patientId={patient.id} {...props.careTeam} />}
      {props.isAdmin && (
        <section class="panel" aria-labelledby="erasure-heading">
          <h2 id="erasure-heading">{t('patients.page.erasure.title')}</h2>
          <p>{t.rich('patients.page.erasure.audit', { link: (chunks) => <a href={withQuery('/admin/audit', { patient: patient.id })}>{chunks}</a> })}</p>
          <p class="hint">{t('patients.page.erasure.hint')}</p>
          <p><a class="button-danger-outline" href={`/patients/${patient.id}/delete`}>{t('patients.page.erasure.delete')}</a></p>
        </section>
      )}
    </Layout>
  );
}

function CareTeamPanel(props: { patientId: string; members: CareTeamMember[]; clinicians: { id: string; name: string; email: string }[]; error?: string | null }) {
  const memberIds = new Set(props.members.map((m) => m.userId));
  const candidates = props.clinicians.filter((c) => !memberIds.has(c.id));
  const { t } = usePage();
  return (
    <section class="panel" aria-labelledby="care-team-heading">
      <h2 id="care-team-heading">{t('patients.careTeam.title')}</h2>
      <p class="hint">{t('patients.careTeam.hint')}</p>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {props.members.length === 0 ? <p class="empty">{t('patients.careTeam.empty')}</p> : (
        <ul class="care-team">
          {props.members.map((member) => (
            <li key={member.userId}>
              {member.name} <span class="muted">{member.email}</span>
              <Form action={`/patients/${props.patientId}/care-team/remove`} class="inline-form">
                <input type="hidden" name="user_id" value={member.userId} />
                <button type="submit" class="button-link">{t('patients.careTeam.remove')}<span class="visually-hidden"> {member.name}</span></button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <Form action={`/patients/${props.patientId}/care-team`} class="inline-form">
          <label for="user_id">{t('patients.careTeam.addLabel')}</label>
          <select id="user_id" name="user_id" required>
            {candidates.map((c) => <option value={c.id} key={c.id}>{c.name} ({c.email})</option>)}
          </select>
          <button type="submit" class="button-secondary">{t('patients.careTeam.add')}</button>
        </Form>
      )}
    </section>
  );
}
