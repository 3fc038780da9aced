// Sign-in with a recovery code instead of the app's code: the same attempt limits as codes, per
// sign-in and per account. Afterwards the user hears how many codes remain.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { normalizeRecoveryCode, useRecoveryCode } from '../../auth/recovery-codes.js';
import { hasSecurityKey } from '../../auth/security-keys.js';
import { reserveSessionCodeAttempt } from '../../auth/sessions.js';
import { addressGuessSucceeded, codeSucceeded, reserveAddressGuess, reserveCodeAttempt, secondFactorLockedUntil } from '../../auth/throttles.js';
import { hasAuthenticator } from '../../auth/totp-credentials.js';
import { audit } from '../audit.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { RecoveryCodePage } from './other-factor-views.js';
import { clientInfo } from '../client-info.js';
import { finishSignIn, sendAddressLimited, sendLocked, startOver } from './sign-in-steps.js';

const recoveryForm = z.object({
  recovery_code: field('The recovery code', 64),
  remember: checkbox('Remember this device'),
  _csrf: csrfField,
});
const PASSWORD_STEP = { access: 'password-step' } as const;

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
    const { session, user } = request.current!;
    const page = async (status: number, error: string) =>
      sendPage(reply, status, <RecoveryCodePage error={error} hasSecurityKey={await hasSecurityKey(ctx, user.id)} />);
    if (!(await hasAuthenticator(ctx, user.id))) return redirect(reply, '/mfa/setup');
    const code = normalizeRecoveryCode(request.body.recovery_code);
    if (!code) return page(400, RECOVERY_MESSAGES.malformed);
    const guess = await reserveAddressGuess(ctx, clientInfo(request).clientIp);
    if ('limited' in guess) {
      const hasKey = await hasSecurityKey(ctx, user.id); // a key cannot be guessed: it stays on offer
      return sendAddressLimited(reply, guess, (error) => <RecoveryCodePage error={error} hasSecurityKey={hasKey} />);
    }
    const remaining = await reserveSessionCodeAttempt(ctx, session);
    if (remaining === null) return startOver(request, reply);
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendLocked(request, reply, attempt.lockedUntil);
    const result = await useRecoveryCode(ctx, user.id, code);
    if (result.outcome === 'accepted') {
      await codeSucceeded(ctx, user.id);
      await addressGuessSucceeded(ctx, guess);
      await audit(request, 'recovery_code.used', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'sign-in', remaining: result.remaining } });
      return finishSignIn(request, reply, { secondFactor: 'recovery_code', remember: request.body.remember, via: '/account/security/recovery-codes/used' });
    }
    await audit(request, 'sign_in.recovery_code_failed', { subjectUserId: user.id, details: { step: 'sign-in', reason: result.outcome } });
    if (attempt.locksNow) {
      const lockedUntil = (await secondFactorLockedUntil(ctx, user.id))!;
      await audit(request, 'account.locked', { subjectUserId: user.id, details: { factor: 'code', until: new Date(lockedUntil).toISOString() } });
      return sendLocked(request, reply, lockedUntil);
    }
    if (remaining === 0) return startOver(request, reply);
    return page(401, RECOVERY_MESSAGES[result.outcome]);
  });
};
