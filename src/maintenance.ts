// Periodic clean-up of rows that no longer mean anything, off the request path.
import type { FastifyBaseLogger } from 'fastify';
import { deleteEndedSessions } from './auth/sessions.js';
import { MINUTE } from './clock.js';
import type { AppContext } from './context.js';

const INTERVAL = 10 * MINUTE;

export function startMaintenance(ctx: AppContext, log: FastifyBaseLogger): () => void {
  const run = async () => {
    try {
      const sessions = await deleteEndedSessions(ctx);
      if (sessions > 0) log.info({ sessions }, 'removed ended sessions');
    } catch (error) {
      log.warn({ err: error }, 'maintenance failed; will retry');
    }
  };
  void run();
  const timer = setInterval(run, INTERVAL);
  timer.unref();
  return () => clearInterval(timer);
}
