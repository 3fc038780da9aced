import type { Patient } from '../../db/schema.js';
import { ERASURE_REASON_MAX_LENGTH } from '../../health/erasure.js';
import { formatDuration } from '../format.js';
import { Form, TextArea } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

export interface PatientDeletionProps {
  patient: Patient;
  recordings: number;
  careTeam: number;
  reason?: string;
  error?: string | null;
}

export function PatientDeletionPage(props: PatientDeletionProps) {
  const { patient } = props;
  const { t } = usePage();
  const title = t('admin.erasure.patientTitle', { name: patient.name });
  const counts = { recordings: props.recordings, assignments: props.careTeam };
  return (
    <Layout title={title} narrow>
      <p class="breadcrumb"><a href="/">{t('admin.erasure.patients')}</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <h1>{title}</h1>
      <Notice kind="error">
        {patient.external_id
          ? t('admin.erasure.patientWarningWithId', { ...counts, externalId: patient.external_id })
          : t('admin.erasure.patientWarning', counts)}
      </Notice>
      <Form action={`/patients/${patient.id}/delete`} class="stack">
        <TextArea name="reason" label={t('admin.erasure.reason')} hint={t('admin.erasure.reasonHint')} maxLength={ERASURE_REASON_MAX_LENGTH} value={props.reason} error={props.error ?? null} />
        <button type="submit" class="button-danger">{t('admin.erasure.patientButton')}</button>
      </Form>
      <p><a href={`/patients/${patient.id}`}>{t('admin.erasure.patientCancel')}</a></p>
    </Layout>
  );
}

export interface RecordDeletionProps {
  patient: Patient;
  record: { id: string; started_at: number; sample_count: number; device_serial: string | null };
  reason?: string;
  error?: string | null;
}

export function RecordDeletionPage(props: RecordDeletionProps) {
  const { patient, record } = props;
  const { t, times } = usePage();
  const when = `${times.dateTime(record.started_at)} ${times.zoneAbbreviation(record.started_at)}`;
  const about = { name: patient.name, when, duration: formatDuration(record.sample_count) };
  return (
    <Layout title={t('admin.erasure.recordTitle')} narrow>
      <p class="breadcrumb"><a href="/">{t('admin.erasure.patients')}</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> › <a href={`/records/${record.id}`}>{t('admin.erasure.recording')}</a> ›</p>
      <h1>{t('admin.erasure.recordHeading', { when })}</h1>
      <Notice kind="error">
        {record.device_serial
          ? t('admin.erasure.recordWarningWithDevice', { ...about, device: record.device_serial })
          : t('admin.erasure.recordWarning', about)}
      </Notice>
      <Form action={`/records/${record.id}/delete`} class="stack">
        <TextArea name="reason" label={t('admin.erasure.reason')} hint={t('admin.erasure.reasonHint')} maxLength={ERASURE_REASON_MAX_LENGTH} value={props.reason} error={props.error ?? null} />
        <button type="submit" class="button-danger">{t('admin.erasure.recordButton')}</button>
      </Form>
      <p><a href={`/records/${record.id}`}>{t('admin.erasure.recordCancel')}</a></p>
    </Layout>
  );
}
