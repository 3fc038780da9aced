// The worklist (`/`): who needs the clinician today. Flagged patients first; each row says why
// (chips in words), how the patient is doing against their own baseline, and who last reviewed.
// On a phone the table becomes one card per patient.
import { ageInYears } from '../../health/summaries.js';
import type { WorklistEntry, WorklistFilter, WorklistSort } from '../../health/worklist.js';
import type { MessageKey, Translator } from '../../i18n/translate.js';
import { FlagChip } from '../views/flags.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { durationText } from '../records/text.js';
import { sexLabel } from '../views/identity.js';

const FILTER_LABELS: Record<WorklistFilter, MessageKey> = {
  all: 'patients.worklist.filter.all',
  flagged: 'patients.worklist.filter.flagged',
  unreviewed: 'patients.worklist.filter.unreviewed',
  no_recent_data: 'patients.worklist.filter.noRecentData',
  archived: 'patients.worklist.filter.archived',
};
const SORT_LABELS: Record<WorklistSort, MessageKey> = {
  triage: 'patients.worklist.sort.triage',
  name: 'patients.worklist.sort.name',
  last_recording: 'patients.worklist.sort.lastRecording',
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
  canAddPatients: boolean;
  notice?: string | null;
}

export function WorklistPage(props: WorklistPageProps) {
  const { t, times } = usePage();
  const toReview = props.entries.filter((e) => e.unreviewed > 0).length;
  return (
    <Layout title={t('patients.worklist.title')}>
      <p class="greeting">{t('patients.worklist.welcome', { name: props.greeting })}</p>
      <div class="page-title">
        <h1>{t('patients.worklist.title')}</h1>
        {props.canAddPatients && <a class="button-secondary" href="/patients/new">{t('patients.worklist.addPatient')}</a>}
      </div>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <form method="get" action="/" class="search worklist-controls" role="search">
        <span class="control">
          <label for="q">{t('patients.worklist.search')}</label>
          <input id="q" name="q" type="search" value={props.search} maxLength={100} />
        </span>
        <span class="control">
          <label for="filter">{t('patients.worklist.show')}</label>
          <select id="filter" name="filter">
            {Object.entries(FILTER_LABELS).map(([value, label]) => <option value={value} selected={value === props.filter} key={value}>{t(label)}</option>)}
          </select>
        </span>
        <span class="control">
          <label for="sort">{t('patients.worklist.order')}</label>
          <select id="sort" name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => <option value={value} selected={value === props.sort} key={value}>{t(label)}</option>)}
          </select>
        </span>
        <button type="submit" class="button-secondary">{t('patients.worklist.show')}</button>
      </form>
      <p class="hint">
        {t('patients.worklist.summary', {
          count: props.total,
          searching: props.search ? 'yes' : 'no',
          search: props.search,
          filtered: props.filter === 'all' ? 'no' : 'yes',
          filter: t(FILTER_LABELS[props.filter]).toLocaleLowerCase(t.locale),
          toReview,
          zone: times.zone,
        })}
      </p>
      {props.entries.length === 0 ? (
        <p class="empty">{emptyText(props, t)}</p>
      ) : (
        <table class="data-table worklist card-table">
          <thead>
            <tr>
              <th scope="col">{t('patients.worklist.column.patient')}</th><th scope="col">{t('patients.worklist.column.flags')}</th>
              <th scope="col">{t('patients.worklist.column.lastRecording')}</th>
              <th scope="col">{t('patients.worklist.column.restingHr')} <span class="muted">{t('patients.worklist.column.restingHrBaseline')}</span></th>
              <th scope="col">{t('patients.worklist.column.nightBreathing')}</th>
              <th scope="col">{t('patients.worklist.column.wear')}</th><th scope="col">{t('patients.worklist.column.lastReview')}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => <WorklistRow entry={entry} now={props.now} key={entry.patient.id} />)}
          </tbody>
        </table>
      )}
      <Pagination page={props.page} pageCount={props.pageCount} label={t('patients.worklist.pages')}
        href={(page) => withQuery('/', { q: props.search, filter: props.filter === 'all' ? undefined : props.filter, sort: props.sort === 'triage' ? undefined : props.sort, page })} />
    </Layout>
  );
}

function emptyText(props: WorklistPageProps, t: Translator): string {
  if (props.search) return t('patients.worklist.empty.search');
  if (props.filter === 'unreviewed') return t('patients.worklist.empty.allReviewed');
  if (props.filter !== 'all') return t('patients.worklist.empty.filter');
  return t('patients.worklist.empty.none');
}

function WorklistRow(props: { entry: WorklistEntry; now: number }) {
  const { t, times } = usePage();
  const { entry } = props;
  const { patient, restingHeartRate: resting } = entry;
  const change = resting && resting.baselineMedian !== null ? Math.round(resting.bpm) - Math.round(resting.baselineMedian) : null;
  const none = (what: 'flags' | 'other') => <span class="muted">{t('patients.worklist.none', { what })}</span>;
  const age = t('patients.worklist.ageSex', { age: ageInYears(patient.date_of_birth, props.now), sex: sexLabel(patient.sex, t) });
  return (
    <tr class={entry.unreviewed > 0 ? 'has-flags' : undefined}>
      <td class="card-heading" data-label={t('patients.worklist.column.patient')}><div class="cell">
        <a href={`/patients/${patient.id}`} class="patient-name">{patient.name}</a>
        <br /><span class="muted">{patient.external_id ? `${patient.external_id} · ` : ''}{age}</span>
      </div></td>
      <td data-label={t('patients.worklist.column.flags')}><div class="cell">
        {entry.chips.length === 0 ? none('flags') : <span class="chips">{entry.chips.map((chip) => <FlagChip chip={chip} key={chip.rule} />)}</span>}
      </div></td>
      <td data-label={t('patients.worklist.column.lastRecording')}><div class="cell">
        {entry.lastRecording
          ? <a href={`/records/${entry.lastRecording.id}`}>{times.dateTime(entry.lastRecording.endedAt)} {times.zoneAbbreviation(entry.lastRecording.endedAt)}</a>
          : none('other')}
      </div></td>
      <td data-label={t('patients.worklist.column.restingHr')}><div class="cell">
        {resting ? (
          <span title={t('patients.worklist.restingHrOf', { day: resting.day })}>
            {times.measure(Math.round(resting.bpm), t('patients.unit.bpm'))}{change !== null ? `, ${change >= 0 ? '+' : '−'}${Math.abs(change)}` : ''}
            {change === null && <span class="muted"> {t('patients.worklist.noBaseline')}</span>}
          </span>
        ) : <span class="muted">—</span>}
      </div></td>
      <td data-label={t('patients.worklist.column.nightBreathing')}><div class="cell">
        {entry.nightBreathingRate ? times.measure(entry.nightBreathingRate.rpm, t('patients.unit.rpm'), 1) : <span class="muted">—</span>}
      </div></td>
      <td data-label={t('patients.worklist.column.wear')}><div class="cell">{entry.wearLast24h !== null ? durationText(t, entry.wearLast24h) : none('other')}</div></td>
      <td data-label={t('patients.worklist.column.lastReview')}><div class="cell">
        {entry.lastReview
          ? <>{entry.lastReview.reviewerName ?? t('patients.formerUser')}<br /><span class="muted">{times.dateTime(entry.lastReview.reviewedAt)} {times.zoneAbbreviation(entry.lastReview.reviewedAt)}</span></>
          : <span class="muted">—</span>}
      </div></td>
    </tr>
  );
}
