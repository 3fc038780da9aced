// What the start-up key check and `hms rekey` need of a table whose rows each hold one sealed
// secret, written once for all of them (authenticator secrets, recovery codes awaiting "saved",
// queued mail holding a link). The module that owns the table names its columns and says how a
// row opens; this file only reads those rows and re-seals them in place.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { DecryptionError, opens, seal } from './secret-box.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring'>;

/** One table of sealed secrets, as sealed-secrets.ts walks them. */
export interface SealedStore {
  /** For messages: "authenticator secrets". */
  what: string;
  /** The key ids its rows are sealed under. */
  keyIds(ctx: Ctx): Promise<string[]>;
  /** Whether some of the (first few) rows sealed under this key id open with the key ring. */
  opensWith(ctx: Ctx, keyId: string): Promise<boolean>;
  /** Rows not yet under the current key. */
  countStale(ctx: Ctx): Promise<number>;
  /** How `hms rekey` settles a row no key opens, if it does rather than stop (see SealedTable.unopenable). */
  settles?: Settling;
  /** Re-seals up to `limit` of them under the current key, in one transaction. */
  rekeyBatch(ctx: Ctx, limit: number): Promise<RekeyedBatch>;
}

/** Said of the rows settled: the audit detail that counts them, and for the operator a noun and what happened. */
export interface Settling {
  detail: string;
  noun: string;
  told: string;
}

/** What a batch did with the rows it took: re-sealed under the current key, or settled as ones no key opens. */
export interface RekeyedBatch {
  resealed: number;
  settled: number;
}

type SealedTableName = 'totp_credentials' | 'recovery_code_reveals' | 'mail_outbox';

export interface SealedTable<Row> {
  what: string;
  table: SealedTableName;
  /** Its primary key, the key id and the ciphertext columns. Rows with either of the last two null hold no secret. */
  columns: { id: string; keyId: string; ciphertext: string };
  /** The row's plaintext; throws DecryptionError when the key ring does not open it. */
  open(ctx: Pick<AppContext, 'keyring'>, row: Row): Buffer;
  /** The context the row's secret is bound to when sealed again. */
  context(row: Row): string;
  /** A row no key opens, met by `hms rekey`: settle it through `ctx.db` (the batch's transaction), or throw to stop. */
  unopenable(ctx: Ctx, row: Row): Promise<void>;
  /** Given when `unopenable` settles rather than throws: how the operator and the audit log are told. */
  settles?: Settling;
}

/** The SealedStore of a table: every query here is the same for each table but its names. */
export function sealedTableStore<Row>(spec: SealedTable<Row>): SealedStore {
  const { id, keyId, ciphertext } = spec.columns;
  // Column names come from the owning module, not from input: the one place typing gives way.
  const holding = (db: Kysely<Database>) => (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
    .selectFrom(spec.table).where(keyId, 'is not', null).where(ciphertext, 'is not', null);
  const stale = (ctx: Ctx, db: Kysely<Database>) => holding(db).where(keyId, '!=', ctx.keyring.current.id);
  return {
    what: spec.what,
    settles: spec.settles,
    async keyIds(ctx) {
      return (await holding(ctx.db).select(keyId).distinct().execute()).map((row) => row[keyId] as string);
    },
    async opensWith(ctx, keyIdToCheck) {
      const rows = await holding(ctx.db).selectAll().where(keyId, '=', keyIdToCheck).limit(5).execute();
      return rows.some((row) => opens(() => spec.open(ctx, row as Row)));
    },
    async countStale(ctx) {
      const row = await stale(ctx, ctx.db).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    rekeyBatch: (ctx, limit) => ctx.db.transaction().execute(async (trx) => {
      const rows = await stale(ctx, trx).selectAll().orderBy(id).limit(limit).execute();
      let settled = 0;
      for (const row of rows) {
        let plaintext: Buffer;
        try {
          plaintext = spec.open(ctx, row as Row);
        } catch (error) {
          if (!(error instanceof DecryptionError)) throw error;
          await spec.unopenable({ ...ctx, db: trx }, row as Row);
          settled += 1;
          continue;
        }
        const sealed = seal(ctx.keyring, plaintext, spec.context(row as Row));
        // Only if untouched since it was read: a row replaced meanwhile was sealed under the current key anyway.
        await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>).updateTable(spec.table)
          .set({ [keyId]: sealed.keyId, [ciphertext]: sealed.ciphertext })
          .where(id, '=', row[id]).where(keyId, '=', row[keyId]).execute();
      }
      return { resealed: rows.length - settled, settled };
    }),
  };
}
