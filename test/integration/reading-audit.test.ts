// Reading health data is audited (issue #11): opening a patient, a recording, its chart data or an
// export writes an event, repeats by the same user within 10 minutes make one row, and the audit
// log (console and `hms audit`) answers "who looked at this patient" in one filter.
import { Migrator, sql } from 'kysely';
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest, provider } from '../../src/db/migrate.js';
import { MINUTE } from '../../src/clock.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { plausible, recordingOf, streamOf, userIdOf } from '../support/health.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { TEST_START, type TestApp } from '../support/test-app.js';

async function world(t: TestApp) {
  const dana = await addAccount(t, 'clinician', 'Dana Scully');
  const ada = await addAccount(t, 'admin', 'Ada Admin');
  const tremblay = await createPatient(t.ctx, { name: 'Mrs Tremblay', dateOfBirth: '1948-03-02', sex: 'female' });
  const other = await createPatient(t.ctx, { name: 'Other Patient', dateOfBirth: '1960-01-01', sex: 'male' });
  await assignClinician(t.ctx, tremblay.id, await userIdOf(t.ctx, dana.email));
  const csv = (offset: number) => streamOf(recordingToCsv(recordingOf(TEST_START - 86_400_000 + offset, 300, plausible)));
  const first = (await importCsv(t.ctx, tremblay.id, csv(0))).record;
  const second = (await importCsv(t.ctx, tremblay.id, csv(3_600_000))).record;
  const others = (await importCsv(t.ctx, other.id, csv(0))).record;
  const browsers = { dana: new TestBrowser(t.app), ada: new TestBrowser(t.app) };
  await enroll(t, browsers.dana, dana);
  await enroll(t, browsers.ada, ada);
  return { dana, ada, danaId: await userIdOf(t.ctx, dana.email), adaId: await userIdOf(t.ctx, ada.email), tremblay, other, first, second, others, browsers };
}

