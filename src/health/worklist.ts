// The worklist: the viewer's patients in the order a clinician works through them — unreviewed
// flags first (highest severity, then most recent), then by last recording — with what the list
// shows of each: flag chips, last recording, resting HR against its baseline, night breathing
// rate, wear time of the last 24 h and the last review. One query orders and pages; a few more
// fetch the columns of that page only.
import type { AppContext } from '../context.js';
import { DAY, HOUR } from '../clock.js';
import type { Patient } from '../db/schema.js';
import { seesEveryPatient, type Viewer } from './access.js';
import { addDays, clinicDay } from './clinic-days.js';
import { escapeLike, foldForSearch } from './patients.js';
import { wholeNumberIn } from './paging.js';
import { runWorklistStatements } from './worklist-statements.js';
import { judgedThrough } from './derived-data.js';
import { baselineOn } from './rules/daily-metrics.js';
import { RULES, SEVERITY_RANK, type RuleId, type Severity } from './rules/definitions.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

export const WORKLIST_FILTERS = ['all', 'flagged', 'unreviewed', 'no_recent_data', 'archived'] as const;
export type WorklistFilter = (typeof WORKLIST_FILTERS)[number];
export const WORKLIST_SORTS = ['triage', 'name', 'last_recording'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

/** "Flagged": a flag not reviewed yet, still holding, or started within this many days. */
export const FLAGGED_WITHIN_DAYS = 7;
/** Resting HR and night breathing rate shown are those of the latest day within this many days. */
export const LATEST_METRIC_DAYS = 7;
export const WORKLIST_MAX = 500;

export interface WorklistQuery {
  search?: string;
  filter?: WorklistFilter;
  sort?: WorklistSort;
  limit?: number;
  offset?: number;
}

export interface FlagChip {
  rule: RuleId;
  label: string;
  severity: Severity;
  count: number;
}

export interface WorklistEntry {
  patient: Patient;
  /** Unreviewed flags per rule, most severe first. */
  chips: FlagChip[];
  unreviewed: number;
  lastRecording: { id: string; startedAt: number; endedAt: number } | null;
  restingHeartRate: { day: string; bpm: number; baselineMedian: number | null } | null;
  nightBreathingRate: { day: string; rpm: number } | null;
  /** Seconds with a heart-rate value in the last 24 hours (to the hour); null without any. */
  wearLast24h: number | null;
  lastReview: { reviewerName: string | null; reviewedAt: number } | null;
}

/** The worklist of a viewer, one page of it. */
export async function worklistFor(ctx: Ctx, viewer: Viewer, query: WorklistQuery = {}): Promise<{ entries: WorklistEntry[]; total: number }> {
  const now = ctx.clock.now();
  const limit = wholeNumberIn(query.limit, 1, WORKLIST_MAX, 50);
  const offset = wholeNumberIn(query.offset, 0, Number.MAX_SAFE_INTEGER, 0);
  const search = foldForSearch(query.search?.trim() ?? '');
  const shape = { everyPatient: seesEveryPatient(viewer), searching: search !== '', filter: query.filter ?? 'all', sort: query.sort ?? 'triage' };
  const { rows, total } = await runWorklistStatements(ctx.db, shape, {
    viewerId: viewer.id, pattern: `%${escapeLike(search)}%`, flaggedSince: now - FLAGGED_WITHIN_DAYS * DAY, limit, offset,
  });
  const patients: Patient[] = rows.map(({ top_rank: _rank, latest_flag: _latest, last_started: _started, last_record_id: _record, last_review_id: _review, ...patient }) => patient as Patient);
  const idsOf = (column: 'last_record_id' | 'last_review_id') => rows.map((row) => row[column]).filter((id): id is string => typeof id === 'string');
  return { entries: await columnsOf(ctx, patients, idsOf('last_record_id'), idsOf('last_review_id'), now), total };
}

async function columnsOf(ctx: Ctx, patients: Patient[], lastRecordIds: string[], lastReviewIds: string[], now: number): Promise<WorklistEntry[]> {
  if (patients.length === 0) return [];
  const ids = patients.map((p) => p.id);
  const today = clinicDay(ctx.config.timeZone, now);
  const latestDay = addDays(today, -(LATEST_METRIC_DAYS - 1));
  const wearFrom = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
  const { db } = ctx;
  const metric = (id: string, from: string) => db.selectFrom('daily_metrics').select(['patient_id', 'day', 'value'])
    .where('patient_id', 'in', ids).where('metric', '=', id).where('day', '>=', from).execute();
  const [chips, lastRecords, restingRows, breathingRows, wear, reviews] = await Promise.all([
    db.selectFrom('flags').select(['patient_id', 'rule', 'severity', (eb) => eb.fn.countAll<number>().as('count')])
      .where('patient_id', 'in', ids).where('review_id', 'is', null).groupBy(['patient_id', 'rule', 'severity']).execute(),
    lastRecordIds.length === 0 ? Promise.resolve([]) : db.selectFrom('records').select(['records.id', 'records.patient_id', 'records.started_at', 'records.ended_at'])
      .where('records.id', 'in', lastRecordIds).execute(),
    // The resting HR of the last days, with the 14 days before them for its baseline.
    metric('resting_hr', addDays(latestDay, -14)),
    metric('night_breathing_rate', latestDay),
    db.selectFrom('hourly_wear').select(['patient_id', (eb) => eb.fn.sum<number>('seconds').as('seconds')])
      .where('patient_id', 'in', ids).where('hour_start', '>=', wearFrom).groupBy('patient_id').execute(),
    lastReviewIds.length === 0 ? Promise.resolve([]) : db.selectFrom('flag_reviews').leftJoin('users', 'users.id', 'flag_reviews.reviewed_by')
      .select(['flag_reviews.patient_id', 'flag_reviews.reviewed_at', 'users.name'])
      .where('flag_reviews.id', 'in', lastReviewIds).execute(),
  ]);
  const byPatient = <R extends { patient_id: string }>(rows: R[]) => {
    const map = new Map<string, R[]>();
    for (const row of rows) (map.get(row.patient_id) ?? map.set(row.patient_id, []).get(row.patient_id)!).push(row);
    return map;
  };
  const [chipsOf, recordOf, restingOf, breathingOf, wearOf, reviewOf] = [byPatient(chips), byPatient(lastRecords), byPatient(restingRows),
    byPatient(breathingRows), byPatient(wear), byPatient(reviews)];
  return patients.map((patient) => {
    const record = recordOf.get(patient.id)?.[0];
    // A day's resting HR is shown once the day is complete (derived-data.ts judgedThrough).
    const complete = judgedThrough(ctx.config.timeZone, now, record?.ended_at ?? 0);
    const own = (chipsOf.get(patient.id) ?? [])
      .map((c) => ({ rule: c.rule as RuleId, label: RULES.find((r) => r.id === c.rule)?.label ?? c.rule, severity: c.severity, count: Number(c.count) }))
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || a.label.localeCompare(b.label));
    const resting = new Map((restingOf.get(patient.id) ?? []).map((m) => [m.day, m.value]));
    const restingDay = [...resting.keys()].filter((day) => day >= latestDay && day <= complete).sort().pop();
    const breathing = (breathingOf.get(patient.id) ?? []).sort((a, b) => a.day.localeCompare(b.day)).pop();
    const worn = wearOf.get(patient.id)?.[0];
    const review = reviewOf.get(patient.id)?.[0];
    return {
      patient,
      chips: own,
      unreviewed: own.reduce((sum, chip) => sum + chip.count, 0),
      lastRecording: record ? { id: record.id, startedAt: record.started_at, endedAt: record.ended_at } : null,
      restingHeartRate: restingDay === undefined ? null : {
        day: restingDay, bpm: resting.get(restingDay)!, baselineMedian: baselineOn(resting, restingDay)?.median ?? null,
      },
      nightBreathingRate: breathing ? { day: breathing.day, rpm: breathing.value } : null,
      wearLast24h: worn ? Number(worn.seconds) : null,
      lastReview: review ? { reviewerName: review.name, reviewedAt: review.reviewed_at } : null,
    };
  });
}
