// Cross-cutting protections, registered once for every route: cookies, CSRF tokens on every
// POST, strict security headers and no caching of pages.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { baseCookieOptions, cookieNames } from './cookies.js';

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  const { config } = app.ctx;
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: cookieNames(config).csrf,
    cookieOpts: { ...baseCookieOptions(config), signed: false },
    // Only the form field: a token in a header or query string would be a second way in.
    getToken: (request) => request.csrfFromForm ?? ((request.body as { _csrf?: unknown } | undefined)?._csrf as string | undefined),
  });
  // Helmet's own middleware, built once: @fastify/helmet builds it anew for every request, which
  // parses every CSP directive again each time (about 4 % of a signed-in page's CPU in a profile).
  const setSecurityHeaders = helmet({
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
  app.addHook('onRequest', (request, reply, done) => setSecurityHeaders(request.raw, reply.raw, () => done()));

  // Every state-changing request carries a CSRF token, checked before the body is validated. An
  // upload (multipart) checks it in its handler, from the field before the file.
  app.decorateRequest('csrfFromForm', undefined);
  app.addHook('preValidation', (request, reply, done) => {
    if (request.is404 || request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    if (request.routeOptions.config.csrf === 'in-handler') return done();
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

/**
 * The CSRF check of a multipart upload, by the same plugin as the hook. False when the token is
 * refused: the plugin has then already answered with its error (and so the same 403 page).
 */
export function verifyCsrfInHandler(request: FastifyRequest, reply: FastifyReply, token: string | undefined): boolean {
  request.csrfFromForm = token ?? '';
  let accepted = false;
  request.server.csrfProtection(request, reply, () => {
    accepted = true;
  });
  return accepted;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A CSRF token read by a handler (multipart upload) rather than from a parsed form. */
    csrfFromForm: string | undefined;
  }
  interface FastifyContextConfig {
    /** 'in-handler': the route reads its body as a stream and checks the token itself. */
    csrf?: 'in-handler';
  }
}
