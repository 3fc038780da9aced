// Signing out ends the session on the server, not just in the browser. A remembered device
// stays remembered: that is what the user asked for when ticking the box.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { endSession } from '../../auth/sessions.js';
import { audit } from '../audit.js';
import { clearSessionCookie } from '../cookies.js';
import { loadSession } from '../session.js';
import { redirect } from '../render.js';
import { csrfField } from '../validation.js';

const logoutForm = z.object({ _csrf: csrfField });

export const logoutRoutes: FastifyPluginAsync = async (app) => {
  app.post('/logout', { config: { access: 'public' }, schema: { body: logoutForm } }, async (request, reply) => {
    if ((await loadSession(request, reply)) === 'valid') {
      const { session, user } = request.current!;
      await endSession(app.ctx, session);
      await audit(request, 'session.signed_out', { actorUserId: user.id, subjectUserId: user.id, details: { stage: session.stage } });
    }
    clearSessionCookie(reply);
    return redirect(reply, '/login?notice=signed-out');
  });
};
