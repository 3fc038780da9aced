// The page behind sign-in (the default access of every page route). The health dashboard itself is its own issue; this is a placeholder
// that says so rather than pretending.
import type { FastifyPluginAsync } from 'fastify';
import { sendPage } from '../render.js';
import { DashboardPage } from './views.js';

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => sendPage(reply, 200, <DashboardPage user={request.current!.user} />));
};
