// Everything HMS derives from a patient's recordings: daily metrics, hourly wear and flags. The
// only writer of daily_metrics and hourly_wear; flags go through flags.ts. Run at import, when a
// recording is deleted (recomputePatientDerivedData) and, for flags only, when a rule changes.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { HOUR } from '../clock.js';
import type { Database } from '../db/schema.js';
import { addDays, clinicDay, daysFrom, daysTouchedBy, daySpan, type Span } from './clinic-time.js';
import { replaceFlags, setOpenFlag, type EvaluationCause, type FlagToStore } from './flags.js';
import { mainRecordOf, readPatientWindow, recordAt, type PatientWindow } from './patient-timeline.js';
import { dayMetrics } from './rules/daily-metrics.js';
import { RULES, RUN_RULES, type RuleId, type RuleSettings } from './rules/definitions.js';
import { evaluateRecency, evaluateRestingRise, evaluateRunRules, evaluateWear } from './rules/evaluate.js';
import { patientSettings } from './rules/settings.js';
import { indexAt } from './rules/timeline.js';

export type DerivationCtx = Pick<AppContext, 'db' | 'clock' | 'config'>;

/** A run is followed this far past the days being derived (a run longer than that is cut there). */
export const RUN_MARGIN = 12 * HOUR;
/** Days read and derived together: bounds memory (5 channels × 4 B × 86,400 s ≈ 1.7 MB a day). */
export const BATCH_DAYS = 4;
/** A resting-HR streak is followed this many days either side of the days being evaluated. */
const STREAK_CONTEXT_DAYS = 30;


/**
 * Derives again the daily metrics, hourly wear and every flag of a patient for the days
 * [fromDay, toDay] (clinic dates), after recordings covering them were added or deleted. Call it
 * in the transaction that changed the recordings. `daysTouchedBy` gives the days of a recording.
 */
export async function recomputePatientDerivedData(ctx: DerivationCtx, patientId: string, fromDay: string, toDay: string,
  db: Kysely<Database> = ctx.db): Promise<void> {
  const settings = await patientSettings(db, patientId);
  for (let batchStart = fromDay; batchStart <= toDay; batchStart = addDays(batchStart, BATCH_DAYS)) {
    const batchEnd = minDay(addDays(batchStart, BATCH_DAYS - 1), toDay);
    const window = await readBatch(db, ctx.config.timeZone, patientId, batchStart, batchEnd);
    await storeMetrics(db, ctx.config.timeZone, patientId, window, batchStart, batchEnd);
    await storeRunFlags(ctx, db, patientId, window, batchStart, batchEnd, settings, RUN_RULES.map((r) => r.id), 'data');
  }
  // A day's resting HR is in the baseline of the 14 days after it.
  await storeDailyRuleFlags(ctx, db, patientId, fromDay, addDays(toDay, 15), settings, ['low_wear', 'resting_hr_rise'], 'data');
  await storeRecencyFlag(ctx, db, patientId, settings, 'data');
}

/** Derives what a newly stored recording changes. */
export async function deriveForNewRecording(ctx: DerivationCtx, db: Kysely<Database>, record: { patient_id: string; started_at: number; ended_at: number }): Promise<void> {
  const { fromDay, toDay } = daysTouchedBy(ctx.config.timeZone, record.started_at, record.ended_at);
  await recomputePatientDerivedData(ctx, record.patient_id, fromDay, toDay, db);
}

/**
 * Evaluates `rules` again over [fromDay, toDay] after a threshold changed; the data, and so the
 * daily metrics, are unchanged. Returns the number of flags that changed.
 */
export async function reevaluateRules(ctx: DerivationCtx, patientId: string, fromDay: string, toDay: string, rules: readonly RuleId[],
  db: Kysely<Database> = ctx.db): Promise<void> {
  const settings = await patientSettings(db, patientId);
  const runRules = rules.filter((id) => RUN_RULES.some((r) => r.id === id));
  for (let batchStart = fromDay; runRules.length > 0 && batchStart <= toDay; batchStart = addDays(batchStart, BATCH_DAYS)) {
    const batchEnd = minDay(addDays(batchStart, BATCH_DAYS - 1), toDay);
    const window = await readBatch(db, ctx.config.timeZone, patientId, batchStart, batchEnd);
    await storeRunFlags(ctx, db, patientId, window, batchStart, batchEnd, settings, runRules, 'rules');
  }
  await storeDailyRuleFlags(ctx, db, patientId, fromDay, toDay, settings, rules.filter((id) => id === 'low_wear' || id === 'resting_hr_rise'), 'rules');
  if (rules.includes('no_recent_data')) await storeRecencyFlag(ctx, db, patientId, settings, 'rules');
}

