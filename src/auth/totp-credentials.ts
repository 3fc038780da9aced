// The only writer of totp_credentials: enrollment, confirmation and code checks with replay
// protection. Secrets are stored encrypted; a confirmed secret never leaves this module.
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { TotpCredential } from '../db/schema.js';
import { revokeAllDevices } from './devices.js';
import { DecryptionError, open, seal } from './secret-box.js';
import { sealedTableStore, type SealedStore } from './sealed-table.js';
import { generateSecret, matchingStep } from './totp.js';
import { newId } from './tokens.js';

export type CodeCheck = 'accepted' | 'wrong' | 'replayed' | 'no-authenticator';
export type EnrollmentCheck = 'accepted' | 'wrong' | 'no-enrollment' | 'already-enrolled';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring'>;

// Binds each ciphertext to its row and account: a ciphertext moved elsewhere fails to decrypt.
const sealContext = (credential: { id: string; user_id: string }) => `totp:${credential.id}:${credential.user_id}`;

export async function hasAuthenticator(ctx: Ctx, userId: string): Promise<boolean> {
  return (await confirmedCredential(ctx, userId)) !== undefined;
}

/**
 * The secret this sign-in (pending session) shows for pairing, created on first request. Each
 * sign-in gets its own: someone who saw the secret of another sign-in (with a stolen password, or
 * over a shoulder) cannot wait for the owner to confirm it, because confirming one secret
 * discards every other pending one.
 */
export async function enrollmentSecret(ctx: Ctx, userId: string, sessionHash: string): Promise<Buffer> {
  const existing = await pendingCredential(ctx, sessionHash);
  if (existing) return decrypt(ctx, existing);
  const credential = { id: newId(), user_id: userId };
  const secret = generateSecret();
  const sealed = seal(ctx.keyring, secret, sealContext(credential));
  // Two parallel first requests of one sign-in: the unique index keeps one row, and both show it.
  await ctx.db.insertInto('totp_credentials').values({
    ...credential,
    key_id: sealed.keyId,
    secret_ciphertext: sealed.ciphertext,
    created_at: ctx.clock.now(),
    confirmed_at: null,
    last_used_step: null,
    enrollment_session_hash: sessionHash,
  }).onConflict((oc) => oc.column('enrollment_session_hash').where('enrollment_session_hash', 'is not', null).doNothing()).execute();
  return decrypt(ctx, (await pendingCredential(ctx, sessionHash))!);
}

/** The secret this sign-in already shows, or null: for re-showing the page without creating anything. */
export async function existingEnrollmentSecret(ctx: Ctx, sessionHash: string): Promise<Buffer | null> {
  const credential = await pendingCredential(ctx, sessionHash);
  return credential ? decrypt(ctx, credential) : null;
}

/**
 * Confirms this sign-in's pending secret when the code is right: the account is enrolled, the
 * code's step counts as used, and every other pending secret of the account is discarded.
 */
export async function confirmEnrollment(ctx: Ctx, sessionHash: string, code: string): Promise<EnrollmentCheck> {
  const checked = await checkEnrollmentCode(ctx, sessionHash, code);
  if (checked === 'wrong' || checked === 'no-enrollment') return checked;
  try {
    return await ctx.db.transaction().execute((trx) => confirmCheckedEnrollment({ ...ctx, db: trx }, checked));
  } catch (error) {
    // Another sign-in of the account confirmed its own secret first (one confirmed per account).
    if (isUniqueViolation(error)) return 'already-enrolled';
    throw error;
  }
}

/** A pending secret whose code matched: ready to confirm, at this step. */
export interface CheckedEnrollment {
  credentialId: string;
  userId: string;
  step: number;
}

/** Checks a code against this sign-in's pending secret, writing nothing. */
export async function checkEnrollmentCode(ctx: Ctx, sessionHash: string, code: string): Promise<CheckedEnrollment | 'wrong' | 'no-enrollment'> {
  const credential = await pendingCredential(ctx, sessionHash);
  if (!credential) return 'no-enrollment';
  const step = matchingStep(decrypt(ctx, credential), code, ctx.clock.now());
  return step === null ? 'wrong' : { credentialId: credential.id, userId: credential.user_id, step };
}

/**
 * Confirms a checked secret, inside the caller's transaction (`ctx.db`). Throws a unique violation
 * when another sign-in of the account confirmed first.
 */
export async function confirmCheckedEnrollment(ctx: Pick<AppContext, 'db' | 'clock'>, checked: CheckedEnrollment): Promise<'accepted' | 'no-enrollment'> {
  const confirmed = await ctx.db.updateTable('totp_credentials')
    .set({ confirmed_at: ctx.clock.now(), last_used_step: checked.step, enrollment_session_hash: null })
    .where('id', '=', checked.credentialId).where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (confirmed.numUpdatedRows !== 1n) return 'no-enrollment';
  await ctx.db.deleteFrom('totp_credentials')
    .where('user_id', '=', checked.userId).where('confirmed_at', 'is', null).execute();
  return 'accepted';
}

/**
 * Checks a code against the confirmed authenticator. A code is accepted at most once: the step
 * is recorded with a conditional UPDATE, so of two requests with the same code (on any number of
 * instances) exactly one wins, and a code from an earlier step than an accepted one is refused.
 */
export async function verifyCode(ctx: Ctx, userId: string, code: string): Promise<CodeCheck> {
  const credential = await confirmedCredential(ctx, userId);
  if (!credential) return 'no-authenticator';
  const step = matchingStep(decrypt(ctx, credential), code, ctx.clock.now());
  if (step === null) return 'wrong';
  const result = await ctx.db.updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('id', '=', credential.id)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? 'accepted' : 'replayed';
}

