// The page behind sign-in. The health dashboard itself is its own issue; this is a placeholder
// that says so rather than pretending.
import type { FastifyPluginAsync } from 'fastify';
import { requireSignedIn } from '../guards.js';
import { sendPage } from '../render.js';
import { DashboardPage } from './views.js';

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', requireSignedIn);
  app.get('/', async (request, reply) => sendPage(reply, 200, <DashboardPage user={request.current!.user} />));
};
