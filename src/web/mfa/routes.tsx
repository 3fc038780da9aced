// Steps 3 and 4 of sign-in: pair an authenticator app (first sign-in), or enter its code.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { hasSecurityKey } from '../../auth/security-keys.js';
import { reserveSessionCodeAttempt } from '../../auth/sessions.js';
import { secondFactorLockedUntil } from '../../auth/throttles.js';
import { groupForReading, keyUri, normalizeCode, toBase32 } from '../../auth/totp.js';
import { pairFirstAuthenticator } from '../../auth/first-pairing.js';
import { mayPair } from '../../auth/pairing-links.js';
import { checkEnrollmentCode, enrollmentSecret, existingEnrollmentSecret, hasAuthenticator } from '../../auth/totp-credentials.js';
import { countSignIn } from '../../metrics/registry.js';
import type { MessageKey } from '../../i18n/translate.js';
import { audit, requestContext } from '../audit.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { clientInfo } from '../client-info.js';
import { LoginPage } from '../login/views.js';
import { PairingLinkNeededPage } from '../re-pair/views.js';
import { sendLocked, signedIn, signInGuessFailed, signInGuessRefused, START_OVER, startOver, type StepPage } from './sign-in-steps.js';
import { checkSignInCode } from '../../auth/sign-in-code.js';
import { knownBrowserTokens } from '../cookies.js';
import { SetupPage, VerifyPage } from './views.js';
import { PASSWORD_STEP, SIGN_IN_EXPIRED } from '../guards.js';

const codeForm = z.object({
  code: field('field.code', 64),
  remember: checkbox('field.rememberThisDevice'),
  _csrf: csrfField,
});
type CodeForm = z.infer<typeof codeForm>;

/** Catalog keys: translate with request.t() where they are shown. */
export const MESSAGES = {
  malformed: 'signin.code.malformed',
  wrong: 'signin.code.wrong',
  replayed: 'signin.code.replayed',
  startOver: START_OVER,
  wrongSetup: 'signin.code.wrongSetup',
} as const satisfies Record<string, MessageKey>;

export const mfaRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get('/mfa/setup', { config: PASSWORD_STEP }, async (request, reply) => {
    const { session, user } = request.current!;
    if (await hasAuthenticator(ctx, user.id)) return redirect(reply, '/mfa/verify');
    if (!(await mayPair(ctx, user.id, session.id_hash))) return sendPage(reply, 403, <PairingLinkNeededPage />);
    return sendSetupPage(request, reply, 200, await enrollmentSecret(ctx, user.id, session.id_hash), null);
  });

  app.post<{ Body: CodeForm }>('/mfa/setup', { config: PASSWORD_STEP, schema: { body: codeForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    if (await hasAuthenticator(ctx, user.id)) return redirect(reply, '/mfa/verify');
    if (!(await mayPair(ctx, user.id, session.id_hash))) return sendPage(reply, 403, <PairingLinkNeededPage />);
    const secret = await existingEnrollmentSecret(ctx, session.id_hash);
    if (!secret) return redirect(reply, '/mfa/setup');
    const code = normalizeCode(request.body.code);
    if (!code) return sendSetupPage(request, reply, 400, secret, request.t(MESSAGES.malformed));
    const remaining = await reserveSessionCodeAttempt(ctx, session);
    if (remaining === null) {
      countSignIn('code', 'limited');
      return startOver(request, reply);
    }
    const checked = await checkEnrollmentCode(ctx, session.id_hash, code);
    if (checked === 'wrong') {
      countSignIn('code', 'wrong');
      await audit(request, 'sign_in.code_failed', { subjectUserId: user.id, details: { step: 'setup' } });
      if (remaining === 0) return startOver(request, reply);
      return sendSetupPage(request, reply, 401, secret, request.t(MESSAGES.wrongSetup));
    }
    const paired = checked === 'no-enrollment' ? { outcome: 'already-enrolled' as const } : await pairFirstAuthenticator(ctx, session, checked, clientInfo(request));
    if (paired.outcome === 'paired') {
      countSignIn('code', 'ok');
      await audit(request, 'mfa.enrolled', { actorUserId: user.id, subjectUserId: user.id });
      return signedIn(request, reply, paired.token, { secondFactor: 'totp', remember: request.body.remember, enrolled: true });
    }
    if (paired.outcome === 'needs-link') return sendPage(reply, 403, <PairingLinkNeededPage />);
    if (paired.outcome === 'expired') return sendPage(reply, 401, <LoginPage notice={request.t(SIGN_IN_EXPIRED)} />);
    // Another sign-in of this account paired first: its authenticator's code is what counts now.
    return redirect(reply, '/mfa/verify');
  });

  app.get('/mfa/verify', { config: PASSWORD_STEP }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await hasAuthenticator(ctx, user.id))) return redirect(reply, '/mfa/setup');
    const lockedUntil = await secondFactorLockedUntil(ctx, user.id);
    if (lockedUntil) return sendLocked(request, reply, lockedUntil);
    return sendPage(reply, 200, <VerifyPage hasSecurityKey={await hasSecurityKey(ctx, user.id)} />);
  });

  app.post<{ Body: CodeForm }>('/mfa/verify', { config: PASSWORD_STEP, schema: { body: codeForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const page: StepPage = async (status, error) => sendPage(reply, status, <VerifyPage error={error} hasSecurityKey={await hasSecurityKey(ctx, user.id)} />);
    const code = normalizeCode(request.body.code);
    if (!code) return page(400, request.t(MESSAGES.malformed));
    // Counters, check, replay marker, session swap and audit row: one transaction (auth/sign-in-code.ts).
    const checked = await checkSignInCode(requestContext(request), { session, code, client: clientInfo(request), knownBrowserTokens: knownBrowserTokens(request) });
    switch (checked.outcome) {
      case 'accepted':
        countSignIn('code', 'ok');
        return signedIn(request, reply, checked.token, { secondFactor: 'totp', remember: request.body.remember, audited: true, knownBrowserToken: checked.knownBrowserToken, recoveryCodes: checked.recoveryCodes,
        });
      case 'no-authenticator':
        return redirect(reply, '/mfa/setup');
      case 'address-limited':
      case 'start-over':
      case 'locked':
        return signInGuessRefused(request, reply, page, 'code', checked);
      default:
        return signInGuessFailed(request, reply, { step: 'code', address: null, remaining: checked.remaining, locksNow: checked.locksNow }, request.t(MESSAGES[checked.outcome]), page);
    }
  });

  async function sendSetupPage(request: FastifyRequest, reply: FastifyReply, status: number, secret: Buffer, error: string | null) {
    const { user } = request.current!;
    const uri = keyUri({ issuer: ctx.config.issuer, account: user.email, secret });
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
    return sendPage(reply, status, (
      <SetupPage qrSvg={qrSvg} otpauthUri={uri} secretForReading={groupForReading(toBase32(secret))} account={user.email} issuer={ctx.config.issuer} error={error} />
    ));
  }
};
