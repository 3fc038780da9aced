// Everything start-up does before serving: open the database, bring its schema up to date, load
// the encryption keys, prepare the password hasher. Shared by the CLI, the tests and the benchmark.
import { createPasswordHasher } from './auth/passwords.js';
import { loadKeyring } from './auth/keyring.js';
import { checkKeysOpenSecrets } from './auth/sealed-secrets.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { observeDatabase } from './metrics/registry.js';

export interface OpenedContext {
  ctx: AppContext;
  describeDatabase: string;
  close(): Promise<void>;
}

export async function openContext(config: Config, clock: Clock = systemClock): Promise<OpenedContext> {
  const keyring = loadKeyring(config); // before the database: a bad key must stop start-up early
  const database = openDatabase(config);
  const unobserve = observeDatabase(database.poolStats);
  const close = async () => {
    unobserve();
    await database.close();
  };
  try {
    await migrateToLatest(database.db);
    await checkKeysOpenSecrets({ db: database.db, clock, keyring });
    const passwords = await createPasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations });
    const ctx: AppContext = { config, db: database.db, dialect: database.dialect, clock, keyring, passwords };
    return { ctx, describeDatabase: database.describe, close };
  } catch (error) {
    await close();
    throw error;
  }
}

