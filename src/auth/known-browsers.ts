// The only writer of known_browsers: OWASP's "device cookies". A browser that completed a full
// sign-in of an account (password and second factor) gets a random token for that account; only
// its hash is stored. When it signs in to that account again it is exempt from the per-email delay
// and the per-address budgets that strangers' failures build up, so someone who knows only an
// email address (or shares the clinic's address) cannot lock its owner out. It has a budget of its
// own, counted like the per-email one, so a stolen token buys no more guesses than a stranger gets.
import { countAttemptRefusal } from '../metrics/registry.js';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { DAY, MINUTE, SECOND } from '../clock.js';
import type { KnownBrowser } from '../db/schema.js';
import { hashToken, isWellFormedToken, newId, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** A browser stays known this long after its last full sign-in of the account. */
export const KNOWN_BROWSER_DAYS = 180;
/** Consecutive wrong passwords free of delay; then 1 s, 2 s, 4 s … at most 15 min, as per email. */
export const KNOWN_BROWSER_FREE_FAILURES = 5;
const KNOWN_BROWSER_MAX_DELAY = 15 * MINUTE;
/** Password checks (right or wrong) per known browser and minute: each costs an Argon2id hash. */
export const KNOWN_BROWSER_MAX_CHECKS = 10;

/** The live known browser of this account among the browser's tokens, or null. */
export async function findKnownBrowser(ctx: Ctx, normalizedEmail: string, tokens: readonly string[]): Promise<KnownBrowser | null> {
  const hashes = tokens.filter(isWellFormedToken).map(hashToken);
  if (hashes.length === 0) return null;
  const row = await ctx.db.selectFrom('known_browsers').innerJoin('users', 'users.id', 'known_browsers.user_id')
    .selectAll('known_browsers')
    .where('users.email', '=', normalizedEmail)
    .where('known_browsers.token_hash', 'in', hashes)
    .where('known_browsers.expires_at', '>', ctx.clock.now())
    .executeTakeFirst();
  return row ?? null;
}

/**
 * After a full sign-in: this browser is (still) known for the account, for KNOWN_BROWSER_DAYS
 * from now. Returns the token the cookie must hold for it.
 */
export async function recognizeBrowser(ctx: Ctx, userId: string, tokens: readonly string[]): Promise<string> {
  const now = ctx.clock.now();
  const byHash = new Map(tokens.filter(isWellFormedToken).map((token) => [hashToken(token), token]));
  const expiresAt = now + KNOWN_BROWSER_DAYS * DAY;
  if (byHash.size > 0) {
    const renewed = await ctx.db.updateTable('known_browsers').set({ expires_at: expiresAt, failures: 0, blocked_until: null })
      .where('user_id', '=', userId).where('token_hash', 'in', [...byHash.keys()]).where('expires_at', '>', now)
      .returning('token_hash').executeTakeFirst();
    if (renewed) return byHash.get(renewed.token_hash)!;
  }
  const token = newToken();
  await ctx.db.insertInto('known_browsers').values({ id: newId(), user_id: userId, token_hash: hashToken(token), created_at: now, expires_at: expiresAt }).execute();
  return token;
}

/** Which of the browser's tokens still stand for a known browser (of any account): the rest can go. */
export async function liveKnownBrowserTokens(ctx: Ctx, tokens: readonly string[]): Promise<string[]> {
  const byHash = new Map(tokens.filter(isWellFormedToken).map((token) => [hashToken(token), token]));
  if (byHash.size === 0) return [];
  const live = await ctx.db.selectFrom('known_browsers').select('token_hash')
    .where('token_hash', 'in', [...byHash.keys()]).where('expires_at', '>', ctx.clock.now()).execute();
  return live.map((row) => byHash.get(row.token_hash)!);
}

export type KnownBrowserAttempt =
  | { counted: true; failuresSoFar: number }
  | { limited: 'browser'; retryAfterMs: number };

/**
 * Counts a password attempt from a known browser before it is evaluated, in one atomic UPDATE, or
 * says how long to wait: while its own delay runs, or after KNOWN_BROWSER_MAX_CHECKS this minute.
 */
export async function reserveKnownBrowserAttempt(ctx: Ctx, browser: KnownBrowser): Promise<KnownBrowserAttempt> {
  const now = ctx.clock.now();
  const minute = now - (now % MINUTE);
  const failures = sql<number>`failures + 1`;
  const counted = await ctx.db.updateTable('known_browsers')
    .set({
      failures,
      blocked_until: sql`case
        when ${failures} < ${sql.lit(KNOWN_BROWSER_FREE_FAILURES)} then null
        when ${failures} >= ${sql.lit(KNOWN_BROWSER_FREE_FAILURES + 10)} then cast(${now} as bigint) + ${sql.lit(KNOWN_BROWSER_MAX_DELAY)}
        else cast(${now} as bigint) + (${sql.lit(SECOND)} << (${failures} - ${sql.lit(KNOWN_BROWSER_FREE_FAILURES)})) end`,
      checks: sql`case when checks_window = ${minute} then checks + 1 else 1 end`,
      checks_window: minute,
    })
    .where('id', '=', browser.id)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
    .where((eb) => eb.or([eb('checks_window', '<>', minute), eb('checks', '<', KNOWN_BROWSER_MAX_CHECKS)]))
    .returning('failures')
    .executeTakeFirst();
  if (counted) return { counted: true, failuresSoFar: counted.failures };
  const row = await ctx.db.selectFrom('known_browsers').select(['blocked_until']).where('id', '=', browser.id).executeTakeFirst();
  const until = row?.blocked_until && row.blocked_until > now ? row.blocked_until : minute + MINUTE;
  countAttemptRefusal('known_browser');
  return { limited: 'browser', retryAfterMs: Math.max(SECOND, until - now) };
}

/** The password was right: this browser's count of failures starts over. */
export async function knownBrowserSucceeded(ctx: Ctx, browser: KnownBrowser): Promise<void> {
  await ctx.db.updateTable('known_browsers').set({ failures: 0, blocked_until: null }).where('id', '=', browser.id).execute();
}

/** Support's unlock: the delays of every browser known for the account end too. */
export async function clearKnownBrowserDelays(ctx: Pick<AppContext, 'db'>, userId: string): Promise<void> {
  await ctx.db.updateTable('known_browsers').set({ failures: 0, blocked_until: null }).where('user_id', '=', userId).execute();
}

/** Every browser known for the account stops being known (MFA reset: the account may have been taken). */
export async function forgetKnownBrowsers(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  const result = await ctx.db.deleteFrom('known_browsers').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredKnownBrowsers(ctx: Ctx): Promise<void> {
  await ctx.db.deleteFrom('known_browsers').where('expires_at', '<=', ctx.clock.now()).execute();
}
