// Application log options. Cookies, authorization headers and bodies (passwords, codes) are never
// logged; URL path segments that look like tokens (setup links) are masked.
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

const TOKEN_SEGMENT = /\/[\w-]{32,}(?=\/|\?|$)/g;

export function maskUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, '/[redacted]');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
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
