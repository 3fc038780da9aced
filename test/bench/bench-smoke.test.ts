// `npm run bench` must not rot: a smoke run of it (a second or two per measure) on SQLite and,
// where the tests have one, PostgreSQL. It checks that every measure ran and every request got
// the answer it should; the numbers themselves belong to bench/RESULTS.md, never to a test.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/databases.js';
import { postgres } from '../support/requirements.js';

const withPostgres = postgres();

function runBench(out: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/bench/run.js', '--smoke', '--out', out], { env: { ...process.env, ...env }, timeout: 240_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }));
  });
}

/** The first number of a table row whose first cell starts with `measure`. */
function firstNumberOfRow(table: string, measure: string): number {
  const row = table.split('\n').find((line) => line.startsWith(`| ${measure}`));
  if (!row) throw new Error(`no row "${measure}"`);
  return Number(/\| ([\d,.]+)\//.exec(row)?.[1]?.replaceAll(',', '') ?? Number.NaN);
}

describe('npm run bench', () => {
  it(`runs every measure on SQLite${withPostgres.available ? ' and PostgreSQL' : ` (PostgreSQL skipped: ${withPostgres.reason})`} and writes the tables`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-smoke-'));
    const out = path.join(dir, 'RESULTS.md');
    fs.writeFileSync(out, '# Results\n\nWritten by people, kept.\n\n<!-- npm run bench: start -->\nold\n<!-- npm run bench: end -->\n\nAlso kept.\n');
    const databaseUrl = withPostgres.available ? await testDatabaseUrl() : '';
    try {
      const { code, stderr } = await runBench(out, databaseUrl ? { HMS_BENCH_DATABASE_URL: databaseUrl } : {});
      expect(code, stderr).toBe(0);
      const results = fs.readFileSync(out, 'utf8');
      expect(results).toContain('Written by people, kept.');
      expect(results).toContain('Also kept.');
      expect(results).not.toContain('\nold\n');
      expect(results, 'only full runs go into the history').not.toContain('npm run bench: history start');
      expect(results).toMatch(/Run of \d{4}-\d\d-\d\d · \d+ cores, .+ · Node v\d+/);

      const databases = databaseUrl ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
      for (const database of databases) {
        const table = results.split(`### Sign-in, ${database}`)[1]!.split('###')[0]!;
        expect(firstNumberOfRow(table, '1. password step'), `${database}: logins/s`).toBeGreaterThan(0);
        expect(firstNumberOfRow(table, '2. code step'), `${database}: verifications/s`).toBeGreaterThan(0);
        expect(firstNumberOfRow(table, '3. authenticated'), `${database}: pages/s`).toBeGreaterThan(0);
        expect(table).toMatch(/bare Fastify, same bytes: [\d,]+\/s/);
        expect(table).toMatch(/idle \d+ MiB → after password step \d+ MiB/);
        expect(table).toMatch(/\| 5b\. server memory after a forced full GC .*\| right after every measure: \d+ MiB \([\d.]+×\); then 1 s idle: \d+ MiB \| idle: \d+ MiB \| [\d.]+× \|/);
        expect(table).toMatch(/\| 6\. `GET \/metrics` scrape .*\| median [\d.]+ ms, p90 [\d.]+ ms \(3 scrapes\)/);
        expect(table, `${database}: every request answered as expected`).toContain('answered another status than expected: 0.');
        expect(results).toMatch(new RegExp(`\\| ${database} \\| import 24 h CSV \\| 1 \\| [\\d,.]+ \\|`));
        expect(results).toMatch(new RegExp(`\\| ${database} \\| clinical report of a 24 h record \\(PDF\\) \\| 2 \\| [\\d,.]+ \\|`));
      }
      if (databaseUrl) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const { rows } = await client.query("select nspname from pg_namespace where nspname like 'hms_bench_%'");
        await client.end();
        expect(rows, 'the benchmark drops its schemas').toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
