// Opens the database: an embedded SQLite file by default, PostgreSQL for a postgres:// URL.
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type KyselyConfig, type SqliteDatabase } from 'kysely';
import type { Config } from '../config.js';
import { preparePrivateDatabaseFile } from '../data-folder.js';
import { countSingleConnection, type PoolStats } from './pool-stats.js';
import { openPostgresPool } from './postgres.js';
import { SqliteBoundLimit } from './sqlite-bound-limit.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, without credentials: for start-up messages. */
  describe: string;
  /** Connections open, idle and awaited right now: for the metrics. */
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export type DatabaseOptions = Pick<Config, 'databaseUrl' | 'sqliteFile' | 'sqliteBusyTimeoutMs'
  | 'dbConnectTimeoutSeconds' | 'dbStatementTimeoutSeconds' | 'dbKeepAliveSeconds'> & {
  /** Called with the SQL of every statement sent, BEGIN and COMMIT included: tests and the bench count round trips with it. */
  onQuery?: (sql: string) => void;
};

/** Kysely's log hook for onQuery; none when nobody counts (the hook times every query). */
function queryLog(options: DatabaseOptions): KyselyConfig['log'] {
  const { onQuery } = options;
  return onQuery ? (event) => onQuery(event.query.sql) : undefined;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  return options.databaseUrl ? openPostgres(options) : openSqlite(options);
}

function openSqlite(options: DatabaseOptions): DatabaseHandle {
  const { sqliteFile: file, sqliteBusyTimeoutMs: busyTimeoutMs } = options;
  preparePrivateDatabaseFile(file);
  const sqlite = new SQLite(file, { timeout: busyTimeoutMs });
  // WAL lets readers and a writer (and a second process) share the file. A write waits for
  // another process's lock at most busyTimeoutMs (better-sqlite3 waits synchronously: the whole
  // server waits with it), then fails with SQLITE_BUSY, which the request answers with a 503.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const counted = countSingleConnection(new SqliteDialect({ database: withStatementCache(sqlite) }));
  const db = new Kysely<Database>({ dialect: counted.dialect, log: queryLog(options), plugins: [new SqliteBoundLimit()] });
  return { db, dialect: 'sqlite', describe: `SQLite ${file}`, poolStats: counted.stats, close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; compiling the SQL of a small query costs SQLite as much as
 * running it. The same SQL text (parameters are bound separately) reuses its statement. A
 * statement still being iterated (a streamed query) is busy, so a second user gets a fresh one.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (query: string) => {
      const cached = statements.get(query);
      statements.delete(query); // re-inserted last: the map's order is least recently used first
      const statement = cached && !cached.busy ? cached : sqlite.prepare(query);
      statements.set(query, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

function openPostgres(options: DatabaseOptions): DatabaseHandle {
  const pool = openPostgresPool(options.databaseUrl, {
    connectTimeoutMs: options.dbConnectTimeoutSeconds * 1000,
    statementTimeoutMs: options.dbStatementTimeoutSeconds * 1000,
    keepAliveMs: options.dbKeepAliveSeconds * 1000,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(options) });
  const { host, pathname } = new URL(options.databaseUrl);
  return { db, dialect: 'postgres', describe: `PostgreSQL ${host}${pathname}`, poolStats: () => pool.stats(), close: () => db.destroy() };
}
