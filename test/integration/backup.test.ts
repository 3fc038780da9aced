// Backups (issue #11). SQLite: `hms backup` copies the database while HMS serves and an import is
// being written: the copy passes SQLite's integrity check, holds what was committed (even still
// in the WAL) and nothing of the import in flight, and an HMS started on it signs a user in.
// PostgreSQL: it prints the pg_dump command, which works as printed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { listEvents } from '../../src/auth/audit.js';
import { codeAt } from '../../src/auth/totp.js';
import { createPatient } from '../../src/health/patients.js';
import { storeRecording } from '../../src/health/records.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { httpTo, TestBrowser } from '../support/browser-client.js';
import { runCli, startServer } from '../support/cli.js';
import { postgresql, sqlite } from '../support/databases.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { plausible, recordingOf, streamOf } from '../support/health.js';
import { command } from '../support/requirements.js';
import { addAccount, enroll, type TestAccount } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** Per recording: how many series chunks and summaries it has. */
function contentsOf(file: string): Record<string, { chunks: number; summaries: number }> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string, id: string) => (db.prepare(`select count(*) as n from ${table} where record_id = ?`).get(id) as { n: number }).n;
    const ids = (db.prepare('select id from records').all() as { id: string }[]).map((r) => r.id);
    return Object.fromEntries(ids.map((id) => [id, { chunks: count('series_chunks', id), summaries: count('record_summaries', id) }]));
  } finally {
    db.close();
  }
}

