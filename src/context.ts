// What the domain services need, built once at start-up and passed down explicitly.
import type { Kysely } from 'kysely';
import type { PasswordHasher } from './auth/passwords.js';
import type { Keyring } from './auth/keyring.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DialectName } from './db/database.js';
import type { Database } from './db/schema.js';

export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  keyring: Keyring;
  passwords: PasswordHasher;
  /**
   * Where audit events are also written, with the request id when it is a request's logger.
   * Absent at the command line: there the database row is the record.
   */
  log?: EventLog;
}

/** The one thing the domain asks of a logger (pino's, Fastify's). */
export interface EventLog {
  info(fields: object, message: string): void;
}
