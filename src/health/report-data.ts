// What a clinical report holds, gathered for a viewer (null answers 404 like every health read):
// the patient, the period, the summary of the period, and the chart data per day (or for the
// one window of a recording report). Drawing it is the web layer's job (src/web/report/).
import type { AppContext } from '../context.js';
import type { Patient } from '../db/schema.js';
import type { Viewer } from './access.js';
import { nightBands } from './chart-bands.js';
import { chartDataFor, type ChartData } from './chart-data.js';
import { addDays, clinicInstant } from './clinic-days.js';
import { flagsOfPeriod, type FlagView } from './flags.js';
import { notesOfPeriod, type NoteView } from './notes.js';
import { findPatientFor } from './patients.js';
import { findVisibleRecord } from './records.js';
import { tagsOfPeriod, type TagView } from './tags.js';
import { combineSummaries, type WindowSummary } from './window-summary.js';

/** Buckets per chart on paper: finer than the eye can see at the report's chart width. */
export const REPORT_BUCKETS = 480;
/** Longest period of a patient report: a page per day. */
export const REPORT_MAX_DAYS = 31;

export interface ReportPage {
  /** The time axis of the page's charts. */
  from: number;
  to: number;
  /** One per recording that overlaps the page's span (drawn on the same axes). */
  segments: ChartData[];
  bands: ChartData['bands'];
  summary: WindowSummary;
}

export interface ReportData {
  kind: 'record' | 'period';
  patient: Patient;
  /** Epoch ms of the period reported on. */
  from: number;
  to: number;
  summary: WindowSummary;
  /** Chart pages: the window of a recording report, or each day of a period. */
  pages: ReportPage[];
  /** The flags (with their review) and tagged events that overlap the period, the notes written in it (newest first). */
  triage: { flags: FlagView[]; tags: TagView[]; notes: NoteView[] };
}

async function triageOf(ctx: Ctx, patientId: string, period: { from: number; to: number }): Promise<ReportData['triage']> {
  const [flags, tags, notes] = await Promise.all([flagsOfPeriod(ctx, patientId, period), tagsOfPeriod(ctx, patientId, period), notesOfPeriod(ctx, patientId, period)]);
  return { flags, tags, notes };
}

type Ctx = Pick<AppContext, 'db' | 'config'>;

/** A recording's report, for a window of it (the whole recording without one). */
export async function recordReportFor(ctx: Ctx, viewer: Viewer, recordId: string, window: { from?: number; to?: number }): Promise<ReportData | null> {
  const [visible, chart] = await Promise.all([
    findVisibleRecord(ctx.db, viewer, recordId),
    chartDataFor(ctx, viewer, recordId, { ...window, buckets: REPORT_BUCKETS }),
  ]);
  if (!visible || !chart) return null;
  const { from, to } = chart.summary;
  return {
    kind: 'record', patient: visible.patient, from, to, summary: chart.summary,
    pages: [{ from, to, segments: [chart], bands: chart.bands, summary: chart.summary }],
    triage: await triageOf(ctx, visible.patient.id, { from, to }),
  };
}

/** A patient's report over whole clinic days [fromDate, toDate] (ISO dates, both included). */
export async function patientReportFor(ctx: Ctx, viewer: Viewer, patientId: string, fromDate: string, toDate: string): Promise<ReportData | null> {
  const patient = await findPatientFor(ctx, viewer, patientId);
  if (!patient) return null;
  const zone = ctx.config.timeZone;
  const from = clinicInstant(zone, fromDate);
  const to = clinicInstant(zone, addDays(toDate, 1));
  const records = await ctx.db.selectFrom('records').select(['id', 'started_at', 'ended_at'])
    .where('patient_id', '=', patient.id).where('started_at', '<', to).where('ended_at', '>', from)
    .orderBy('started_at').execute();
  const pages: ReportPage[] = [];
  for (let date = fromDate; date <= toDate; date = addDays(date, 1)) {
    const dayFrom = clinicInstant(zone, date);
    const dayTo = clinicInstant(zone, addDays(date, 1));
    const overlapping = records.filter((r) => r.started_at < dayTo && r.ended_at > dayFrom);
    const segments = (await Promise.all(overlapping.map((r) => chartDataFor(ctx, viewer, r.id, { from: dayFrom, to: dayTo, buckets: REPORT_BUCKETS }))))
      .filter((chart): chart is ChartData => chart !== null && chart.summary.to > chart.summary.from);
    const flagsAndTags = segments.flatMap((s) => s.bands.filter((b) => b.kind !== 'night'));
    pages.push({
      from: dayFrom, to: dayTo, segments,
      bands: [...nightBands(zone, dayFrom, dayTo), ...flagsAndTags],
      summary: combineSummaries(segments.map((s) => s.summary), dayFrom, dayTo),
    });
  }
  return {
    kind: 'period', patient, from, to, summary: combineSummaries(pages.map((p) => p.summary), from, to), pages,
    triage: await triageOf(ctx, patient.id, { from, to }),
  };
}
