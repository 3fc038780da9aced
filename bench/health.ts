// Health-data benchmark: import of a 24-hour CSV (with its daily metrics and flags), chart data
// for a 24-hour record (whole range and a 10-minute zoom, 1,000 buckets), re-evaluating flags
// after a threshold change, and the worklist and trends of 200 patients with 90 days of data.
// In process, on a temporary SQLite file or PostgreSQL schema; `npm run bench` runs it (run.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { openContext } from '../src/bootstrap.js';
import { ManualClock, DAY, MINUTE } from '../src/clock.js';
import { median, percentile } from './stats.js';
import { BENCH_PASSWORD } from './sign-in/seed.js';
import { newKeyEntry } from '../src/auth/keyring.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { createAccount } from '../src/auth/accounts.js';
import { assignClinician } from '../src/health/care-teams.js';
import { chartDataFor } from '../src/health/chart-data.js';
import { recordingToCsv, exportCsvFor } from '../src/health/csv-export.js';
import { deriveSeed } from '../src/health/demo/random.js';
import { syntheticRecording } from '../src/health/demo/synthetic-recording.js';
import { DEMO_PATIENTS } from '../src/health/demo/demo-data.js';
import { importCsv } from '../src/health/import.js';
import { createPatient } from '../src/health/patients.js';
import { worklistFor } from '../src/health/worklist.js';
import { storeRecording } from '../src/health/records.js';
import { BREATHING_RATE, HEART_RATE } from '../src/health/channels.js';
import { TICKS_PER_SECOND } from '../src/health/series-codec.js';
import { recordReportFor } from '../src/health/report-data.js';
import { timeFormat } from '../src/web/format.js';
import { renderReport } from '../src/web/report/pdf-report.js';
import { addDays, clinicDay, clinicInstant, daysBetween, daysTouchedBy } from '../src/health/clinic-days.js';
import { reevaluateRules } from '../src/health/derived-data.js';
import { trendsOf } from '../src/health/trends.js';
import { newId } from '../src/auth/tokens.js';
import { renderWorklist } from './worklist-render.js';
import { PATIENTS_PER_PAGE } from '../src/web/patients/routes.js';
import type { Viewer } from '../src/health/access.js';
import { sql } from 'kysely';

const NOW = Date.UTC(2026, 10, 25, 12);
const HOUR = 3600_000;
/** The first imported day; each file is the next day, back to back, as a patient wears the shirt. */
const DAY_START = Date.UTC(2026, 10, 10, 8);

export interface HealthRow { database: string; measure: string; runs: number; median: number; p90: number; target: string; met: boolean | null }

export interface HealthScale {
  /** 24-hour files imported (each one different). */
  imports: number;
  /** Timed runs of each read. */
  reads: number;
  patients: number;
  /** Days of data per patient of the worklist. */
  days: number;
}

export const FULL_HEALTH: HealthScale = { imports: 8, reads: 50, patients: 200, days: 90 };
/** `--quick`: each measure a few times; a worklist of 20 patients × 90 days (seeding 200 takes minutes). */
export const QUICK_HEALTH: HealthScale = { imports: 1, reads: 5, patients: 20, days: 90 };
export const SMOKE_HEALTH: HealthScale = { imports: 1, reads: 2, patients: 5, days: 3 };

async function time(runs: number, action: (run: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await action(run);
    samples.push(performance.now() - start);
  }
  return samples;
}

function csvFile(seed: number, day: number): Buffer {
  const recording = syntheticRecording(seed, DEMO_PATIENTS[2]!, ((DAY_START + day * DAY) / 1000) * TICKS_PER_SECOND, 8);
  return Buffer.from(recordingToCsv(recording));
}

/** A file read in 64 KiB pieces, as a disk or an upload delivers it. */
function streamOf(file: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let start = 0; start < file.length; start += 65_536) pieces.push(file.subarray(start, start + 65_536));
  return Readable.from(pieces);
}

