import type { Patient } from '../../db/schema.js';
import { ERASURE_REASON_MAX_LENGTH } from '../../health/erasure.js';
import { formatDuration, type TimeFormat } from '../format.js';
import { Form, TextArea } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';

const REASON_HINT = 'For the audit log, e.g. "imported for the wrong patient" or the request that asked for it. The data itself is not kept.';

export interface PatientDeletionProps {
  patient: Patient;
  recordings: number;
  careTeam: number;
  reason?: string;
  error?: string | null;
}

export function PatientDeletionPage(props: PatientDeletionProps) {
  const { patient } = props;
  return (
    <Layout title={`Delete ${patient.name}`} narrow>
      <p class="breadcrumb"><a href="/">Patients</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <h1>Delete {patient.name}</h1>
      <Notice kind="error">
        This deletes the patient{patient.external_id ? <> ({patient.external_id})</> : null}, {countOf(props.recordings, 'recording')} with all their data,
        and {countOf(props.careTeam, 'care-team assignment')}. It cannot be undone; only a backup made before now still holds them.
      </Notice>
      <Form action={`/patients/${patient.id}/delete`} class="stack">
        <TextArea name="reason" label="Reason" hint={REASON_HINT} maxLength={ERASURE_REASON_MAX_LENGTH} value={props.reason} error={props.error ?? null} />
        <button type="submit" class="button-danger">Delete the patient and all recordings</button>
      </Form>
      <p><a href={`/patients/${patient.id}`}>Cancel, back to the patient</a></p>
    </Layout>
  );
}

export interface RecordDeletionProps {
  patient: Patient;
  record: { id: string; started_at: number; sample_count: number; device_serial: string | null };
  times: TimeFormat;
  reason?: string;
  error?: string | null;
}

export function RecordDeletionPage(props: RecordDeletionProps) {
  const { patient, record, times } = props;
  const when = `${times.dateTime(record.started_at)} ${times.zoneAbbreviation(record.started_at)}`;
  return (
    <Layout title="Delete a recording" narrow>
      <p class="breadcrumb"><a href="/">Patients</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> › <a href={`/records/${record.id}`}>Recording</a> ›</p>
      <h1>Delete the recording of {when}</h1>
      <Notice kind="error">
        This deletes {patient.name}'s recording of {when} ({formatDuration(record.sample_count)}{record.device_serial ? `, device ${record.device_serial}` : ''}) with
        its series and summary. It cannot be undone; only a backup made before now still holds it.
      </Notice>
      <Form action={`/records/${record.id}/delete`} class="stack">
        <TextArea name="reason" label="Reason" hint={REASON_HINT} maxLength={ERASURE_REASON_MAX_LENGTH} value={props.reason} error={props.error ?? null} />
        <button type="submit" class="button-danger">Delete this recording</button>
      </Form>
      <p><a href={`/records/${record.id}`}>Cancel, back to the recording</a></p>
    </Layout>
  );
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
