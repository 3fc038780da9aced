// Everything start-up does before serving: open the database, bring its schema up to date, load
// the encryption keys, prepare the password hasher. Shared by the CLI, the tests and the benchmark.
import { createPasswordHasher } from './auth/passwords.js';
import { KeyringError, loadKeyring, type Keyring } from './auth/keyring.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { classifyDatabaseError } from './db/faults.js';
import { migrateToLatest } from './db/migrate.js';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';

export interface OpenedContext {
  ctx: AppContext;
  describeDatabase: string;
  close(): Promise<void>;
}

export async function openContext(config: Config, clock: Clock = systemClock): Promise<OpenedContext> {
  const keyring = loadKeyring(config); // before the database: a bad key must stop start-up early
  const database = openDatabase(config);
  try {
    await withinStartupTime(config, database.describe, async () => {
      await migrateToLatest(database.db);
      await checkKeysCoverSecrets(database.db, keyring);
    });
    const passwords = await createPasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations });
    const ctx: AppContext = { config, db: database.db, dialect: database.dialect, clock, keyring, passwords };
    return { ctx, describeDatabase: database.describe, close: () => database.close() };
  } catch (error) {
    // A database that stopped answering never finishes closing: do not wait on it to report.
    const closed = database.close().catch(() => {});
    if (!(error instanceof StartupError)) await closed;
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
