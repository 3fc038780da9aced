// Step 2 of sign-in: email and password. Then the code step, unless this browser is remembered
// for this account (DESIGN.md §1).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { checkPassword, EMAIL_MAX_LENGTH, normalizeEmail } from '../../auth/accounts.js';
import { useRememberedDevice } from '../../auth/devices.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { endSession, startPendingSession, startRememberedSession } from '../../auth/sessions.js';
import { limitReachedBy, passwordSucceeded, reservePasswordAttempt } from '../../auth/throttles.js';
import { hasAuthenticator } from '../../auth/totp-credentials.js';
import { countSignIn } from '../../metrics/registry.js';
import { afterSignInLocation } from '../account/after-sign-in.js';
import { audit } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { deviceTokens, setSessionCookie } from '../cookies.js';
import { bindUserToLog, loadSession } from '../session.js';
import { redirect, sendPage } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { throttledMessage } from '../wait.js';
import { csrfField, field, optionalField } from '../validation.js';
import { LoginPage } from './views.js';

const NOTICES = {
  'signed-out': 'You are signed out.',
  'account-created': 'Your account is ready. Sign in to set up your authenticator app.',
} as const;

const loginQuery = z.object({
  next: optionalField('The return address', 2048),
  notice: z.enum(Object.keys(NOTICES) as [keyof typeof NOTICES]).optional().catch(undefined),
});

const loginForm = z.object({
  email: field('Email', EMAIL_MAX_LENGTH),
  password: field('Password', PASSWORD_MAX_LENGTH),
  next: optionalField('The return address', 2048),
  _csrf: csrfField,
});

export const INCORRECT_CREDENTIALS = 'The email or password is not correct. Check both and try again.';

export const loginRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get<{ Querystring: z.infer<typeof loginQuery> }>('/login', { config: { access: 'public' }, schema: { querystring: loginQuery } }, async (request, reply) => {
    const next = safeReturnPath(request.query.next);
    await loadSession(request, reply);
    if (request.current?.session.stage === 'full') return redirect(reply, next ?? '/');
    const notice = request.query.notice ? NOTICES[request.query.notice] : null;
    return sendPage(reply, 200, <LoginPage next={next} notice={notice} />);
  });

  app.post<{ Body: z.infer<typeof loginForm> }>('/login', { config: { access: 'public' }, schema: { body: loginForm } }, async (request, reply) => {
    const { email, password } = request.body;
    const next = safeReturnPath(request.body.next);
    const client = clientInfo(request);
    if (!email.trim() || !password) {
      return sendPage(reply, 400, <LoginPage email={email} next={next} error="Enter your email and your password." />);
    }
    const attempt = await reservePasswordAttempt(ctx, normalizeEmail(email), client.clientIp);
    if ('limited' in attempt) {
      countSignIn('password', 'limited');
      reply.header('retry-after', Math.ceil(attempt.retryAfterMs / 1000));
      return sendPage(reply, 429, <LoginPage email={email} next={next} error={throttledMessage(attempt)} />);
    }
    const check = await checkPassword(ctx, email, password);
    if (check.outcome !== 'correct') {
      countSignIn('password', 'wrong');
      const subjectUserId = check.outcome === 'wrong-password' ? check.user.id : null;
      await audit(request, 'sign_in.password_failed', { subjectUserId, details: { reason: check.outcome } });
      const limit = limitReachedBy(attempt);
      if (limit === 'account' && subjectUserId) {
        await audit(request, 'account.locked', { subjectUserId, details: { factor: 'password', failures: attempt.failuresSoFar } });
      } else if (limit === 'address') {
        await audit(request, 'sign_in.throttled', { details: { limit: 'client address', failures: attempt.addressFailuresSoFar } });
      }
      return sendPage(reply, 401, <LoginPage email={email} next={next} error={INCORRECT_CREDENTIALS} />);
    }
    await passwordSucceeded(ctx, attempt);
    const { user } = check;
    if (user.disabled_at !== null) {
      countSignIn('password', 'disabled');
      await audit(request, 'sign_in.password_failed', { subjectUserId: user.id, details: { reason: 'account-disabled' } });
      return sendPage(reply, 403, <LoginPage email={email} error="This account is disabled. Contact support to have it enabled again." />);
    }

    countSignIn('password', 'ok');
    bindUserToLog(request, reply, user.id);
    // A new sign-in replaces whatever session this browser had.
    if ((await loadSession(request, reply)) === 'valid') await endSession(ctx, request.current!.session);

    if (!(await hasAuthenticator(ctx, user.id))) {
      setSessionCookie(reply, await startPendingSession(ctx, user.id, client, next));
      return redirect(reply, '/mfa/setup');
    }
    const device = await useRememberedDevice(ctx, user.id, deviceTokens(request));
    if (device) {
      setSessionCookie(reply, await startRememberedSession(ctx, user.id, client));
      await audit(request, 'device.used', { actorUserId: user.id, subjectUserId: user.id, details: { device_id: device.id } });
      await audit(request, 'sign_in.succeeded', { actorUserId: user.id, subjectUserId: user.id, details: { second_factor: 'remembered_device' } });
      return redirect(reply, await afterSignInLocation(ctx, user.id, next ?? '/'));
    }
    setSessionCookie(reply, await startPendingSession(ctx, user.id, client, next));
    return redirect(reply, '/mfa/verify');
  });
};

