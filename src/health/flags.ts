// The only writer of flags and flag_reviews. Flags are derived: each evaluation replaces the
// flags of the rules and time it covered, matching old flags to new ones so that no review is
// lost: a flag reviewed before stays reviewed while it still holds. Reviews are facts: a review
// row outlives the flags it covered.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, Flag, ReviewScope } from '../db/schema.js';
import { newId } from '../auth/tokens.js';
import { canSeePatient, type Viewer } from './access.js';
import type { Span } from './clinic-days.js';
import { ruleById, type RuleId, type Severity } from './rules/definitions.js';
import type { ComputedFlag } from './rules/evaluate.js';
import { parseFlagValue, type FlagValue } from './rules/flag-text.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const REVIEW_COMMENT_MAX_LENGTH = 1000;

export interface FlagToStore extends ComputedFlag {
  recordId: string | null;
}

/**
 * Why flags are evaluated again. 'rules': a threshold changed; a flag overlapping reviewed ones
 * stays reviewed if it still holds. 'data': recordings came or went; a flag stays reviewed only
 * if it does not reach beyond what was reviewed (the new part has not been seen).
 */
export type EvaluationCause = 'data' | 'rules';

export interface FlagScope {
  rules: readonly RuleId[];
  /** Flags whose start falls in [from, to) are replaced. */
  from: number;
  to: number;
}

const endOf = (flag: { ended_at: number | null }) => flag.ended_at ?? Number.POSITIVE_INFINITY;
const overlaps = (a: { started_at: number; ended_at: number | null }, b: { started_at: number; ended_at: number | null }) =>
  a.started_at < endOf(b) && b.started_at < endOf(a);

/** Replaces the flags of `scope` by `computed` (which must lie in the scope). Returns how many flags changed. */
export async function replaceFlags(ctx: Ctx, db: Kysely<Database>, patientId: string, scope: FlagScope, computed: readonly FlagToStore[],
  cause: EvaluationCause): Promise<number> {
  if (scope.rules.length === 0) return 0;
  const existing = await db.selectFrom('flags').selectAll()
    .where('patient_id', '=', patientId).where('rule', 'in', [...scope.rules])
    .where('started_at', '>=', scope.from).where('started_at', '<', scope.to)
    .orderBy('started_at').execute();
  const now = ctx.clock.now();
  const kept = new Set<string>();
  const rows: Flag[] = [];
  for (const flag of [...computed].sort((a, b) => a.startedAt - b.startedAt)) {
    const candidate = {
      patient_id: patientId, record_id: flag.recordId, rule: flag.rule, severity: flag.severity,
      started_at: flag.startedAt, ended_at: flag.endedAt, day: flag.day, value_text: flag.valueText,
      value_params: JSON.stringify(flag.value),
    };
    const previous = existing.filter((old) => old.rule === flag.rule && overlaps(old, candidate));
    const reviewed = previous.length > 0 && previous.every((old) => old.review_id !== null)
      && (cause === 'rules' || (candidate.started_at >= Math.min(...previous.map((old) => old.started_at))
        && endOf(candidate) <= Math.max(...previous.map(endOf))));
    const heir = previous.find((old) => !kept.has(old.id));
    const row: Flag = {
      id: heir?.id ?? newId(), ...candidate,
      created_at: heir?.created_at ?? now, updated_at: now,
      review_id: reviewed ? previous[0]!.review_id : null,
    };
    if (heir) {
      kept.add(heir.id);
      if (sameFlag(heir, row)) {
        rows.push(heir);
        continue;
      }
    }
    rows.push(row);
  }
  const unchanged = new Set(rows.filter((row) => existing.some((old) => old === row)).map((row) => row.id));
  const gone = existing.filter((old) => !unchanged.has(old.id)).map((old) => old.id);
  const fresh = rows.filter((row) => !unchanged.has(row.id));
  if (gone.length > 0) await db.deleteFrom('flags').where('id', 'in', gone).execute();
  for (let start = 0; start < fresh.length; start += 200) await db.insertInto('flags').values(fresh.slice(start, start + 200)).execute();
  return gone.length + fresh.length;
}

function sameFlag(a: Flag, b: Flag): boolean {
  return a.record_id === b.record_id && a.started_at === b.started_at && a.ended_at === b.ended_at && a.day === b.day
    && a.value_text === b.value_text && a.value_params === b.value_params && a.review_id === b.review_id && a.severity === b.severity;
}

