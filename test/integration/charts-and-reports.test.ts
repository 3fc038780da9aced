// The record page's time window (in the URL), the chart data of a window (every channel, nights,
// gaps, the summary), the window's CSV export, the clinical report in PDF read back by poppler,
// and editing a patient. One HMS per database; a patient in Dana's care and one in Fox's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { DEMO_PATIENTS } from '../../src/health/demo/demo-data.js';
import { syntheticRecording } from '../../src/health/demo/synthetic-recording.js';
import { flagsOfPeriod, reviewFlagsFor } from '../../src/health/flags.js';
import { addNoteFor } from '../../src/health/notes.js';
import { createPatient } from '../../src/health/patients.js';
import { addTagFor } from '../../src/health/tags.js';
import { storeRecording } from '../../src/health/records.js';
import type { HealthRecord, Patient } from '../../src/db/schema.js';
import { TestBrowser } from '../support/browser-client.js';
import { databasesUnderTest } from '../support/databases.js';
import { hexo, importRecording, quietRecording, userIdOf } from '../support/health.js';
import { command } from '../support/requirements.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const poppler = command('pdftotext', 'poppler-utils');
// 08:00 EST on Fri 20 Nov 2026: a 24-hour recording across one night of the clinic (Montreal).
const START = Date.UTC(2026, 10, 20, 13);

