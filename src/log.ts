// Application log options. Cookies, authorization headers and bodies (passwords, codes) are never
// logged; URL path segments that look like tokens (setup and invitation links) are masked. The
// ids of patients and records (UUIDs) are not secrets and stay: audit needs them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

// Tokens are 43 base64url characters; a UUID is hex in 8-4-4-4-12 groups and is not matched.
const TOKEN_SEGMENT = /\/[\w-]{32,}(?=\/|\?|$)/g;
const UUID = /^\/[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

export function maskUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, (segment) => (UUID.test(segment) ? segment : '/[redacted]'));
}

/** What an incoming X-Request-Id may be to be kept: short, and nothing that could forge a log line. */
const WELL_FORMED_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * The id of a request: the one a proxy or client gave in X-Request-Id when it is well formed,
 * so one id follows the request through every hop; otherwise a random UUID, unique across
 * processes and restarts.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Where a request's own logger (Fastify makes a child per request) keeps the account making the
 * request, once known (web/session.ts bindUserToLog). Loggers made from it inherit it.
 */
export const LOGGED_USER = Symbol('hms.loggedUser');

// Adds the account to the lines actually written. A child logger per signed-in request cost its
// creation on every page even when nothing was written (request lines are off at `warn`).
function userOfLine(_line: object, _level: number, logger: object): object {
  const userId = (logger as { [LOGGED_USER]?: string })[LOGGED_USER];
  return userId === undefined ? {} : { userId };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    mixin: userOfLine,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.code', '*._csrf', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: maskUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}
