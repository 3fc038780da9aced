// The only writer of setup_tokens. On an empty database, start-up prints a link where the first
// administrator chooses a password: valid one hour, usable once, only its hash stored.
import type { AppContext } from '../context.js';
import { HOUR, MINUTE } from '../clock.js';
import { exclusively } from '../db/exclusive.js';
import type { User } from '../db/schema.js';
import { AccountError, countAccounts, createAccount } from './accounts.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'passwords'>;

export const SETUP_LINK_LIFETIME = HOUR;

/** A link issued this recently by another instance (starting at the same moment) is the one to use. */
export const SETUP_LINK_QUIET_PERIOD = 2 * MINUTE;

/**
 * A new setup token when there are no accounts yet, otherwise null. Null too when a link was
 * issued in the last two minutes: of several instances starting together on an empty database,
 * only the first prints a link (the decision is taken under a lock shared by all of them).
 */
export async function issueSetupToken(ctx: Ctx): Promise<string | null> {
  return exclusively(ctx.db, 'hms:first-administrator-link', async (trx) => {
    if ((await countAccounts({ db: trx })) > 0) return null;
    const now = ctx.clock.now();
    const recent = await trx.selectFrom('setup_tokens').select('token_hash')
      .where('used_at', 'is', null).where('created_at', '>', now - SETUP_LINK_QUIET_PERIOD).executeTakeFirst();
    if (recent) return null;
    const token = newToken();
    await trx.insertInto('setup_tokens')
      .values({ token_hash: hashToken(token), created_at: now, expires_at: now + SETUP_LINK_LIFETIME, used_at: null })
      .execute();
    return token;
  });
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
