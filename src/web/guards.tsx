// Who may reach what. Every page route is behind sign-in unless its config says otherwise
// (deny by default): `config: { access: 'public' }` for sign-in and set-up pages,
// `'password-step'` for the MFA pages. One hook checks it, so no area can forget to.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRecentFactor, type CurrentSession } from '../auth/sessions.js';
import type { MessageKey } from '../i18n/translate.js';
import { loadSession } from './session.js';
import { sendNotFound } from './errors.js';
import { LoginPage } from './login/views.js';
import { redirect, sendPage } from './render.js';
import { safeReturnPath } from './return-path.js';

export type Access = 'public' | 'password-step' | 'signed-in';

/** Route config of the MFA pages: reachable with a password-only (pending) session. */
export const PASSWORD_STEP = { access: 'password-step' } as const;

declare module 'fastify' {
  interface FastifyRequest {
    /** The session of this request, once a guard has looked it up. */
    current: CurrentSession | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** The route changes an account or a factor: a code must have been entered in the last 5 minutes. */
    stepUp?: boolean;
    /**
     * The page whose form posts to this route, to come back to after the step-up, when it is not
     * the parent path (which must then answer GET).
     */
    formPage?: (request: FastifyRequest) => string;
    /** Administrators only; anyone else gets the same 404 as for a page that does not exist. */
    adminOnly?: boolean;
    /** Reachable while recovery codes shown to the session await "I saved them" (every other page sends back to them). */
    beforeCodesSaved?: boolean;
  }
}

/** The preHandler of every page route. */
export async function accessGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const access = request.routeOptions.config.access ?? 'signed-in';
  if (access === 'password-step') return requirePasswordStep(request, reply);
  if (access !== 'signed-in') return;
  await requireSignedIn(request, reply);
  if (reply.sent) return;
  if (request.current!.recoveryCodesAwaitSaving && !request.routeOptions.config.beforeCodesSaved) {
    return void redirect(reply, backToNewCodes(request));
  }
  if (request.routeOptions.config.adminOnly && request.current!.user.role !== 'admin') {
    return void sendNotFound(reply);
  }
  if (!request.routeOptions.config.stepUp || hasRecentFactor(request.server.ctx, request.current!.session)) return;
  // A form sent after the 5 minutes passed: confirm, then back to the page the form was on.
  const { formPage } = request.routeOptions.config;
  const back = isRead(request) ? request.url : formPage ? formPage(request) : parentPath(request.url);
  return void redirect(reply, `/verify-again?next=${encodeURIComponent(safeReturnPath(back) ?? '/')}`);
}

/**
 * The codes just shown cannot be skipped: once saved, the user goes on to the page they asked for
 * (a form sent meanwhile, from another tab, is not replayed).
 */
function backToNewCodes(request: FastifyRequest): string {
  const next = isRead(request) ? safeReturnPath(request.url) : null;
  return next && next !== '/' ? `${NEW_CODES}?next=${encodeURIComponent(next)}` : NEW_CODES;
}

const NEW_CODES = '/account/security/recovery-codes/new';

/** "/admin/users/42/reset-mfa" → "/admin/users/42": the page an action's form belongs to. */
function parentPath(url: string): string {
  const path = url.split('?')[0]!;
  return path.slice(0, Math.max(1, path.lastIndexOf('/')));
}

const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';

export const SESSION_ENDED = 'signin.login.sessionEnded' satisfies MessageKey;
export const SIGN_IN_FIRST = 'signin.login.signInFirst' satisfies MessageKey;
export const SIGN_IN_EXPIRED = 'signin.login.signInExpired' satisfies MessageKey;

/** Both factors passed. A password-only session is sent on to its code step. */
async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const status = await loadSession(request, reply);
  if (request.current?.session.stage === 'full') return;
  if (request.current) return void redirect(reply, '/mfa/verify');
  const next = isRead(request) ? safeReturnPath(request.url) : null;
  if (status === 'ended') return void sendPage(reply, 401, <LoginPage notice={request.t(SESSION_ENDED)} next={next} />);
  if (isRead(request)) return void redirect(reply, next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login');
  return void sendPage(reply, 401, <LoginPage notice={request.t(SIGN_IN_FIRST)} />);
}

/** Password passed, code not yet: the only state in which the MFA pages make sense. */
async function requirePasswordStep(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const status = await loadSession(request, reply);
  if (request.current?.session.stage === 'pending') return;
  if (request.current) return void redirect(reply, '/');
  if (status === 'none' && isRead(request)) return void redirect(reply, '/login');
  return void sendPage(reply, 401, <LoginPage notice={request.t(status === 'none' ? SIGN_IN_FIRST : SIGN_IN_EXPIRED)} />);
}
