// Everything start-up does before serving: open the database, bring its schema up to date, load
// the encryption keys, prepare the password hasher. Shared by the CLI, the tests and the benchmark.
import { createPasswordHasher } from './auth/passwords.js';
import { loadKeyring } from './auth/keyring.js';
import { checkKeysOpenSecrets } from './auth/sealed-secrets.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { prepareDataFolder } from './data-folder.js';
import { openDatabase } from './db/database.js';
import { classifyDatabaseError } from './db/faults.js';
import { migrateToLatest } from './db/migrate.js';
import { observeDatabase } from './metrics/registry.js';

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
  const unobserve = observeDatabase(database.poolStats);
  const close = async () => {
    unobserve();
    await database.close();
  };
  try {
    await withinStartupTime(config, database.describe, async () => {
      await migrateToLatest(database.db);
      await checkKeysOpenSecrets({ db: database.db, clock, keyring });
    });
    const passwords = await createPasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations });
    const ctx: AppContext = { config, db: database.db, dialect: database.dialect, clock, keyring, passwords };
    return { ctx, describeDatabase: database.describe, notices, close };
  } catch (error) {
    // A database that stopped answering never finishes closing: do not wait on it to report.
    const closed = close().catch(() => {});
    if (!(error instanceof StartupError)) await closed;
    throw error;
  }
}

/** Start-up could not reach or use the database: the message names the setting to check. */
export class StartupError extends Error {}

const RETRY_MS = 1000;

/**
 * Runs the first steps on the database, trying again while it is out of reach (it may be starting
 * too), and gives up after HMS_STARTUP_TIMEOUT_SECONDS whatever the database does.
 */
export async function withinStartupTime(config: Config, describe: string, steps: () => Promise<void>): Promise<void> {
  const seconds = config.startupTimeoutSeconds;
  const deadline = Date.now() + seconds * 1000;
  let lastError: unknown = null;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(startupError(config, describe, lastError, seconds)), seconds * 1000);
  });
  const attempts = (async () => {
    while (!done) {
      try {
        return await steps();
      } catch (error) {
        if (refusedAccess(error)) throw startupError(config, describe, error, null);
        if (!classifyDatabaseError(error)) throw error;
        lastError = error;
        if (Date.now() + RETRY_MS >= deadline) throw startupError(config, describe, error, seconds);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
  try {
    await Promise.race([attempts, expired]);
  } finally {
    done = true;
    clearTimeout(timer);
    attempts.catch(() => {}); // the loser of the race, answered or not, is no longer anyone's concern
  }
}

/** PostgreSQL refused this login or database (SQLSTATE class 28, 3D000): waiting will not help. */
function refusedAccess(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000');
}

function startupError(config: Config, describe: string, cause: unknown, seconds: number | null): StartupError {
  const where = config.databaseUrl ? `DATABASE_URL: ${describe}` : `DATABASE_URL is empty: ${describe}`;
  const why = cause instanceof Error ? cause.message : 'it did not answer';
  const when = seconds === null ? '' : ` within ${seconds} s of starting`;
  return new StartupError(`HMS could not use its database (${where})${when}: ${why}. `
    + 'Check that the database is running and reachable from here, and that DATABASE_URL is right.');
}
