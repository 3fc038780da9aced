// Mail in the console: the outbox, queued and failed messages ("Send a password-reset link" is on the account page).
// Administrators only, and "Send again" needs a recent code, like every console action (the
// adminRoutes plugin that registers this one marks its routes so).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DAY } from '../../clock.js';
import { sentMailCount, unsentMail, unsentMailCounts } from '../../mail/outbox.js';
import { sendAgain, sendAllAgain, type Admin } from '../../mail/resend.js';
import { clientInfo } from '../client-info.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field, orDefault } from '../validation.js';
import { OutboxPage, type OutboxRefusal } from './mail-views.js';

const doneQuery = z.object({
  done: z.enum(['resent', 'resent-all']).optional().catch(undefined),
  count: orDefault(z.coerce.number().int().min(0).max(1_000_000), 0),
});
const resendForm = z.object({ id: field('field.message', 64), _csrf: csrfField });
const resendAllForm = z.object({ _csrf: csrfField });

export const adminMailRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const admin = (request: FastifyRequest): Admin => ({ userId: request.current!.user.id, client: clientInfo(request) });

  async function sendOutboxPage(reply: FastifyReply, status: number, messages: { notice?: string | null; refusal?: OutboxRefusal }) {
    const now = ctx.clock.now();
    const [entries, counts, sentToday] = await Promise.all([unsentMail(ctx), unsentMailCounts(ctx), sentMailCount(ctx, now - DAY)]);
    return sendPage(reply, status, <OutboxPage entries={entries} counts={counts} mailEnabled={Boolean(ctx.config.smtpUrl)} sentToday={sentToday} now={now} {...messages} />);
  }

  app.get<{ Querystring: z.infer<typeof doneQuery> }>('/admin/mail', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { done, count } = request.query;
    const notice = done === 'resent' ? request.t('admin.mail.resent') : done === 'resent-all' ? request.t('admin.mail.resentAll', { count }) : null;
    return sendOutboxPage(reply, 200, { notice });
  });

  // The form is on /admin/mail, this address's parent: after a step-up the admin comes back to it.
  app.post<{ Body: z.infer<typeof resendForm> }>('/admin/mail/resend', { schema: { body: resendForm } }, async (request, reply) => {
    const outcome = await sendAgain(ctx, admin(request), request.body.id);
    if (outcome.requeued) return redirect(reply, '/admin/mail?done=resent');
    return sendOutboxPage(reply, 409, { refusal: { reason: outcome.refusal, userId: outcome.userId } });
  });

  app.post<{ Body: z.infer<typeof resendAllForm> }>('/admin/mail/resend-all', { schema: { body: resendAllForm } }, async (request, reply) => {
    const count = await sendAllAgain(ctx, admin(request));
    return redirect(reply, `/admin/mail?done=resent-all&count=${count}`);
  });
};
