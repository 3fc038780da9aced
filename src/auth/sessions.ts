// The only writer of sessions. A session is a random 256-bit token in a cookie; the table keeps
// its SHA-256. "pending" sessions have passed the password only and can reach the MFA pages;
// "full" sessions have passed both factors. Each factor passed gets a new token.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { HOUR, MINUTE } from '../clock.js';
import type { Database, Session, SessionStage, User } from '../db/schema.js';
import { countAttemptRefusal } from '../metrics/registry.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

export interface ClientInfo {
  clientIp: string;
  /** At most USER_AGENT_MAX characters. */
  userAgent: string;
}

/** User agents are kept for people to read ("Firefox on Windows"), not to the last byte. */
export const USER_AGENT_MAX = 256;

export interface CurrentSession {
  session: Session;
  user: User;
  /** Recovery codes were just shown to this session and the user has not yet said they saved them. */
  recoveryCodesAwaitSaving: boolean;
}

export type SessionLookup =
  | { status: 'valid'; current: CurrentSession }
  | { status: 'ended' } // expired, logged out, forged or malformed: the cookie should go
  | { status: 'none' };

// Writing last_seen_at on every request would make each page view a database write. Writing it
// at most every tenth of the idle limit (and at most every minute) costs a user at most that
// tenth: someone active every 0.9 × the limit is never signed out (a fixed minute signed out a
// user active every 40 s under a 1-minute limit).
const TOUCH_FRACTION = 10;

function touchInterval(ctx: Pick<AppContext, 'config'>): number {
  return Math.min(MINUTE, (ctx.config.sessionIdleMinutes * MINUTE) / TOUCH_FRACTION);
}

/**
 * Starts a password-only session, which expires after a few minutes. Returns the cookie token.
 * `knownBrowserId`: the browser is known for the account (its code step is exempt from the
 * per-address budget that strangers' failures fill).
 */
export function startPendingSession(ctx: Ctx, userId: string, client: ClientInfo, returnTo: string | null,
  knownBrowserId: string | null = null): Promise<string> {
  return insertSession(ctx, userId, 'pending', client, returnTo, ctx.config.pendingSessionMinutes * MINUTE, null, knownBrowserId);
}

/**
 * Starts a two-factor session for a remembered device: the device stands in for the code, so no
 * factor counts as freshly verified (a change of factors will ask for a code). Returns the token.
 */
export function startRememberedSession(ctx: Ctx, userId: string, client: ClientInfo): Promise<string> {
  return insertSession(ctx, userId, 'full', client, null, ctx.config.sessionMaxHours * HOUR, null);
}

/** Changes of accounts and factors need a code entered within this time (step-up). */
export const STEP_UP_WINDOW = 5 * MINUTE;

export function hasRecentFactor(ctx: Pick<AppContext, 'clock'>, session: Session): boolean {
  return session.factor_verified_at !== null && ctx.clock.now() - session.factor_verified_at < STEP_UP_WINDOW;
}

/** A code was just checked again in this session (step-up). */
export async function markFactorVerified(ctx: Ctx, session: Session): Promise<void> {
  await ctx.db.updateTable('sessions').set({ factor_verified_at: ctx.clock.now() }).where('id_hash', '=', session.id_hash).execute();
}

/**
 * Replaces a pending session by a full one under a new token (no session fixation). The
 * pending row is deleted conditionally, so two requests racing with one pending cookie cannot
 * both turn it into a session. `countsForStepUp`: the factor just used may also stand for the
 * re-check that changes of factors need (an app code or a recovery code may; a security key,
 * whose PIN is not required, may not: a stolen key must not be enough to pair a new phone).
 */
export async function completeSignIn(ctx: Ctx, pending: Session, client: ClientInfo, countsForStepUp: boolean): Promise<string | null> {
  return ctx.db.transaction().execute((trx) => replacePendingSession({ ...ctx, db: trx }, pending, client, countsForStepUp));
}

/** completeSignIn's work, inside a transaction the caller runs (`ctx.db` is that transaction). */
export async function replacePendingSession(ctx: Ctx, pending: Session, client: ClientInfo, countsForStepUp: boolean): Promise<string | null> {
  const deleted = await ctx.db.deleteFrom('sessions')
    .where('id_hash', '=', pending.id_hash).where('stage', '=', 'pending').executeTakeFirst();
  if (deleted.numDeletedRows !== 1n) return null;
  return insertSession(ctx, pending.user_id, 'full', client, null, ctx.config.sessionMaxHours * HOUR, countsForStepUp ? ctx.clock.now() : null);
}

