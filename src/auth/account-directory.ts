// The accounts as support sees them: who they are, whether they can sign in, how they prove the
// second factor, when they last signed in, and whether anything is locked. Read-only.
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { User } from '../db/schema.js';
import { emailKey } from './throttles.js';

export type AccountStatus = 'active' | 'disabled' | 'invited';

export interface AccountOverview {
  user: User;
  status: AccountStatus;
  authenticator: boolean;
  securityKeys: number;
  /** Unused recovery codes; null when the account never had any. */
  recoveryCodesLeft: number | null;
  lastSignInAt: number | null;
  /** Until when a password delay or the code lock holds; null when nothing is locked. */
  lockedUntil: number | null;
}

/** "not enrolled", "authenticator", "authenticator + 2 security keys" */
export function secondFactor(account: AccountOverview): string {
  if (!account.authenticator) return 'not enrolled';
  if (account.securityKeys === 0) return 'authenticator';
  return `authenticator + ${account.securityKeys} security key${account.securityKeys === 1 ? '' : 's'}`;
}

export const ACCOUNTS_PER_PAGE = 50;

export async function listAccounts(ctx: Pick<AppContext, 'db' | 'clock'>, query: { search?: string; page?: number } = {}):
  Promise<{ accounts: AccountOverview[]; total: number; page: number; pageCount: number }> {
  const search = query.search?.trim().toLowerCase() ?? '';
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const pattern = `%${escapeLike(search)}%`;
  const matching = ctx.db.selectFrom('users').$if(search !== '', (qb) =>
    qb.where(sql<boolean>`(lower(users.email) like ${pattern} escape '!' or lower(users.name) like ${pattern} escape '!')`));
  const [users, count] = await Promise.all([
    matching.selectAll().orderBy('users.name').orderBy('users.email').limit(ACCOUNTS_PER_PAGE).offset((page - 1) * ACCOUNTS_PER_PAGE).execute(),
    matching.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.count);
  return { accounts: await describeAccounts(ctx, users), total, page, pageCount: Math.max(1, Math.ceil(total / ACCOUNTS_PER_PAGE)) };
}

export async function findAccountOverview(ctx: Pick<AppContext, 'db' | 'clock'>, userId: string): Promise<AccountOverview | null> {
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  return user ? (await describeAccounts(ctx, [user]))[0]! : null;
}

/** One query per kind of fact for the whole page of accounts, not one per account. */
async function describeAccounts(ctx: Pick<AppContext, 'db' | 'clock'>, users: User[]): Promise<AccountOverview[]> {
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const now = ctx.clock.now();
  const [paired, keys, codes, signIns, codeLocks, passwordDelays] = await Promise.all([
    ctx.db.selectFrom('totp_credentials').select('user_id').where('user_id', 'in', ids).where('confirmed_at', 'is not', null).execute(),
    ctx.db.selectFrom('security_keys').select(['user_id', (eb) => eb.fn.countAll<number>().as('count')]).where('user_id', 'in', ids).groupBy('user_id').execute(),
    ctx.db.selectFrom('recovery_codes').select(['user_id', (eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.count<number>('used_at').as('used')])
      .where('user_id', 'in', ids).groupBy('user_id').execute(),
    ctx.db.selectFrom('audit_events').select(['subject_user_id', (eb) => eb.fn.max('at').as('at')])
      .where('subject_user_id', 'in', ids).where('event', '=', 'sign_in.succeeded').groupBy('subject_user_id').execute(),
    ctx.db.selectFrom('second_factor_locks').select(['user_id', 'locked_until']).where('user_id', 'in', ids).where('locked_until', '>', now).execute(),
    ctx.db.selectFrom('password_throttles').select(['email_hash', 'blocked_until'])
      .where('email_hash', 'in', users.map((u) => emailKey(u.email))).where('blocked_until', '>', now).execute(),
  ]);
  const pairedIds = new Set(paired.map((row) => row.user_id));
  const keyCount = new Map(keys.map((row) => [row.user_id, Number(row.count)]));
  const codesLeft = new Map(codes.map((row) => [row.user_id, Number(row.total) - Number(row.used)]));
  const lastSignIn = new Map(signIns.map((row) => [row.subject_user_id, Number(row.at)]));
  const codeLock = new Map(codeLocks.map((row) => [row.user_id, row.locked_until!]));
  const passwordDelay = new Map(passwordDelays.map((row) => [row.email_hash, row.blocked_until!]));
  return users.map((user) => {
    const locks = [codeLock.get(user.id), passwordDelay.get(emailKey(user.email))].filter((until): until is number => until !== undefined);
    return {
      user,
      status: user.disabled_at !== null ? 'disabled' : user.password_hash === null ? 'invited' : 'active',
      authenticator: pairedIds.has(user.id),
      securityKeys: keyCount.get(user.id) ?? 0,
      recoveryCodesLeft: codesLeft.get(user.id) ?? null,
      lastSignInAt: lastSignIn.get(user.id) ?? null,
      lockedUntil: locks.length ? Math.max(...locks) : null,
    };
  });
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (char) => `!${char}`);
}
