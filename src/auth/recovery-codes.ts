// The only writer of recovery_codes and recovery_code_reveals. Ten single-use codes per account
// for when the phone is lost, stored only as Argon2id hashes (ASVS 6.5.2). Right after they are
// generated, the session that asked may read them back (encrypted at rest) until the user says
// they saved them: for a reload of the page and the .txt download.
import { randomInt } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { RecoveryCodeReveal } from '../db/schema.js';
import { open, seal } from './secret-box.js';
import { sealedTableStore, type SealedStore } from './sealed-table.js';
import { newId } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring' | 'passwords'>;

export const RECOVERY_CODE_COUNT = 10;
/** At or below this many unused codes, the account page and each sign-in urge new ones. */
export const RECOVERY_CODES_LOW = 3;
/**
 * Crockford's base32: no I, L, O or U, so nothing reads as another character. 10 characters
 * × 5 bits = 50 bits per code, far beyond what the attempt limits let anyone try online.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_CHARACTERS = 10;
/**
 * Kept in clear to pick the hash to check: 10 of the 50 bits. Checking a typed code then costs one
 * Argon2id verification instead of ten; a stolen database still leaves 40 bits per code behind
 * Argon2id at 19 MiB, out of reach of offline guessing.
 */
const LOOKUP_CHARACTERS = 2;

export type RecoveryCodeCheck = { outcome: 'accepted'; remaining: number } | { outcome: 'wrong' } | { outcome: 'already-used' };

/** "abcde-fghij" */
export function formatRecoveryCode(characters: string): string {
  return `${characters.slice(0, 5)}-${characters.slice(5)}`;
}

/**
 * What people type, in the canonical form, or null when it cannot be a code: case and spaces or
 * hyphens do not matter, and the letters Crockford's alphabet leaves out read as their look-alikes.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const characters = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  if (characters.length !== CODE_CHARACTERS || [...characters].some((c) => !ALPHABET.includes(c))) return null;
  return characters;
}

function randomCode(): string {
  return Array.from({ length: CODE_CHARACTERS }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

const revealContext = (sessionHash: string, userId: string) => `recovery-codes:${sessionHash}:${userId}`;

/**
 * A new set of codes for the account: the old set stops working in the same transaction, and the
 * session that asked may read the new ones back until savedRecoveryCodes. Returns them formatted.
 */
export async function generateRecoveryCodes(ctx: Ctx, userId: string, sessionHash: string): Promise<string[]> {
  const set = await newRecoveryCodeSet(ctx); // before the transaction: it is slow
  await ctx.db.transaction().execute((trx) => storeRecoveryCodes({ ...ctx, db: trx }, userId, sessionHash, set));
  return set.codes.map(formatRecoveryCode);
}

/** Ten fresh codes and their Argon2id hashes, not yet stored anywhere. */
export interface RecoveryCodeSet {
  codes: string[];
  hashes: string[];
}

/** Draws and hashes a set (about 0.2 s of hashing): do it before opening a transaction. */
export async function newRecoveryCodeSet(ctx: Pick<AppContext, 'passwords'>): Promise<RecoveryCodeSet> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
  return { codes, hashes: await Promise.all(codes.map((code) => ctx.passwords.hash(code))) };
}

/**
 * Makes the set the account's codes, replacing the old ones, readable back by `sessionHash`.
 * Run it inside a transaction (`ctx.db`): several statements that must land together.
 */
export async function storeRecoveryCodes(ctx: Ctx, userId: string, sessionHash: string, set: RecoveryCodeSet): Promise<void> {
  const now = ctx.clock.now();
  const sealed = seal(ctx.keyring, Buffer.from(set.codes.map(formatRecoveryCode).join('\n')), revealContext(sessionHash, userId));
  await ctx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await ctx.db.insertInto('recovery_codes').values(set.codes.map((code, i) => ({
    id: newId(), user_id: userId, lookup: code.slice(0, LOOKUP_CHARACTERS), code_hash: set.hashes[i]!, created_at: now, used_at: null, confirmed_at: null,
  }))).execute();
  await ctx.db.deleteFrom('recovery_code_reveals').where('user_id', '=', userId).execute();
  await ctx.db.insertInto('recovery_code_reveals').values({
    session_hash: sessionHash, user_id: userId, key_id: sealed.keyId, codes_ciphertext: sealed.ciphertext, created_at: now,
  }).execute();
}

/** The codes this session was just shown and has not yet confirmed saving, or null. */
export async function revealedRecoveryCodes(ctx: Ctx, sessionHash: string): Promise<string[] | null> {
  const reveal = await ctx.db.selectFrom('recovery_code_reveals').selectAll().where('session_hash', '=', sessionHash).executeTakeFirst();
  if (!reveal) return null;
  return openReveal(ctx, reveal).toString().split('\n');
}

type Reveal = Pick<RecoveryCodeReveal, 'session_hash' | 'user_id' | 'key_id' | 'codes_ciphertext'>;

