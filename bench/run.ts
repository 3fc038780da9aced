// `npm run bench`: the sign-in benchmark (servers in their own processes, load from another)
// and the health-data benchmark, on SQLite and, when HMS_BENCH_DATABASE_URL is set, on
// PostgreSQL. Prints the tables and writes them into bench/RESULTS.md.
//   --smoke      a second or two per measure, to prove the benchmark still runs (npm test)
//   --out FILE   write there instead of bench/RESULTS.md
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchHealth, FULL_HEALTH, SMOKE_HEALTH, type HealthRow } from './health.js';
import { describeMachine } from './machine.js';
import { withPostgresSchema } from './postgres-schema.js';
import { healthTable, resultsSection, signInTable, withGeneratedSection } from './report.js';
import { benchSignIn, FULL_SCALE, SMOKE_SCALE } from './sign-in/sign-in-bench.js';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' } } });
const signInScale = values.smoke ? SMOKE_SCALE : FULL_SCALE;
const healthScale = values.smoke ? SMOKE_HEALTH : FULL_HEALTH;
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
for (const { label, url } of databases) {
  tables.push(signInTable(await onDatabase(url, (databaseUrl) => benchSignIn(label, databaseUrl, signInScale))));
  healthRows.push(...(await onDatabase(url, (databaseUrl) => benchHealth(label, databaseUrl, healthScale))));
}
tables.push(healthTable(healthRows));

const section = resultsSection(machine, databases.map((database) => database.label), tables);
console.log(`\n${section}`);
const existing = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : null;
fs.writeFileSync(outFile, withGeneratedSection(existing, section));
console.error(`Written to ${outFile}.`);
