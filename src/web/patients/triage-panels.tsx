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
import { tagLabel, tagsCreatedIn, type TagView } from '../../health/tags.js';
import { TREND_RANGES, trendsOf, type TrendRange, type Trends } from '../../health/trends.js';
import type { TimeFormat } from '../format.js';
import { FlagList, ReviewFields } from '../views/flags.js';
import { Form } from '../views/form.js';
import { Notice } from '../views/layout.js';
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

export function FlagsPanel(props: { patientId: string; triage: PatientTriage; times: TimeFormat; error?: string | null }) {
  const { unreviewed, reviewed } = props.triage.flags;
  const next = `/patients/${props.patientId}`;
  return (
    <section class="panel" id="flags" aria-labelledby="flags-heading">
      <h2 id="flags-heading">Flags to review {unreviewed.length > 0 && <span class="count">({unreviewed.length})</span>}</h2>
      <p class="hint">HMS flags what to look at; it does not diagnose. Thresholds: <a href={`/patients/${props.patientId}/rules`}>
        {props.triage.ownRules > 0 ? `this patient's own (${props.triage.ownRules}) and the clinic's` : "the clinic's"}</a>.</p>
      {props.triage.progress.patients > 0 && <EvaluationNotice progress={props.triage.progress} />}
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {unreviewed.length === 0 ? <p class="empty">Nothing to review.</p> : (
        <>
          <FlagList flags={unreviewed} times={props.times} next={next} recordLinks />
          <Form action={`/patients/${props.patientId}/flags/review`} class="inline-form review-all">
            <input type="hidden" name="up_to" value={String(props.triage.shownAt)} />
            <ReviewFields id="comment-all" button={unreviewed.length === 1 ? 'Mark this flag reviewed' : `Mark all ${unreviewed.length} flags reviewed`} />
          </Form>
        </>
      )}
      {reviewed.length > 0 && (
        <details class="reviewed-flags">
          <summary>Recently reviewed ({reviewed.length})</summary>
          <FlagList flags={reviewed} times={props.times} next={next} recordLinks />
        </details>
      )}
    </section>
  );
}

export function EvaluationNotice(props: { progress: EvaluationProgress }) {
  const { progress } = props;
  return (
    <Notice kind="info">
      Thresholds changed: flags are being evaluated again ({progress.daysDone} of {progress.daysTotal} days
      {progress.patients > 1 ? `, ${progress.patients} patients` : ''}). Reload the page to see the progress.
    </Notice>
  );
}

export function TrendsPanel(props: { patientId: string; triage: PatientTriage }) {
  const { trends, range } = props.triage;
  return (
    <section class="panel" id="trends" aria-labelledby="trends-heading">
      <div class="panel-title">
        <h2 id="trends-heading">Trends</h2>
        <nav class="range-links" aria-label="Trend period">
          {TREND_RANGES.map((days) => days === range
            ? <span aria-current="true" key={days}>{days} days</span>
            : <a href={`/patients/${props.patientId}?range=${days}#trends`} key={days}>{days} days</a>)}
        </nav>
      </div>
      <p class="hint">One point per day, clinic time; the shaded band is the patient's own baseline (interquartile range of the 14 days before, dashed: median). Click a point for that day's recording.</p>
      <div class="trend-grid">
        {trends.trends.map((trend) => <TrendChart trend={trend} days={trends.days} id={`trend-${trend.metric.id}`} key={trend.metric.id} />)}
      </div>
    </section>
  );
}

