// Metrics for Prometheus (issue #11): a listener of their own, an exposition promtool accepts, and
// counters that move by what happened: sign-ins by step and result, limits, imports, requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { startMetricsListener, type MetricsListener } from '../../src/metrics/listener.js';
import { countDatabaseError } from '../../src/metrics/registry.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { plausible, recordingOf, streamOf } from '../support/health.js';
import { labelValues, promtoolCheck, sampleValue } from '../support/metrics.js';
import { command } from '../support/requirements.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';
import { TEST_START } from '../support/test-app.js';

const promtool = command('promtool', 'prometheus');

let listener: MetricsListener;
beforeAll(async () => {
  listener = await startMetricsListener('127.0.0.1', 0);
});
afterAll(async () => {
  await listener.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`http://${listener.address}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describeOnEachDatabase('metrics', (database) => {
  const t = freshAppPerTest(database);

  it.skipIf(!promtool.available)('a scrape after sign-ins passes promtool, and each counter moved by what happened', async () => {
    const before = await scrape();
    const count = (text: string, name: string, labels: Record<string, string> = {}) => sampleValue(text, name, labels) ?? 0;

    const account = await addAccount(t(), 'admin');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account); // password ok, code ok (pairing)
    await browser.post('/logout', {});
    for (let i = 0; i < 5; i++) expect((await submitPassword(browser, { ...account, password: `wrong password number ${i}` })).status).toBe(401);
    // This browser signed in before: it is known for the account, and waits on its own budget.
    expect((await submitPassword(browser, account)).status).toBe(429);
    t().clock.advance(20 * MINUTE);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
    await browser.get('/mfa/verify');
    expect((await browser.post('/mfa/verify', { code: '000000' })).status).toBe(401);
    t().clock.advance(30_000);
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).status).toBe(303);

    const patient = await createPatient(t().ctx, { name: 'Metric Patient', dateOfBirth: '1970-01-01', sex: 'female' });
    const imported = await importCsv(t().ctx, patient.id, streamOf(recordingToCsv(recordingOf(TEST_START - 86_400_000, 600, plausible))));
    await browser.get(`/records/${imported.record.id}`);
    await browser.get(`/records/${imported.record.id}/chart.json?buckets=50`);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => count(after, name, labels) - count(before, name, labels);
    expect(promtoolCheck(after)).toEqual({ code: 0, output: '' });

    expect(moved('hms_sign_in_attempts_total', { step: 'password', result: 'ok' })).toBe(2);
    expect(moved('hms_sign_in_attempts_total', { step: 'password', result: 'wrong' })).toBe(5);
    expect(moved('hms_sign_in_attempts_total', { step: 'password', result: 'limited' })).toBe(1);
    expect(moved('hms_sign_in_attempts_total', { step: 'code', result: 'ok' })).toBe(2);
    expect(moved('hms_sign_in_attempts_total', { step: 'code', result: 'wrong' })).toBe(1);
    expect(moved('hms_sign_in_attempts_total', { step: 'recovery_code', result: 'ok' })).toBe(0);
    expect(moved('hms_attempt_limit_refusals_total', { limit: 'known_browser' })).toBe(1);
    expect(moved('hms_attempt_limit_refusals_total', { limit: 'password_delay' })).toBe(0);
    expect(moved('hms_attempt_limit_refusals_total', { limit: 'client_address' })).toBe(0);
    expect(moved('hms_imports_total', { result: 'created' })).toBe(1);
    expect(moved('hms_import_rows_total')).toBe(600);
    expect(moved('hms_import_duration_seconds_count', { result: 'created' })).toBe(1);
    expect(moved('hms_http_request_duration_seconds_count', { route: '/login', method: 'POST', status: '401' })).toBe(5);
    expect(moved('hms_http_request_duration_seconds_count', { route: '/records/:id', method: 'GET', status: '200' })).toBe(1);
    expect(moved('hms_http_request_duration_seconds_count', { route: '/records/:id/chart.json', method: 'GET', status: '200' })).toBe(1);

    // Route patterns, never the ids or addresses of a request.
    for (const value of labelValues(after)) expect(value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|@|203\.0\.113/);
    // This test's database is open: its connections are reported.
    expect(sampleValue(after, 'hms_database_pool_max_connections')).toBeGreaterThanOrEqual(database.label === 'SQLite' ? 1 : 10);
    expect(sampleValue(after, 'hms_database_pool_waiting_queries')).toBe(0);
    expect(sampleValue(after, 'hms_database_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('metrics are served only by their own listener, never by the pages', async () => {
    const browser = new TestBrowser(t().app);
    expect((await browser.get('/metrics')).status).toBe(404);
    expect((await fetch(`http://${listener.address}/`)).status).toBe(404);
    expect((await fetch(`http://${listener.address}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});

it('a database error counts under its kind', async () => {
  const before = sampleValue(await scrape(), 'hms_database_errors_total', { kind: 'unavailable' }) ?? 0;
  countDatabaseError('unavailable');
  countDatabaseError('unavailable');
  expect(sampleValue(await scrape(), 'hms_database_errors_total', { kind: 'unavailable' })).toBe(before + 2);
});

it('SQLite\'s one connection is reported in use while a transaction holds it, with the queries waiting for it', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-pool-'));
  const database = openDatabase({ ...loadConfig({}), databaseUrl: '', sqliteFile: path.join(dataDir, 'hms.sqlite') });
  try {
    expect(database.poolStats()).toEqual({ size: 1, idle: 1, waiting: 0, max: 1 });
    let release!: () => void;
    const holding = database.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = sql`select 2`.execute(database.db);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(database.poolStats()).toEqual({ size: 1, idle: 0, waiting: 1, max: 1 });
    release();
    await holding;
    await waiting;
    expect(database.poolStats()).toEqual({ size: 1, idle: 1, waiting: 0, max: 1 });
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
