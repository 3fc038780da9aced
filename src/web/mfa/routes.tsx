// Steps 3 and 4 of sign-in: pair an authenticator app (first sign-in), or enter its code.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { liveDeviceTokens, rememberDevice } from '../../auth/devices.js';
import { completeSignIn } from '../../auth/sessions.js';
import { groupForReading, keyUri, normalizeCode, toBase32 } from '../../auth/totp.js';
import { beginEnrollment, confirmEnrollment, hasAuthenticator, pendingSecret, verifyCode } from '../../auth/totp-credentials.js';
import { clientInfo } from '../client-info.js';
import { deviceTokens, setDeviceTokens, setSessionCookie } from '../cookies.js';
import { requirePasswordStep, SIGN_IN_EXPIRED } from '../guards.js';
import { LoginPage } from '../login/views.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { SetupPage, VerifyPage } from './views.js';

const codeForm = z.object({
  code: field('The code', 64),
  remember: checkbox('Remember this device'),
  _csrf: csrfField,
});
type CodeForm = z.infer<typeof codeForm>;

export const MESSAGES = {
  malformed: 'Enter the 6-digit code shown in your authenticator app (digits only).',
  wrong: 'That code is not correct. Enter the code your app shows now; if it keeps failing, check that the phone sets its clock automatically.',
  replayed: 'That code has already been used. Wait for the next code in your app (a new one appears every 30 seconds) and enter it.',
  wrongSetup: 'That code does not match. Check that you scanned the QR code on this page (an older HMS entry in your app will not work) and enter the current code.',
} as const;

export const mfaRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  app.addHook('preHandler', requirePasswordStep);

  app.get('/mfa/setup', async (request, reply) => {
    const { user } = request.current!;
    if (await hasAuthenticator(ctx, user.id)) return redirect(reply, '/mfa/verify');
    return sendSetupPage(request, reply, 200, null);
  });

  app.post<{ Body: CodeForm }>('/mfa/setup', { schema: { body: codeForm } }, async (request, reply) => {
    const { user } = request.current!;
    const code = normalizeCode(request.body.code);
    if (!code) return sendSetupPage(request, reply, 400, MESSAGES.malformed);
    const result = await confirmEnrollment(ctx, user.id, code);
    if (result === 'accepted') return finishSignIn(request, reply, request.body.remember);
    if (result === 'wrong') return sendSetupPage(request, reply, 401, MESSAGES.wrongSetup);
    // Confirmed meanwhile (another tab): the code step now applies.
    return redirect(reply, '/mfa/verify');
  });

  app.get('/mfa/verify', async (request, reply) => {
    if (!(await hasAuthenticator(ctx, request.current!.user.id))) return redirect(reply, '/mfa/setup');
    return sendPage(reply, 200, <VerifyPage />);
  });

  app.post<{ Body: CodeForm }>('/mfa/verify', { schema: { body: codeForm } }, async (request, reply) => {
    const { user } = request.current!;
    const code = normalizeCode(request.body.code);
    if (!code) return sendPage(reply, 400, <VerifyPage error={MESSAGES.malformed} />);
    // Rate limiting of code attempts belongs here, before the code is checked.
    const result = await verifyCode(ctx, user.id, code);
    if (result === 'accepted') return finishSignIn(request, reply, request.body.remember);
    if (result === 'no-authenticator') return redirect(reply, '/mfa/setup');
    return sendPage(reply, 401, <VerifyPage error={MESSAGES[result]} />);
  });

  async function sendSetupPage(request: FastifyRequest, reply: FastifyReply, status: number, error: string | null) {
    const { user } = request.current!;
    let secret = await pendingSecret(ctx, user.id);
    if (!secret) {
      await beginEnrollment(ctx, user.id);
      secret = (await pendingSecret(ctx, user.id))!;
    }
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
    if (remember) {
      const device = await rememberDevice(ctx, user.id, client);
      setDeviceTokens(reply, [device.token, ...(await liveDeviceTokens(ctx, deviceTokens(request)))]);
    }
    return redirect(reply, session.return_to ?? '/');
  }
};