describe('`hms backup` on SQLite', () => {
  it('copies a consistent database while an import is being written; an HMS started on the copy signs a user in', async () => {
    const t = (current = await startTestApp(sqlite));
    t.clock.set(Math.floor(Date.now() / 1000) * 1000); // the server started on the copy runs on the real clock
    const account: TestAccount = { email: 'backup.admin@clinic.example', password: 'kept in the backup copy', name: 'Backup Admin' };
    await createAccount(t.ctx, { ...account, role: 'admin' });
    await enroll(t, new TestBrowser(t.app), account);
    const patient = await createPatient(t.ctx, { name: 'Backed Up', dateOfBirth: '1970-02-03', sex: 'female' });
    const committed = await importCsv(t.ctx, patient.id, streamOf(recordingToCsv(recordingOf(t.clock.now() - 86_400_000, 7200, plausible))));

    // An import half-written: its transaction has stored the record and its series, and waits.
    let commit!: () => void;
    const inFlight = t.ctx.db.transaction().execute(async (trx) => {
      const record = await storeRecording(t.ctx, { patient, recording: recordingOf(t.clock.now() - 3_600_000, 3600, plausible) }, trx);
      await new Promise<void>((resolve) => (commit = resolve));
      return record;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const target = path.join(t.database.dataDir, 'backups', 'hms-copy.sqlite');
    fs.mkdirSync(path.dirname(target));
    const backup = await runCli(['backup', target], t.database.env);
    commit();
    const uncommitted = await inFlight;
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`to ${target}`);
    expect(backup.stdout).toContain(`The encryption key is not in it: keep ${path.join(t.database.dataDir, 'encryption-keys.json')}`);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['hms-copy.sqlite']); // one file, no -wal beside it

    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    // All of the committed import, none of the one in flight (not a row of its record, series or summaries).
    const source = contentsOf(path.join(t.database.dataDir, 'hms.sqlite'));
    expect(Object.keys(source).sort()).toEqual([committed.record.id, uncommitted.id].sort());
    expect(source[committed.record.id]!.chunks).toBeGreaterThan(0);
    expect(contentsOf(target)).toEqual({ [committed.record.id]: source[committed.record.id] });
    const orphans = new SQLite(target, { readonly: true });
    expect(orphans.prepare('select count(*) as n from series_chunks where record_id not in (select id from records)').get()).toEqual({ n: 0 });
    orphans.close();

    const again = await runCli(['backup', target], t.database.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists: choose another file name');

    // Restore as the README says: the copy in place of hms.sqlite, the key file beside it.
    const restored = path.join(t.database.dataDir, 'restored');
    fs.mkdirSync(restored);
    fs.copyFileSync(target, path.join(restored, 'hms.sqlite'));
    fs.copyFileSync(path.join(t.database.dataDir, 'encryption-keys.json'), path.join(restored, 'encryption-keys.json'));
    fs.chmodSync(path.join(restored, 'encryption-keys.json'), 0o600);
    const server = await startServer({ HMS_DATA_DIR: restored, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', HMS_LOG_LEVEL: 'warn' });
    try {
      const port = /"listen":"127\.0\.0\.1:(\d+)"/.exec(server.output())?.[1];
      expect(port).toBeDefined();
      const browser = new TestBrowser(httpTo(`http://127.0.0.1:${port}`));
      await browser.get('/login');
      expect((await browser.post('/login', { email: account.email, password: account.password })).location).toBe('/mfa/verify');
      await browser.get('/mfa/verify');
      // The next step's code: the one of pairing was used before the backup.
      const signedIn = await browser.post('/mfa/verify', { code: codeAt(account.secret!, Date.now() + 30_000) });
      expect(signedIn.status).toBe(303);
      const patients = await browser.get('/');
      expect(patients.body).toContain('Backed Up');
    } finally {
      await server.stop();
    }
  });
});

const pgDump = command('pg_dump', 'postgresql-client');

describe.skipIf(!postgresql.requirement.available || !pgDump.available)('`hms backup` on PostgreSQL', () => {
  it('prints the pg_dump command instead, without the password, and the command works as printed', async () => {
    const t = (current = await startTestApp(postgresql));
    const target = path.join(t.database.dataDir, 'hms.dump');
    const result = await runCli(['backup', target], t.database.env);
    expect(result.code).toBe(1); // this command wrote no backup
    expect(result.stderr).toContain('HMS on PostgreSQL is backed up with pg_dump');
    const printed = result.stdout.trim();
    expect(printed).toMatch(/^pg_dump --format=custom --file=\S+ --dbname='postgres:\/\/postgres@127\.0\.0\.1:5432\/\S+' --schema=hms_[0-9a-f]+$/);
    execFileSync('sh', ['-c', printed], { stdio: 'pipe' });
    const listing = execFileSync('pg_restore', ['--list', target], { encoding: 'utf8' });
    expect(listing).toMatch(/TABLE DATA hms_[0-9a-f]+ audit_events/);
    expect(listing).toMatch(/TABLE DATA hms_[0-9a-f]+ totp_credentials/);
  });
});

describeOnEachDatabase('after a restore', (database) => {
  const t = freshAppPerTest(database);

  it('`hms user end-sessions --all` signs every account out and forgets every remembered browser', async () => {
    const browsers = [new TestBrowser(t().app), new TestBrowser(t().app)];
    const accounts = [await addAccount(t()), await addAccount(t())];
    await enroll(t(), browsers[0]!, accounts[0]!, true);
    await enroll(t(), browsers[1]!, accounts[1]!);
    const neither = await runCli(['user', 'end-sessions'], t().database.env);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give either an account's email or --all");

    const ended = await runCli(['user', 'end-sessions', '--all'], t().database.env);
    expect(ended.stdout).toContain('Ended 2 sessions and forgot 1 remembered browsers');
    for (const browser of browsers) expect((await browser.get('/')).status).toBe(401);
    await browsers[0]!.get('/login');
    expect((await browsers[0]!.post('/login', { email: accounts[0]!.email, password: accounts[0]!.password })).location).toBe('/mfa/verify');
    const [event] = await listEvents(t().ctx, { event: 'admin.all_sessions_ended' });
    expect(event!.details).toEqual({ sessions: 2, devices_revoked: 1, via: 'cli' });
  });
});