const minDay = (a: string, b: string) => (a < b ? a : b);

function batchSpan(zone: string, fromDay: string, toDay: string): Span {
  return { from: daySpan(zone, fromDay).from, to: daySpan(zone, toDay).to };
}

function readBatch(db: Kysely<Database>, zone: string, patientId: string, fromDay: string, toDay: string): Promise<PatientWindow> {
  const core = batchSpan(zone, fromDay, toDay);
  return readPatientWindow(db, patientId, { from: core.from - RUN_MARGIN, to: core.to + RUN_MARGIN });
}

async function storeMetrics(db: Kysely<Database>, zone: string, patientId: string, window: PatientWindow, fromDay: string, toDay: string): Promise<void> {
  const { timeline, records } = window;
  const metricRows = daysFrom(fromDay, toDay).flatMap((day) => {
    const recordId = mainRecordOf(records, daySpan(zone, day));
    return dayMetrics(timeline, zone, day).map((m) => ({ patient_id: patientId, day, metric: m.metric, value: m.value, record_id: recordId }));
  });
  await db.deleteFrom('daily_metrics').where('patient_id', '=', patientId).where('day', '>=', fromDay).where('day', '<=', toDay).execute();
  if (metricRows.length > 0) await db.insertInto('daily_metrics').values(metricRows).execute();

  // Clock hours overlapping the days (zones with half-hour offsets split an hour between days).
  const core = batchSpan(zone, fromDay, toDay);
  const firstHour = Math.floor(core.from / HOUR) * HOUR;
  const wearRows: { patient_id: string; hour_start: number; seconds: number }[] = [];
  for (let hour = firstHour; hour < core.to; hour += HOUR) {
    let seconds = 0;
    for (let i = indexAt(timeline, hour), end = indexAt(timeline, hour + HOUR); i < end; i++) if (timeline.heartRate[i] === timeline.heartRate[i]) seconds++;
    if (seconds > 0) wearRows.push({ patient_id: patientId, hour_start: hour, seconds });
  }
  await db.deleteFrom('hourly_wear').where('patient_id', '=', patientId).where('hour_start', '>=', firstHour).where('hour_start', '<', core.to).execute();
  for (let start = 0; start < wearRows.length; start += 500) await db.insertInto('hourly_wear').values(wearRows.slice(start, start + 500)).execute();
}

async function storeRunFlags(ctx: DerivationCtx, db: Kysely<Database>, patientId: string, window: PatientWindow, fromDay: string, toDay: string,
  settings: RuleSettings, ruleIds: readonly RuleId[], cause: EvaluationCause): Promise<void> {
  const zone = ctx.config.timeZone;
  const core = batchSpan(zone, fromDay, toDay);
  const rules = RUN_RULES.filter((rule) => ruleIds.includes(rule.id));
  const flags: FlagToStore[] = window.records.length === 0 ? [] : evaluateRunRules(window.timeline, zone, settings, core, rules)
    .map((flag) => ({ ...flag, recordId: recordAt(window.records, flag.startedAt) }));
  await replaceFlags(ctx, db, patientId, { rules: ruleIds, ...core }, flags, cause);
}

