// Health-data benchmark: import of a 24-hour CSV, chart data for a 24-hour record (whole range and
// a 10-minute zoom, 1,000 buckets) and the patient list with 200 patients of 20 records each.
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

const NOW = Date.UTC(2026, 10, 25, 12);
const DAY_START = Date.UTC(2026, 10, 20, 8);

export interface HealthRow { database: string; measure: string; runs: number; median: number; p90: number; target: string; met: boolean | null }

export interface HealthScale {
  /** 24-hour files imported (each one different). */
  imports: number;
  /** Timed runs of each read. */
  reads: number;
  patients: number;
  recordsPerPatient: number;
}

export const FULL_HEALTH: HealthScale = { imports: 8, reads: 50, patients: 200, recordsPerPatient: 20 };
export const SMOKE_HEALTH: HealthScale = { imports: 1, reads: 2, patients: 5, recordsPerPatient: 2 };

async function time(runs: number, action: (run: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await action(run);
    samples.push(performance.now() - start);
  }
  return samples;
}

function csvFile(seed: number): Buffer {
  const recording = syntheticRecording(seed, DEMO_PATIENTS[2]!, (DAY_START / 1000) * TICKS_PER_SECOND, 8);
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

  const files = Array.from({ length: scale.imports }, (_, i) => csvFile(deriveSeed(7, i)));
  console.error(`[health, ${label}] 24-hour CSV: ${(files[0]!.length / 1e6).toFixed(1)} MB, 86,400 rows × 6 channels`);
  const importTarget = await createPatient(ctx, { name: 'Import Target', dateOfBirth: '1980-01-01', sex: 'female' });
  let recordId = '';
  add('import 24 h CSV', await time(files.length, async (run) => {
    const result = await importCsv(ctx, importTarget.id, streamOf(files[run]!));
    recordId = result.record.id;
  }), 1000);

  await time(5, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })); // warm-up
  add('chart 24 h, 1,000 buckets', await time(scale.reads, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })), 20);
  const zoomFrom = DAY_START + 14 * 3600_000;
  add('chart 10 min, 1,000 buckets', await time(scale.reads, () => chartDataFor(ctx, admin, recordId, { from: zoomFrom, to: zoomFrom + 10 * MINUTE, buckets: 1000 })));
  add('export 24 h CSV', await time(Math.min(5, scale.reads), async () => {
    const exported = await exportCsvFor(ctx, admin, recordId);
    for await (const _ of exported!.stream) { /* drain */ }
  }));

  // Patients with their records; short series suffice: the list reads records and summaries only.
  for (let p = 0; p < scale.patients; p++) {
    await ctx.db.transaction().execute(async (trx) => {
      const patient = await createPatient(ctx, { externalId: `B-${p}`, name: `Patient ${String(p).padStart(3, '0')}`, dateOfBirth: '1970-05-05', sex: 'male' }, trx);
      await assignClinician(ctx, patient.id, clinician.id, trx);
      for (let r = 0; r < scale.recordsPerPatient; r++) {
        const start = ((NOW - (r * 3 + (p % 9)) * DAY) / 1000) * TICKS_PER_SECOND;
        const channels = new Map([[HEART_RATE, new Float32Array(60).fill(60 + r)], [BREATHING_RATE, new Float32Array(60).fill(14 + p % 3)]]);
        await storeRecording(ctx, { patient, recording: { startTimestamp: start, length: 60, channels } }, trx);
      }
    });
  }
  await time(5, () => worklistFor(ctx, clinician, { limit: 200 }));
  const list = `${scale.patients} × ${scale.recordsPerPatient}`;
  add(`patient list, ${list} (clinician)`, await time(scale.reads, () => worklistFor(ctx, clinician, { limit: 200 })), 50);
  add(`patient list, ${list} (admin)`, await time(scale.reads, () => worklistFor(ctx, admin, { limit: 200 })), 50);
  add('patient search "patient 01"', await time(scale.reads, () => worklistFor(ctx, clinician, { search: 'patient 01', limit: 200 })));
  return rows;
}

export async function benchHealth(label: string, databaseUrl: string, scale: HealthScale): Promise<HealthRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  const config = loadConfig({ HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'silent' });
  const opened = await openContext(config, new ManualClock(NOW));
  try {
    return await benchOn(label, opened.ctx, scale);
  } finally {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