describeOnEachDatabase('reading health data is audited', (database) => {
  const t = freshAppPerTest(database);

  it('opening a patient, a recording and its charts writes one row per user and thing per 10 minutes; each export writes one', async () => {
    const { browsers, danaId, adaId, tremblay, first } = await world(t());
    await browsers.dana.get(`/patients/${tremblay.id}`);
    await browsers.dana.get(`/patients/${tremblay.id}?page=1`);
    await browsers.dana.get(`/records/${first.id}`);
    for (let zoom = 0; zoom < 5; zoom++) await browsers.dana.get(`/records/${first.id}/chart.json?buckets=100&from=${first.started_at + zoom * 1000}`);
    t().clock.advance(9 * MINUTE);
    await browsers.dana.get(`/records/${first.id}/chart.json?buckets=10`);
    await browsers.ada.get(`/records/${first.id}`); // another user: another row
    await browsers.dana.get(`/records/${first.id}/export.csv`);
    await browsers.dana.get(`/records/${first.id}/export.csv`);
    t().clock.advance(2 * MINUTE); // 11 minutes after Dana's first look
    await browsers.dana.get(`/records/${first.id}/chart.json?buckets=10`);

    const reads = (await listEvents(t().ctx, { patientId: tremblay.id })).reverse()
      .map((e) => [e.event, e.actor_user_id, e.patient_id, e.record_id]);
    expect(reads).toEqual([
      ['health.patient_viewed', danaId, tremblay.id, null],
      ['health.record_viewed', danaId, tremblay.id, first.id],
      ['health.record_viewed', adaId, tremblay.id, first.id],
      ['health.record_exported', danaId, tremblay.id, first.id],
      ['health.record_exported', danaId, tremblay.id, first.id],
      ['health.record_viewed', danaId, tremblay.id, first.id],
    ]);
    const [view] = await listEvents(t().ctx, { event: 'health.record_viewed', limit: 1 });
    expect(view!.details).toEqual({}); // ids only: no value of the data looked at
    expect(view!.client_ip).toBe('203.0.113.10');
  });

  it('the console filters by patient (her events and her recordings\') and by recording; refused attempts are filed under the patient', async () => {
    const { browsers, tremblay, first, second, others, danaId } = await world(t());
    await browsers.dana.get(`/records/${first.id}`);
    await browsers.dana.get(`/records/${second.id}`);
    await browsers.ada.get(`/records/${others.id}`);
    await browsers.dana.get(`/records/${others.id}`); // not Dana's patient: 404, audited
    await browsers.ada.get(`/patients/${tremblay.id}`);

    const page = await browsers.ada.get(`/admin/audit?patient=${tremblay.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Audit log of Mrs Tremblay');
    expect(page.body).toContain('3 events');
    expect(page.body).toContain(`patient ${tremblay.id.slice(0, 8)}`);
    expect(page.body).toContain(`recording ${second.id.slice(0, 8)}`);
    expect(page.body).not.toContain(`recording ${others.id.slice(0, 8)}`);

    const byRecord = await browsers.ada.get(`/admin/audit?record=${others.id}`);
    expect(byRecord.body).toContain('2 events');
    const refused = await listEvents(t().ctx, { recordId: others.id, event: 'health.access_refused' });
    expect(refused.map((e) => [e.actor_user_id, e.patient_id])).toEqual([[danaId, others.patient_id]]);

    const csv = await browsers.ada.get(`/admin/audit.csv?patient=${tremblay.id}`);
    expect(csv.body.split('\n')[0]).toBe('time,event,actor,subject,patient_id,record_id,client_ip,user_agent,details');
    expect(csv.body.trim().split('\n')).toHaveLength(1 + 3);

    const printed = await runCli(['audit', '--patient', tremblay.id], t().database.env);
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + 3);
    expect(lines.filter((line) => line.includes('health.record_viewed') && line.includes(first.id))).toHaveLength(1);
    const byRecordCli = await runCli(['audit', '--record', others.id], t().database.env);
    expect(byRecordCli.stdout).toContain('health.access_refused');
  });
});

describeOnEachDatabase('migration 008', (database) => {
  it('files the audit events written before it under their patient and recording', async () => {
    const fresh = await database.create();
    const handle = openDatabase({ ...loadConfig({}), databaseUrl: fresh.databaseUrl, sqliteFile: `${fresh.dataDir}/hms.sqlite` });
    try {
      const schema = database.label === 'PostgreSQL' ? (await sql<{ s: string }>`select current_schema() as s`.execute(handle.db)).rows[0]!.s : undefined;
      const { error } = await new Migrator({ db: handle.db, provider, migrationTableSchema: schema }).migrateTo('006_admin_console');
      expect(error).toBeUndefined();
      const db = handle.db.withoutPlugins();
      await sql`insert into patients (id, name, search_text, date_of_birth, sex, created_at) values ('p1', 'P', 'p', '1950-01-01', 'female', 0)`.execute(db);
      await sql`insert into records (id, patient_id, started_at, ended_at, start_timestamp, sample_count, status, content_hash, created_at)
        values ('r1', 'p1', 0, 1000, 0, 1, 'complete', 'h', 0)`.execute(db);
      const events: [string, object][] = [
        ['health.record_imported', { patient_id: 'p1', record_id: 'r1', status: 'created' }],
        ['health.record_exported', { record_id: 'r1' }],
        ['care_team.added', { patient_id: 'p1' }],
        ['health.access_refused', { resource: 'record', id: 'r1', url: '/records/r1' }],
        ['health.access_refused', { resource: 'record', id: 'guessed', url: '/records/guessed' }],
        ['sign_in.succeeded', { second_factor: 'totp' }],
      ];
      for (const [event, details] of events) {
        await sql`insert into audit_events (at, event, details) values (1, ${event}, ${JSON.stringify(details)})`.execute(db);
      }
      await migrateToLatest(handle.db);
      const rows = await handle.db.selectFrom('audit_events').select(['event', 'patient_id', 'record_id']).orderBy('id').execute();
      expect(rows.map((r) => [r.event, r.patient_id, r.record_id])).toEqual([
        ['health.record_imported', 'p1', 'r1'],
        ['health.record_exported', 'p1', 'r1'],
        ['care_team.added', 'p1', null],
        ['health.access_refused', 'p1', 'r1'],
        ['health.access_refused', null, null],
        ['sign_in.succeeded', null, null],
      ]);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});
