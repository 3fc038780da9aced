// The ends of the second-factor step, whichever factor was used (app code, recovery code,
// security key): signed in, started over, or locked.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { liveDeviceTokens, rememberDevice } from '../../auth/devices.js';
import { completeSignIn, endSession, reserveSessionCodeAttempt, SESSION_MAX_CODE_FAILURES } from '../../auth/sessions.js';
import { addressGuessSucceeded, codeSucceeded, reserveAddressGuess, reserveCodeAttempt, type AddressGuess, type Refusal } from '../../auth/throttles.js';
import type { RecoveryCodeStanding } from '../../auth/recovery-codes.js';
import type { MessageKey } from '../../i18n/translate.js';
import { countSignIn } from '../../metrics/registry.js';
import { requestTranslator } from '../language.js';
import { afterSignInLocation } from '../account/after-sign-in.js';
import type { SecondFactor } from '../account/views.js';
import { audit, auditCodeLock } from '../audit.js';
import { sendNotice } from '../../mail/notifications.js';
import { clientInfo } from '../client-info.js';
import { clearSessionCookie, deviceTokens, setDeviceTokens, setSessionCookie } from '../cookies.js';
import { SIGN_IN_EXPIRED } from '../guards.js';
import { markBrowserKnown } from '../known-browser.js';
import { LoginPage } from '../login/views.js';
import { redirect, sendPage } from '../render.js';
import { describeWait, throttledMessage } from '../wait.js';
import { LockedPage } from './views.js';

export const START_OVER = 'signin.code.startOver' satisfies MessageKey;

export interface SignInDone {
  secondFactor: SecondFactor;
  remember: boolean;
  /** First pairing (the codes were stored with it): show the new recovery codes before anything else. */
  enrolled?: boolean;
  /** Where to go instead of the page the user was heading for (it is passed on as ?next=). */
  via?: string;
  /** The sign-in's audit row is already written (in the code step's transaction). */
  audited?: boolean;
  /** The known-browser token already renewed or made for the account (in that same transaction). */
  knownBrowserToken?: string;
  /** The account's recovery codes, read in that same transaction. */
  recoveryCodes?: RecoveryCodeStanding;
}

/** Second factor passed: a new session id, this browser remembered if asked, then onwards. */
export async function finishSignIn(request: FastifyRequest, reply: FastifyReply, done: SignInDone) {
  const token = await completeSignIn(request.server.ctx, request.current!.session, clientInfo(request), done.secondFactor !== 'security_key');
  if (!token) return sendPage(reply, 401, <LoginPage notice={request.t(SIGN_IN_EXPIRED)} />);
  return signedIn(request, reply, token, done);
}

/** The session is now full under `token`: its cookie, this browser known (and remembered if asked), then onwards. */
export async function signedIn(request: FastifyRequest, reply: FastifyReply, token: string, done: SignInDone) {
  const { ctx } = request.server;
  const { session, user } = request.current!;
  setSessionCookie(reply, token);
  if (!done.audited) await audit(request, 'sign_in.succeeded', { actorUserId: user.id, subjectUserId: user.id, details: { second_factor: done.secondFactor } });
  // A browser without the account's known-browser cookie: its holder hears of it (not at the first
  // pairing, which has a notice of its own).
  if (session.known_browser_id === null && !done.enrolled) {
    await sendNotice(ctx, ctx.db, user.id, { notice: 'new_browser' }, clientInfo(request));
  }
  await markBrowserKnown(request, reply, user.id, done.knownBrowserToken);
  if (done.remember) {
    const device = await rememberDevice(ctx, user.id, clientInfo(request));
    setDeviceTokens(reply, [device.token, ...(await liveDeviceTokens(ctx, deviceTokens(request)))]);
    await audit(request, 'device.remembered', { actorUserId: user.id, subjectUserId: user.id, details: { device_id: device.id } });
  }
  const next = session.return_to ?? '/';
  if (done.enrolled) {
    await audit(request, 'recovery_codes.generated', { actorUserId: user.id, subjectUserId: user.id, details: { reason: 'enrollment' } });
    return redirect(reply, `/account/security/recovery-codes/new?next=${encodeURIComponent(next)}`);
  }
  if (done.via) return redirect(reply, `${done.via}?next=${encodeURIComponent(next)}`);
  return redirect(reply, await afterSignInLocation(ctx, user.id, next, done.recoveryCodes));
}

