// The patient page's clinical panels: flags to review, trends against the patient's baseline,
// the notes timeline (notes, tagged events, reviews) and archiving.
import type { AppContext } from '../../context.js';
import type { Patient } from '../../db/schema.js';
import type { Viewer } from '../../health/access.js';
import { clinicDay } from '../../health/clinic-days.js';
import { lastJudgedDay } from '../../health/derived-data.js';
import { evaluationProgress, type EvaluationProgress } from '../../health/evaluation-jobs.js';
import { flagsForPatientPage, reviewsOfPeriod, type FlagView, type ReviewEntry } from '../../health/flags.js';
import { NOTE_MAX_LENGTH, notesOfPeriod, type NoteView } from '../../health/notes.js';
import { patientOverrides } from '../../health/rules/settings.js';
import { tagsCreatedIn, type TagView } from '../../health/tags.js';
import { TREND_RANGES, trendsOf, type TrendRange, type Trends } from '../../health/trends.js';
import type { Translator } from '../../i18n/translate.js';
import { FlagList, ReviewFields } from '../views/flags.js';
import { Form } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { eventHref } from '../records/window.js';
import { TrendChart } from './trend-chart.js';

/** Entries of the notes timeline shown before "Show the whole timeline". */
const TIMELINE_SHORT = 30;

export interface PatientTriage {
  flags: { unreviewed: FlagView[]; reviewed: FlagView[] };
  trends: Trends;
  range: TrendRange;
  timeline: TimelineEntry[];
  timelineTruncated: boolean;
  ownRules: number;
  progress: EvaluationProgress;
  /** When the page was made: "mark all reviewed" covers the flags that existed then. */
  shownAt: number;
}

export type TimelineEntry =
  | { kind: 'note'; at: number; note: NoteView }
  | { kind: 'tag'; at: number; tag: TagView }
  | { kind: 'review'; at: number; review: ReviewEntry };

export async function loadPatientTriage(ctx: AppContext, _viewer: Viewer, patient: Patient, options: { range: TrendRange; wholeTimeline: boolean }): Promise<PatientTriage> {
  const now = ctx.clock.now();
  const always = { from: 0, to: Number.MAX_SAFE_INTEGER };
  const completeDay = await lastJudgedDay(ctx, ctx.db, patient.id);
  const [flags, trends, notes, tags, reviews, overrides, progress] = await Promise.all([
    flagsForPatientPage(ctx, patient.id),
    trendsOf(ctx, patient.id, options.range, clinicDay(ctx.config.timeZone, now), completeDay),
    notesOfPeriod(ctx, patient.id),
    tagsCreatedIn(ctx, patient.id, always),
    reviewsOfPeriod(ctx, patient.id, always),
    patientOverrides(ctx.db, patient.id),
    evaluationProgress(ctx.db, patient.id),
  ]);
  const timeline: TimelineEntry[] = [
    ...notes.map((note) => ({ kind: 'note' as const, at: note.createdAt, note })),
    ...tags.map((tag) => ({ kind: 'tag' as const, at: tag.createdAt, tag })),
    ...reviews.filter((review) => review.comment || review.flagCount > 0).map((review) => ({ kind: 'review' as const, at: review.reviewedAt, review })),
  ].sort((a, b) => b.at - a.at);
  return {
    flags, trends, range: options.range, ownRules: Object.keys(overrides).length, progress, shownAt: now,
    timeline: options.wholeTimeline ? timeline : timeline.slice(0, TIMELINE_SHORT),
    timelineTruncated: !options.wholeTimeline && timeline.length > TIMELINE_SHORT,
  };
}

