// How long HMS waits for a client: every wait has an end, so a slow or stalled client (or an
// attacker holding connections open a byte at a time) cannot keep a connection for ever.
import { PassThrough } from 'node:stream';
import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

type Limits = Pick<Config, 'requestTimeoutSeconds' | 'bodyTimeoutSeconds' | 'idleTimeoutSeconds' | 'keepAliveTimeoutSeconds'>;

/** Node checks the request and header deadlines this often (its default, 30 s, would add up to that much). */
const DEADLINE_CHECK_MS = 1000;

/** The server's own limits, as Fastify passes them to Node's HTTP server. */
export function httpTimeouts(limits: Limits): { requestTimeout: number; connectionTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  return {
    // The whole request, uploads included; Node answers 408 and closes the connection.
    requestTimeout: limits.requestTimeoutSeconds * 1000,
    // Silence in the middle of a request (a client that stopped sending or reading).
    connectionTimeout: limits.idleTimeoutSeconds * 1000,
    keepAliveTimeout: limits.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: Math.min(limits.bodyTimeoutSeconds, limits.requestTimeoutSeconds) * 1000,
      connectionsCheckingInterval: DEADLINE_CHECK_MS,
    },
  };
}

/**
 * A form's body (64 KiB at most) must arrive within HMS_BODY_TIMEOUT_SECONDS of its headers, or
 * the request ends with 408 and its connection is closed. Uploads (multipart) are read by their
 * handler as a stream and are bounded by the whole-request limit instead.
 */
export function limitFormBodyTime(app: FastifyInstance, limits: Limits): void {
  const ms = limits.bodyTimeoutSeconds * 1000;
  app.addHook('preParsing', async (request, reply, payload) => {
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || request.headers['content-type']?.toLowerCase().startsWith('multipart/')) return payload;
    const body = new PassThrough();
    const timer = setTimeout(() => {
      payload.unpipe(body);
      body.destroy(Object.assign(new Error(`The request body did not arrive within ${limits.bodyTimeoutSeconds} s.`),
        { statusCode: 408, code: 'HMS_BODY_TIMEOUT' }));
    }, ms);
    timer.unref();
    const stop = () => clearTimeout(timer);
    payload.once('end', stop).once('close', stop).once('error', stop);
    body.once('close', stop);
    // A request answered without its body being read (404, 415, a refused CSRF token) is done.
    reply.raw.once('close', stop);
    payload.on('error', (error) => body.destroy(error));
    // The parser reading the body gets the error; unread, it must not become an uncaught one.
    body.on('error', () => {});
    return payload.pipe(body);
  });
}
