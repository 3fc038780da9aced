// What a load balancer or an orchestrator asks: is the process alive (/healthz, never touches the
// database, so a database outage does not get healthy instances restarted), and should it get
// traffic (/readyz, a SELECT 1 that must answer within a second).
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { classifyDatabaseError } from '../db/faults.js';

/** A ready database answers SELECT 1 within this; /readyz answers within it too, whatever the database does. */
export const READY_WITHIN_MS = 1000;

export const probeRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;

  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok'));

  app.get('/readyz', async (_request, reply) => {
    const problem = await databaseProblem();
    if (problem) return reply.code(503).type('text/plain; charset=utf-8').send(`not ready: ${problem}\n`);
    return reply.type('text/plain; charset=utf-8').send('ok');
  });

  /** Null when the database answered in time; else a one-line reason that reveals nothing of its set-up. */
  async function databaseProblem(): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the database did not answer within ${READY_WITHIN_MS / 1000} s`), READY_WITHIN_MS);
    });
    const answer = sql`select 1`.execute(db).then(
      () => null,
      (error: unknown) => {
        if (!classifyDatabaseError(error)) app.log.error({ err: error }, 'readiness check failed');
        return `the database is ${describeFault(error)}`;
      },
    );
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }
};

function describeFault(error: unknown): string {
  switch (classifyDatabaseError(error)) {
    case 'unavailable': return 'unreachable';
    case 'timeout': return 'too slow to answer';
    case 'busy': return 'busy (locked)';
    case 'disk_full': return 'out of disk space';
    default: return 'failing (see the log)';
  }
}