export function NotesPanel(props: { patientId: string; triage: PatientTriage; times: TimeFormat; error?: string | null; text?: string; correctsId?: string | null }) {
  const { times, triage } = props;
  const zoned = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  return (
    <section class="panel" id="notes" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes and events</h2>
      <p class="hint">Notes are kept as written: to correct one, add a correction (both stay).</p>
      {props.error && <Notice kind="error" id="note-error">{props.error}</Notice>}
      <Form action={`/patients/${props.patientId}/notes`} class="stack note-form">
        {props.correctsId && <input type="hidden" name="corrects" value={props.correctsId} />}
        <div class={`field${props.error ? ' field-invalid' : ''}`}>
          <label for="note-text">{props.correctsId ? 'Correction' : 'New note'}</label>
          <textarea id="note-text" name="text" rows={3} maxLength={NOTE_MAX_LENGTH} required
            aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'note-error' : undefined}>{props.text ?? ''}</textarea>
        </div>
        <button type="submit" class="button-primary">{props.correctsId ? 'Add the correction' : 'Add note'}</button>
      </Form>
      {triage.timeline.length === 0 ? <p class="empty">No notes yet.</p> : (
        <ol class="timeline">
          {triage.timeline.map((entry) => (
            <li key={`${entry.kind}-${entry.kind === 'note' ? entry.note.id : entry.kind === 'tag' ? entry.tag.id : entry.review.id}`} class={`timeline-${entry.kind}`}
              id={entry.kind === 'note' ? `note-${entry.note.id}` : undefined}>
              <p class="timeline-head"><strong>{headOf(entry)}</strong> <span class="muted">{byOf(entry)}, {zoned(entry.at)}</span></p>
              {entry.kind === 'note' && <NoteBody patientId={props.patientId} note={entry.note} />}
              {entry.kind === 'tag' && (
                <p>{tagLabel(entry.tag.kind)} from {zoned(entry.tag.startedAt)} to {zoned(entry.tag.endedAt)}{entry.tag.text && <>: {entry.tag.text}</>}
                  {' '}· <a href={eventHref(entry.tag.recordId, props.times.zone, { from: entry.tag.startedAt, to: entry.tag.endedAt }, 'tags')}>Open the recording</a></p>
              )}
              {entry.kind === 'review' && (
                <p>{entry.review.flagCount === 1 ? '1 flag' : `${entry.review.flagCount} flags`} marked reviewed
                  {entry.review.scope === 'record' ? ' (a recording)' : entry.review.scope === 'patient' ? ' (all at the time)' : ''}
                  {entry.review.comment && <>: <q>{entry.review.comment}</q></>}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {triage.timelineTruncated && <p><a href={`/patients/${props.patientId}?timeline=all#notes`}>Show the whole timeline</a></p>}
    </section>
  );
}

function headOf(entry: TimelineEntry): string {
  if (entry.kind === 'note') return entry.note.correctsId ? 'Correction' : 'Note';
  if (entry.kind === 'tag') return 'Tagged event';
  return 'Review';
}

function byOf(entry: TimelineEntry): string {
  const name = entry.kind === 'note' ? entry.note.authorName : entry.kind === 'tag' ? entry.tag.authorName : entry.review.reviewerName;
  return `by ${name ?? 'a former user'}`;
}

function NoteBody(props: { patientId: string; note: NoteView }) {
  const { note } = props;
  return (
    <>
      {note.correctsId && <p class="muted">Corrects <a href={`#note-${note.correctsId}`}>an earlier note</a>.</p>}
      <p class="note-text">{note.text}</p>
      {note.correctedBy.length > 0 && <p class="muted">Corrected <a href={`#note-${note.correctedBy[0]}`}>later</a>.</p>}
      <p><a href={`/patients/${props.patientId}?correct=${note.id}#notes`}>Correct this note</a></p>
    </>
  );
}

export function ArchivePanel(props: { patient: Patient; times: TimeFormat }) {
  const { patient, times } = props;
  const archived = patient.archived_at !== null;
  return (
    <section class="panel" id="archive" aria-labelledby="archive-heading">
      <h2 id="archive-heading">{archived ? 'Archived' : 'Archive'}</h2>
      {archived ? (
        <>
          <p>Archived on {times.dateTime(patient.archived_at!)} {times.zoneAbbreviation(patient.archived_at!)}: not on the worklist, and no "no recent data" flag. Every recording, flag and note is kept.</p>
          <Form action={`/patients/${patient.id}/unarchive`} class="inline-form">
            <button type="submit" class="button-secondary">Bring back to the worklist</button>
          </Form>
        </>
      ) : (
        <>
          <p>When monitoring ends: the patient leaves the worklist; every recording, flag and note is kept, and this can be undone.</p>
          <Form action={`/patients/${patient.id}/archive`} class="inline-form">
            <button type="submit" class="button-secondary">Archive this patient</button>
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
