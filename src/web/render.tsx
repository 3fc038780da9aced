// Sends a server-rendered page. Preact escapes every interpolated value; pages are never cached
// (they show account data and carry CSRF tokens).
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { timeFormat } from './format.js';
import { requestTranslator } from './language.js';
import { PageContext, type PageContextValue } from './views/page-context.js';

export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  const { config } = reply.server.ctx;
  let token: string | undefined;
  const t = requestTranslator(reply.request);
  const value: PageContextValue = {
    t,
    times: timeFormat(config.timeZone, t.locale),
    pseudoLocale: config.pseudoLocale === 'on',
    // Without its query: that may carry a return address or a token the switch has no business repeating.
    path: reply.request.url.split('?')[0]!,
    csrfToken: () => (token ??= reply.generateCsrf()),
    support: { email: config.supportEmail, phone: config.supportPhone },
    signedInAs: reply.request.current?.session.stage === 'full'
      ? { name: reply.request.current.user.name, isAdmin: reply.request.current.user.role === 'admin' }
      : null,
  };
  const html = `<!doctype html>${renderToString(<PageContext.Provider value={value}>{page}</PageContext.Provider>)}`;
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** 303 so that the browser follows a POST with a GET. */
export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}
