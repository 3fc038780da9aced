// The only writer of password_throttles, second_factor_locks, address_throttles and
// address_password_checks: how many guesses an attacker gets, and how many password hashes one
// client address may make the server compute. Every attempt is counted *before* it is evaluated,
// with one atomic UPDATE whose WHERE clause refuses it when the limit is reached, so fifty requests
// in parallel get exactly as many evaluations as the limit allows, on any number of instances.
// These are the limits of strangers: a browser known for the account has its own (known-browsers.ts).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { MINUTE, SECOND } from '../clock.js';
import { addressGroup } from './client-address.js';
import { countAttemptRefusal } from '../metrics/registry.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** Password: the first 5 consecutive failures are free; then 1 s, 2 s, 4 s … between attempts. */
export const PASSWORD_FREE_FAILURES = 5;
export const PASSWORD_MAX_DELAY = 15 * MINUTE;
/** Failed password and sign-in code attempts from one client address, all accounts together, per window. */
export const ADDRESS_MAX_FAILURES = 100;
export const ADDRESS_WINDOW = 15 * MINUTE;
/**
 * Password checks, right or wrong, from one client address for browsers not known for the
 * account: each costs an Argon2id hash, so one known password must not buy unlimited hashing. The
 * count spans the current and the previous minute: no 60 seconds see more than this many.
 */
export const ADDRESS_MAX_CHECKS = 100;
export const CHECK_WINDOW = MINUTE;
/** Second factor: 10 consecutive wrong codes lock it for 15 min, doubling on each repeat (NIST ceiling: 100). */
export const CODE_MAX_FAILURES = 10;
export const CODE_LOCK = 15 * MINUTE;
export const CODE_LOCK_MAX_DOUBLINGS = 6; // 15 min × 2^6 = 16 h

export type Refusal =
  | { limited: 'account'; retryAfterMs: number }
  | { limited: 'address'; retryAfterMs: number }
  | { limited: 'address-checks'; retryAfterMs: number }
  | { limited: 'browser'; retryAfterMs: number };

/** A counted password attempt: settle it with passwordSucceeded or passwordFailed. */
export interface PasswordAttempt {
  emailHash: string;
  /** The client address, or its /64 for IPv6 (client-address.ts). */
  clientKey: string;
  windowStart: number;
  /** Consecutive attempts for this email, this one included. */
  failuresSoFar: number;
  /** Attempts from this address in the current and previous window, this one included. */
  addressFailuresSoFar: number;
}

export function emailKey(normalizedEmail: string): string {
  return createHash('sha256').update(`email:${normalizedEmail}`).digest('hex');
}

/**
 * Counts a password attempt of a stranger (a browser not known for the account) for this email and
 * client address, or says how long to wait. The hash it allows counts against the address's
 * checks; a refused attempt costs nothing.
 */
