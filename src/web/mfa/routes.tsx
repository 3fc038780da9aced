// Steps 3 and 4 of sign-in: pair an authenticator app (first sign-in), or enter its code.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { liveDeviceTokens, rememberDevice } from '../../auth/devices.js';
import { completeSignIn, endSession, reserveSessionCodeAttempt, SESSION_MAX_CODE_FAILURES } from '../../auth/sessions.js';
import { codeSucceeded, reserveCodeAttempt, secondFactorLockedUntil } from '../../auth/throttles.js';
import { groupForReading, keyUri, normalizeCode, toBase32 } from '../../auth/totp.js';
import { confirmEnrollment, enrollmentSecret, existingEnrollmentSecret, hasAuthenticator, verifyCode } from '../../auth/totp-credentials.js';
import { clientInfo } from '../client-info.js';
import { audit } from '../audit.js';
import { clearSessionCookie, deviceTokens, setDeviceTokens, setSessionCookie } from '../cookies.js';
import { SIGN_IN_EXPIRED } from '../guards.js';
import { LoginPage } from '../login/views.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { describeWait } from '../wait.js';
import { LockedPage, SetupPage, VerifyPage } from './views.js';

const codeForm = z.object({
  code: field('The code', 64),
  remember: checkbox('Remember this device'),
  _csrf: csrfField,
});
type CodeForm = z.infer<typeof codeForm>;
const PASSWORD_STEP = { access: 'password-step' } as const;

export const MESSAGES = {
  malformed: 'Enter the 6-digit code shown in your authenticator app (digits only).',
  wrong: 'That code is not correct. Enter the code your app shows now; if it keeps failing, check that the phone sets its clock automatically.',
  replayed: 'That code has already been used. Wait for the next code in your app (a new one appears every 30 seconds) and enter it.',
  startOver: 'Too many wrong codes: for your protection this sign-in was stopped. Sign in again with your password, then enter the code your app shows at that moment.',
  wrongSetup: 'That code does not match. Check that you scanned the QR code on this page (an older HMS entry in your app will not work) and enter the current code.',
} as const;

