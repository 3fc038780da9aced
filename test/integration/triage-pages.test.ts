// Clinical triage over HTTP (issue #13), on SQLite and PostgreSQL: the worklist's order and
// filters, reviews (one flag, a recording, all shown) audited and shown, notes append-only,
// thresholds per patient and clinic-wide re-evaluated in the background, tags, archiving, and the
// care team's boundary on every new page and action.
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { MINUTE } from '../../src/clock.js';
import type { Patient } from '../../src/db/schema.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { clinicInstant } from '../../src/health/clinic-days.js';
import { enqueueReevaluation } from '../../src/health/evaluation-jobs.js';
import { createPatient } from '../../src/health/patients.js';
import { decodeEntities, TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { importRecording, quietRecording, userIdOf } from '../support/health.js';
import { snapshot } from '../support/snapshot.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

const ZONE = 'Europe/Paris';
const at = (day: string, hour: number, minute = 0) => clinicInstant(ZONE, day, hour, minute);
/** HR `bpm` for `seconds` from second `offset` of a quiet recording (at rest). */
const heart = (bpm: number, offset: number, seconds: number) => (c: Map<number, Float32Array>) => c.get(19)!.fill(bpm, offset, offset + seconds);

/** The patient names in the order of the worklist's rows. */
function rowsOf(page: Page): string[] {
  return [...page.body.matchAll(/class="patient-name">([^<]+)</g)].map((m) => decodeEntities(m[1]!));
}

describeOnEachDatabase('clinical triage pages', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: ZONE });

  /**
   * Dana's patients, on Wed 25 Nov at 10:00: Hugo (HR 130 for 6 min yesterday, high), Bea (fast
   * breathing 12 min yesterday, medium), Carl (calm, recorded this morning), Dora (3 h on Monday:
   * low wear). Fox's patient: Otto.
   */
  async function clinic(app: TestApp) {
    const dana = await addAccount(app, 'clinician', 'Dana Scully');
    const fox = await addAccount(app, 'clinician', 'Fox Mulder');
    const danaId = await userIdOf(app.ctx, dana.email);
    const patients: Record<string, Patient> = {};
    for (const name of ['Hugo', 'Bea', 'Carl', 'Dora', 'Otto']) {
      patients[name] = await createPatient(app.ctx, { name: `${name} Patient`, dateOfBirth: '1960-05-05', sex: 'male' });
      await assignClinician(app.ctx, patients[name]!.id, name === 'Otto' ? await userIdOf(app.ctx, fox.email) : danaId);
    }
    const hugo = await importRecording(app.ctx, patients.Hugo!, quietRecording(at('2026-11-24', 8), 6 * 3600, heart(130, 2 * 3600, 360)));
    await importRecording(app.ctx, patients.Bea!, quietRecording(at('2026-11-24', 9), 4 * 3600, (c) => c.get(33)!.fill(27, 3600, 3600 + 720)));
    await importRecording(app.ctx, patients.Carl!, quietRecording(at('2026-11-25', 6), 3 * 3600));
    await importRecording(app.ctx, patients.Dora!, quietRecording(at('2026-11-23', 10), 3 * 3600));
    await importRecording(app.ctx, patients.Otto!, quietRecording(at('2026-11-24', 8), 6 * 3600, heart(130, 3600, 400)));
    const browsers = { dana: new TestBrowser(app.app), fox: new TestBrowser(app.app) };
    await enroll(app, browsers.dana, dana);
    await enroll(app, browsers.fox, fox);
    return { dana, danaId, fox, patients, hugo, browsers };
  }

  it('the worklist puts unreviewed flags first, by severity then recency; a review moves the patient down, and is audited and shown', async () => {
    const { browsers, patients, hugo, danaId } = await clinic(t());
    const list = await browsers.dana.get('/');
    expect(rowsOf(list)).toEqual(['Hugo Patient', 'Bea Patient', 'Dora Patient', 'Carl Patient']);
    expect(list.body).toContain('<span class="chip-severity">High</span> Tachycardia at rest');
    expect(list.body).toContain('<span class="chip-severity">Medium</span> Fast breathing at rest');
    expect(list.body).toContain('<span class="chip-severity">Low</span> Low wear time');
    expect(list.body).not.toContain('Otto Patient');
    expect(rowsOf(await browsers.dana.get('/?sort=name'))).toEqual(['Bea Patient', 'Carl Patient', 'Dora Patient', 'Hugo Patient']);
    expect(rowsOf(await browsers.dana.get('/?filter=unreviewed'))).toEqual(['Hugo Patient', 'Bea Patient', 'Dora Patient']);
    expect(rowsOf(await browsers.dana.get('/?filter=bogus&sort=bogus'))).toEqual(['Hugo Patient', 'Bea Patient', 'Dora Patient', 'Carl Patient']);

    // The patient page lists the flag in words, in clinic time with the zone.
    const page = await browsers.dana.get(`/patients/${patients.Hugo!.id}`);
    expect(page.body).toContain('HR 130 bpm (max 130) for 6 min at rest, activity 0.01 g');
    expect(page.body).toContain('Tue, 24 Nov 2026, 10:00–10:06 CET');
    const review = await browsers.dana.post(`/patients/${patients.Hugo!.id}/flags/review`, { comment: 'Called him: was climbing stairs.', up_to: String(t().clock.now()) });
    expect(review.location).toBe(`/patients/${patients.Hugo!.id}?done=reviewed&n=1#flags`);
    const after = await browsers.dana.follow(review);
    expect(after.body).toContain('1 flag marked reviewed.');
    expect(after.body).toMatch(/Reviewed by Dana Scully, [^<]*CET: <q>Called him: was climbing stairs.<\/q>/);
    expect(rowsOf(await browsers.dana.get('/'))).toEqual(['Bea Patient', 'Dora Patient', 'Carl Patient', 'Hugo Patient']);
    const record = await browsers.dana.get(`/records/${hugo.id}`);
    expect(record.body).toContain('Reviewed by Dana Scully');

    // "All up to now" covers what existed when the page was shown, not a flag that came later.
    await browsers.dana.get(`/patients/${patients.Bea!.id}`);
    const shownAt = t().clock.now();
    t().clock.advance(MINUTE);
    await importRecording(t().ctx, patients.Bea!, quietRecording(at('2026-11-24', 14), 3600, (c) => c.get(33)!.fill(27, 0, 700)));
    await browsers.dana.post(`/patients/${patients.Bea!.id}/flags/review`, { up_to: String(shownAt) });
    expect(rowsOf(await browsers.dana.get('/?filter=unreviewed'))).toEqual(['Bea Patient', 'Dora Patient']);

    const reviews = (await listEvents(t().ctx, { userId: danaId, event: 'health.flags_reviewed' }));
    expect(reviews.map((e) => [e.details.patient_id, e.details.scope, e.details.flags])).toEqual([
      [patients.Bea!.id, 'patient', 1], [patients.Hugo!.id, 'patient', 1],
    ]);
  });

  it('reviews one flag, or the flags of a recording, with a comment', async () => {
    const { browsers, patients } = await clinic(t());
    const two = await importRecording(t().ctx, patients.Carl!, quietRecording(at('2026-11-24', 8), 6 * 3600, (c) => {
      c.get(19)!.fill(35, 600, 700);
      c.get(19)!.fill(135, 3600, 3600 + 400);
    }));
    const page = await browsers.dana.get(`/records/${two.id}`);
    // A slow and a fast heart, and the day's low wear (the recording of this morning closed the day).
    expect(page.body).toContain('Flags in this recording <span class="count">(3 to review of 3)</span>');
    const flagId = /action="\/flags\/([^/]+)\/review"/.exec(page.body)![1]!;
    const one = await browsers.dana.post(`/flags/${flagId}/review`, { comment: 'Artefact', next: `/records/${two.id}` });
    expect(one.location).toBe(`/records/${two.id}?done=reviewed&n=1#flags`);
    expect((await browsers.dana.follow(one)).body).toContain('(2 to review of 3)');
    const rest = await browsers.dana.post(`/records/${two.id}/flags/review`, { comment: '' });
    expect((await browsers.dana.follow(rest)).body).toContain('(0 to review of 3)');
    const again = await browsers.dana.post(`/records/${two.id}/flags/review`, {});
    expect(again.location).toContain('done=nothing-to-review');
  });

  it("another team's patient, recording or flag answers 404 to every new page and action, audited, and nothing changes", async () => {
    const { browsers, patients } = await clinic(t());
    const otto = patients.Otto!;
    const ottoRecord = await t().ctx.db.selectFrom('records').select('id').where('patient_id', '=', otto.id).executeTakeFirstOrThrow();
    const ottoFlag = await t().ctx.db.selectFrom('flags').select('id').where('patient_id', '=', otto.id).executeTakeFirstOrThrow();
    await browsers.dana.get('/');
    const before = await snapshot(t().ctx);
    const refusals: Promise<Page>[] = [];
    const gets = [`/patients/${otto.id}/rules`, `/records/${ottoRecord.id}/events.csv`, `/patients/${otto.id}?range=90`];
    for (const url of gets) refusals.push(browsers.dana.get(url));
    const posts: [string, Record<string, string>][] = [
      [`/patients/${otto.id}/notes`, { text: 'Sneaky note' }],
      [`/patients/${otto.id}/flags/review`, { up_to: String(t().clock.now()) }],
      [`/flags/${ottoFlag.id}/review`, { comment: 'x' }],
      [`/records/${ottoRecord.id}/flags/review`, {}],
      [`/records/${ottoRecord.id}/tags`, { kind: 'rest', from: '2026-11-24T09:00', to: '2026-11-24T09:30', text: 'x' }],
      [`/patients/${otto.id}/rules`, { threshold_tachycardia_at_rest: '100' }],
      [`/patients/${otto.id}/archive`, {}],
      [`/patients/${otto.id}/unarchive`, {}],
    ];
    for (const [url, fields] of posts) refusals.push(browsers.dana.post(url, fields));
    for (const refused of await Promise.all(refusals)) {
      expect(refused.status).toBe(404);
      expect(refused.body).toContain('not in your care');
      expect(refused.body).not.toContain('Otto');
    }
    const after = await snapshot(t().ctx);
    for (const table of ['notes', 'flags', 'flag_reviews', 'record_tags', 'patient_rule_settings', 'patients', 'rule_evaluations']) expect(after[table], table).toEqual(before[table]);
    const danaId = await userIdOf(t().ctx, (await t().ctx.db.selectFrom('users').select('email').where('name', '=', 'Dana Scully').executeTakeFirstOrThrow()).email);
    expect((await listEvents(t().ctx, { userId: danaId, event: 'health.access_refused' }))).toHaveLength(gets.length + posts.length);
    expect((await browsers.dana.get('/admin/rules')).status).toBe(404);
  });

  it('notes are append-only: a correction points to the note it corrects, both stay; bad notes are refused and kept in the form', async () => {
    const { browsers, patients } = await clinic(t());
    const url = `/patients/${patients.Carl!.id}`;
    await browsers.dana.get(url);
    const added = await browsers.dana.post(`${url}/notes`, { text: 'Started bisoprolol 2.5 mg.\nReview in a week.' });
    expect(added.status).toBe(303);
    const noteId = /#note-(.+)$/.exec(added.location!)![1]!;
    const correcting = await browsers.dana.get(`${url}?correct=${noteId}`);
    expect(correcting.body).toContain(`name="corrects" value="${noteId}"`);
    expect(correcting.body).toContain('Started bisoprolol 2.5 mg.\nReview in a week.</textarea>');
    await browsers.dana.post(`${url}/notes`, { text: 'Started bisoprolol 5 mg (not 2.5).', corrects: noteId });
    const notes = await t().ctx.db.selectFrom('notes').selectAll().where('patient_id', '=', patients.Carl!.id).orderBy('created_at').execute();
    expect(notes.map((n) => [n.text, n.corrects_id])).toEqual([['Started bisoprolol 2.5 mg.\nReview in a week.', null], ['Started bisoprolol 5 mg (not 2.5).', noteId]]);
    const page = await browsers.dana.get(url);
    expect(page.body).toMatch(/<strong>Correction<\/strong>[\s\S]*Corrects <a href="#note-/);

    const before = await snapshot(t().ctx);
    const empty = await browsers.dana.post(`${url}/notes`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('Write the note before adding it.');
    const foreign = await browsers.dana.post(`${url}/notes`, { text: 'Keep this text', corrects: 'not-a-note' });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toContain('Keep this text</textarea>');
    expect((await browsers.dana.post(`${url}/notes/${noteId}`, { text: 'edited' })).status).toBe(404);
    expect(await snapshot(t().ctx)).toEqual(before);
    const audited = await listEvents(t().ctx, { event: 'health.note_added' });
    expect(audited.map((e) => e.details.corrects)).toEqual([noteId, null]);
  });

  it("a patient's own threshold and the clinic's are audited with old and new value, and re-evaluate in the background with progress shown", async () => {
    const app = t();
    const { browsers, patients } = await clinic(app);
    const ada = await addAccount(app, 'admin', 'Ada Admin');
    const adaBrowser = new TestBrowser(app.app);
    await enroll(app, adaBrowser, ada);
    const hugo = patients.Hugo!;
    // Hugo also had 115 bpm for 8 min: under the clinic's 120, over his own 110.
    await importRecording(app.ctx, hugo, quietRecording(at('2026-11-23', 8), 3600, heart(115, 600, 480)));
    await app.app.evaluations.idle();

    await browsers.dana.get(`/patients/${hugo.id}/rules`);
    const refused = await browsers.dana.post(`/patients/${hugo.id}/rules`, { threshold_tachycardia_at_rest: '11O' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Tachycardia at rest: the threshold must be a number.');
    expect(refused.body).toContain('value="11O"');
    expect((await browsers.dana.post(`/patients/${hugo.id}/rules`, { threshold_tachycardia_at_rest: '30' })).body)
      .toContain('Tachycardia at rest: “Heart rate at or above” must be between 60 and 250 bpm.');
    const saved = await browsers.dana.post(`/patients/${hugo.id}/rules`, { threshold_tachycardia_at_rest: '110', duration_tachycardia_at_rest: '' });
    expect(saved.location).toBe(`/patients/${hugo.id}/rules?saved=1`);
    await app.app.evaluations.idle();
    const page = await browsers.dana.get(`/patients/${hugo.id}`);
    expect(page.body).toContain('HR 115 bpm (max 115) for 8 min at rest');
    expect(page.body).toContain("this patient's own (1)");
    const [change] = await listEvents(app.ctx, { event: 'health.rules_changed' });
    expect(change!.details).toMatchObject({ scope: 'patient', patient_id: hugo.id, rule: 'tachycardia_at_rest', old_threshold: null, new_threshold: 110 });

    // While a re-evaluation is pending, its progress is on the page.
    await enqueueReevaluation(app.ctx, app.ctx.db, [hugo.id], ['bradycardia'], null);
    expect((await browsers.dana.get(`/patients/${hugo.id}`)).body).toContain('flags are being evaluated again (0 of 90 days)');
    app.app.evaluations.kick();
    await app.app.evaluations.idle();

    // Clinic-wide: an admin, with a fresh code; bradycardia below 45 for 1 min. Hugo's HR never goes below 70.
    await adaBrowser.get('/admin/rules');
    const stale = await adaBrowser.post('/admin/rules', { threshold_bradycardia: '45', duration_bradycardia: '1' });
    expect(stale.location).toBe('/verify-again?next=%2Fadmin%2Frules'); // a first pairing is no fresh code
    await confirmItsYou(app, adaBrowser, ada);
    await adaBrowser.get('/admin/rules');
    const clinicSaved = await adaBrowser.post('/admin/rules', { threshold_bradycardia: '45', duration_bradycardia: '1' });
    expect(clinicSaved.location).toBe('/admin/rules?saved=5');
    await app.app.evaluations.idle();
    const clinicPage = await adaBrowser.follow(clinicSaved);
    expect(clinicPage.body).toContain('Saved. The flags of 5 patients are being evaluated again.');
    expect(clinicPage.body).toContain('Trips when heart rate &lt; 45 bpm in a run of ≥ 1 min.');
    const [clinicChange] = await listEvents(app.ctx, { event: 'health.rules_changed' });
    expect(clinicChange!.details).toMatchObject({ scope: 'clinic', rule: 'bradycardia', old_threshold: 40, new_threshold: 45, old_duration_seconds: 60, new_duration_seconds: 60 });
    expect(await app.ctx.db.selectFrom('rule_evaluations').select('id').where('finished_at', 'is', null).execute()).toEqual([]);
  });

  it('tags a range with the two time fields; it shows on the page, on the charts and in the events CSV; archiving hides the patient', async () => {
    const { browsers, patients, hugo } = await clinic(t());
    const page = await browsers.dana.get(`/records/${hugo.id}`);
    expect(page.body).toContain('<a href="/records/');
    const refused = await browsers.dana.post(`/records/${hugo.id}/tags`, { kind: 'exercise', from: '2026-11-24T07:00', to: '2026-11-24T07:30', text: 'Before the shirt' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('The range must lie within this recording.');
    expect(refused.body).toContain('value="Before the shirt"');
    const bad = await browsers.dana.post(`/records/${hugo.id}/tags`, { kind: 'exercise', from: 'yesterday', to: '2026-11-24T09:30', text: '' });
    expect(bad.body).toContain('Enter both times as date and time (Europe/Paris)');
    const unknownKind = await browsers.dana.post(`/records/${hugo.id}/tags`, { kind: 'nap', from: '2026-11-24T10:00', to: '2026-11-24T10:20', text: '' });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body).toContain('Choose what the range was: Sleep, Rest, Exercise, Symptom, Other.');
    const tagged = await browsers.dana.post(`/records/${hugo.id}/tags`, { kind: 'exercise', from: '2026-11-24T10:00', to: '2026-11-24T10:20:30', text: '=Walk to the shop' });
    expect(tagged.location).toBe(`/records/${hugo.id}#tags`);
    const shown = await browsers.dana.get(`/records/${hugo.id}`);
    expect(shown.body).toContain('Exercise</span> Tue, 24 Nov 2026, 10:00 CET – Tue, 24 Nov 2026, 10:20 CET: =Walk to the shop');
    const chart = JSON.parse((await browsers.dana.get(`/records/${hugo.id}/chart.json?buckets=100`)).body) as { bands: { kind: string; from: number; to: number; label: string; severity?: string }[] };
    expect(chart.bands).toEqual([
      { kind: 'flag', from: at('2026-11-24', 10), to: at('2026-11-24', 10, 6), severity: 'high', label: 'Tachycardia at rest (high): HR 130 bpm (max 130) for 6 min at rest, activity 0.01 g' },
      { kind: 'tag', from: at('2026-11-24', 10), to: at('2026-11-24', 10, 20) + 30_000, label: 'Exercise: =Walk to the shop' },
    ]);
    const events = await browsers.dana.get(`/records/${hugo.id}/events.csv`);
    expect(String(events.headers['content-disposition'])).toBe('attachment; filename="Hugo_Patient-20261124-080000-events.csv"');
    expect(events.body.split('\n')[1]).toBe(`${(at('2026-11-24', 10) / 1000) * 256},${((at('2026-11-24', 10, 20) + 30_000) / 1000) * 256},2026-11-24T10:00:00+01:00,2026-11-24T10:20:30+01:00,exercise,"'=Walk to the shop","Dana Scully"`);
    expect((await browsers.dana.get(`/patients/${patients.Hugo!.id}`)).body).toContain('Tagged event');

    await browsers.dana.get(`/patients/${patients.Dora!.id}`);
    const archived = await browsers.dana.post(`/patients/${patients.Dora!.id}/archive`, {});
    expect((await browsers.dana.follow(archived)).body).toContain('Archived: the patient is no longer on the worklist.');
    expect(rowsOf(await browsers.dana.get('/'))).not.toContain('Dora Patient');
    expect(rowsOf(await browsers.dana.get('/?filter=archived'))).toEqual(['Dora Patient']);
    await browsers.dana.get(`/patients/${patients.Dora!.id}`);
    await browsers.dana.post(`/patients/${patients.Dora!.id}/unarchive`, {});
    expect(rowsOf(await browsers.dana.get('/'))).toContain('Dora Patient');
    expect((await listEvents(t().ctx, { event: 'patient.archived' })).length + (await listEvents(t().ctx, { event: 'patient.unarchived' })).length).toBe(2);
  });
});
