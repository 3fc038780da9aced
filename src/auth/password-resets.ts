// The only writer of password_resets and password_reset_requests: "Forgot your password?".
// A link (256-bit token, only its SHA-256 stored, 30 minutes, once) proves the mailbox; the
// mailbox alone never changes a password: the link first asks for the second factor, under the
// same limits as a sign-in, and only the browser that proved it may then set the new password.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { HOUR, MINUTE } from '../clock.js';
import type { Database, PasswordReset, User } from '../db/schema.js';
import { enqueueMail } from '../mail/outbox.js';
import { AccountError } from './accounts.js';
import { recordEvent } from './audit.js';
import { addressGroup } from './client-address.js';
import { revokeAllDevices } from './devices.js';
import { forgetKnownBrowsers } from './known-browsers.js';
import { passwordProblem } from './password-policy.js';
import { endAllSessions, type ClientInfo } from './sessions.js';
import { emailKey } from './throttles.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring' | 'config' | 'passwords' | 'log'>;

export const RESET_LINK_LIFETIME = 30 * MINUTE;
/** After the second factor, the new password must follow within this. */
export const RESET_FACTOR_WINDOW = 10 * MINUTE;
/** Requests for a link per email address and per client address within an hour. */
export const RESET_REQUESTS_PER_EMAIL = 5;
export const RESET_REQUESTS_PER_ADDRESS = 20;
/** Wrong second-factor answers one link accepts before it stops working (as one sign-in does). */
export const RESET_MAX_CODE_FAILURES = 5;

export const RESET_LINK_INVALID = 'This password-reset link has expired (links work for 30 minutes), has been replaced by a newer one, or has already been used. Ask for a new one from the sign-in page.';

/** Counts a request for a link against the email address and the client address; false when either is over its limit. */
export async function countResetRequest(ctx: Pick<AppContext, 'db' | 'clock'>, normalizedEmail: string, clientIp: string): Promise<boolean> {
  const now = ctx.clock.now();
  const keys = [`email:${emailKey(normalizedEmail)}`, `address:${addressGroup(clientIp)}`];
  // Written first, then counted: requests racing each other each see all of them.
  await ctx.db.insertInto('password_reset_requests').values(keys.map((key) => ({ key, at: now }))).execute();
  const counts = await ctx.db.selectFrom('password_reset_requests').select(['key', (eb) => eb.fn.countAll<number>().as('count')])
    .where('key', 'in', keys).where('at', '>', now - HOUR).groupBy('key').execute();
  const count = (key: string) => Number(counts.find((row) => row.key === key)?.count ?? 0);
  return count(keys[0]!) <= RESET_REQUESTS_PER_EMAIL && count(keys[1]!) <= RESET_REQUESTS_PER_ADDRESS;
}

/** Only an account that can sign in gets a link: not a pending invitation, not a disabled account. */
export function mayResetPassword(user: Pick<User, 'password_hash' | 'disabled_at'>): boolean {
  return user.password_hash !== null && user.disabled_at === null;
}

/**
 * A new link for the account, mailed through the outbox in the same transaction; earlier links
 * stop working. Returns the link (support prints it when no mail server is configured).
 */
export async function issuePasswordReset(ctx: Ctx, db: Kysely<Database>, user: Pick<User, 'id' | 'email' | 'name'>,
  bySupport: { id: string | null; name: string | null } | null): Promise<string> {
  const now = ctx.clock.now();
  const token = newToken();
  await db.updateTable('password_resets').set({ revoked_at: now })
    .where('user_id', '=', user.id).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
  await db.insertInto('password_resets').values({
    token_hash: hashToken(token), user_id: user.id, created_at: now, expires_at: now + RESET_LINK_LIFETIME,
    factor_verified_at: null, browser_hash: null, code_failures: 0, used_at: null, revoked_at: null, requested_by: bySupport?.id ?? null,
  }).execute();
  const link = resetLinkUrl(ctx.config.publicOrigin, token);
  if (ctx.config.smtpUrl) {
    await enqueueMail(ctx, db, { email: user.email, name: user.name, userId: user.id },
      { kind: 'password_reset', link, expiresAt: now + RESET_LINK_LIFETIME, bySupport: bySupport ? bySupport.name ?? '' : null });
  }
  return link;
}

export function resetLinkUrl(publicOrigin: string, token: string): string {
  return `${publicOrigin}/password/reset/${token}`;
}

export interface OpenReset {
  reset: PasswordReset;
  user: User;
}

