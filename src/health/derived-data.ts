// Everything HMS derives from a patient's recordings: daily metrics, hourly wear and flags. The
// only writer of daily_metrics and hourly_wear; flags go through flags.ts. Run at import, when a
// recording is deleted (recomputePatientDerivedData) and, for flags only, when a rule changes.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { DAY, HOUR } from '../clock.js';
import type { Database } from '../db/schema.js';
import { addDays, clinicDay, daysFrom, daysTouchedBy, daySpan, type Span } from './clinic-days.js';
import { replaceFlags, setOpenFlag, type EvaluationCause, type FlagToStore } from './flags.js';
import { mainRecordOf, readPatientWindow, recordAt, type PatientWindow, type WindowReader } from './patient-timeline.js';
import { dayMetrics } from './rules/daily-metrics.js';
import { RULES, RUN_RULES, type RuleId, type RuleSettings } from './rules/definitions.js';
import { evaluateRecency, evaluateRestingRise, evaluateRunRules, evaluateWear } from './rules/evaluate.js';
import { patientSettings, settingsOfPatients } from './rules/settings.js';
import { indexAt } from './rules/timeline.js';

export type DerivationCtx = Pick<AppContext, 'db' | 'clock' | 'config'>;

/** A run is followed this far past the days being derived (a run longer than that is cut there). */
export const RUN_MARGIN = 12 * HOUR;
/** Days read and derived together: bounds memory (5 channels × 4 B × 86,400 s ≈ 1.7 MB a day). */
export const BATCH_DAYS = 7;
/** A resting-HR streak is followed this many days either side of the days being evaluated. */
const STREAK_CONTEXT_DAYS = 30;


/**
 * Derives again the daily metrics, hourly wear and every flag of a patient for the days
 * [fromDay, toDay] (clinic dates), after recordings covering them were added or deleted. Call it
 * in the transaction that changed the recordings. `daysTouchedBy` gives the days of a recording.
 * `reader` replaces reading the series back from the database (the demo has them in memory).
 */
export async function recomputePatientDerivedData(ctx: DerivationCtx, patientId: string, fromDay: string, toDay: string,
  db: Kysely<Database> = ctx.db, reader?: WindowReader): Promise<void> {
  const settings = await patientSettings(db, patientId);
  for (let batchStart = fromDay; batchStart <= toDay; batchStart = addDays(batchStart, BATCH_DAYS)) {
    const batchEnd = minDay(addDays(batchStart, BATCH_DAYS - 1), toDay);
    const window = await readBatch(reader ?? ((span) => readPatientWindow(db, patientId, span)), ctx.config.timeZone, batchStart, batchEnd);
    await storeMetrics(db, ctx.config.timeZone, patientId, window, batchStart, batchEnd);
    await storeRunFlags(ctx, db, patientId, window, batchStart, batchEnd, settings, RUN_RULES.map((r) => r.id), 'data');
  }
  // A day's resting HR is in the baseline of the 14 days after it.
  await storeDailyRuleFlags(ctx, db, patientId, fromDay, addDays(toDay, 15), settings, ['low_wear', 'resting_hr_rise'], 'data');
  await storeRecencyFlag(ctx, db, patientId, settings, 'data');
}

/**
 * After recordings were deleted (or added), in the same transaction: derives again the days each
 * one covered. `recordings` are their times as they were, read before deleting them.
 */
export async function recomputeForRecordings(ctx: DerivationCtx, db: Kysely<Database>, patientId: string,
  recordings: readonly { started_at: number; ended_at: number }[]): Promise<void> {
  for (const recording of [...recordings].sort((a, b) => a.started_at - b.started_at)) {
    const { fromDay, toDay } = daysTouchedBy(ctx.config.timeZone, recording.started_at, recording.ended_at);
    await recomputePatientDerivedData(ctx, patientId, fromDay, toDay, db);
  }
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
    const window = await readBatch((span) => readPatientWindow(db, patientId, span), ctx.config.timeZone, batchStart, batchEnd);
    await storeRunFlags(ctx, db, patientId, window, batchStart, batchEnd, settings, runRules, 'rules');
  }
  await storeDailyRuleFlags(ctx, db, patientId, fromDay, toDay, settings, rules.filter((id) => id === 'low_wear' || id === 'resting_hr_rise'), 'rules');
  if (rules.includes('no_recent_data')) await storeRecencyFlag(ctx, db, patientId, settings, 'rules');
}