/**
 * The time step this code matches for a confirmed credential the caller has read (the code step's
 * transaction reads it with its counters), or null. Writes nothing: the caller records the step.
 */
export function matchCredentialCode(ctx: Pick<AppContext, 'keyring' | 'clock'>,
  credential: Pick<TotpCredential, 'id' | 'user_id' | 'key_id' | 'secret_ciphertext'>, code: string): number | null {
  const secret = open(ctx.keyring, { keyId: credential.key_id, ciphertext: Buffer.from(credential.secret_ciphertext) }, sealContext(credential));
  return matchingStep(secret, code, ctx.clock.now());
}

/** Removes every authenticator of the account, confirmed or pending (MFA reset). Returns how many confirmed ones went. */
export async function removeAuthenticators(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  const confirmed = await ctx.db.deleteFrom('totp_credentials').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  await ctx.db.deleteFrom('totp_credentials').where('user_id', '=', userId).execute();
  return Number(confirmed.numDeletedRows);
}

/**
 * Pending secrets whose session can no longer confirm them: it has ended. (A signed-in user
 * pairing a new phone may take longer than a sign-in does, so age alone is not enough.)
 */
export async function deleteAbandonedEnrollments(ctx: Ctx, olderThan: number): Promise<void> {
  await ctx.db.deleteFrom('totp_credentials').where('confirmed_at', 'is', null).where('created_at', '<', olderThan)
    .where((eb) => eb.or([
      eb('enrollment_session_hash', 'is', null),
      eb.not(eb.exists(eb.selectFrom('sessions').select('sessions.id_hash').whereRef('sessions.id_hash', '=', 'totp_credentials.enrollment_session_hash'))),
    ]))
    .execute();
}

export type ReplacementCheck = { outcome: 'accepted'; devicesRevoked: number } | { outcome: 'wrong' | 'no-enrollment' };

/**
 * New phone: the secret this signed-in session shows replaces the account's authenticator once a
 * code from the new app matches it. Until then the old one keeps working; then, in one
 * transaction, the old secret is destroyed, the new one confirmed (its code's step counts as
 * used), other pending secrets dropped and, if asked, every remembered device revoked.
 */
export async function replaceAuthenticator(ctx: Ctx, userId: string, sessionHash: string, code: string,
  options: { revokeDevices: boolean }): Promise<ReplacementCheck> {
  const pending = await pendingCredential(ctx, sessionHash);
  if (!pending || pending.user_id !== userId) return { outcome: 'no-enrollment' };
  const step = matchingStep(decrypt(ctx, pending), code, ctx.clock.now());
  if (step === null) return { outcome: 'wrong' };
  return ctx.db.transaction().execute(async (trx) => {
    // Old first: one confirmed authenticator per account (a partial unique index).
    await trx.deleteFrom('totp_credentials').where('user_id', '=', userId).where('confirmed_at', 'is not', null).execute();
    const confirmed = await trx.updateTable('totp_credentials')
      .set({ confirmed_at: ctx.clock.now(), last_used_step: step, enrollment_session_hash: null })
      .where('id', '=', pending.id).where('confirmed_at', 'is', null).executeTakeFirst();
    if (confirmed.numUpdatedRows !== 1n) throw new ReplacementLost();
    await trx.deleteFrom('totp_credentials').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
    const devicesRevoked = options.revokeDevices ? await revokeAllDevices({ ...ctx, db: trx }, userId) : 0;
    return { outcome: 'accepted' as const, devicesRevoked };
  }).catch((error: unknown) => {
    // Another tab of this session confirmed the same secret first: this one changed nothing.
    if (error instanceof ReplacementLost || isUniqueViolation(error)) return { outcome: 'no-enrollment' as const };
    throw error;
  });
}

class ReplacementLost extends Error {}

/** When the account's authenticator was paired, or null when it has none. */
export async function authenticatorPairedAt(ctx: Ctx, userId: string): Promise<number | null> {
  return (await confirmedCredential(ctx, userId))?.confirmed_at ?? null;
}

function confirmedCredential(ctx: Ctx, userId: string): Promise<TotpCredential | undefined> {
  return ctx.db.selectFrom('totp_credentials').selectAll()
    .where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
}

function pendingCredential(ctx: Ctx, sessionHash: string): Promise<TotpCredential | undefined> {
  return ctx.db.selectFrom('totp_credentials').selectAll()
    .where('enrollment_session_hash', '=', sessionHash).where('confirmed_at', 'is', null).executeTakeFirst();
}

function decrypt(ctx: Ctx, credential: TotpCredential): Buffer {
  return open(ctx.keyring, { keyId: credential.key_id, ciphertext: Buffer.from(credential.secret_ciphertext) }, sealContext(credential));
}

/** The authenticator secrets as sealed secrets: the start-up key check and `hms rekey`. */
export const totpSecrets: SealedStore = sealedTableStore<TotpCredential>({
  what: 'authenticator secrets',
  table: 'totp_credentials',
  columns: { id: 'id', keyId: 'key_id', ciphertext: 'secret_ciphertext' },
  open: decrypt,
  context: sealContext,
  async unopenable(_ctx, credential) {
    throw new DecryptionError(`The authenticator secret ${credential.id} (account ${credential.user_id}) does not decrypt with key "${credential.key_id}": `
      + 'reset that account\'s second factor (`hms user reset-mfa`), then run `hms rekey` again.');
  },
});
