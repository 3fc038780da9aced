// A graceful stop on SIGTERM (systemd, Kubernetes, a load balancer draining) or SIGINT (Ctrl-C):
// refuse new connections, let the requests in flight finish, close the database, exit 0; if they
// are still running at the deadline, exit 1, so that whoever stopped HMS knows some were cut off.
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** HMS_SHUTDOWN_SECONDS. */
  seconds: number;
  /** Stops background work (maintenance timers) before the server closes. */
  stopBackground(): void;
  /** Closes the database once no request needs it. */
  closeDatabase(): Promise<void>;
}

/** Counts requests from their headers until their response is sent or their connection drops. */
export function trackRequestsInFlight(app: FastifyInstance): () => number {
  let inFlight = 0;
  app.addHook('onRequest', (_request, reply, done) => {
    inFlight += 1;
    reply.raw.once('close', () => (inFlight -= 1));
    done();
  });
  return () => inFlight;
}

export function stopOnSignals(app: FastifyInstance, inFlight: () => number, options: ShutdownOptions): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal, requests: inFlight() }, 'shutting down');
    const deadline = setTimeout(() => {
      const running = inFlight();
      app.log.error({ requests: running }, running > 0
        ? `shutdown deadline (${options.seconds} s) passed with requests still running; exiting`
        : `shutdown deadline (${options.seconds} s) passed before the database connections closed; exiting`);
      process.exit(1);
    }, options.seconds * 1000);
    options.stopBackground();
    // Keep-alive connections that go quiet after their last response are closed as soon as they do.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(sweep);
      await options.closeDatabase();
    } catch (error) {
      app.log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
    clearTimeout(deadline);
    app.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
