// Once per test run, before any test file: build the `hms` command (the CLI tests run the compiled
// code exactly as `npm run hms` does), and name this run so its PostgreSQL databases can be found
// and dropped afterwards.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_PREFIX } from './databases.js';

export default function setup(): () => Promise<void> {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const run = randomBytes(4).toString('hex');
  process.env.HMS_TEST_RUN = run; // inherited by the test processes, started after this
  return async () => {
    if (!process.env.HMS_TEST_DATABASE_URL) return;
    const admin = new pg.Client({ connectionString: process.env.HMS_TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${TEST_DATABASE_PREFIX}${run}_%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await admin.end();
    }
  };
}
