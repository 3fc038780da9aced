// What support (an administrator, or an operator at the command line) does to an account. Each
// action runs in one transaction with its audit entry: it happens whole, recorded, or not at all.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { isPostgres } from '../db/dialect-types.js';
import type { Database, Role, User } from '../db/schema.js';
import { createAccount, ROLES } from './accounts.js';
import { recordEvent, type AuditDetails, type AuditEventName } from './audit.js';
import { revokeAllDevices, revokeEveryDevice } from './devices.js';
import { removeRecoveryCodes } from './recovery-codes.js';
import { removeSecurityKeys } from './security-keys.js';
import { issueInvitation, revokeInvitations } from './invitations.js';
import { clearKnownBrowserDelays, forgetKnownBrowsers } from './known-browsers.js';
import { issuePairingLink } from './pairing-links.js';
import { endAllSessions, endEverySession, type ClientInfo } from './sessions.js';
import { unlockAccount } from './throttles.js';
import { INVITATION_LIFETIME } from './invitations.js';
import { issuePasswordReset, mayResetPassword } from './password-resets.js';
import { enqueueMail } from '../mail/outbox.js';
import { hasAuthenticator, removeAuthenticators } from './totp-credentials.js';
import type { Language } from '../i18n/languages.js';
import { LocalizedError } from '../i18n/localized-error.js';
import type { Message } from '../i18n/translate.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'passwords' | 'keyring' | 'log' | 'config'>;

/**
 * Refusals support can act on: the message says what and why. `problem` is that message for the
 * console to show in the reader's language; `message` is its English (the command line's).
 */
export class SupportError extends LocalizedError<Message | null> {}

/** Who acts: an administrator (by account id, from a client address) or the command line. */
export type Actor = { userId: string; client?: ClientInfo } | { via: 'cli' };

export const REASON_MAX_LENGTH = 500;

/** Creates an account without a password and a one-time link (72 h) where the invitee sets it. */
export async function invite(ctx: Ctx, actor: Actor, account: { email: string; name: string; role: Role; language?: Language | null }): Promise<{ user: User; token: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await createAccount({ ...ctx, db: trx }, { ...account, password: null }, trx);
    const token = await issueInvitation(ctx, user.id, actorId(actor), trx);
    await mailInvitation(ctx, trx, actor, user, token);
    await audit(ctx, trx, actor, 'admin.account_invited', user.id, { role: user.role });
    return { user, token };
  });
}

/** A new invitation link for an account that has not set its password yet; the old link stops working. */
export async function resendInvitation(ctx: Ctx, actor: Actor, userId: string): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if (user.password_hash !== null) throw new SupportError({ key: 'admin.support.alreadyHasPassword', values: { email: user.email } });
    const token = await issueInvitation(ctx, user.id, actorId(actor), trx);
    await mailInvitation(ctx, trx, actor, user, token);
    await audit(ctx, trx, actor, 'admin.invitation_resent', user.id);
    return token;
  });
}

/** With a mail server, the invitation goes by mail too (the link stays on the console's page to copy). */
async function mailInvitation(ctx: Ctx, trx: Kysely<Database>, actor: Actor, user: User, token: string): Promise<void> {
  if (!ctx.config.smtpUrl) return;
  await enqueueMail(ctx, trx, { email: user.email, name: user.name, userId: user.id }, {
    kind: 'invitation', link: `${ctx.config.publicOrigin}/invite/${token}`, expiresAt: ctx.clock.now() + INVITATION_LIFETIME,
    invitedBy: await actorName(trx, actor), role: user.role,
  });
}

/**
 * Support sends a password-reset link (by mail when a mail server is set; returned to print or
 * show otherwise). The link asks for the second factor like any other: support never chooses
 * the password. Refused for an invited account (resend the invitation) or a disabled one.
 */
