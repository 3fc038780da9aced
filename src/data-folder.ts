// HMS_DATA_DIR holds the SQLite database (health data, password hashes) and the encryption key
// file: only the account that runs HMS may read any of it. The folder is made (or tightened to)
// mode 0700, the database created 0600, and a database file others can read stops start-up, as a
// readable key file does.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

export class DataFolderError extends Error {}

/**
 * Makes the data folder private when this instance keeps anything in it (a SQLite database, or
 * the generated key file). Returns what it changed, for the log.
 */
export function prepareDataFolder(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'encryptionKeys'>): string[] {
  if (config.databaseUrl && config.encryptionKeys) return [];
  return [tightenFolder(config.dataDir)].filter((notice): notice is string => notice !== null);
}

function tightenFolder(dir: string): string | null {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  fs.chmodSync(dir, 0o700);
  return `Made ${dir} private (mode ${mode.toString(8)} → 700): it holds health data, password hashes and keys.`;
}

/**
 * Creates the SQLite file 0600 if it does not exist (SQLite gives its -wal and -shm files the same
 * mode), and refuses any of the three that others may read.
 */
export function preparePrivateDatabaseFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = fs.statSync(candidate).mode & 0o777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (mode & 0o077) {
      throw new DataFolderError(`${candidate} can be read by other users (mode ${mode.toString(8)}): it holds health data and password hashes. `
        + `Run: chmod 600 ${file}*`);
    }
  }
}
