// The only writer of remembered_devices. "Remember this device for 30 days" stores a random
// token in the browser; the table keeps its hash, bound to one account. The device then skips
// the code step (never the password) for that account until 30 days after it was remembered.
import type { AppContext } from '../context.js';
import { DAY } from '../clock.js';
import type { RememberedDevice } from '../db/schema.js';
import type { ClientInfo } from './sessions.js';
import { hashToken, isWellFormedToken, newId, newToken } from './tokens.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const REMEMBER_DEVICE_DAYS = 30;

/** Remembers this browser for the account. Returns the token for the cookie. */
export async function rememberDevice(ctx: Ctx, userId: string, client: ClientInfo): Promise<{ id: string; token: string; expiresAt: number }> {
  const token = newToken();
  const id = newId();
  const now = ctx.clock.now();
  const expiresAt = now + REMEMBER_DEVICE_DAYS * DAY; // fixed from now: using it does not extend it
  await ctx.db.insertInto('remembered_devices').values({
    id,
    user_id: userId,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: expiresAt,
    last_used_at: null,
    revoked_at: null,
    client_ip: client.clientIp,
    user_agent: client.userAgent,
  }).execute();
  return { id, token, expiresAt };
}

/**
 * The live remembered device of this account among the browser's tokens, marked as used; null
 * when none is. Tokens of other accounts in the same browser never match.
 */
export async function useRememberedDevice(ctx: Ctx, userId: string, tokens: readonly string[]): Promise<RememberedDevice | null> {
  const hashes = tokens.filter(isWellFormedToken).map(hashToken);
  if (hashes.length === 0) return null;
  const now = ctx.clock.now();
  const device = await ctx.db.selectFrom('remembered_devices').selectAll()
    .where('user_id', '=', userId)
    .where('token_hash', 'in', hashes)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!device) return null;
  await ctx.db.updateTable('remembered_devices').set({ last_used_at: now }).where('id', '=', device.id).execute();
  return device;
}

/** Which of the browser's tokens still belong to a live device (of any account): the rest can go. */
export async function liveDeviceTokens(ctx: Ctx, tokens: readonly string[]): Promise<string[]> {
  const byHash = new Map(tokens.filter(isWellFormedToken).map((token) => [hashToken(token), token]));
  if (byHash.size === 0) return [];
  const live = await ctx.db.selectFrom('remembered_devices').select('token_hash')
    .where('token_hash', 'in', [...byHash.keys()])
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', ctx.clock.now())
    .execute();
  return live.map((row) => byHash.get(row.token_hash)!);
}


/** Devices expired or revoked before this time: nothing will ever accept them again. */
export async function deleteExpiredDevices(ctx: Ctx, before: number): Promise<void> {
  await ctx.db.deleteFrom('remembered_devices')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)])).execute();
}

/** Revokes every remembered device of the account (password change, MFA reset). */
export async function revokeAllDevices(ctx: Ctx, userId: string): Promise<number> {
  const result = await ctx.db.updateTable('remembered_devices').set({ revoked_at: ctx.clock.now() })
    .where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every remembered device of every account (after restoring a backup). Returns how many. */
export async function revokeEveryDevice(ctx: Ctx): Promise<number> {
  const result = await ctx.db.updateTable('remembered_devices').set({ revoked_at: ctx.clock.now() })
    .where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// Self-service (issue #4): a user's own list of remembered devices, and revoking one.

/** What a user sees of one of their remembered devices. */
export interface DeviceSummary {
  id: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  clientIp: string;
  userAgent: string;
  /** Remembered in the browser showing the list. */
  isThisBrowser: boolean;
}

/** The account's live remembered devices, newest first; `browserTokens` mark this browser's own. */
export async function listDevices(ctx: Ctx, userId: string, browserTokens: readonly string[]): Promise<DeviceSummary[]> {
  const ownHashes = new Set(browserTokens.filter(isWellFormedToken).map(hashToken));
  const rows = await ctx.db.selectFrom('remembered_devices').selectAll()
    .where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', ctx.clock.now())
    .orderBy('created_at', 'desc').execute();
  return rows.map((row) => ({
    id: row.id, createdAt: row.created_at, lastUsedAt: row.last_used_at, expiresAt: row.expires_at,
    clientIp: row.client_ip, userAgent: row.user_agent, isThisBrowser: ownHashes.has(row.token_hash),
  }));
}

/** Revokes one remembered device of the account; false when it is not the account's or not live. */
export async function revokeDevice(ctx: Ctx, userId: string, deviceId: string): Promise<boolean> {
  const result = await ctx.db.updateTable('remembered_devices').set({ revoked_at: ctx.clock.now() })
    .where('id', '=', deviceId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
