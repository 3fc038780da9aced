// Which language a request is answered in: the account's saved preference, else the language
// switch's cookie, else the browser's Accept-Language, else HMS_DEFAULT_LANGUAGE. The clinic's
// time zone never changes with it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isLanguage, languageFromAcceptHeader, PSEUDO, type DisplayLanguage } from '../i18n/languages.js';
import { translator, type MessageKey, type MessageValues, type Translator } from '../i18n/translate.js';
import { baseCookieOptions } from './cookies.js';
import { redirect } from './render.js';
import { safeLocalPath } from './return-path.js';
import { optionalField } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's message in its language, worked out at each call: a sign-in or saved preferences change it mid-request. */
    t(key: MessageKey, values?: MessageValues): string;
  }
}

/** A choice of language, not an identifier: readable by the page, kept a year. */
const LANGUAGE_COOKIE = 'hms_lang';
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

export function requestLanguage(request: FastifyRequest): DisplayLanguage {
  const { config } = request.server.ctx;
  const saved = request.current?.user.language;
  if (isLanguage(saved)) return saved;
  // Errors Fastify meets before routing (an unreadable URL) come before the cookies are parsed.
  const chosen = (request.cookies as FastifyRequest['cookies'] | undefined)?.[LANGUAGE_COOKIE];
  if (isLanguage(chosen)) return chosen;
  if (chosen === PSEUDO && config.pseudoLocale === 'on') return PSEUDO;
  return languageFromAcceptHeader(request.headers['accept-language']) ?? config.defaultLanguage;
}

export function requestTranslator(request: FastifyRequest): Translator {
  return translator(requestLanguage(request));
}

export function registerLanguage(app: Parameters<FastifyPluginAsync>[0]): void {
  app.decorateRequest('t', function t(this: FastifyRequest, key: MessageKey, values?: MessageValues) {
    return requestTranslator(this)(key, values);
  });
}

const switchQuery = z.object({ to: optionalField('field.language', 10), next: optionalField('field.returnAddress', 2048) });

/**
 * The switch of the public pages: a plain link (no JavaScript, no form), so it is a GET. It only
 * sets a preference cookie and goes back to a local page: nothing an attacker gains by forcing it.
 */
export const languageRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: z.infer<typeof switchQuery> }>('/language', { config: { access: 'public' }, schema: { querystring: switchQuery } }, async (request, reply) => {
    const { to } = request.query;
    const allowed = isLanguage(to) || (to === PSEUDO && app.ctx.config.pseudoLocale === 'on');
    if (allowed) setLanguageCookie(reply, to);
    return redirect(reply, safeLocalPath(request.query.next) ?? '/login');
  });
};

export function setLanguageCookie(reply: FastifyReply, language: DisplayLanguage): void {
  const { config } = reply.server.ctx;
  reply.setCookie(LANGUAGE_COOKIE, language, { ...baseCookieOptions(config), maxAge: COOKIE_MAX_AGE_SECONDS });
}
