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

/**
 * Keeps a challenge for the owner and purpose, and returns the one to sign. A session's replaces
 * an earlier one (a reloaded page). A link's live challenge is kept and handed out again: the link
 * may be open in two tabs or on two devices, and a second one opening the key step must not make
 * the first one's genuine answer fail and cost one of the link's five.
 */
export async function keepChallenge(ctx: Ctx, owner: ChallengeOwner, purpose: WebauthnPurpose, challenge: string): Promise<string> {
  const now = ctx.clock.now();
  const expiresAt = now + CHALLENGE_LIFETIME;
  if ('resetHash' in owner) {
    // A link only ever authenticates: it registers nothing.
    if (purpose !== 'authenticate') throw new Error('A password-reset link only asks a key to authenticate');
    const kept = await ctx.db.insertInto('reset_webauthn_challenges')
      .values({ reset_hash: owner.resetHash, challenge, expires_at: expiresAt })
      .onConflict((oc) => oc.column('reset_hash').doUpdateSet({ challenge, expires_at: expiresAt })
        .where('reset_webauthn_challenges.expires_at', '<=', now))
      .returning('challenge').executeTakeFirst();
    if (kept) return kept.challenge;
    const live = await ctx.db.selectFrom('reset_webauthn_challenges').select('challenge')
      .where('reset_hash', '=', owner.resetHash).executeTakeFirst();
    // Taken by an answer in between: keep this one instead.
    return live?.challenge ?? keepChallenge(ctx, owner, purpose, challenge);
  }
  await ctx.db.insertInto('webauthn_challenges')
    .values({ session_hash: owner.sessionHash, purpose, challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['session_hash', 'purpose']).doUpdateSet({ challenge, expires_at: expiresAt }))
    .execute();
  return challenge;
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
