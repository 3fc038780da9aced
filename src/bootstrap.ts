// Everything start-up does before serving: open the database, bring its schema up to date, load
// the encryption keys, prepare the password hasher. Shared by the CLI, the tests and the benchmark.
import { createPasswordHasher } from './auth/passwords.js';
import { KeyringError, loadKeyring, type Keyring } from './auth/keyring.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { prepareDataFolder } from './data-folder.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';

export interface OpenedContext {
  ctx: AppContext;
  describeDatabase: string;
  /** What start-up changed that an operator should know (a data folder made private), for the log. */
  notices: string[];
  close(): Promise<void>;
}

export async function openContext(config: Config, clock: Clock = systemClock): Promise<OpenedContext> {
  const notices = prepareDataFolder(config);
  const keyring = loadKeyring(config); // before the database: a bad key must stop start-up early
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    await checkKeysCoverSecrets(database.db, keyring);
    const passwords = await createPasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations });
    const ctx: AppContext = { config, db: database.db, dialect: database.dialect, clock, keyring, passwords };
    return { ctx, describeDatabase: database.describe, notices, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Refuses to start when stored secrets use a key this instance does not have (a second instance
 * with its own generated key file, a lost key): better than failing at every sign-in.
 */
async function checkKeysCoverSecrets(db: Kysely<Database>, keyring: Keyring): Promise<void> {
  const used = await db.selectFrom('totp_credentials').select('key_id').distinct().execute();
  const missing = used.map((row) => row.key_id).filter((id) => !keyring.byId.has(id));
  if (missing.length > 0) {
    throw new KeyringError(`Authenticator secrets in the database are encrypted with key(s) ${missing.join(', ')}, which this instance does not have. `
      + 'Every instance must share the same keys: set HMS_ENCRYPTION_KEYS (see `hms keygen`) or copy the key file.');
  }
}
