// The only writer of webauthn_challenges and reset_webauthn_challenges. A WebAuthn ceremony signs
// a random challenge; each one is kept on the server, bound to what asked for it (a session, or a
// password-reset link, which has no session), expires after a few minutes and is taken (deleted)
// by the first answer, right or wrong, so no answer can be replayed or carried to another owner.
import { MINUTE } from '../clock.js';
import type { AppContext } from '../context.js';
import type { WebauthnPurpose } from '../db/schema.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** Long enough to find the key and touch it; the browser's own timeout is shorter. */
export const CHALLENGE_LIFETIME = 5 * MINUTE;

/** Whose challenge it is: a session (by its id hash) or a password-reset link (by its token hash). */
export type ChallengeOwner = { sessionHash: string } | { resetHash: string };

/** Keeps the owner's challenge for this purpose, replacing an earlier one (a reloaded page). */
export async function keepChallenge(ctx: Ctx, owner: ChallengeOwner, purpose: WebauthnPurpose, challenge: string): Promise<void> {
  const expiresAt = ctx.clock.now() + CHALLENGE_LIFETIME;
  if ('resetHash' in owner) {
    // A link only ever authenticates: it registers nothing.
    if (purpose !== 'authenticate') throw new Error('A password-reset link only asks a key to authenticate');
    await ctx.db.insertInto('reset_webauthn_challenges')
      .values({ reset_hash: owner.resetHash, challenge, expires_at: expiresAt })
      .onConflict((oc) => oc.column('reset_hash').doUpdateSet({ challenge, expires_at: expiresAt }))
      .execute();
    return;
  }
  await ctx.db.insertInto('webauthn_challenges')
    .values({ session_hash: owner.sessionHash, purpose, challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['session_hash', 'purpose']).doUpdateSet({ challenge, expires_at: expiresAt }))
    .execute();
}

/** Takes the owner's live challenge for this purpose: one DELETE … RETURNING, so only one request gets it. */
export async function takeChallenge(ctx: Ctx, owner: ChallengeOwner, purpose: WebauthnPurpose): Promise<string | null> {
  const taken = 'resetHash' in owner
    ? purpose === 'authenticate' ? await takeResetChallenge(ctx, owner.resetHash) : undefined
    : await ctx.db.deleteFrom('webauthn_challenges')
      .where('session_hash', '=', owner.sessionHash).where('purpose', '=', purpose)
      .returning(['challenge', 'expires_at'])
      .executeTakeFirst();
  return taken && taken.expires_at > ctx.clock.now() ? taken.challenge : null;
}

function takeResetChallenge(ctx: Ctx, resetHash: string) {
  return ctx.db.deleteFrom('reset_webauthn_challenges').where('reset_hash', '=', resetHash)
    .returning(['challenge', 'expires_at']).executeTakeFirst();
}

export async function deleteExpiredChallenges(ctx: Ctx): Promise<void> {
  await ctx.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', ctx.clock.now()).execute();
  await ctx.db.deleteFrom('reset_webauthn_challenges').where('expires_at', '<=', ctx.clock.now()).execute();
}