const minDay = (a: string, b: string) => (a < b ? a : b);

function batchSpan(zone: string, fromDay: string, toDay: string): Span {
  return { from: daySpan(zone, fromDay).from, to: daySpan(zone, toDay).to };
}

function readBatch(read: WindowReader, zone: string, fromDay: string, toDay: string): Promise<PatientWindow> {
  const core = batchSpan(zone, fromDay, toDay);
  return read({ from: core.from - RUN_MARGIN, to: core.to + RUN_MARGIN });
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

/**
 * The last day whose rules on days can be judged: it has ended, and either a recording reaches
 * past its end or a day has passed since (a shirt uploads its day the next morning: until then a
 * day would look short for everyone).
 */
export async function lastJudgedDay(ctx: DerivationCtx, db: Kysely<Database>, patientId: string): Promise<string> {
  const last = await db.selectFrom('records').select((eb) => eb.fn.max('ended_at').as('ended_at')).where('patient_id', '=', patientId).executeTakeFirst();
  return judgedThrough(ctx.config.timeZone, ctx.clock.now(), Number(last?.ended_at ?? 0));
}

/** lastJudgedDay, given when the patient's last recording ended. */
export function judgedThrough(zone: string, now: number, lastEnd: number): string {
  let day = addDays(clinicDay(zone, now), -1);
  while (daySpan(zone, day).to > lastEnd && daySpan(zone, day).to + DAY > now) day = addDays(day, -1);
  return day;
}

/** Rules on days, for the days among [fromDay, toDay] that can be judged (lastJudgedDay). */
async function storeDailyRuleFlags(ctx: DerivationCtx, db: Kysely<Database>, patientId: string, fromDay: string, toDay: string,
  settings: RuleSettings, ruleIds: readonly RuleId[], cause: EvaluationCause): Promise<void> {
  const zone = ctx.config.timeZone;
  if (ruleIds.length === 0) return;
  const lastCompleted = await lastJudgedDay(ctx, db, patientId);
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

/**
 * The periodic sweep's part: judge the days that have ended (patients with data in the last
 * three days) and open or end "no recent data" where it changed. Reads daily metrics and record
 * ends only; writes only what changed.
 */
export async function sweepTimeRules(ctx: DerivationCtx): Promise<{ patients: number }> {
  const zone = ctx.config.timeZone;
  const now = ctx.clock.now();
  const today = clinicDay(zone, now);
  const recent = await ctx.db.selectFrom('daily_metrics').innerJoin('patients', 'patients.id', 'daily_metrics.patient_id')
    .select('daily_metrics.patient_id').distinct()
    .where('daily_metrics.day', '>=', addDays(today, -3)).where('patients.archived_at', 'is', null).execute();
  const [patients, open] = await Promise.all([
    ctx.db.selectFrom('patients').select(['id', 'created_at', (eb) => eb.selectFrom('records').select((r) => r.fn.max('records.ended_at').as('e'))
      .whereRef('records.patient_id', '=', 'patients.id').as('last_end')]).where('archived_at', 'is', null).execute(),
    ctx.db.selectFrom('flags').select(['patient_id', 'started_at']).where('rule', '=', 'no_recent_data').where('ended_at', 'is', null).execute(),
  ]);
  const settings = await settingsOfPatients(ctx.db, patients.map((p) => p.id));
  const stale = patients.filter((patient) => {
    const lastEnd = patient.last_end === null || patient.last_end === undefined ? null : Number(patient.last_end);
    const wanted = evaluateRecency(lastEnd ?? patient.created_at, lastEnd !== null, now, zone, settings.get(patient.id)!);
    const current = open.find((flag) => flag.patient_id === patient.id);
    return wanted ? current?.started_at !== wanted.startedAt : current !== undefined;
  });
  const touched = new Set([...recent.map((r) => r.patient_id), ...stale.map((p) => p.id)]);
  await evaluateTimeRules(ctx, [...touched], addDays(today, -3), addDays(today, -1));
  return { patients: touched.size };
}

export const ALL_RULE_IDS: readonly RuleId[] = RULES.map((rule) => rule.id);
