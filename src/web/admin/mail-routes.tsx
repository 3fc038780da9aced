// Mail in the console: the outbox, queued and failed messages ("Send a password-reset link" is on the account page).
import type { FastifyPluginAsync } from 'fastify';
import { DAY } from '../../clock.js';
import { sentMailCount, unsentMail } from '../../mail/outbox.js';
import { sendPage } from '../render.js';
import { OutboxPage } from './mail-views.js';

export const adminMailRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get('/admin/mail', async (_request, reply) => {
    const now = ctx.clock.now();
    const [entries, sentToday] = await Promise.all([unsentMail(ctx), sentMailCount(ctx, now - DAY)]);
    return sendPage(reply, 200, <OutboxPage entries={entries} mailEnabled={Boolean(ctx.config.smtpUrl)} sentToday={sentToday} now={now} />);
  });
};
