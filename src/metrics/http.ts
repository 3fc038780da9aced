// Request durations for the metrics, labelled by the route's pattern ("/records/:id"), so that
// the number of series stays that of the routes whatever the ids and paths requested.
import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './registry.js';

export function measureRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    // No pattern: the address matched no route (the 404 page), whatever it was.
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
