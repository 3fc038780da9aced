// HMS as a real process (`hms serve`) whose PostgreSQL connection goes through a proxy that breaks
// it: connections reset and refused, a network that swallows everything, and the server ending
// HMS's sessions (pg_terminate_backend). The process must stay up, every request during the fault
// must end with a 503 within the configured limits, the next ones must succeed once the database
// is back, and an import cut in the middle must leave nothing half-written.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, startServer } from '../support/cli.js';
import { postgresql, type FreshDatabase } from '../support/databases.js';
import { FaultProxy } from '../support/fault-proxy.js';
import {
  cookieHeader, freePort, hourCsv, loadLoop, seedClinicianWithRecording, sharedKeyEnv, signInOverHttp, timedFetch, uploadOverHttp,
  type Answer, type Seeded,
} from '../support/served-hms.js';
import type { TestBrowser } from '../support/browser-client.js';

const { available, reason } = postgresql.requirement;

// Short limits keep the suite fast; the defaults (5 s and 5 s) scale the same bound to 8 s.
const CONNECT_SECONDS = 2;
const STATEMENT_SECONDS = 2;
/** The longest a request meeting a fault may take: waiting for a connection, then its statement. */
const FAULT_BOUND_MS = (CONNECT_SECONDS + STATEMENT_SECONDS) * 1000 + 1000;
const FAULT_MS = 5000;
const UNAVAILABLE = 'HMS cannot reach its database; try again in a moment';