export async function reservePasswordAttempt(ctx: Ctx, normalizedEmail: string, clientIp: string): Promise<PasswordAttempt | Refusal> {
  const now = ctx.clock.now();
  const clientKey = addressGroup(clientIp);
  const check = await reserveAddressCheck(ctx, clientKey, now);
  if ('limited' in check) return check;
  const windowStart = now - (now % ADDRESS_WINDOW);
  const address = await reserveAddressAttempt(ctx, clientKey, windowStart, now);
  if ('limited' in address) {
    await releaseAddressCheck(ctx, clientKey, check.windowStart);
    return address;
  }

  const emailHash = emailKey(normalizedEmail);
  // One statement: a first attempt inserts the row, a later one counts itself into it unless the
  // email is waiting. No separate read, and no gap for a concurrent reset to fall into.
  const failures = sql<number>`password_throttles.failures + 1`;
  const counted = await ctx.db.insertInto('password_throttles')
    .values({ email_hash: emailHash, failures: 1, blocked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('email_hash')
      .doUpdateSet({
        failures,
        // From the 5th consecutive attempt on, the next one must wait 2^(n-5) s, at most 15 min.
        blocked_until: sql`case
          when ${failures} < ${sql.lit(PASSWORD_FREE_FAILURES)} then null
          when ${failures} >= ${sql.lit(PASSWORD_FREE_FAILURES + 10)} then cast(${now} as bigint) + ${sql.lit(PASSWORD_MAX_DELAY)}
          else cast(${now} as bigint) + (${sql.lit(SECOND)} << (${failures} - ${sql.lit(PASSWORD_FREE_FAILURES)})) end`,
        updated_at: now,
      })
      .where((eb) => eb.or([eb('password_throttles.blocked_until', 'is', null), eb('password_throttles.blocked_until', '<=', now)])))
    .returning('failures')
    .executeTakeFirst();
  if (counted) return { emailHash, clientKey, windowStart, failuresSoFar: counted.failures, addressFailuresSoFar: address.failures };

  await releaseAddressAttempt(ctx, clientKey, windowStart);
  await releaseAddressCheck(ctx, clientKey, check.windowStart);
  countAttemptRefusal('password_delay');
  const row = await ctx.db.selectFrom('password_throttles').select('blocked_until').where('email_hash', '=', emailHash).executeTakeFirst();
  return { limited: 'account', retryAfterMs: Math.max(SECOND, (row?.blocked_until ?? now) - now) };
}

/** The password was right: the email's count starts over, and the address gets its attempt back. */
export async function passwordSucceeded(ctx: Ctx, attempt: PasswordAttempt): Promise<void> {
  await ctx.db.deleteFrom('password_throttles').where('email_hash', '=', attempt.emailHash).execute();
  await releaseAddressAttempt(ctx, attempt.clientKey, attempt.windowStart);
}

/** Which limit this failed attempt has just reached, if any: the moment to write it in the audit log. */
export function limitReachedBy(attempt: PasswordAttempt): 'account' | 'address' | null {
  if (attempt.failuresSoFar === PASSWORD_FREE_FAILURES) return 'account';
  if (attempt.addressFailuresSoFar === ADDRESS_MAX_FAILURES) return 'address';
  return null;
}

// The limit holds for the current and the previous window together, so no 15-minute span, however
// it straddles windows, sees more than ADDRESS_MAX_FAILURES failures.
async function reserveAddressAttempt(ctx: Ctx, clientIp: string, windowStart: number, now: number): Promise<Refusal | { failures: number }> {
  const current = await ctx.db.insertInto('address_throttles')
    .values({ client_ip: clientIp, window_start: windowStart, failures: 1 })
    .onConflict((oc) => oc.columns(['client_ip', 'window_start']).doUpdateSet({ failures: sql`address_throttles.failures + 1` }))
    .returning('failures')
    .executeTakeFirstOrThrow();
  const previous = await ctx.db.selectFrom('address_throttles').select('failures')
    .where('client_ip', '=', clientIp).where('window_start', '=', windowStart - ADDRESS_WINDOW).executeTakeFirst();
  const failures = current.failures + (previous?.failures ?? 0);
  if (failures <= ADDRESS_MAX_FAILURES) return { failures };
  await releaseAddressAttempt(ctx, clientIp, windowStart);
  countAttemptRefusal('client_address');
  // Once this window alone is full, the address waits until the next one has also passed.
  const until = windowStart + (current.failures > ADDRESS_MAX_FAILURES ? 2 : 1) * ADDRESS_WINDOW;
  return { limited: 'address', retryAfterMs: until - now };
}

async function releaseAddressAttempt(ctx: Ctx, clientIp: string, windowStart: number): Promise<void> {
  await ctx.db.updateTable('address_throttles').set({ failures: sql`failures - 1` })
    .where('client_ip', '=', clientIp).where('window_start', '=', windowStart).execute();
}

// As for failures: counted first, given back when over the limit, so parallel requests never get
// more than the limit (only, at worst, a refusal too many).
async function reserveAddressCheck(ctx: Ctx, clientKey: string, now: number): Promise<Refusal | { windowStart: number }> {
  const windowStart = now - (now % CHECK_WINDOW);
  const current = await ctx.db.insertInto('address_password_checks')
    .values({ client_key: clientKey, window_start: windowStart, checks: 1 })
    .onConflict((oc) => oc.columns(['client_key', 'window_start']).doUpdateSet({ checks: sql`address_password_checks.checks + 1` }))
    .returning('checks')
    .executeTakeFirstOrThrow();
  const previous = await ctx.db.selectFrom('address_password_checks').select('checks')
    .where('client_key', '=', clientKey).where('window_start', '=', windowStart - CHECK_WINDOW).executeTakeFirst();
  if (current.checks + (previous?.checks ?? 0) <= ADDRESS_MAX_CHECKS) return { windowStart };
  await releaseAddressCheck(ctx, clientKey, windowStart);
  countAttemptRefusal('password_checks');
  const until = windowStart + (current.checks > ADDRESS_MAX_CHECKS ? 2 : 1) * CHECK_WINDOW;
  return { limited: 'address-checks', retryAfterMs: until - now };
}

async function releaseAddressCheck(ctx: Ctx, clientKey: string, windowStart: number): Promise<void> {
  await ctx.db.updateTable('address_password_checks').set({ checks: sql`checks - 1` })
    .where('client_key', '=', clientKey).where('window_start', '=', windowStart).execute();
}

/** A second-factor guess at sign-in, counted against its client address. */
export interface AddressGuess {
  clientKey: string;
  windowStart: number;
}

/**
 * Counts a guess at the second factor against the client address, in the same budget as failed
 * passwords: someone holding many stolen passwords cannot spread code guesses over their
 * accounts (10 each before a lock) from one address. A right answer gives it back.
 */
export async function reserveAddressGuess(ctx: Ctx, clientIp: string): Promise<AddressGuess | Refusal> {
  const now = ctx.clock.now();
  const windowStart = now - (now % ADDRESS_WINDOW);
  const clientKey = addressGroup(clientIp);
  const address = await reserveAddressAttempt(ctx, clientKey, windowStart, now);
  return 'limited' in address ? address : { clientKey, windowStart };
}

export async function addressGuessSucceeded(ctx: Ctx, guess: AddressGuess): Promise<void> {
  await releaseAddressAttempt(ctx, guess.clientKey, guess.windowStart);
}

export type CodeAttempt = { counted: true; locksNow: boolean } | { counted: false; lockedUntil: number };

/**
 * Counts an attempt at the second factor of this account, or refuses it while it is locked. The
 * 10th consecutive attempt locks it (15 min, doubling each time) before it is even evaluated;
 * if that attempt turns out right, codeSucceeded lifts the lock again.
 */
export async function reserveCodeAttempt(ctx: Ctx, userId: string): Promise<CodeAttempt> {
  const now = ctx.clock.now();
  const reachesLimit = sql<boolean>`second_factor_locks.failures + 1 >= ${sql.lit(CODE_MAX_FAILURES)}`;
  const lockouts = sql.ref('second_factor_locks.lockouts');
  // One statement, as for passwords: insert the first attempt, or count into the unlocked row.
  const counted = await ctx.db.insertInto('second_factor_locks')
    .values({ user_id: userId, failures: 1, locked_until: null, lockouts: 0 })
    .onConflict((oc) => oc.column('user_id')
      .doUpdateSet({
        failures: sql`case when ${reachesLimit} then 0 else second_factor_locks.failures + 1 end`,
        locked_until: sql`case when ${reachesLimit} then cast(${now} as bigint) + (case when ${lockouts} >= ${sql.lit(CODE_LOCK_MAX_DOUBLINGS)}
          then ${sql.lit(CODE_LOCK << CODE_LOCK_MAX_DOUBLINGS)} else ${sql.lit(CODE_LOCK)} << ${lockouts} end) else null end`,
        lockouts: sql`case when ${reachesLimit} then ${lockouts} + 1 else ${lockouts} end`,
      })
      .where((eb) => eb.or([eb('second_factor_locks.locked_until', 'is', null), eb('second_factor_locks.locked_until', '<=', now)])))
    .returning('locked_until')
    .executeTakeFirst();
  if (counted) return { counted: true, locksNow: counted.locked_until !== null };
  countAttemptRefusal('second_factor_lock');
  return { counted: false, lockedUntil: (await secondFactorLockedUntil(ctx, userId)) ?? now };
}

/** A right code: the count, the lock and the doubling start over. */
export async function codeSucceeded(ctx: Ctx, userId: string): Promise<void> {
  await ctx.db.deleteFrom('second_factor_locks').where('user_id', '=', userId).execute();
}

/** When the second factor of this account unlocks, or null when it is not locked. */
export async function secondFactorLockedUntil(ctx: Ctx, userId: string): Promise<number | null> {
  const row = await ctx.db.selectFrom('second_factor_locks').select('locked_until').where('user_id', '=', userId).executeTakeFirst();
  return row?.locked_until && row.locked_until > ctx.clock.now() ? row.locked_until : null;
}

/** Support clears every limit on an account: password delays and the second-factor lock. */
export async function unlockAccount(ctx: Ctx, userId: string, normalizedEmail: string): Promise<void> {
  await ctx.db.deleteFrom('password_throttles').where('email_hash', '=', emailKey(normalizedEmail)).execute();
  await ctx.db.deleteFrom('second_factor_locks').where('user_id', '=', userId).execute();
}

/** Counters nobody needs any more: address windows that no longer count, long-finished delays. */
export async function deleteStaleThrottles(ctx: Ctx): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('address_throttles').where('window_start', '<', now - 2 * ADDRESS_WINDOW).execute();
  await ctx.db.deleteFrom('address_password_checks').where('window_start', '<', now - 2 * CHECK_WINDOW).execute();
  await ctx.db.deleteFrom('password_throttles').where('updated_at', '<', now - 24 * 60 * MINUTE)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)])).execute();
}