export const mfaRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get('/mfa/setup', { config: PASSWORD_STEP }, async (request, reply) => {
    const { session, user } = request.current!;
    if (await hasAuthenticator(ctx, user.id)) return redirect(reply, '/mfa/verify');
    return sendSetupPage(request, reply, 200, await enrollmentSecret(ctx, user.id, session.id_hash), null);
  });

  app.post<{ Body: CodeForm }>('/mfa/setup', { config: PASSWORD_STEP, schema: { body: codeForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    if (await hasAuthenticator(ctx, user.id)) return redirect(reply, '/mfa/verify');
    const secret = await existingEnrollmentSecret(ctx, session.id_hash);
    if (!secret) return redirect(reply, '/mfa/setup');
    const code = normalizeCode(request.body.code);
    if (!code) return sendSetupPage(request, reply, 400, secret, MESSAGES.malformed);
    const remaining = await reserveSessionCodeAttempt(ctx, session);
    if (remaining === null) return startOver(request, reply);
    const result = await confirmEnrollment(ctx, session.id_hash, code);
    if (result === 'accepted') {
      await audit(request, 'mfa.enrolled', { actorUserId: user.id, subjectUserId: user.id });
      return finishSignIn(request, reply, request.body.remember);
    }
    if (result === 'wrong') {
      await audit(request, 'sign_in.code_failed', { subjectUserId: user.id, details: { step: 'setup' } });
      if (remaining === 0) return startOver(request, reply);
      return sendSetupPage(request, reply, 401, secret, MESSAGES.wrongSetup);
    }
    // Another sign-in of this account paired first: its authenticator's code is what counts now.
    return redirect(reply, '/mfa/verify');
  });

  app.get('/mfa/verify', { config: PASSWORD_STEP }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await hasAuthenticator(ctx, user.id))) return redirect(reply, '/mfa/setup');
    const lockedUntil = await secondFactorLockedUntil(ctx, user.id);
    if (lockedUntil) return sendLocked(request, reply, lockedUntil);
    return sendPage(reply, 200, <VerifyPage />);
  });

  app.post<{ Body: CodeForm }>('/mfa/verify', { config: PASSWORD_STEP, schema: { body: codeForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const code = normalizeCode(request.body.code);
    if (!code) return sendPage(reply, 400, <VerifyPage error={MESSAGES.malformed} />);
    const remaining = await reserveSessionCodeAttempt(ctx, session);
    if (remaining === null) return startOver(request, reply);
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendLocked(request, reply, attempt.lockedUntil);
    const result = await verifyCode(ctx, user.id, code);
    if (result === 'accepted') {
      await codeSucceeded(ctx, user.id);
      return finishSignIn(request, reply, request.body.remember);
    }
    if (result === 'no-authenticator') return redirect(reply, '/mfa/setup');
    await audit(request, result === 'replayed' ? 'sign_in.code_replayed' : 'sign_in.code_failed', { subjectUserId: user.id, details: { step: 'verify' } });
    if (attempt.locksNow) {
      const lockedUntil = (await secondFactorLockedUntil(ctx, user.id))!;
      await audit(request, 'account.locked', { subjectUserId: user.id, details: { factor: 'code', until: new Date(lockedUntil).toISOString() } });
      return sendLocked(request, reply, lockedUntil);
    }
    if (remaining === 0) return startOver(request, reply);
    return sendPage(reply, 401, <VerifyPage error={MESSAGES[result]} />);
  });

  /** Too many wrong codes in this sign-in: it ends, and the password is needed again. */
  async function startOver(request: FastifyRequest, reply: FastifyReply) {
    const { session, user } = request.current!;
    await endSession(ctx, session);
    clearSessionCookie(reply);
    await audit(request, 'sign_in.too_many_codes', { subjectUserId: user.id, details: { max: SESSION_MAX_CODE_FAILURES } });
    return sendPage(reply, 429, <LoginPage error={MESSAGES.startOver} />);
  }

  /** The second factor of this account is locked: say until when, and whom to call. */
  async function sendLocked(request: FastifyRequest, reply: FastifyReply, lockedUntil: number) {
    const wait = lockedUntil - ctx.clock.now();
    await endSession(ctx, request.current!.session);
    clearSessionCookie(reply);
    reply.header('retry-after', Math.ceil(wait / 1000));
    return sendPage(reply, 429, <LockedPage wait={describeWait(wait)} />);
  }

  async function sendSetupPage(request: FastifyRequest, reply: FastifyReply, status: number, secret: Buffer, error: string | null) {
    const { user } = request.current!;
    const uri = keyUri({ issuer: ctx.config.issuer, account: user.email, secret });
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
    return sendPage(reply, status, (
      <SetupPage qrSvg={qrSvg} secretForReading={groupForReading(toBase32(secret))} account={user.email} issuer={ctx.config.issuer} error={error} />
    ));
  }

  /** Second factor passed: a new session id, and this browser remembered if asked. */
  async function finishSignIn(request: FastifyRequest, reply: FastifyReply, remember: boolean) {
    const { session, user } = request.current!;
    const client = clientInfo(request);
    const token = await completeSignIn(ctx, session, client);
    if (!token) return sendPage(reply, 401, <LoginPage notice={SIGN_IN_EXPIRED} />);
    setSessionCookie(reply, token);
    await audit(request, 'sign_in.succeeded', { actorUserId: user.id, subjectUserId: user.id, details: { second_factor: 'totp' } });
    if (remember) {
      const device = await rememberDevice(ctx, user.id, client);
      setDeviceTokens(reply, [device.token, ...(await liveDeviceTokens(ctx, deviceTokens(request)))]);
      await audit(request, 'device.remembered', { actorUserId: user.id, subjectUserId: user.id, details: { device_id: device.id } });
    }
    return redirect(reply, session.return_to ?? '/');
  }
};
