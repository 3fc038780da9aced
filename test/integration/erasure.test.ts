// Erasure and retention (issue #11): a patient (administrators) or a recording (administrators and
// the patient's care team) is deleted whole, in one transaction, behind step-up and a reason; the
// audit row keeps ids and the reason; nothing that pointed at them is left; old audit events go.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { listEvents, recordEvent } from '../../src/auth/audit.js';
import { codeAt } from '../../src/auth/totp.js';
import { DAY, MINUTE } from '../../src/clock.js';
import type { AppContext } from '../../src/context.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { sweep } from '../../src/maintenance.js';
import { headingOf, TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { healthRowCounts, plausible, recordingOf, streamOf, userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';
import { TEST_START, type TestApp } from '../support/test-app.js';

/** Two patients in two care teams; only the people named sign in (pairing costs Argon2id hashing). */
async function world(t: TestApp, signIn: ('ada' | 'dana' | 'fox')[] = []) {
  const ada = await addAccount(t, 'admin', 'Ada Admin');
  const dana = await addAccount(t, 'clinician', 'Dana Scully');
  const fox = await addAccount(t, 'clinician', 'Fox Mulder');
  const patient = await createPatient(t.ctx, { name: 'Erased Patient', externalId: 'E-1', dateOfBirth: '1955-06-07', sex: 'female' });
  const kept = await createPatient(t.ctx, { name: 'Kept Patient', dateOfBirth: '1966-06-07', sex: 'male' });
  await assignClinician(t.ctx, patient.id, await userIdOf(t.ctx, dana.email));
  await assignClinician(t.ctx, kept.id, await userIdOf(t.ctx, fox.email));
  const csv = (offset: number) => streamOf(recordingToCsv(recordingOf(TEST_START - 86_400_000 + offset, 7200, plausible)));
  const records = [(await importCsv(t.ctx, patient.id, csv(0))).record, (await importCsv(t.ctx, patient.id, csv(7_200_000))).record];
  const keptRecord = (await importCsv(t.ctx, kept.id, csv(0))).record;
  const browsers = { ada: new TestBrowser(t.app), dana: new TestBrowser(t.app), fox: new TestBrowser(t.app) };
  const accounts = { ada, dana, fox };
  for (const who of signIn) await enroll(t, browsers[who], accounts[who]);
  return { ada, dana, fox, patient, kept, records, keptRecord, browsers, adaId: await userIdOf(t.ctx, ada.email), danaId: await userIdOf(t.ctx, dana.email) };
}

/** Every row of every table (the audit log aside) that still names one of these patients or recordings, per table. */
async function rowsNaming(ctx: AppContext, patientId: string, recordIds: string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  // Every table with such a column, including those other issues add: none may keep an orphan.
  const schema = ctx.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(ctx.db)).rows[0]!.s : undefined;
  for (const table of await ctx.db.introspection.getTables()) {
    if (table.name === 'audit_events' || table.name.startsWith('kysely_') || (schema && table.schema !== schema)) continue;
    const columns = table.columns.map((c) => c.name);
    const checks = [
      ...(columns.includes('patient_id') ? [sql`patient_id = ${patientId}`] : []),
      ...(columns.includes('record_id') && recordIds.length ? [sql`record_id in (${sql.join(recordIds)})`] : []),
      ...(table.name === 'patients' ? [sql`id = ${patientId}`] : []),
      ...(table.name === 'records' && recordIds.length ? [sql`id in (${sql.join(recordIds)})`] : []),
    ];
    for (const check of checks) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where ${check}`.execute(ctx.db);
      found[table.name] = (found[table.name] ?? 0) + Number(rows[0]!.n);
    }
  }
  return found;
}

describeOnEachDatabase('erasure', (database) => {
  const t = freshAppPerTest(database);

  it('an administrator deletes a patient behind step-up and a reason; no row anywhere names her or her recordings', async () => {
    const { browsers, ada, patient, kept, records, adaId } = await world(t(), ['ada']);
    const recordIds = records.map((r) => r.id);
    expect(Object.values(await rowsNaming(t().ctx, patient.id, recordIds)).reduce((a, b) => a + b)).toBeGreaterThan(50);
    const keptBefore = await rowsNaming(t().ctx, kept.id, []);

    expect((await browsers.ada.get(`/patients/${patient.id}`)).body).toContain(`href="/patients/${patient.id}/delete"`);
    t().clock.advance(6 * MINUTE); // no code for a while: the page asks for one first
    const asked = await browsers.ada.get(`/patients/${patient.id}/delete`);
    expect(asked.location).toBe(`/verify-again?next=${encodeURIComponent(`/patients/${patient.id}/delete`)}`);
    await browsers.ada.get(asked.location!);
    const confirmed = await browsers.ada.post('/verify-again', { code: codeAt(ada.secret!, t().clock.now()), next: `/patients/${patient.id}/delete` });
    const form = await browsers.ada.follow(confirmed);
    expect(headingOf(form.body)).toBe('Delete Erased Patient');
    expect(form.body).toContain('2 recordings with all their data');

    const noReason = await browsers.ada.post(`/patients/${patient.id}/delete`, { reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('Give the reason for the deletion');
    const forged = await browsers.ada.post(`/patients/${patient.id}/delete`, { reason: 'x', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect((await rowsNaming(t().ctx, patient.id, recordIds)).patients).toBe(1);

    await browsers.ada.get(`/patients/${patient.id}/delete`);
    const done = await browsers.ada.post(`/patients/${patient.id}/delete`, { reason: 'Consent withdrawn, request #88' });
    expect(done.location).toBe('/?deleted=patient');
    expect((await browsers.ada.follow(done)).body).toContain('The patient and all their recordings were deleted.');
    const left = await rowsNaming(t().ctx, patient.id, recordIds);
    for (const [table, count] of Object.entries(left)) expect(count, table).toBe(0);
    expect(await rowsNaming(t().ctx, kept.id, [])).toEqual(keptBefore);
    expect((await browsers.ada.get(`/patients/${patient.id}`)).status).toBe(404);

    const [deleted] = await listEvents(t().ctx, { event: 'health.patient_deleted' });
    expect(deleted).toMatchObject({ actor_user_id: adaId, patient_id: patient.id, details: { reason: 'Consent withdrawn, request #88', recordings: 2 } });
    expect(JSON.stringify(deleted)).not.toMatch(/Erased|E-1|1955/);
    // Her audit trail outlives her, under her id.
    expect((await listEvents(t().ctx, { patientId: patient.id })).length).toBeGreaterThanOrEqual(2);
  });

  it('only administrators delete patients; a clinician of the care team deletes a recording, another team gets 404', async () => {
    const { browsers, patient, kept, records, keptRecord, danaId, dana, fox } = await world(t(), ['dana', 'fox']);
    await confirmItsYou(t(), browsers.fox, fox); // deleting asks for a recent code; a first pairing is none
    expect((await browsers.dana.get(`/patients/${patient.id}/delete`)).status).toBe(404);
    expect((await browsers.dana.post(`/patients/${patient.id}/delete`, { reason: 'mine' })).status).toBe(404);
    expect((await browsers.dana.get(`/patients/${patient.id}`)).body).not.toContain('Delete this patient');
    const counts = await healthRowCounts(t().ctx);

    for (const url of [`/records/${records[0]!.id}/delete`, `/records/${keptRecord.id}/delete`]) {
      // Fox is in the kept patient's team only.
      const page = await browsers.fox.get(url);
      if (url.includes(keptRecord.id)) expect(page.status).toBe(200);
      else expect(page.status).toBe(404);
    }
    expect((await browsers.fox.post(`/records/${records[0]!.id}/delete`, { reason: 'not mine' })).status).toBe(404);
    expect(await healthRowCounts(t().ctx)).toEqual(counts);

    const recordPage = await browsers.dana.get(`/records/${records[0]!.id}`);
    expect(recordPage.body).toContain(`href="/records/${records[0]!.id}/delete"`);
    await confirmItsYou(t(), browsers.dana, dana);
    const form = await browsers.dana.get(`/records/${records[0]!.id}/delete`);
    expect(form.body).toContain('2 h'); // what is about to go, in words
    const done = await browsers.dana.post(`/records/${records[0]!.id}/delete`, { reason: 'Imported for the wrong patient' });
    expect(done.location).toBe(`/patients/${patient.id}?deleted=record`);
    expect((await browsers.dana.follow(done)).body).toContain('The recording was deleted.');
    const left = await rowsNaming(t().ctx, patient.id, [records[0]!.id]);
    expect(left).toMatchObject({ records: 1, series_chunks: 0, record_summaries: 0, record_category_times: 0, patients: 1, care_team_members: 1 });
    expect(await rowsNaming(t().ctx, patient.id, [records[1]!.id])).toMatchObject({ records: 2, series_chunks: 12 });
    const [event] = await listEvents(t().ctx, { event: 'health.record_deleted' });
    expect(event).toMatchObject({ actor_user_id: danaId, patient_id: patient.id, record_id: records[0]!.id, details: { reason: 'Imported for the wrong patient' } });
    expect(kept.id).not.toBe(patient.id);
  });

  it('`hms patient delete` and `hms record delete` do the same from the command line, with a reason', async () => {
    const { patient, records, kept } = await world(t());
    const env = t().database.env;
    const noReason = await runCli(['record', 'delete', records[0]!.id], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    const unknown = await runCli(['patient', 'delete', 'no-such-patient', '--reason', 'test'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no patient with the id no-such-patient.');

    const record = await runCli(['record', 'delete', records[0]!.id, '--reason', 'duplicate upload'], env);
    expect(record.stdout).toContain(`Deleted recording ${records[0]!.id} of patient ${patient.id}.`);
    const whole = await runCli(['patient', 'delete', patient.id, '--reason', 'erasure request #12'], env);
    expect(whole.stdout).toContain(`Deleted patient ${patient.id} and 1 recording.`);
    for (const [table, count] of Object.entries(await rowsNaming(t().ctx, patient.id, records.map((r) => r.id)))) expect(count, table).toBe(0);
    expect((await rowsNaming(t().ctx, kept.id, [])).patients).toBe(1);
    const events = await listEvents(t().ctx, { patientId: patient.id });
    expect(events.filter((e) => e.event.endsWith('_deleted')).map((e) => [e.event, e.details])).toEqual([
      ['health.patient_deleted', { reason: 'erasure request #12', recordings: 1, via: 'cli' }],
      ['health.record_deleted', { reason: 'duplicate upload', via: 'cli' }],
    ]);
  });

  it('foreign keys are enforced, on SQLite too: a row cannot point at a recording that is not there', async () => {
    await expect(t().ctx.db.insertInto('series_chunks')
      .values({ record_id: 'no-such-record', datatype: 19, chunk_index: 0, samples: Buffer.alloc(4), extremes: Buffer.alloc(8) }).execute())
      .rejects.toThrow(/foreign key/i);
  });

  it('audit events older than HMS_AUDIT_RETENTION_DAYS (6 years) are swept; younger ones stay', async () => {
    const now = t().clock.now();
    for (const age of [2191, 2189, 10]) {
      t().clock.set(now - age * DAY);
      await recordEvent(t().ctx, { event: 'sign_in.succeeded', details: { age } });
    }
    t().clock.set(now);
    const result = await sweep(t().ctx);
    expect(result.auditEvents).toBe(1);
    const ages = (await listEvents(t().ctx, { event: 'sign_in.succeeded' })).map((e) => e.details.age);
    expect(ages).toEqual([10, 2189]);
  });
});
