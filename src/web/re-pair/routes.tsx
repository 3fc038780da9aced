// The re-pairing link support hands over after resetting a second factor: the account's password,
// then the pairing page, in the browser that opened the link. The link is spent by the password
// that opens it: only that sign-in may pair.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { openPairingLink } from '../../auth/first-pairing.js';
import { pairingLinkAccount } from '../../auth/pairing-links.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { endSession } from '../../auth/sessions.js';
import { audit } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { setSessionCookie } from '../cookies.js';
import { passwordStep } from '../login/password-step.js';
import { redirect, sendPage } from '../render.js';
import { loadSession } from '../session.js';
import { DeadLinkPage } from '../views/dead-link.js';
import { csrfField, field, optionalField } from '../validation.js';
import { RePairPage } from './views.js';

const params = z.object({ token: field('field.rePairingLink', 100) });
const form = z.object({ password: field('field.password', PASSWORD_MAX_LENGTH), username: optionalField('field.email', 300), _csrf: csrfField });
const PUBLIC = { access: 'public' } as const;

export const rePairRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const action = (token: string) => `/re-pair/${encodeURIComponent(token)}`;
  const deadLink = (request: FastifyRequest) => <DeadLinkPage kind="re-pairing" message={request.t('signin.deadLink.rePairingInvalid')} />;

  app.get<{ Params: z.infer<typeof params> }>('/re-pair/:token', { config: PUBLIC, schema: { params } }, async (request, reply) => {
    const user = await pairingLinkAccount(ctx, request.params.token);
    if (!user) return sendPage(reply, 404, deadLink(request));
    return sendPage(reply, 200, <RePairPage action={action(request.params.token)} name={user.name} email={user.email} minutes={ctx.config.pendingSessionMinutes} />);
  });

  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof form> }>('/re-pair/:token', { config: PUBLIC, schema: { params, body: form } },
    async (request, reply) => {
      const { token } = request.params;
      const user = await pairingLinkAccount(ctx, token);
      if (!user) return sendPage(reply, 404, deadLink(request));
      const page = async (status: number, error: string) =>
        sendPage(reply, status, <RePairPage action={action(token)} name={user.name} email={user.email} minutes={ctx.config.pendingSessionMinutes} error={error} />);
      const passed = await passwordStep(request, reply, user.email, request.body.password, page);
      if ('answered' in passed) return passed.answered;
      if ((await loadSession(request, reply)) === 'valid') await endSession(ctx, request.current!.session);
      const sessionToken = await openPairingLink(ctx, token, user.id, clientInfo(request), passed.knownBrowserId);
      if (!sessionToken) return sendPage(reply, 404, deadLink(request));
      setSessionCookie(reply, sessionToken);
      await audit(request, 'mfa.pairing_link_used', { actorUserId: user.id, subjectUserId: user.id });
      return redirect(reply, '/mfa/setup');
    });
};
