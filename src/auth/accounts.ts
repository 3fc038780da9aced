// The only writer of users: accounts, their passwords and the password check of sign-in.
import type { AppContext } from '../context.js';
import type { Role, Session, User } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import { revokeAllDevices } from './devices.js';
import { passwordProblem } from './password-policy.js';
import { endOtherSessions, reissueSession, type ClientInfo } from './sessions.js';
import { newId } from './tokens.js';
import type { Language } from '../i18n/languages.js';
import { LocalizedError } from '../i18n/localized-error.js';
import type { Message } from '../i18n/translate.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'passwords'>;

export const EMAIL_MAX_LENGTH = 254; // RFC 5321 path limit
export const NAME_MAX_LENGTH = 100;
export const ROLES: readonly Role[] = ['admin', 'clinician'];

/**
 * A rule of accounts refused something. `problem` is said to the person in their language where it
 * is shown; `message` is its English text (CLI, logs). A plain string is English not yet in a catalog.
 */
export class AccountError extends LocalizedError<Message | null> {}

/** Emails compare case-insensitively: they are stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

export function emailProblem(email: string): Message | null {
  if (email.length === 0) return { key: 'password.accounts.emailMissing' };
  if (email.length > EMAIL_MAX_LENGTH) return { key: 'password.accounts.emailTooLong', values: { max: EMAIL_MAX_LENGTH } };
  // Deliberately loose: the address is an identifier here, never a mail destination we verify.
  if (!/^[^\s@]+@[^\s@][^\s.@]*\.[^\s@]+$/.test(email)) return { key: 'password.accounts.emailInvalid' };
  return null;
}

export function nameProblem(name: string): Message | null {
  if (name.trim().length === 0) return { key: 'password.accounts.nameMissing' };
  if (name.length > NAME_MAX_LENGTH) return { key: 'password.accounts.nameTooLong', values: { max: NAME_MAX_LENGTH } };
  return null;
}

export interface NewAccount {
  email: string;
  name: string;
  role: Role;
  /** Null for an invited account: the invitee chooses it through their invitation link. */
  password: string | null;
  /** The language of the account's pages and e-mails; null or absent: the browser's. */
  language?: Language | null;
}

export type AccountProblems = Partial<Record<keyof NewAccount, Message>>;

/** What is wrong with each field of a new account; empty when nothing is. */
export function newAccountProblems(account: NewAccount): AccountProblems {
  const email = normalizeEmail(account.email);
  const problems: AccountProblems = {
    email: emailProblem(email) ?? undefined,
    name: nameProblem(account.name) ?? undefined,
    role: ROLES.includes(account.role) ? undefined : { key: 'password.accounts.roleInvalid', values: { roles: ROLES.join(', ') } },
    password: account.password === null ? undefined : passwordProblem(account.password, { email, name: account.name }) ?? undefined,
  };
  return Object.fromEntries(Object.entries(problems).filter(([, problem]) => problem)) as AccountProblems;
}

export async function createAccount(ctx: Ctx, account: NewAccount, db = ctx.db): Promise<User> {
  const problem = Object.values(newAccountProblems(account))[0];
  if (problem) throw new AccountError(problem);
  const email = normalizeEmail(account.email);
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new AccountError({ key: 'password.accounts.emailTaken', values: { email } });
  const now = ctx.clock.now();
  const user: User = {
    id: newId(),
    email,
    name: account.name.trim(),
    role: account.role,
    password_hash: account.password === null ? null : await ctx.passwords.hash(account.password),
    password_changed_at: account.password === null ? null : now,
    created_at: now,
    disabled_at: null,
    language: account.language ?? null,
  };
  try {
    await db.insertInto('users').values(user).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AccountError({ key: 'password.accounts.emailTaken', values: { email } });
    throw error;
  }
  return user;
}

export async function countAccounts(ctx: Pick<AppContext, 'db'>): Promise<number> {
  const row = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export type PasswordCheck =
  | { outcome: 'correct'; user: User }
  | { outcome: 'wrong-password'; user: User }
  | { outcome: 'unknown-account' };

/**
 * Checks an email and password. Unknown emails, accounts without a password and wrong passwords
 * all cost one Argon2id verification, so the time taken tells nothing.
 */
export async function checkPassword(ctx: Ctx, email: string, password: string): Promise<PasswordCheck> {
  const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  if (!user?.password_hash) {
    await ctx.passwords.verifyNothing(password);
    return user ? { outcome: 'wrong-password', user } : { outcome: 'unknown-account' };
  }
  const correct = await ctx.passwords.verify(user.password_hash, password);
  if (!correct) return { outcome: 'wrong-password', user };
  if (ctx.passwords.needsRehash(user.password_hash)) {
    await ctx.db.updateTable('users').set({ password_hash: await ctx.passwords.hash(password) })
      .where('id', '=', user.id).where('password_hash', '=', user.password_hash).execute();
  }
  return { outcome: 'correct', user };
}

export async function findAccountByEmail(ctx: Pick<AppContext, 'db'>, email: string): Promise<User | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

/**
 * Sets a new password. Every session made before it ends (sessions.ts compares with
 * password_changed_at) and every remembered device is revoked (DESIGN.md §2).
 */
export async function setPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  const user = await ctx.db.selectFrom('users').select(['email', 'name']).where('id', '=', userId).executeTakeFirstOrThrow();
  const problem = passwordProblem(password, user);
  if (problem) throw new AccountError(problem);
  const passwordHash = await ctx.passwords.hash(password);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: ctx.clock.now() }).where('id', '=', userId).execute();
    await revokeAllDevices({ ...ctx, db: trx }, userId);
  });
}

/** A disabled account cannot sign in, and its sessions end at once (sessions.ts checks it). */
export async function setDisabled(ctx: Pick<AppContext, 'db' | 'clock'>, userId: string, disabled: boolean): Promise<void> {
  await ctx.db.updateTable('users').set({ disabled_at: disabled ? ctx.clock.now() : null }).where('id', '=', userId).execute();
}

/**
 * A signed-in user changes their own password (the current one was checked by the caller). In
 * one transaction: the new hash, every remembered device revoked and every other session ended
 * (ASVS 7.4.3), and the session that asked kept under a new token, which is returned.
 */
export async function changeOwnPassword(ctx: Ctx & Pick<AppContext, 'config'>, session: Session, password: string, client: ClientInfo):
  Promise<{ token: string; devicesRevoked: number; sessionsEnded: number }> {
  const user = await ctx.db.selectFrom('users').select(['email', 'name']).where('id', '=', session.user_id).executeTakeFirstOrThrow();
  const problem = passwordProblem(password, user);
  if (problem) throw new AccountError(problem);
  const passwordHash = await ctx.passwords.hash(password);
  return ctx.db.transaction().execute(async (trx) => {
    const scoped = { ...ctx, db: trx };
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: ctx.clock.now() }).where('id', '=', session.user_id).execute();
    const devicesRevoked = await revokeAllDevices(scoped, session.user_id);
    const sessionsEnded = await endOtherSessions(scoped, session.user_id, session);
    const token = await reissueSession(scoped, session, client);
    return { token, devicesRevoked, sessionsEnded };
  });
}

/** The language of the account's pages and e-mails; null: the browser's (and the clinic default for e-mails). */
export async function setAccountLanguage(ctx: Pick<Ctx, 'db'>, userId: string, language: Language | null): Promise<void> {
  await ctx.db.updateTable('users').set({ language }).where('id', '=', userId).execute();
}
