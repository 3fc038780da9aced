// SQLite would prepare a statement again on every run if its LIMIT were a bare bound parameter
// (src/db/sqlite-bound-limit.ts): every `.limit(n)` reaches it as `limit cast(? as integer)`,
// still bound, so one statement serves every value and each value is honoured.
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { sqlite } from '../support/databases.js';

describeOnEachDatabase('LIMIT as a bound value', (database) => {
  const t = freshAppPerTest(database);

  it('every limit is a bound parameter, cast on SQLite only; each value returns as many rows', async () => {
    const statements: string[] = [];
    const handle = openDatabase({ ...t().ctx.config, onQuery: (statement) => statements.push(statement) });
    // Kysely's own table, filled by the migrations: rows to limit without writing any.
    const db = handle.db as unknown as Kysely<{ kysely_migration: { name: string } }>;
    try {
      const migrations = (limit: number) => db.selectFrom('kysely_migration').select('name').orderBy('name').limit(limit).execute();
      const all = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
      expect(all.length).toBeGreaterThan(5);
      expect(await migrations(2)).toEqual(all.slice(0, 2));
      expect(await migrations(5)).toEqual(all.slice(0, 5));
      // The values are bound, never written into the SQL: one statement text for every limit.
      const limited = statements.filter((statement) => /\blimit\b/.test(statement));
      expect(new Set(limited).size).toBe(1);
      expect(limited[0]).toMatch(database === sqlite ? /limit cast\(\? as integer\)$/ : /limit \$1$/);
      // A LIMIT inside a subquery is cast once, like any other.
      const latest = db.selectFrom('kysely_migration').select('name').orderBy('name', 'desc').limit(1);
      const sql = db.selectNoFrom((eb) => eb(latest, '=', all.at(-1)!.name).as('is_latest')).compile().sql;
      expect(sql).toMatch(database === sqlite ? /limit cast\(\? as integer\)\)/ : /limit \$1\)/);
      expect(sql).not.toMatch(/cast\(cast/);
    } finally {
      await handle.close();
    }
  });
});
