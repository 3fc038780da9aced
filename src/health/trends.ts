// A patient's daily metrics over 7, 30 or 90 days, each day with the patient's own baseline (the
// 14 days before it): one query of at most (days + 14) rows per metric.
import type { AppContext } from '../context.js';
import { addDays, daysFrom } from './clinic-days.js';
import { baselinesOf, METRICS, type Baseline, type MetricDefinition, type MetricId } from './rules/daily-metrics.js';

export const TREND_RANGES = [7, 30, 90] as const;
export type TrendRange = (typeof TREND_RANGES)[number];

/** Stored in seconds, shown in hours. */
const SHOWN_IN_HOURS: ReadonlySet<MetricId> = new Set(['wear_time', 'sleep_time']);
/** Metrics of the calendar day (the others are of the night that ends that morning). */
const DAY_METRICS: ReadonlySet<MetricId> = new Set(['wear_time', 'resting_hr', 'active_minutes']);

export interface TrendPoint {
  day: string;
  value: number;
  /** The recording that covers most of that day: where a point links to. */
  recordId: string | null;
  baseline: Baseline | null;
}

export interface Trend {
  metric: MetricDefinition;
  points: TrendPoint[];
}

export interface Trends {
  /** Every day of the range, oldest first. */
  days: string[];
  trends: Trend[];
}

/**
 * The trends of the `range` days ending on `lastDay` (clinic dates), values in the units of
 * METRICS. Metrics of the calendar day stop at `lastCompleteDay`: a day still in progress (or
 * whose data has not come in yet) would show a fall that is not there; a night's metrics belong
 * to the morning it ends, so last night is shown.
 */
export async function trendsOf(ctx: Pick<AppContext, 'db'>, patientId: string, range: TrendRange, lastDay: string, lastCompleteDay = lastDay): Promise<Trends> {
  const firstDay = addDays(lastDay, -(range - 1));
  const rows = await ctx.db.selectFrom('daily_metrics').select(['day', 'metric', 'value', 'record_id'])
    .where('patient_id', '=', patientId).where('metric', 'in', METRICS.map((m) => m.id))
    .where('day', '>=', addDays(firstDay, -14)).where('day', '<=', lastDay)
    .orderBy('day')
    .execute();
  const trends = METRICS.map((metric) => {
    const scale = SHOWN_IN_HOURS.has(metric.id) ? 1 / 3600 : 1;
    const own = rows.filter((row) => row.metric === metric.id && (!DAY_METRICS.has(metric.id) || row.day <= lastCompleteDay));
    const values = new Map(own.map((row) => [row.day, row.value * scale]));
    const shown = own.filter((row) => row.day >= firstDay);
    const baselines = baselinesOf(values, shown.map((row) => row.day));
    const points = shown.map((row) => ({ day: row.day, value: row.value * scale, recordId: row.record_id, baseline: baselines.get(row.day) ?? null }));
    return { metric, points };
  });
  return { days: daysFrom(firstDay, lastDay), trends };
}
