// Step-up: a signed-in user enters a current code again before a change to an account or to how
// someone signs in. The same attempt limits as at sign-in apply.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { markFactorVerified } from '../../auth/sessions.js';
import { codeSucceeded, reserveCodeAttempt, secondFactorLockedUntil } from '../../auth/throttles.js';
import { normalizeCode } from '../../auth/totp.js';
import { verifyCode } from '../../auth/totp-credentials.js';
import { audit } from '../audit.js';
import { MESSAGES } from '../mfa/routes.js';
import { redirect, sendPage } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { csrfField, field, optionalField } from '../validation.js';
import { describeWait } from '../wait.js';
import { StepUpPage } from './views.js';

const query = z.object({ next: optionalField('The return address', 2048) });
const form = z.object({ code: field('The code', 64), next: optionalField('The return address', 2048), _csrf: csrfField });

export const stepUpRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const lockedMessage = (until: number) =>
    `Too many wrong codes were entered for this account: codes are refused for the next ${describeWait(until - ctx.clock.now())}. If that was not you, tell support.`;

  app.get<{ Querystring: z.infer<typeof query> }>('/verify-again', { schema: { querystring: query } }, async (request, reply) => {
    const next = safeReturnPath(request.query.next) ?? '/';
    const lockedUntil = await secondFactorLockedUntil(ctx, request.current!.user.id);
    return sendPage(reply, lockedUntil ? 429 : 200, <StepUpPage next={next} locked={lockedUntil ? lockedMessage(lockedUntil) : null} />);
  });

  app.post<{ Body: z.infer<typeof form> }>('/verify-again', { schema: { body: form } }, async (request, reply) => {
    const { session, user } = request.current!;
    const next = safeReturnPath(request.body.next) ?? '/';
    const code = normalizeCode(request.body.code);
    if (!code) return sendPage(reply, 400, <StepUpPage next={next} error={MESSAGES.malformed} />);
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(attempt.lockedUntil)} />);
    const result = await verifyCode(ctx, user.id, code);
    if (result === 'accepted') {
      await codeSucceeded(ctx, user.id);
      await markFactorVerified(ctx, session);
      await audit(request, 'session.stepped_up', { actorUserId: user.id, subjectUserId: user.id });
      return redirect(reply, next);
    }
    await audit(request, result === 'replayed' ? 'sign_in.code_replayed' : 'sign_in.code_failed', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'step-up' } });
    if (attempt.locksNow) {
      const until = (await secondFactorLockedUntil(ctx, user.id))!;
      await audit(request, 'account.locked', { subjectUserId: user.id, details: { factor: 'code', until: new Date(until).toISOString() } });
      return sendPage(reply, 429, <StepUpPage next={next} locked={lockedMessage(until)} />);
    }
    return sendPage(reply, 401, <StepUpPage next={next} error={result === 'replayed' ? MESSAGES.replayed : MESSAGES.wrong} />);
  });
};
