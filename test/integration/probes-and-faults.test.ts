// /healthz and /readyz, and what a request meets when the database is gone: a 503 page, or the
// same reason in JSON for the chart data, on both databases. (Real faults of a served HMS:
// database-faults.test.ts for PostgreSQL, sqlite-faults.test.ts for SQLite's locks and full disk.)
import { expect, it } from 'vitest';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { hourCsv } from '../support/served-hms.js';
import { streamOf, userIdOf } from '../support/health.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { createPatient } from '../../src/health/patients.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { importCsv } from '../../src/health/import.js';

const UNAVAILABLE = 'HMS cannot reach its database; try again in a moment';

describeOnEachDatabase('probes and an unreachable database', (database) => {
  const t = freshAppPerTest(database);

  it('/healthz and /readyz answer ok in plain text', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const response = await t().app.inject({ method: 'GET', url });
      expect([response.statusCode, response.body, response.headers['content-type']]).toEqual([200, 'ok', 'text/plain; charset=utf-8']);
    }
  });

  it('without a database, /healthz stays 200 (it never asks it), /readyz, pages and chart data answer 503 with the reason', async () => {
    const dana = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, dana);
    const patient = await createPatient(t().ctx, { name: 'Rosa Ruiz', dateOfBirth: '1966-06-06', sex: 'female' });
    await assignClinician(t().ctx, patient.id, await userIdOf(t().ctx, dana.email));
    const { record } = await importCsv(t().ctx, patient.id, streamOf(hourCsv(1)));
    expect((await browser.get(`/records/${record.id}/chart.json`)).status).toBe(200);

    await t().ctx.db.destroy(); // every query from now on fails as a lost database does

    const health = await t().app.inject({ method: 'GET', url: '/healthz' });
    expect([health.statusCode, health.body]).toEqual([200, 'ok']);
    const ready = await t().app.inject({ method: 'GET', url: '/readyz' });
    expect([ready.statusCode, ready.body]).toEqual([503, 'not ready: the database is unreachable\n']);
    const page = await browser.get(`/patients/${patient.id}`);
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('5');
    expect(page.body).toContain(UNAVAILABLE);
    expect(page.body).not.toMatch(/at .+\.js:\d+/);
    const chart = await browser.get(`/records/${record.id}/chart.json`);
    expect([chart.status, chart.headers['content-type']]).toEqual([503, 'application/json; charset=utf-8']);
    expect(JSON.parse(chart.body)).toEqual({ error: `${UNAVAILABLE}.` });
    expect(t().logLines.some((line) => line.includes('"fault":"unavailable"'))).toBe(true);
  });
});
