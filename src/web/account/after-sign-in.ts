// Where a user lands after signing in: where they were going, unless their recovery codes are
// running out, which they should hear about first.
import type { AppContext } from '../../context.js';
import { RECOVERY_CODES_LOW, remainingRecoveryCodes } from '../../auth/recovery-codes.js';

/** `codesLeft`: the count, when the sign-in's transaction has just read it. */
export async function afterSignInLocation(ctx: Pick<AppContext, 'db'>, userId: string, next: string, codesLeft?: number): Promise<string> {
  if ((codesLeft ?? await remainingRecoveryCodes(ctx, userId)) > RECOVERY_CODES_LOW) return next;
  return `/account/security/recovery-codes/running-low?next=${encodeURIComponent(next)}`;
}
