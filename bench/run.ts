// `npm run bench`: the sign-in benchmark (servers in their own processes, load from another)
// and the health-data benchmark, on SQLite and, when HMS_BENCH_DATABASE_URL is set, on
// PostgreSQL. Prints the tables and writes them into bench/RESULTS.md.
//   --smoke      a second or two per measure, to prove the benchmark still runs (npm test)
//   --quick      every measure, small: about a minute (with both databases); not added to the history
//   --out FILE   write there instead of bench/RESULTS.md
// A full run also adds its figures to the table of the last five full runs in RESULTS.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { benchHealth, FULL_HEALTH, QUICK_HEALTH, SMOKE_HEALTH, type HealthRow } from './health.js';
import { currentCommit, historyRows, withHistory } from './history.js';
import { describeMachine } from './machine.js';
import { withPostgresSchema } from './postgres-schema.js';
import { healthTable, resultsSection, signInTable, withGeneratedSection } from './report.js';
import { benchSignIn, FULL_SCALE, QUICK_SCALE, SMOKE_SCALE, type SignInResult } from './sign-in/sign-in-bench.js';

/** The machine is shared: what else was running shows in the load average when the run started. */
const LOAD_BEFORE = os.loadavg().map((load) => load.toFixed(2)).join(', ');

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false }, out: { type: 'string' } } });
const signInScale = values.smoke ? SMOKE_SCALE : values.quick ? QUICK_SCALE : FULL_SCALE;
const healthScale = values.smoke ? SMOKE_HEALTH : values.quick ? QUICK_HEALTH : FULL_HEALTH;
const full = !values.smoke && !values.quick;
const startedAt = new Date();
const outFile = values.out ?? path.join(REPOSITORY, 'bench', 'RESULTS.md');

const databases: { label: string; url: string | null }[] = [{ label: 'SQLite', url: null }];
const postgresUrl = process.env.HMS_BENCH_DATABASE_URL;
if (postgresUrl) databases.push({ label: 'PostgreSQL', url: postgresUrl });
else console.error('PostgreSQL skipped: set HMS_BENCH_DATABASE_URL=postgres://… to include it.');

/** Runs on a fresh SQLite file, or in a fresh schema of the PostgreSQL database. */
const onDatabase = <T>(url: string | null, run: (databaseUrl: string) => Promise<T>): Promise<T> => (url ? withPostgresSchema(url, run) : run(''));

const machine = describeMachine();
const tables: string[] = [];
const healthRows: HealthRow[] = [];
const signIns: SignInResult[] = [];
for (const { label, url } of databases) {
  signIns.push(await onDatabase(url, (databaseUrl) => benchSignIn(label, databaseUrl, signInScale)));
  tables.push(signInTable(signIns.at(-1)!));
  healthRows.push(...(await onDatabase(url, (databaseUrl) => benchHealth(label, databaseUrl, healthScale))));
}
tables.push(healthTable(healthRows));

const scaleName = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const seconds = (Date.now() - startedAt.getTime()) / 1000;
const section = resultsSection(machine, databases.map((database) => `${database.label}`), tables)
  .replace(/\n/, ` ${scaleName} run, ${seconds.toFixed(0)} s, commit ${currentCommit(REPOSITORY)}; load average before it: ${LOAD_BEFORE}.\n`);
console.log(`\n${section}`);
const existing = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : null;
let written = withGeneratedSection(existing, section);
if (full) written = withHistory(written, historyRows(startedAt.toISOString().slice(0, 16).replace('T', ' '), currentCommit(REPOSITORY), signIns, healthRows));
fs.writeFileSync(outFile, written);
console.error(`Written to ${outFile}.`);