/** Rules on days, for the completed days among [fromDay, toDay] (an unfinished day is not judged yet). */
async function storeDailyRuleFlags(ctx: DerivationCtx, db: Kysely<Database>, patientId: string, fromDay: string, toDay: string,
  settings: RuleSettings, ruleIds: readonly RuleId[], cause: EvaluationCause): Promise<void> {
  const zone = ctx.config.timeZone;
  const lastCompleted = addDays(clinicDay(zone, ctx.clock.now()), -1);
  if (ruleIds.includes('low_wear')) {
    const days = daysFrom(fromDay, minDay(toDay, lastCompleted));
    const rows = await metricRows(db, patientId, 'wear_time', fromDay, toDay);
    const flags = evaluateWear(new Map(rows.map((r) => [r.day, r.value])), days, zone, settings)
      .map((flag) => ({ ...flag, recordId: rows.find((r) => r.day === flag.day)?.record_id ?? null }));
    await replaceFlags(ctx, db, patientId, { rules: ['low_wear'], ...batchSpan(zone, fromDay, toDay) }, flags, cause);
  }
  if (ruleIds.includes('resting_hr_rise')) {
    const contextFrom = addDays(fromDay, -STREAK_CONTEXT_DAYS);
    const rows = await metricRows(db, patientId, 'resting_hr', addDays(contextFrom, -14), addDays(toDay, STREAK_CONTEXT_DAYS));
    const scope = batchSpan(zone, contextFrom, toDay);
    const flags = evaluateRestingRise(new Map(rows.map((r) => [r.day, r.value])),
      daysFrom(contextFrom, minDay(addDays(toDay, STREAK_CONTEXT_DAYS), lastCompleted)), zone, settings)
      .filter((flag) => flag.startedAt >= scope.from && flag.startedAt < scope.to)
      .map((flag) => ({ ...flag, recordId: rows.find((r) => r.day === flag.day)?.record_id ?? null }));
    await replaceFlags(ctx, db, patientId, { rules: ['resting_hr_rise'], ...scope }, flags, cause);
  }
}

function metricRows(db: Kysely<Database>, patientId: string, metric: string, fromDay: string, toDay: string) {
  return db.selectFrom('daily_metrics').select(['day', 'value', 'record_id'])
    .where('patient_id', '=', patientId).where('day', '>=', fromDay).where('day', '<=', toDay).where('metric', '=', metric)
    .orderBy('day').execute();
}

/** No recent data: open while it holds; ended by new data (kept as history), withdrawn by a rule change or archiving. */
export async function storeRecencyFlag(ctx: DerivationCtx, db: Kysely<Database>, patientId: string, settings: RuleSettings | null,
  cause: EvaluationCause): Promise<void> {
  const patient = await db.selectFrom('patients').select(['created_at', 'archived_at']).where('id', '=', patientId).executeTakeFirst();
  if (!patient) return;
  if (patient.archived_at !== null) return setOpenFlag(ctx, db, patientId, 'no_recent_data', null, { endedAt: patient.archived_at });
  const last = await db.selectFrom('records').select((eb) => eb.fn.max('ended_at').as('ended_at')).where('patient_id', '=', patientId).executeTakeFirst();
  const lastEnd = last?.ended_at === null || last?.ended_at === undefined ? null : Number(last.ended_at);
  const wanted = evaluateRecency(lastEnd ?? patient.created_at, lastEnd !== null, ctx.clock.now(), ctx.config.timeZone,
    settings ?? (await patientSettings(db, patientId)));
  if (wanted || cause === 'rules') return setOpenFlag(ctx, db, patientId, 'no_recent_data', wanted, 'withdraw');
  // Data came: the flag ends where the first recording after it begins.
  const open = await db.selectFrom('flags').select('started_at').where('patient_id', '=', patientId).where('rule', '=', 'no_recent_data')
    .where('ended_at', 'is', null).executeTakeFirst();
  const next = open && await db.selectFrom('records').select('started_at').where('patient_id', '=', patientId)
    .where('ended_at', '>', open.started_at).orderBy('started_at').limit(1).executeTakeFirst();
  return setOpenFlag(ctx, db, patientId, 'no_recent_data', null, { endedAt: next ? Math.max(next.started_at, open.started_at) : ctx.clock.now() });
}

/**
 * What time alone changes: a day that has just ended is judged (low wear, resting HR), and no
 * recent data starts to hold. For the periodic sweep; cheap (daily metrics only, no series).
 */
export async function evaluateTimeRules(ctx: DerivationCtx, patientIds: readonly string[], fromDay: string, toDay: string): Promise<void> {
  for (const patientId of patientIds) {
    await ctx.db.transaction().execute(async (trx) => {
      const settings = await patientSettings(trx, patientId);
      await storeDailyRuleFlags(ctx, trx, patientId, fromDay, toDay, settings, ['low_wear', 'resting_hr_rise'], 'data');
      await storeRecencyFlag(ctx, trx, patientId, settings, 'data');
    });
  }
}

export const ALL_RULE_IDS: readonly RuleId[] = RULES.map((rule) => rule.id);
