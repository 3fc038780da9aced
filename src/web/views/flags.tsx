// How flags read on every page: severity in words (never colour alone), the rule, when in clinic
// time with the zone named, what tripped it, and its review (or the form to review it).
import type { FlagView } from '../../health/flags.js';
import { REVIEW_COMMENT_MAX_LENGTH } from '../../health/flags.js';
import type { Severity } from '../../health/rules/definitions.js';
import type { FlagChip as Chip } from '../../health/worklist.js';
import { ruleLabel } from '../../health/rules/definitions.js';
import { flagValueText } from '../../health/rules/flag-text.js';
import type { Translator } from '../../i18n/translate.js';
import { severityWord } from '../records/text.js';
import type { TimeFormat } from '../format.js';
import { eventHref } from '../records/window.js';
import { Form } from './form.js';
import { usePage } from './page-context.js';

export function SeverityLabel(props: { severity: Severity }) {
  const { t } = usePage();
  return <span class={`severity severity-${props.severity}`}>{severityWord(t, props.severity)}</span>;
}

/** "High · Tachycardia at rest ×2" as a chip. */
export function FlagChip(props: { chip: Chip }) {
  const { chip } = props;
  const { t } = usePage();
  return (
    <span class={`chip chip-${chip.severity}`}>
      <span class="chip-severity">{severityWord(t, chip.severity)}</span> {ruleLabel(t, chip.rule)}
      {chip.count > 1 && <> <span class="chip-count">×{chip.count}<span class="visually-hidden"> {t('patients.flags.chipCount', { count: chip.count })}</span></span></>}
    </span>
  );
}

/** "Fri, 20 Nov 2026, 14:00–14:07 EST", "since Sat, 21 Nov 2026, 20:00 EST", or the day(s) of a rule on days. */
export function whenText(times: TimeFormat, flag: Pick<FlagView, 'startedAt' | 'endedAt' | 'day'>, t: Translator): string {
  const zoned = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  if (flag.endedAt === null) return t('patients.flags.since', { start: zoned(flag.startedAt) });
  const last = flag.endedAt - 1;
  if (flag.day !== null) {
    const first = times.date(flag.startedAt);
    return first === times.date(last) ? first : t('patients.flags.days', { first, last: times.date(last) });
  }
  if (times.date(flag.startedAt) === times.date(last) && times.zoneAbbreviation(flag.startedAt) === times.zoneAbbreviation(flag.endedAt)) {
    return `${times.dateTime(flag.startedAt)}–${times.time(flag.endedAt)} ${times.zoneAbbreviation(flag.endedAt)}`;
  }
  return `${zoned(flag.startedAt)} – ${zoned(flag.endedAt)}`;
}

export function ReviewLine(props: { review: NonNullable<FlagView['review']>; times?: TimeFormat }) {
  const { review } = props;
  const { t, times } = usePage();
  const when = `${times.dateTime(review.reviewedAt)} ${times.zoneAbbreviation(review.reviewedAt)}`;
  return (
    <p class="review-line">
      {review.reviewerName === null
        ? t('patients.flags.reviewedByFormer', { when })
        : t('patients.flags.reviewedBy', { name: review.reviewerName, when })}
      {review.comment && <>{t('patients.flags.commentColon')}<q>{review.comment}</q></>}
    </p>
  );
}

/** The optional comment and the button of a review form. */
export function ReviewFields(props: { id: string; button: string }) {
  const { t } = usePage();
  return (
    <>
      <label for={props.id}>{t('patients.flags.comment')}</label>
      <input id={props.id} name="comment" type="text" maxLength={REVIEW_COMMENT_MAX_LENGTH} />
      <button type="submit" class="button-secondary">{props.button}</button>
    </>
  );
}

export interface FlagListProps {
  flags: FlagView[];
  /** Not needed any more: the page's own times (its language) are used. */
  times?: TimeFormat;
  /** Where a per-flag review returns to (a local path). */
  next: string;
  /** Link each flag to its recording (the patient page); the recording page does not need it. */
  recordLinks?: boolean;
}

/** A run flag opens its recording around the run; a day's flag, the whole recording. */
function recordLink(times: TimeFormat, flag: FlagView): string {
  if (flag.endedAt === null || flag.day !== null) return `/records/${flag.recordId}#flags`;
  return eventHref(flag.recordId!, times.zone, { from: flag.startedAt, to: flag.endedAt }, 'flags');
}

export function FlagList(props: FlagListProps) {
  const { t, times } = usePage();
  return (
    <ul class="flag-list">
      {props.flags.map((flag) => (
        <li key={flag.id} class={`flag-item flag-item-${flag.severity}`} id={`flag-${flag.id}`}>
          <p class="flag-head">
            <SeverityLabel severity={flag.severity} /> <strong>{ruleLabel(t, flag.rule)}</strong>
            <span class="muted"> · {whenText(times, flag, t)}</span>
          </p>
          <p class="flag-text">
            {flagValueText(flag, t, times)}
            {props.recordLinks && flag.recordId && <> · <a href={recordLink(times, flag)}>{t('patients.flags.openRecording')}</a></>}
          </p>
          {flag.review ? <ReviewLine review={flag.review} /> : (
            <details class="review-one">
              <summary>{t('patients.flags.markReviewedOpen')}<span class="visually-hidden"> {ruleLabel(t, flag.rule)}, {whenText(times, flag, t)}</span></summary>
              <Form action={`/flags/${flag.id}/review`} class="inline-form">
                <input type="hidden" name="next" value={props.next} />
                <ReviewFields id={`comment-${flag.id}`} button={t('patients.flags.markReviewed')} />
              </Form>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
