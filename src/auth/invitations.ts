// The only writer of invitations: a one-time link (valid 72 hours, only its hash stored) where an
// invited user chooses their password. Pairing the authenticator follows at their first sign-in.
import type { AppContext } from '../context.js';
import { HOUR } from '../clock.js';
import type { User } from '../db/schema.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AccountError } from './accounts.js';
import { passwordProblem } from './password-policy.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'passwords'>;

export const INVITATION_LIFETIME = 72 * HOUR;
export const INVITATION_INVALID = 'This invitation link has expired, has been replaced by a newer one, or has already been used. Ask your administrator for a new one.';

/** A new link for the user; any earlier link of theirs stops working. Returns the token. */
export async function issueInvitation(ctx: Pick<AppContext, 'db' | 'clock'>, userId: string, createdBy: string | null,
  db: Kysely<Database> = ctx.db): Promise<string> {
  const now = ctx.clock.now();
  const token = newToken();
  await revokeInvitations(ctx, userId, db);
  await db.insertInto('invitations').values({
    token_hash: hashToken(token), user_id: userId, created_by: createdBy, created_at: now,
    expires_at: now + INVITATION_LIFETIME, used_at: null, revoked_at: null,
  }).execute();
  return token;
}

export async function revokeInvitations(ctx: Pick<AppContext, 'db' | 'clock'>, userId: string, db: Kysely<Database> = ctx.db): Promise<number> {
  const result = await db.updateTable('invitations').set({ revoked_at: ctx.clock.now() })
    .where('user_id', '=', userId).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The invited account a link opens, or null when the link is unknown, spent, revoked or expired. */
export async function invitedAccount(ctx: Pick<AppContext, 'db' | 'clock'>, token: string): Promise<User | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await ctx.db.selectFrom('invitations').innerJoin('users', 'users.id', 'invitations.user_id').selectAll('users')
    .where('invitations.token_hash', '=', hashToken(token)).where('invitations.used_at', 'is', null)
    .where('invitations.revoked_at', 'is', null).where('invitations.expires_at', '>', ctx.clock.now())
    .where('users.disabled_at', 'is', null)
    .where('users.password_hash', 'is', null) // an invitation only ever sets a first password
    .executeTakeFirst();
  return row ?? null;
}

/** The pending invitation of an account, for the console: when it was sent and until when it works. */
export async function pendingInvitation(ctx: Pick<AppContext, 'db' | 'clock'>, userId: string) {
  return ctx.db.selectFrom('invitations').select(['created_at', 'expires_at'])
    .where('user_id', '=', userId).where('used_at', 'is', null).where('revoked_at', 'is', null)
    .where('expires_at', '>', ctx.clock.now()).executeTakeFirst();
}

/**
 * Spends the link and sets the password, all or nothing: a link used twice at once, or a password
 * the policy refuses, leaves both the link and the account as they were.
 */
export async function acceptInvitation(ctx: Ctx, token: string, password: string): Promise<User> {
  const user = await invitedAccount(ctx, token);
  if (!user) throw new AccountError(INVITATION_INVALID);
  const problem = passwordProblem(password, user);
  if (problem) throw new AccountError(problem);
  const passwordHash = await ctx.passwords.hash(password);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const spent = await trx.updateTable('invitations').set({ used_at: now })
      .where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).where('revoked_at', 'is', null)
      .where('expires_at', '>', now).executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) throw new AccountError(INVITATION_INVALID);
    // A link issued while the account was being set up (a resend racing the acceptance) must not
    // replace the password chosen since: only an account without one takes it.
    const set = await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now })
      .where('id', '=', user.id).where('password_hash', 'is', null).executeTakeFirst();
    if (set.numUpdatedRows !== 1n) throw new AccountError(INVITATION_INVALID);
    return user;
  });
}
