// Backups. SQLite: an online copy with SQLite's backup API, taken in one step under one read
// transaction (WAL lets HMS go on writing meanwhile), so the copy is one consistent moment: an
// import that was committing is in it whole or not at all. PostgreSQL: pg_dump does it better
// than HMS could, so HMS says exactly how to run it.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema.js';

export class BackupError extends Error {}

export interface SqliteBackup {
  file: string;
  bytes: number;
}

/** Every remaining page in one step: a stepped copy would restart each time HMS writes. */
const ALL_PAGES = 0x7fffffff;

export async function backupSqlite(sqliteFile: string, destination: string): Promise<SqliteBackup> {
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists: choose another file name (backups are never overwritten).`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`The folder ${path.dirname(target)} does not exist.`);
  if (!fs.existsSync(sqliteFile)) throw new BackupError(`There is no HMS database at ${sqliteFile} (check HMS_DATA_DIR).`);
  // Written next to the target and renamed when verified: a crash never leaves a half backup under its name.
  const partial = `${target}.partial-${process.pid}`;
  const source = new SQLite(sqliteFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The backup could not be written: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  try {
    checkIntegrity(partial);
    fs.chmodSync(partial, 0o600); // health data: readable by HMS's user only, like the database
    const handle = fs.openSync(partial, 'r');
    fs.fsyncSync(handle);
    fs.closeSync(handle);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file: target, bytes: fs.statSync(target).size };
}

function checkIntegrity(file: string): void {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    const result = copy.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`The copy failed SQLite's integrity check (${String(result)}); it was not kept.`);
    // A single file: nothing left in a -wal beside it.
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/**
 * The pg_dump command that backs up this HMS database: custom format (compressed, restorable
 * table by table with pg_restore), HMS's schema only when it is not "public". The password is
 * left out of the printed URL: pg_dump reads it from PGPASSWORD or ~/.pgpass.
 */
export async function pgDumpCommand(db: Kysely<Database>, databaseUrl: string, destination: string): Promise<{ command: string; passwordLeftOut: boolean }> {
  const url = new URL(databaseUrl);
  const passwordLeftOut = url.password !== '';
  url.password = '';
  // libpq reads %20 as a space but not "+", which URLSearchParams writes: spell the query out for it.
  url.search = [...url.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ?? 'public';
  const parts = ['pg_dump', '--format=custom', `--file=${shellQuote(path.resolve(destination))}`, `--dbname=${shellQuote(url.toString())}`];
  if (schema !== 'public') parts.push(`--schema=${shellQuote(schema)}`);
  return { command: parts.join(' '), passwordLeftOut };
}

function shellQuote(text: string): string {
  return /^[\w./:@=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
