// Every failure answers with a page a person can act on: never a stack trace, never a bare 500
// for input we refused.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classifyDatabaseError } from '../db/faults.js';
import { countDatabaseError } from '../metrics/registry.js';
import { sendPage } from './render.js';
import { loadSession } from './session.js';
import { Layout, Notice, SupportLine } from './views/layout.js';

interface Explained {
  status: number;
  title: string;
  message: string;
}

/** What a person sees when the database is out of reach (or locked, or full): nothing they did wrong. */
export const DATABASE_UNAVAILABLE = 'HMS cannot reach its database; try again in a moment';
/** Seconds a client (or a proxy) is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

const BY_CODE: Record<string, Omit<Explained, 'status'>> = {
  FST_ERR_BAD_URL: { title: 'Address not valid', message: 'This address contains characters that cannot be read (a broken %-escape). Check the link.' },
  FST_ERR_MAX_PARAM_LENGTH: { title: 'Address too long', message: 'This address is longer than any HMS link. Check the link.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { title: 'Form too large', message: 'What was sent is larger than 64 KiB, more than any HMS form needs. Nothing was saved.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { title: 'Unsupported form', message: 'HMS accepts HTML forms (application/x-www-form-urlencoded) only. Nothing was saved.' },
  HMS_BODY_TIMEOUT: { title: 'Form too slow', message: 'The form took too long to arrive, so HMS stopped waiting for it. Nothing was saved. Check the connection and send it again.' },
  FST_CSRF_MISSING_SECRET: { title: 'Form expired', message: 'This form could not be checked: its security cookie is missing (cookies blocked, or the page is old). Go back, reload the page and try again.' },
  FST_CSRF_INVALID_TOKEN: { title: 'Form expired', message: 'This form is out of date or did not come from HMS. Go back, reload the page and try again. Nothing was saved.' },
};

export function explain(error: FastifyError): Explained {
  if (classifyDatabaseError(error)) return { status: 503, title: 'Database unavailable', message: `${DATABASE_UNAVAILABLE}.` };
  const known = BY_CODE[error.code];
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (known) return { status: status >= 500 ? 400 : status, ...known };
  if (error.code === 'FST_ERR_VALIDATION') return { status: 400, title: 'Form not valid', message: `${error.message} Nothing was saved.` };
  if (status < 500) return { status, title: 'Request not valid', message: 'HMS could not understand this request. Nothing was saved.' };
  return { status: 500, title: 'Something went wrong', message: 'HMS could not finish this request because of a problem on our side. Try again in a moment.' };
}

export function ErrorPage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title} narrow>
      <h1>{props.title}</h1>
      <Notice kind="error">{props.message}</Notice>
      <p><a href="/">Back to HMS</a></p>
      <SupportLine lead="If this keeps happening," />
    </Layout>
  );
}

/**
 * Errors Fastify meets before routing (an unreadable or overlong URL) skip every hook, security
 * headers included, so this handler sets the strict ones itself.
 */
export function frameworkErrorPage(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, title, message } = explain(error);
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
  return sendPage(reply, 404, <ErrorPage title="Page not found" message="There is no page at this address. Check the link, or go back to HMS." />);
}

export function registerErrorPages(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply: FastifyReply) => {
    const { status, title, message } = explain(error);
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
      return reply.code(status).type('application/json').send({ error: fault ? DATABASE_UNAVAILABLE : message });
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
