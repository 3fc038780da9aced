// A serving process copies SQLite's write-ahead log back into the database file on a worker thread
// (src/db/background-checkpoints.ts), so that no request's commit waits for a checkpoint. What a
// reader of the database file alone (without its -wal) sees tells who copied what, and when.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/auth/audit.js';
import { checkpointInBackground, SAFETY_NET_PAGES, type BackgroundCheckpoints } from '../../src/db/background-checkpoints.js';
import { startServer } from '../support/cli.js';
import { sqlite } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const INTERVAL_MS = 50;

let app: TestApp | undefined;
let checkpoints: BackgroundCheckpoints | undefined;
afterEach(async () => {
  await checkpoints?.stop();
  await app?.close();
  checkpoints = undefined;
  app = undefined;
});

const logLines: string[] = [];
const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => { logLines.push(String(chunk)); done(); } }));

/** The rows of `query` in the database file on its own: what checkpoints have copied there so far. */
function inFileAlone(file: string, query: string): unknown[] {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-ckpt-')), 'copy.sqlite');
  fs.copyFileSync(file, copy); // the file only: its -wal stays behind
  const db = new SQLite(copy, { readonly: true });
  try {
    return db.prepare(query).all();
  } finally {
    db.close();
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
}

const eventsInFileAlone = (file: string) => inFileAlone(file, 'select event from audit_events').map((row) => (row as { event: string }).event);

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS / 2));
  }
  return check();
}

/** The schema and everything before the test, copied into the file, as a clean start. */
async function startFromCleanFile(): Promise<{ file: string; db: TestApp['ctx']['db'] }> {
  app = await startTestApp(sqlite);
  await sql`pragma wal_checkpoint(truncate)`.execute(app.ctx.db);
  return { file: app.ctx.config.sqliteFile, db: app.ctx.db };
}

const record = (event: string) => recordEvent(app!.ctx, { event: event as 'admin.mail_resent', details: {} });

describe('SQLite checkpoints off the request path', () => {
  it('a commit of the serving connection leaves the log alone; the worker copies it into the file within its interval', async () => {
    const { file, db } = await startFromCleanFile();
    await record('before.worker');
    // A few pages, far below SQLite's own threshold: without the worker nothing copies them.
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS));
    expect(eventsInFileAlone(file)).not.toContain('before.worker');

    checkpoints = await checkpointInBackground(db, file, log, INTERVAL_MS);
    await record('with.worker');
    expect(await waitFor(() => eventsInFileAlone(file).includes('with.worker'), 40 * INTERVAL_MS)).toBe(true);
    expect(eventsInFileAlone(file)).toContain('before.worker');
  });

  it('while the worker runs, the serving connection checkpoints only past the safety net; once stopped, nothing is copied', async () => {
    const { file, db } = await startFromCleanFile();
    const threshold = async () => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]!.wal_autocheckpoint;
    expect(await threshold()).toBe(1000);
    checkpoints = await checkpointInBackground(db, file, log, INTERVAL_MS);
    expect(await threshold()).toBe(SAFETY_NET_PAGES);

    await checkpoints.stop();
    checkpoints = undefined;
    await record('after.stop');
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS));
    expect(eventsInFileAlone(file)).not.toContain('after.stop');
  });

  it('a worker that cannot open the database fails the start, and the serving connection keeps checkpointing itself', async () => {
    app = await startTestApp(sqlite);
    const missing = path.join(app.database.dataDir, 'no-such.sqlite');
    await expect(checkpointInBackground(app.ctx.db, missing, log, INTERVAL_MS)).rejects.toThrow(/could not open .*no-such\.sqlite/);
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(app.ctx.db)).rows[0]!.wal_autocheckpoint).toBe(1000);
  });

  it('`hms serve` runs them: the schema it migrated at start-up reaches the file while it serves', async () => {
    const database = await sqlite.create();
    const server = await startServer({ ...database.env, PORT: '0', HOST: '127.0.0.1', HMS_LOG_LEVEL: 'warn' });
    try {
      const file = path.join(database.dataDir, 'hms.sqlite');
      const migrated = () => {
        try {
          return inFileAlone(file, 'select name from kysely_migration').length > 0;
        } catch {
          return false; // not there yet: the file holds no schema until a checkpoint copies it
        }
      };
      // Migrations write a few hundred pages: below SQLite's own threshold, only the worker copies them.
      expect(await waitFor(migrated, 5000)).toBe(true);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
