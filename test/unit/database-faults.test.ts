// Which failures are "the database is out of reach for a moment" (503, counted by kind) and which
// are bugs (500). The errors are shaped as node-postgres, pg-pool, Node and better-sqlite3 raise them.
import { describe, expect, it } from 'vitest';
import { classifyDatabaseError } from '../../src/db/faults.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database fault kinds', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'unavailable'],
    ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET'), 'unavailable'],
    ['a write to a closed socket', withCode('EPIPE', 'write EPIPE'), 'unavailable'],
    ['an unknown host', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND db'), 'unavailable'],
    ['pg_terminate_backend', withCode('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    ['a server starting up', withCode('57P03', 'the database system is starting up'), 'unavailable'],
    ['a connection exception (class 08)', withCode('08006'), 'unavailable'],
    ['a connection that ended', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['a client after a socket error', new Error('Client has encountered a connection error and is not queryable'), 'unavailable'],
    ['a closed pool', new Error('Cannot use a pool after calling end on the pool'), 'unavailable'],
    ['statement_timeout', withCode('57014', 'canceling statement due to statement timeout'), 'timeout'],
    ['query_timeout', new Error('Query read timeout'), 'timeout'],
    ['no free connection in time', new Error('timeout exceeded when trying to connect'), 'timeout'],
    ['a connection not opened in time', new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }), 'timeout'],
    ['too many connections', withCode('53300'), 'busy'],
    ['a deadlock', withCode('40P01'), 'busy'],
    ['SQLite locked by another process', withCode('SQLITE_BUSY', 'database is locked'), 'busy'],
    ['SQLite snapshot conflict', withCode('SQLITE_BUSY_SNAPSHOT'), 'busy'],
    ['SQLite full', withCode('SQLITE_FULL', 'database or disk is full'), 'disk_full'],
    ['PostgreSQL disk full', withCode('53100'), 'disk_full'],
    ['a socket error wrapped as a cause', new Error('query failed', { cause: withCode('ECONNRESET') }), 'unavailable'],
    ['every address refused (AggregateError)', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'), 'unavailable'],
  ])('%s: %s', (_name, error, kind) => {
    expect(classifyDatabaseError(error)).toBe(kind);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a syntax error', withCode('42601', 'syntax error at or near')],
    ['a refused login (waiting will not help)', withCode('28P01', 'password authentication failed')],
    ['a bug', new TypeError('Cannot read properties of undefined')],
    ['not an error', 'oops'],
    ['nothing', null],
  ])('%s is not a fault', (_name, error) => {
    expect(classifyDatabaseError(error)).toBeNull();
  });

  it('a cause that refers to itself does not loop', () => {
    const error = new Error('odd') as Error & { cause?: unknown };
    error.cause = error;
    expect(classifyDatabaseError(error)).toBeNull();
  });
});