export function FlagsPanel(props: { patientId: string; triage: PatientTriage; error?: string | null }) {
  const { unreviewed, reviewed } = props.triage.flags;
  const { t } = usePage();
  const next = `/patients/${props.patientId}`;
  return (
    <section class="panel" id="flags" aria-labelledby="flags-heading">
      <h2 id="flags-heading">{t('patients.flagsPanel.title')} {unreviewed.length > 0 && <span class="count">({unreviewed.length})</span>}</h2>
      <p class="hint">{t.rich('patients.flagsPanel.hint', {
        own: props.triage.ownRules > 0 ? 'yes' : 'no',
        count: props.triage.ownRules,
        link: (chunks) => <a href={`/patients/${props.patientId}/rules`}>{chunks}</a>,
      })}</p>
      {props.triage.progress.patients > 0 && <EvaluationNotice progress={props.triage.progress} />}
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {unreviewed.length === 0 ? <p class="empty">{t('patients.flagsPanel.nothing')}</p> : (
        <>
          <FlagList flags={unreviewed} next={next} recordLinks />
          <Form action={`/patients/${props.patientId}/flags/review`} class="inline-form review-all">
            <input type="hidden" name="up_to" value={String(props.triage.shownAt)} />
            <ReviewFields id="comment-all" button={t('patients.flagsPanel.markAll', { count: unreviewed.length })} />
          </Form>
        </>
      )}
      {reviewed.length > 0 && (
        <details class="reviewed-flags">
          <summary>{t('patients.flagsPanel.recentlyReviewed', { count: reviewed.length })}</summary>
          <FlagList flags={reviewed} next={next} recordLinks />
        </details>
      )}
    </section>
  );
}

export function EvaluationNotice(props: { progress: EvaluationProgress }) {
  const { progress } = props;
  const { t } = usePage();
  return (
    <Notice kind="info">
      {t('patients.flagsPanel.evaluating', { done: progress.daysDone, total: progress.daysTotal, patients: progress.patients })}
    </Notice>
  );
}

export function TrendsPanel(props: { patientId: string; triage: PatientTriage }) {
  const { trends, range } = props.triage;
  const { t } = usePage();
  return (
    <section class="panel" id="trends" aria-labelledby="trends-heading">
      <div class="panel-title">
        <h2 id="trends-heading">{t('patients.trends.title')}</h2>
        <nav class="range-links" aria-label={t('patients.trends.period')}>
          {TREND_RANGES.map((days) => days === range
            ? <span aria-current="true" key={days}>{t('patients.trends.days', { days })}</span>
            : <a href={`/patients/${props.patientId}?range=${days}#trends`} key={days}>{t('patients.trends.days', { days })}</a>)}
        </nav>
      </div>
      <p class="hint">{t('patients.trends.hint')}</p>
      <div class="trend-grid">
        {trends.trends.map((trend) => <TrendChart trend={trend} days={trends.days} id={`trend-${trend.metric.id}`} key={trend.metric.id} />)}
      </div>
    </section>
  );
}

