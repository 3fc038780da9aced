// Step-up: a signed-in user enters a current code again before a change to an account or to how
// someone signs in. The same attempt limits as at sign-in apply.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeRecoveryCode, useRecoveryCode } from '../../auth/recovery-codes.js';
import { markFactorVerified } from '../../auth/sessions.js';
import { codeSucceeded, reserveCodeAttempt, secondFactorLockedUntil } from '../../auth/throttles.js';
import { normalizeCode } from '../../auth/totp.js';
import { verifyCode } from '../../auth/totp-credentials.js';
import { audit, auditCodeLock } from '../audit.js';
import { RECOVERY_MESSAGES } from '../mfa/recovery.js';
import { MESSAGES } from '../mfa/routes.js';
import { redirect, sendPage } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { csrfField, field, optionalField } from '../validation.js';
import { describeWait } from '../wait.js';
import { requestTranslator } from '../language.js';
import { StepUpPage } from './views.js';

const query = z.object({ next: optionalField('field.returnAddress', 2048) });
const form = z.object({ code: field('field.code', 64), next: optionalField('field.returnAddress', 2048), _csrf: csrfField });
const recoveryForm = z.object({ recovery_code: field('field.recoveryCode', 64), next: optionalField('field.returnAddress', 2048), _csrf: csrfField });

export const stepUpRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const lockedMessage = (request: FastifyRequest, until: number) =>
    request.t('signin.stepUp.locked', { wait: describeWait(until - ctx.clock.now(), requestTranslator(request)) });

  app.get<{ Querystring: z.infer<typeof query> }>('/verify-again', { schema: { querystring: query } }, async (request, reply) => {
    const next = safeReturnPath(request.query.next) ?? '/';
    const lockedUntil = await secondFactorLockedUntil(ctx, request.current!.user.id);
    return sendPage(reply, lockedUntil ? 429 : 200, <StepUpPage next={next} locked={lockedUntil ? lockedMessage(request, lockedUntil) : null} />);
  });

  app.post<{ Body: z.infer<typeof form> }>('/verify-again', { schema: { body: form } }, async (request, reply) => {
    const { session, user } = request.current!;
    const next = safeReturnPath(request.body.next) ?? '/';
    const code = normalizeCode(request.body.code);
    if (!code) return sendPage(reply, 400, <StepUpPage next={next} error={request.t(MESSAGES.malformed)} />);
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(request, attempt.lockedUntil)} />);
    const result = await verifyCode(ctx, user.id, code);
    if (result === 'accepted') {
      await codeSucceeded(ctx, user.id);
      await markFactorVerified(ctx, session);
      await audit(request, 'session.stepped_up', { actorUserId: user.id, subjectUserId: user.id });
      return redirect(reply, next);
    }
    await audit(request, result === 'replayed' ? 'sign_in.code_replayed' : 'sign_in.code_failed', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'step-up' } });
    if (attempt.locksNow) {
      const until = await auditCodeLock(request, user.id);
      return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(request, until)} />);
    }
    return sendPage(reply, 401, <StepUpPage next={next} error={request.t(result === 'replayed' ? MESSAGES.replayed : MESSAGES.wrong)} />);
  });

  // Lost phone, signed in on a remembered device: a recovery code proves the second factor too.
  app.post<{ Body: z.infer<typeof recoveryForm> }>('/verify-again/recovery', { schema: { body: recoveryForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const next = safeReturnPath(request.body.next) ?? '/';
    const code = normalizeRecoveryCode(request.body.recovery_code);
    if (!code) return sendPage(reply, 400, <StepUpPage next={next} recoveryError={request.t(RECOVERY_MESSAGES.malformed)} />);
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(request, attempt.lockedUntil)} />);
    const result = await useRecoveryCode(ctx, user.id, code);
    if (result.outcome === 'accepted') {
      await codeSucceeded(ctx, user.id);
      await markFactorVerified(ctx, session);
      await audit(request, 'recovery_code.used', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'step-up', remaining: result.remaining } });
      await audit(request, 'session.stepped_up', { actorUserId: user.id, subjectUserId: user.id, details: { second_factor: 'recovery_code' } });
      return redirect(reply, next);
    }
    await audit(request, 'sign_in.recovery_code_failed', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'step-up', reason: result.outcome } });
    if (attempt.locksNow) {
      const until = await auditCodeLock(request, user.id);
      return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(request, until)} />);
    }
    return sendPage(reply, 401, <StepUpPage next={next} recoveryError={request.t(RECOVERY_MESSAGES[result.outcome])} />);
  });
};