// Every request looks its session up with the same statement: built and compiled once per
// database handle (Kysely would build and compile it anew each time), only the token hash varies.
const sessionLookups = new WeakMap<Kysely<Database>, ReturnType<typeof buildSessionLookup>>();

function buildSessionLookup(db: Kysely<Database>) {
  return db.selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.name', 'users.role', 'users.password_hash', 'users.password_changed_at',
      'users.created_at as user_created_at', 'users.disabled_at', 'users.language'])
    // In the same round trip: until the user saves codes shown to this session, pages send back to them.
    .select((eb) => eb.exists(eb.selectFrom('recovery_code_reveals').select('recovery_code_reveals.session_hash')
      .whereRef('recovery_code_reveals.session_hash', '=', 'sessions.id_hash')).as('recovery_codes_await_saving'))
    .where('sessions.id_hash', '=', '')
    .compile();
}

function sessionLookup(db: Kysely<Database>): ReturnType<typeof buildSessionLookup> {
  let compiled = sessionLookups.get(db);
  if (!compiled) {
    compiled = buildSessionLookup(db);
    if (compiled.parameters.length !== 1) throw new Error('the session lookup must have exactly one parameter');
    sessionLookups.set(db, compiled);
  }
  return compiled;
}

export async function findSession(ctx: Ctx, token: string | undefined): Promise<SessionLookup> {
  if (token === undefined || token === '') return { status: 'none' };
  if (!isWellFormedToken(token)) return { status: 'ended' };
  const lookup = sessionLookup(ctx.db);
  const query: typeof lookup = { ...lookup, parameters: [hashToken(token)] };
  const { rows: [row] } = await ctx.db.executeQuery(query);
  if (!row) return { status: 'ended' };
  const now = ctx.clock.now();
  const idleLimit = ctx.config.sessionIdleMinutes * MINUTE;
  const expired = now >= row.expires_at || (row.stage === 'full' && now - row.last_seen_at >= idleLimit);
  // A password change or a disabled account ends every session made before it.
  const superseded = row.password_changed_at !== null && row.created_at < row.password_changed_at;
  // Ended rows are left to deleteEndedSessions: a refused request changes nothing.
  if (expired || superseded || row.disabled_at !== null) return { status: 'ended' };
  if (now - row.last_seen_at >= touchInterval(ctx)) {
    await ctx.db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  }
  const { email, name, role, password_hash, password_changed_at, user_created_at, disabled_at, language, recovery_codes_await_saving, ...session } = row;
  const user: User = { id: row.user_id, email, name, role, password_hash, password_changed_at, created_at: user_created_at, disabled_at, language };
  // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
  return { status: 'valid', current: { session, user, recoveryCodesAwaitSaving: Boolean(recovery_codes_await_saving) } };
}

/** A pending session allows this many wrong codes; then the sign-in starts over with the password. */
export const SESSION_MAX_CODE_FAILURES = 5;

/**
 * Counts a code attempt against the pending session before the code is checked. Returns how many
 * attempts remain after this one, or null when the session has none left (or is gone), however
 * many requests arrive in parallel.
 */
export async function reserveSessionCodeAttempt(ctx: Ctx, session: Session): Promise<number | null> {
  const counted = await ctx.db.updateTable('sessions').set({ code_failures: sql`code_failures + 1` })
    .where('id_hash', '=', session.id_hash).where('stage', '=', 'pending')
    .where('code_failures', '<', SESSION_MAX_CODE_FAILURES)
    .returning('code_failures')
    .executeTakeFirst();
  if (!counted) countAttemptRefusal('sign_in_attempts');
  return counted ? SESSION_MAX_CODE_FAILURES - counted.code_failures : null;
}

