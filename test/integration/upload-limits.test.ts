// Uploads an attacker crafts (issue #12, items 1, 4 and 8): a CSV that once froze the server, bodies
// the multipart parser cannot read, and an import result that once came from the URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignClinician } from '../../src/health/care-teams.js';
import { createPatient } from '../../src/health/patients.js';
import type { Patient } from '../../src/db/schema.js';
import { TestBrowser, type Page } from '../support/browser-client.js';
import { databasesUnderTest } from '../support/databases.js';
import { healthRowCounts, userIdOf } from '../support/health.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BOUNDARY, multipart, upload } from '../support/upload.js';

const HEADER = 'time [s/256],heart_rate [bpm]';
const T0 = Date.UTC(2026, 10, 20, 8) / 1000 * 256;
const CSV = [HEADER, ...Array.from({ length: 60 }, (_, i) => `${T0 + i * 256},${60 + (i % 10)}`)].join('\n');

for (const database of databasesUnderTest) {
  describe.skipIf(!database.requirement.available)(`crafted uploads [${database.label}]`, () => {
    let t: TestApp;
    let dana: TestBrowser;
    let patient: Patient;

    beforeAll(async () => {
      t = await startTestApp(database);
      const account = await addAccount(t);
      dana = new TestBrowser(t.app);
      await enroll(t, dana, account);
      patient = await createPatient(t.ctx, { name: 'Upload Patient', dateOfBirth: '1970-01-01', sex: 'female' });
      await assignClinician(t.ctx, patient.id, await userIdOf(t.ctx, account.email));
    });
    afterAll(() => t.close());

    /** Sends a raw body to the upload address, with the token of the patient page. */
    async function send(body: string, contentType: string): Promise<Page> {
      return dana.request('POST', `/patients/${patient.id}/records`, body, { 'content-type': contentType });
    }

    async function refusedUnchanged(attempt: () => Promise<Page>): Promise<Page> {
      await dana.get(`/patients/${patient.id}`);
      const before = await healthRowCounts(t.ctx);
      const page = await attempt();
      expect(page.status).toBe(400);
      expect(page.body).toContain('Nothing was');
      expect(await healthRowCounts(t.ctx)).toEqual(before);
      return page;
    }

    it('the review\'s header (a name, 2,000 spaces, a bracket never closed) and cell (60,000 digits and a letter): 400 naming line and column', async () => {
      const header = await refusedUnchanged(() => upload(dana, patient.id, `${HEADER},x${' '.repeat(2000)}[\n${T0},60,1\n`));
      expect(header.body).toContain('Line 1, column 3');
      expect(header.body).toContain('a column header of 2002 characters');
      const cell = await refusedUnchanged(() => upload(dana, patient.id, `${HEADER}\n${T0},${'1'.repeat(60_000)}x\n`));
      expect(cell.body).toContain('Line 2, column 2 (heart_rate [bpm])');
      expect(cell.body).toContain('(60001 characters) is not a number');
      expect((await t.app.inject({ url: '/healthz' })).body).toBe('ok');
    });

    it('a body cut before its closing boundary, a boundary over 70 characters, or a NUL in a field: 400 with a message, nothing stored', async () => {
      const token = () => /name="_csrf" value="([^"]+)"/.exec(dana.lastPage)![1]!;
      const cut = await refusedUnchanged(() => {
        const { body, contentType } = multipart([['_csrf', token()], ['file', { filename: 'a.csv', content: CSV }]]);
        return send(body.toString('latin1').slice(0, -(BOUNDARY.length + 8)), contentType);
      });
      expect(cut.body).toContain('arrived incomplete or malformed');
      for (const length of [71, 300]) {
        const boundary = 'B'.repeat(length);
        const page = await refusedUnchanged(() => {
          const { body, contentType } = multipart([['_csrf', token()], ['file', { filename: 'a.csv', content: CSV }]], boundary);
          return send(body.toString('latin1'), contentType);
        });
        expect(page.body).toContain('arrived incomplete or malformed');
      }
      const nul = await refusedUnchanged(() => upload(dana, patient.id, CSV, token(), 'SN\u0000X'));
      expect(nul.body).toContain('(U+0000)');
    });

    it('the import result is told once, from the server: a crafted ?imported=…&ignored=… address shows nothing', async () => {
      await dana.get(`/patients/${patient.id}`);
      const imported = await upload(dana, patient.id, CSV.replace(HEADER, `${HEADER},note`).replace(/\n(\d+,[^\n]*)/g, '\n$1,x'));
      expect(imported.location).toMatch(/^\/records\/[^?]+$/);
      expect((await dana.follow(imported)).body).toContain('Imported 60 rows as this recording. Columns not used: note.');
      expect((await dana.get(imported.location!)).body).not.toContain('Imported 60 rows');
      const phishing = await dana.get(`${imported.location}?imported=created&rows=1&ignored=${encodeURIComponent('Your session expired: call +1 555 0100')}`);
      expect(phishing.status).toBe(200);
      expect(phishing.body).not.toContain('+1 555 0100');
      expect(phishing.body).not.toContain('Imported');
    });
  });
}
