// The first pairing of an account's authenticator, all or nothing: in one transaction the secret
// is confirmed, the re-pairing gate (if any) passed, the sign-in completed and the recovery codes
// stored. A crash or a failed write at any point leaves the account unpaired and the sign-in
// pending, never paired without its recovery codes.
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Session } from '../db/schema.js';
import { passPairingGate, spendPairingLink } from './pairing-links.js';
import { newRecoveryCodeSet, storeRecoveryCodes } from './recovery-codes.js';
import { replacePendingSession, startPendingSession, type ClientInfo } from './sessions.js';
import { hashToken } from './tokens.js';
import { confirmCheckedEnrollment, type CheckedEnrollment } from './totp-credentials.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'keyring' | 'passwords'>;

export type FirstPairing =
  | { outcome: 'paired'; token: string }
  /** Another sign-in of the account paired first: its authenticator is the one now. */
  | { outcome: 'already-enrolled' }
  /** The account is gated: only the sign-in that opened its re-pairing link may pair. */
  | { outcome: 'needs-link' }
  /** The pending sign-in ended meanwhile (expired, or another tab finished it). */
  | { outcome: 'expired' };

class PairingAbandoned extends Error {
  constructor(readonly outcome: 'already-enrolled' | 'needs-link' | 'expired') {
    super(outcome);
  }
}

/**
 * Pairs the secret whose code was checked and signs the pending session in under a new token
 * (returned). A pairing is not a fresh code for later changes of factors: the session does not
 * count as stepped up.
 */
export async function pairFirstAuthenticator(ctx: Ctx, pending: Session, checked: CheckedEnrollment, client: ClientInfo): Promise<FirstPairing> {
  const codes = await newRecoveryCodeSet(ctx); // slow hashing, before the transaction
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const scoped = { ...ctx, db: trx };
      if ((await confirmCheckedEnrollment(scoped, checked)) !== 'accepted') throw new PairingAbandoned('already-enrolled');
      if (!(await passPairingGate(scoped, pending.user_id, pending.id_hash))) throw new PairingAbandoned('needs-link');
      const token = await replacePendingSession(scoped, pending, client, false);
      if (token === null) throw new PairingAbandoned('expired');
      await storeRecoveryCodes(scoped, pending.user_id, hashToken(token), codes);
      return { outcome: 'paired' as const, token };
    });
  } catch (error) {
    if (error instanceof PairingAbandoned) return { outcome: error.outcome };
    // Another sign-in of the account confirmed its own secret first (one confirmed per account).
    if (isUniqueViolation(error)) return { outcome: 'already-enrolled' };
    throw error;
  }
}

/**
 * The right password was given through a re-pairing link: a pending sign-in starts, and the link
 * is spent on it, together (two tabs at once: one gets the sign-in, the other nothing). Returns
 * the session's token, or null when the link was spent meanwhile.
 */
export async function openPairingLink(ctx: Ctx, linkToken: string, userId: string, client: ClientInfo, knownBrowserId: string | null): Promise<string | null> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const scoped = { ...ctx, db: trx };
      const token = await startPendingSession(scoped, userId, client, null, knownBrowserId);
      if (!(await spendPairingLink(scoped, linkToken, userId, hashToken(token)))) throw new PairingAbandoned('needs-link');
      return token;
    });
  } catch (error) {
    if (error instanceof PairingAbandoned) return null;
    throw error;
  }
}