function openReveal(ctx: Pick<AppContext, 'keyring'>, reveal: Reveal): Buffer {
  return open(ctx.keyring, { keyId: reveal.key_id, ciphertext: Buffer.from(reveal.codes_ciphertext) }, revealContext(reveal.session_hash, reveal.user_id));
}

/**
 * The user saved the codes shown to this session: nothing can show them again, and the set counts
 * as confirmed. False when this session had no codes awaiting (already saved, or replaced).
 */
export async function savedRecoveryCodes(ctx: Ctx, sessionHash: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const reveal = await trx.deleteFrom('recovery_code_reveals').where('session_hash', '=', sessionHash).returning('user_id').executeTakeFirst();
    if (!reveal) return false;
    await confirmSet(trx, reveal.user_id, ctx.clock.now());
    return true;
  });
}

/**
 * The user says they have the codes of a set they were shown earlier but never confirmed (the
 * page was left before the box was ticked). False when there was nothing to confirm.
 */
export async function confirmRecoveryCodes(ctx: Ctx, userId: string): Promise<boolean> {
  return (await confirmSet(ctx.db, userId, ctx.clock.now())) > 0;
}

async function confirmSet(db: Ctx['db'], userId: string, now: number): Promise<number> {
  const result = await db.updateTable('recovery_codes').set({ confirmed_at: now })
    .where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What the account's current set looks like: codes left, and whether the user confirmed saving it. */
export interface RecoveryCodeStanding {
  left: number;
  /** A set exists and the user never said they saved it: they may not have it. */
  unconfirmed: boolean;
}

export async function recoveryCodeStanding(ctx: Pick<AppContext, 'db'>, userId: string): Promise<RecoveryCodeStanding> {
  const row = await ctx.db.selectFrom('recovery_codes')
    .select((eb) => [
      eb.fn.count<number>(eb.case().when('used_at', 'is', null).then(1).end()).as('left'),
      eb.fn.count<number>(eb.case().when('confirmed_at', 'is', null).then(1).end()).as('unconfirmed'),
    ])
    .where('user_id', '=', userId).executeTakeFirstOrThrow();
  return { left: Number(row.left), unconfirmed: Number(row.unconfirmed) > 0 };
}

export async function remainingRecoveryCodes(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  const row = await ctx.db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Removes every recovery code of the account (MFA reset by support). */
export async function removeRecoveryCodes(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  await ctx.db.deleteFrom('recovery_code_reveals').where('user_id', '=', userId).execute();
  const result = await ctx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** When the current set was generated, or null when the account has none. */
export async function recoveryCodesCreatedAt(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number | null> {
  const row = await ctx.db.selectFrom('recovery_codes').select('created_at').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return row?.created_at ?? null;
}

/**
 * Uses a code (already normalized). Each code works once: it is spent with a conditional UPDATE,
 * so of two requests with the same code, on any number of instances, exactly one is accepted.
 * Always at least one Argon2id verification, so the time taken does not tell whether the first
 * two characters matched a code.
 */
export async function useRecoveryCode(ctx: Ctx, userId: string, code: string): Promise<RecoveryCodeCheck> {
  const candidates = await ctx.db.selectFrom('recovery_codes').select(['id', 'code_hash', 'used_at'])
    .where('user_id', '=', userId).where('lookup', '=', code.slice(0, LOOKUP_CHARACTERS)).execute();
  if (candidates.length === 0) await ctx.passwords.verifyNothing(code);
  for (const candidate of candidates) {
    if (!(await ctx.passwords.verify(candidate.code_hash, code))) continue;
    if (candidate.used_at !== null) return { outcome: 'already-used' };
    const spent = await ctx.db.updateTable('recovery_codes').set({ used_at: ctx.clock.now() })
      .where('id', '=', candidate.id).where('used_at', 'is', null).executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) return { outcome: 'already-used' };
    return { outcome: 'accepted', remaining: await remainingRecoveryCodes(ctx, userId) };
  }
  return { outcome: 'wrong' };
}

/** The codes awaiting "I saved them", as sealed secrets: the start-up key check and `hms rekey`. */
export const recoveryCodeReveals: SealedStore = sealedTableStore<Reveal>({
  what: 'recovery codes awaiting confirmation',
  table: 'recovery_code_reveals',
  columns: { id: 'session_hash', keyId: 'key_id', ciphertext: 'codes_ciphertext' },
  open: openReveal,
  context: (reveal) => revealContext(reveal.session_hash, reveal.user_id),
  settles: {
    detail: 'code_displays_dropped',
    noun: 'recovery-code display',
    told: 'awaiting "I saved them" could not be opened with any key: dropped. The codes still work; HMS can no longer show them again, so the user may make a new set (Account security).',
  },
  async unopenable(ctx, reveal) {
    // Only the copy shown to one session for a reload: losing it loses nothing the user needs to sign in.
    await ctx.db.deleteFrom('recovery_code_reveals').where('session_hash', '=', reveal.session_hash).execute();
  },
});
