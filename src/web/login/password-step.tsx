// The password check of a sign-in (and of a re-pairing link), under the attempt limits: a browser
// known for the account has its own budget; any other browser is a stranger, limited per email,
// per client address and in password hashes per minute.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkPassword, normalizeEmail } from '../../auth/accounts.js';
import { findKnownBrowser, KNOWN_BROWSER_FREE_FAILURES, knownBrowserSucceeded, reserveKnownBrowserAttempt } from '../../auth/known-browsers.js';
import { limitReachedBy, passwordSucceeded, reservePasswordAttempt } from '../../auth/throttles.js';
import type { User } from '../../db/schema.js';
import { countSignIn } from '../../metrics/registry.js';
import { audit } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { knownBrowserTokens } from '../cookies.js';
import { throttledMessage } from '../wait.js';
import type { MessageKey } from '../../i18n/translate.js';
import { requestTranslator } from '../language.js';

export const INCORRECT_CREDENTIALS = 'signin.login.incorrect' satisfies MessageKey;

/** The page of the step the password came from, with this status and error (translated). */
export type PasswordPage = (status: number, error: string) => Promise<FastifyReply>;

export type PasswordStep = { user: User; knownBrowserId: string | null } | { answered: FastifyReply };

export async function passwordStep(request: FastifyRequest, reply: FastifyReply, email: string, password: string,
  page: PasswordPage): Promise<PasswordStep> {
  const { ctx } = request.server;
  const known = await findKnownBrowser(ctx, normalizeEmail(email), knownBrowserTokens(request));
  const attempt = known ? await reserveKnownBrowserAttempt(ctx, known) : await reservePasswordAttempt(ctx, normalizeEmail(email), clientInfo(request).clientIp);
  if ('limited' in attempt) {
    countSignIn('password', 'limited');
    reply.header('retry-after', Math.ceil(attempt.retryAfterMs / 1000));
    return { answered: await page(429, throttledMessage(attempt, requestTranslator(request))) };
  }
  const check = await checkPassword(ctx, email, password);
  // A disabled account answers exactly as a wrong password does, whatever was typed and after the
  // same work: its answer must not confirm the password (nor that the email has an account).
  const disabled = check.outcome !== 'unknown-account' && check.user.disabled_at !== null;
  if (check.outcome !== 'correct' || disabled) {
    const subjectUserId = check.outcome === 'unknown-account' ? null : check.user.id;
    const reason = disabled ? 'account-disabled' : check.outcome;
    countSignIn('password', disabled && check.outcome === 'correct' ? 'disabled' : 'wrong');
    await audit(request, 'sign_in.password_failed', { subjectUserId, details: known ? { reason, known_browser: true } : { reason } });
    if ('counted' in attempt) {
      if (attempt.failuresSoFar === KNOWN_BROWSER_FREE_FAILURES) {
        await audit(request, 'sign_in.throttled', { subjectUserId, details: { limit: 'known browser', failures: attempt.failuresSoFar } });
      }
    } else {
      const limit = limitReachedBy(attempt);
      if (limit === 'account' && subjectUserId) {
        await audit(request, 'account.locked', { subjectUserId, details: { factor: 'password', failures: attempt.failuresSoFar } });
      } else if (limit === 'address') {
        await audit(request, 'sign_in.throttled', { details: { limit: 'client address', failures: attempt.addressFailuresSoFar } });
      }
    }
    return { answered: await page(401, request.t(INCORRECT_CREDENTIALS)) };
  }
  if ('counted' in attempt) await knownBrowserSucceeded(ctx, known!);
  else await passwordSucceeded(ctx, attempt);
  countSignIn('password', 'ok');
  return { user: check.user, knownBrowserId: known?.id ?? null };
}
