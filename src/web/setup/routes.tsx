// The one-time link printed at first start, where the first administrator chooses a password.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AccountError, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, newAccountProblems } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { createFirstAdmin, isSetupTokenValid, SETUP_LINK_INVALID } from '../../auth/setup-link.js';
import type { User } from '../../db/schema.js';
import { continueToPairing } from '../mfa/first-sign-in.js';
import { sendPage } from '../render.js';
import { DeadLinkPage } from '../views/dead-link.js';
import { csrfField, field } from '../validation.js';
import { FirstAdminPage } from './views.js';

const params = z.object({ token: field('field.setupLink', 100) });
const firstAdminForm = z.object({
  name: field('field.fullName', NAME_MAX_LENGTH),
  email: field('field.email', EMAIL_MAX_LENGTH),
  password: field('field.password', PASSWORD_MAX_LENGTH),
  confirm: field('field.passwordAgain', PASSWORD_MAX_LENGTH),
  _csrf: csrfField,
});

const setupPath = (token: string) => `/setup/${encodeURIComponent(token)}`;

export const setupRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get<{ Params: z.infer<typeof params> }>('/setup/:token', { config: { access: 'public' }, schema: { params } }, async (request, reply) => {
    if (!(await isSetupTokenValid(ctx, request.params.token))) {
      return sendPage(reply, 404, <DeadLinkPage kind="setup" message={request.t('signin.deadLink.setupInvalid')} />);
    }
    return sendPage(reply, 200, <FirstAdminPage action={setupPath(request.params.token)} />);
  });

  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof firstAdminForm> }>('/setup/:token',
    { config: { access: 'public' }, schema: { params, body: firstAdminForm } }, async (request, reply) => {
      const { name, email, password, confirm } = request.body;
      const action = setupPath(request.params.token);
      const problems = Object.entries(newAccountProblems({ name, email, password, role: 'admin' }));
      const errors = {
        ...Object.fromEntries(problems.map(([fieldName, problem]) => [fieldName, request.t(problem.key, problem.values)])),
        confirm: password === confirm ? undefined : request.t('signin.password.differ'),
      };
      if (Object.values(errors).some(Boolean)) {
        return sendPage(reply, 400, <FirstAdminPage action={action} name={name} email={email} errors={errors} />);
      }
      let admin: User;
      try {
        admin = await createFirstAdmin(ctx, request.params.token, { name, email, password });
      } catch (error) {
        if (error instanceof AccountError) return sendPage(reply, 409, <DeadLinkPage kind="setup" message={error.message === SETUP_LINK_INVALID ? request.t('signin.deadLink.setupInvalid') : error.text(request)} />);
        throw error;
      }
      return continueToPairing(request, reply, admin);
    });
};
