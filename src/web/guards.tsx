// Who may reach what. Areas register these as preHandler hooks instead of checking in handlers:
// requireSignedIn for everything behind sign-in, requirePasswordStep for the MFA pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSession, type CurrentSession } from '../auth/sessions.js';
import { clearSessionCookie, sessionToken } from './cookies.js';
import { LoginPage } from './login/views.js';
import { redirect, sendPage } from './render.js';
import { safeReturnPath } from './return-path.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session of this request, once a guard has looked it up. */
    current: CurrentSession | null;
  }
}

export const SESSION_ENDED = 'Your session has ended (signed out, timed out or no longer valid). Sign in again to continue.';
export const SIGN_IN_EXPIRED = 'Your sign-in has expired: the code must be entered within a few minutes of the password. Sign in again.';

/** Looks up the session cookie; a cookie that names no live session is cleared. */
export async function loadSession(request: FastifyRequest, reply: FastifyReply): Promise<'valid' | 'ended' | 'none'> {
  const lookup = await findSession(request.server.ctx, sessionToken(request));
  request.current = lookup.status === 'valid' ? lookup.current : null;
  if (lookup.status === 'ended') clearSessionCookie(reply);
  return lookup.status;
}

/** Both factors passed. A password-only session is sent on to its code step. */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const status = await loadSession(request, reply);
  if (request.current?.session.stage === 'full') return;
  if (request.current) return void redirect(reply, '/mfa/verify');
  const next = request.method === 'GET' ? safeReturnPath(request.url) : null;
  if (status === 'ended') return void sendPage(reply, 401, <LoginPage notice={SESSION_ENDED} next={next} />);
  if (request.method === 'GET') return void redirect(reply, next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login');
  return void sendPage(reply, 401, <LoginPage notice="Sign in to continue." />);
}

/** Password passed, code not yet: the only state in which the MFA pages make sense. */
export async function requirePasswordStep(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const status = await loadSession(request, reply);
  if (request.current?.session.stage === 'pending') return;
  if (request.current) return void redirect(reply, '/');
  if (status === 'none' && request.method === 'GET') return void redirect(reply, '/login');
  return void sendPage(reply, 401, <LoginPage notice={SIGN_IN_EXPIRED} />);
}
