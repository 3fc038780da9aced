// The code step of sign-in (an authenticator app's code for a password-only session) as one
// transaction, one commit: the three attempt counters (client address, this sign-in, the account)
// are reserved first, the code is checked, and then, for a right code, the replay marker, the
// counters given back, the session swap, the audit row and the known browser, all together.
// Inside the transaction the counters' rows stay locked (PostgreSQL: row locks; SQLite: the one
// writer), so parallel guesses still get exactly as many evaluations as the limits allow, on any
// number of instances; and a failure part-way leaves nothing half done. A refused attempt (a limit
// reached) rolls back: it was not evaluated, so it counts nowhere. On PostgreSQL the same steps
// run in fewer round trips (sign-in-code-postgres.ts).
import type { AppContext } from '../context.js';
import type { Session } from '../db/schema.js';
import { recordEvent } from './audit.js';
import { recoveryCodeStanding, type RecoveryCodeStanding } from './recovery-codes.js';
import { checkSignInCodePostgres } from './sign-in-code-postgres.js';
import { recognizeBrowser } from './known-browsers.js';
import { replacePendingSession, reserveSessionCodeAttempt, type ClientInfo } from './sessions.js';
import { addressGuessSucceeded, codeSucceeded, reserveAddressGuess, reserveCodeAttempt, type AddressGuess, type Refusal } from './throttles.js';
import { verifyCode } from './totp-credentials.js';

type Ctx = Pick<AppContext, 'db' | 'dialect' | 'clock' | 'config' | 'keyring' | 'log'>;

export interface SignInCodeInput {
  /** The password-only session the code is for. */
  session: Session;
  /** A 6-digit code, already normalized. */
  code: string;
  client: ClientInfo;
  /** The known-browser tokens the browser holds (any account's). */
  knownBrowserTokens: readonly string[];
}

export type SignInCodeResult =
  /** The client address has used its budget (strangers only): nothing was evaluated. */
  | { outcome: 'address-limited'; refusal: Refusal }
  /** This sign-in has no attempts left, or is gone: it must start over. */
  | { outcome: 'start-over' }
  /** The account's second factor is locked: nothing was evaluated. */
  | { outcome: 'locked'; lockedUntil: number }
  | { outcome: 'no-authenticator' }
  /** Wrong or already used (audited): `remaining` attempts in this sign-in; `locksNow`: this one locked the account. */
  | { outcome: 'wrong' | 'replayed'; remaining: number; locksNow: boolean }
  /** Signed in (audited): the new session's token and the browser's known-browser token for the account. */
  | { outcome: 'accepted'; token: string; knownBrowserToken: string; recoveryCodes: RecoveryCodeStanding };

/** Rolls the transaction back without an error escaping: a refused attempt was not evaluated, so it costs nothing. */
class Refused extends Error {
  constructor(readonly result: SignInCodeResult) {
    super('refused');
  }
}

export async function checkSignInCode(ctx: Ctx, input: SignInCodeInput): Promise<SignInCodeResult> {
  if (ctx.dialect === 'postgres') return checkSignInCodePostgres(ctx, input); // the same, in fewer round trips
  const { session, client } = input;
  const userId = session.user_id;
  return ctx.db.transaction().execute(async (trx) => {
    const t = { ...ctx, db: trx };
    // A browser known for the account is exempt from the address budget strangers fill.
    let address: AddressGuess | null = null;
    if (session.known_browser_id === null) {
      const guess = await reserveAddressGuess(t, client.clientIp);
      if ('limited' in guess) throw new Refused({ outcome: 'address-limited', refusal: guess });
      address = guess;
    }
    const remaining = await reserveSessionCodeAttempt(t, session);
    if (remaining === null) throw new Refused({ outcome: 'start-over' });
    const attempt = await reserveCodeAttempt(t, userId);
    if (!attempt.counted) throw new Refused({ outcome: 'locked', lockedUntil: attempt.lockedUntil });

    const checked = await verifyCode(t, userId, input.code);
    if (checked === 'no-authenticator') throw new Refused({ outcome: 'no-authenticator' });
    if (checked !== 'accepted') {
      await recordEvent(t, {
        event: checked === 'replayed' ? 'sign_in.code_replayed' : 'sign_in.code_failed', subjectUserId: userId,
        clientIp: client.clientIp, userAgent: client.userAgent, details: { step: 'verify' },
      });
      return { outcome: checked, remaining, locksNow: attempt.locksNow };
    }
    // Right: the account's count starts over, the address gets its attempt back.
    await codeSucceeded(t, userId);
    if (address) await addressGuessSucceeded(t, address);
    const token = await replacePendingSession(t, session, client, true);
    if (token === null) throw new Refused({ outcome: 'start-over' }); // cannot happen: this transaction holds the row
    await recordEvent(t, {
      event: 'sign_in.succeeded', actorUserId: userId, subjectUserId: userId,
      clientIp: client.clientIp, userAgent: client.userAgent, details: { second_factor: 'totp' },
    });
    const knownBrowserToken = await recognizeBrowser(t, userId, input.knownBrowserTokens);
    return { outcome: 'accepted' as const, token, knownBrowserToken, recoveryCodes: await recoveryCodeStanding(t, userId) };
  }).catch((error: unknown) => {
    if (error instanceof Refused) return error.result;
    throw error;
  });
}
