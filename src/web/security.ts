// Cross-cutting protections, registered once for every route: cookies, CSRF tokens on every
// POST, strict security headers and no caching of pages.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { baseCookieOptions, cookieNames } from './cookies.js';

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  const { config } = app.ctx;
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: cookieNames(config).csrf,
    cookieOpts: { ...baseCookieOptions(config), signed: false },
    // Only the form field: a token in a header or query string would be a second way in.
    getToken: (request) => (request.body as { _csrf?: unknown } | undefined)?._csrf as string | undefined,
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // HSTS only means something over HTTPS; sent on plain HTTP it would be ignored anyway.
    strictTransportSecurity: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });

  // Every state-changing request carries a CSRF token, checked before the body is validated.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.is404 || request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    app.csrfProtection(request, reply, done);
  });

  // Pages show health and account data: no browser or proxy may keep a copy.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/assets/')) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}
