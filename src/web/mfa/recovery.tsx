// Sign-in with a recovery code instead of the app's code: the same attempt limits as codes, per
// sign-in and per account. Afterwards the user hears how many codes remain.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { normalizeRecoveryCode, useRecoveryCode } from '../../auth/recovery-codes.js';
import { hasSecurityKey } from '../../auth/security-keys.js';
import { secondFactorLockedUntil } from '../../auth/throttles.js';
import { hasAuthenticator } from '../../auth/totp-credentials.js';
import { audit } from '../audit.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { RecoveryCodePage } from './other-factor-views.js';
import { countSignInGuess, finishSignIn, sendLocked, signInGuessFailed, signInGuessSucceeded, type StepPage } from './sign-in-steps.js';
import { PASSWORD_STEP } from '../guards.js';

const recoveryForm = z.object({
  recovery_code: field('field.recoveryCode', 64),
  remember: checkbox('field.rememberThisDevice'),
  _csrf: csrfField,
});

export const RECOVERY_MESSAGES = {
  malformed: 'Enter a recovery code: 10 letters and digits, like abcde-12345.',
  wrong: 'That recovery code is not correct. Check it against your saved list and try again.',
  'already-used': 'That recovery code has already been used: each code works once. Use another one from your list.',
} as const;

export const recoveryRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get('/mfa/recovery', { config: PASSWORD_STEP }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await hasAuthenticator(ctx, user.id))) return redirect(reply, '/mfa/setup');
    const lockedUntil = await secondFactorLockedUntil(ctx, user.id);
    if (lockedUntil) return sendLocked(request, reply, lockedUntil);
    return sendPage(reply, 200, <RecoveryCodePage hasSecurityKey={await hasSecurityKey(ctx, user.id)} />);
  });

  app.post<{ Body: z.infer<typeof recoveryForm> }>('/mfa/recovery', { config: PASSWORD_STEP, schema: { body: recoveryForm } }, async (request, reply) => {
    const { user } = request.current!;
    const page: StepPage = async (status, error) =>
      sendPage(reply, status, <RecoveryCodePage error={error} hasSecurityKey={await hasSecurityKey(ctx, user.id)} />);
    if (!(await hasAuthenticator(ctx, user.id))) return redirect(reply, '/mfa/setup');
    const code = normalizeRecoveryCode(request.body.recovery_code);
    if (!code) return page(400, RECOVERY_MESSAGES.malformed);
    const guess = await countSignInGuess(request, reply, page, 'recovery_code');
    if ('refused' in guess) return guess.refused;
    const result = await useRecoveryCode(ctx, user.id, code);
    if (result.outcome === 'accepted') {
      await signInGuessSucceeded(request, guess);
      await audit(request, 'recovery_code.used', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'sign-in', remaining: result.remaining } });
      return finishSignIn(request, reply, { secondFactor: 'recovery_code', remember: request.body.remember, via: '/account/security/recovery-codes/used' });
    }
    await audit(request, 'sign_in.recovery_code_failed', { subjectUserId: user.id, details: { step: 'sign-in', reason: result.outcome } });
    return signInGuessFailed(request, reply, guess, RECOVERY_MESSAGES[result.outcome], page);
  });
};
