// The recording page's clinical panels: previous / next recording, the flags of its time with
// their review, its tagged events (and the form to tag a range), and its sleep summaries.
import type { AppContext } from '../../context.js';
import type { HealthRecord } from '../../db/schema.js';
import { SLEEP_POSITIONS } from '../../health/channels.js';
import { flagsOfPeriod, type FlagView } from '../../health/flags.js';
import { sleepSummariesOf, type SleepSummary } from '../../health/sleep-summary.js';
import { TAG_KINDS, TAG_TEXT_MAX_LENGTH, tagLabel, tagsOfRecord, type TagView } from '../../health/tags.js';
import { dayLabel } from '../../health/rules/evaluate.js';
import { formatDuration, type TimeFormat } from '../format.js';
import { FlagList, ReviewFields } from '../views/flags.js';
import { Form } from '../views/form.js';
import { Notice } from '../views/layout.js';

export interface RecordTriage {
  previous: { id: string; startedAt: number } | null;
  next: { id: string; startedAt: number } | null;
  flags: FlagView[];
  tags: TagView[];
  sleep: SleepSummary[];
}

export interface TagFormState {
  error?: string | null;
  values?: { kind?: string; from?: string; to?: string; text?: string };
}

export async function loadRecordTriage(ctx: AppContext, record: HealthRecord): Promise<RecordTriage> {
  const [previous, next, flags, tags] = await Promise.all([
    ctx.db.selectFrom('records').select(['id', 'started_at']).where('patient_id', '=', record.patient_id)
      .where((eb) => eb.or([eb('started_at', '<', record.started_at), eb.and([eb('started_at', '=', record.started_at), eb('id', '<', record.id)])]))
      .orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst(),
    ctx.db.selectFrom('records').select(['id', 'started_at']).where('patient_id', '=', record.patient_id)
      .where((eb) => eb.or([eb('started_at', '>', record.started_at), eb.and([eb('started_at', '=', record.started_at), eb('id', '>', record.id)])]))
      .orderBy('started_at').orderBy('id').limit(1).executeTakeFirst(),
    flagsOfPeriod(ctx, record.patient_id, { from: record.started_at, to: record.ended_at }),
    tagsOfRecord(ctx, record.id),
  ]);
  const sleep = await sleepSummariesOf(ctx, record, tags);
  return {
    previous: previous ? { id: previous.id, startedAt: previous.started_at } : null,
    next: next ? { id: next.id, startedAt: next.started_at } : null,
    flags, tags, sleep,
  };
}

export function RecordNavigation(props: { triage: RecordTriage; times: TimeFormat }) {
  const { previous, next } = props.triage;
  const { times } = props;
  if (!previous && !next) return null;
  return (
    <nav class="record-nav" aria-label="Other recordings of this patient">
      {previous ? <a href={`/records/${previous.id}`} rel="prev">← Previous: {times.dateTime(previous.startedAt)}</a> : <span />}
      {next ? <a href={`/records/${next.id}`} rel="next">Next: {times.dateTime(next.startedAt)} →</a> : <span />}
    </nav>
  );
}

export function RecordFlagsPanel(props: { record: HealthRecord; triage: RecordTriage; times: TimeFormat }) {
  const { flags } = props.triage;
  const unreviewed = flags.filter((f) => !f.review).length;
  return (
    <section class="panel" id="flags" aria-labelledby="record-flags-heading">
      <h2 id="record-flags-heading">Flags in this recording {flags.length > 0 && <span class="count">({unreviewed} to review of {flags.length})</span>}</h2>
      {flags.length === 0 ? <p class="empty">No flag during this recording.</p> : (
        <>
          <p class="hint">Flags of rules on runs are also drawn as bands on the charts.</p>
          <FlagList flags={flags} times={props.times} next={`/records/${props.record.id}`} />
          {unreviewed > 0 && (
            <Form action={`/records/${props.record.id}/flags/review`} class="inline-form review-all">
              <ReviewFields id="comment-record" button={`Mark the ${unreviewed} flag${unreviewed === 1 ? '' : 's'} of this recording reviewed`} />
            </Form>
          )}
        </>
      )}
    </section>
  );
}

