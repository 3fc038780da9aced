// The only writer of setup_tokens. On an empty database, start-up prints a link where the first
// administrator chooses a password: valid one hour, usable once, only its hash stored.
import type { AppContext } from '../context.js';
import { HOUR } from '../clock.js';
import type { User } from '../db/schema.js';
import { AccountError, countAccounts, createAccount } from './accounts.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'passwords'>;

export const SETUP_LINK_LIFETIME = HOUR;

/** A new setup token when there are no accounts yet, otherwise null. */
export async function issueSetupToken(ctx: Ctx): Promise<string | null> {
  if ((await countAccounts(ctx)) > 0) return null;
  const token = newToken();
  const now = ctx.clock.now();
  await ctx.db.insertInto('setup_tokens')
    .values({ token_hash: hashToken(token), created_at: now, expires_at: now + SETUP_LINK_LIFETIME, used_at: null })
    .execute();
  return token;
}

export async function isSetupTokenValid(ctx: Ctx, token: string): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  const row = await ctx.db.selectFrom('setup_tokens').select('token_hash')
    .where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).where('expires_at', '>', ctx.clock.now())
    .executeTakeFirst();
  return row !== undefined && (await countAccounts(ctx)) === 0;
}

/**
 * Creates the first administrator and spends the token, all or nothing: a used, expired or
 * unknown token, or an existing account, refuses it.
 */
export async function createFirstAdmin(ctx: Ctx, token: string, account: { email: string; name: string; password: string }): Promise<User> {
  if (!isWellFormedToken(token)) throw new AccountError(SETUP_LINK_INVALID);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const spent = await trx.updateTable('setup_tokens').set({ used_at: now })
      .where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).where('expires_at', '>', now)
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n || (await countAccounts({ db: trx })) > 0) throw new AccountError(SETUP_LINK_INVALID);
    return createAccount(ctx, { ...account, role: 'admin' }, trx);
  });
}

export async function deleteSpentSetupTokens(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<void> {
  await ctx.db.deleteFrom('setup_tokens')
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', ctx.clock.now())])).execute();
}

export const SETUP_LINK_INVALID =
  'This setup link has expired or has already been used. Restart HMS on an empty database to print a new one, or ask an administrator for an account.';
