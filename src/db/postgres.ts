// PostgreSQL through node-postgres, with every wait time-boxed and every connection error handled.
// A connection that fails (reset, terminated, silent past its limit) is dropped from the pool, the
// request that met it fails at once with an error faults.ts classifies, and the next request gets
// a fresh connection: no restart needed when the database comes back, and never an unhandled
// 'error' event, which would end the process.
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { classifyDatabaseError } from './faults.js';
import type { PoolStats } from './pool-stats.js';

export interface PostgresLimits {
  /** Opening a connection, or waiting for a free one of the pool. */
  connectTimeoutMs: number;
  /** One statement, counted from when it asked for a connection. */
  statementTimeoutMs: number;
  /** Silence before TCP keep-alive probes start on a connection. */
  keepAliveMs: number;
}

const POOL_SIZE = 10;
const INT8_OID = 20;
/** A statement that waited long for its connection still gets this long to run. */
const LEAST_STATEMENT_MS = 1000;
/** Closing: how long connections get to say goodbye before their sockets are cut. */
const CLOSE_GRACE_MS = 1000;

/** Kysely's view of the pool, and the counts the metrics report. */
export interface CountedPostgresPool extends PostgresPool {
  stats(): PoolStats;
}

export function openPostgresPool(url: string, limits: PostgresLimits): CountedPostgresPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: limits.keepAliveMs,
    // The server's own limits: it cancels a slow statement, and ends a session left inside a
    // transaction by a client that vanished (its locks would otherwise stay taken).
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: limits.statementTimeoutMs,
    application_name: 'hms',
    // Times are epoch milliseconds in BIGINT columns: well inside Number's exact range.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const connected = new Set<pg.Client>();
  // pg-pool listens for errors of idle clients only; a checked-out client whose socket fails with
  // no query running emits 'error' with nobody listening, which ends the process. Every client
  // gets a listener for its whole life; the failure itself reaches the next query (not queryable),
  // and pg-pool drops such a client when it is released.
  pool.on('connect', (client) => {
    connected.add(client);
    client.on('error', () => {});
  });
  pool.on('remove', (client) => connected.delete(client));
  pool.on('error', () => {});

  return {
    stats: () => ({ size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POOL_SIZE }),
    async connect() {
      const askedAt = Date.now();
      return new Checkout(await pool.connect(), askedAt, limits.statementTimeoutMs);
    },
    async end() {
      // A connection to a database that stopped answering never finishes its goodbye.
      const cut = setTimeout(() => {
        for (const client of connected) client.connection.stream.destroy();
      }, CLOSE_GRACE_MS);
      try {
        await pool.end();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}

/** One use of a pooled connection by Kysely: a query, or a transaction. */
class Checkout implements PostgresPoolClient {
  #used = false;
  /** The fault this connection met: it is not used again and leaves the pool when released. */
  #broken: Error | null = null;

  constructor(private readonly client: pg.PoolClient, private readonly askedAt: number, private readonly statementTimeoutMs: number) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sql: string | PostgresCursor<R>, parameters: ReadonlyArray<unknown> = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sql !== 'string') throw new Error('HMS does not stream query results from PostgreSQL (no cursor configured)');
    return this.#run<R>(sql, parameters);
  }

  async #run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    // After a timeout the connection still carries the unanswered statement: anything sent now
    // (Kysely's ROLLBACK, say) would wait behind it for another full limit.
    if (this.#broken) throw this.#broken;
    const waited = this.#used ? 0 : Date.now() - this.askedAt;
    this.#used = true;
    try {
      // query_timeout per query is read by pg's Client.query, though @types/pg does not declare it.
      const config: pg.QueryConfig = { text: sql, values: [...parameters] };
      const result = await this.client.query(Object.assign(config, {
        query_timeout: Math.max(LEAST_STATEMENT_MS, this.statementTimeoutMs - waited),
      }));
      return result as unknown as PostgresQueryResult<R>;
    } catch (error) {
      const fault = classifyDatabaseError(error);
      if (fault === 'unavailable' || fault === 'timeout') this.#broken = error as Error;
      throw error;
    }
  }

  release(destroy?: boolean): void {
    this.client.release(this.#broken ?? (destroy ? true : undefined));
  }
}