/** The live link and its account, or null (unknown, spent, replaced, expired, account disabled). */
export async function openResetLink(ctx: Pick<AppContext, 'db' | 'clock'>, token: string): Promise<OpenReset | null> {
  if (!isWellFormedToken(token)) return null;
  const reset = await ctx.db.selectFrom('password_resets').selectAll().where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', ctx.clock.now()).executeTakeFirst();
  if (!reset) return null;
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', reset.user_id).executeTakeFirst();
  return user && mayResetPassword(user) ? { reset, user } : null;
}

/** Counts a guess at the second factor through this link: the wrong answers it may still give after this one, or null when it has none left (the link is then void). */
export async function reserveResetGuess(ctx: Pick<AppContext, 'db' | 'clock'>, reset: PasswordReset): Promise<number | null> {
  const row = await ctx.db.updateTable('password_resets').set({ code_failures: sql`code_failures + 1` })
    .where('token_hash', '=', reset.token_hash).where('code_failures', '<', RESET_MAX_CODE_FAILURES)
    .returning('code_failures').executeTakeFirst();
  if (row) return RESET_MAX_CODE_FAILURES - row.code_failures;
  await ctx.db.updateTable('password_resets').set({ revoked_at: ctx.clock.now() }).where('token_hash', '=', reset.token_hash).execute();
  return null;
}

/** The link's last wrong answer was given: it stops working at once, for every browser (even one that proved the factor). */
export async function voidResetLink(ctx: Pick<AppContext, 'db' | 'clock'>, reset: PasswordReset): Promise<void> {
  await ctx.db.updateTable('password_resets').set({ revoked_at: ctx.clock.now() })
    .where('token_hash', '=', reset.token_hash).where('revoked_at', 'is', null).execute();
}

/** The second factor was proven in the browser holding `browserToken`: it alone may now set the password. */
export async function resetFactorProven(ctx: Pick<AppContext, 'db' | 'clock'>, reset: PasswordReset, browserToken: string): Promise<void> {
  await ctx.db.updateTable('password_resets').set({ factor_verified_at: ctx.clock.now(), browser_hash: hashToken(browserToken), code_failures: 0 })
    .where('token_hash', '=', reset.token_hash).execute();
}

/** Whether this browser proved the second factor through this link, recently enough. */
export function mayChoosePassword(ctx: Pick<AppContext, 'clock'>, reset: PasswordReset, browserToken: string | undefined): boolean {
  return reset.factor_verified_at !== null && reset.browser_hash !== null && browserToken !== undefined
    && isWellFormedToken(browserToken) && hashToken(browserToken) === reset.browser_hash
    && ctx.clock.now() - reset.factor_verified_at <= RESET_FACTOR_WINDOW;
}

/**
 * Sets the new password and spends the link, in one transaction with its consequences: every
 * session, remembered device and known browser of the account ends, the password delays clear,
 * and the audit entry (with its notification mail) is written. The user is not signed in.
 */
export async function completePasswordReset(ctx: Ctx, open: OpenReset, password: string, client: ClientInfo): Promise<void> {
  const problem = passwordProblem(password, open.user);
  if (problem) throw new AccountError(problem);
  const passwordHash = await ctx.passwords.hash(password);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const spent = await trx.updateTable('password_resets').set({ used_at: now })
      .where('token_hash', '=', open.reset.token_hash).where('used_at', 'is', null).where('revoked_at', 'is', null)
      .where('expires_at', '>', now).where('factor_verified_at', 'is not', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new AccountError(RESET_LINK_INVALID);
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', open.user.id).execute();
    const scoped = { ...ctx, db: trx };
    const devices = await revokeAllDevices(scoped, open.user.id);
    const browsers = await forgetKnownBrowsers(scoped, open.user.id);
    const sessions = await endAllSessions(scoped, open.user.id);
    await trx.deleteFrom('password_throttles').where('email_hash', '=', emailKey(open.user.email)).execute();
    await trx.updateTable('password_resets').set({ revoked_at: now })
      .where('user_id', '=', open.user.id).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
    await recordEvent(scoped, {
      event: 'password.reset', actorUserId: open.user.id, subjectUserId: open.user.id, clientIp: client.clientIp, userAgent: client.userAgent,
      details: { devices_revoked: devices, known_browsers_forgotten: browsers, sessions_ended: sessions },
    });
  });
}

/** Links long dead, and request counts older than their hour. */
export async function deleteSpentPasswordResets(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('password_resets').where('expires_at', '<', now - 7 * 24 * HOUR).execute();
  await ctx.db.deleteFrom('password_reset_requests').where('at', '<', now - HOUR).execute();
}
