// Opens the database: an embedded SQLite file by default, PostgreSQL for a postgres:// URL.
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { preparePrivateDatabaseFile } from '../data-folder.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, without credentials: for start-up messages. */
  describe: string;
  close(): Promise<void>;
}

const INT8_OID = 20;

export function openDatabase(options: { databaseUrl: string; sqliteFile: string }): DatabaseHandle {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqliteFile);
}

function openSqlite(file: string): DatabaseHandle {
  preparePrivateDatabaseFile(file);
  const sqlite = new SQLite(file);
  // WAL lets readers and a writer (and a second process) share the file; busy_timeout waits for
  // another process's write instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', describe: `SQLite ${file}`, close: () => db.destroy() };
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

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Times are epoch milliseconds in BIGINT columns: well inside Number's exact range.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const { host, pathname } = new URL(url);
  return { db, dialect: 'postgres', describe: `PostgreSQL ${host}${pathname}`, close: () => db.destroy() };
}
