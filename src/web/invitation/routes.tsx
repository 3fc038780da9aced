// The page an invitation link opens: the invitee chooses a password, then signs in as usual.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AccountError } from '../../auth/accounts.js';
import { acceptInvitation, INVITATION_INVALID, invitedAccount } from '../../auth/invitations.js';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '../../auth/password-policy.js';
import { audit } from '../audit.js';
import { continueToPairing } from '../mfa/first-sign-in.js';
import { sendPage } from '../render.js';
import { DeadLinkPage } from '../views/dead-link.js';
import { csrfField, field, optionalField } from '../validation.js';
import { ChoosePasswordPage } from './views.js';

const params = z.object({ token: field('field.invitationLink', 100) });
const form = z.object({
  password: field('field.password', PASSWORD_MAX_LENGTH), confirm: field('field.passwordAgain', PASSWORD_MAX_LENGTH),
  username: optionalField('field.email', 300), _csrf: csrfField,
});
const PUBLIC = { access: 'public' } as const;

export const invitationRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const action = (token: string) => `/invite/${encodeURIComponent(token)}`;

  app.get<{ Params: z.infer<typeof params> }>('/invite/:token', { config: PUBLIC, schema: { params } }, async (request, reply) => {
    const user = await invitedAccount(ctx, request.params.token);
    if (!user) return sendPage(reply, 404, <DeadLinkPage kind="invitation" message={request.t('signin.deadLink.invitationInvalid')} />);
    return sendPage(reply, 200, <ChoosePasswordPage action={action(request.params.token)} name={user.name} email={user.email} />);
  });

  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof form> }>('/invite/:token', { config: PUBLIC, schema: { params, body: form } },
    async (request, reply) => {
      const { token } = request.params;
      const user = await invitedAccount(ctx, token);
      if (!user) return sendPage(reply, 404, <DeadLinkPage kind="invitation" message={request.t('signin.deadLink.invitationInvalid')} />);
      const { password, confirm } = request.body;
      const problem = passwordProblem(password, user);
      const errors = {
        password: problem ? request.t(problem.key, problem.values) : undefined,
        confirm: password === confirm ? undefined : request.t('signin.password.differ'),
      };
      if (errors.password || errors.confirm) {
        return sendPage(reply, 400, <ChoosePasswordPage action={action(token)} name={user.name} email={user.email} errors={errors} />);
      }
      try {
        await acceptInvitation(ctx, token, password);
      } catch (error) {
        if (error instanceof AccountError) return sendPage(reply, 409, <DeadLinkPage kind="invitation" message={error.message === INVITATION_INVALID ? request.t('signin.deadLink.invitationInvalid') : error.text(request)} />);
        throw error;
      }
      await audit(request, 'account.invitation_accepted', { actorUserId: user.id, subjectUserId: user.id });
      return continueToPairing(request, reply, user);
    });
};