export async function sendPasswordReset(ctx: Ctx, actor: Actor, userId: string): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if (user.password_hash === null) throw new SupportError({ key: 'admin.support.noPasswordYet', values: { email: user.email } });
    if (!mayResetPassword(user)) throw new SupportError({ key: 'admin.support.isDisabled', values: { email: user.email } });
    const link = await issuePasswordReset({ ...ctx, db: trx }, trx, user, { id: actorId(actor), name: await actorName(trx, actor) });
    await audit(ctx, trx, actor, 'password.reset_link_sent', user.id, { mailed: Boolean(ctx.config.smtpUrl) });
    return link;
  });
}

async function actorName(trx: Kysely<Database>, actor: Actor): Promise<string | null> {
  if (!('userId' in actor)) return null;
  const row = await trx.selectFrom('users').select('name').where('id', '=', actor.userId).executeTakeFirst();
  return row?.name ?? null;
}

export async function revokeInvitation(ctx: Ctx, actor: Actor, userId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if ((await revokeInvitations(ctx, user.id, trx)) === 0) throw new SupportError({ key: 'admin.support.noInvitation', values: { email: user.email } });
    await audit(ctx, trx, actor, 'admin.invitation_revoked', user.id);
  });
}

/**
 * For a user who lost their phone: removes their authenticator, security keys and recovery codes,
 * revokes remembered devices, forgets the browsers known for the account and ends their sessions.
 * They pair a new authenticator only through the re-pairing link returned (its token): the
 * password alone no longer pairs one. Of two resets racing, the second finds nothing to remove
 * and is refused.
 */
export async function resetMfa(ctx: Ctx, actor: Actor, userId: string, reason: string): Promise<string> {
  const why = reason.trim();
  if (why.length === 0) throw new SupportError({ key: 'admin.support.reasonMissing' });
  if (why.length > REASON_MAX_LENGTH) throw new SupportError({ key: 'admin.support.reasonTooLong', values: { max: REASON_MAX_LENGTH } });
  if ('userId' in actor && actor.userId === userId) {
    throw new SupportError({ key: 'admin.support.ownSecondFactor' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    const scoped = { ...ctx, db: trx };
    if ((await removeAuthenticators(scoped, user.id)) === 0) {
      throw new SupportError({ key: 'admin.support.noAuthenticator', values: { email: user.email } });
    }
    const keys = await removeSecurityKeys(scoped, user.id);
    const codes = await removeRecoveryCodes(scoped, user.id);
    const devices = await revokeAllDevices(scoped, user.id);
    const browsers = await forgetKnownBrowsers(scoped, user.id);
    const sessions = await endAllSessions(scoped, user.id);
    const token = await issuePairingLink(ctx, user.id, actorId(actor), trx);
    await audit(ctx, trx, actor, 'admin.mfa_reset', user.id, {
      reason: why, security_keys_removed: keys, recovery_codes_removed: codes, devices_revoked: devices, known_browsers_forgotten: browsers, sessions_ended: sessions,
    });
    return token;
  });
}

/**
 * A new re-pairing link for an account without an authenticator (its last one expired or was
 * spent, or an account made with `hms user add` should not pair on its password alone): earlier
 * links stop working. Returns the token.
 */
export async function newPairingLink(ctx: Ctx, actor: Actor, userId: string): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if (await hasAuthenticator({ ...ctx, db: trx }, user.id)) {
      throw new SupportError({ key: 'admin.support.hasAuthenticator', values: { email: user.email } });
    }
    if (user.password_hash === null) throw new SupportError({ key: 'admin.support.noPasswordYet', values: { email: user.email } });
    const token = await issuePairingLink(ctx, user.id, actorId(actor), trx);
    await audit(ctx, trx, actor, 'admin.pairing_link_issued', user.id);
    return token;
  });
}

/** Clears the password delays (per email and per known browser) and the second-factor lock. */
export async function unlock(ctx: Ctx, actor: Actor, userId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    await unlockAccount({ ...ctx, db: trx }, user.id, user.email);
    await clearKnownBrowserDelays({ db: trx }, user.id);
    await audit(ctx, trx, actor, 'account.unlocked', user.id);
  });
}

/** Signs the user out everywhere (ASVS 7.4.5). */
export async function endSessions(ctx: Ctx, actor: Actor, userId: string): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    const ended = await endAllSessions({ db: trx }, user.id);
    await audit(ctx, trx, actor, 'admin.sessions_ended', user.id, { sessions: ended });
    return ended;
  });
}

