// The only writer of totp_credentials: enrollment, confirmation and code checks with replay
// protection. Secrets are stored encrypted; a confirmed secret never leaves this module.
import type { AppContext } from '../context.js';
import type { TotpCredential } from '../db/schema.js';
import { open, seal } from './secret-box.js';
import { generateSecret, matchingStep } from './totp.js';
import { newId } from './tokens.js';

export type CodeCheck = 'accepted' | 'wrong' | 'replayed' | 'no-authenticator';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring'>;

// Binds each ciphertext to its row and account: a ciphertext moved elsewhere fails to decrypt.
const sealContext = (credential: { id: string; user_id: string }) => `totp:${credential.id}:${credential.user_id}`;

export async function hasAuthenticator(ctx: Ctx, userId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('totp_credentials').select('id')
    .where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/**
 * Starts a new enrollment with a fresh secret, replacing any earlier unconfirmed one. A fresh
 * secret at each sign-in means someone who once saw a pending secret (over a shoulder, with a
 * stolen password) cannot wait for the owner to confirm it.
 */
export async function beginEnrollment(ctx: Ctx, userId: string): Promise<void> {
  const credential = { id: newId(), user_id: userId };
  const sealed = seal(ctx.keyring, generateSecret(), sealContext(credential));
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('totp_credentials').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
    await trx.insertInto('totp_credentials').values({
      ...credential,
      key_id: sealed.keyId,
      secret_ciphertext: sealed.ciphertext,
      created_at: ctx.clock.now(),
      confirmed_at: null,
      last_used_step: null,
    }).execute();
  });
}

/** The secret of the enrollment in progress, to show as a QR code; null when there is none. */
export async function pendingSecret(ctx: Ctx, userId: string): Promise<Buffer | null> {
  const credential = await pendingCredential(ctx, userId);
  return credential ? decrypt(ctx, credential) : null;
}

/** Confirms the pending enrollment when the code is right; the first accepted step counts as used. */
export async function confirmEnrollment(ctx: Ctx, userId: string, code: string): Promise<CodeCheck> {
  const credential = await pendingCredential(ctx, userId);
  if (!credential) return 'no-authenticator';
  const step = matchingStep(decrypt(ctx, credential), code, ctx.clock.now());
  if (step === null) return 'wrong';
  // Conditional update: two tabs confirming at once, only one wins.
  const result = await ctx.db.updateTable('totp_credentials')
    .set({ confirmed_at: ctx.clock.now(), last_used_step: step })
    .where('id', '=', credential.id).where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? 'accepted' : 'replayed';
}

/**
 * Checks a code against the confirmed authenticator. A code is accepted at most once: the step
 * is recorded with a conditional UPDATE, so of two requests with the same code (on any number of
 * instances) exactly one wins, and a code from an earlier step than an accepted one is refused.
 */
export async function verifyCode(ctx: Ctx, userId: string, code: string): Promise<CodeCheck> {
  const credential = await ctx.db.selectFrom('totp_credentials').selectAll()
    .where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
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

function pendingCredential(ctx: Ctx, userId: string): Promise<TotpCredential | undefined> {
  return ctx.db.selectFrom('totp_credentials').selectAll()
    .where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
}

function decrypt(ctx: Ctx, credential: TotpCredential): Buffer {
  return open(ctx.keyring, { keyId: credential.key_id, ciphertext: Buffer.from(credential.secret_ciphertext) }, sealContext(credential));
}
