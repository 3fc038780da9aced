// A transaction that no other process runs at the same time under the same name: for the rare
// start-up decisions that must be taken once however many instances start together.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect-types.js';
import type { Database } from './schema.js';

export async function exclusively<T>(db: Kysely<Database>, name: string, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) {
    // Held until the transaction ends; the other instances wait for it, then see what it wrote.
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
      return work(trx);
    });
  }
  // SQLite: BEGIN IMMEDIATE takes the database's write lock before anything is read, so a second
  // process waits (busy timeout) and then reads what the first committed.
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