/**
 * Signs every account out everywhere and forgets every remembered browser: after restoring a
 * backup, which brings back sessions and devices ended since it was made. Everyone signs in
 * again with password and code.
 */
export async function endEverySessionAndDevice(ctx: Ctx, actor: Actor): Promise<{ sessions: number; devices: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const sessions = await endEverySession({ db: trx });
    const devices = await revokeEveryDevice({ ...ctx, db: trx });
    await recordEvent({ db: trx, clock: ctx.clock, log: ctx.log, config: ctx.config }, {
      event: 'admin.all_sessions_ended', actorUserId: actorId(actor),
      details: { sessions, devices_revoked: devices, ...('via' in actor ? { via: actor.via } : {}) },
    });
    return { sessions, devices };
  });
}

/** A disabled account cannot sign in and its sessions end at once. The last admin who can sign in stays. */
export async function setEnabled(ctx: Ctx, actor: Actor, userId: string, enabled: boolean): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if ((user.disabled_at === null) === enabled) throw new SupportError({ key: enabled ? 'admin.support.alreadyEnabled' : 'admin.support.alreadyDisabled', values: { email: user.email } });
    if (!enabled && user.role === 'admin') await keepAnActiveAdmin(trx, user);
    await trx.updateTable('users').set({ disabled_at: enabled ? null : ctx.clock.now() }).where('id', '=', user.id).execute();
    if (!enabled) await endAllSessions({ db: trx }, user.id);
    await audit(ctx, trx, actor, enabled ? 'admin.account_enabled' : 'admin.account_disabled', user.id);
  });
}

export async function setRole(ctx: Ctx, actor: Actor, userId: string, role: Role): Promise<void> {
  if (!ROLES.includes(role)) throw new SupportError({ key: 'admin.support.invalidRole', values: { roles: ROLES.join(', ') } });
  await ctx.db.transaction().execute(async (trx) => {
    const user = await account(trx, userId);
    if (user.role === role) throw new SupportError({ key: role === 'admin' ? 'admin.support.alreadyAdmin' : 'admin.support.alreadyClinician', values: { email: user.email } });
    if (user.role === 'admin') await keepAnActiveAdmin(trx, user);
    await trx.updateTable('users').set({ role }).where('id', '=', user.id).execute();
    // An administrator no longer sees every patient as a clinician; nothing else to undo.
    await audit(ctx, trx, actor, 'admin.role_changed', user.id, { from: user.role, to: role });
  });
}

/**
 * Refuses to take away the last administrator who can sign in: enabled, with a password (an
 * invited administrator who never set one cannot reach the console). The active admins' rows are
 * locked first (PostgreSQL; SQLite serializes writers), so two admins demoting each other at once
 * cannot both pass.
 */
async function keepAnActiveAdmin(trx: Kysely<Database>, leaving: User): Promise<void> {
  let admins = trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null);
  if (isPostgres(trx)) admins = admins.forUpdate();
  const others = (await admins.execute()).filter((row) => row.id !== leaving.id);
  if (others.length === 0) throw new SupportError({ key: 'admin.support.lastAdmin', values: { email: leaving.email } });
}

async function account(trx: Kysely<Database>, userId: string): Promise<User> {
  const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw new SupportError({ key: 'admin.support.noSuchAccount' });
  return user;
}

function actorId(actor: Actor): string | null {
  return 'userId' in actor ? actor.userId : null;
}

function audit(ctx: Pick<AppContext, 'clock' | 'log' | 'config'>, trx: Kysely<Database>, actor: Actor, event: AuditEventName, subjectUserId: string,
  details: AuditDetails = {}): Promise<void> {
  return recordEvent({ db: trx, clock: ctx.clock, log: ctx.log, config: ctx.config }, {
    event, actorUserId: actorId(actor), subjectUserId,
    clientIp: 'client' in actor ? actor.client?.clientIp : null,
    userAgent: 'client' in actor ? actor.client?.userAgent : null,
    details: 'via' in actor ? { ...details, via: actor.via } : details,
  });
}
