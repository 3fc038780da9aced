// Sign-in with a recovery code instead of the app's code: the same attempt limits as codes, per
// sign-in and per account. Afterwards the user hears how many codes remain.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { normalizeRecoveryCode, useRecoveryCode } from '../../auth/recovery-codes.js';
import { hasSecurityKey } from '../../auth/security-keys.js';
import { secondFactorLockedUntil } from '../../auth/throttles.js';
import { hasAuthenticator } from '../../auth/totp-credentials.js';
import type { MessageKey } from '../../i18n/translate.js';
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

/** Catalog keys: translate with request.t() where they are shown. */
export const RECOVERY_MESSAGES = {
  malformed: 'signin.recovery.malformed',
  wrong: 'signin.recovery.wrong',
  'already-used': 'signin.recovery.alreadyUsed',
} as const satisfies Record<string, MessageKey>;

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
    if (!code) return page(400, request.t(RECOVERY_MESSAGES.malformed));
    const guess = await countSignInGuess(request, reply, page, 'recovery_code');
    if ('refused' in guess) return guess.refused;
    const result = await useRecoveryCode(ctx, user.id, code);
    if (result.outcome === 'accepted') {
      await signInGuessSucceeded(request, guess);
      await audit(request, 'recovery_code.used', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'sign-in', remaining: result.remaining } });
      return finishSignIn(request, reply, { secondFactor: 'recovery_code', remember: request.body.remember, via: '/account/security/recovery-codes/used' });
    }
    await audit(request, 'sign_in.recovery_code_failed', { subjectUserId: user.id, details: { step: 'sign-in', reason: result.outcome } });
    return signInGuessFailed(request, reply, guess, request.t(RECOVERY_MESSAGES[result.outcome]), page);
  });
};