/** The open flag of a rule that holds until further notice (no recent data), if any. */
export async function openFlag(db: Kysely<Database>, patientId: string, rule: RuleId): Promise<Flag | null> {
  return (await db.selectFrom('flags').selectAll().where('patient_id', '=', patientId).where('rule', '=', rule)
    .where('ended_at', 'is', null).executeTakeFirst()) ?? null;
}

/**
 * Brings a rule that holds until further notice to `wanted`: opens it, updates its words, or ends
 * it. It ends at `endedAt` when data came (kept, with its review, as a past flag) or is removed
 * when it no longer holds because a rule changed.
 */
export async function setOpenFlag(ctx: Ctx, db: Kysely<Database>, patientId: string, rule: RuleId, wanted: ComputedFlag | null,
  end: { endedAt: number } | 'withdraw'): Promise<void> {
  const open = await openFlag(db, patientId, rule);
  const now = ctx.clock.now();
  if (!wanted) {
    if (!open) return;
    if (end === 'withdraw') await db.deleteFrom('flags').where('id', '=', open.id).execute();
    else await db.updateTable('flags').set({ ended_at: Math.max(open.started_at + 1, end.endedAt), updated_at: now }).where('id', '=', open.id).execute();
    return;
  }
  const valueParams = JSON.stringify(wanted.value);
  if (open && open.started_at === wanted.startedAt && open.value_text === wanted.valueText && open.value_params === valueParams) return;
  if (open && open.started_at === wanted.startedAt) {
    await db.updateTable('flags').set({ value_text: wanted.valueText, value_params: valueParams, updated_at: now }).where('id', '=', open.id).execute();
    return;
  }
  if (open) await db.deleteFrom('flags').where('id', '=', open.id).execute();
  await db.insertInto('flags').values({
    id: newId(), patient_id: patientId, record_id: null, rule, severity: wanted.severity, started_at: wanted.startedAt, ended_at: null,
    day: null, value_text: wanted.valueText, value_params: valueParams, created_at: now, updated_at: now, review_id: null,
  }).execute();
}

// Reviews

export type ReviewTarget =
  | { scope: 'flag'; flagId: string }
  | { scope: 'record'; recordId: string }
  | { scope: 'patient'; patientId: string; upTo: number };

export interface ReviewOutcome {
  patientId: string;
  reviewId: string | null;
  /** Flags that were unreviewed and now are reviewed. */
  count: number;
}

/**
 * Marks flags reviewed, with an optional comment: one flag, the flags of a recording, or every
 * flag of a patient that existed at `upTo` (the moment the page was shown, so a flag that came
 * in meanwhile is not reviewed unseen). Null when the viewer may not see the patient (404).
 */
export async function reviewFlagsFor(ctx: Ctx, viewer: Viewer, target: ReviewTarget, comment: string | null): Promise<ReviewOutcome | null> {
  const patientId = await patientOfTarget(ctx.db, target);
  if (!patientId || !(await canSeePatient(ctx.db, viewer, patientId))) return null;
  const span = target.scope === 'record'
    ? await ctx.db.selectFrom('records').select(['started_at', 'ended_at']).where('id', '=', target.recordId).executeTakeFirstOrThrow()
    : null;
  const text = comment?.trim().slice(0, REVIEW_COMMENT_MAX_LENGTH) || null;
  return ctx.db.transaction().execute(async (trx) => {
    const reviewId = newId();
    await trx.insertInto('flag_reviews').values({
      id: reviewId, patient_id: patientId, reviewed_by: viewer.id, reviewed_at: ctx.clock.now(), scope: target.scope as ReviewScope, comment: text,
    }).execute();
    let update = trx.updateTable('flags').set({ review_id: reviewId }).where('patient_id', '=', patientId).where('review_id', 'is', null);
    if (target.scope === 'flag') update = update.where('id', '=', target.flagId);
    if (target.scope === 'patient') update = update.where('updated_at', '<=', target.upTo);
    if (span) {
      update = update.where('started_at', '<', span.ended_at)
        .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', span.started_at)]));
    }
    const count = Number((await update.executeTakeFirst()).numUpdatedRows);
    if (count === 0) await trx.deleteFrom('flag_reviews').where('id', '=', reviewId).execute();
    return { patientId, reviewId: count === 0 ? null : reviewId, count };
  });
}

async function patientOfTarget(db: Kysely<Database>, target: ReviewTarget): Promise<string | null> {
  if (target.scope === 'patient') return target.patientId;
  const row = target.scope === 'flag'
    ? await db.selectFrom('flags').select('patient_id').where('id', '=', target.flagId).executeTakeFirst()
    : await db.selectFrom('records').select('patient_id').where('id', '=', target.recordId).executeTakeFirst();
  return row?.patient_id ?? null;
}