/** Each measure with a target names its bound in milliseconds: the median must stay under it. */
async function benchOn(label: string, ctx: AppContext, scale: HealthScale): Promise<HealthRow[]> {
  const rows: HealthRow[] = [];
  const add = (measure: string, samples: number[], targetMs?: number) => {
    const row = { median: median(samples), p90: percentile(samples, 0.9) };
    rows.push({ database: label, measure, runs: samples.length, ...row, target: targetMs ? `< ${targetMs} ms` : '', met: targetMs ? row.median < targetMs : null });
  };
  const admin = await createAccount(ctx, { email: 'admin@bench.example', name: 'Bench Admin', role: 'admin', password: BENCH_PASSWORD });
  const clinician = await createAccount(ctx, { email: 'doc@bench.example', name: 'Bench Clinician', role: 'clinician', password: BENCH_PASSWORD });

  const files = Array.from({ length: scale.imports }, (_, i) => csvFile(deriveSeed(7, i), i));
  console.error(`[health, ${label}] 24-hour CSV: ${(files[0]!.length / 1e6).toFixed(1)} MB, 86,400 rows × 6 channels`);
  const importTarget = await createPatient(ctx, { name: 'Import Target', dateOfBirth: '1980-01-01', sex: 'female' });
  let recordId = '';
  add('import 24 h CSV', await time(files.length, async (run) => {
    const result = await importCsv(ctx, importTarget.id, streamOf(files[run]!));
    recordId = result.record.id;
  }), 1000);

  await time(5, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })); // warm-up
  add('chart 24 h, 1,000 buckets, with readout data, nights and summary', await time(scale.reads, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })), 20);
  // A window that is not the whole record: its summary is computed from the samples of 12 hours.
  const lastDay = DAY_START + (scale.imports - 1) * DAY; // the day of recordId
  add('chart 12 h window, 1,000 buckets, summary from samples', await time(scale.reads, () => chartDataFor(ctx, admin, recordId, { from: lastDay + 6 * 3600_000, to: lastDay + 18 * 3600_000, buckets: 1000 })));
  const times = timeFormat(ctx.config.timeZone);
  const report = async () => {
    const data = await recordReportFor(ctx, admin, recordId, {});
    return renderReport({ report: data!, times, generatedBy: 'Bench Admin', generatedAt: NOW, now: NOW }, 'A4');
  };
  await time(2, report); // warm-up: pdfkit loads its font metrics once
  add('clinical report of a 24 h record (PDF)', await time(Math.min(10, scale.reads), report), 1000);
  const zoomFrom = lastDay + 14 * 3600_000;
  add('chart 10 min, 1,000 buckets', await time(scale.reads, () => chartDataFor(ctx, admin, recordId, { from: zoomFrom, to: zoomFrom + 10 * MINUTE, buckets: 1000 })));
  add('export 24 h CSV', await time(Math.min(5, scale.reads), async () => {
    const exported = await exportCsvFor(ctx, admin, recordId);
    for await (const _ of exported!.stream) { /* drain */ }
  }));

  // Re-evaluating after a threshold change reads the series again: per day of data, on the days imported above.
  const importedDays = daysTouchedBy(ctx.config.timeZone, DAY_START, DAY_START + scale.imports * DAY);
  const dayCount = daysBetween(importedDays.fromDay, importedDays.toDay) + 1;
  add(`re-evaluate run rules, ${dayCount} days of one patient, per day`, (await time(Math.min(3, scale.reads), () =>
    reevaluateRules(ctx, importTarget.id, importedDays.fromDay, importedDays.toDay, ['tachycardia_at_rest', 'bradycardia', 'tachypnea_at_rest', 'bradypnea_at_night'])))
    .map((ms) => ms / dayCount));

  await seedWorklist(ctx, clinician.id, scale);
  // Fresh statistics after a bulk load, as autovacuum (PostgreSQL) would gather on its own shortly.
  await sql`analyze`.execute(ctx.db);
  const today = clinicDay(ctx.config.timeZone, NOW);
  const render = (entries: Awaited<ReturnType<typeof worklistFor>>) => renderWorklist(entries, ctx.config.timeZone, NOW);
  const page = (viewer: Viewer, limit: number) => async () => render(await worklistFor(ctx, viewer, { limit }));
  await time(5, page(clinician, scale.patients)); // warm-up
  const list = `${scale.patients} patients × ${scale.days} days`;
  // `GET /` shows 50 patients a page, in triage order over all of them; the whole list on one page is the worst case.
  add(`worklist page (50 of ${list}), query + HTML, clinician`, await time(scale.reads, page(clinician, PATIENTS_PER_PAGE)), 50);
  add(`worklist page (50 of ${list}), query + HTML, admin`, await time(scale.reads, page(admin, PATIENTS_PER_PAGE)), 50);
  add(`worklist, all ${list} on one page, query + HTML`, await time(scale.reads, page(clinician, scale.patients)));
  add('worklist search "patient 01"', await time(scale.reads, () => worklistFor(ctx, clinician, { search: 'patient 01', limit: scale.patients })));
  const someone = (await ctx.db.selectFrom('patients').select('id').where('external_id', '=', `B-${Math.min(7, scale.patients - 1)}`).executeTakeFirstOrThrow()).id;
  add('trend 90 days, 6 metrics with baselines', await time(scale.reads, () => trendsOf(ctx, someone, 90, today)), 20);
  return rows;
}