/** A datetime-local value in the clinic's zone: "2026-11-20T14:05:31". */
export function localInputValue(times: TimeFormat, ms: number): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: times.zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function TagsPanel(props: { record: HealthRecord; triage: RecordTriage; times: TimeFormat; form?: TagFormState }) {
  const { record, times } = props;
  const { tags } = props.triage;
  const values = props.form?.values ?? {};
  const zoned = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  const error = props.form?.error;
  return (
    <section class="panel" id="tags" aria-labelledby="tags-heading">
      <h2 id="tags-heading">Tagged events</h2>
      {tags.length === 0 ? <p class="empty">No tagged event yet.</p> : (
        <ul class="tag-list">
          {tags.map((tag) => (
            <li key={tag.id}>
              <span class={`tag-kind tag-${tag.kind}`}>{tagLabel(tag.kind)}</span> {zoned(tag.startedAt)} – {zoned(tag.endedAt)}
              {tag.text && <>: {tag.text}</>} <span class="muted">(by {tag.authorName ?? 'a former user'})</span>
            </li>
          ))}
        </ul>
      )}
      <p><a href={`/records/${record.id}/events.csv`} download>Download the events (CSV)</a></p>
      <h3>Tag a range</h3>
      <p class="hint js-only">Hold Shift and drag across a chart to fill in the times.</p>
      {error && <Notice kind="error" id="tag-error">{error}</Notice>}
      <Form action={`/records/${record.id}/tags`} class="tag-form">
        <div class="field">
          <label for="tag-kind">What it was</label>
          <select id="tag-kind" name="kind" required>
            {TAG_KINDS.map((t) => <option value={t.kind} selected={values.kind === t.kind} key={t.kind}>{t.label}</option>)}
          </select>
        </div>
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="tag-from">From ({times.zone})</label>
          <input id="tag-from" name="from" type="datetime-local" step={1} required value={values.from ?? ''}
            min={localInputValue(times, record.started_at)} max={localInputValue(times, record.ended_at)} aria-describedby={error ? 'tag-error' : undefined} />
        </div>
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="tag-to">To ({times.zone})</label>
          <input id="tag-to" name="to" type="datetime-local" step={1} required value={values.to ?? ''}
            min={localInputValue(times, record.started_at)} max={localInputValue(times, record.ended_at)} aria-describedby={error ? 'tag-error' : undefined} />
        </div>
        <div class="field tag-text">
          <label for="tag-text">Description (optional)</label>
          <input id="tag-text" name="text" type="text" maxLength={TAG_TEXT_MAX_LENGTH} value={values.text ?? ''} />
        </div>
        <button type="submit" class="button-primary">Add tag</button>
      </Form>
    </section>
  );
}

export function SleepPanel(props: { triage: RecordTriage; times: TimeFormat }) {
  const { sleep } = props.triage;
  const { times } = props;
  if (sleep.length === 0) return null;
  const zoned = (ms: number) => `${times.time(ms)} ${times.zoneAbbreviation(ms)}`;
  return (
    <section class="panel" id="sleep" aria-labelledby="sleep-heading">
      <h2 id="sleep-heading">Sleep</h2>
      <p class="hint">Per range tagged sleep, or else per night (22:00–07:00). Sleep time: lying and at rest. Position changes count positions held at least 1 min.</p>
      <div class="sleep-grid">
        {sleep.map((s) => (
          <table class="data-table compact" key={s.from}>
            <caption>{s.source === 'night' ? `Night ending ${dayLabel(s.label)}` : `Tagged sleep: ${s.label}`}, {times.time(s.from)}–{zoned(s.to)}</caption>
            <tbody>
              <tr><th scope="row">Total sleep time</th><td>{formatDuration(s.sleepSeconds)}</td></tr>
              {SLEEP_POSITIONS.map((p) => (
                <tr key={p.code}><th scope="row">{p.label}</th><td>{formatDuration(s.positions.find((x) => x.code === p.code)?.seconds ?? 0)}</td></tr>
              ))}
              <tr><th scope="row">Position changes</th><td>{s.positionChanges}</td></tr>
              <tr><th scope="row">Heart rate, mean</th><td>{s.meanHeartRate === null ? '—' : `${Math.round(s.meanHeartRate)} bpm`}</td></tr>
              <tr><th scope="row">Heart rate, lowest 1-min mean</th><td>{s.lowestHeartRate === null ? '—' : `${Math.round(s.lowestHeartRate)} bpm`}</td></tr>
              <tr><th scope="row">Breathing rate, mean</th><td>{s.meanBreathingRate === null ? '—' : `${s.meanBreathingRate.toFixed(1)} rpm`}</td></tr>
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
