// SQLite's own faults: another process holding the write lock (an `hms` command, a backup), and a
// full disk. better-sqlite3 waits synchronously, so the wait is kept short (HMS_SQLITE_BUSY_TIMEOUT_MS,
// 1 s at most) and then answered like an unreachable database: a 503, never a hang or a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { assignClinician } from '../../src/health/care-teams.js';
import { createPatient } from '../../src/health/patients.js';
import { csrfTokenIn, TestBrowser } from '../support/browser-client.js';
import { freshAppPerTest } from '../support/each-database.js';
import { sqlite } from '../support/databases.js';
import { hourCsv } from '../support/served-hms.js';
import { userIdOf } from '../support/health.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

const UNAVAILABLE = 'HMS cannot reach its database; try again in a moment';

/** Another process takes SQLite's write lock and keeps it until told to let go. */
async function holdWriteLock(file: string): Promise<ChildProcess> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
    db.exec('begin immediate'); console.log('locked');
    process.stdin.resume(); process.stdin.on('end', () => { db.exec('rollback'); db.close(); });`;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

function release(holder: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    holder.once('exit', () => resolve());
    holder.stdin!.end();
  });
}

function multipartUpload(token: string, csv: string): { payload: string; contentType: string } {
  const boundary = '----hms-sqlite-faults';
  return {
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('SQLite faults', () => {
  const t = freshAppPerTest(sqlite, { HMS_SQLITE_BUSY_TIMEOUT_MS: '1000' });
  let holder: ChildProcess | null = null;

  afterEach(async () => {
    if (holder && holder.exitCode === null) await release(holder);
    holder = null;
  });

  async function signedIn(app: TestApp) {
    const dana = await addAccount(app);
    const browser = new TestBrowser(app.app);
    await enroll(app, browser, dana);
    const patient = await createPatient(app.ctx, { name: 'Rosa Ruiz', dateOfBirth: '1966-06-06', sex: 'female' });
    await assignClinician(app.ctx, patient.id, await userIdOf(app.ctx, dana.email));
    return { dana, browser, patient };
  }

  it('a write lock held by another process: 503 after about a second, reads go on, and writes work once it is released', async () => {
    const dana = await addAccount(t());
    const browser = new TestBrowser(t().app);
    holder = await holdWriteLock(t().ctx.config.sqliteFile);

    expect((await browser.get('/login')).status).toBe(200); // reading is not blocked (WAL)
    const started = Date.now();
    const refused = await submitPassword(browser, dana); // counts the attempt and opens a session: writes
    const ms = Date.now() - started;
    console.info('SQLite lock held by another process: 503 after', ms, 'ms');
    expect(refused.status).toBe(503);
    expect(refused.body).toContain(UNAVAILABLE);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3000);
    expect(t().logLines.some((line) => line.includes('"fault":"busy"'))).toBe(true);

    await release(holder);
    expect((await submitPassword(browser, dana)).location).toBe('/mfa/setup');
  });

  it('a full disk: the upload answers 503 and writes nothing; with room again the same file imports', async () => {
    const { browser, patient } = await signedIn(t());
    const page = await browser.get(`/patients/${patient.id}`);
    const upload = () => {
      const { payload, contentType } = multipartUpload(csrfTokenIn(page.body)!, hourCsv(3, 2));
      return browser.request('POST', `/patients/${patient.id}/records`, payload, { 'content-type': contentType });
    };
    // SQLite's own ceiling on the file's size, set to its size now: the next page it needs is refused
    // with SQLITE_FULL, exactly as when the disk is full.
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t().ctx.db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(t().ctx.db);

    const full = await upload();
    expect(full.status).toBe(503);
    expect(full.body).toContain(UNAVAILABLE);
    expect(t().logLines.some((line) => line.includes('"fault":"disk_full"'))).toBe(true);
    expect(await t().ctx.db.selectFrom('records').select('id').execute()).toEqual([]);

    await sql.raw('pragma max_page_count = 1073741823').execute(t().ctx.db);
    expect((await upload()).status).toBe(303);
  });
});