describe.skipIf(!available)(`PostgreSQL faults under a served HMS${available ? '' : ` [skipped: ${reason}]`}`, () => {
  let database: FreshDatabase;
  let proxy: FaultProxy;
  let admin: pg.Client;
  let server: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  let seeded: Seeded;
  let browser: TestBrowser;
  let env: Record<string, string>;
  let uploads = 0;

  beforeAll(async () => {
    database = await postgresql.create();
    const direct = new URL(database.databaseUrl);
    proxy = await FaultProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    admin = new pg.Client({ connectionString: database.databaseUrl });
    await admin.connect();
    const keys = sharedKeyEnv();
    seeded = await seedClinicianWithRecording({ ...keys, DATABASE_URL: database.databaseUrl, HMS_DATA_DIR: database.dataDir });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...keys, PORT: String(port), HMS_DATA_DIR: database.dataDir, HMS_LOG_LEVEL: 'info',
      DATABASE_URL: proxy.urlFor(database.databaseUrl),
      HMS_DB_CONNECT_TIMEOUT_SECONDS: String(CONNECT_SECONDS),
      HMS_DB_STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_SECONDS),
      HMS_SHUTDOWN_SECONDS: '1',
    };
    server = await startServer(env);
    browser = await signInOverHttp(base, seeded.account);
  });

  afterAll(async () => {
    await proxy?.restore();
    await server?.stop();
    await admin?.end();
    await proxy?.close();
    await database?.drop();
  });

  const chartUrl = () => `${base}/records/${seeded.recordId}/chart.json?buckets=200`;
  const pageUrl = () => `${base}/patients/${seeded.patientId}`;

  /** Load on a chart and a page, an import cut by `fault` in the middle of its transaction, then the restore. */
  async function faultUnderLoad(fault: () => void | Promise<void>, restore: () => Promise<void>, faultMs = FAULT_MS) {
    const load = loadLoop([chartUrl(), pageUrl()], { cookie: cookieHeader(browser) });
    await sleep(500);
    await browser.get(`/patients/${seeded.patientId}`); // the upload form's CSRF token
    const csv = hourCsv(++uploads, 2);
    let faultAt = 0;
    proxy.onceStatement('insert into "series_chunks"', () => {
      faultAt = Date.now();
      void fault();
    });
    const upload = await uploadOverHttp(base, browser, seeded.patientId, csv);
    expect(faultAt, 'the import reached its series before the fault').toBeGreaterThan(0);
    await sleep(Math.max(0, faultAt + faultMs - Date.now()));
    const restoredAt = Date.now();
    await restore();
    await sleep(3000);
    const answers = await load.stop();
    const retry = await uploadOverHttp(base, browser, seeded.patientId, csv);
    return { answers, upload, retry, faultAt, restoredAt, csv };
  }

  function expectFaultHandled(run: Awaited<ReturnType<typeof faultUnderLoad>>) {
    const { answers, upload, retry, faultAt, restoredAt } = run;
    expect(server.child.exitCode, server.output()).toBeNull();
    // The import cut in the middle: a 503 page, and after the restore the same file imports whole.
    expect(upload.status, upload.body).toBe(503);
    expect(upload.body).toContain(UNAVAILABLE);
    expect(upload.ms).toBeLessThan(FAULT_BOUND_MS);
    expect(retry.status, retry.body).toBe(303);
    expect(retry.location).toMatch(/^\/records\/[\da-f-]{36}$/);

    const duringFault = answers.filter((a) => a.startedAt + a.ms > faultAt && a.startedAt < restoredAt);
    const failed = answers.filter((a) => a.status !== 200);
    expect(failed.length, 'the fault was felt').toBeGreaterThan(0);
    for (const answer of failed) {
      expect(answer.status, `${answer.url}: ${answer.body.slice(0, 200)}`).toBe(503);
      if (answer.url.includes('chart.json')) expect(JSON.parse(answer.body)).toEqual({ error: `${UNAVAILABLE}.` });
      else expect(answer.body).toContain(UNAVAILABLE);
    }
    const longest = Math.max(...answers.map((a) => a.ms));
    expect(longest, 'no request waits past the connect and statement limits').toBeLessThan(FAULT_BOUND_MS);
    const afterRestore = answers.filter((a) => a.startedAt >= restoredAt + 2000);
    expect(afterRestore.length).toBeGreaterThan(0);
    expect(afterRestore.every((a) => a.status === 200), 'all succeed 2 s after the restore').toBe(true);
    const firstOk = Math.min(...answers.filter((a) => a.status === 200 && a.startedAt >= restoredAt).map((a) => a.startedAt));
    return {
      requests: answers.length, duringFault: duringFault.length, failed: failed.length, longestMs: longest,
      slowest503Ms: Math.max(...failed.map((a) => a.ms)), uploadMs: upload.ms, firstOkAfterRestoreMs: firstOk - restoredAt,
    };
  }

  it('serves through the proxy: the chart data and /readyz', async () => {
    expect((await timedFetch(chartUrl(), { headers: { cookie: cookieHeader(browser) } })).status).toBe(200);
    const ready = await timedFetch(`${base}/readyz`);
    expect([ready.status, ready.body]).toEqual([200, 'ok']);
  });

  it('connections reset and refused: the process stays up, requests get 503 within the limits, all succeed 2 s after the restore', async () => {
    const run = await faultUnderLoad(() => proxy.reset(), () => proxy.restore());
    console.info('reset:', expectFaultHandled(run));
    await expectEveryRecordWhole();
  });

  it('a network that swallows everything: the same, and /readyz says 503 within 2 s while /healthz stays 200', async () => {
    let probes: Answer[] = [];
    const run = await faultUnderLoad(async () => {
      proxy.blackhole();
      await sleep(1500);
      probes = await Promise.all([timedFetch(`${base}/readyz`), timedFetch(`${base}/healthz`)]);
    }, () => proxy.restore());
    console.info('blackhole:', expectFaultHandled(run), 'readyz ms:', probes[0]?.ms, 'healthz ms:', probes[1]?.ms);
    const [ready, health] = probes;
    expect(ready!.status).toBe(503);
    expect(ready!.body).toMatch(/^not ready: the database .+\n$/);
    expect(ready!.ms).toBeLessThan(2000);
    expect([health!.status, health!.body]).toEqual([200, 'ok']);
    await expectEveryRecordWhole();
  });

  it('the server ends every HMS session (pg_terminate_backend) during an import and under load: alive, consistent', async () => {
    const terminate = () => admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', ['hms']);
    const run = await faultUnderLoad(async () => {
      const { rowCount } = await terminate();
      expect(rowCount).toBeGreaterThan(0);
    }, async () => {}, 1000);
    expect(server.child.exitCode, server.output()).toBeNull();
    expect(run.upload.status).toBe(503);
    expect(run.retry.status).toBe(303);
    const failed = run.answers.filter((a) => a.status !== 200);
    expect(failed.every((a) => a.status === 503)).toBe(true);
    expect(run.answers.filter((a) => a.startedAt >= run.faultAt + 2000).every((a) => a.status === 200)).toBe(true);
    console.info('pg_terminate_backend:', { requests: run.answers.length, failed: failed.length, uploadMs: run.upload.ms });
    await expectEveryRecordWhole();
  });

  it('SIGTERM while the database is unreachable and requests wait on it: exit 1 at the shutdown deadline', async () => {
    proxy.blackhole();
    const waiting = [timedFetch(chartUrl(), { headers: { cookie: cookieHeader(browser) } }), timedFetch(pageUrl(), { headers: { cookie: cookieHeader(browser) } })];
    await sleep(300);
    const signalledAt = Date.now();
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(1);
    const ms = Date.now() - signalledAt;
    console.info('SIGTERM with a blackholed database: exit 1 after', ms, 'ms');
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3000);
    expect(server.output()).toContain('shutting down');
    expect(server.output()).not.toContain('"msg":"stopped"');
    await Promise.all(waiting);
    await proxy.restore();
  });

  it('start-up gives up at HMS_STARTUP_TIMEOUT_SECONDS with a message naming DATABASE_URL', async () => {
    // What a start takes on this machine before the database is asked (a refused setting exits
    // there): the deadline is measured on top of it, so a loaded machine does not fail the test.
    const refusedAt = Date.now();
    const refused = await runServe({ ...env, PORT: String(await freePort()), HMS_STARTUP_TIMEOUT_SECONDS: 'soon' });
    expect(refused.code).toBe(1);
    const processMs = Date.now() - refusedAt;
    proxy.blackhole();
    try {
      const started = Date.now();
      const result = await runServe({ ...env, PORT: String(await freePort()), HMS_STARTUP_TIMEOUT_SECONDS: '3' });
      const ms = Date.now() - started;
      console.info('start-up against a blackholed database gave up after', ms, 'ms; a refused start took', processMs, 'ms');
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/HMS could not use its database \(DATABASE_URL: PostgreSQL 127\.0\.0\.1:\d+\/\w+\) within 3 s of starting/);
      expect(result.output).not.toMatch(/\n[ \t]+at /); // a message, not a stack trace
      expect(ms).toBeLessThan(processMs + 3000 + 1500); // the 3 s deadline, not the 5 s connection limit
    } finally {
      await proxy.restore();
    }
  });

  /** Every stored record has all its series chunks and its summaries: none is half-written. */
  async function expectEveryRecordWhole() {
    const { rows } = await admin.query<{ id: string; sample_count: string; chunks: string; channels: string; summaries: string }>(`
      select r.id, r.sample_count,
        (select count(*) from series_chunks c where c.record_id = r.id) as chunks,
        (select count(distinct datatype) from series_chunks c where c.record_id = r.id) as channels,
        (select count(*) from record_summaries s where s.record_id = r.id) as summaries
      from records r`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const hours = Math.ceil(Number(row.sample_count) / 3600);
      expect(Number(row.chunks), `record ${row.id}`).toBe(hours * Number(row.channels));
      expect(Number(row.channels)).toBe(6);
      expect(Number(row.summaries)).toBeGreaterThan(0);
    }
    const orphans = await admin.query('select count(*)::int as n from series_chunks c where not exists (select 1 from records r where r.id = c.record_id)');
    expect(orphans.rows[0].n).toBe(0);
  }
});

function runServe(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