/** Ends every session of an account (support's "sign out everywhere", MFA reset). Returns how many. */
export async function endAllSessions(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  const result = await ctx.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session of every account (after restoring a backup). Returns how many. */
export async function endEverySession(ctx: Pick<AppContext, 'db'>): Promise<number> {
  const result = await ctx.db.deleteFrom('sessions').executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function endSession(ctx: Ctx, session: Session): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', session.id_hash).execute();
}

/**
 * Removes sessions past their absolute or idle end, and returns them for the audit log; run
 * periodically, not on the request path. DELETE … RETURNING reports each one exactly once, even
 * with several instances sweeping.
 */
export async function deleteEndedSessions(ctx: Ctx): Promise<Pick<Session, 'user_id' | 'stage' | 'created_at' | 'last_seen_at' | 'expires_at'>[]> {
  const now = ctx.clock.now();
  const idleCutoff = now - ctx.config.sessionIdleMinutes * MINUTE;
  return ctx.db.deleteFrom('sessions')
    .where((eb) => eb.or([
      eb('expires_at', '<=', now),
      eb.and([eb('stage', '=', 'full'), eb('last_seen_at', '<=', idleCutoff)]),
    ]))
    .returning(['user_id', 'stage', 'created_at', 'last_seen_at', 'expires_at'])
    .execute();
}

async function insertSession(ctx: Ctx, userId: string, stage: SessionStage, client: ClientInfo,
  returnTo: string | null, lifetime: number, factorVerifiedAt: number | null, knownBrowserId: string | null = null): Promise<string> {
  const token = newToken();
  const now = ctx.clock.now();
  await ctx.db.insertInto('sessions').values({
    id_hash: hashToken(token),
    user_id: userId,
    stage,
    created_at: now,
    last_seen_at: now,
    expires_at: now + lifetime,
    return_to: returnTo,
    client_ip: client.clientIp,
    user_agent: client.userAgent,
    factor_verified_at: factorVerifiedAt,
    known_browser_id: knownBrowserId,
  }).execute();
  return token;
}

// Self-service (issue #4): a user's own list of sessions, and ending them.

/** What a user sees of one of their signed-in sessions. */
export interface SessionSummary {
  /** Names the session in forms without giving away its token hash. */
  reference: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  clientIp: string;
  userAgent: string;
  isCurrent: boolean;
}

/** A stable public name for a session: a hash of the token hash, so a page never shows the key itself. */
export function sessionReference(idHash: string): string {
  return createHash('sha256').update(`session-reference:${idHash}`).digest('base64url').slice(0, 22);
}

/** The account's live two-factor sessions, most recently used first. */
export async function listSessions(ctx: Ctx, userId: string, current: Session): Promise<SessionSummary[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db.selectFrom('sessions').selectAll()
    .where('user_id', '=', userId).where('stage', '=', 'full')
    .where('expires_at', '>', now).where('last_seen_at', '>', now - ctx.config.sessionIdleMinutes * MINUTE)
    .orderBy('last_seen_at', 'desc').execute();
  return rows.map((row) => ({
    reference: sessionReference(row.id_hash),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: Math.min(row.expires_at, row.last_seen_at + ctx.config.sessionIdleMinutes * MINUTE),
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    isCurrent: row.id_hash === current.id_hash,
  }));
}

/** Ends one session of the account, named by its reference; false when there is no such session. */
export async function endSessionByReference(ctx: Ctx, userId: string, reference: string): Promise<boolean> {
  const rows = await ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute();
  const target = rows.find((row) => sessionReference(row.id_hash) === reference);
  if (!target) return false;
  const ended = await ctx.db.deleteFrom('sessions').where('id_hash', '=', target.id_hash).where('user_id', '=', userId).executeTakeFirst();
  return ended.numDeletedRows === 1n;
}

/** Ends every session of the account but this one. Returns how many ended. */
export async function endOtherSessions(ctx: Ctx, userId: string, keep: Session): Promise<number> {
  const ended = await ctx.db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '<>', keep.id_hash).executeTakeFirst();
  return Number(ended.numDeletedRows);
}

/**
 * The same session under a new token (after a password change, which ends every older session):
 * same lifetime end and step-up state, new id. Returns the token for the cookie.
 */
export async function reissueSession(ctx: Ctx, session: Session, client: ClientInfo): Promise<string> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', session.id_hash).execute();
  const token = await insertSession(ctx, session.user_id, session.stage, client, null, session.expires_at - ctx.clock.now(), session.factor_verified_at);
  return token;
}

/**
 * A one-time message for the page at `path`, shown by the next request of this session for it
 * (after a redirect). Kept on the server: a message carried in the URL could be forged by anyone.
 */
export async function setFlash(ctx: Pick<AppContext, 'db'>, session: Session, path: string, message: string): Promise<void> {
  await ctx.db.updateTable('sessions').set({ flash: JSON.stringify({ path, message }) }).where('id_hash', '=', session.id_hash).execute();
}

/** The message waiting for `path` in this session, which it then no longer holds; null when there is none. */
export async function takeFlash(ctx: Pick<AppContext, 'db'>, session: Session, path: string): Promise<string | null> {
  if (session.flash === null) return null;
  const flash = JSON.parse(session.flash) as { path: string; message: string };
  if (flash.path !== path) return null;
  const taken = await ctx.db.updateTable('sessions').set({ flash: null })
    .where('id_hash', '=', session.id_hash).where('flash', '=', session.flash).executeTakeFirst();
  return taken.numUpdatedRows === 1n ? flash.message : null;
}