for (const database of databasesUnderTest) {
  const { available, reason } = database.requirement;
  describe.skipIf(!available)(`charts, windows and reports [${database.label}${available ? '' : ` skipped: ${reason}`}]`, () => {
    let t: TestApp;
    let dana: TestBrowser;
    let fox: TestBrowser;
    let ours: Patient;
    let theirs: Patient;
    let record: HealthRecord;
    let theirRecord: HealthRecord;
    let danaId: string;

    beforeAll(async () => {
      t = await startTestApp(database, { HMS_TIME_ZONE: 'America/Montreal', HMS_PAPER_SIZE: 'Letter' });
      const danaAccount = await addAccount(t, 'clinician', 'Dana Scully');
      const foxAccount = await addAccount(t, 'clinician', 'Fox Mulder');
      ours = await createPatient(t.ctx, { name: 'Amélie Laurent', externalId: 'S-001', dateOfBirth: '1958-03-14', sex: 'female' });
      theirs = await createPatient(t.ctx, { name: 'Theirs Patient', externalId: 'S-002', dateOfBirth: '1975-01-02', sex: 'male' });
      danaId = await userIdOf(t.ctx, danaAccount.email);
      await assignClinician(t.ctx, ours.id, danaId);
      await assignClinician(t.ctx, theirs.id, await userIdOf(t.ctx, foxAccount.email));
      const recording = syntheticRecording(5, DEMO_PATIENTS[0]!, hexo(START), 8);
      record = await t.ctx.db.transaction().execute((trx) => storeRecording(t.ctx, { patient: ours, recording }, trx));
      theirRecord = await t.ctx.db.transaction().execute((trx) => storeRecording(t.ctx, { patient: theirs, recording }, trx));
      dana = new TestBrowser(t.app);
      fox = new TestBrowser(t.app);
      await enroll(t, dana, danaAccount);
      await enroll(t, fox, foxAccount);
    });
    afterAll(async () => t?.close());

    /** A binary answer (PDF), with the browser's cookies. */
    async function download(browser: TestBrowser, url: string) {
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie }, remoteAddress: browser.remoteAddress });
      return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
    }

    it('a window in the URL (ISO 8601 with the clinic offset) draws that window, with its summary and links for the next', async () => {
      const page = await dana.get(`/records/${record.id}?from=2026-11-20T20:00:00-05:00&to=2026-11-20T21:00:00-05:00`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Fri, 20 Nov 2026, 20:00 EST – Fri, 20 Nov 2026, 21:00 EST');
      expect(page.body).toContain('(1 h)');
      // Heart rate first, sleep position last; axes labelled; window links keep the offset readable.
      const order = [...page.body.matchAll(/data-channel="(\d+)"/g)].map((m) => Number(m[1]));
      expect(order).toEqual([19, 33, 36, 49, 53, 270]);
      expect(page.body).toContain('20:00 EST');
      expect(page.body).toContain('href="/records/' + record.id + '?from=2026-11-20T20:45:00-05:00&amp;to=2026-11-20T21:45:00-05:00"');
      expect(page.body).toContain('rpm = breaths per minute');
      expect(page.body).toContain('g = activity in units of gravity');
      const bad = await dana.get(`/records/${record.id}?from=yesterday`);
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('ISO 8601');
    });

    it('one request brings every channel of a window, the night shaded, the gaps and the window\'s summary', async () => {
      const from = START + 12 * 3_600_000; // 20:00 EST
      const page = await dana.get(`/records/${record.id}/chart.json?from=${from}&to=${from + 12 * 3_600_000}&buckets=400`);
      const data = JSON.parse(page.body) as { channels: { datatype: number }[]; bands: { kind: string; from: number; to: number; label: string }[];
        summary: { from: number; to: number; windowSeconds: number; channels: { datatype: number; sampleCount: number }[] }; summaryHtml: string; sleepPosition: unknown };
      expect(data.channels.map((c) => c.datatype)).toEqual([19, 33, 36, 49, 53]);
      expect(data.sleepPosition).not.toBeNull();
      expect(data.bands).toEqual([{ kind: 'night', from: Date.UTC(2026, 10, 21, 3), to: Date.UTC(2026, 10, 21, 12), label: 'Night to Sat 21 Nov' }]);
      expect([data.summary.from, data.summary.to, data.summary.windowSeconds]).toEqual([from, from + 12 * 3_600_000, 43_200]);
      expect(data.summary.channels.find((c) => c.datatype === 19)!.sampleCount).toBeLessThanOrEqual(43_200);
      expect(data.summaryHtml).toContain('Summary of this window');
      expect(data.summaryHtml).toContain('Coverage');
    });

    it('"Export this window" holds the window\'s seconds, a readable time with the offset, and a file name in clinic time', async () => {
      const exported = await dana.get(`/records/${record.id}/export.csv?from=2026-11-20T20:00:00-05:00&to=2026-11-20T20:00:10-05:00`);
      expect(exported.status).toBe(200);
      expect(String(exported.headers['content-disposition'])).toBe('attachment; filename="S-001-20261120-200000.csv"');
      const lines = exported.body.trim().split('\n');
      expect(lines).toHaveLength(11);
      expect(lines[1]).toMatch(/^\d+,2026-11-20T20:00:00-05:00,/);
      expect(lines[10]).toMatch(/^\d+,2026-11-20T20:00:09-05:00,/);
    });

    it.skipIf(!poppler.available)(`the report of a recording names the patient and "Page x of y" on every page, and is audited${poppler.available ? '' : ` [skipped: ${poppler.reason}]`}`, async () => {
      const pdf = await download(dana, `/records/${record.id}/report.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-report-'));
      const file = path.join(dir, 'report.pdf');
      fs.writeFileSync(file, pdf.body);
      const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((text) => text.trim() !== '');
      expect(pages.length).toBeGreaterThanOrEqual(2);
      pages.forEach((text, i) => {
        expect(text, `page ${i + 1}`).toContain('Amélie Laurent');
        expect(text).toContain('Study id S-001');
        expect(text).toContain('Born 1958-03-14 (68 years)');
        expect(text).toContain('Times in America/Montreal');
        expect(text).toMatch(/Generated by Dana Scully at Wed, 25 Nov 2026, 04:00 EST/);
        expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      });
      expect(pages[0]).toContain('Summary per channel');
      expect(pages[0]).toMatch(/Heart rate\s+bpm/);
      expect(pages.join('')).toContain('Minute ventilation (L/min)');
      expect(pages.join('')).not.toMatch(/\b\d+[hs]\b/); // "0 s", "1 h": never "0s"
      execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
      const png = fs.readFileSync(path.join(dir, 'page-1.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Math.round((612 * 50) / 72)); // Letter, as configured: 8.5 in at 50 dpi
      const events = await listEvents(t.ctx, {});
      expect(events.find((e) => e.event === 'health.record_reported')).toBeTruthy();
    });

    it.skipIf(!poppler.available)('the report of a period has a summary page, then a page per day', async () => {
      const pdf = await download(dana, `/patients/${ours.id}/report.pdf?from=2026-11-20&to=2026-11-22`);
      expect(pdf.status).toBe(200);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-report-')), 'period.pdf');
      fs.writeFileSync(file, pdf.body);
      const pages = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split('\f').filter((text) => text.trim() !== '');
      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages[0]).toContain('Day by day');
      expect(pages.join('\n')).toContain('Charts of Sat 21 Nov 2026');
      expect(pages.join('\n')).toContain('No recording on this day.');
      pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pages.length}`));
      const tooLong = await download(dana, `/patients/${ours.id}/report.pdf?from=2026-01-01&to=2026-11-22`);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.toString()).toContain('at most 31 days');
    });

    it.skipIf(!poppler.available)('a report lists the flags with their review, the tagged events and the notes of its period', async () => {
      const danaViewer = { id: danaId, role: 'clinician' as const };
      // Tue 24 Nov, 10:00 EST: an hour at rest with HR 130 for 6 min (tachycardia at rest).
      await importRecording(t.ctx, ours, quietRecording(Date.UTC(2026, 10, 24, 15), 3600, (c) => c.get(19)!.fill(130, 600, 960)));
      await addTagFor(t.ctx, danaViewer, record.id, { kind: 'symptom', from: START + 3_600_000, to: START + 3_900_000, text: 'Dizzy after climbing stairs' });
      await addNoteFor(t.ctx, danaViewer, ours.id, 'Called her: feels well, keeps the shirt on at night.');
      const flags = await flagsOfPeriod(t.ctx, ours.id, { from: START - 86_400_000, to: t.clock.now() });
      expect(flags.map((flag) => flag.rule)).toContain('tachycardia_at_rest');
      await reviewFlagsFor(t.ctx, danaViewer, { scope: 'flag', flagId: flags[0]!.id }, 'Seen; climbing stairs');
      const pdf = await download(dana, `/patients/${ours.id}/report.pdf?from=2026-11-20&to=2026-11-25`);
      expect(pdf.status).toBe(200);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-report-')), 'triage.pdf');
      fs.writeFileSync(file, pdf.body);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(`Flags (${flags.length}, ${flags.length - 1} not reviewed)`);
      for (const flag of flags) expect(text).toContain(flag.valueText.replace(/\s+/g, ' '));
      expect(text).toMatch(/Reviewed by Dana Scully on Wed, 25 Nov 2026, \d\d:\d\d EST: "Seen; climbing stairs"/);
      expect(text).toMatch(/Symptom: Fri, 20 Nov 2026, 09:00 EST to Fri, 20 Nov 2026, 09:05 EST Dizzy after climbing stairs Tagged by Dana Scully/);
      expect(text).toMatch(/Notes written during this period Dana Scully, Wed, 25 Nov 2026, \d\d:\d\d EST Called her: feels well/);
    });

    it("a report of another team's patient or recording answers 404, and the attempt is audited", async () => {
      for (const url of [`/records/${theirRecord.id}/report.pdf`, `/patients/${theirs.id}/report.pdf?from=2026-11-20&to=2026-11-21`]) {
        const refused = await download(dana, url);
        expect(refused.status, url).toBe(404);
        expect(refused.body.toString()).not.toContain('Theirs Patient');
      }
      const refusals = (await listEvents(t.ctx, {})).filter((e) => e.event === 'health.access_refused' && String(e.details?.url ?? '').includes('report.pdf'));
      expect(refusals).toHaveLength(2);
      expect((await download(fox, `/records/${theirRecord.id}/report.pdf`)).status).toBe(200);
    });

    it('a clinician of the care team edits a patient: an error sits on its field with the focus, a decimal weight is kept', async () => {
      const form = await dana.get(`/patients/${ours.id}/edit`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('type="date"');
      const invalid = await dana.post(`/patients/${ours.id}/edit`, { name: 'Amélie Laurent', external_id: 'S-001', date_of_birth: '2099-01-01', sex: 'female', weight_kg: '61,5' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toMatch(/<input id="date_of_birth"[^>]*autofocus[^>]*aria-invalid="true"/);
      expect(invalid.body).toContain('The date of birth must be between 1900 and today.');
      const noSex = await dana.post(`/patients/${ours.id}/edit`, { name: 'Amélie Laurent', date_of_birth: '1958-03-14', sex: '' });
      expect(noSex.body).toMatch(/<select id="sex"[^>]*autofocus[^>]*aria-invalid="true"/);
      const saved = await dana.post(`/patients/${ours.id}/edit`, { name: 'Amélie Laurent', external_id: 'S-001', date_of_birth: '1958-03-14', sex: 'female', weight_kg: '61,5' });
      expect(saved.status).toBe(303);
      expect((await dana.get(`/patients/${ours.id}`)).body).toContain('61.5 kg');
      const audited = (await listEvents(t.ctx, {})).find((e) => e.event === 'patient.updated');
      expect(audited?.details).toMatchObject({ patient_id: ours.id, fields: 'weight_kg' });
      expect((await fox.get(`/patients/${ours.id}/edit`)).status).toBe(404);
      await fox.get('/');
      expect((await fox.post(`/patients/${ours.id}/edit`, { name: 'X', date_of_birth: '1958-03-14', sex: 'male' })).status).toBe(404);
    });
  });
}
