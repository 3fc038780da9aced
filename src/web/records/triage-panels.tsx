// The recording page's clinical panels: previous / next recording, the flags of its time with
// their review, its tagged events (and the form to tag a range), and its sleep summaries.
import type { AppContext } from '../../context.js';
import type { HealthRecord } from '../../db/schema.js';
import { SLEEP_POSITIONS } from '../../health/channels.js';
import { flagsOfPeriod, type FlagView } from '../../health/flags.js';
import { sleepSummariesOf, type SleepSummary } from '../../health/sleep-summary.js';
import { TAG_KINDS, TAG_TEXT_MAX_LENGTH, tagsOfRecord, type TagView } from '../../health/tags.js';
import { dayLabelIn } from '../../health/rules/flag-text.js';
import type { TimeFormat } from '../format.js';
import { FlagList, ReviewFields } from '../views/flags.js';
import { Form } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { durationText, positionLabel, tagKindLabel } from './text.js';

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
  const { t } = usePage();
  if (!previous && !next) return null;
  return (
    <nav class="record-nav" aria-label={t('records.nav.label')}>
      {previous ? <a href={`/records/${previous.id}`} rel="prev">{t('records.nav.previous', { when: times.dateTime(previous.startedAt) })}</a> : <span />}
      {next ? <a href={`/records/${next.id}`} rel="next">{t('records.nav.next', { when: times.dateTime(next.startedAt) })}</a> : <span />}
    </nav>
  );
}

export function RecordFlagsPanel(props: { record: HealthRecord; triage: RecordTriage; times: TimeFormat }) {
  const { flags } = props.triage;
  const unreviewed = flags.filter((f) => !f.review).length;
  const { t } = usePage();
  return (
    <section class="panel" id="flags" aria-labelledby="record-flags-heading">
      <h2 id="record-flags-heading">{t('records.flags.heading')} {flags.length > 0 && <span class="count">{t('records.flags.count', { unreviewed, total: flags.length })}</span>}</h2>
      {flags.length === 0 ? <p class="empty">{t('records.flags.none')}</p> : (
        <>
          <p class="hint">{t('records.flags.bandsHint')}</p>
          <FlagList flags={flags} times={props.times} next={`/records/${props.record.id}`} />
          {unreviewed > 0 && (
            <Form action={`/records/${props.record.id}/flags/review`} class="inline-form review-all">
              <ReviewFields id="comment-record" button={t('records.flags.reviewAll', { count: unreviewed })} />
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
  const { t } = usePage();
  return (
    <section class="panel" id="tags" aria-labelledby="tags-heading">
      <h2 id="tags-heading">{t('records.tags.heading')}</h2>
      {tags.length === 0 ? <p class="empty">{t('records.tags.none')}</p> : (
        <ul class="tag-list">
          {tags.map((tag) => (
            <li key={tag.id}>
              <span class={`tag-kind tag-${tag.kind}`}>{tagKindLabel(t, tag.kind)}</span> {zoned(tag.startedAt)} – {zoned(tag.endedAt)}
              {tag.text && t('records.tags.withText', { text: tag.text })} <span class="muted">{t('records.tags.by', { name: tag.authorName ?? t('records.tags.formerUser') })}</span>
            </li>
          ))}
        </ul>
      )}
      <p><a href={`/records/${record.id}/events.csv`} download>{t('records.tags.download')}</a></p>
      <h3>{t('records.tags.formHeading')}</h3>
      <p class="hint js-only">{t('records.tags.shiftHint')}</p>
      {error && <Notice kind="error" id="tag-error">{error}</Notice>}
      <Form action={`/records/${record.id}/tags`} class="tag-form">
        <div class="field">
          <label for="tag-kind">{t('records.tags.kind')}</label>
          <select id="tag-kind" name="kind" required>
            {TAG_KINDS.map((kind) => <option value={kind.kind} selected={values.kind === kind.kind} key={kind.kind}>{tagKindLabel(t, kind.kind)}</option>)}
          </select>
        </div>
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="tag-from">{t('records.tags.from', { zone: times.zone })}</label>
          <input id="tag-from" name="from" type="datetime-local" step={1} required value={values.from ?? ''}
            min={localInputValue(times, record.started_at)} max={localInputValue(times, record.ended_at)} aria-describedby={error ? 'tag-error' : undefined} />
        </div>
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="tag-to">{t('records.tags.to', { zone: times.zone })}</label>
          <input id="tag-to" name="to" type="datetime-local" step={1} required value={values.to ?? ''}
            min={localInputValue(times, record.started_at)} max={localInputValue(times, record.ended_at)} aria-describedby={error ? 'tag-error' : undefined} />
        </div>
        <div class="field tag-text">
          <label for="tag-text">{t('records.tags.text')}</label>
          <input id="tag-text" name="text" type="text" maxLength={TAG_TEXT_MAX_LENGTH} value={values.text ?? ''} />
        </div>
        <button type="submit" class="button-primary">{t('records.tags.add')}</button>
      </Form>
    </section>
  );
}

export function SleepPanel(props: { triage: RecordTriage; times: TimeFormat }) {
  const { sleep } = props.triage;
  const { times } = props;
  const { t } = usePage();
  if (sleep.length === 0) return null;
  const zoned = (ms: number) => `${times.time(ms)} ${times.zoneAbbreviation(ms)}`;
  return (
    <section class="panel" id="sleep" aria-labelledby="sleep-heading">
      <h2 id="sleep-heading">{t('records.sleep.heading')}</h2>
      <p class="hint">{t('records.sleep.hint')}</p>
      <div class="sleep-grid">
        {sleep.map((s) => (
          <table class="data-table compact" key={s.from}>
            <caption>{s.source === 'night'
              ? t('records.sleep.night', { day: dayLabelIn(t.locale, s.label), from: times.time(s.from), to: zoned(s.to) })
              : t('records.sleep.tagged', { label: s.label || t('records.tagKind.sleep'), from: times.time(s.from), to: zoned(s.to) })}</caption>
            <tbody>
              <tr><th scope="row">{t('records.sleep.total')}</th><td>{durationText(t, s.sleepSeconds)}</td></tr>
              {SLEEP_POSITIONS.map((p) => (
                <tr key={p.code}><th scope="row">{positionLabel(t, p.code)}</th><td>{durationText(t, s.positions.find((x) => x.code === p.code)?.seconds ?? 0)}</td></tr>
              ))}
              <tr><th scope="row">{t('records.sleep.changes')}</th><td>{s.positionChanges}</td></tr>
              <tr><th scope="row">{t('records.sleep.heartRateMean')}</th><td>{times.measure(s.meanHeartRate, t('records.unit.bpm'), 0)}</td></tr>
              <tr><th scope="row">{t('records.sleep.heartRateLowest')}</th><td>{times.measure(s.lowestHeartRate, t('records.unit.bpm'), 0)}</td></tr>
              <tr><th scope="row">{t('records.sleep.breathingRateMean')}</th><td>{times.measure(s.meanBreathingRate, t('records.unit.rpm'), 1)}</td></tr>
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