// Reading

export interface FlagView {
  id: string;
  rule: RuleId;
  label: string;
  severity: Severity;
  startedAt: number;
  endedAt: number | null;
  day: string | null;
  /** English; pages show flagValueText(flag, t, times) (rules/flag-text.ts), which words `value` in their language. */
  valueText: string;
  value: FlagValue | null;
  recordId: string | null;
  review: { id: string; reviewerName: string | null; reviewedAt: number; comment: string | null; scope: ReviewScope } | null;
}

function flagQuery(db: Kysely<Database>, patientId: string) {
  return db.selectFrom('flags')
    .leftJoin('flag_reviews', 'flag_reviews.id', 'flags.review_id')
    .leftJoin('users', 'users.id', 'flag_reviews.reviewed_by')
    .selectAll('flags')
    .select(['flag_reviews.reviewed_at', 'flag_reviews.comment', 'flag_reviews.scope', 'users.name as reviewer_name'])
    .where('flags.patient_id', '=', patientId);
}

type FlagRow = Flag & { reviewed_at: number | null; comment: string | null; scope: ReviewScope | null; reviewer_name: string | null };

function toView(row: FlagRow): FlagView {
  return {
    id: row.id, rule: row.rule as RuleId, label: ruleById(row.rule)?.label ?? row.rule, severity: row.severity,
    startedAt: row.started_at, endedAt: row.ended_at, day: row.day, valueText: row.value_text, value: parseFlagValue(row.value_params), recordId: row.record_id,
    review: row.review_id === null ? null : {
      id: row.review_id, reviewerName: row.reviewer_name, reviewedAt: row.reviewed_at!, comment: row.comment, scope: row.scope!,
    },
  };
}

/** Flags of a patient that overlap a period (epoch ms), oldest first, with their reviews: for pages and the report. */
export async function flagsOfPeriod(ctx: Pick<AppContext, 'db'>, patientId: string, period: Span): Promise<FlagView[]> {
  const rows = await flagQuery(ctx.db, patientId)
    .where('flags.started_at', '<', period.to)
    .where((eb) => eb.or([eb('flags.ended_at', 'is', null), eb('flags.ended_at', '>', period.from)]))
    .orderBy('flags.started_at').orderBy('flags.id')
    .execute();
  return rows.map(toView);
}

/** The patient page's list: every unreviewed flag, then the most recently reviewed ones. */
export async function flagsForPatientPage(ctx: Pick<AppContext, 'db'>, patientId: string, reviewedLimit = 10): Promise<{ unreviewed: FlagView[]; reviewed: FlagView[] }> {
  const [unreviewed, reviewed] = await Promise.all([
    flagQuery(ctx.db, patientId).where('flags.review_id', 'is', null).orderBy('flags.started_at', 'desc').orderBy('flags.id').execute(),
    flagQuery(ctx.db, patientId).where('flags.review_id', 'is not', null)
      .orderBy('flag_reviews.reviewed_at', 'desc').orderBy('flags.started_at', 'desc').limit(reviewedLimit).execute(),
  ]);
  return { unreviewed: unreviewed.map(toView), reviewed: reviewed.map(toView) };
}

export interface ReviewEntry {
  id: string;
  reviewerName: string | null;
  reviewedAt: number;
  scope: ReviewScope;
  comment: string | null;
  flagCount: number;
}

/** A patient's reviews in a period, newest first: for the notes timeline and the report. */
export async function reviewsOfPeriod(ctx: Pick<AppContext, 'db'>, patientId: string, period: Span): Promise<ReviewEntry[]> {
  const rows = await ctx.db.selectFrom('flag_reviews')
    .leftJoin('users', 'users.id', 'flag_reviews.reviewed_by')
    .select((eb) => ['flag_reviews.id', 'flag_reviews.reviewed_at', 'flag_reviews.scope', 'flag_reviews.comment', 'users.name',
      eb.selectFrom('flags').select((f) => f.fn.countAll<number>().as('n')).whereRef('flags.review_id', '=', 'flag_reviews.id').as('flag_count')])
    .where('flag_reviews.patient_id', '=', patientId)
    .where('flag_reviews.reviewed_at', '>=', period.from).where('flag_reviews.reviewed_at', '<', period.to)
    .orderBy('flag_reviews.reviewed_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id, reviewerName: row.name, reviewedAt: row.reviewed_at, scope: row.scope, comment: row.comment, flagCount: Number(row.flag_count ?? 0),
  }));
}