export async function benchHealth(label: string, databaseUrl: string, scale: HealthScale): Promise<HealthRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  const config = loadConfig({
    HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'silent', HMS_TIME_ZONE: 'America/Montreal',
    HMS_ENCRYPTION_KEYS: databaseUrl ? newKeyEntry() : '',
  });
  const opened = await openContext(config, new ManualClock(NOW));
  try {
    return await benchOn(label, opened.ctx, scale);
  } finally {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * 200 patients with 90 days each, at the volume the worklist and trends read: a recording a day,
 * 6 daily metrics a day, 24 hourly wear rows a day, a few flags (some reviewed). The series
 * themselves are a minute long: neither page reads them, and deriving the tables from 1.5 billion
 * real samples would take hours; import and re-evaluation are measured on real 24-hour files above.
 */
export async function seedWorklist(ctx: AppContext, clinicianId: string, scale: HealthScale): Promise<void> {
  const zone = ctx.config.timeZone;
  const today = clinicDay(zone, NOW);
  const rules = ['tachycardia_at_rest', 'low_wear', 'bradycardia', 'resting_hr_rise'] as const;
  for (let p = 0; p < scale.patients; p++) {
    await ctx.db.transaction().execute(async (trx) => {
      const patient = await createPatient(ctx, { externalId: `B-${p}`, name: `Patient ${String(p).padStart(3, '0')}`, dateOfBirth: '1970-05-05', sex: 'male' }, trx);
      await assignClinician(ctx, patient.id, clinicianId, trx);
      const metrics: { patient_id: string; day: string; metric: string; value: number; record_id: string | null }[] = [];
      const wear: { patient_id: string; hour_start: number; seconds: number }[] = [];
      for (let d = scale.days; d >= 1; d--) {
        const day = addDays(today, -d);
        const start = clinicInstant(zone, day, 8);
        const channels = new Map([[HEART_RATE, new Float32Array(60).fill(60 + (d % 7))], [BREATHING_RATE, new Float32Array(60).fill(14 + (p % 3))]]);
        const record = await storeRecording(ctx, { patient, recording: { startTimestamp: (start / 1000) * TICKS_PER_SECOND, length: 60, channels } }, trx);
        for (const [metric, value] of [['wear_time', 82_000 + p], ['resting_hr', 55 + (p % 20) + (d % 3)], ['night_breathing_rate', 13.5 + (d % 4) / 4],
          ['sleep_time', 26_000 + d * 10], ['position_changes', d % 9], ['active_minutes', 40 + (d % 30)]] as const) {
          metrics.push({ patient_id: patient.id, day, metric, value, record_id: record.id });
        }
        for (let h = 0; h < 24; h++) wear.push({ patient_id: patient.id, hour_start: clinicInstant(zone, day) + h * HOUR, seconds: 3400 + ((h * p) % 200) });
      }
      for (let start = 0; start < metrics.length; start += 500) await trx.insertInto('daily_metrics').values(metrics.slice(start, start + 500)).execute();
      for (let start = 0; start < wear.length; start += 500) await trx.insertInto('hourly_wear').values(wear.slice(start, start + 500)).execute();
      // Three flags per patient over the period; the older two reviewed, the newest not for one patient in four.
      const reviewId = newId();
      await trx.insertInto('flag_reviews').values({ id: reviewId, patient_id: patient.id, reviewed_by: clinicianId, reviewed_at: NOW - 2 * DAY, scope: 'patient', comment: 'Seen' }).execute();
      await trx.insertInto('flags').values([0, 1, 2].map((k) => {
        const startedAt = NOW - (k * 20 + 1 + (p % 5)) * DAY;
        return {
          id: newId(), patient_id: patient.id, record_id: null, rule: rules[(p + k) % rules.length]!, severity: (['high', 'low', 'high', 'medium'] as const)[(p + k) % 4]!,
          started_at: startedAt, ended_at: startedAt + 10 * MINUTE, day: null, value_text: 'HR 131 bpm (max 140) for 10 min at rest, activity 0.02 g',
          created_at: startedAt, updated_at: startedAt, review_id: k === 0 && p % 4 === 0 ? null : reviewId,
        };
      })).execute();
    });
  }
}