export function NotesPanel(props: { patientId: string; triage: PatientTriage; error?: string | null; text?: string; correctsId?: string | null }) {
  const { triage } = props;
  const { t, times } = usePage();
  const zoned = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  return (
    <section class="panel" id="notes" aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t('patients.notes.title')}</h2>
      <p class="hint">{t('patients.notes.hint')}</p>
      {props.error && <Notice kind="error" id="note-error">{props.error}</Notice>}
      <Form action={`/patients/${props.patientId}/notes`} class="stack note-form">
        {props.correctsId && <input type="hidden" name="corrects" value={props.correctsId} />}
        <div class={`field${props.error ? ' field-invalid' : ''}`}>
          <label for="note-text">{props.correctsId ? t('patients.notes.correction') : t('patients.notes.newNote')}</label>
          <textarea id="note-text" name="text" rows={3} maxLength={NOTE_MAX_LENGTH} required
            aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'note-error' : undefined}>{props.text ?? ''}</textarea>
        </div>
        <button type="submit" class="button-primary">{props.correctsId ? t('patients.notes.addCorrection') : t('patients.notes.addNote')}</button>
      </Form>
      {triage.timeline.length === 0 ? <p class="empty">{t('patients.notes.empty')}</p> : (
        <ol class="timeline">
          {triage.timeline.map((entry) => (
            <li key={`${entry.kind}-${entry.kind === 'note' ? entry.note.id : entry.kind === 'tag' ? entry.tag.id : entry.review.id}`} class={`timeline-${entry.kind}`}
              id={entry.kind === 'note' ? `note-${entry.note.id}` : undefined}>
              <p class="timeline-head"><strong>{headOf(entry, t)}</strong> <span class="muted">{byOf(entry, t)}, {zoned(entry.at)}</span></p>
              {entry.kind === 'note' && <NoteBody patientId={props.patientId} note={entry.note} />}
              {entry.kind === 'tag' && (
                <p>{t('patients.notes.tagRange', { kind: entry.tag.kind, from: zoned(entry.tag.startedAt), to: zoned(entry.tag.endedAt) })}
                  {entry.tag.text && <>{t('patients.trends.colon')}{entry.tag.text}</>}
                  {' '}· <a href={eventHref(entry.tag.recordId, times.zone, { from: entry.tag.startedAt, to: entry.tag.endedAt }, 'tags')}>{t('patients.flags.openRecording')}</a></p>
              )}
              {entry.kind === 'review' && (
                <p>{t('patients.notes.reviewed', { count: entry.review.flagCount, scope: entry.review.scope })}
                  {entry.review.comment && <>{t('patients.trends.colon')}<q>{entry.review.comment}</q></>}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {triage.timelineTruncated && <p><a href={`/patients/${props.patientId}?timeline=all#notes`}>{t('patients.notes.wholeTimeline')}</a></p>}
    </section>
  );
}

function headOf(entry: TimelineEntry, t: Translator): string {
  if (entry.kind === 'note') return entry.note.correctsId ? t('patients.notes.correction') : t('patients.notes.note');
  if (entry.kind === 'tag') return t('patients.notes.taggedEvent');
  return t('patients.notes.review');
}

function byOf(entry: TimelineEntry, t: Translator): string {
  const name = entry.kind === 'note' ? entry.note.authorName : entry.kind === 'tag' ? entry.tag.authorName : entry.review.reviewerName;
  return t('patients.notes.by', { name: name ?? t('patients.formerUser') });
}

function NoteBody(props: { patientId: string; note: NoteView }) {
  const { note } = props;
  const { t } = usePage();
  return (
    <>
      {note.correctsId && <p class="muted">{t.rich('patients.notes.corrects', { link: (chunks) => <a href={`#note-${note.correctsId}`}>{chunks}</a> })}</p>}
      <p class="note-text">{note.text}</p>
      {note.correctedBy.length > 0 && <p class="muted">{t.rich('patients.notes.correctedLater', { link: (chunks) => <a href={`#note-${note.correctedBy[0]}`}>{chunks}</a> })}</p>}
      <p><a href={`/patients/${props.patientId}?correct=${note.id}#notes`}>{t('patients.notes.correctThis')}</a></p>
    </>
  );
}

export function ArchivePanel(props: { patient: Patient }) {
  const { patient } = props;
  const { t, times } = usePage();
  const archived = patient.archived_at !== null;
  return (
    <section class="panel" id="archive" aria-labelledby="archive-heading">
      <h2 id="archive-heading">{archived ? t('patients.archive.archivedTitle') : t('patients.archive.title')}</h2>
      {archived ? (
        <>
          <p>{t('patients.archive.archivedOn', { when: `${times.dateTime(patient.archived_at!)} ${times.zoneAbbreviation(patient.archived_at!)}` })}</p>
          <Form action={`/patients/${patient.id}/unarchive`} class="inline-form">
            <button type="submit" class="button-secondary">{t('patients.archive.bringBack')}</button>
          </Form>
        </>
      ) : (
        <>
          <p>{t('patients.archive.explain')}</p>
          <Form action={`/patients/${patient.id}/archive`} class="inline-form">
            <button type="submit" class="button-secondary">{t('patients.archive.archive')}</button>
          </Form>
        </>
      )}
    </section>
  );
}

/** 7, 30 or 90 days; anything else is the 30-day default. */
export function rangeOf(value: number | undefined): TrendRange {
  return (TREND_RANGES as readonly number[]).includes(value ?? 0) ? (value as TrendRange) : 30;
}
