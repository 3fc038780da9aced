// Step 2 of sign-in: email and password. Then the code step, unless this browser is remembered
// for this account (DESIGN.md §1).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../../auth/accounts.js';
import { useRememberedDevice } from '../../auth/devices.js';
import { pairingGate } from '../../auth/pairing-links.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { endSession, startPendingSession, startRememberedSession } from '../../auth/sessions.js';
import { hasAuthenticator } from '../../auth/totp-credentials.js';
import { afterSignInLocation } from '../account/after-sign-in.js';
import { audit } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { deviceTokens, setSessionCookie } from '../cookies.js';
import { markBrowserKnown } from '../known-browser.js';
import { PairingLinkNeededPage } from '../re-pair/views.js';
import { bindUserToLog, loadSession } from '../session.js';
import { redirect, sendPage } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { csrfField, field, optionalField } from '../validation.js';
import type { MessageKey } from '../../i18n/translate.js';
import { passwordStep } from './password-step.js';
import { LoginPage } from './views.js';

const NOTICES = {
  'signed-out': 'signin.login.signedOut',
  'account-created': 'signin.login.accountCreated',
  'password-reset': 'signin.login.passwordReset',
} as const satisfies Record<string, MessageKey>;

const loginQuery = z.object({
  next: optionalField('field.returnAddress', 2048),
  notice: z.enum(Object.keys(NOTICES) as [keyof typeof NOTICES]).optional().catch(undefined),
});

const loginForm = z.object({
  email: field('field.email', EMAIL_MAX_LENGTH),
  password: field('field.password', PASSWORD_MAX_LENGTH),
  next: optionalField('field.returnAddress', 2048),
  _csrf: csrfField,
});

export const loginRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get<{ Querystring: z.infer<typeof loginQuery> }>('/login', { config: { access: 'public' }, schema: { querystring: loginQuery } }, async (request, reply) => {
    const next = safeReturnPath(request.query.next);
    await loadSession(request, reply);
    if (request.current?.session.stage === 'full') return redirect(reply, next ?? '/');
    const notice = request.query.notice ? request.t(NOTICES[request.query.notice]) : null;
    return sendPage(reply, 200, <LoginPage next={next} notice={notice} />);
  });

  app.post<{ Body: z.infer<typeof loginForm> }>('/login', { config: { access: 'public' }, schema: { body: loginForm } }, async (request, reply) => {
    const { email, password } = request.body;
    const next = safeReturnPath(request.body.next);
    const client = clientInfo(request);
    if (!email.trim() || !password) {
      return sendPage(reply, 400, <LoginPage email={email} next={next} error={request.t('signin.login.missing')} />);
    }
    const page = async (status: number, error: string) => sendPage(reply, status, <LoginPage email={email} next={next} error={error} />);
    const passed = await passwordStep(request, reply, email, password, page);
    if ('answered' in passed) return passed.answered;
    const { user, knownBrowserId } = passed;

    bindUserToLog(request, user.id);
    // A new sign-in replaces whatever session this browser had.
    if ((await loadSession(request, reply)) === 'valid') await endSession(ctx, request.current!.session);

    if (!(await hasAuthenticator(ctx, user.id))) {
      // After a support reset the password alone must not pair a new authenticator.
      if (await pairingGate(ctx, user.id)) {
        await audit(request, 'sign_in.pairing_link_needed', { subjectUserId: user.id });
        return sendPage(reply, 403, <PairingLinkNeededPage />);
      }
      setSessionCookie(reply, await startPendingSession(ctx, user.id, client, next, knownBrowserId));
      return redirect(reply, '/mfa/setup');
    }
    const device = await useRememberedDevice(ctx, user.id, deviceTokens(request));
    if (device) {
      setSessionCookie(reply, await startRememberedSession(ctx, user.id, client));
      await markBrowserKnown(request, reply, user.id);
      await audit(request, 'device.used', { actorUserId: user.id, subjectUserId: user.id, details: { device_id: device.id } });
      await audit(request, 'sign_in.succeeded', { actorUserId: user.id, subjectUserId: user.id, details: { second_factor: 'remembered_device' } });
      return redirect(reply, await afterSignInLocation(ctx, user.id, next ?? '/'));
    }
    setSessionCookie(reply, await startPendingSession(ctx, user.id, client, next, knownBrowserId));
    return redirect(reply, '/mfa/verify');
  });
};
