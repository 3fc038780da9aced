// The one place that decides whether a failed query means "the database is out of reach for the
// moment" — answered 503 and counted by kind — rather than a bug (answered 500). Both databases.

/**
 * - unavailable: no connection (refused, reset, terminated by the server, pool closed);
 * - timeout: a connection or a statement took longer than its limit;
 * - busy: a lock or the connection limit stood in the way (SQLite's other process, a deadlock);
 * - disk_full: the database could not write for lack of space.
 */
export const DATABASE_FAULTS = ['unavailable', 'timeout', 'busy', 'disk_full'] as const;
export type DatabaseFault = (typeof DATABASE_FAULTS)[number];

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN',
  'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT',
]);

// PostgreSQL SQLSTATE codes (Appendix A of its manual). Class 08 is "connection exception".
const POSTGRES_CODES: Record<string, DatabaseFault> = {
  '57014': 'timeout', // query_canceled: statement_timeout
  '25P03': 'timeout', // idle_in_transaction_session_timeout
  '57P01': 'unavailable', // admin_shutdown: pg_terminate_backend, a restart or failover
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now: starting up or in recovery
  '53300': 'busy', // too_many_connections
  '55P03': 'busy', // lock_not_available
  '40P01': 'busy', // deadlock_detected
  '53100': 'disk_full',
};

// node-postgres and pg-pool report their own limits and lost connections as plain Errors.
const DRIVER_MESSAGES: [string, DatabaseFault][] = [
  ['Query read timeout', 'timeout'],
  ['timeout exceeded when trying to connect', 'timeout'],
  ['Connection terminated due to connection timeout', 'timeout'],
  ['Connection terminated', 'unavailable'],
  ['Client has encountered a connection error and is not queryable', 'unavailable'],
  ['Client was closed and is not queryable', 'unavailable'],
  ['Cannot use a pool after calling end on the pool', 'unavailable'],
  ['driver has already been destroyed', 'unavailable'],
];

/** What kind of database fault this error is, or null when it is something else (a bug, bad SQL, a constraint). */
export function classifyDatabaseError(error: unknown): DatabaseFault | null {
  // Drivers wrap the socket's error (`cause`); Node's connection attempts to several addresses
  // report each one (`errors`).
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0 && seen.size < 10) {
    const current = pending.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const kind = classifyOne(current as { code?: unknown; message?: unknown });
    if (kind) return kind;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    pending.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return null;
}

function classifyOne(error: { code?: unknown; message?: unknown }): DatabaseFault | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('SQLITE_')) return sqliteFault(code);
  if (POSTGRES_CODES[code]) return POSTGRES_CODES[code];
  if (/^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
  if (NETWORK_CODES.has(code)) return code === 'ETIMEDOUT' ? 'timeout' : 'unavailable';
  const message = typeof error.message === 'string' ? error.message : '';
  return DRIVER_MESSAGES.find(([start]) => message.startsWith(start))?.[1] ?? null;
}

function sqliteFault(code: string): DatabaseFault | null {
  if (code === 'SQLITE_FULL') return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') return 'unavailable';
  return null;
}
