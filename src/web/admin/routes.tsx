// The support console: accounts, invitations, MFA reset, unlock, disable, roles. Administrators
// only (everyone else gets 404); every action needs a code entered in the last 5 minutes.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findAccountOverview, listAccounts } from '../../auth/account-directory.js';
import { AccountError, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../auth/accounts.js';
import { listEvents } from '../../auth/audit.js';
import { INVITATION_LIFETIME, pendingInvitation } from '../../auth/invitations.js';
import { PAIRING_LINK_LIFETIME, pairingGate, pairingLinkUrl } from '../../auth/pairing-links.js';
import {
  endSessions, invite, newPairingLink, REASON_MAX_LENGTH, resendInvitation, resetMfa, revokeInvitation, sendPasswordReset, setEnabled, setRole, SupportError, unlock, type Actor,
} from '../../auth/support.js';
import type { Role } from '../../db/schema.js';
import { requestContext } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { sendNotFound } from '../errors.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field, orDefault, schemaMessage } from '../validation.js';
import { LANGUAGES } from '../../i18n/languages.js';
import type { MessageKey } from '../../i18n/translate.js';
import { auditLogRoutes } from './audit-log.js';
import { adminMailRoutes } from './mail-routes.js';
import { peopleOf } from './audit-people.js';
import { CONFIRMED_ACTIONS, ConfirmActionPage } from './confirm-views.js';
import { ResetLinkSentPage } from './mail-views.js';
import { RESET_LINK_LIFETIME } from '../../auth/password-resets.js';
import { AccountPage, AccountsPage, InvitationLinkPage, InvitePage, PairingLinkPage } from './views.js';

const DONE = {
  unlocked: 'admin.done.unlocked',
  'sessions-ended': 'admin.done.sessionsEnded',
  disabled: 'admin.done.disabled',
  enabled: 'admin.done.enabled',
  role: 'admin.done.role',
  'invitation-revoked': 'admin.done.invitationRevoked',
} as const satisfies Record<string, MessageKey>;

const listQuery = z.object({ q: orDefault(z.string().max(100), ''), page: orDefault(z.coerce.number().int().min(1).max(100_000), 1) });
const userParams = z.object({ id: field('field.accountId', 64) });
const userQuery = z.object({ done: z.enum(Object.keys(DONE) as [keyof typeof DONE]).optional().catch(undefined) });
const actionForm = z.object({ _csrf: csrfField });
const resetForm = z.object({ reason: field('field.reason', REASON_MAX_LENGTH * 2), _csrf: csrfField });
const roleForm = z.object({ role: z.enum(['admin', 'clinician'], schemaMessage('admin.invite.invalidRole')), _csrf: csrfField });
/** `language` '' (or absent): the invitee's browser decides. */
const inviteForm = z.object({
  name: field('field.fullName', NAME_MAX_LENGTH * 2), email: field('field.email', EMAIL_MAX_LENGTH),
  role: z.enum(['admin', 'clinician'], schemaMessage('admin.invite.invalidRole')),
  language: z.enum(['', ...LANGUAGES], schemaMessage('admin.invite.invalidLanguage')).optional(), _csrf: csrfField,
});

const confirmParams = z.object({ id: field('field.accountId', 64), action: z.enum(CONFIRMED_ACTIONS, schemaMessage('admin.confirm.noSuchAction')) });
const confirmQuery = z.object({ role: orDefault(z.enum(['admin', 'clinician']), 'clinician') });

type UserRequest = FastifyRequest<{ Params: z.infer<typeof userParams> }>;

export const adminRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  // Every route of this plugin: administrators only; every change: a recent code (step-up), after
  // which the admin comes back to the account's page (an action's own address answers POST only).
  app.addHook('onRoute', (route) => {
    const formPage = route.url.startsWith('/admin/users/:id/')
      ? (request: FastifyRequest) => `/admin/users/${encodeURIComponent((request.params as { id: string }).id)}`
      : undefined;
    route.config = { ...route.config, adminOnly: true, stepUp: route.method === 'POST', formPage };
  });

  const actor = (request: FastifyRequest): Actor => ({ userId: request.current!.user.id, client: clientInfo(request) });

  app.get('/admin', async (_request, reply) => redirect(reply, '/admin/users'));

  app.get<{ Querystring: z.infer<typeof listQuery> }>('/admin/users', { schema: { querystring: listQuery } }, async (request, reply) => {
    const list = await listAccounts(ctx, { search: request.query.q, page: request.query.page });
    return sendPage(reply, 200, <AccountsPage {...list} search={request.query.q} />);
  });

  app.get<{ Params: z.infer<typeof userParams>; Querystring: z.infer<typeof userQuery> }>('/admin/users/:id',
    { schema: { params: userParams, querystring: userQuery } }, async (request, reply) => {
      const done = request.query.done;
      return sendAccountPage(request, reply, 200, { notice: done ? request.t(DONE[done]) : null });
    });

  async function sendAccountPage(request: UserRequest, reply: FastifyReply, status: number,
    messages: { notice?: string | null; error?: string | null; reason?: string }) {
    const account = await findAccountOverview(ctx, request.params.id);
    if (!account) return sendNotFound(reply);
    const [invitation, gate, recentEvents] = await Promise.all([
      pendingInvitation(ctx, account.user.id),
      pairingGate(ctx, account.user.id),
      listEvents(ctx, { userId: account.user.id, limit: 10 }),
    ]);
    return sendPage(reply, status, (
      <AccountPage account={account} invitation={invitation} pairingGate={gate} now={ctx.clock.now()} recentEvents={recentEvents}
        isSelf={account.user.id === request.current!.user.id} people={await peopleOf(ctx, recentEvents)} {...messages} />
    ));
  }

  /** Runs a support action; its refusal is shown on the account page, its success after a redirect. */
  function action<Body>(path: string, schema: z.ZodType<Body>, run: (request: UserRequest & { body: Body }) => Promise<keyof typeof DONE>) {
    app.post<{ Params: z.infer<typeof userParams>; Body: Body }>(`/admin/users/:id/${path}`, { schema: { params: userParams, body: schema } },
      async (request, reply) => {
        if (!(await findAccountOverview(ctx, request.params.id))) return sendNotFound(reply);
        try {
          const done = await run(request as UserRequest & { body: Body });
          return redirect(reply, `/admin/users/${request.params.id}?done=${done}`);
        } catch (error) {
          if (!(error instanceof SupportError)) throw error;
          return sendAccountPage(request, reply, 409, { error: error.text(request), reason: (request.body as { reason?: string }).reason });
        }
      });
  }

  app.get<{ Params: z.infer<typeof confirmParams>; Querystring: z.infer<typeof confirmQuery> }>('/admin/users/:id/confirm/:action',
    { schema: { params: confirmParams, querystring: confirmQuery } }, async (request, reply) => {
      const account = await findAccountOverview(ctx, request.params.id);
      if (!account) return sendNotFound(reply);
      return sendPage(reply, 200, <ConfirmActionPage user={account.user} action={request.params.action} role={request.query.role}
        mailEnabled={Boolean(ctx.config.smtpUrl)} />);
    });

  // A reset (and a new link for an account without authenticator) shows the re-pairing link once.
  app.post<{ Params: z.infer<typeof userParams>; Body: z.infer<typeof resetForm> }>('/admin/users/:id/reset-mfa',
    { schema: { params: userParams, body: resetForm } }, async (request, reply) => {
      const account = await findAccountOverview(ctx, request.params.id);
      if (!account) return sendNotFound(reply);
      try {
        const token = await resetMfa(requestContext(request), actor(request), account.user.id, request.body.reason);
        return sendPairingLink(reply, account.user.email, account.user.id, token, true);
      } catch (error) {
        if (!(error instanceof SupportError)) throw error;
        return sendPage(reply, 409, <ConfirmActionPage user={account.user} action="reset-mfa" mailEnabled={Boolean(ctx.config.smtpUrl)}
          error={error.text(request)} reason={request.body.reason} />);
      }
    });
  app.post<{ Params: z.infer<typeof userParams>; Body: z.infer<typeof actionForm> }>('/admin/users/:id/pairing-link',
    { schema: { params: userParams, body: actionForm } }, async (request, reply) => {
      const account = await findAccountOverview(ctx, request.params.id);
      if (!account) return sendNotFound(reply);
      try {
        const token = await newPairingLink(requestContext(request), actor(request), account.user.id);
        return sendPairingLink(reply, account.user.email, account.user.id, token, false);
      } catch (error) {
        if (!(error instanceof SupportError)) throw error;
        return sendAccountPage(request, reply, 409, { error: error.text(request) });
      }
    });
  app.post<{ Params: z.infer<typeof userParams>; Body: z.infer<typeof actionForm> }>('/admin/users/:id/password-reset',
    { schema: { params: userParams, body: actionForm } }, async (request, reply) => {
      const account = await findAccountOverview(ctx, request.params.id);
      if (!account) return sendNotFound(reply);
      try {
        const link = await sendPasswordReset(requestContext(request), actor(request), account.user.id);
        return sendPage(reply, 201, <ResetLinkSentPage email={account.user.email} userId={account.user.id}
          link={ctx.config.smtpUrl ? null : link} minutes={RESET_LINK_LIFETIME / 60_000} />);
      } catch (error) {
        if (!(error instanceof SupportError)) throw error;
        return sendAccountPage(request, reply, 409, { error: error.text(request) });
      }
    });
  action('unlock', actionForm, async (request) => {
    await unlock(requestContext(request), actor(request), request.params.id);
    return 'unlocked';
  });
  action('end-sessions', actionForm, async (request) => {
    await endSessions(requestContext(request), actor(request), request.params.id);
    return 'sessions-ended';
  });
  action('disable', actionForm, async (request) => {
    await setEnabled(requestContext(request), actor(request), request.params.id, false);
    return 'disabled';
  });
  action('enable', actionForm, async (request) => {
    await setEnabled(requestContext(request), actor(request), request.params.id, true);
    return 'enabled';
  });
  action('role', roleForm, async (request) => {
    await setRole(requestContext(request), actor(request), request.params.id, request.body.role as Role);
    return 'role';
  });
  action('invitation/revoke', actionForm, async (request) => {
    await revokeInvitation(requestContext(request), actor(request), request.params.id);
    return 'invitation-revoked';
  });
  app.post<{ Params: z.infer<typeof userParams>; Body: z.infer<typeof actionForm> }>('/admin/users/:id/invitation',
    { schema: { params: userParams, body: actionForm } }, async (request, reply) => {
      const account = await findAccountOverview(ctx, request.params.id);
      if (!account) return sendNotFound(reply);
      try {
        const token = await resendInvitation(requestContext(request), actor(request), account.user.id);
        return sendInvitationLink(reply, account.user.email, account.user.id, token);
      } catch (error) {
        if (!(error instanceof SupportError)) throw error;
        return sendAccountPage(request, reply, 409, { error: error.text(request) });
      }
    });

  app.get('/admin/invite', async (_request, reply) => sendPage(reply, 200, <InvitePage />));

  app.post<{ Body: z.infer<typeof inviteForm> }>('/admin/invite', { schema: { body: inviteForm } }, async (request, reply) => {
    const { name, email, role, language = '' } = request.body;
    try {
      const { user, token } = await invite(requestContext(request), actor(request), { name, email, role, language: language === '' ? null : language });
      return sendInvitationLink(reply, user.email, user.id, token);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return sendPage(reply, 409, <InvitePage values={{ name, email, role, language }} error={error.text(request)} />);
    }
  });

  function sendPairingLink(reply: FastifyReply, email: string, userId: string, token: string, afterReset: boolean) {
    const until = ctx.clock.now() + PAIRING_LINK_LIFETIME;
    return sendPage(reply, 201, <PairingLinkPage email={email} userId={userId} link={pairingLinkUrl(ctx.config.publicOrigin, token)} until={until} afterReset={afterReset} />);
  }

  function sendInvitationLink(reply: FastifyReply, email: string, userId: string, token: string) {
    const until = ctx.clock.now() + INVITATION_LIFETIME;
    return sendPage(reply, 201, <InvitationLinkPage email={email} userId={userId} link={`${ctx.config.publicOrigin}/invite/${token}`} until={until} mailed={Boolean(ctx.config.smtpUrl)} />);
  }

  await app.register(auditLogRoutes);
  await app.register(adminMailRoutes);
};
