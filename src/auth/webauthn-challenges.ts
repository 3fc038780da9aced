// The only writer of webauthn_challenges. A WebAuthn ceremony signs a random challenge; each one
// is kept on the server, bound to the session that asked for it, expires after a few minutes
// and is taken (deleted) by the first answer, right or wrong, so no answer can be replayed.
import { MINUTE } from '../clock.js';
import type { AppContext } from '../context.js';
import type { WebauthnPurpose } from '../db/schema.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** Long enough to find the key and touch it; the browser's own timeout is shorter. */
export const CHALLENGE_LIFETIME = 5 * MINUTE;

/** Keeps the session's challenge for this purpose, replacing an earlier one (a reloaded page). */
export async function keepChallenge(ctx: Ctx, sessionHash: string, purpose: WebauthnPurpose, challenge: string): Promise<void> {
  const expiresAt = ctx.clock.now() + CHALLENGE_LIFETIME;
  await ctx.db.insertInto('webauthn_challenges')
    .values({ session_hash: sessionHash, purpose, challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['session_hash', 'purpose']).doUpdateSet({ challenge, expires_at: expiresAt }))
    .execute();
}

/** Takes the session's live challenge for this purpose: one DELETE … RETURNING, so only one request gets it. */
export async function takeChallenge(ctx: Ctx, sessionHash: string, purpose: WebauthnPurpose): Promise<string | null> {
  const taken = await ctx.db.deleteFrom('webauthn_challenges')
    .where('session_hash', '=', sessionHash).where('purpose', '=', purpose)
    .returning(['challenge', 'expires_at'])
    .executeTakeFirst();
  return taken && taken.expires_at > ctx.clock.now() ? taken.challenge : null;
}

export async function deleteExpiredChallenges(ctx: Ctx): Promise<void> {
  await ctx.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', ctx.clock.now()).execute();
}
