// The only writer of pairing_links. After support resets an account's second factor, the password
// alone must not pair a new authenticator: whoever holds only the password would pair theirs and
// own the account. The account is gated until it pairs through a one-time link (72 hours, only its
// hash stored) that support hands over by a channel they trust: the link, then the password, then
// pairing, all in the browser that opened it.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { HOUR } from '../clock.js';
import type { Database, PairingLink, User } from '../db/schema.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const PAIRING_LINK_LIFETIME = 72 * HOUR;
export const PAIRING_LINK_INVALID = 'This re-pairing link has expired, has been replaced by a newer one, or has already been used. Ask support for a new one.';

/** Where a re-pairing link points: for the support console, the command line and (later) e-mail. */
export function pairingLinkUrl(publicOrigin: string, token: string): string {
  return `${publicOrigin}/re-pair/${token}`;
}

/**
 * Gates the account (from now on it pairs only through a link) and issues its link; an earlier
 * link stops working. Returns the token, which exists nowhere else: hand it over, or e-mail it.
 */
export async function issuePairingLink(ctx: Ctx, userId: string, createdBy: string | null, db: Kysely<Database> = ctx.db): Promise<string> {
  const token = newToken();
  const now = ctx.clock.now();
  const link = { token_hash: hashToken(token), created_by: createdBy, created_at: now, expires_at: now + PAIRING_LINK_LIFETIME, session_hash: null };
  await db.insertInto('pairing_links').values({ user_id: userId, ...link })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(link)).execute();
  return token;
}

/** The gate of an account, if it has one: whether and until when its link works, for support. */
export async function pairingGate(ctx: Pick<AppContext, 'db'>, userId: string): Promise<PairingLink | undefined> {
  return ctx.db.selectFrom('pairing_links').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** The account a link opens, or null when the link is unknown, spent, replaced or expired. */
export async function pairingLinkAccount(ctx: Ctx, token: string): Promise<User | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await ctx.db.selectFrom('pairing_links').innerJoin('users', 'users.id', 'pairing_links.user_id').selectAll('users')
    .where('pairing_links.token_hash', '=', hashToken(token)).where('pairing_links.session_hash', 'is', null)
    .where('pairing_links.expires_at', '>', ctx.clock.now()).where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Spends the link on this sign-in (the right password was just given through it): this pending
 * session, and no other, may pair. False when the link was spent meanwhile (two tabs: one wins).
 */
export async function spendPairingLink(ctx: Ctx, token: string, userId: string, sessionHash: string): Promise<boolean> {
  const spent = await ctx.db.updateTable('pairing_links').set({ session_hash: sessionHash })
    .where('token_hash', '=', hashToken(token)).where('user_id', '=', userId)
    .where('session_hash', 'is', null).where('expires_at', '>', ctx.clock.now())
    .executeTakeFirst();
  return spent.numUpdatedRows === 1n;
}

/** Whether this sign-in may pair an authenticator: the account is not gated, or this sign-in opened its gate. */
export async function mayPair(ctx: Pick<AppContext, 'db'>, userId: string, sessionHash: string): Promise<boolean> {
  const gate = await pairingGate(ctx, userId);
  return gate === undefined || gate.session_hash === sessionHash;
}

/**
 * The pairing is being confirmed: the gate goes, in the caller's transaction (`ctx.db`). False
 * when the account is gated for another sign-in than this one: the pairing must not happen.
 */
export async function passPairingGate(ctx: Pick<AppContext, 'db'>, userId: string, sessionHash: string): Promise<boolean> {
  if (!(await mayPair(ctx, userId, sessionHash))) return false;
  await ctx.db.deleteFrom('pairing_links').where('user_id', '=', userId).execute();
  return true;
}
