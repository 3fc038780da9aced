// The health dashboard over HTTP (issue #6): a clinician reaches their patients and nobody else's,
// by any route; uploads and downloads of recordings; the admin's patients and care teams.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { createPatient } from '../../src/health/patients.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { listEvents } from '../../src/auth/audit.js';
import { headingOf, TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { plausible, recordingOf, userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll, submitPassword } from '../support/sign-in.js';
import { runCli } from '../support/cli.js';
import { snapshot } from '../support/snapshot.js';
import type { TestApp } from '../support/test-app.js';
import { multipart, upload } from '../support/upload.js';

const HOUR_CSV = recordingToCsv(recordingOf(Date.UTC(2026, 10, 20, 8), 3600, plausible));

describeOnEachDatabase('the health pages', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: 'Europe/Paris' });

  async function world(app: TestApp) {
    const dana = await addAccount(app, 'clinician', 'Dana Scully');
    const fox = await addAccount(app, 'clinician', 'Fox Mulder');
    const ada = await addAccount(app, 'admin', 'Ada Admin');
    const ours = await createPatient(app.ctx, { name: 'Ours Patient', externalId: 'S-001', dateOfBirth: '1961-04-12', sex: 'female' });
    const theirs = await createPatient(app.ctx, { name: 'Theirs Patient', externalId: 'S-002', dateOfBirth: '1975-01-02', sex: 'male' });
    await assignClinician(app.ctx, ours.id, await userIdOf(app.ctx, dana.email));
    await assignClinician(app.ctx, theirs.id, await userIdOf(app.ctx, fox.email));
    const browsers = { dana: new TestBrowser(app.app), fox: new TestBrowser(app.app), ada: new TestBrowser(app.app) };
    await enroll(app, browsers.dana, dana);
    await enroll(app, browsers.fox, fox);
    await enroll(app, browsers.ada, ada);
    await confirmItsYou(app, browsers.ada, ada);
    return { dana, fox, ada, ours, theirs, browsers };
  }

  it('a clinician lands on their own patients, and the admin on everyone', async () => {
    const { browsers } = await world(t());
    const list = await browsers.dana.get('/');
    expect(headingOf(list.body)).toBe('Patients');
    expect(list.body).toContain('Welcome, Dana Scully');
    expect(list.body).toContain('Ours Patient');
    expect(list.body).not.toContain('Theirs Patient');
    expect(list.body).toContain('Times in Europe/Paris');
    const all = await browsers.ada.get('/');
    expect(all.body).toContain('Ours Patient');
    expect(all.body).toContain('Theirs Patient');
    const search = await browsers.ada.get('/?q=s-002');
    expect(search.body).toContain('Theirs Patient');
    expect(search.body).not.toContain('Ours Patient');
  });

  it("another team's patient and recording answer 404 by every route, and each attempt is audited", async () => {
    const { browsers, theirs } = await world(t());
    await browsers.fox.get(`/patients/${theirs.id}`);
    const imported = await upload(browsers.fox, theirs.id, HOUR_CSV);
    const recordId = /\/records\/([^?]+)/.exec(imported.location!)![1]!;
    await browsers.dana.get('/');
    const before = await snapshot(t().ctx);
    for (const url of [`/patients/${theirs.id}`, `/records/${recordId}`, `/records/${recordId}/chart.json`, `/records/${recordId}/export.csv`,
      '/patients/00000000-0000-0000-0000-000000000000', '/records/guessed-id']) {
      const page = await browsers.dana.get(url);
      expect(page.status, url).toBe(404);
      expect(page.body).toContain('not in your care');
      expect(page.body).not.toContain('Theirs Patient');
    }
    const refusedUpload = await upload(browsers.dana, theirs.id, HOUR_CSV);
    expect(refusedUpload.status).toBe(404);
    const after = await snapshot(t().ctx);
    expect(after.records).toEqual(before.records);
    const refusals = (await listEvents(t().ctx, { userId: await userIdOf(t().ctx, (await t().ctx.db.selectFrom('users').select('email').where('name', '=', 'Dana Scully').executeTakeFirstOrThrow()).email) }))
      .filter((e) => e.event === 'health.access_refused');
    expect(refusals).toHaveLength(7);
  });

  it('an upload becomes a recording with charts, summary and a CSV that imports back as the same recording', async () => {
    const { browsers, ours } = await world(t());
    await browsers.dana.get(`/patients/${ours.id}`);
    const csv = HOUR_CSV.replace('time [s/256]', 'time [s/256],comment').replace(/\n(\d+)/g, '\n$1,x');
    const imported = await upload(browsers.dana, ours.id, csv);
    expect(imported.status).toBe(303);
    const page = await browsers.dana.follow(imported);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Imported 3600 rows as this recording. Columns not used: comment.');
    expect(page.body).toContain('Heart rate');
    expect(page.body).toMatch(/<svg class="chart-svg"[\s\S]*?<polygon/);
    expect(page.body).toContain('Ours Patient</strong>'); // the identity block, printed too
    expect(page.body).toContain('CET'); // the clinic's zone, named
    expect(page.body).toContain('Times in Europe/Paris');
    const recordId = /\/records\/([^?]+)/.exec(imported.location!)![1]!;

    const chart = await browsers.dana.get(`/records/${recordId}/chart.json?buckets=60`);
    const data = JSON.parse(chart.body) as { times: number[]; channels: { datatype: number; min: (number | null)[]; max: (number | null)[] }[] };
    expect(data.times).toHaveLength(60);
    const heart = data.channels.find((c) => c.datatype === 19)!;
    expect(Math.min(...heart.min.filter((v): v is number => v !== null))).toBe(60);
    expect(Math.max(...heart.max.filter((v): v is number => v !== null))).toBe(100);

    const exported = await browsers.dana.get(`/records/${recordId}/export.csv`);
    expect(exported.status).toBe(200);
    // Named in clinic local time (08:00 UTC is 09:00 in Paris), with a readable time in the clinic's offset.
    expect(String(exported.headers['content-disposition'])).toMatch(/^attachment; filename="S-001-20261120-090000\.csv"$/);
    expect(exported.body.split('\n')[0]).toMatch(/^time \[s\/256\],time \[ISO 8601\],/);
    expect(exported.body.split('\n')[1]).toMatch(/^\d+,2026-11-20T09:00:00\+01:00,/);
    await browsers.dana.get(`/patients/${ours.id}`);
    const again = await upload(browsers.dana, ours.id, exported.body);
    expect(again.location).toBe(`/records/${recordId}`);
    expect((await browsers.dana.follow(again)).body).toContain('This file was already imported for this patient');
  });

  it('a bad file is refused with its line and column, and nothing is stored', async () => {
    const { browsers, ours } = await world(t());
    await browsers.dana.get(`/patients/${ours.id}`);
    const before = await snapshot(t().ctx);
    const broken = HOUR_CSV.split('\n').map((line, i) => (i === 1201 ? line.replace(/,[^,]+$/, ',abc') : line)).join('\n');
    const page = await upload(browsers.dana, ours.id, broken);
    expect(page.status).toBe(400);
    expect(page.body).toMatch(/line 1202/i);
    expect(page.body).toMatch(/column/i);
    expect(page.body).toContain('Nothing was imported.');
    const after = await snapshot(t().ctx);
    for (const table of ['records', 'series_chunks', 'record_summaries']) expect(after[table]).toEqual(before[table]);
  });

  it('an upload without its CSRF token, or with a forged one, is refused before the file is read', async () => {
    const { browsers, ours } = await world(t());
    await browsers.dana.get(`/patients/${ours.id}`);
    const before = await snapshot(t().ctx);
    expect((await upload(browsers.dana, ours.id, HOUR_CSV, 'forged')).status).toBe(403);
    const noToken = multipart([['file', { filename: 'rec.csv', content: HOUR_CSV }]]);
    const page = await browsers.dana.request('POST', `/patients/${ours.id}/records`, noToken.body.toString('latin1'), { 'content-type': noToken.contentType });
    expect(page.status).toBe(403);
    expect(await snapshot(t().ctx)).toEqual(before);
  });

  it('an admin adds a patient and chooses the care team; a clinician cannot, and gets 404', async () => {
    const { browsers, fox } = await world(t());
    await browsers.ada.get('/patients/new');
    const invalid = await browsers.ada.post('/patients', { name: 'New Patient', date_of_birth: '1990-02-30', sex: 'female' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('YYYY-MM-DD');
    expect(invalid.body).toContain('value="New Patient"');
    const created = await browsers.ada.post('/patients', { name: 'New Patient', external_id: 'S-003', date_of_birth: '1990-02-28', sex: 'female', height_cm: '172', weight_kg: '61,5' });
    expect(created.status).toBe(303);
    const patientId = created.location!.split('/').pop()!;
    const page = await browsers.ada.get(created.location!);
    expect(page.body).toContain('61.5 kg');
    expect(page.body).toContain('Care team');
    const foxId = await userIdOf(t().ctx, fox.email);
    expect((await browsers.ada.post(`/patients/${patientId}/care-team`, { user_id: foxId })).status).toBe(303);
    await browsers.fox.get('/');
    expect(browsers.fox.lastPage).toContain('New Patient');
    await browsers.ada.get(`/patients/${patientId}`);
    expect((await browsers.ada.post(`/patients/${patientId}/care-team/remove`, { user_id: foxId })).status).toBe(303);
    expect((await browsers.fox.get(`/patients/${patientId}`)).status).toBe(404);

    await browsers.fox.get('/');
    expect((await browsers.fox.get('/patients/new')).status).toBe(404);
    expect((await browsers.fox.post('/patients', { name: 'Sneaky', date_of_birth: '1990-01-01', sex: 'male' })).status).toBe(404);
    expect((await browsers.fox.get(`/patients/${patientId}`)).body).not.toContain('Care team');
  });
});

