// The few places where SQLite and PostgreSQL DDL differ.
import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';

export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function binaryType<DB>(db: Kysely<DB>): 'bytea' | 'blob' {
  return isPostgres(db) ? 'bytea' : 'blob';
}

/** A CHECK expression limiting a column to fixed values (constants only, never user input). */
export function oneOf(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}

/** An integer key the database numbers itself: ordering of rows written in the same millisecond. */
export function autoIncrementKey<DB>(db: Kysely<DB>, table: CreateTableBuilder<string, never>, column: string): CreateTableBuilder<string, string> {
  return isPostgres(db)
    ? table.addColumn(column, 'bigserial', (c) => c.primaryKey())
    : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}
