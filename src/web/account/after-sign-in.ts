// Where a user lands after signing in: where they were going, unless their recovery codes need
// them first — a set they never confirmed saving, or one running out.
import type { AppContext } from '../../context.js';
import { RECOVERY_CODES_LOW, recoveryCodeStanding, type RecoveryCodeStanding } from '../../auth/recovery-codes.js';

/** `codes`: the account's recovery codes, when the sign-in's transaction has just read them. */
export async function afterSignInLocation(ctx: Pick<AppContext, 'db'>, userId: string, next: string, codes?: RecoveryCodeStanding): Promise<string> {
  const standing = codes ?? await recoveryCodeStanding(ctx, userId);
  const via = (page: string) => `/account/security/recovery-codes/${page}?next=${encodeURIComponent(next)}`;
  if (standing.unconfirmed) return via('unconfirmed');
  if (standing.left <= RECOVERY_CODES_LOW) return via('running-low');
  return next;
}
