// The worklist (`/`): who needs the clinician today. Flagged patients first; each row says why
// (chips in words), how the patient is doing against their own baseline, and who last reviewed.
// On a phone the table becomes one card per patient.
import { ageInYears } from '../../health/summaries.js';
import type { WorklistEntry, WorklistFilter, WorklistSort } from '../../health/worklist.js';
import { formatDuration, type TimeFormat } from '../format.js';
import { FlagChip } from '../views/flags.js';
import { Layout, Notice } from '../views/layout.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { sexLabel } from '../views/identity.js';

const FILTER_LABELS: Record<WorklistFilter, string> = {
  all: 'All patients',
  flagged: 'Flagged in the last 7 days',
  unreviewed: 'Not reviewed',
  no_recent_data: 'No recent data',
  archived: 'Archived',
};
const SORT_LABELS: Record<WorklistSort, string> = {
  triage: 'Flags to review first',
  name: 'Name',
  last_recording: 'Last recording',
};

export interface WorklistPageProps {
  greeting: string;
  entries: WorklistEntry[];
  total: number;
  search: string;
  filter: WorklistFilter;
  sort: WorklistSort;
  page: number;
  pageCount: number;
  now: number;
  times: TimeFormat;
  canAddPatients: boolean;
  notice?: string | null;
}

export function WorklistPage(props: WorklistPageProps) {
  const { times } = props;
  const toReview = props.entries.filter((e) => e.unreviewed > 0).length;
  return (
    <Layout title="Patients">
      <p class="greeting">Welcome, {props.greeting}</p>
      <div class="page-title">
        <h1>Patients</h1>
        {props.canAddPatients && <a class="button-secondary" href="/patients/new">Add a patient</a>}
      </div>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <form method="get" action="/" class="search worklist-controls" role="search">
        <span class="control">
          <label for="q">Search by name or study id</label>
          <input id="q" name="q" type="search" value={props.search} maxLength={100} />
        </span>
        <span class="control">
          <label for="filter">Show</label>
          <select id="filter" name="filter">
            {Object.entries(FILTER_LABELS).map(([value, label]) => <option value={value} selected={value === props.filter} key={value}>{label}</option>)}
          </select>
        </span>
        <span class="control">
          <label for="sort">Order</label>
          <select id="sort" name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => <option value={value} selected={value === props.sort} key={value}>{label}</option>)}
          </select>
        </span>
        <button type="submit" class="button-secondary">Show</button>
      </form>
      <p class="hint">
        {props.total === 1 ? '1 patient' : `${props.total} patients`}{props.search ? ` matching "${props.search}"` : ''}
        {props.filter !== 'all' && <> ({FILTER_LABELS[props.filter].toLowerCase()})</>}
        {toReview > 0 && <>; {toReview} on this page with flags to review</>}. Times in {times.zone}.
      </p>
      {props.entries.length === 0 ? (
        <p class="empty">{emptyText(props)}</p>
      ) : (
        <table class="data-table worklist">
          <thead>
            <tr>
              <th scope="col">Patient</th><th scope="col">Flags to review</th><th scope="col">Last recording ended</th>
              <th scope="col">Resting HR <span class="muted">(vs 14-day baseline)</span></th><th scope="col">Night breathing</th>
              <th scope="col">Wear, last 24 h</th><th scope="col">Last review</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => <WorklistRow entry={entry} now={props.now} times={times} key={entry.patient.id} />)}
          </tbody>
        </table>
      )}
      <Pagination page={props.page} pageCount={props.pageCount} label="Patient list pages"
        href={(page) => withQuery('/', { q: props.search, filter: props.filter === 'all' ? undefined : props.filter, sort: props.sort === 'triage' ? undefined : props.sort, page })} />
    </Layout>
  );
}

function emptyText(props: WorklistPageProps): string {
  if (props.search) return 'No patient matches this search.';
  if (props.filter === 'unreviewed') return 'Every flag has been reviewed.';
  if (props.filter !== 'all') return 'No patient here.';
  return 'No patients are assigned to you yet. An administrator assigns patients to clinicians.';
}

function WorklistRow(props: { entry: WorklistEntry; now: number; times: TimeFormat }) {
  const { entry, times } = props;
  const { patient, restingHeartRate: resting } = entry;
  const change = resting && resting.baselineMedian !== null ? Math.round(resting.bpm) - Math.round(resting.baselineMedian) : null;
  return (
    <tr class={entry.unreviewed > 0 ? 'has-flags' : undefined}>
      <td data-label="Patient"><div class="cell">
        <a href={`/patients/${patient.id}`} class="patient-name">{patient.name}</a>
        <br /><span class="muted">{patient.external_id ? `${patient.external_id} · ` : ''}{ageInYears(patient.date_of_birth, props.now)}, {sexLabel(patient.sex)}</span>
      </div></td>
      <td data-label="Flags to review"><div class="cell">
        {entry.chips.length === 0 ? <span class="muted">None</span> : <span class="chips">{entry.chips.map((chip) => <FlagChip chip={chip} key={chip.rule} />)}</span>}
      </div></td>
      <td data-label="Last recording ended"><div class="cell">
        {entry.lastRecording
          ? <a href={`/records/${entry.lastRecording.id}`}>{times.dateTime(entry.lastRecording.endedAt)} {times.zoneAbbreviation(entry.lastRecording.endedAt)}</a>
          : <span class="muted">None</span>}
      </div></td>
      <td data-label="Resting HR"><div class="cell">
        {resting ? (
          <span title={`Resting heart rate of ${resting.day}`}>
            {Math.round(resting.bpm)} bpm{change !== null ? `, ${change >= 0 ? '+' : '−'}${Math.abs(change)}` : ''}
            {change === null && <span class="muted"> (no baseline yet)</span>}
          </span>
        ) : <span class="muted">—</span>}
      </div></td>
      <td data-label="Night breathing"><div class="cell">{entry.nightBreathingRate ? `${entry.nightBreathingRate.rpm.toFixed(1)} rpm` : <span class="muted">—</span>}</div></td>
      <td data-label="Wear, last 24 h"><div class="cell">{entry.wearLast24h !== null ? formatDuration(entry.wearLast24h) : <span class="muted">None</span>}</div></td>
      <td data-label="Last review"><div class="cell">
        {entry.lastReview
          ? <>{entry.lastReview.reviewerName ?? 'a former user'}<br /><span class="muted">{times.dateTime(entry.lastReview.reviewedAt)} {times.zoneAbbreviation(entry.lastReview.reviewedAt)}</span></>
          : <span class="muted">—</span>}
      </div></td>
    </tr>
  );
}