/** Too many wrong answers in this sign-in: it ends, and the password is needed again. */
export async function startOver(request: FastifyRequest, reply: FastifyReply) {
  const { session, user } = request.current!;
  await endSession(request.server.ctx, session);
  clearSessionCookie(reply);
  await audit(request, 'sign_in.too_many_codes', { subjectUserId: user.id, details: { max: SESSION_MAX_CODE_FAILURES } });
  return sendPage(reply, 429, <LoginPage error={request.t(START_OVER)} />);
}

/** The second factor of this account is locked: say until when, and whom to call. */
export async function sendLocked(request: FastifyRequest, reply: FastifyReply, lockedUntil: number) {
  const wait = lockedUntil - request.server.ctx.clock.now();
  await endSession(request.server.ctx, request.current!.session);
  clearSessionCookie(reply);
  reply.header('retry-after', Math.ceil(wait / 1000));
  return sendPage(reply, 429, <LockedPage wait={describeWait(wait, requestTranslator(request))} />);
}

/** A page of the step the guess came from, with this error (translated) and status. */
export type StepPage = (status: number, error: string) => Promise<FastifyReply>;

/** A counted guess at the second factor: settle it with signInGuessSucceeded or signInGuessFailed. */
export interface SignInGuess {
  step: 'code' | 'recovery_code';
  /** Null for a sign-in from a browser known for the account: strangers' failures do not hold it up. */
  address: AddressGuess | null;
  /** Wrong answers this sign-in may still give after this one. */
  remaining: number;
  locksNow: boolean;
}

/**
 * The limits every guess at the second factor of a sign-in (an app code, a recovery code) passes,
 * each counted before the guess is evaluated: the client address, this sign-in, the account.
 * A refusal is sent at once.
 */
export async function countSignInGuess(request: FastifyRequest, reply: FastifyReply, page: StepPage,
  step: SignInGuess['step']): Promise<SignInGuess | { refused: FastifyReply }> {
  const { ctx } = request.server;
  const { session, user } = request.current!;
  const address = session.known_browser_id === null ? await reserveAddressGuess(ctx, clientInfo(request).clientIp) : null;
  if (address && 'limited' in address) {
    countSignIn(step, 'limited');
    reply.header('retry-after', Math.ceil(address.retryAfterMs / 1000));
    return { refused: await page(429, throttledMessage(address, requestTranslator(request))) };
  }
  const remaining = await reserveSessionCodeAttempt(ctx, session);
  if (remaining === null) {
    countSignIn(step, 'limited');
    return { refused: await startOver(request, reply) };
  }
  const attempt = await reserveCodeAttempt(ctx, user.id);
  if (!attempt.counted) {
    countSignIn(step, 'locked');
    return { refused: await sendLocked(request, reply, attempt.lockedUntil) };
  }
  return { step, address, remaining, locksNow: attempt.locksNow };
}

/** A guess refused before it was evaluated (code step, auth/sign-in-code.ts): the answer for each limit. */
export async function signInGuessRefused(request: FastifyRequest, reply: FastifyReply, page: StepPage, step: SignInGuess['step'],
  refused: { outcome: 'address-limited'; refusal: Refusal } | { outcome: 'start-over' } | { outcome: 'locked'; lockedUntil: number }) {
  countSignIn(step, refused.outcome === 'locked' ? 'locked' : 'limited');
  if (refused.outcome === 'start-over') return startOver(request, reply);
  if (refused.outcome === 'locked') return sendLocked(request, reply, refused.lockedUntil);
  reply.header('retry-after', Math.ceil(refused.refusal.retryAfterMs / 1000));
  return page(429, throttledMessage(refused.refusal, requestTranslator(request)));
}

/** A right answer: the account's count starts over and the address gets its attempt back. */
export async function signInGuessSucceeded(request: FastifyRequest, guess: SignInGuess): Promise<void> {
  const { ctx } = request.server;
  countSignIn(guess.step, 'ok');
  await codeSucceeded(ctx, request.current!.user.id);
  if (guess.address) await addressGuessSucceeded(ctx, guess.address);
}

/** A wrong answer (already audited): the lock it set, the end of this sign-in, or the step again. */
export async function signInGuessFailed(request: FastifyRequest, reply: FastifyReply, guess: SignInGuess, error: string, page: StepPage) {
  countSignIn(guess.step, 'wrong');
  if (guess.locksNow) return sendLocked(request, reply, await auditCodeLock(request, request.current!.user.id));
  if (guess.remaining === 0) return startOver(request, reply);
  return page(401, error);
}
