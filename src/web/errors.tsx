// Every failure answers with a page a person can act on: never a stack trace, never a bare 500
// for input we refused.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classifyDatabaseError } from '../db/faults.js';
import { countDatabaseError } from '../metrics/registry.js';
import { sendPage } from './render.js';
import type { MessageKey, Translator } from '../i18n/translate.js';
import { requestTranslator } from './language.js';
import { loadSession } from './session.js';
import { describeProblems, ValidationError } from './validation.js';
import { Layout, Notice, SupportLine } from './views/layout.js';
import { usePage } from './views/page-context.js';

interface Explained {
  status: number;
  title: string;
  message: string;
}

/** Seconds a client (or a proxy) is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

const BY_CODE: Record<string, { title: MessageKey; message: MessageKey }> = {
  FST_ERR_BAD_URL: { title: 'errors.badUrl.title', message: 'errors.badUrl.message' },
  FST_ERR_MAX_PARAM_LENGTH: { title: 'errors.paramTooLong.title', message: 'errors.paramTooLong.message' },
  FST_ERR_CTP_BODY_TOO_LARGE: { title: 'errors.bodyTooLarge.title', message: 'errors.bodyTooLarge.message' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { title: 'errors.mediaType.title', message: 'errors.mediaType.message' },
  HMS_BODY_TIMEOUT: { title: 'errors.bodyTimeout.title', message: 'errors.bodyTimeout.message' },
  FST_CSRF_MISSING_SECRET: { title: 'errors.csrfMissing.title', message: 'errors.csrfMissing.message' },
  FST_CSRF_INVALID_TOKEN: { title: 'errors.csrfInvalid.title', message: 'errors.csrfInvalid.message' },
};

export function explain(error: FastifyError, t: Translator): Explained {
  if (classifyDatabaseError(error)) return { status: 503, title: t('errors.database.title'), message: t('errors.database.message') };
  const known = BY_CODE[error.code];
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (known) return { status: status >= 500 ? 400 : status, title: t(known.title), message: t(known.message) };
  if (error instanceof ValidationError) {
    return { status: 400, title: t('errors.validation.title'), message: t('errors.validation.message', { problems: describeProblems(error.problems, t) }) };
  }
  if (status < 500) return { status, title: t('errors.badRequest.title'), message: t('errors.badRequest.message') };
  return { status: 500, title: t('errors.internal.title'), message: t('errors.internal.message') };
}

export function ErrorPage(props: { title: string; message: string }) {
  const { t } = usePage();
  return (
    <Layout title={props.title} narrow>
      <h1>{props.title}</h1>
      <Notice kind="error">{props.message}</Notice>
      <p><a href="/">{t('errors.backToHms')}</a></p>
      <SupportLine lead={t('support.leadRepeated')} continues />
    </Layout>
  );
}

/**
 * Errors Fastify meets before routing (an unreadable or overlong URL) skip every hook, security
 * headers included, so this handler sets the strict ones itself.
 */
export function frameworkErrorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, title, message } = explain(error, requestTranslator(request));
  reply.headers({
    'content-security-policy': "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  void sendPage(reply, status, <ErrorPage title={title} message={message} />);
}

/** The one "not found" page: also what a non-administrator sees at an administration address. */
export function sendNotFound(reply: FastifyReply): FastifyReply {
  const t = requestTranslator(reply.request);
  return sendPage(reply, 404, <ErrorPage title={t('errors.notFound.title')} message={t('errors.notFound.message')} />);
}

export function registerErrorPages(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply: FastifyReply) => {
    const { status, title, message } = explain(error, requestTranslator(request));
    const fault = classifyDatabaseError(error);
    // One line per request while the database is away, without a stack: the kind says it all.
    if (fault) countDatabaseError(fault);
    if (fault) request.log.warn({ fault, reason: error.message }, 'database unavailable');
    else if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code, status }, 'request refused');
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    // A body that never arrived whole is still on the wire: the connection cannot carry another request.
    if (status === 408) reply.header('connection', 'close');
    // The charts' script asks for JSON, and reads the reason from it.
    if (request.routeOptions.url?.endsWith('.json')) {
      return reply.code(status).type('application/json').send({ error: message });
    }
    return sendPage(reply, status, <ErrorPage title={title} message={message} />);
  });

  // Signed-in visitors see their usual header here too: a 404 must look the same whatever the
  // address (an administration page refused to a non-admin looks exactly like this).
  app.setNotFoundHandler(async (request, reply) => {
    await loadSession(request, reply);
    return sendNotFound(reply);
  });
}