describeOnEachDatabase('`hms demo` and `hms import`', (database) => {
  const t = freshAppPerTest(database);

  it('the demo prints three accounts with passwords that sign in, and refuses to run twice', async () => {
    const env = t().database.env;
    const demo = await runCli(['demo', '--days', '2'], env); // the full month is tested in health-demo.test.ts
    expect(demo.stderr).toBe('');
    const accounts = [...demo.stdout.matchAll(/(admin|clinician)\s+(\S[^\s@]*@\S+)\s+password: (\S+)/g)].map((m) => ({ email: m[2]!, password: m[3]! }));
    expect(accounts).toHaveLength(3);
    expect(demo.stdout).toContain('10 patients with 18 recordings were added.');
    expect((await submitPassword(new TestBrowser(t().app), { ...accounts[1]!, name: '' })).location).toBe('/mfa/setup');
    const again = await runCli(['demo'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exist');
  });

  it('`hms import` adds a recording, reports ignored columns, names the line of an error and refuses duplicates', async () => {
    const env = t().database.env;
    const patient = await createPatient(t().ctx, { name: 'Cli Patient', dateOfBirth: '1980-01-01', sex: 'unknown' });
    const file = path.join(t().database.dataDir, 'rec.csv');
    fs.writeFileSync(file, HOUR_CSV.replace('time [s/256]', 'time [s/256],note').replace(/\n(\d+)/g, '\n$1,x'));
    const first = await runCli(['import', '--patient', patient.id, '--device', 'HX-1', file], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Imported 3600 rows as recording \S+\./);
    expect(first.stdout).toContain('Columns not used: note (column 2).');
    const second = await runCli(['import', '--patient', patient.id, file], env);
    expect(second.stdout).toContain('is already recording');
    fs.writeFileSync(file, HOUR_CSV.replace(/\n(\d+),/, '\n$1x,'));
    const broken = await runCli(['import', '--patient', patient.id, file], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/line 2/i);
    const missing = await runCli(['import', '--patient', patient.id, '/no/such/file.csv'], env);
    expect(missing.stderr).toContain('No such file: /no/such/file.csv');
    const unknown = await runCli(['import', '--patient', 'nobody', file], env);
    expect(unknown.stderr).toContain('There is no patient with the id nobody.');
  });
});
