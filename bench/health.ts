// Health-data benchmark: import of a 24-hour CSV, chart data for a 24-hour record (whole range and
// a 10-minute zoom, 1,000 buckets) and the patient list with 200 patients of 20 records each.
// Runs on a temporary SQLite file, and on PostgreSQL too when HMS_BENCH_DATABASE_URL is set.
//   npx tsc -p tsconfig.build.json && node dist/bench/health.js
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import pg from 'pg';
import { openContext } from '../src/bootstrap.js';
import { ManualClock, DAY, MINUTE } from '../src/clock.js';
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
import { createPatient, listPatientsFor } from '../src/health/patients.js';
import { storeRecording } from '../src/health/records.js';
import { BREATHING_RATE, HEART_RATE } from '../src/health/channels.js';
import { TICKS_PER_SECOND } from '../src/health/series-codec.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const DAY_START = Date.UTC(2026, 10, 20, 8);

interface Row { database: string; measure: string; runs: number; median: number; p90: number; target: string }

function stats(samples: number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p90: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]! };
}

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

async function benchOn(label: string, ctx: AppContext): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (measure: string, samples: number[], target: string) => rows.push({ database: label, measure, runs: samples.length, ...stats(samples), target });
  const admin = await createAccount(ctx, { email: 'admin@bench.example', name: 'Bench Admin', role: 'admin', password: 'bench password 0123' });
  const clinician = await createAccount(ctx, { email: 'doc@bench.example', name: 'Bench Clinician', role: 'clinician', password: 'bench password 0123' });

  const files = Array.from({ length: 8 }, (_, i) => csvFile(deriveSeed(7, i)));
  console.error(`[${label}] 24-hour CSV: ${(files[0]!.length / 1e6).toFixed(1)} MB, 86,400 rows × 6 channels`);
  const importTarget = await createPatient(ctx, { name: 'Import Target', dateOfBirth: '1980-01-01', sex: 'female' });
  let recordId = '';
  add('import 24 h CSV', await time(files.length, async (run) => {
    const result = await importCsv(ctx, importTarget.id, streamOf(files[run]!));
    recordId = result.record.id;
  }), '< 1000 ms');

  const whole = (await time(5, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })), await time(50, () => chartDataFor(ctx, admin, recordId, { buckets: 1000 })));
  add('chart 24 h, 1,000 buckets', whole, '< 20 ms');
  const zoomFrom = DAY_START + 14 * 3600_000;
  add('chart 10 min, 1,000 buckets', await time(50, () => chartDataFor(ctx, admin, recordId, { from: zoomFrom, to: zoomFrom + 10 * MINUTE, buckets: 1000 })), '');
  add('export 24 h CSV', await time(5, async () => {
    const exported = await exportCsvFor(ctx, admin, recordId);
    for await (const _ of exported!.stream) { /* drain */ }
  }), '');

  // 200 patients × 20 records; short series suffice: the list reads records and summaries only.
  for (let p = 0; p < 200; p++) {
    await ctx.db.transaction().execute(async (trx) => {
      const patient = await createPatient(ctx, { externalId: `B-${p}`, name: `Patient ${String(p).padStart(3, '0')}`, dateOfBirth: '1970-05-05', sex: 'male' }, trx);
      await assignClinician(ctx, patient.id, clinician.id, trx);
      for (let r = 0; r < 20; r++) {
        const start = ((NOW - (r * 3 + (p % 9)) * DAY) / 1000) * TICKS_PER_SECOND;
        const channels = new Map([[HEART_RATE, new Float32Array(60).fill(60 + r)], [BREATHING_RATE, new Float32Array(60).fill(14 + p % 3)]]);
        await storeRecording(ctx, { patient, recording: { startTimestamp: start, length: 60, channels } }, trx);
      }
    });
  }
  await time(5, () => listPatientsFor(ctx, clinician, { limit: 200 }));
  add('patient list, 200 × 20 (clinician)', await time(30, () => listPatientsFor(ctx, clinician, { limit: 200 })), '< 50 ms');
  add('patient list, 200 × 20 (admin)', await time(30, () => listPatientsFor(ctx, admin, { limit: 200 })), '< 50 ms');
  add('patient search "patient 01"', await time(30, () => listPatientsFor(ctx, clinician, { search: 'patient 01', limit: 200 })), '');
  return rows;
}

async function withContext(databaseUrl: string, run: (ctx: AppContext) => Promise<Row[]>): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  const config = loadConfig({ HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'silent' });
  const opened = await openContext(config, new ManualClock(NOW));
  try {
    return await run(opened.ctx);
  } finally {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function withPostgresSchema<T>(baseUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const schema = `hms_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return await run(url.toString());
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const rows = await withContext('', (ctx) => benchOn('SQLite', ctx));
  const postgresUrl = process.env.HMS_BENCH_DATABASE_URL;
  if (postgresUrl) rows.push(...(await withPostgresSchema(postgresUrl, (url) => withContext(url, (ctx) => benchOn('PostgreSQL', ctx)))));
  else console.error('PostgreSQL skipped: set HMS_BENCH_DATABASE_URL=postgres://… to include it.');

  console.log(`\nHMS health-data benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}\n`);
  console.log('| database | measure | runs | median ms | p90 ms | target |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.database} | ${row.measure} | ${row.runs} | ${row.median.toFixed(1)} | ${row.p90.toFixed(1)} | ${row.target} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
