// Sign-in with a security key or passkey instead of the app's code, for accounts that have one.
// A signature cannot be guessed, but each failed answer still counts against this sign-in's
// five attempts, so a script cannot loop on it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticationOptions, hasSecurityKey, parseAssertionResponse, verifySecurityKey } from '../../auth/security-keys.js';
import { reserveSessionCodeAttempt } from '../../auth/sessions.js';
import { countSignIn } from '../../metrics/registry.js';
import type { MessageKey } from '../../i18n/translate.js';
import { audit } from '../audit.js';
import { redirect, sendPage } from '../render.js';
import { checkbox, csrfField, field } from '../validation.js';
import { SecurityKeyPage } from './other-factor-views.js';
import { finishSignIn, startOver } from './sign-in-steps.js';
import { PASSWORD_STEP } from '../guards.js';

const keyForm = z.object({
  credential: field('field.securityKeyAnswer', 32_000),
  remember: checkbox('field.rememberThisDevice'),
  _csrf: csrfField,
});

/** Catalog keys: translate with request.t() where they are shown. */
export const KEY_MESSAGES = {
  malformed: 'signin.key.malformed',
  failed: 'signin.key.failed',
} as const satisfies Record<string, MessageKey>;

export const securityKeySignInRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  async function sendKeyPage(request: FastifyRequest, reply: FastifyReply, status: number, error: string | null) {
    const { session, user } = request.current!;
    const options = await authenticationOptions(ctx, user.id, { sessionHash: session.id_hash });
    return sendPage(reply, status, <SecurityKeyPage optionsJson={JSON.stringify(options)} error={error} />);
  }

  app.get('/mfa/security-key', { config: PASSWORD_STEP }, async (request, reply) => {
    if (!(await hasSecurityKey(ctx, request.current!.user.id))) return redirect(reply, '/mfa/verify');
    return sendKeyPage(request, reply, 200, null);
  });

  app.post<{ Body: z.infer<typeof keyForm> }>('/mfa/security-key', { config: PASSWORD_STEP, schema: { body: keyForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    if (!(await hasSecurityKey(ctx, user.id))) return redirect(reply, '/mfa/verify');
    const response = parseAssertionResponse(request.body.credential);
    if (!response) return sendPage(reply, 400, <SecurityKeyPage optionsJson={null} error={request.t(KEY_MESSAGES.malformed)} />);
    const remaining = await reserveSessionCodeAttempt(ctx, session);
    if (remaining === null) {
      countSignIn('security_key', 'limited');
      return startOver(request, reply);
    }
    const result = await verifySecurityKey(ctx, user.id, { sessionHash: session.id_hash }, response);
    if (result.outcome === 'accepted') {
      countSignIn('security_key', 'ok');
      return finishSignIn(request, reply, { secondFactor: 'security_key', remember: request.body.remember });
    }
    countSignIn('security_key', 'wrong');
    await audit(request, 'sign_in.security_key_failed', { subjectUserId: user.id, details: { step: 'sign-in' } });
    if (remaining === 0) return startOver(request, reply);
    return sendKeyPage(request, reply, 401, request.t(KEY_MESSAGES.failed));
  });
};
